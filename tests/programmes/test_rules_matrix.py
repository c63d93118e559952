"""The registry's permission matrix: every role × visibility × action, written out by hand from
concord/programmes/rules.py, then checked through the rules, the pages and the API.

The programme belongs to Malaysia (MY). Its contact points are ``delegate_my`` and ``analyst_my``.
"""

from __future__ import annotations

import pytest

from concord.programmes import rules
from tests.matrix import (
    MEMBERS,
    MY_DELEGATION,
    ROLES,
    VISIBILITIES,
    assert_complete,
    assert_page_shown,
    assert_row,
    over,
    sign_in,
)
from tests.matrix import user_of as _user

from .conftest import make_programme

ACTIONS = ["view", "edit", "delete", "manage_details", "create_same"]

EXPECTED = {
    "view": {"public": set(ROLES), "dialogue": MEMBERS, "party": MY_DELEGATION},
    "edit": {
        "public": MY_DELEGATION | {"secretariat"},
        "dialogue": MY_DELEGATION | {"secretariat"},
        "party": MY_DELEGATION,
    },
    "delete": {
        "public": {"delegate_my", "secretariat"},
        "dialogue": {"delegate_my", "secretariat"},
        "party": {"delegate_my"},
    },
    "manage_details": {
        "public": MY_DELEGATION | {"secretariat"},
        "dialogue": MY_DELEGATION | {"secretariat"},
        "party": MY_DELEGATION,
    },
    # Recording a Malaysian programme with this visibility.
    "create_same": {
        "public": MY_DELEGATION | {"secretariat"},
        "dialogue": MY_DELEGATION | {"secretariat"},
        "party": MY_DELEGATION,
    },
}
CHECK = {
    "view": rules.can_view_programme,
    "edit": rules.can_edit_programme,
    "delete": rules.can_delete_programme,
    "manage_details": rules.can_manage_details,
    "create_same": lambda user, p: rules.can_create_programme(user, p.dialogue_id, p.visibility, p.party_id),
}


def test_matrix_is_complete():
    assert_complete(EXPECTED, ACTIONS, VISIBILITIES, CHECK)


@pytest.mark.django_db
@over(role=ROLES, visibility=VISIBILITIES)
def test_rules(personas, role, visibility):
    programme = make_programme(personas, visibility=visibility)
    assert_row(CHECK, _user(personas, role), programme, {a: EXPECTED[a][visibility] for a in ACTIONS}, role)


@pytest.mark.django_db
@over(role=ROLES, visibility=VISIBILITIES)
def test_pages_and_api_follow_the_view_rule(personas, client, settings, role, visibility):
    programme = make_programme(personas, visibility=visibility, title="Unusual zebra crossing programme")
    sign_in(client, personas, role, settings)
    allowed = role in EXPECTED["view"][visibility]
    assert_page_shown(client, f"/programmes/{programme.pk}/", allowed, b"zebra")
    assert (b"zebra" in client.get("/programmes/").content) is allowed
    assert client.get(f"/api/programmes/{programme.pk}").status_code == (200 if allowed else 404)
    listed = [x["id"] for x in client.get("/api/programmes").json()["items"]]
    assert (programme.pk in listed) is allowed
    assert client.get(f"/api/programmes/{programme.pk}/indicators").status_code == (200 if allowed else 404)


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_pages_and_api_follow_the_edit_and_delete_rules(personas, client, settings, role):
    programme = make_programme(personas, visibility="dialogue")
    sign_in(client, personas, role, settings)
    can_edit = role in EXPECTED["edit"]["dialogue"]
    can_delete = role in EXPECTED["delete"]["dialogue"]
    edit_page = client.get(f"/programmes/{programme.pk}/edit/")
    if role == "anonymous":
        assert edit_page.status_code == 302  # to the sign-in page
    else:
        assert edit_page.status_code == (200 if can_edit else 404 if role == "outsider" else 403)
    patched = client.patch(
        f"/api/programmes/{programme.pk}", '{"title": "Renamed"}', content_type="application/json"
    )
    assert (patched.status_code == 200) is can_edit
    programme.refresh_from_db()
    assert (programme.title == "Renamed") is can_edit
    deleted = client.delete(f"/api/programmes/{programme.pk}")
    assert (deleted.status_code == 204) is can_delete
