"""Every minutes write records an audit entry: one scenario per action and per unsafe API operation."""

from __future__ import annotations

import json

from concord.minutes import actions as ma
from concord.secretariat import actions as a
from tests.audit.scenarios import action, call, scenarios
from tests.secretariat.conftest import make_meeting


def _minutes(p, state="draft", attendee="delegate_pk"):
    """Minutes of a meeting ``attendee`` attended, in ``state`` (draft or circulated)."""
    meeting = make_meeting(p)
    participant = a.do_add_participant(actor=p.secretariat, meeting=meeting, user=getattr(p, attendee))
    a.do_record_attendance(actor=p.secretariat, participant=participant, attended=True)
    minutes = ma.do_save_minutes(actor=p.secretariat, meeting=meeting, language="en", body="We met.")
    if state != "draft":
        ma.do_transition_minutes(actor=p.secretariat, minutes=minutes, to="circulated")
    return minutes


def _amendment(p):
    return ma.do_propose_amendment(
        actor=p.delegate_pk, minutes=_minutes(p, "circulated"), replacement="And ate."
    )


ACTIONS = scenarios(
    action(ma.do_save_minutes, "minutes.create", via=_minutes),
    action(ma.do_transition_minutes, "minutes.transition", via=lambda p: _minutes(p, "circulated")),
    action(ma.do_propose_amendment, "minutes.amendment.propose", via=_amendment),
    action(ma.do_decide_amendment, "minutes.amendment.decide", amendment=_amendment, accept=True),
)


def _save_minutes_in_malay(p, client):
    """The one operation with two parameters in its path (the meeting and the language)."""
    url = f"/api/secretariat/meetings/{make_meeting(p).pk}/minutes/ms"
    return client.put(url, json.dumps({"body": "Minit"}), content_type="application/json"), "minutes.create"


API = scenarios(
    call(
        "POST /api/secretariat/minutes/{minutes_id}/transition",
        "minutes.transition",
        _minutes,
        {"to": "circulated"},
    ),
    call(
        "POST /api/secretariat/minutes/{minutes_id}/amendments",
        "minutes.amendment.propose",
        lambda p: _minutes(p, "circulated", attendee="secretariat"),
        {"replacement": "Also."},
    ),
    call(
        "POST /api/secretariat/amendments/{amendment_id}/decision",
        "minutes.amendment.decide",
        _amendment,
        {"accept": False},
    ),
)
API[("PUT", "/api/secretariat/meetings/{meeting_id}/minutes/{language}")] = _save_minutes_in_malay
