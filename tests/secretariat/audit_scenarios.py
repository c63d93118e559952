"""Every secretariat write records an audit entry: one scenario per action and per unsafe API operation."""

from __future__ import annotations

import json

from concord.commitments import actions as ca
from concord.secretariat import actions as a
from concord.secretariat.agenda import actions as aa

from .conftest import KL, make_commitment, make_meeting, open_meeting

J = "application/json"


def _wg(p):
    return a.do_create_working_group(actor=p.secretariat, dialogue=p.dialogue, slug="wg", name="WG")


def _open(p):
    return open_meeting(p, make_meeting(p))


def _item(p, meeting=None):
    meeting = meeting or make_meeting(p)
    return a.do_add_agenda_item(actor=p.secretariat, dialogue=p.dialogue, meeting=meeting, title="Item")


def _outcome(p, kind="action"):
    meeting = make_meeting(p)
    item = _item(p, meeting)
    open_meeting(p, meeting)
    return a.do_record_outcome(actor=p.secretariat, item=item, kind=kind, disposition="agreed", text="Do it")


def _participant(p, user):
    return a.do_add_participant(actor=p.secretariat, meeting=make_meeting(p), user=user)


def _update(p):
    return ca.do_submit_progress(
        actor=p.delegate_my, commitment=make_commitment(p, "U"), text="t", percent=10
    )


def _milestone(p):
    return ca.do_add_milestone(actor=p.secretariat, commitment=make_commitment(p, "M"), title="m")


def _group_of(p, *users):
    group = _wg(p)
    for user in users:
        a.do_add_working_group_member(actor=p.secretariat, working_group=group, user=user)
    return group


def _agenda(p):
    meeting = make_meeting(p)
    return [_item(p, meeting), _item(p, meeting)]


CSV = b"code,title,start_date,end_date\nI-1,Imported,2026-01-01,2026-06-30\n"

ACTIONS = {
    "secretariat.actions.do_create_working_group": lambda p: (_wg(p), "working_group.create")[1],
    "secretariat.actions.do_add_working_group_member": lambda p: (
        a.do_add_working_group_member(actor=p.secretariat, working_group=_wg(p), user=p.delegate_my),
        "working_group.member",
    )[1],
    "secretariat.actions.do_create_meeting": lambda p: (make_meeting(p), "meeting.create")[1],
    "secretariat.actions.do_update_meeting": lambda p: (
        a.do_update_meeting(actor=p.secretariat, meeting=make_meeting(p), venue="Lahore"),
        "meeting.update",
    )[1],
    "secretariat.actions.do_transition_meeting": lambda p: (
        a.do_transition_meeting(actor=p.secretariat, meeting=make_meeting(p), to="open"),
        "meeting.transition",
    )[1],
    "secretariat.actions.do_add_participant": lambda p: (_participant(p, p.delegate_my), "participant.add")[
        1
    ],
    "secretariat.actions.do_set_rsvp": lambda p: (
        a.do_set_rsvp(actor=p.delegate_my, participant=_participant(p, p.delegate_my), rsvp="accepted"),
        "participant.rsvp",
    )[1],
    "secretariat.actions.do_record_attendance": lambda p: (
        a.do_record_attendance(
            actor=p.secretariat, participant=_participant(p, p.delegate_my), attended=True
        ),
        "participant.attendance",
    )[1],
    "secretariat.actions.do_add_agenda_item": lambda p: (_item(p), "agenda_item.create")[1],
    "secretariat.actions.do_send_to_agenda": lambda p: (
        a.do_send_to_agenda(actor=p.secretariat, obj=make_commitment(p, code="S-1"), meeting=make_meeting(p)),
        "agenda_item.create",
    )[1],
    "secretariat.actions.do_schedule_item": lambda p: (
        a.do_schedule_item(
            actor=p.secretariat,
            item=a.do_add_agenda_item(actor=p.delegate_my, dialogue=p.dialogue, title="Backlog"),
            meeting=make_meeting(p),
        ),
        "agenda_item.schedule",
    )[1],
    "secretariat.actions.do_record_outcome": lambda p: (_outcome(p), "outcome.create")[1],
    "secretariat.actions.do_complete_action": lambda p: (
        a.do_complete_action(actor=p.secretariat, outcome=_outcome(p)),
        "outcome.action_done",
    )[1],
    "secretariat.actions.do_state_position": lambda p: (
        a.do_state_position(actor=p.delegate_pk, outcome=_outcome(p), party=p.pk, stance="supports"),
        "outcome.position",
    )[1],
    "secretariat.actions.do_cancel_meeting": lambda p: (
        a.do_cancel_meeting(actor=p.secretariat, meeting=make_meeting(p), reason="No quorum"),
        "meeting.cancel",
    )[1],
    "secretariat.actions.do_invite_working_group": lambda p: (
        a.do_invite_working_group(
            actor=p.secretariat, meeting=make_meeting(p), working_group=_group_of(p, p.delegate_my)
        ),
        "participant.invite_group",
    )[1],
    "secretariat.actions.do_remove_participant": lambda p: (
        a.do_remove_participant(actor=p.secretariat, participant=_participant(p, p.delegate_my)),
        "participant.remove",
    )[1],
    "secretariat.actions.do_remove_working_group_member": lambda p: (
        a.do_remove_working_group_member(
            actor=p.secretariat, member=_group_of(p, p.delegate_my).members.get()
        ),
        "working_group.member_remove",
    )[1],
    "secretariat.agenda.actions.do_update_agenda_item": lambda p: (
        aa.do_update_agenda_item(actor=p.secretariat, item=_item(p), title="Renamed"),
        "agenda_item.update",
    )[1],
    "secretariat.agenda.actions.do_move_agenda_item": lambda p: (
        aa.do_move_agenda_item(actor=p.secretariat, item=_agenda(p)[1], direction="up"),
        "agenda_item.move",
    )[1],
    "secretariat.agenda.actions.do_delete_agenda_item": lambda p: (
        aa.do_delete_agenda_item(actor=p.secretariat, item=_item(p)),
        "agenda_item.delete",
    )[1],
}


