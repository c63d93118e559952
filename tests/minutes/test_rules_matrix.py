"""The minutes' permission matrix, written out by hand from concord/minutes/rules.py, then checked through
the rules, the pages and the API.

Minutes are kept for three meetings: a public one, the dialogue's and the Malaysian caucus (party-only,
which the secretariat does not see). At the public and the dialogue's meetings the Pakistani delegate
attended, the Malaysian delegate did not, the Malaysian analyst accepted (attendance not taken), the
Pakistani analyst never replied and the observer attended; the stakeholder was not invited.
"""

from __future__ import annotations

import json

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from concord.minutes import actions as ma
from concord.minutes import rules
from concord.minutes.models import Minutes
from concord.secretariat import actions
from tests.matrix import ROLES, VISIBILITIES, over_cells, sign_in
from tests.matrix import user_of as _user
from tests.secretariat import test_rules_matrix as meetings

from .conftest import make_meeting

EXPECTED = {
    # Whoever sees the meeting sees its minutes (tests/secretariat/test_rules_matrix.py: observers read only
    # public records).
    **{("view", visibility): meetings.EXPECTED[("view", visibility)] for visibility in VISIBILITIES},
    # Writing, circulating and adopting: the secretariat that runs the meeting.
    ("keep", "public"): {"secretariat"},
    ("keep", "dialogue"): {"secretariat"},
    ("keep", "party"): set(),
    ("edit", "public"): {"secretariat"},
    ("edit", "dialogue"): {"secretariat"},
    ("edit", "party"): set(),
    # Amendments to circulated minutes: those who attended (or accepted, attendance not taken) and see them.
    ("propose_amendment", "public"): {"delegate_pk", "analyst_my", "observer"},
    ("propose_amendment", "dialogue"): {"delegate_pk", "analyst_my"},
    ("propose_amendment", "party"): set(),
    ("decide_amendment", "public"): {"secretariat"},
    ("decide_amendment", "dialogue"): {"secretariat"},
    ("decide_amendment", "party"): set(),
}


def _invite(personas, meeting) -> None:
    s = personas.secretariat
    attended = {"delegate_pk": True, "delegate_my": False, "observer": True}
    for name in ("delegate_pk", "delegate_my", "analyst_my", "analyst_pk", "observer"):
        participant = actions.do_add_participant(actor=s, meeting=meeting, user=personas.users[name])
        if name in attended:
            actions.do_record_attendance(actor=s, participant=participant, attended=attended[name])
    actions.do_set_rsvp(
        actor=personas.analyst_my,
        participant=meeting.participants.get(user=personas.analyst_my),
        rsvp="accepted",
    )


def _circulated(personas, visibility):
    """Circulated minutes of the meeting with ``visibility``, and an amendment proposed to them."""
    if visibility == "party":  # the secretariat cannot keep these: written as the caucus's own record
        meeting = make_meeting(personas, title="MY caucus", visibility="party", party=personas.my)
        minutes = Minutes.objects.create(meeting=meeting, language="en", body="We met.", state="circulated")
        return minutes, minutes.amendments.create(proposed_by=personas.delegate_my, replacement="x")
    meeting = make_meeting(personas, title=visibility.title(), visibility=visibility)
    _invite(personas, meeting)
    minutes = ma.do_save_minutes(actor=personas.secretariat, meeting=meeting, language="en", body="We met.")
    ma.do_transition_minutes(actor=personas.secretariat, minutes=minutes, to="circulated")
    amendment = ma.do_propose_amendment(actor=personas.delegate_pk, minutes=minutes, replacement="And ate.")
    return minutes, amendment


@pytest.fixture
def kept(personas):
    return {visibility: _circulated(personas, visibility) for visibility in VISIBILITIES}


def _allowed(personas, kept, role, action, visibility) -> bool:
    user = _user(personas, role)
    minutes, amendment = kept[visibility]
    return {
        "view": lambda: rules.can_view(user, minutes),
        "keep": lambda: rules.can_keep_minutes(user, minutes.meeting),
        "edit": lambda: rules.can_edit_minutes(user, minutes),
        "propose_amendment": lambda: rules.can_propose_amendment(user, minutes),
        "decide_amendment": lambda: rules.can_decide_amendment(user, amendment),
    }[action]()


