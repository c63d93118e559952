"""Programmes in and out of spreadsheets: the import's columns and row checks, the template, and the
XLSX and CSV exports.

Reading a file reuses the commitments import's machinery (``concord.commitments.importing.read_table``:
CSV or XLSX, header checks, row limit). Each row is checked with the same functions the actions use, so a
row that passes here is one ``do_create_programme`` accepts. Nothing here writes to the database.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from concord.accounts.models import Dialogue, Organization
from concord.commitments.importing import RowResult, TableError, iso_date, read_table
from concord.core.csvsafe import safe_cell
from concord.core.models import Visibility
from concord.directory.cleaning import clean_themes
from concord.library.models import Theme

from . import rules
from .cleaning import clean_budget, clean_dates, clean_instruments, clean_status, clean_url
from .currencies import ISO_4217
from .models import Instrument, Programme, ProgrammeStatus

REQUIRED = ("title", "party", "summary")
OPTIONAL = (
    "visibility",
    "status",
    "objectives",
    "instruments",
    "target_groups",
    "lead_agency",
    "partners",
    "budget_amount",
    "budget_currency",
    "start_date",
    "end_date",
    "themes",
    "source_url",
    "summary_by",
)
COLUMNS = REQUIRED + OPTIONAL
LIST_SEPARATOR = ";"
EXAMPLE = {
    "title": "National cloud-first programme",
    "party": "MY",
    "summary": "Moves government services to shared cloud infrastructure.",
    "visibility": "public",
    "status": "active",
    "objectives": "Half of public services on the cloud by 2026",
    "instruments": "infrastructure; public_services",
    "target_groups": "ministries; state agencies",
    "lead_agency": "",
    "partners": "",
    "budget_amount": "1000000",
    "budget_currency": "MYR",
    "start_date": "2023-01-01",
    "end_date": "2026-12-31",
    "themes": "",
    "source_url": "https://example.org/programme",
    "summary_by": "Concord project",
}


@dataclass
class ProgrammeRow(RowResult):
    fields: dict[str, Any] = field(default_factory=dict)  # keyword arguments for do_create_programme


@dataclass
class ImportReport:
    rows: list[ProgrammeRow] = field(default_factory=list)
    imported: list[Programme] = field(default_factory=list)
    error: str = ""

    @property
    def failed(self) -> list[ProgrammeRow]:
        return [r for r in self.rows if not r.ok]


@dataclass
class Table:
    header: list[str] = field(default_factory=list)
    rows: list[list[str]] = field(default_factory=list)
    error: str = ""


def read_programme_table(data: bytes, filename: str) -> Table:
    try:
        header, rows = read_table(data, filename, required=REQUIRED, columns=COLUMNS)
    except TableError as exc:
        return Table(error=str(exc))
    return Table(header=header, rows=rows)


def _split(value: str) -> list[str]:
    return [v.strip() for v in value.split(LIST_SEPARATOR) if v.strip()]


def _date(value: str, column: str) -> dt.date | None:
    if not value:
        return None
    try:
        return iso_date(value)
    except ValueError:
        raise ValidationError(
            {column: _("“%(value)s” is not a date; write it as YYYY-MM-DD.") % {"value": value}}
        ) from None


class _Lookups:
    """What rows name, found once per import: parties, organisations (by name or short name), themes."""

    def __init__(self, actor, dialogue: Dialogue) -> None:
        self.parties = {p.code: p for p in dialogue.parties.all()}
        self.allowed = rules.creatable_party_ids(actor, dialogue)
        self.orgs: dict[str, Organization] = {}
        for org in Organization.objects.all():
            for key in (org.name, org.short_name):
                if key:
                    self.orgs.setdefault(key.lower(), org)

    def org(self, name: str, column: str) -> Organization:
        org = self.orgs.get(name.lower())
        if org is None:
            raise ValidationError({column: _("No organisation “%(name)s”.") % {"name": name}})
        return org


def _row_fields(values: dict[str, str], look: _Lookups) -> tuple[dict[str, Any], list[str]]:
    """The keyword arguments for ``do_create_programme``, and the errors found (``column: message``)."""
    errors: list[str] = []
    out: dict[str, Any] = {}

    def party():
        code = values.get("party", "").strip().upper()
        if not code:
            raise ValidationError({"party": _("Required.")})
        found = look.parties.get(code)
        if found is None:
            raise ValidationError(
                {"party": _("“%(code)s” does not take part in this dialogue.") % {"code": code}}
            )
        if found.pk not in look.allowed:
            raise ValidationError({"party": _("You may not record programmes of %(code)s.") % {"code": code}})
        out["party"] = found

    def text():
        for column, limit in (("title", 300), ("summary", 4000)):
            value = values.get(column, "").strip()
            if not value:
                raise ValidationError({column: _("Required.")})
            if len(value) > limit:
                raise ValidationError({column: _("At most %(n)d characters.") % {"n": limit}})
            out[column] = value
        for column in ("objectives", "summary_by"):
            out[column] = values.get(column, "")

    def visibility():
        value = values.get("visibility", "").strip() or Visibility.DIALOGUE
        if value not in Visibility.values:
            raise ValidationError(
                {
                    "visibility": _("“%(value)s” is not one of %(valid)s.")
                    % {"value": value, "valid": ", ".join(Visibility.values)}
                }
            )
        out["visibility"] = value

    def status():
        out["status"] = clean_status(values.get("status", "").strip() or ProgrammeStatus.ACTIVE)

    def instruments():
        out["instruments"] = clean_instruments(_split(values.get("instruments", "")))
        out["target_groups"] = _split(values.get("target_groups", ""))

    def budget():
        amount, currency = clean_budget(values.get("budget_amount", ""), values.get("budget_currency", ""))
        out["budget_amount"], out["budget_currency"] = amount, currency

    def dates():
        start = _date(values.get("start_date", ""), "start_date")
        end = _date(values.get("end_date", ""), "end_date")
        clean_dates(start, end)
        out["start_date"], out["end_date"] = start, end

    def organisations():
        lead = values.get("lead_agency", "").strip()
        out["lead_agency"] = look.org(lead, "lead_agency") if lead else None
        out["partners"] = [look.org(name, "partners") for name in _split(values.get("partners", ""))]

    def themes():
        out["themes"] = clean_themes(_split(values.get("themes", "")))

    def source():
        out["source_url"] = clean_url(values.get("source_url", ""))

    for step in (party, text, visibility, status, instruments, budget, dates, organisations, themes, source):
        errors.extend(_problems(step))
    return out, errors


def _problems(step) -> list[str]:
    """What a check refused, as ``column: message``."""
    try:
        step()
    except ValidationError as exc:
        if hasattr(exc, "error_dict"):
            return [f"{column}: {m}" for column, messages in exc.message_dict.items() for m in messages]
        return list(exc.messages)
    return []


def check_rows(
    actor, dialogue: Dialogue, header: Sequence[str], rows: Sequence[Sequence[str]]
) -> list[ProgrammeRow]:
    """Check every row; line numbers are as the user sees them in the spreadsheet (the header is line 1)."""
    look = _Lookups(actor, dialogue)
    results = []
    seen: dict[tuple[str, str], int] = {}
    for line, row in enumerate(rows, start=2):
        values = dict(zip(header, row, strict=False))
        fields, errors = _row_fields(values, look)
        key = (values.get("party", "").upper(), values.get("title", "").strip().lower())
        if key in seen:
            errors.append(_("title: repeats line %(line)d.") % {"line": seen[key]})
        else:
            seen[key] = line
        results.append(ProgrammeRow(line=line, values=values, errors=errors, fields=fields))
    return results


# --- export ----------------------------------------------------------------------------------------------
def programme_row(programme: Programme) -> list[str]:
    """One programme as the import's columns, so an export can be imported again."""
    return [
        programme.title,
        programme.party.code if programme.party_id else "",
        programme.summary,
        programme.visibility,
        programme.status,
        programme.objectives,
        f"{LIST_SEPARATOR} ".join(programme.instruments),
        f"{LIST_SEPARATOR} ".join(programme.target_groups),
        programme.lead_agency.name if programme.lead_agency_id else "",
        f"{LIST_SEPARATOR} ".join(o.name for o in programme.partners.all()),
        "" if programme.budget_amount is None else str(programme.budget_amount),
        programme.budget_currency,
        programme.start_date.isoformat() if programme.start_date else "",
        programme.end_date.isoformat() if programme.end_date else "",
        f"{LIST_SEPARATOR} ".join(t.slug for t in programme.themes.all()),
        programme.source_url,
        programme.summary_by,
    ]


