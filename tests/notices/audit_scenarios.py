"""Audit scenarios for notices (see tests/audit/test_every_write_is_audited.py)."""

from __future__ import annotations

from concord.notices import actions
from concord.notices.kinds import Kind


def notice_for(user, dialogue):
    [notice] = actions.do_notify(
        kind=Kind.AGENDA_CHANGED,
        recipients=[user],
        url="/secretariat/",
        params={"title": "Senior officials meeting", "item": "Data flows"},
        may_view=lambda u: True,
        about=dialogue,
    )
    return notice


ACTIONS = {
    "notices.actions.do_notify": lambda p: (notice_for(p.delegate_my, p.dialogue), "notice.send")[1],
    "notices.actions.do_mark_read": lambda p: (
        actions.do_mark_read(actor=p.delegate_my, notice=notice_for(p.delegate_my, p.dialogue)),
        "notice.read",
    )[1],
    "notices.actions.do_mark_all_read": lambda p: (
        notice_for(p.delegate_my, p.dialogue),
        actions.do_mark_all_read(actor=p.delegate_my),
        "notice.read_all",
    )[2],
    "notices.actions.do_set_email_choices": lambda p: (
        actions.do_set_email_choices(actor=p.delegate_my, user=p.delegate_my, email_kinds=[]),
        "notice.preferences",
    )[1],
}

API = {
    ("POST", "/api/notices/{notice_id}/read"): lambda p, c: (
        c.post(f"/api/notices/{notice_for(p.secretariat, p.dialogue).pk}/read"),
        "notice.read",
    ),
    ("POST", "/api/notices/read-all"): lambda p, c: (
        (notice_for(p.secretariat, p.dialogue), c.post("/api/notices/read-all"))[1],
        "notice.read_all",
    ),
}