@pytest.mark.django_db
@over_cells(EXPECTED)
def test_rules_match_the_matrix(personas, kept, role, action, visibility):
    assert _allowed(personas, kept, role, action, visibility) == (role in EXPECTED[(action, visibility)])


@pytest.mark.django_db
@pytest.mark.parametrize("visibility", VISIBILITIES)
@pytest.mark.parametrize("role", ROLES)
def test_pages_and_api_follow_the_matrix(personas, kept, client, settings, role, visibility):
    """The minutes' page answers 404 to those who may not see them; circulating them back to draft through
    the API is the secretariat's (404 to those who may not see them, 403 to the others who are signed in)."""
    sign_in(client, personas, role, settings)
    minutes, _amendment = kept[visibility]
    sees = role in EXPECTED[("view", visibility)]
    assert client.get(reverse("secretariat:minutes", args=[minutes.pk])).status_code == (200 if sees else 404)
    response = client.post(
        f"/api/secretariat/minutes/{minutes.pk}/transition",
        json.dumps({"to": "draft"}),
        content_type="application/json",
    )
    if role == "anonymous":
        expected = 401
    else:
        expected = 200 if role in EXPECTED[("keep", visibility)] else 403 if sees else 404
    assert response.status_code == expected, response.content
    assert Minutes.objects.get(pk=minutes.pk).state == ("draft" if expected == 200 else "circulated")


@pytest.mark.django_db
def test_adopted_minutes_cannot_be_changed_by_anyone(personas, client, settings):
    settings.CONCORD_REQUIRE_2FA = False
    meeting = make_meeting(personas)
    participant = actions.do_add_participant(
        actor=personas.secretariat, meeting=meeting, user=personas.delegate_pk
    )
    actions.do_record_attendance(actor=personas.secretariat, participant=participant, attended=True)
    minutes = ma.do_save_minutes(
        actor=personas.secretariat, meeting=meeting, language="en", body="We agreed."
    )
    ma.do_transition_minutes(actor=personas.secretariat, minutes=minutes, to="circulated")
    amendment = ma.do_propose_amendment(
        actor=personas.delegate_pk, minutes=minutes, original="agreed", replacement="agreed unanimously"
    )
    ma.do_decide_amendment(actor=personas.secretariat, amendment=amendment, accept=True)
    for state in ("open", "in_progress", "closed"):  # minutes are adopted once the meeting is closed
        actions.do_transition_meeting(actor=personas.secretariat, meeting=meeting, to=state)
    ma.do_transition_minutes(actor=personas.secretariat, minutes=minutes, to="adopted")
    minutes.refresh_from_db()
    assert minutes.body == "We agreed unanimously." and minutes.is_locked
    with pytest.raises(ValidationError):
        ma.do_save_minutes(actor=personas.secretariat, meeting=meeting, language="en", body="Rewritten")
    with pytest.raises(ValidationError):
        ma.do_transition_minutes(actor=personas.secretariat, minutes=minutes, to="draft")
    with pytest.raises(ValidationError):
        ma.do_propose_amendment(actor=personas.delegate_pk, minutes=minutes, replacement="x")
    client.force_login(personas.secretariat)
    put = client.put(
        f"/api/secretariat/meetings/{meeting.pk}/minutes/en",
        json.dumps({"body": "Rewritten"}),
        content_type="application/json",
    )
    assert put.status_code == 400
    client.post(reverse("secretariat:minutes_edit", args=[meeting.pk, "en"]), {"body": "Rewritten"})
    assert Minutes.objects.get(pk=minutes.pk).body == "We agreed unanimously."
    assert [v.version for v in minutes.versions.all()] == [1, 2, 3, 4]


@pytest.mark.django_db
def test_only_attendees_propose_amendments(personas):
    meeting = make_meeting(personas)
    actions.do_add_participant(actor=personas.secretariat, meeting=meeting, user=personas.delegate_pk)
    minutes = ma.do_save_minutes(actor=personas.secretariat, meeting=meeting, language="ms", body="Minit.")
    ma.do_transition_minutes(actor=personas.secretariat, minutes=minutes, to="circulated")
    for name in ("delegate_pk", "delegate_my", "observer"):  # invited but never replied / not invited
        with pytest.raises(PermissionDenied):
            ma.do_propose_amendment(actor=personas.users[name], minutes=minutes, replacement="x")