def export_csv(programmes: Iterable[Programme]) -> bytes:
    """The programmes as CSV (UTF-8 with a byte-order mark, which spreadsheets need to read Urdu), every
    cell through the formula guard."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(COLUMNS)
    for programme in programmes:
        writer.writerow([safe_cell(v) for v in programme_row(programme)])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def export_xlsx(programmes: Iterable[Programme]) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "programmes"
    sheet.append(list(COLUMNS))
    for programme in programmes:
        sheet.append([safe_cell(v) for v in programme_row(programme)])
    return _save(book)


def template_xlsx(dialogue: Dialogue) -> bytes:
    """The import template: the header row and an example row on the first sheet (delete the example
    before importing), and every valid value on a second sheet."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "programmes"
    sheet.append(list(COLUMNS))
    sheet.append([EXAMPLE[c] for c in COLUMNS])
    valid = book.create_sheet("valid values")
    lists = {
        "party": [p.code for p in dialogue.parties.all()],
        "visibility": list(Visibility.values),
        "status": list(ProgrammeStatus.values),
        "instruments": list(Instrument.values),
        "budget_currency": sorted(ISO_4217),
        "themes": list(Theme.objects.values_list("slug", flat=True)),
        "dates": ["YYYY-MM-DD"],
        "lists": [_("several values are separated by “;”")],
        "required": list(REQUIRED),
    }
    valid.append(list(lists))
    for i in range(max(len(v) for v in lists.values())):
        valid.append([v[i] if i < len(v) else "" for v in lists.values()])
    return _save(book)


def _save(book) -> bytes:
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
