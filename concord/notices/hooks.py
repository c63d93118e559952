"""The notices the apps send, one function per occasion, each called once at the end of an app's action.

Each function names the candidates (participants, a delegation, an organisation's representatives) and the
app's own rule for opening the page; ``do_notify`` keeps only those the rule allows.
"""

from __future__ import annotations

from django.utils import timezone

from concord.accounts.models import Membership, Role, User

from .actions import do_notify
from .kinds import Kind


def _members(dialogue_id: int, *roles: str, party_ids=None, organization_id=None) -> list[User]:
    qs = Membership.objects.active().filter(dialogue_id=dialogue_id, user__is_active=True)
    if roles:
        qs = qs.filter(role__in=roles)
    if party_ids is not None:
        qs = qs.filter(party_id__in=party_ids)
    if organization_id is not None:
        qs = qs.filter(organization_id=organization_id)
    return list({m.user_id: m.user for m in qs.select_related("user")}.values())


def _when(value, zone: str = "") -> dict[str, str]:
    return {"when_iso": value.isoformat() if value else "", "zone": zone or ""}


# --- secretariat -------------------------------------------------------------------------------------------
def _to_participants(meeting, *, kind: str, about, key: str, params: dict, may_view=None) -> None:
    """A notice about ``meeting`` (or one of its records) to its participants who may still see it."""
    from concord.secretariat import rules

    do_notify(
        kind=kind,
        recipients=[p.user for p in meeting.participants.select_related("user")],
        url=about.get_absolute_url(),
        params={"title": meeting.title, **params},
        may_view=may_view or (lambda u: rules.can_view(u, meeting)),
        about=about,
        key=key,
    )


def meeting_invitation(meeting, user) -> None:
    from concord.secretariat import rules

    do_notify(
        kind=Kind.INVITATION,
        recipients=[user],
        url=meeting.get_absolute_url(),
        params={"title": meeting.title, **_when(meeting.starts_at, meeting.time_zone)},
        may_view=lambda u: rules.can_view(u, meeting),
        about=meeting,
        key=f"invitation:{meeting.pk}",
    )


def agenda_changed(item) -> None:
    from concord.secretariat import rules

    meeting = item.meeting
    if meeting is None:
        return
    _to_participants(
        meeting,
        kind=Kind.AGENDA_CHANGED,
        about=item,
        key=f"agenda:{item.pk}",
        params={"item": item.title},
        may_view=lambda u: rules.can_view(u, meeting) and rules.can_view(u, item),
    )


def meeting_moved(meeting) -> None:
    """Its time, zone or venue changed: the participants hear where and when it now is."""
    _to_participants(
        meeting,
        kind=Kind.MEETING_RESCHEDULED,
        about=meeting,
        key=f"moved:{meeting.pk}:{meeting.sequence}",
        params={
            "venue": meeting.venue or str(meeting.get_mode_display()),
            **_when(meeting.starts_at, meeting.time_zone),
        },
    )


def meeting_cancelled(meeting) -> None:
    _to_participants(
        meeting,
        kind=Kind.MEETING_CANCELLED,
        about=meeting,
        key=f"cancelled:{meeting.pk}",
        params={"reason": meeting.cancellation_reason},
    )


def minutes_moved(minutes) -> None:
    """Circulated for comment, or adopted: the meeting's participants hear of it."""
    from concord.minutes import rules
    from concord.minutes.models import MinutesState

    kind = {MinutesState.CIRCULATED: Kind.MINUTES_CIRCULATED, MinutesState.ADOPTED: Kind.MINUTES_ADOPTED}.get(
        minutes.state
    )
    if kind is None:
        return
    _to_participants(
        minutes.meeting,
        kind=kind,
        may_view=lambda u: rules.can_view(u, minutes),
        about=minutes,
        key=f"minutes:{minutes.pk}:{minutes.state}",
        params={"language": minutes.language},
    )


