"""The permission matrix: every role × visibility × action, through the rules, the pages and the API.

The note under test belongs to the Malaysian delegation and was written by the Malaysian delegate.
"""

from __future__ import annotations

import json

import pytest

from concord.core import rules
from concord.core.models import Note
from tests import matrix
from tests.factories import make_note
from tests.matrix import MEMBERS, MY_DELEGATION, ROLES, VISIBILITIES, assert_complete, over, sign_in
from tests.matrix import user_of as _user

ACTIONS = ["view", "create", "edit", "delete", "export"]

# EXPECTED[action][visibility] = the roles allowed, written out by hand from concord/core/rules.py.
EXPECTED = {
    "view": {
        "public": set(ROLES),
        "dialogue": MEMBERS,
        "party": MY_DELEGATION,
    },
    "create": {
        "public": {"secretariat", "delegate_my", "analyst_my"},
        "dialogue": {"secretariat", "delegate_my", "analyst_my"},
        "party": MY_DELEGATION,
    },
    "edit": {
        "public": {"secretariat", "delegate_my"},
        "dialogue": {"secretariat", "delegate_my"},
        "party": {"delegate_my"},
    },
    "delete": {
        "public": {"secretariat", "delegate_my"},
        "dialogue": {"secretariat", "delegate_my"},
        "party": {"delegate_my"},
    },
    "export": {
        "public": set(ROLES) - {"anonymous"},
        "dialogue": MEMBERS,
        "party": MY_DELEGATION,
    },
}


def _note(personas, visibility) -> Note:
    return make_note(personas, f"A {visibility} note", visibility=visibility, body="Text.")


def test_matrix_is_complete():
    assert_complete(EXPECTED, ACTIONS, VISIBILITIES)


@pytest.mark.django_db
@over(role=ROLES, visibility=VISIBILITIES, action=ACTIONS)
def test_rule(personas, role, visibility, action):
    note = _note(personas, visibility)
    user = _user(personas, role)
    assert rules.can(user, action, note) is (role in EXPECTED[action][visibility])


@pytest.mark.django_db
@over(role=ROLES, visibility=VISIBILITIES)
def test_page_and_api_follow_the_view_rule(personas, client, settings, role, visibility):
    note = _note(personas, visibility)
    sign_in(client, personas, role, settings)
    allowed = role in EXPECTED["view"][visibility]
    matrix.assert_page_shown(client, f"/notes/{note.pk}/", allowed, note.title.encode())
    api = client.get(f"/api/notes/{note.pk}")
    assert api.status_code == (200 if allowed else 404)
    listed = client.get("/api/notes").json()["items"]
    assert (note.pk in [n["id"] for n in listed]) is allowed
    html_list = client.get("/notes/")
    assert (note.title.encode() in html_list.content) is allowed


@pytest.mark.django_db
@over(role=ROLES, visibility=VISIBILITIES)
def test_api_edit_and_delete_follow_the_rules(personas, client, settings, role, visibility):
    note = _note(personas, visibility)
    sign_in(client, personas, role, settings)
    response = client.patch(
        f"/api/notes/{note.pk}", data=json.dumps({"title": "Changed"}), content_type="application/json"
    )
    if role == "anonymous":
        assert response.status_code == 401
    elif role in EXPECTED["edit"][visibility]:
        assert response.status_code == 200, response.content
    elif role in EXPECTED["view"][visibility]:
        assert response.status_code == 403
    else:
        assert response.status_code == 404
    note.refresh_from_db()
    assert (note.title == "Changed") is (role in EXPECTED["edit"][visibility])

    response = client.delete(f"/api/notes/{note.pk}")
    deleted = not Note.objects.filter(pk=note.pk).exists()
    assert deleted is (role in EXPECTED["delete"][visibility])
    if deleted:
        assert response.status_code == 204


@pytest.mark.django_db
def test_an_analyst_may_edit_what_they_wrote_but_not_their_colleagues_notes(personas):
    own = make_note(personas, "Mine", by=personas.analyst_my, body="x")
    theirs = make_note(personas, "Theirs", by=personas.delegate_my, body="x")
    assert rules.can_edit(personas.analyst_my, own)
    assert not rules.can_edit(personas.analyst_my, theirs)
    assert not rules.can_delete(personas.analyst_my, own)


@pytest.mark.django_db
def test_an_ended_membership_loses_access(personas):
    from concord.accounts.actions import do_end_membership

    note = _note(personas, "party")
    membership = personas.delegate_my.memberships.get()
    do_end_membership(actor=personas.secretariat, membership=membership)
    fresh = type(personas.delegate_my).objects.get(pk=personas.delegate_my.pk)
    assert not rules.can_view(fresh, note)


@pytest.mark.django_db
def test_a_superuser_does_not_see_party_only_content(personas):
    from concord.accounts.models import User

    root = User.objects.create_superuser(email="root@test.example", password="x" * 20, full_name="Root")
    note = _note(personas, "party")
    assert not rules.can_view(root, note)
    assert note not in rules.visible(root, Note.objects.all())