def _post(c, url, data):
    return c.post(url, json.dumps(data), content_type=J)


API = {
    ("POST", "/api/secretariat/meetings"): lambda p, c: (
        _post(c, "/api/secretariat/meetings", {"dialogue": "pk-my", "title": "T", "level": "ministerial"}),
        "meeting.create",
    ),
    ("PATCH", "/api/secretariat/meetings/{meeting_id}"): lambda p, c: (
        c.patch(
            f"/api/secretariat/meetings/{make_meeting(p).pk}", json.dumps({"venue": "Baku"}), content_type=J
        ),
        "meeting.update",
    ),
    ("POST", "/api/secretariat/meetings/{meeting_id}/transition"): lambda p, c: (
        _post(c, f"/api/secretariat/meetings/{make_meeting(p).pk}/transition", {"to": "open"}),
        "meeting.transition",
    ),
    ("POST", "/api/secretariat/meetings/{meeting_id}/participants"): lambda p, c: (
        _post(
            c, f"/api/secretariat/meetings/{make_meeting(p).pk}/participants", {"email": p.delegate_my.email}
        ),
        "participant.add",
    ),
    ("POST", "/api/secretariat/meetings/{meeting_id}/rsvp"): lambda p, c: (
        _post(
            c,
            f"/api/secretariat/meetings/{_participant(p, p.secretariat).meeting_id}/rsvp",
            {"rsvp": "accepted"},
        ),
        "participant.rsvp",
    ),
    ("POST", "/api/secretariat/meetings/{meeting_id}/agenda"): lambda p, c: (
        _post(
            c, f"/api/secretariat/meetings/{make_meeting(p).pk}/agenda", {"title": "Item", "kind": "decision"}
        ),
        "agenda_item.create",
    ),
    ("POST", "/api/secretariat/agenda-items/{item_id}/outcomes"): lambda p, c: (
        _post(
            c,
            f"/api/secretariat/agenda-items/{_item(p, _open(p)).pk}/outcomes",
            {"kind": "decision", "disposition": "agreed", "text": "Agreed", "review_date": "2026-05-01"},
        ),
        "outcome.create",
    ),
    ("POST", "/api/secretariat/outcomes/{outcome_id}/positions"): lambda p, c: (
        _post(
            c, f"/api/secretariat/outcomes/{_outcome(p).pk}/positions", {"party": "MY", "stance": "supports"}
        ),
        "outcome.position",
    ),
    ("POST", "/api/secretariat/working-groups"): lambda p, c: (
        _post(c, "/api/secretariat/working-groups", {"dialogue": "pk-my", "slug": "cyber", "name": "Cyber"}),
        "working_group.create",
    ),
    ("POST", "/api/secretariat/backlog"): lambda p, c: (
        _post(c, "/api/secretariat/backlog", {"dialogue": "pk-my", "title": "Later"}),
        "agenda_item.create",
    ),
    ("POST", "/api/secretariat/meetings/{meeting_id}/schedule"): lambda p, c: (
        _post(
            c,
            f"/api/secretariat/meetings/{make_meeting(p).pk}/schedule",
            {"item": a.do_add_agenda_item(actor=p.secretariat, dialogue=p.dialogue, title="Backlog").pk},
        ),
        "agenda_item.schedule",
    ),
    ("POST", "/api/secretariat/meetings/{meeting_id}/attendance"): lambda p, c: (
        _post(
            c,
            f"/api/secretariat/meetings/{_participant(p, p.delegate_my).meeting_id}/attendance",
            {"email": p.delegate_my.email, "attended": True},
        ),
        "participant.attendance",
    ),
    ("POST", "/api/secretariat/outcomes/{outcome_id}/done"): lambda p, c: (
        _post(c, f"/api/secretariat/outcomes/{_outcome(p).pk}/done", {"done": True}),
        "outcome.action_done",
    ),
    ("POST", "/api/secretariat/meetings/{meeting_id}/cancel"): lambda p, c: (
        _post(c, f"/api/secretariat/meetings/{make_meeting(p).pk}/cancel", {"reason": "No quorum"}),
        "meeting.cancel",
    ),
    ("POST", "/api/secretariat/meetings/{meeting_id}/invite-group"): lambda p, c: (
        _post(
            c,
            f"/api/secretariat/meetings/{make_meeting(p).pk}/invite-group",
            {"working_group": _group_of(p, p.delegate_my).pk},
        ),
        "participant.invite_group",
    ),
    ("DELETE", "/api/secretariat/participants/{participant_id}"): lambda p, c: (
        c.delete(f"/api/secretariat/participants/{_participant(p, p.delegate_my).pk}"),
        "participant.remove",
    ),
    ("POST", "/api/secretariat/working-groups/{group_id}/members"): lambda p, c: (
        _post(
            c,
            f"/api/secretariat/working-groups/{_wg(p).pk}/members",
            {"email": "delegate_my@test.example", "position": "co_chair", "party": "MY"},
        ),
        "working_group.member",
    ),
    ("DELETE", "/api/secretariat/working-group-members/{member_id}"): lambda p, c: (
        c.delete(f"/api/secretariat/working-group-members/{_group_of(p, p.delegate_my).members.get().pk}"),
        "working_group.member_remove",
    ),
    ("PATCH", "/api/secretariat/agenda-items/{item_id}"): lambda p, c: (
        c.patch(
            f"/api/secretariat/agenda-items/{_item(p).pk}", json.dumps({"title": "Renamed"}), content_type=J
        ),
        "agenda_item.update",
    ),
    ("POST", "/api/secretariat/agenda-items/{item_id}/move"): lambda p, c: (
        _post(c, f"/api/secretariat/agenda-items/{_agenda(p)[0].pk}/move", {"direction": "down"}),
        "agenda_item.move",
    ),
    ("DELETE", "/api/secretariat/agenda-items/{item_id}"): lambda p, c: (
        c.delete(f"/api/secretariat/agenda-items/{_item(p).pk}"),
        "agenda_item.delete",
    ),
}


__all__ = ["ACTIONS", "API", "KL"]
