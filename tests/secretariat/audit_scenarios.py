"""Every secretariat write records an audit entry: one scenario per action and per unsafe API operation."""

from __future__ import annotations

from concord.secretariat import actions as a
from concord.secretariat.agenda import actions as aa
from tests.audit.scenarios import action, call, persona, scenarios

from .conftest import KL, add_item, make_commitment, make_meeting, open_meeting, record_outcome


def _wg(p):
    return a.do_create_working_group(actor=p.secretariat, dialogue=p.dialogue, slug="wg", name="WG")


def _open(p):
    return open_meeting(p, make_meeting(p))


def _item(p, meeting=None):
    meeting = meeting or make_meeting(p)
    return add_item(p, meeting, "Item")


def _outcome(p, kind="action"):
    meeting = make_meeting(p)
    item = _item(p, meeting)
    open_meeting(p, meeting)
    return record_outcome(p, item, kind, "Do it")


def _participant(p, user):
    return a.do_add_participant(actor=p.secretariat, meeting=make_meeting(p), user=user)


def _invited(p):
    return _participant(p, p.delegate_my)


def _group_of(p, *users):
    group = _wg(p)
    for user in users:
        a.do_add_working_group_member(actor=p.secretariat, working_group=group, user=user)
    return group


def _agenda(p):
    meeting = make_meeting(p)
    return [_item(p, meeting), _item(p, meeting)]


def _backlog_item(p, actor="secretariat"):
    return a.do_add_agenda_item(actor=getattr(p, actor), dialogue=p.dialogue, title="Backlog")


def _member_of_group(p):
    return _group_of(p, p.delegate_my).members.get()


ACTIONS = scenarios(
    action(a.do_create_working_group, "working_group.create", via=_wg),
    action(
        a.do_add_working_group_member, "working_group.member", working_group=_wg, user=persona("delegate_my")
    ),
    action(a.do_create_meeting, "meeting.create", via=make_meeting),
    action(a.do_update_meeting, "meeting.update", meeting=make_meeting, venue="Lahore"),
    action(a.do_transition_meeting, "meeting.transition", meeting=make_meeting, to="open"),
    action(a.do_add_participant, "participant.add", via=_invited),
    action(a.do_set_rsvp, "participant.rsvp", "delegate_my", participant=_invited, rsvp="accepted"),
    action(a.do_record_attendance, "participant.attendance", participant=_invited, attended=True),
    action(a.do_add_agenda_item, "agenda_item.create", via=_item),
    action(
        a.do_send_to_agenda,
        "agenda_item.create",
        obj=lambda p: make_commitment(p, code="S-1"),
        meeting=make_meeting,
    ),
    action(
        a.do_schedule_item,
        "agenda_item.schedule",
        item=lambda p: _backlog_item(p, "delegate_my"),
        meeting=make_meeting,
    ),
    action(a.do_record_outcome, "outcome.create", via=_outcome),
    action(a.do_complete_action, "outcome.action_done", outcome=_outcome),
    action(
        a.do_state_position,
        "outcome.position",
        "delegate_pk",
        outcome=_outcome,
        party=persona("pk"),
        stance="supports",
    ),
    action(a.do_cancel_meeting, "meeting.cancel", meeting=make_meeting, reason="No quorum"),
    action(
        a.do_invite_working_group,
        "participant.invite_group",
        meeting=make_meeting,
        working_group=lambda p: _group_of(p, p.delegate_my),
    ),
    action(a.do_remove_participant, "participant.remove", participant=_invited),
    action(a.do_remove_working_group_member, "working_group.member_remove", member=_member_of_group),
    action(aa.do_update_agenda_item, "agenda_item.update", item=_item, title="Renamed"),
    action(aa.do_move_agenda_item, "agenda_item.move", item=lambda p: _agenda(p)[1], direction="up"),
    action(aa.do_delete_agenda_item, "agenda_item.delete", item=_item),
)

API = scenarios(
    call(
        "POST /api/secretariat/meetings",
        "meeting.create",
        body={"dialogue": "pk-my", "title": "T", "level": "ministerial"},
    ),
    call("PATCH /api/secretariat/meetings/{meeting_id}", "meeting.update", make_meeting, {"venue": "Baku"}),
    call(
        "POST /api/secretariat/meetings/{meeting_id}/transition",
        "meeting.transition",
        make_meeting,
        {"to": "open"},
    ),
    call(
        "POST /api/secretariat/meetings/{meeting_id}/participants",
        "participant.add",
        make_meeting,
        lambda p, _meeting: {"email": p.delegate_my.email},
    ),
    call(
        "POST /api/secretariat/meetings/{meeting_id}/rsvp",
        "participant.rsvp",
        lambda p: _participant(p, p.secretariat).meeting_id,
        {"rsvp": "accepted"},
    ),
    call(
        "POST /api/secretariat/meetings/{meeting_id}/agenda",
        "agenda_item.create",
        make_meeting,
        {"title": "Item", "kind": "decision"},
    ),
    call(
        "POST /api/secretariat/agenda-items/{item_id}/outcomes",
        "outcome.create",
        lambda p: _item(p, _open(p)),
        {"kind": "decision", "disposition": "agreed", "text": "Agreed", "review_date": "2026-05-01"},
    ),
    call(
        "POST /api/secretariat/outcomes/{outcome_id}/positions",
        "outcome.position",
        _outcome,
        {"party": "MY", "stance": "supports"},
    ),
    call(
        "POST /api/secretariat/working-groups",
        "working_group.create",
        body={"dialogue": "pk-my", "slug": "cyber", "name": "Cyber"},
    ),
    call("POST /api/secretariat/backlog", "agenda_item.create", body={"dialogue": "pk-my", "title": "Later"}),
    call(
        "POST /api/secretariat/meetings/{meeting_id}/schedule",
        "agenda_item.schedule",
        make_meeting,
        lambda p, _meeting: {"item": _backlog_item(p).pk},
    ),
    call(
        "POST /api/secretariat/meetings/{meeting_id}/attendance",
        "participant.attendance",
        lambda p: _invited(p).meeting_id,
        lambda p, _meeting: {"email": p.delegate_my.email, "attended": True},
    ),
    call("POST /api/secretariat/outcomes/{outcome_id}/done", "outcome.action_done", _outcome, {"done": True}),
    call(
        "POST /api/secretariat/meetings/{meeting_id}/cancel",
        "meeting.cancel",
        make_meeting,
        {"reason": "No quorum"},
    ),
    call(
        "POST /api/secretariat/meetings/{meeting_id}/invite-group",
        "participant.invite_group",
        make_meeting,
        lambda p, _meeting: {"working_group": _group_of(p, p.delegate_my).pk},
    ),
    call("DELETE /api/secretariat/participants/{participant_id}", "participant.remove", _invited),
    call(
        "POST /api/secretariat/working-groups/{group_id}/members",
        "working_group.member",
        _wg,
        {"email": "delegate_my@test.example", "position": "co_chair", "party": "MY"},
    ),
    call(
        "DELETE /api/secretariat/working-group-members/{member_id}",
        "working_group.member_remove",
        _member_of_group,
    ),
    call("PATCH /api/secretariat/agenda-items/{item_id}", "agenda_item.update", _item, {"title": "Renamed"}),
    call(
        "POST /api/secretariat/agenda-items/{item_id}/move",
        "agenda_item.move",
        lambda p: _agenda(p)[0],
        {"direction": "down"},
    ),
    call("DELETE /api/secretariat/agenda-items/{item_id}", "agenda_item.delete", _item),
)


__all__ = ["ACTIONS", "API", "KL"]
