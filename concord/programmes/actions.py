"""Writes in the registry of national programmes: programmes, indicators and their values, lessons and
evaluations with their files, and imports.

Each ``do_<verb>`` checks permission, checks every input before writing, and writes in one transaction with
an audit entry. There is no switch that skips the permission check: the demo loader acts as a user with
the right role.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.translation import gettext as _

from concord.accounts.models import Dialogue, Organization, Party
from concord.audit.log import delete_audited, record, save_audited, snapshot
from concord.core.checks import check_known_fields, require
from concord.core.models import Visibility
from concord.directory.cleaning import clean_list, clean_themes
from concord.library import rules as library_rules
from concord.library.models import PolicyDocument, Theme

from . import rules
from .cleaning import (
    check_attachment,
    clean_budget,
    clean_dates,
    clean_decimal,
    clean_instruments,
    clean_name,
    clean_prose,
    clean_status,
    clean_url,
    clean_visibility,
)
from .models import (
    Indicator,
    IndicatorValue,
    Lesson,
    LessonFile,
    LessonKind,
    Programme,
    ProgrammeStatus,
)

PROGRAMME_FIELDS = [
    "title",
    "summary",
    "objectives",
    "instruments",
    "target_groups",
    "lead_agency",
    "budget_amount",
    "budget_currency",
    "start_date",
    "end_date",
    "status",
    "source_url",
    "summary_by",
    "visibility",
    "party",
]
PROGRAMME_RELATED = {"themes": "slug", "partners": "pk", "documents": "pk"}
EDITABLE = frozenset(PROGRAMME_FIELDS) | set(PROGRAMME_RELATED)
INDICATOR_FIELDS = ["name", "unit", "baseline_value", "baseline_date", "target_value", "target_date"]
VALUE_FIELDS = ["date", "value", "source", "source_url"]
LESSON_FIELDS = ["kind", "title", "what_worked", "what_did_not", "do_differently", "date"]


def _programme_snapshot(programme: Programme) -> dict[str, Any] | None:
    return snapshot(programme, fields=PROGRAMME_FIELDS, related=PROGRAMME_RELATED)


def _documents(actor, documents: Iterable[PolicyDocument]) -> list[PolicyDocument]:
    """The library documents a programme implements: only ones the actor may see (an unseen one is
    refused as if it did not exist)."""
    out = []
    for doc in documents:
        if not library_rules.can_view(actor, doc):
            raise ValidationError({"documents": _("No document with id %(id)s.") % {"id": doc.pk}})
        if doc not in out:
            out.append(doc)
    return out


def _apply(actor, programme: Programme, fields: dict[str, Any]) -> dict[str, list]:
    """Set ``fields`` on ``programme`` after checking each; returns the many-to-many values to save."""
    check_known_fields(fields, EDITABLE)
    if "title" in fields:
        programme.title = clean_name(fields["title"], field="title", max_length=300)
    if "summary" in fields:
        programme.summary = clean_text_block(
            fields["summary"], field="summary", max_length=4000, required=True
        )
    if "objectives" in fields:
        programme.objectives = clean_prose(fields["objectives"], field="objectives")
    if "instruments" in fields:
        programme.instruments = clean_instruments(fields["instruments"])
    if "target_groups" in fields:
        programme.target_groups = clean_list(fields["target_groups"] or [], field="target_groups")
    if "lead_agency" in fields:
        programme.lead_agency = fields["lead_agency"]
    if "budget_amount" in fields or "budget_currency" in fields:
        programme.budget_amount, programme.budget_currency = clean_budget(
            fields.get("budget_amount", programme.budget_amount),
            fields.get("budget_currency", programme.budget_currency),
        )
    for name in ("start_date", "end_date"):
        if name in fields:
            if fields[name] is not None and not isinstance(fields[name], dt.date):
                raise ValidationError({name: _("Give a date.")})
            setattr(programme, name, fields[name])
    clean_dates(programme.start_date, programme.end_date)
    if "status" in fields:
        programme.status = clean_status(fields["status"])
    if "source_url" in fields:
        programme.source_url = clean_url(fields["source_url"])
    if "summary_by" in fields:
        programme.summary_by = clean_name(
            fields["summary_by"], field="summary_by", max_length=200, required=False
        )
    m2m: dict[str, list] = {}
    if "partners" in fields:
        m2m["partners"] = list(dict.fromkeys(fields["partners"] or []))
    if "themes" in fields:
        slugs = clean_themes(list(fields["themes"] or []))
        by_slug = {t.slug: t for t in Theme.objects.filter(slug__in=slugs)}
        m2m["themes"] = [by_slug[s] for s in slugs]
    if "documents" in fields:
        m2m["documents"] = _documents(actor, fields["documents"] or [])
    return m2m


def clean_text_block(value, *, field: str, max_length: int, required: bool = False) -> str:
    from concord.core.text import clean_text

    return clean_text(value or "", max_length=max_length, field=field, multiline=True, required=required)


def _save_m2m(programme: Programme, m2m: dict[str, list]) -> None:
    for name, values in m2m.items():
        getattr(programme, name).set(values)


# --- programmes ------------------------------------------------------------------------------------------
def do_create_programme(
    *,
    actor,
    dialogue: Dialogue,
    party: Party | None,
    title: str,
    summary: str,
    visibility: str = Visibility.DIALOGUE,
    **fields: Any,
) -> Programme:
    """Record a programme of ``party``. The other fields are those of :data:`EDITABLE`."""
    clean_visibility(visibility, party, dialogue)
    assert party is not None  # clean_visibility refused a missing party
    require(
        rules.can_create_programme(actor, dialogue.pk, visibility, party.pk),
        _("Only the party's delegates and analysts, and the secretariat, record its programmes."),
    )
    programme = Programme(dialogue=dialogue, party=party, visibility=visibility, created_by=actor)
    m2m = _apply(actor, programme, {"title": title, "summary": summary, **fields})
    programme.full_clean()
    with transaction.atomic():
        programme.save()
        _save_m2m(programme, m2m)
        record(actor=actor, action="programme.create", obj=programme, after=_programme_snapshot(programme))
    return programme


def do_update_programme(*, actor, programme: Programme, **fields: Any) -> Programme:
    require(rules.can_edit_programme(actor, programme), _("You may not edit this programme."))
    before = _programme_snapshot(programme)
    if "visibility" in fields or "party" in fields:
        visibility = fields.pop("visibility", programme.visibility)
        party = fields.pop("party", programme.party)
        clean_visibility(visibility, party, programme.dialogue)
        require(
            rules.can_create_programme(actor, programme.dialogue_id, visibility, party.pk if party else None),
            _("You may not record programmes of that party or with that visibility."),
        )
        programme.visibility, programme.party = visibility, party
    m2m = _apply(actor, programme, fields)
    programme.full_clean()
    with transaction.atomic():
        programme.save()
        _save_m2m(programme, m2m)
        record(
            actor=actor,
            action="programme.update",
            obj=programme,
            before=before,
            after=_programme_snapshot(programme),
        )
    return programme


def do_delete_programme(*, actor, programme: Programme) -> None:
    """Delete a programme with its indicators and lessons (their stored files stay on disk)."""
    require(rules.can_delete_programme(actor, programme), _("You may not delete this programme."))
    with transaction.atomic():
        record(actor=actor, action="programme.delete", obj=programme, before=_programme_snapshot(programme))
        programme.delete()


# --- indicators and values -------------------------------------------------------------------------------
def _indicator_fields(indicator: Indicator, fields: dict[str, Any]) -> None:
    check_known_fields(fields, INDICATOR_FIELDS)
    if "name" in fields:
        indicator.name = clean_name(fields["name"], field="name", max_length=200)
    if "unit" in fields:
        if not (fields["unit"] or "").strip():
            raise ValidationError({"unit": _("Give the indicator's unit (such as “%”, “people” or “MYR”).")})
        indicator.unit = clean_name(fields["unit"], field="unit", max_length=60)
    for name in ("baseline_value", "target_value"):
        if name in fields:
            setattr(indicator, name, clean_decimal(fields[name], field=name))
    for name in ("baseline_date", "target_date"):
        if name in fields:
            if fields[name] is not None and not isinstance(fields[name], dt.date):
                raise ValidationError({name: _("Give a date.")})
            setattr(indicator, name, fields[name])
    for kind in ("baseline", "target"):
        if getattr(indicator, f"{kind}_date") and getattr(indicator, f"{kind}_value") is None:
            raise ValidationError({f"{kind}_value": _("A date was given without a value.")})


def _require_indicators(actor, programme: Programme) -> None:
    require(rules.can_manage_details(actor, programme), _("You may not change this programme's indicators."))


def do_add_indicator(*, actor, programme: Programme, name: str, unit: str, **fields: Any) -> Indicator:
    _require_indicators(actor, programme)
    indicator = Indicator(programme=programme, created_by=actor)
    _indicator_fields(indicator, {"name": name, "unit": unit, **fields})
    indicator.full_clean()
    return save_audited(indicator, actor=actor, action="programme.indicator.create", fields=INDICATOR_FIELDS)


def do_update_indicator(*, actor, indicator: Indicator, **fields: Any) -> Indicator:
    _require_indicators(actor, indicator.programme)
    before = snapshot(indicator, fields=INDICATOR_FIELDS)
    _indicator_fields(indicator, fields)
    indicator.full_clean()
    return save_audited(
        indicator, actor=actor, action="programme.indicator.update", fields=INDICATOR_FIELDS, before=before
    )


def do_delete_indicator(*, actor, indicator: Indicator) -> None:
    _require_indicators(actor, indicator.programme)
    delete_audited(indicator, actor=actor, action="programme.indicator.delete", fields=INDICATOR_FIELDS)


def _value_fields(entry: IndicatorValue, fields: dict[str, Any]) -> None:
    check_known_fields(fields, VALUE_FIELDS)
    if "date" in fields:
        if not isinstance(fields["date"], dt.date):
            raise ValidationError({"date": _("A value needs the date it was measured on.")})
        entry.date = fields["date"]
    if "value" in fields:
        entry.value = clean_decimal(fields["value"], field="value", required=True)  # type: ignore[assignment]
    if "source" in fields:
        entry.source = clean_name(fields["source"], field="source", max_length=500, required=False)
    if "source_url" in fields:
        entry.source_url = clean_url(fields["source_url"])
    duplicate = IndicatorValue.objects.filter(indicator_id=entry.indicator_id, date=entry.date).exclude(
        pk=entry.pk
    )
    if duplicate.exists():
        raise ValidationError(
            {"date": _("This indicator has a value on that date already; edit it instead.")}
        )


def do_record_value(
    *,
    actor,
    indicator: Indicator,
    date: dt.date | None,
    value: Decimal | str | float | None,
    source: str = "",
    source_url: str = "",
) -> IndicatorValue:
    """Record what the indicator measured on ``date``, with where the figure comes from."""
    _require_indicators(actor, indicator.programme)
    entry = IndicatorValue(indicator=indicator, created_by=actor)
    _value_fields(entry, {"date": date, "value": value, "source": source, "source_url": source_url})
    entry.full_clean()
    return save_audited(entry, actor=actor, action="programme.value.create", fields=VALUE_FIELDS)


def do_update_value(*, actor, entry: IndicatorValue, **fields: Any) -> IndicatorValue:
    _require_indicators(actor, entry.indicator.programme)
    before = snapshot(entry, fields=VALUE_FIELDS)
    _value_fields(entry, fields)
    entry.full_clean()
    return save_audited(
        entry, actor=actor, action="programme.value.update", fields=VALUE_FIELDS, before=before
    )


def do_delete_value(*, actor, entry: IndicatorValue) -> None:
    _require_indicators(actor, entry.indicator.programme)
    delete_audited(entry, actor=actor, action="programme.value.delete", fields=VALUE_FIELDS)


# --- lessons and evaluations -----------------------------------------------------------------------------
def _lesson_fields(lesson: Lesson, fields: dict[str, Any]) -> None:
    check_known_fields(fields, LESSON_FIELDS)
    if "kind" in fields:
        if fields["kind"] not in LessonKind.values:
            raise ValidationError({"kind": _("Unknown kind “%(value)s”.") % {"value": fields["kind"]}})
        lesson.kind = fields["kind"]
    if "title" in fields:
        lesson.title = clean_name(fields["title"], field="title", max_length=300)
    for name in ("what_worked", "what_did_not", "do_differently"):
        if name in fields:
            setattr(lesson, name, clean_prose(fields[name], field=name))
    if "date" in fields:
        if not isinstance(fields["date"], dt.date):
            raise ValidationError({"date": _("Give the date of the lesson or evaluation.")})
        lesson.date = fields["date"]
    if not (lesson.what_worked or lesson.what_did_not or lesson.do_differently):
        raise ValidationError(
            _("Say what worked, what did not, or what you would do differently: a lesson needs one of them.")
        )


def _checked_files(files: Sequence) -> list[tuple[bytes, str, str]]:
    if len(files) > 10:
        raise ValidationError({"files": _("At most 10 files at a time, please.")})
    return [check_attachment(f) for f in files]


def _attach(lesson: Lesson, checked: list[tuple[bytes, str, str]]) -> list[str]:
    names = []
    for data, name, media_type in checked:
        item = LessonFile(lesson=lesson, name=name, media_type=media_type, size=len(data))
        item.file.save(_stored_name(name), ContentFile(data), save=False)
        item.save()
        names.append(name)
    return names


def _stored_name(name: str) -> str:
    from concord.library.uploads import _safe_filename

    return _safe_filename(name)


def do_add_lesson(
    *,
    actor,
    programme: Programme,
    title: str,
    date: dt.date | None,
    kind: str = LessonKind.LESSON,
    what_worked: str = "",
    what_did_not: str = "",
    do_differently: str = "",
    files: Sequence = (),
) -> Lesson:
    """Record a lesson learned or an evaluation, with documents or images (each checked by its content
    before anything is stored)."""
    require(rules.can_manage_details(actor, programme), _("You may not add lessons to this programme."))
    lesson = Lesson(programme=programme, author=actor)
    _lesson_fields(
        lesson,
        {
            "kind": kind,
            "title": title,
            "date": date,
            "what_worked": what_worked,
            "what_did_not": what_did_not,
            "do_differently": do_differently,
        },
    )
    lesson.full_clean()
    checked = _checked_files(files)
    with transaction.atomic():
        lesson.save()
        names = _attach(lesson, checked)
        record(
            actor=actor,
            action="programme.lesson.create",
            obj=lesson,
            after={**(snapshot(lesson, fields=LESSON_FIELDS) or {}), "files": names},
        )
    return lesson


def do_update_lesson(*, actor, lesson: Lesson, files: Sequence = (), **fields: Any) -> Lesson:
    """Change a lesson; ``files`` are added to those it has."""
    require(rules.can_manage_details(actor, lesson.programme), _("You may not edit this lesson."))
    before = snapshot(lesson, fields=LESSON_FIELDS)
    _lesson_fields(lesson, fields)
    lesson.full_clean()
    checked = _checked_files(files)
    with transaction.atomic():
        lesson.save()
        names = _attach(lesson, checked)
        record(
            actor=actor,
            action="programme.lesson.update",
            obj=lesson,
            before=before,
            after={**(snapshot(lesson, fields=LESSON_FIELDS) or {}), "files_added": names},
        )
    return lesson


def do_delete_lesson(*, actor, lesson: Lesson) -> None:
    """Delete a lesson. Its files' originals stay in storage (only the rows go)."""
    require(rules.can_manage_details(actor, lesson.programme), _("You may not delete this lesson."))
    with transaction.atomic():
        record(
            actor=actor,
            action="programme.lesson.delete",
            obj=lesson,
            before={
                **(snapshot(lesson, fields=LESSON_FIELDS) or {}),
                "files": [f.file.name for f in lesson.files.all()],
            },
        )
        lesson.delete()


