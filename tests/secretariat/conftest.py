"""Secretariat fixtures: a meeting with an agenda, and commitments, built through the actions."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from concord.commitments import actions as commitment_actions
from concord.secretariat import actions
from tests.harmonize.factories import ready_comparison, saved_mapping

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


def add_item(personas, meeting, title="Item", **kw):
    """An item on ``meeting``'s agenda, added by the secretariat."""
    return actions.do_add_agenda_item(
        actor=personas.secretariat, dialogue=personas.dialogue, meeting=meeting, title=title, **kw
    )


def record_outcome(personas, item, kind="decision", text="Agreed.", **kw):
    """An outcome of ``item``, recorded by the secretariat; agreed unless ``disposition`` says otherwise."""
    kw.setdefault("disposition", "agreed")
    return actions.do_record_outcome(actor=personas.secretariat, item=item, kind=kind, text=text, **kw)


def make_comparison(personas, visibility="dialogue", title="MY–PK data protection"):
    """A comparison of the two parties' documents owned by Malaysia, ready for its mappings to go to the
    agenda."""
    return ready_comparison(personas, title, visibility=visibility, party=personas.my)


def make_contested_mapping(comparison, key="s1", source_label="MY s1", target_label="PK s1"):
    """A mapping of ``comparison`` whose reviewers disagree: what goes to a meeting to be settled."""
    return saved_mapping(
        comparison, source_label, target_label, key, relationship="intersects-with", agreement="contested"
    )


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
