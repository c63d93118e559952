"""The directory's permission matrix: every role × listing state × action, written out by hand from
concord/directory/rules.py, then checked through the rules, the pages and the API.

The listing belongs to the Malaysian "Test University"; ``stakeholder`` represents it, ``stakeholder_pk``
represents a Pakistani university.
"""

from __future__ import annotations

import pytest

from concord.directory import rules
from concord.directory.actions import do_express_interest
from tests.matrix import assert_complete, assert_page_shown, assert_row, over, sign_in
from tests.matrix import user_of as _user

from .conftest import make_listing

ROLES = [
    "anonymous",
    "outsider",
    "observer",
    "stakeholder",
    "stakeholder_pk",
    "analyst_my",
    "analyst_pk",
    "delegate_my",
    "delegate_pk",
    "secretariat",
]
STATES = ["draft", "in_review", "published", "expired"]
ACTIONS = ["view", "edit", "submit", "review", "renew", "delete", "express_interest", "add_slot"]
OWNER = {"stakeholder", "secretariat"}

EXPECTED = {
    "view": {"draft": OWNER, "in_review": OWNER, "published": set(ROLES), "expired": OWNER},
    "edit": {"draft": OWNER, "in_review": set(), "published": set(), "expired": set()},
    "submit": {"draft": OWNER, "in_review": set(), "published": set(), "expired": set()},
    "review": {"draft": set(), "in_review": {"secretariat"}, "published": set(), "expired": set()},
    "renew": {"draft": set(), "in_review": set(), "published": OWNER, "expired": OWNER},
    "delete": {"draft": OWNER, "in_review": OWNER, "published": OWNER, "expired": OWNER},
    "express_interest": {
        "draft": set(),
        "in_review": set(),
        "published": {"stakeholder_pk", "secretariat"},
        "expired": set(),
    },
    "add_slot": {"draft": OWNER, "in_review": OWNER, "published": OWNER, "expired": OWNER},
}
CHECK = {
    "view": rules.can_view_listing,
    "edit": rules.can_edit_listing,
    "submit": rules.can_submit_listing,
    "review": rules.can_review_listing,
    "renew": rules.can_renew_listing,
    "delete": rules.can_delete_listing,
    "express_interest": rules.can_express_interest,
    "add_slot": rules.can_add_slot,
}


def test_matrix_is_complete():
    assert_complete(EXPECTED, ACTIONS, STATES, CHECK)


@pytest.mark.django_db
@over(role=ROLES, state=STATES)
def test_rules(eco, role, state):
    listing = make_listing(eco, state)
    assert_row(CHECK, _user(eco, role), listing, {a: EXPECTED[a][state] for a in ACTIONS}, role)


@pytest.mark.django_db
@over(role=ROLES, state=STATES)
def test_pages_and_api_follow_the_view_rule(eco, client, settings, role, state):
    listing = make_listing(eco, state, title="Unusual zebra sensor request")
    sign_in(client, eco, role, settings)
    allowed = role in EXPECTED["view"][state]
    assert_page_shown(client, f"/directory/listings/{listing.pk}/", allowed, b"zebra")
    assert client.get(f"/api/directory/listings/{listing.pk}").status_code == (200 if allowed else 404)
    listed_api = client.get("/api/directory/listings", {"status": state}).json()["items"]
    assert (listing.pk in [x["id"] for x in listed_api]) is allowed
    assert (b"zebra" in client.get("/directory/", {"status": state}).content) is allowed
    search = client.get("/api/search", {"q": "zebra"}).json()
    # Only published listings are searchable, and only by those who may see them.
    assert (search["total"] == 1) is (state == "published" and allowed)


@pytest.mark.django_db
@over(role=ROLES, visibility=["public", "dialogue"])
def test_published_listing_visibility(eco, role, visibility):
    listing = make_listing(eco, "published", visibility=visibility)
    members = set(ROLES) - {"anonymous", "outsider"}
    expected = set(ROLES) if visibility == "public" else members
    assert rules.can_view_listing(_user(eco, role), listing) is (role in expected)


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_who_decides_and_books(eco, role):
    from concord.directory.actions import do_decide_interest

    listing = make_listing(eco, "published")
    interest = do_express_interest(
        actor=eco.stakeholder_pk, listing=listing, organization=eco.pk_org, message="Hi"
    )
    user = _user(eco, role)
    assert rules.can_view_interest(user, interest) is (
        role in {"stakeholder", "stakeholder_pk", "secretariat"}
    )
    assert rules.can_decide_interest(user, interest) is (role in {"stakeholder", "secretariat"})
    do_decide_interest(actor=eco.stakeholder, interest=interest, accept=True)
    assert rules.can_book_slot(user, interest) is (role in {"stakeholder_pk", "secretariat"})
    assert rules.can_decide_interest(user, interest) is False  # decided once


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_who_edits_profiles_and_sees_recommendations(eco, role):
    user = _user(eco, role)
    assert rules.can_edit_profile(user, eco.university) is (role in OWNER)
    assert rules.can_see_recommendations(user, eco.pk_org) is (role in {"stakeholder_pk", "secretariat"})
    assert rules.can_merge(user) is (role == "secretariat")
