"""The chain through the actions: meeting → agenda → outcome → commitment → milestone → progress → verify."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from concord.commitments import actions as ca
from concord.commitments.models import UpdateState
from concord.secretariat import actions
from concord.secretariat.models import AgendaItem, Meeting

from .conftest import KL, add_item, make_commitment, make_meeting, open_meeting, record_outcome

pytestmark = pytest.mark.django_db


def test_the_whole_chain_from_meeting_to_verified_progress(personas):
    meeting = make_meeting(personas)
    decision = add_item(personas, meeting, "Adopt the work plan", kind="decision", section="Opening")
    action_item = add_item(personas, meeting, "Exchange programme", kind="discussion", section="Talent")
    open_meeting(personas, meeting)
    record_outcome(personas, decision, "decision", "Adopted.")
    action = record_outcome(
        personas, action_item, "action", "Draft an exchange programme.", action_due=dt.date(2026, 6, 1)
    )
    commitment = make_commitment(personas, source_outcome=action)
    ca.do_add_milestone(
        actor=personas.secretariat, commitment=commitment, title="Draft", planned_date=dt.date(2026, 5, 1)
    )
    update = ca.do_submit_progress(
        actor=personas.delegate_my, commitment=commitment, text="Draft shared", percent=40
    )
    assert update.party == personas.my
    with pytest.raises(PermissionDenied):
        ca.do_review_progress(actor=personas.delegate_my, update=update, verify=True)
    ca.do_review_progress(actor=personas.delegate_pk, update=update, verify=True)
    update.refresh_from_db()
    assert update.state == UpdateState.VERIFIED

    following = make_meeting(
        personas, title="Next", starts_at=dt.datetime(2026, 9, 1, 9, 0, tzinfo=KL), ends_at=None
    )
    actions.do_transition_meeting(actor=personas.secretariat, meeting=meeting, to="closed")
    carried = AgendaItem.objects.get(meeting=following)
    assert carried.carried_over_from == action_item
    assert carried.title == "Exchange programme"
    assert not AgendaItem.objects.filter(meeting=following, carried_over_from=decision).exists()


def test_closing_without_a_next_meeting_parks_items_in_the_backlog_until_one_follows(personas, meeting):
    item = add_item(personas, meeting, "Undecided", kind="decision")
    open_meeting(personas, meeting)
    actions.do_transition_meeting(actor=personas.secretariat, meeting=meeting, to="closed")
    parked = AgendaItem.objects.get(carried_over_from=item)
    assert parked.meeting is None
    nxt = make_meeting(personas, title="Follow-up", previous=meeting)
    parked.refresh_from_db()
    assert parked.meeting == nxt


def test_a_meeting_refuses_impossible_state_changes(personas, meeting):
    with pytest.raises(ValidationError):
        actions.do_transition_meeting(actor=personas.secretariat, meeting=meeting, to="closed")
    actions.do_cancel_meeting(actor=personas.secretariat, meeting=meeting, reason="No quorum")
    with pytest.raises(ValidationError):
        actions.do_transition_meeting(actor=personas.secretariat, meeting=meeting, to="open")


def test_only_the_secretariat_convenes_meetings(personas):
    for name in ("delegate_my", "analyst_pk", "observer", "outsider"):
        with pytest.raises(PermissionDenied):
            make_meeting(personas, actor=personas.users[name])
    assert Meeting.objects.count() == 0


def test_naive_times_and_unknown_time_zones_are_refused(personas):
    with pytest.raises(ValidationError):
        make_meeting(personas, starts_at=dt.datetime(2026, 1, 1, 9, 0), ends_at=None)
    with pytest.raises(ValidationError):
        make_meeting(personas, time_zone="Mars/Olympus")
    with pytest.raises(ValidationError):
        make_meeting(personas, ends_at=dt.datetime(2026, 3, 10, 8, 0, tzinfo=KL))


def test_a_circular_dependency_is_refused_with_the_chain_named(personas):
    a, b, c = (make_commitment(personas, code) for code in ("A", "B", "C"))
    ca.do_add_dependency(actor=personas.secretariat, commitment=a, depends_on=b)
    ca.do_add_dependency(actor=personas.secretariat, commitment=b, depends_on=c)
    with pytest.raises(ValidationError) as err:
        ca.do_add_dependency(actor=personas.secretariat, commitment=c, depends_on=a)
    assert "C → A → B → C" in str(err.value)
    with pytest.raises(ValidationError):
        ca.do_add_dependency(actor=personas.secretariat, commitment=a, depends_on=a)
    assert list(c.depends_on.all()) == []


def test_a_commitment_cannot_be_part_of_its_own_part(personas):
    parent = make_commitment(personas, "P")
    child = make_commitment(personas, "P.1", parent=parent)
    with pytest.raises(ValidationError):
        ca.do_update_commitment(actor=personas.secretariat, commitment=parent, parent=child)