def progress_to_verify(update) -> None:
    from concord.commitments import rules

    commitment = update.commitment
    people = _members(commitment.dialogue_id, Role.SECRETARIAT, Role.DELEGATE)
    do_notify(
        kind=Kind.PROGRESS_TO_VERIFY,
        recipients=people,
        url=commitment.get_absolute_url(),
        params={"title": str(commitment), "percent": update.percent},
        may_view=lambda u: rules.can_verify(u, update),
        about=update,
        key=f"verify:{update.pk}",
    )


def due_reminder(reminder) -> bool:
    """A due-date or overdue reminder (see ``secretariat.reminders``) as a notice; False when nobody may
    receive it. Its key is the reminder's, so a reminder is never sent twice."""
    from concord.commitments.models import Commitment, Milestone
    from concord.secretariat import rules
    from concord.secretariat.models import Outcome

    item = reminder.due
    if item.kind == "commitment":
        about = Commitment.objects.filter(pk=item.id).first()
        content = about
    elif item.kind == "milestone":
        about = Milestone.objects.select_related("commitment").filter(pk=item.id).first()
        content = about.commitment if about else None
    else:
        about = Outcome.objects.select_related("agenda_item").filter(pk=item.id).first()
        content = about.agenda_item if about else None
    if about is None or content is None:
        return False
    path = item.url.split("://", 1)[-1]
    path = path[path.find("/") :] if "/" in path else item.url
    sent = do_notify(
        kind=Kind.DUE,
        recipients=User.objects.filter(email=reminder.recipient),
        url=path,
        params={"state": reminder.state, "due": item.due.isoformat(), "title": item.title},
        may_view=lambda u: rules.can_view(u, content),
        about=about,
        key=reminder.key,
    )
    return bool(sent)


# --- harmonize ---------------------------------------------------------------------------------------------
def _other_side(comparison, party_id: int | None) -> list[int]:
    sides = {comparison.source_party_id, comparison.target_party_id} - {None}
    return sorted(sides - {party_id}) if party_id else []


def mapping_reviewed(mapping, party_id: int | None) -> None:
    """One party reviewed a mapping: the other party's reviewers have it waiting (once a day)."""
    from concord.harmonize import rules
    from concord.harmonize.models import Mapping

    comparison = mapping.comparison
    others = _other_side(comparison, party_id)
    if not others:
        return
    people = _members(comparison.dialogue_id, Role.DELEGATE, Role.ANALYST, party_ids=others)
    do_notify(
        kind=Kind.MAPPING_TO_REVIEW,
        recipients=people,
        url=mapping.get_absolute_url(),
        params={"title": comparison.title},
        may_view=lambda u: (
            rules.can_review(u, comparison)
            and Mapping.objects.filter(pk=mapping.pk).filter(rules.visible_rows_q(u)).exists()
        ),
        about=comparison,
        key=f"review:{comparison.pk}:{timezone.localdate().isoformat()}",
    )


def sign_off_requested(comparison, party) -> None:
    """One party signed off: the other party's signers are asked for theirs (once a day)."""
    from concord.harmonize import rules

    others = _other_side(comparison, party.pk)
    if not others:
        return
    people = _members(comparison.dialogue_id, Role.DELEGATE, Role.ANALYST, party_ids=others)
    do_notify(
        kind=Kind.SIGN_OFF_REQUESTED,
        recipients=people,
        url=comparison.get_absolute_url(),
        params={"title": comparison.title, "party": party.code},
        may_view=lambda u: bool(set(rules.signing_parties(u, comparison)) & set(others)),
        about=comparison,
        key=f"signoff:{comparison.pk}:{party.code}:{timezone.localdate().isoformat()}",
    )


