"""Audit scenarios for notices, as rows of tests/audit/scenarios.py (see
tests/audit/test_every_write_is_audited.py)."""

from __future__ import annotations

from functools import partial

from concord.notices import actions
from concord.notices.kinds import Kind
from tests.audit.scenarios import action, call, persona, scenarios


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


def _mine(p):
    return notice_for(p.delegate_my, p.dialogue)


def _all_read(p):
    _mine(p)
    actions.do_mark_all_read(actor=p.delegate_my)


def _all_read_by_the_secretariat(p, client):
    notice_for(p.secretariat, p.dialogue)
    return client.post("/api/notices/read-all"), "notice.read_all"


by_delegate = partial(action, actor="delegate_my")

ACTIONS = scenarios(
    action(actions.do_notify, "notice.send", via=_mine),
    by_delegate(actions.do_mark_read, "notice.read", notice=_mine),
    by_delegate(actions.do_mark_all_read, "notice.read_all", via=_all_read),
    by_delegate(
        actions.do_set_email_choices, "notice.preferences", user=persona("delegate_my"), email_kinds=[]
    ),
)

API = scenarios(
    call(
        "POST /api/notices/{notice_id}/read", "notice.read", lambda p: notice_for(p.secretariat, p.dialogue)
    ),
)
API[("POST", "/api/notices/read-all")] = _all_read_by_the_secretariat
