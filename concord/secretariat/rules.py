"""Who may do what in the secretariat, built on the dialogue-wide rules of ``concord.core.rules``.

- **view** working groups, meetings, agenda items, commitments: as any content (public / dialogue / one
  party), except that an observer reads only what is public (the foundation lets observers read content
  shared with dialogue members; the secretariat's records are narrower). What hangs off them (outcomes,
  positions, minutes, milestones, progress updates, evidence) is seen by whoever sees the meeting or the
  commitment. The backlog is content like any other.
- **run meetings** (create, edit, reschedule, cancel with a reason, move through the states, build, edit,
  reorder and prune the agenda, invite and remove participants, invite a whole working group, record
  outcomes, keep the minutes, decide amendments, create working groups and manage their members): the
  secretariat of the dialogue, for the meetings it can see.
- **propose** a backlog item: the secretariat, delegates and analysts (as creating any content).
- **state a party's position** on an outcome: that party's delegates, or the secretariat.
- **reply** to an invitation: the participant.
- **send to the agenda** a commitment, a mapping, a gap, a theme or a directory listing: whoever can see the
  object and may add agenda items there: onto a coming (draft or open) meeting of the object's dialogue, the
  secretariat that runs it; into the backlog, whoever may propose an item as visible as the object.

Who may record, edit, report on and verify commitments is ``concord/commitments/rules.py``; who may amend
minutes, and when they may be adopted, ``concord/minutes/rules.py``; who may build the round dossier,
``concord/reporting/rules.py``.
"""

from __future__ import annotations

from django.db.models import Q

from concord.accounts.models import Role
from concord.core import rules as core
from concord.core.models import Visibility

from .models import Meeting, MeetingState, Outcome


def observer_only_dialogues(user) -> set[int]:
    """Dialogues in which the user sits only as an observer: there they read public records only."""
    by_dialogue: dict[int, set[str]] = {}
    for s in core.seats(user):
        by_dialogue.setdefault(s.dialogue_id, set()).add(s.role)
    return {d for d, roles in by_dialogue.items() if roles == {Role.OBSERVER}}


def can_view(user, obj) -> bool:
    if obj.visibility != Visibility.PUBLIC and obj.dialogue_id in observer_only_dialogues(user):
        return False
    return core.can_view(user, obj)


def is_secretariat(user, dialogue_id: int) -> bool:
    return core.has_role(user, dialogue_id, Role.SECRETARIAT)


def can_run_meetings(user, dialogue_id: int) -> bool:
    return is_secretariat(user, dialogue_id)


def can_manage_meeting(user, meeting: Meeting) -> bool:
    return can_view(user, meeting) and is_secretariat(user, meeting.dialogue_id)


def can_propose_item(user, dialogue_id: int, visibility: str, party_id: int | None) -> bool:
    return core.can_create(user, dialogue_id, visibility, party_id)


def can_view_linked(user, obj) -> bool:
    """Whether ``user`` sees ``obj``, a thing that can be sent to the agenda, by its own app's rules."""
    label = obj._meta.label
    if label == "library.Theme":
        return True  # the taxonomy is public
    if label == "directory.Listing":
        from concord.directory import rules as directory_rules

        return directory_rules.can_view_listing(user, obj)
    if label in ("harmonize.Mapping", "harmonize.Gap"):
        from concord.harmonize import rules as harmonize_rules

        if not harmonize_rules.can_view(user, obj.comparison):
            return False
        sides = ("source_document", "target_document") if label == "harmonize.Mapping" else ("document",)
        documents = [getattr(obj, f"{side}") for side in sides if getattr(obj, f"{side}_id")]
        return all(core.can_view(user, d) for d in documents)
    if label == "commitments.Commitment":
        return can_view(user, obj)
    return False


_REACH = {Visibility.PARTY: 0, Visibility.DIALOGUE: 1, Visibility.PUBLIC: 2}


def _reaches_no_further(meeting: Meeting, visibility: str, party_id: int | None) -> bool:
    """A meeting's agenda shows the object's title to all who see the meeting: it may not reach further."""
    if _REACH[meeting.visibility] > _REACH[visibility]:
        return False
    return visibility != Visibility.PARTY or meeting.party_id == party_id


def can_send_to_agenda(user, obj, *, meeting: Meeting | None = None, dialogue_id: int | None = None) -> bool:
    """May ``user`` send ``obj`` onto ``meeting``'s agenda, or (no meeting) into ``dialogue_id``'s backlog?"""
    from .agenda.links import target_of

    if not user.is_authenticated:
        return False
    target = target_of(obj, meeting.dialogue_id if meeting else dialogue_id)
    if target is None or not can_view_linked(user, obj):
        return False
    if meeting is not None:
        return (
            meeting.dialogue_id == target.dialogue_id
            and meeting.state in (MeetingState.DRAFT, MeetingState.OPEN)
            and _reaches_no_further(meeting, target.visibility, target.party_id)
            and can_manage_meeting(user, meeting)
        )
    return can_propose_item(user, target.dialogue_id, target.visibility, target.party_id)


def can_state_position(user, outcome: Outcome, party_id: int) -> bool:
    item = outcome.agenda_item
    if not can_view(user, item):
        return False
    if is_secretariat(user, item.dialogue_id):
        return True
    return any(
        s.role == Role.DELEGATE and s.party_id == party_id for s in core.seats_in(user, item.dialogue_id)
    )


def visible_q(user, prefix: str = "") -> Q:
    """Like ``core.visible_q``, but observers see only public records of the secretariat."""
    q = core.visible_q(user, prefix)
    observed = observer_only_dialogues(user)
    if observed:
        q &= ~Q(**{f"{prefix}dialogue_id__in": sorted(observed)}) | Q(
            **{f"{prefix}visibility": Visibility.PUBLIC}
        )
    return q


def party_ids_of(user, dialogue_id: int) -> set[int]:
    return core.party_ids(user, dialogue_id)
