"""The secretariat's permission matrix, written out by hand from concord/secretariat/rules.py, then checked
through the rules, the pages and the API (the commitments' matrix is tests/commitments/test_rules_matrix.py,
the minutes' tests/minutes/test_rules_matrix.py).

The meeting under test belongs to the dialogue; the party-only one to Malaysia.
"""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from concord.commitments import actions as ca
from concord.secretariat import actions, rules
from tests.matrix import MEMBERS, ROLES, VISIBILITIES, over_cells, sign_in
from tests.matrix import user_of as _user

from .conftest import (
    add_item,
    make_commitment,
    make_comparison,
    make_contested_mapping,
    make_meeting,
    record_outcome,
)

MEMBERS_BUT_OBSERVER = MEMBERS - {"observer"}

EXPECTED = {
    ("view", "public"): set(ROLES),
    # Observers read only what is public.
    ("view", "dialogue"): MEMBERS_BUT_OBSERVER,
    ("view", "party"): {"analyst_my", "delegate_my"},
    ("run_meetings", "dialogue"): {"secretariat"},
    ("state_position_my", "dialogue"): {"secretariat", "delegate_my"},
    # Editing a meeting, its agenda and participants: the secretariat, for the meetings it can see.
    ("manage_meeting", "public"): {"secretariat"},
    ("manage_meeting", "dialogue"): {"secretariat"},
    ("manage_meeting", "party"): set(),
}


@pytest.fixture
def things(personas):
    meetings = {
        "public": make_meeting(personas, title="Public", visibility="public"),
        "dialogue": make_meeting(personas, title="Members"),
        "party": make_meeting(personas, title="MY caucus", visibility="party", party=personas.my),
    }
    item = add_item(personas, meetings["dialogue"], "Item")
    actions.do_transition_meeting(actor=personas.secretariat, meeting=meetings["dialogue"], to="open")
    outcome = record_outcome(personas, item, "decision", "Yes")
    commitment = make_commitment(personas)
    update = ca.do_submit_progress(actor=personas.delegate_my, commitment=commitment, text="t", percent=10)
    return {"meetings": meetings, "outcome": outcome, "commitment": commitment, "update": update}


def _allowed(personas, things, role, action, visibility):
    user = _user(personas, role)
    dialogue_id = personas.dialogue.pk
    if action == "view":
        return rules.can_view(user, things["meetings"][visibility])
    if action == "run_meetings":
        return rules.can_run_meetings(user, dialogue_id)
    if action == "state_position_my":
        return rules.can_state_position(user, things["outcome"], personas.my.pk)
    return rules.can_manage_meeting(user, things["meetings"][visibility])


@pytest.mark.django_db
@over_cells(EXPECTED)
def test_rules_match_the_matrix(personas, things, role, action, visibility):
    assert _allowed(personas, things, role, action, visibility) == (role in EXPECTED[(action, visibility)])


@pytest.mark.django_db
@pytest.mark.parametrize("visibility", VISIBILITIES)
@pytest.mark.parametrize("role", ROLES)
def test_pages_and_api_answer_404_to_those_who_may_not_view(
    personas, things, client, settings, role, visibility
):
    sign_in(client, personas, role, settings)
    meeting = things["meetings"][visibility]
    allowed = role in EXPECTED[("view", visibility)]
    page = client.get(reverse("secretariat:meeting", args=[meeting.pk]))
    api = client.get(f"/api/secretariat/meetings/{meeting.pk}")
    assert page.status_code == (200 if allowed else 404)
    assert api.status_code == (200 if allowed else 404)


EDIT_ACTIONS = ["cancel", "edit_item", "move_item", "delete_item", "remove_participant", "invite_group"]


@pytest.mark.django_db
@pytest.mark.parametrize("role", [r for r in ROLES if r != "anonymous"])
@pytest.mark.parametrize("edit", EDIT_ACTIONS)
def test_the_edit_actions_follow_the_manage_meeting_rule(personas, role, edit):
    """Each edit action is allowed exactly to whom ``manage_meeting`` allows, and refused to the others."""
    from concord.secretariat.agenda import actions as agenda_actions

    meeting = make_meeting(personas)
    first, second = (add_item(personas, meeting, t) for t in ("One", "Two"))
    participant = actions.do_add_participant(
        actor=personas.secretariat, meeting=meeting, user=personas.delegate_pk
    )
    group = actions.do_create_working_group(
        actor=personas.secretariat, dialogue=personas.dialogue, slug="g", name="G"
    )
    user = personas.users[role]
    run = {
        "cancel": lambda: actions.do_cancel_meeting(actor=user, meeting=meeting, reason="R"),
        "edit_item": lambda: agenda_actions.do_update_agenda_item(actor=user, item=first, title="New"),
        "move_item": lambda: agenda_actions.do_move_agenda_item(actor=user, item=second, direction="up"),
        "delete_item": lambda: agenda_actions.do_delete_agenda_item(actor=user, item=first),
        "remove_participant": lambda: actions.do_remove_participant(actor=user, participant=participant),
        "invite_group": lambda: actions.do_invite_working_group(
            actor=user, meeting=meeting, working_group=group
        ),
    }[edit]
    if role in EXPECTED[("manage_meeting", "dialogue")]:
        run()
    else:
        with pytest.raises(PermissionDenied):
            run()


