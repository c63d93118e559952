"""Each public action of the reporting (the round dossier, the reminders), accepted and refused.

A refused call names the problem and writes nothing: no row, no audit entry. An accepted call records exactly
one audit entry of its kind. The last test requires such tests for every action of the app.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from concord.audit.models import AuditEntry
from concord.commitments.models import SentReminder
from concord.core.models import Job
from concord.reporting import actions as ra
from tests.behaviour import audited, denied, missing_behaviour_tests, writes_nothing
from tests.secretariat.conftest import add_item, make_commitment, make_meeting, open_meeting, record_outcome

pytestmark = pytest.mark.django_db


def test_only_members_build_the_dossier(personas):
    with denied("Only members of the dialogue can build its dossier.", Job):
        ra.do_request_dossier(actor=personas.outsider, dialogue=personas.dialogue)
    with audited("dossier.request", alone=False):
        ra.do_request_dossier(actor=personas.observer, dialogue=personas.dialogue, language="ms")


def test_a_reminder_is_sent_once_and_shows_in_its_commitments_history(personas):
    commitment = make_commitment(personas, "R", owner=personas.delegate_my, end_date=dt.date(2026, 1, 10))
    with audited("reminder.send"):
        assert ra.do_send_reminders(actor=None, today=dt.date(2026, 1, 5)) == 1
    assert AuditEntry.objects.for_object(commitment).filter(action="reminder.send").count() == 1
    with writes_nothing(SentReminder):
        assert ra.do_send_reminders(actor=None, today=dt.date(2026, 1, 6)) == 0
    assert SentReminder.objects.get().recipient == personas.delegate_my.email


def test_an_action_reminder_shows_in_its_outcomes_history(personas):

    meeting = make_meeting(personas)
    item = add_item(personas, meeting, "Exchange", kind="discussion")
    open_meeting(personas, meeting)
    outcome = record_outcome(
        personas, item, "action", "Draft an exchange programme.", action_due=dt.date(2026, 1, 10)
    )
    with audited("reminder.send"):
        assert ra.do_send_reminders(actor=None, today=dt.date(2026, 1, 5)) == 1
    entry = AuditEntry.objects.for_object(outcome).get(action="reminder.send")
    assert entry.object_repr == "Draft an exchange programme."


def test_behaviour_tests_name_every_reporting_action():
    missing = missing_behaviour_tests(["concord.reporting"], [Path(__file__)])
    assert missing == {"no refusal test": [], "no accepted test": []}, missing
