"""Each public action on minutes and their amendments, accepted and refused.

A refused call names the problem and writes nothing (no row, no audit entry); an accepted call records
exactly one audit entry of its kind. The last test requires such tests for every action of the app.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from concord.minutes import actions as ma
from concord.minutes.models import Amendment, Minutes
from concord.secretariat import actions as a
from tests.behaviour import audited, denied, invalid, missing_behaviour_tests

from .audit_scenarios import _amendment, _minutes
from .conftest import open_meeting

pytestmark = pytest.mark.django_db


def _close(personas, meeting):
    a.do_transition_meeting(actor=personas.secretariat, meeting=meeting, to="closed")
    return meeting


def test_minutes_are_kept_by_the_secretariat_in_three_languages(personas, meeting):
    with denied("Only the secretariat keeps the minutes.", Minutes):
        ma.do_save_minutes(actor=personas.delegate_my, meeting=meeting, language="en", body="We met.")
    with invalid("Minutes are kept in English, Malay or Urdu.", Minutes):
        ma.do_save_minutes(actor=personas.secretariat, meeting=meeting, language="fr", body="Nous.")
    with audited("minutes.create"):
        minutes = ma.do_save_minutes(actor=personas.secretariat, meeting=meeting, language="ms", body="Kami.")
    assert (minutes.language, minutes.version) == ("ms", 1)


def test_adopted_minutes_are_locked(personas):
    minutes = _minutes(personas, "circulated")
    _close(personas, open_meeting(personas, minutes.meeting))
    ma.do_transition_minutes(actor=personas.secretariat, minutes=minutes, to="adopted")
    with invalid("These minutes were adopted and are locked", objects=[minutes]):
        ma.do_save_minutes(
            actor=personas.secretariat, meeting=minutes.meeting, language="en", body="Rewritten"
        )


def test_minutes_of_a_meeting_in_progress_cannot_be_adopted(personas):
    minutes = _minutes(personas, "circulated")
    open_meeting(personas, minutes.meeting)
    with invalid("Minutes can be adopted only after the meeting is closed", objects=[minutes]):
        ma.do_transition_minutes(actor=personas.secretariat, minutes=minutes, to="adopted")
    with denied("Only the secretariat keeps the minutes.", objects=[minutes]):
        ma.do_transition_minutes(actor=personas.delegate_pk, minutes=minutes, to="draft")
    draft = ma.do_save_minutes(actor=personas.secretariat, meeting=minutes.meeting, language="ur", body="ہم")
    with invalid("Minutes that are “Draft” cannot become “Adopted”.", objects=[draft]):
        ma.do_transition_minutes(actor=personas.secretariat, minutes=draft, to="adopted")
    _close(personas, minutes.meeting)
    with audited("minutes.transition", alone=False):
        ma.do_transition_minutes(actor=personas.secretariat, minutes=minutes, to="adopted")
    assert Minutes.objects.get(pk=minutes.pk).state == "adopted"


def test_amendments_come_from_those_who_attended_while_circulated(personas):
    draft = _minutes(personas)
    with invalid("Amendments are proposed while the minutes are circulated.", Amendment):
        ma.do_propose_amendment(actor=personas.delegate_pk, minutes=draft, replacement="And ate.")
    ma.do_transition_minutes(actor=personas.secretariat, minutes=draft, to="circulated")
    with denied("Only those who attended can propose amendments.", Amendment):
        ma.do_propose_amendment(actor=personas.delegate_my, minutes=draft, replacement="And ate.")
    with invalid("The text to replace does not appear in the minutes.", Amendment):
        ma.do_propose_amendment(
            actor=personas.delegate_pk, minutes=draft, original="We danced.", replacement="x"
        )
    with audited("minutes.amendment.propose"):
        amendment = ma.do_propose_amendment(
            actor=personas.delegate_pk, minutes=draft, original="We met.", replacement="We met in Putrajaya."
        )
    assert amendment.state == "proposed"


def test_an_amendment_is_decided_once_by_the_secretariat(personas):
    amendment = _amendment(personas)
    with denied("Only the secretariat decides amendments.", objects=[amendment, amendment.minutes]):
        ma.do_decide_amendment(actor=personas.delegate_pk, amendment=amendment, accept=True)
    with audited("minutes.amendment.decide"):
        ma.do_decide_amendment(actor=personas.secretariat, amendment=amendment, accept=True)
    minutes = Minutes.objects.get(pk=amendment.minutes_id)
    assert minutes.body.endswith("And ate.") and minutes.version == 3
    with invalid("This amendment was decided already.", objects=[amendment, minutes]):
        ma.do_decide_amendment(actor=personas.secretariat, amendment=amendment, accept=False)


def test_behaviour_tests_name_every_minutes_action():
    missing = missing_behaviour_tests(["concord.minutes"], [Path(__file__)])
    assert missing == {"no refusal test": [], "no accepted test": []}, missing