# --- send to the agenda: role × the object's visibility × where it goes ---------------------------------
WORKERS = {"secretariat", "delegate_my", "delegate_pk", "analyst_my", "analyst_pk"}
EXPECTED_SEND = {
    # Into the backlog: whoever sees the object and may propose an item as visible as it.
    ("backlog", "public"): WORKERS,
    ("backlog", "dialogue"): WORKERS,
    ("backlog", "party"): {"analyst_my", "delegate_my"},
    # Onto a coming meeting that reaches no further than the object: the secretariat that runs it. The
    # party-only mapping would go to the Malaysian caucus, which the secretariat does not see.
    ("meeting", "public"): {"secretariat"},
    ("meeting", "dialogue"): {"secretariat"},
    ("meeting", "party"): set(),
}


def _mapping(personas, visibility):
    return make_contested_mapping(make_comparison(personas, visibility, title=f"A {visibility} comparison"))


@pytest.mark.django_db
@pytest.mark.parametrize(("where", "visibility"), list(EXPECTED_SEND))
@pytest.mark.parametrize("role", ROLES)
def test_sending_a_mapping_to_the_agenda_follows_the_matrix(personas, things, role, where, visibility):
    mapping = _mapping(personas, visibility)
    meeting = things["meetings"][visibility] if where == "meeting" else None
    user = _user(personas, role)
    allowed = role in EXPECTED_SEND[(where, visibility)]
    assert (
        rules.can_send_to_agenda(user, mapping, meeting=meeting, dialogue_id=personas.dialogue.pk) is allowed
    )
    if role == "anonymous":
        return
    if allowed:
        item = actions.do_send_to_agenda(actor=user, obj=mapping, meeting=meeting)
        assert list(item.mappings.all()) == [mapping] and item.meeting == meeting
    else:
        with pytest.raises(PermissionDenied):
            actions.do_send_to_agenda(actor=user, obj=mapping, meeting=meeting)


@pytest.mark.django_db
def test_an_object_never_goes_onto_a_meeting_that_reaches_further_than_it(personas, things):
    members_only = _mapping(personas, "dialogue")
    public_meeting = things["meetings"]["public"]
    assert not rules.can_send_to_agenda(personas.secretariat, members_only, meeting=public_meeting)
    with pytest.raises(PermissionDenied):
        actions.do_send_to_agenda(actor=personas.secretariat, obj=members_only, meeting=public_meeting)
    assert not public_meeting.agenda.exists()


def _records(personas, visibility):
    """A working group, a meeting, an agenda item and a commitment, all with ``visibility``."""
    from concord.commitments.models import Commitment
    from concord.secretariat.models import AgendaItem, Meeting, WorkingGroup

    common = {
        "dialogue": personas.dialogue,
        "visibility": visibility,
        "party": personas.my if visibility == "party" else None,
        "created_by": personas.secretariat,
    }
    group = WorkingGroup.objects.create(slug=f"wg-{visibility}", name=f"WG {visibility}", **common)
    meeting = Meeting.objects.create(title=f"M {visibility}", level="senior_officials", **common)
    item = AgendaItem.objects.create(meeting=meeting, title=f"I {visibility}", **common)
    commitment = Commitment.objects.create(code=f"V-{visibility}", title=f"C {visibility}", **common)
    return [group, meeting, item, commitment]


@pytest.mark.django_db
@pytest.mark.parametrize("visibility", ["public", "dialogue", "party"])
@pytest.mark.parametrize("role", ROLES)
def test_visible_to_lists_exactly_what_can_view_allows(personas, role, visibility):
    """``Model.objects.visible_to(user)`` and ``rules.can_view`` are one rule, for every kind of record."""
    user = _user(personas, role)
    allowed = role in EXPECTED[("view", visibility)]
    for record in _records(personas, visibility):
        assert rules.can_view(user, record) == allowed, type(record).__name__
        listed = type(record).objects.visible_to(user).filter(pk=record.pk).exists()
        assert listed == allowed, type(record).__name__