# --- import ----------------------------------------------------------------------------------------------
def do_import_programmes(*, actor, dialogue: Dialogue, data: bytes, filename: str):
    """Import programmes from a CSV or XLSX file, all or nothing: if any row has an error, nothing is
    written and the report names each row and column at fault."""
    from .importing import ImportReport, check_rows, read_programme_table

    require(rules.can_import(actor, dialogue.pk), _("You may not import programmes here."))
    report = ImportReport()
    table = read_programme_table(data, filename)
    if table.error:
        report.error = table.error
        return report
    report.rows = check_rows(actor, dialogue, table.header, table.rows)
    if report.failed:
        return report
    with transaction.atomic():
        for row in report.rows:
            try:
                programme = do_create_programme(actor=actor, dialogue=dialogue, **row.fields)
            except (ValidationError, PermissionDenied) as exc:  # checked above; kept as a last guard
                row.errors.append("; ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc))
                transaction.set_rollback(True)
                report.imported = []
                return report
            report.imported.append(programme)
        record(
            actor=actor,
            action="programme.import",
            obj=None,
            object_type="programmes.programme",
            dialogue_id=dialogue.pk,
            about=report.imported[0] if len(report.imported) == 1 else None,
            after={"file": filename, "imported": len(report.imported)},
        )
    return report


__all__ = [
    "Organization",
    "ProgrammeStatus",
    "do_add_indicator",
    "do_add_lesson",
    "do_create_programme",
    "do_delete_indicator",
    "do_delete_lesson",
    "do_delete_programme",
    "do_delete_value",
    "do_import_programmes",
    "do_record_value",
    "do_update_indicator",
    "do_update_lesson",
    "do_update_programme",
    "do_update_value",
]
