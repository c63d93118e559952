"""Reading commitments from CSV or XLSX, with a per-row error report (openpyxl for XLSX), in the reader's
language (column names stay as written in the file).

``read_table`` turns a file into a header and rows; ``check_rows`` validates every row against what exists
already (codes, working groups, organisations, parties) and returns one ``RowResult`` per row. Nothing here
writes: the action imports the valid rows, all or nothing unless the user asked for a partial import.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

REQUIRED = ("code", "title")
OPTIONAL = (
    "title_ms",
    "description",
    "working_group",
    "start_date",
    "end_date",
    "parent",
    "weight",
    "joint",
    "party",
    "lead_agency_my",
    "lead_agency_pk",
    "completion",
    "ambition",
)
COLUMNS = REQUIRED + OPTIONAL
COMPLETION = ("not_started", "limited", "substantial", "complete", "withdrawn")
AMBITION = ("", "unclear", "modest", "substantial")
MAX_ROWS = 5000


class TableError(ValueError):
    """The file as a whole cannot be read (format, header)."""


@dataclass
class RowResult:
    line: int  # as the user sees it in the spreadsheet (the header is line 1)
    values: dict[str, str]
    errors: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def read_table(
    data: bytes,
    filename: str,
    *,
    required: Sequence[str] = REQUIRED,
    columns: Sequence[str] = COLUMNS,
) -> tuple[list[str], list[list[str]]]:
    """The header (lower-cased) and the rows of a CSV or XLSX file whose columns are ``columns``, of which
    ``required`` must be present (commitments' by default; the programme registry passes its own). Raises
    ``TableError``."""
    name = filename.lower()
    if name.endswith(".xlsx"):
        from openpyxl import load_workbook

        try:
            book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        except Exception as exc:
            raise TableError(
                _("This is not a readable XLSX workbook (%(error)s).") % {"error": type(exc).__name__}
            ) from exc
        sheet = book.worksheets[0]
        rows = [[_cell(c) for c in row] for row in sheet.iter_rows(values_only=True)]
        book.close()
    elif name.endswith(".csv"):
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise TableError(_("The CSV file is not UTF-8 text.")) from exc
        rows = [[c.strip() for c in row] for row in csv.reader(io.StringIO(text))]
    else:
        raise TableError(_("Upload a .csv or .xlsx file."))
    rows = [r for r in rows if any(c for c in r)]
    if not rows:
        raise TableError(_("The file is empty."))
    header = [h.strip().lower().replace(" ", "_") for h in rows[0]]
    while header and header[-1] == "":
        header.pop()
    unknown = [h for h in header if h not in columns]
    missing = [c for c in required if c not in header]
    duplicated = sorted({h for h in header if header.count(h) > 1})
    problems = []
    if missing:
        problems.append(_("missing column(s): %(columns)s") % {"columns": ", ".join(missing)})
    if unknown:
        problems.append(_("unknown column(s): %(columns)s") % {"columns": ", ".join(unknown)})
    if duplicated:
        problems.append(_("repeated column(s): %(columns)s") % {"columns": ", ".join(duplicated)})
    if problems:
        raise TableError(
            _("Wrong columns — %(problems)s. Expected columns: %(columns)s.")
            % {"problems": "; ".join(problems), "columns": ", ".join(columns)}
        )
    if len(rows) - 1 > MAX_ROWS:
        raise TableError(_("At most %(n)d rows can be imported at once.") % {"n": MAX_ROWS})
    return header, [r[: len(header)] + [""] * (len(header) - len(r)) for r in rows[1:]]


def iso_date(value: str) -> dt.date:
    """A date written in full as YYYY-MM-DD; ValueError for anything else (2024-1-1 included)."""
    if len(value) != 10:
        raise ValueError(value)
    return dt.date.fromisoformat(value)


def _date(value: str, column: str, errors: list[str]) -> dt.date | None:
    if not value:
        return None
    try:
        return iso_date(value)
    except ValueError:
        errors.append(
            _("%(column)s: “%(value)s” is not a date; write it as YYYY-MM-DD.")
            % {"column": column, "value": value}
        )
        return None


@dataclass(frozen=True)
class Context:
    """What exists already, for validation."""

    existing_codes: frozenset[str]
    working_groups: Mapping[str, str]  # see group_keys: code or name in any language, folded -> code
    organizations: Mapping[str, str]  # lower-cased name or short name -> party code of the organisation
    parties: frozenset[str]


def template_rows(example_group: str = "") -> list[list[str]]:
    """The header and one example row of the import template (the example is to be replaced)."""
    example = {
        "code": "EXAMPLE-1",
        "title": "Replace this example: adopt a joint data-breach notification procedure",
        "title_ms": "Gantikan contoh ini: menerima pakai prosedur bersama pemberitahuan pelanggaran data",
        "description": "One commitment per row. Dates are written YYYY-MM-DD.",
        "working_group": example_group,
        "start_date": "2027-01-15",
        "end_date": "2027-12-31",
        "weight": "1",
        "joint": "yes",
        "completion": "not_started",
        "ambition": "modest",
    }
    return [list(COLUMNS), [example.get(c, "") for c in COLUMNS]]


def fold(text: str) -> str:
    """How a working group's code or name is compared: case, spacing and the hyphens of a code ignored."""
    return " ".join(text.casefold().replace("-", " ").replace("_", " ").split())


def group_keys(groups: Sequence[tuple[str, Sequence[str]]]) -> dict[str, str]:
    """Folded code and names (English, Malay, Urdu) of each working group -> its code. A name two groups
    share is left out (it would be ambiguous); a code always wins over another group's name."""
    keys: dict[str, str] = {}
    shared: set[str] = set()
    for code, names in groups:
        for name in names:
            key = fold(name)
            if not key:
                continue
            if key in keys and keys[key] != code:
                shared.add(key)
            keys[key] = code
    for key in shared:
        del keys[key]
    for code, _names in groups:
        keys[fold(code)] = code
    return keys


def _check_fields(
    values: dict[str, str], code: str, seen: Mapping[str, int], ctx: Context, errors: list[str]
) -> None:
    """Every column of one row but its code and title: dates in order, a known working group (its code
    written into ``values``), a parent that exists or came earlier, and the allowed values."""
    start = _date(values.get("start_date", ""), "start_date", errors)
    end = _date(values.get("end_date", ""), "end_date", errors)
    if start and end and end < start:
        errors.append(_("end_date: comes before start_date."))
    wg = values.get("working_group", "")
    if wg:
        found = ctx.working_groups.get(fold(wg))
        codes = ", ".join(sorted(set(ctx.working_groups.values()))) or _("none yet")
        if found is None:
            errors.append(
                _(
                    "working_group: no working group “%(group)s”; give its code or its name in English, "
                    "Malay or Urdu (codes: %(codes)s)."
                )
                % {"group": wg, "codes": codes}
            )
        else:
            values["working_group"] = found
    parent = values.get("parent", "")
    if parent and parent not in ctx.existing_codes and parent not in seen:
        errors.append(
            _("parent: no commitment “%(parent)s” (a parent must exist or come on an earlier line).")
            % {"parent": parent}
        )
    if parent and parent == code:
        errors.append(_("parent: a commitment cannot be its own parent."))
    weight = values.get("weight", "")
    if weight and not (weight.isdigit() and 1 <= int(weight) <= 1000):
        errors.append(_("weight: “%(value)s” is not a whole number from 1 to 1000.") % {"value": weight})
    joint = values.get("joint", "").lower()
    if joint not in ("", "yes", "no", "true", "false", "1", "0"):
        errors.append(_("joint: “%(value)s” is not yes or no.") % {"value": values["joint"]})
    party = values.get("party", "").upper()
    if party and party not in ctx.parties:
        errors.append(_("party: “%(party)s” does not take part in this dialogue.") % {"party": party})
    for column in ("lead_agency_my", "lead_agency_pk"):
        org = values.get(column, "")
        if org and org.lower() not in ctx.organizations:
            errors.append(_("%(column)s: no organisation “%(name)s”.") % {"column": column, "name": org})
    if values.get("completion", "") not in ("", *COMPLETION):
        errors.append(
            _("completion: “%(value)s” is not one of %(choices)s.")
            % {"value": values["completion"], "choices": ", ".join(COMPLETION)}
        )
    if values.get("ambition", "") not in AMBITION:
        errors.append(
            _("ambition: “%(value)s” is not one of unclear, modest, substantial.")
            % {"value": values["ambition"]}
        )


def check_rows(header: Sequence[str], rows: Sequence[Sequence[str]], ctx: Context) -> list[RowResult]:
    """Validate every row; codes must be new and unique in the file, parents must exist or come earlier."""
    results: list[RowResult] = []
    seen: dict[str, int] = {}
    for i, row in enumerate(rows, start=2):
        values = dict(zip(header, row, strict=False))
        errors: list[str] = []
        code = values.get("code", "")
        if not code:
            errors.append(_("code: required."))
        elif len(code) > 40:
            errors.append(_("code: at most 40 characters."))
        elif code in ctx.existing_codes:
            errors.append(_("code: “%(code)s” already exists.") % {"code": code})
        elif code in seen:
            errors.append(
                _("code: “%(code)s” is repeated (first on line %(line)d).")
                % {"code": code, "line": seen[code]}
            )
        else:
            seen[code] = i
        title = values.get("title", "")
        if not title:
            errors.append(_("title: required."))
        elif len(title) > 300:
            errors.append(_("title: at most 300 characters."))
        _check_fields(values, code, seen, ctx, errors)
        results.append(RowResult(line=i, values=values, errors=errors))
    # A row whose parent row failed cannot be imported either.
    good = {r.values.get("code") for r in results if r.ok}
    failed = {r.values.get("code") for r in results if not r.ok} - good
    for r in results:
        parent = r.values.get("parent", "")
        if r.ok and parent and parent in failed and parent not in ctx.existing_codes:
            r.errors.append(_("parent: “%(parent)s” has errors of its own.") % {"parent": parent})
    return results