# --- talent ------------------------------------------------------------------------------------------------
def application_received(application) -> None:
    from concord.talent import rules

    opportunity = application.opportunity
    people = _members(opportunity.dialogue_id)
    if opportunity.created_by_id:
        people.append(opportunity.created_by)
    do_notify(
        kind=Kind.APPLICATION_RECEIVED,
        recipients=people,
        url=opportunity.get_absolute_url(),
        params={"title": opportunity.title},
        may_view=lambda u: (
            u.pk != application.profile.user_id and rules.can_manage_opportunity(u, opportunity)
        ),
        about=opportunity,
        key=f"application:{application.pk}",
    )


def allocation_finished(allocation_round) -> None:
    """Each applicant with a result in the round (and only they) hears that it is out."""
    from concord.talent import rules

    people = [p.profile.user for p in allocation_round.placements.select_related("profile__user")]
    stamp = allocation_round.finished_at.isoformat() if allocation_round.finished_at else ""
    do_notify(
        kind=Kind.ALLOCATION_RESULT,
        recipients=people,
        url=allocation_round.get_absolute_url(),
        params={"title": allocation_round.title},
        may_view=lambda u: rules.can_view_round(u, allocation_round),
        about=allocation_round,
        key=f"round:{allocation_round.pk}:{stamp}",
    )


# --- directory ---------------------------------------------------------------------------------------------
def _representatives(organization_id: int, dialogue_id: int) -> list[User]:
    return _members(dialogue_id, Role.STAKEHOLDER, organization_id=organization_id)


def _to_listing_owners(interest, *, kind: str, about, key: str, params: dict | None = None) -> None:
    """A notice about an interest in a listing to the representatives of the listing's organisation who may
    see the interest."""
    from concord.directory import rules

    listing = interest.listing
    do_notify(
        kind=kind,
        recipients=_representatives(listing.organization_id, listing.dialogue_id),
        url=interest.get_absolute_url(),
        params={"title": listing.title, "org": interest.organization.name, **(params or {})},
        may_view=lambda u: rules.can_view_interest(u, interest),
        about=about,
        key=key,
    )


def interest_expressed(interest) -> None:
    _to_listing_owners(interest, kind=Kind.INTEREST, about=interest, key=f"interest:{interest.pk}")


def slot_booked(slot, interest) -> None:
    _to_listing_owners(
        interest,
        kind=Kind.SLOT_BOOKED,
        about=slot,
        key=f"slot:{slot.pk}:{interest.pk}",
        params={"minutes": slot.minutes, "place": slot.place, **_when(slot.starts_at, slot.time_zone)},
    )


# --- programmes --------------------------------------------------------------------------------------------
def _to_contact_points(request, party_id: int, *, kind: str, url: str, party, may_view, key: str) -> None:
    """A notice about a peer-learning request to the contact points of the party ``party_id``."""
    from concord.programmes import rules

    do_notify(
        kind=kind,
        recipients=_members(request.dialogue_id, *rules.CONTACT_POINT_ROLES, party_ids=[party_id]),
        url=url,
        params={"title": request.title, "party": party.code},
        may_view=may_view,
        about=request,
        key=key,
    )


def peer_question_asked(request) -> None:
    """A party asked another a peer-learning question: the asked party's contact points hear of it."""
    from concord.programmes import rules

    _to_contact_points(
        request,
        request.asked_party_id,
        kind=Kind.PEER_QUESTION,
        url=request.get_absolute_url(),
        party=request.party,
        may_view=lambda u: rules.can_answer_request(u, request),
        key=f"peer:{request.pk}",
    )


def peer_question_answered(answer) -> None:
    """The asked party answered: the asking party's contact points hear of it."""
    from concord.programmes import rules

    request = answer.request
    if answer.party_id != request.asked_party_id:
        return  # a follow-up by the asking party itself, or a word from the secretariat
    _to_contact_points(
        request,
        request.party_id,
        kind=Kind.PEER_ANSWER,
        url=answer.get_absolute_url(),
        party=answer.party,
        may_view=lambda u: rules.can_close_request(u, request),
        key=f"peer-answer:{answer.pk}",
    )
