"""Every minutes write records an audit entry: one scenario per action and per unsafe API operation."""

from __future__ import annotations

import json

from concord.minutes import actions as ma
from concord.secretariat import actions as a
from tests.secretariat.audit_scenarios import J, _post
from tests.secretariat.conftest import make_meeting


def _minutes(p, state="draft"):
    meeting = make_meeting(p)
    a.do_add_participant(actor=p.secretariat, meeting=meeting, user=p.delegate_pk)
    participant = meeting.participants.get(user=p.delegate_pk)
    a.do_record_attendance(actor=p.secretariat, participant=participant, attended=True)
    minutes = ma.do_save_minutes(actor=p.secretariat, meeting=meeting, language="en", body="We met.")
    if state != "draft":
        ma.do_transition_minutes(actor=p.secretariat, minutes=minutes, to="circulated")
    return minutes


def _amendment(p):
    return ma.do_propose_amendment(
        actor=p.delegate_pk, minutes=_minutes(p, "circulated"), replacement="And ate."
    )


def _minutes_attended_by_secretariat(p):
    meeting = make_meeting(p)
    participant = a.do_add_participant(actor=p.secretariat, meeting=meeting, user=p.secretariat)
    a.do_record_attendance(actor=p.secretariat, participant=participant, attended=True)
    minutes = ma.do_save_minutes(actor=p.secretariat, meeting=meeting, language="en", body="We met.")
    return ma.do_transition_minutes(actor=p.secretariat, minutes=minutes, to="circulated")


ACTIONS = {
    "minutes.actions.do_save_minutes": lambda p: (_minutes(p), "minutes.create")[1],
    "minutes.actions.do_transition_minutes": lambda p: (
        _minutes(p, "circulated"),
        "minutes.transition",
    )[1],
    "minutes.actions.do_propose_amendment": lambda p: (
        _amendment(p),
        "minutes.amendment.propose",
    )[1],
    "minutes.actions.do_decide_amendment": lambda p: (
        ma.do_decide_amendment(actor=p.secretariat, amendment=_amendment(p), accept=True),
        "minutes.amendment.decide",
    )[1],
}

API = {
    ("PUT", "/api/secretariat/meetings/{meeting_id}/minutes/{language}"): lambda p, c: (
        c.put(
            f"/api/secretariat/meetings/{make_meeting(p).pk}/minutes/ms",
            json.dumps({"body": "Minit"}),
            content_type=J,
        ),
        "minutes.create",
    ),
    ("POST", "/api/secretariat/minutes/{minutes_id}/transition"): lambda p, c: (
        _post(c, f"/api/secretariat/minutes/{_minutes(p).pk}/transition", {"to": "circulated"}),
        "minutes.transition",
    ),
    ("POST", "/api/secretariat/minutes/{minutes_id}/amendments"): lambda p, c: (
        _post(
            c,
            f"/api/secretariat/minutes/{_minutes_attended_by_secretariat(p).pk}/amendments",
            {"replacement": "Also."},
        ),
        "minutes.amendment.propose",
    ),
    ("POST", "/api/secretariat/amendments/{amendment_id}/decision"): lambda p, c: (
        _post(c, f"/api/secretariat/amendments/{_amendment(p).pk}/decision", {"accept": False}),
        "minutes.amendment.decide",
    ),
}
