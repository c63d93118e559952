"""Writes for minutes: per-language text, draft → circulated → adopted, amendments; adopted minutes lock."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from concord.audit.log import acting_user, record, save_audited
from concord.core.checks import check_choice, require
from concord.core.text import clean_text
from concord.notices import hooks as notices
from concord.secretariat.models import Meeting

from . import rules
from .models import Amendment, AmendmentState, Minutes, MinutesState, MinutesVersion


# --- minutes ----------------------------------------------------------------------------------------------
def _freeze(actor, minutes: Minutes) -> None:
    """Keep a copy of ``minutes`` as they stand, under their version number."""
    MinutesVersion.objects.create(
        minutes=minutes,
        version=minutes.version,
        state=minutes.state,
        body=minutes.body,
        created_by=acting_user(actor),
    )


def _save_next_version(actor, minutes: Minutes) -> None:
    """Save the changed ``minutes`` as their next version and keep a copy of it (call inside the write's
    transaction)."""
    minutes.version += 1
    minutes.save()
    _freeze(actor, minutes)


def do_save_minutes(*, actor, meeting: Meeting, language: str, body: str) -> Minutes:
    """Write (or rewrite) the minutes of ``meeting`` in ``language``; adopted minutes are locked."""
    require(rules.can_keep_minutes(actor, meeting), _("Only the secretariat keeps the minutes."))
    if language not in ("en", "ms", "ur"):
        raise ValidationError({"language": _("Minutes are kept in English, Malay or Urdu.")})
    body = clean_text(body, max_length=100000, field="body", multiline=True)
    with transaction.atomic():
        minutes = Minutes.objects.select_for_update().filter(meeting=meeting, language=language).first()
        if minutes is None:
            minutes = Minutes.objects.create(meeting=meeting, language=language, body=body)
            _freeze(actor, minutes)
            record(
                actor=actor,
                action="minutes.create",
                obj=minutes,
                dialogue_id=meeting.dialogue_id,
                after={"language": language, "version": 1},
            )
            return minutes
        if minutes.is_locked:
            raise ValidationError(_("These minutes were adopted and are locked; they cannot be changed."))
        before = {"version": minutes.version, "body": minutes.body}
        minutes.body = body
        _save_next_version(actor, minutes)
        record(
            actor=actor,
            action="minutes.update",
            obj=minutes,
            dialogue_id=meeting.dialogue_id,
            before=before,
            after={"version": minutes.version, "body": body},
        )
    return minutes


MINUTES_TRANSITIONS = {
    MinutesState.DRAFT: (MinutesState.CIRCULATED,),
    MinutesState.CIRCULATED: (MinutesState.ADOPTED, MinutesState.DRAFT),
    MinutesState.ADOPTED: (),
}


def do_transition_minutes(*, actor, minutes: Minutes, to: str) -> Minutes:
    require(rules.can_keep_minutes(actor, minutes.meeting), _("Only the secretariat keeps the minutes."))
    check_choice(to, MinutesState.values, field="state")
    if to not in MINUTES_TRANSITIONS[minutes.state]:
        raise ValidationError(
            {
                "state": _("Minutes that are “%(from)s” cannot become “%(to)s”.")
                % {"from": minutes.get_state_display(), "to": MinutesState(to).label}
            }
        )
    if to == MinutesState.ADOPTED and (refusal := rules.minutes_adoption_refusal(minutes)):
        raise ValidationError({"state": refusal})
    if to == MinutesState.ADOPTED and minutes.amendments.filter(state=AmendmentState.PROPOSED).exists():
        raise ValidationError(_("Decide every proposed amendment before adopting the minutes."))
    before = minutes.state
    with transaction.atomic():
        minutes.state = to
        if to == MinutesState.ADOPTED:
            minutes.adopted_at = timezone.now()
        _save_next_version(actor, minutes)
        record(
            actor=actor,
            action="minutes.transition",
            obj=minutes,
            dialogue_id=minutes.meeting.dialogue_id,
            before={"state": before},
            after={"state": to, "version": minutes.version},
        )
        notices.minutes_moved(minutes)
    return minutes


def do_propose_amendment(
    *, actor, minutes: Minutes, replacement: str, original: str = "", rationale: str = ""
) -> Amendment:
    if minutes.state != MinutesState.CIRCULATED:
        raise ValidationError(_("Amendments are proposed while the minutes are circulated."))
    require(rules.can_propose_amendment(actor, minutes), _("Only those who attended can propose amendments."))
    original = clean_text(original, max_length=5000, field="original", multiline=True, required=False)
    if original and original not in minutes.body:
        raise ValidationError({"original": _("The text to replace does not appear in the minutes.")})
    amendment = Amendment(
        minutes=minutes,
        proposed_by=actor,
        original=original,
        replacement=clean_text(replacement, max_length=5000, field="replacement", multiline=True),
        rationale=clean_text(rationale, max_length=2000, field="rationale", multiline=True, required=False),
    )
    return save_audited(
        amendment,
        actor=actor,
        action="minutes.amendment.propose",
        fields=["original", "replacement"],
        dialogue_id=minutes.meeting.dialogue_id,
    )


def do_decide_amendment(*, actor, amendment: Amendment, accept: bool) -> Amendment:
    minutes = amendment.minutes
    require(rules.can_decide_amendment(actor, amendment), _("Only the secretariat decides amendments."))
    if amendment.state != AmendmentState.PROPOSED:
        raise ValidationError(_("This amendment was decided already."))
    if minutes.is_locked:
        raise ValidationError(_("These minutes were adopted and are locked; they cannot be changed."))
    with transaction.atomic():
        amendment.state = AmendmentState.ACCEPTED if accept else AmendmentState.REJECTED
        amendment.decided_by = actor
        amendment.save(update_fields=["state", "decided_by"])
        if accept:
            if amendment.original and amendment.original in minutes.body:
                minutes.body = minutes.body.replace(amendment.original, amendment.replacement, 1)
            else:
                minutes.body = f"{minutes.body.rstrip()}\n\n{amendment.replacement}"
            _save_next_version(actor, minutes)
        record(
            actor=actor,
            action="minutes.amendment.decide",
            obj=amendment,
            dialogue_id=minutes.meeting.dialogue_id,
            after={"state": amendment.state, "version": minutes.version},
        )
    return amendment
