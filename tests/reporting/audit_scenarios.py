"""Every reporting write records an audit entry: one scenario per action and per unsafe API operation."""

from __future__ import annotations

import datetime as dt

from concord.reporting import actions as ra
from tests.audit.scenarios import call, scenarios
from tests.secretariat.conftest import make_commitment

ACTIONS = {
    "reporting.actions.do_request_dossier": lambda p: (
        ra.do_request_dossier(actor=p.secretariat, dialogue=p.dialogue),
        "dossier.request",
    )[1],
    "reporting.actions.do_send_reminders": lambda p: (
        make_commitment(p, "R", owner=p.delegate_my, end_date=dt.date(2026, 1, 10)),
        ra.do_send_reminders(actor=None, today=dt.date(2026, 1, 5)),
        "reminder.send",
    )[2],
}

API = scenarios(call("POST /api/secretariat/dossiers", "dossier.request", body={"dialogue": "pk-my"}))
