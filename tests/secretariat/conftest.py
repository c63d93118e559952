"""Secretariat fixtures: a meeting with an agenda, and commitments, built through the actions."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from concord.commitments import actions as commitment_actions
from concord.secretariat import actions

KL = ZoneInfo("Asia/Kuala_Lumpur")


def make_meeting(personas, **kw):
    defaults = {
        "actor": personas.secretariat,
        "dialogue": personas.dialogue,
        "title": "Senior officials meeting",
        "level": "senior_officials",
        "starts_at": dt.datetime(2026, 3, 10, 9, 30, tzinfo=KL),
        "ends_at": dt.datetime(2026, 3, 10, 17, 0, tzinfo=KL),
        "time_zone": "Asia/Kuala_Lumpur",
        "venue": "Putrajaya",
    }
    defaults.update(kw)
    return actions.do_create_meeting(**defaults)


def open_meeting(personas, meeting):
    actions.do_transition_meeting(actor=personas.secretariat, meeting=meeting, to="open")
    actions.do_transition_meeting(actor=personas.secretariat, meeting=meeting, to="in_progress")
    return meeting


def make_commitment(personas, code="C-1", **kw):
    defaults = {
        "actor": personas.secretariat,
        "dialogue": personas.dialogue,
        "code": code,
        "title": f"Commitment {code}",
        "is_joint": True,
    }
    defaults.update(kw)
    return commitment_actions.do_create_commitment(**defaults)


@pytest.fixture
def meeting(personas):
    return make_meeting(personas)


@pytest.fixture
def commitment(personas):
    return make_commitment(personas)
