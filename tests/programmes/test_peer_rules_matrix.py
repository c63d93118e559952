"""The peer-learning requests' permission matrix: every role × visibility × action, written out by hand
from concord/programmes/rules.py, then checked through the rules, the pages and the API.

The request is Malaysia's question to Pakistan, asked by ``analyst_my``. Pakistan's contact points answer;
Malaysia's follow up, and close or reopen it.
"""

from __future__ import annotations

import pytest

from concord.programmes import rules
from concord.programmes.peer import actions
from tests.matrix import MEMBERS, ROLES, assert_complete, assert_row, over, sign_in
from tests.matrix import user_of as _user

from .peer_fixtures import answer, make_request

VISIBILITIES = ["public", "dialogue"]
MY_CONTACTS = {"analyst_my", "delegate_my"}
PK_CONTACTS = {"analyst_pk", "delegate_pk"}

# action -> (whether the request is open, {visibility: roles allowed})
EXPECTED = {
    "view": (True, {"public": set(ROLES), "dialogue": MEMBERS}),
    "ask_as_my": (True, {v: MY_CONTACTS for v in VISIBILITIES}),
    "answer": (True, {v: MY_CONTACTS | PK_CONTACTS for v in VISIBILITIES}),
    "answer_closed": (False, {v: set() for v in VISIBILITIES}),
    "close": (True, {v: MY_CONTACTS for v in VISIBILITIES}),
    "reopen": (False, {v: MY_CONTACTS for v in VISIBILITIES}),
}
CHECK = {
    "view": rules.can_view_request,
    "ask_as_my": lambda u, r: rules.can_ask(u, r.dialogue_id, r.visibility, r.party_id),
    "answer": rules.can_answer_request,
    "answer_closed": rules.can_answer_request,
    "close": rules.can_close_request,
    "reopen": rules.can_close_request,
}


def _request(p, visibility: str, is_open: bool):
    request = make_request(p, visibility=visibility)
    if not is_open:
        answer(p, request)
        actions.do_close_request(actor=p.analyst_my, request=request)
    return request


def test_matrix_is_complete():
    assert_complete({a: by_visibility for a, (_at, by_visibility) in EXPECTED.items()}, CHECK, VISIBILITIES)


@pytest.mark.django_db
@over(role=ROLES, visibility=VISIBILITIES, is_open=[True, False])
def test_rules(personas, role, visibility, is_open):
    request = _request(personas, visibility, is_open)
    allowed = {a: by_visibility[visibility] for a, (o, by_visibility) in EXPECTED.items() if o == is_open}
    assert_row(CHECK, _user(personas, role), request, allowed, role)


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_nobody_asks_for_one_party_only(personas, role):
    assert not rules.can_ask(_user(personas, role), personas.dialogue.pk, "party", personas.my.pk)


@pytest.mark.django_db
@over(role=ROLES, visibility=VISIBILITIES)
def test_pages_and_api_follow_the_view_rule(personas, client, settings, role, visibility):
    request = _request(personas, visibility, True)
    sign_in(client, personas, role, settings)
    allowed = role in EXPECTED["view"][1][visibility]
    page = client.get(request.get_absolute_url())
    api = client.get(f"/api/peer-requests/{request.pk}")
    listed = client.get("/programmes/requests/").content.decode()
    assert page.status_code == (200 if allowed else 404)
    assert api.status_code == (200 if allowed else 404)
    assert (request.title in listed) is allowed


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_the_api_answers_as_the_rule_says(personas, client, settings, role):
    request = _request(personas, "public", True)
    sign_in(client, personas, role, settings)
    response = client.post(
        f"/api/peer-requests/{request.pk}/answers", {"text": "Here is how."}, content_type="application/json"
    )
    allowed = role in EXPECTED["answer"][1]["public"]
    assert response.status_code == (201 if allowed else (401 if role == "anonymous" else 403)), (
        response.content
    )
    assert request.answers.count() == (1 if allowed else 0)
