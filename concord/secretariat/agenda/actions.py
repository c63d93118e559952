"""Writes that change an agenda after its items were added: edit an item, move it up or down, delete it.

Adding and scheduling items are in ``secretariat.actions``. Items of a closed or cancelled meeting are the
record of what was on the agenda and cannot change; an item with recorded outcomes cannot be deleted."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from concord.audit.log import delete_audited, record, snapshot
from concord.core.checks import check_choice, check_known_fields, require
from concord.core.text import clean_text

from .. import rules
from ..models import AgendaItem, ItemKind, MeetingState

ITEM_FIELDS = ["section", "order", "title", "kind", "presenter_name", "duration_minutes", "description"]
EDITABLE = {
    "section",
    "title",
    "kind",
    "presenter_name",
    "duration_minutes",
    "description",
    "documents",
    "commitments",
}


def _check_editable(actor, item: AgendaItem) -> None:
    meeting = item.meeting
    if meeting is None:
        allowed = rules.can_run_meetings(actor, item.dialogue_id) and rules.can_view(actor, item)
    else:
        allowed = rules.can_manage_meeting(actor, meeting)
    require(allowed, _("Only the secretariat changes the agenda."))
    if meeting is not None and meeting.state in (MeetingState.CLOSED, MeetingState.CANCELLED):
        raise ValidationError(_("A closed or cancelled meeting's agenda cannot change."))


def do_update_agenda_item(*, actor, item: AgendaItem, **fields) -> AgendaItem:
    """Change an item's title, section, kind, presenter, duration, description and links."""
    _check_editable(actor, item)
    check_known_fields(fields, EDITABLE, editable=True)
    before = snapshot(item, fields=ITEM_FIELDS)
    documents = fields.pop("documents", None)
    commitments = fields.pop("commitments", None)
    for name, value in fields.items():
        if name == "title":
            value = clean_text(value, max_length=300, field="title")
        elif name in ("section", "presenter_name"):
            value = clean_text(value or "", max_length=200, field=name, required=False)
        elif name == "description":
            value = clean_text(value or "", max_length=20000, field=name, multiline=True, required=False)
        elif name == "kind":
            check_choice(value, ItemKind.values, field="kind")
        elif name == "duration_minutes" and value is not None and not (0 < value <= 1440):
            raise ValidationError({"duration_minutes": _("Give the duration in minutes, from 1 to 1440.")})
        setattr(item, name, value)
    for obj in list(documents or []) + list(commitments or []):
        if obj.dialogue_id != item.dialogue_id or not rules.can_view(actor, obj):
            raise ValidationError(_("“%(obj)s” cannot be linked here.") % {"obj": obj})
    item.full_clean()
    with transaction.atomic():
        item.save()
        if documents is not None:
            item.documents.set(documents)
        if commitments is not None:
            item.commitments.set(commitments)
        record(
            actor=actor,
            action="agenda_item.update",
            obj=item,
            before=before,
            after=snapshot(item, fields=ITEM_FIELDS),
        )
    return item


def do_move_agenda_item(*, actor, item: AgendaItem, direction: str) -> AgendaItem:
    """Swap the item with its neighbour above (``up``) or below (``down``) on the meeting's agenda. The
    agenda is renumbered 10, 20, 30, ... so that orders stay distinct whatever they were before."""
    if item.meeting is None:
        raise ValidationError(_("Only an item on a meeting's agenda has a place to move."))
    _check_editable(actor, item)
    if direction not in ("up", "down"):
        raise ValidationError({"direction": _("Move an item “up” or “down”.")})
    items = list(item.meeting.agenda.order_by("order", "id"))
    at = next(i for i, other in enumerate(items) if other.pk == item.pk)
    to = at - 1 if direction == "up" else at + 1
    if not 0 <= to < len(items):
        if direction == "up":
            message = _("“%(item)s” is already first on the agenda.")
        else:
            message = _("“%(item)s” is already last on the agenda.")
        raise ValidationError({"direction": message % {"item": item.title}})
    items[at], items[to] = items[to], items[at]
    before = at + 1
    with transaction.atomic():
        for number, other in enumerate(items, start=1):
            if other.order != number * 10:
                other.order = number * 10
                other.save(update_fields=["order", "updated_at"])
        record(
            actor=actor,
            action="agenda_item.move",
            obj=item,
            before={"position": before},
            after={"position": to + 1},
        )
    item.refresh_from_db()
    return item


def do_delete_agenda_item(*, actor, item: AgendaItem) -> None:
    """Take an item off the agenda (or out of the backlog). An item with recorded outcomes is the record of
    a decision and stays; so does one that other items were carried over from."""
    _check_editable(actor, item)
    if item.outcomes.exists():
        raise ValidationError(
            _("“%(item)s” has recorded outcomes; it stays on the agenda as their record.")
            % {"item": item.title}
        )
    delete_audited(item, actor=actor, action="agenda_item.delete", fields=[*ITEM_FIELDS, "meeting"])
