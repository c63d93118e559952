"""Each public action of the secretariat's meetings, agendas and outcomes, accepted and refused.

A refused call (wrong role, an object the caller may not see, wrong state, bad input) names the problem and
writes nothing: no row, no audit entry. An accepted call records exactly one audit entry of its kind.
Commitments are in ``tests/commitments/test_actions_behaviour.py``, minutes in ``tests/minutes/``. The last
test requires such tests for every action of the app.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from concord.secretariat import actions as a
from concord.secretariat.agenda import actions as aa
from concord.secretariat.models import (
    AgendaItem,
    Meeting,
    Outcome,
    Participant,
    PartyPosition,
    WorkingGroup,
    WorkingGroupMember,
)
from tests.behaviour import audited, denied, invalid, missing_behaviour_tests

from .audit_scenarios import _group_of, _item, _outcome, _wg
from .conftest import KL, make_meeting, open_meeting

pytestmark = pytest.mark.django_db


def _close(personas, meeting):
    a.do_transition_meeting(actor=personas.secretariat, meeting=meeting, to="closed")
    return meeting


# --- working groups ----------------------------------------------------------------------------------------
def test_only_the_secretariat_sets_up_a_working_group(personas):
    with denied("Only the secretariat can set up working groups.", WorkingGroup):
        a.do_create_working_group(
            actor=personas.delegate_my, dialogue=personas.dialogue, slug="ai", name="AI"
        )
    with invalid("Unknown value “secret”", WorkingGroup):
        a.do_create_working_group(
            actor=personas.secretariat, dialogue=personas.dialogue, slug="ai", name="AI", visibility="secret"
        )
    with audited("working_group.create"):
        group = a.do_create_working_group(
            actor=personas.secretariat, dialogue=personas.dialogue, slug="ai", name="AI governance"
        )
    assert group.created_by == personas.secretariat


def test_working_group_members_are_members_of_the_dialogue(personas):
    group = _wg(personas)
    with denied("Only the secretariat can change working groups.", WorkingGroupMember):
        a.do_add_working_group_member(
            actor=personas.delegate_my, working_group=group, user=personas.delegate_my
        )
    with invalid("This person is not a member of the dialogue.", WorkingGroupMember):
        a.do_add_working_group_member(actor=personas.secretariat, working_group=group, user=personas.outsider)
    with invalid("Unknown value “boss”", WorkingGroupMember):
        a.do_add_working_group_member(
            actor=personas.secretariat, working_group=group, user=personas.delegate_my, position="boss"
        )
    with audited("working_group.member"):
        member = a.do_add_working_group_member(
            actor=personas.secretariat, working_group=group, user=personas.delegate_my, position="co_chair"
        )
    assert member.position == "co_chair"


def test_only_the_secretariat_removes_a_working_group_member(personas):
    member = _group_of(personas, personas.delegate_pk).members.get()
    with denied("Only the secretariat can change working groups.", WorkingGroupMember):
        a.do_remove_working_group_member(actor=personas.delegate_pk, member=member)
    with audited("working_group.member_remove"):
        a.do_remove_working_group_member(actor=personas.secretariat, member=member)
    assert not WorkingGroupMember.objects.exists()


# --- meetings ----------------------------------------------------------------------------------------------
def test_a_meeting_is_convened_by_the_secretariat_with_sound_times(personas):
    when = dt.datetime(2026, 3, 10, 9, 30, tzinfo=KL)
    base = {"dialogue": personas.dialogue, "title": "SOM", "level": "senior_officials"}
    with denied("Only the secretariat can convene meetings.", Meeting):
        a.do_create_meeting(actor=personas.delegate_my, **base)
    with invalid("The meeting must end after it starts.", Meeting):
        a.do_create_meeting(actor=personas.secretariat, starts_at=when, ends_at=when, **base)
    with invalid("Give the time with its time zone.", Meeting):
        a.do_create_meeting(actor=personas.secretariat, starts_at=dt.datetime(2026, 3, 10, 9, 30), **base)
    with invalid("Unknown time zone “Mars/Olympus”", Meeting):
        a.do_create_meeting(actor=personas.secretariat, time_zone="Mars/Olympus", **base)
    with invalid("A working-group meeting names its working group.", Meeting):
        a.do_create_meeting(actor=personas.secretariat, **{**base, "level": "working_group"})
    with audited("meeting.create"):
        meeting = a.do_create_meeting(
            actor=personas.secretariat, starts_at=when, ends_at=when + dt.timedelta(hours=8), **base
        )
    assert meeting.state == "draft"


def test_a_meeting_is_changed_by_the_secretariat_until_it_closes(personas, meeting):
    with denied("Only the secretariat can change this meeting.", objects=[meeting]):
        a.do_update_meeting(actor=personas.delegate_my, meeting=meeting, venue="Lahore")
    with invalid("These fields cannot be changed here: level", objects=[meeting]):
        a.do_update_meeting(actor=personas.secretariat, meeting=meeting, level="ministerial")
    with audited("meeting.update"):
        a.do_update_meeting(actor=personas.secretariat, meeting=meeting, venue="Lahore")
    assert Meeting.objects.get(pk=meeting.pk).venue == "Lahore"
    _close(personas, open_meeting(personas, meeting))
    with invalid("A closed or cancelled meeting cannot be changed.", objects=[meeting]):
        a.do_update_meeting(actor=personas.secretariat, meeting=meeting, venue="Kuala Lumpur")


def test_a_meeting_moves_only_along_its_life_cycle(personas, meeting):
    with denied("Only the secretariat can change this meeting.", objects=[meeting]):
        a.do_transition_meeting(actor=personas.analyst_my, meeting=meeting, to="open")
    with invalid("A meeting that is “Draft” cannot become “Closed”.", objects=[meeting]):
        a.do_transition_meeting(actor=personas.secretariat, meeting=meeting, to="closed")
    with invalid("Say why the meeting is cancelled.", objects=[meeting]):
        a.do_transition_meeting(actor=personas.secretariat, meeting=meeting, to="cancelled")
    with audited("meeting.transition") as log:
        a.do_transition_meeting(actor=personas.secretariat, meeting=meeting, to="open")
    assert (log.entry.before, log.entry.after) == ({"state": "draft"}, {"state": "open"})


def test_a_meeting_is_cancelled_with_a_reason_and_not_once_closed(personas, meeting):
    with denied("Only the secretariat can change this meeting.", objects=[meeting]):
        a.do_cancel_meeting(actor=personas.delegate_pk, meeting=meeting, reason="No quorum")
    with invalid("Say why the meeting is cancelled.", objects=[meeting]):
        a.do_cancel_meeting(actor=personas.secretariat, meeting=meeting, reason="  ")
    with audited("meeting.cancel"):
        a.do_cancel_meeting(actor=personas.secretariat, meeting=meeting, reason="No quorum")
    meeting.refresh_from_db()
    assert (meeting.state, meeting.cancellation_reason) == ("cancelled", "No quorum")
    closed = _close(personas, open_meeting(personas, make_meeting(personas, title="Closed")))
    with invalid("A meeting that is “Closed” cannot be cancelled.", objects=[closed]):
        a.do_cancel_meeting(actor=personas.secretariat, meeting=closed, reason="Too late")


# --- participants ------------------------------------------------------------------------------------------
def test_participants_are_members_invited_by_the_secretariat(personas, meeting):
    with denied("Only the secretariat can invite participants.", Participant):
        a.do_add_participant(actor=personas.delegate_my, meeting=meeting, user=personas.delegate_pk)
    with invalid("This person is not a member of the dialogue.", Participant):
        a.do_add_participant(actor=personas.secretariat, meeting=meeting, user=personas.outsider)
    with audited("participant.add"):
        participant = a.do_add_participant(
            actor=personas.secretariat, meeting=meeting, user=personas.delegate_pk
        )
    assert participant.party == personas.pk


def test_a_working_group_is_invited_to_an_open_meeting_only(personas, meeting):
    group = _group_of(personas, personas.delegate_my, personas.analyst_pk)
    with denied("Only the secretariat can invite participants.", Participant):
        a.do_invite_working_group(actor=personas.delegate_my, meeting=meeting, working_group=group)
    with audited("participant.invite_group"):
        added = a.do_invite_working_group(actor=personas.secretariat, meeting=meeting, working_group=group)
    assert {p.user for p in added} == {personas.delegate_my, personas.analyst_pk}
    closed = _close(personas, open_meeting(personas, make_meeting(personas, title="Closed")))
    with invalid("A closed or cancelled meeting takes no more participants.", Participant):
        a.do_invite_working_group(actor=personas.secretariat, meeting=closed, working_group=group)


def test_a_participant_whose_attendance_is_on_record_stays_listed(personas, meeting):
    participant = a.do_add_participant(actor=personas.secretariat, meeting=meeting, user=personas.delegate_my)
    with denied("Only the secretariat can remove participants.", Participant):
        a.do_remove_participant(actor=personas.delegate_my, participant=participant)
    a.do_record_attendance(actor=personas.secretariat, participant=participant, attended=False)
    with invalid("attendance is on record", Participant):
        a.do_remove_participant(actor=personas.secretariat, participant=participant)
    other = a.do_add_participant(actor=personas.secretariat, meeting=meeting, user=personas.delegate_pk)
    with audited("participant.remove"):
        a.do_remove_participant(actor=personas.secretariat, participant=other)
    assert list(meeting.participants.values_list("user", flat=True)) == [personas.delegate_my.pk]


def test_only_the_invitee_replies_to_an_invitation(personas, meeting):
    participant = a.do_add_participant(actor=personas.secretariat, meeting=meeting, user=personas.delegate_my)
    with denied("Only the invitee can reply.", objects=[participant]):
        a.do_set_rsvp(actor=personas.secretariat, participant=participant, rsvp="accepted")
    with invalid("Unknown value “perhaps”", objects=[participant]):
        a.do_set_rsvp(actor=personas.delegate_my, participant=participant, rsvp="perhaps")
    with audited("participant.rsvp"):
        a.do_set_rsvp(actor=personas.delegate_my, participant=participant, rsvp="declined")
    participant.refresh_from_db()
    assert participant.rsvp == "declined"


def test_only_the_secretariat_records_attendance(personas, meeting):
    participant = a.do_add_participant(actor=personas.secretariat, meeting=meeting, user=personas.delegate_my)
    with denied("Only the secretariat records attendance.", objects=[participant]):
        a.do_record_attendance(actor=personas.delegate_my, participant=participant, attended=True)
    with audited("participant.attendance"):
        a.do_record_attendance(actor=personas.secretariat, participant=participant, attended=True)
    participant.refresh_from_db()
    assert participant.attended is True


# --- agenda ------------------------------------------------------------------------------------------------
def test_agenda_items_are_added_by_the_secretariat_with_sound_values(personas, meeting):
    with denied("Only the secretariat builds the agenda.", AgendaItem):
        a.do_add_agenda_item(
            actor=personas.delegate_my, dialogue=personas.dialogue, meeting=meeting, title="AI"
        )
    with denied("You may not add items to this backlog.", AgendaItem):
        a.do_add_agenda_item(actor=personas.observer, dialogue=personas.dialogue, title="AI")
    with invalid("Give the duration in minutes, from 1 to 1440.", AgendaItem):
        a.do_add_agenda_item(
            actor=personas.secretariat,
            dialogue=personas.dialogue,
            meeting=meeting,
            title="AI",
            duration_minutes=0,
        )
    with invalid("Give the comparison's address on this site, starting with /.", AgendaItem):
        a.do_add_agenda_item(
            actor=personas.secretariat,
            dialogue=personas.dialogue,
            meeting=meeting,
            title="AI",
            comparison_url="https://elsewhere.example/",
        )
    with audited("agenda_item.create"):
        item = a.do_add_agenda_item(
            actor=personas.secretariat,
            dialogue=personas.dialogue,
            meeting=meeting,
            title="AI",
            duration_minutes=30,
        )
    assert (item.meeting, item.order) == (meeting, 10)
    _close(personas, open_meeting(personas, meeting))
    with invalid("A closed or cancelled meeting's agenda cannot change.", AgendaItem):
        a.do_add_agenda_item(
            actor=personas.secretariat, dialogue=personas.dialogue, meeting=meeting, title="Late"
        )


def test_a_backlog_item_is_scheduled_once_by_the_secretariat(personas, meeting):
    item = a.do_add_agenda_item(actor=personas.delegate_my, dialogue=personas.dialogue, title="Data flows")
    with denied("Only the secretariat builds the agenda.", objects=[item]):
        a.do_schedule_item(actor=personas.delegate_my, item=item, meeting=meeting)
    with audited("agenda_item.schedule"):
        a.do_schedule_item(actor=personas.secretariat, item=item, meeting=meeting)
    other = make_meeting(personas, title="Other")
    with invalid("Only an item of this dialogue's backlog can be scheduled.", objects=[item]):
        a.do_schedule_item(actor=personas.secretariat, item=item, meeting=other)
    assert AgendaItem.objects.get(pk=item.pk).meeting == meeting


def test_an_agenda_item_is_edited_by_the_secretariat_with_known_fields(personas, meeting):
    item = _item(personas, meeting)
    with denied("Only the secretariat changes the agenda.", objects=[item]):
        aa.do_update_agenda_item(actor=personas.delegate_my, item=item, title="Renamed")
    with invalid("These fields cannot be changed here: meeting", objects=[item]):
        aa.do_update_agenda_item(actor=personas.secretariat, item=item, meeting=None)
    with invalid("Unknown value “vote”", objects=[item]):
        aa.do_update_agenda_item(actor=personas.secretariat, item=item, kind="vote")
    with audited("agenda_item.update"):
        aa.do_update_agenda_item(actor=personas.secretariat, item=item, title="Cross-border data flows")
    assert AgendaItem.objects.get(pk=item.pk).title == "Cross-border data flows"


def test_an_agenda_item_moves_within_its_agenda(personas, meeting):
    first, second = _item(personas, meeting), _item(personas, meeting)
    with denied("Only the secretariat changes the agenda.", objects=[first, second]):
        aa.do_move_agenda_item(actor=personas.delegate_pk, item=second, direction="up")
    with invalid("is already first on the agenda.", objects=[first, second]):
        aa.do_move_agenda_item(actor=personas.secretariat, item=first, direction="up")
    with invalid("Move an item “up” or “down”.", objects=[first, second]):
        aa.do_move_agenda_item(actor=personas.secretariat, item=first, direction="sideways")
    with audited("agenda_item.move"):
        aa.do_move_agenda_item(actor=personas.secretariat, item=second, direction="up")
    assert list(meeting.agenda.order_by("order").values_list("pk", flat=True)) == [second.pk, first.pk]


def test_an_agenda_item_with_outcomes_stays_as_their_record(personas):
    outcome = _outcome(personas)
    item = outcome.agenda_item
    with invalid("has recorded outcomes; it stays on the agenda as their record.", AgendaItem):
        aa.do_delete_agenda_item(actor=personas.secretariat, item=item)
    spare = _item(personas, item.meeting)
    with denied("Only the secretariat changes the agenda.", AgendaItem):
        aa.do_delete_agenda_item(actor=personas.delegate_my, item=spare)
    with audited("agenda_item.delete"):
        aa.do_delete_agenda_item(actor=personas.secretariat, item=spare)
    assert not AgendaItem.objects.filter(pk=spare.pk).exists()


# --- outcomes and positions ---------------------------------------------------------------------------------
def test_outcomes_are_recorded_once_the_meeting_is_open(personas, meeting):
    item = _item(personas, meeting)
    kw = {"kind": "decision", "disposition": "agreed", "text": "Adopt the framework"}
    with invalid("Outcomes are recorded once the meeting is open.", Outcome):
        a.do_record_outcome(actor=personas.secretariat, item=item, **kw)
    backlog = a.do_add_agenda_item(actor=personas.secretariat, dialogue=personas.dialogue, title="Later")
    with invalid("not in the backlog", Outcome):
        a.do_record_outcome(actor=personas.secretariat, item=backlog, **kw)
    open_meeting(personas, meeting)
    with denied("Only the secretariat records outcomes.", Outcome):
        a.do_record_outcome(actor=personas.delegate_my, item=item, **kw)
    with invalid("Name the working group it is referred to.", Outcome):
        a.do_record_outcome(actor=personas.secretariat, item=item, **{**kw, "disposition": "referred"})
    with audited("outcome.create"):
        outcome = a.do_record_outcome(actor=personas.secretariat, item=item, **kw)
    assert outcome.text == "Adopt the framework"


def test_only_an_action_is_marked_done_by_its_owner_or_the_secretariat(personas):
    action = _outcome(personas)
    with denied("Only the secretariat or the action's owner can close it.", objects=[action]):
        a.do_complete_action(actor=personas.delegate_my, outcome=action)
    decision = a.do_record_outcome(
        actor=personas.secretariat,
        item=action.agenda_item,
        kind="decision",
        disposition="agreed",
        text="Agreed",
    )
    with invalid("Only an action can be marked done.", objects=[decision]):
        a.do_complete_action(actor=personas.secretariat, outcome=decision)
    with audited("outcome.action_done"):
        a.do_complete_action(actor=personas.secretariat, outcome=action)
    assert Outcome.objects.get(pk=action.pk).action_done is True


def test_a_delegate_states_only_their_own_partys_position(personas):
    outcome = _outcome(personas, kind="decision")
    with denied("You may not state this party's position.", PartyPosition):
        a.do_state_position(actor=personas.delegate_my, outcome=outcome, party=personas.pk, stance="supports")
    with invalid("Unknown value “loves”", PartyPosition):
        a.do_state_position(actor=personas.delegate_pk, outcome=outcome, party=personas.pk, stance="loves")
    with audited("outcome.position"):
        a.do_state_position(
            actor=personas.delegate_pk, outcome=outcome, party=personas.pk, stance="supports", statement="Yes"
        )
    assert PartyPosition.objects.get(outcome=outcome).party == personas.pk


def test_a_commitment_is_sent_to_the_agenda_by_those_who_may_and_only_as_itself(personas):
    from .conftest import make_commitment

    commitment = make_commitment(personas, "SEND-1")
    with denied("You may not send this to the agenda.", AgendaItem):
        a.do_send_to_agenda(actor=personas.observer, obj=commitment)
    with invalid("Only a commitment, a mapping, a gap, a theme or a listing can be sent.", AgendaItem):
        a.do_send_to_agenda(actor=personas.secretariat, obj=personas.dialogue)
    with audited("agenda_item.create"):
        item = a.do_send_to_agenda(actor=personas.secretariat, obj=commitment)
    assert item.meeting is None and list(item.commitments.all()) == [commitment]


def test_behaviour_tests_name_every_secretariat_action():
    missing = missing_behaviour_tests(["concord.secretariat"], [Path(__file__)])
    assert missing == {"no refusal test": [], "no accepted test": []}, missing
