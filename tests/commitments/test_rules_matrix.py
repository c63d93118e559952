"""The commitments' permission matrix, written out by hand from concord/commitments/rules.py, then checked
through the rules, the pages and the API.

The commitment under test is the dialogue's, recorded by the secretariat, joint; the progress update under
test was submitted by the Malaysian delegate.
"""

from __future__ import annotations

import json

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from concord.commitments import actions as ca
from concord.commitments import rules
from tests.matrix import ROLES, over_cells
from tests.matrix import user_of as _user
from tests.secretariat.conftest import make_commitment

EXPECTED = {
    ("submit_progress", "dialogue"): {
        "secretariat",
        "delegate_my",
        "delegate_pk",
        "analyst_my",
        "analyst_pk",
    },
    # A party cannot verify its own update: not the Malaysian delegation, not the submitter.
    ("verify_my_update", "dialogue"): {"secretariat", "delegate_pk"},
    ("add_milestone", "dialogue"): {"secretariat", "delegate_my", "delegate_pk"},
    ("import", "dialogue"): {"secretariat", "delegate_my", "delegate_pk"},
    # A commitment (created by the secretariat for the dialogue): its title, dates and owner.
    ("edit_commitment", "dialogue"): {"secretariat"},
    # Milestones' titles, dates and owners: who may add milestones.
    ("edit_milestone", "dialogue"): {"secretariat", "delegate_my", "delegate_pk"},
}


@pytest.fixture
def things(personas):
    commitment = make_commitment(personas)
    update = ca.do_submit_progress(actor=personas.delegate_my, commitment=commitment, text="t", percent=10)
    return {"commitment": commitment, "update": update}


def _allowed(personas, things, role, action):
    user = _user(personas, role)
    checks = {
        "submit_progress": lambda: rules.can_submit_progress(user, things["commitment"]),
        "verify_my_update": lambda: rules.can_verify(user, things["update"]),
        "add_milestone": lambda: rules.can_add_milestone(user, things["commitment"]),
        "import": lambda: rules.can_import(user, personas.dialogue.pk),
        "edit_commitment": lambda: rules.can_edit_commitment(user, things["commitment"]),
        "edit_milestone": lambda: rules.can_edit_milestone(user, things["commitment"]),
    }
    return checks[action]()


@pytest.mark.django_db
@over_cells(EXPECTED)
def test_rules_match_the_matrix(personas, things, role, action, visibility):
    assert _allowed(personas, things, role, action) == (role in EXPECTED[(action, visibility)])


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["delegate_my", "analyst_my"])
def test_a_party_cannot_verify_its_own_update_through_any_door(personas, things, client, settings, role):
    settings.CONCORD_REQUIRE_2FA = False
    update = things["update"]
    with pytest.raises(PermissionDenied):
        ca.do_review_progress(actor=personas.users[role], update=update, verify=True)
    client.force_login(personas.users[role])
    response = client.post(
        f"/api/secretariat/progress/{update.pk}/review",
        json.dumps({"verify": True}),
        content_type="application/json",
    )
    assert response.status_code == 403
    client.post(reverse("secretariat:progress_review", args=[update.pk]), {"decision": "verify"})
    update.refresh_from_db()
    assert update.state == "submitted"


@pytest.mark.django_db
def test_the_other_party_verifies_and_returns_need_a_reason(personas, things):
    update = things["update"]
    with pytest.raises(ValidationError):
        ca.do_review_progress(actor=personas.delegate_pk, update=update, verify=False)
    ca.do_review_progress(actor=personas.delegate_pk, update=update, verify=True)
    with pytest.raises(ValidationError):
        ca.do_review_progress(actor=personas.secretariat, update=update, verify=True)


@pytest.mark.django_db
def test_the_secretariat_cannot_verify_an_update_it_submitted_itself(personas, things):
    update = ca.do_submit_progress(
        actor=personas.secretariat, commitment=things["commitment"], text="t", percent=5
    )
    with pytest.raises(PermissionDenied):
        ca.do_review_progress(actor=personas.secretariat, update=update, verify=True)
    ca.do_review_progress(actor=personas.delegate_my, update=update, verify=True)


@pytest.mark.django_db
@pytest.mark.parametrize("role", [r for r in ROLES if r != "anonymous"])
def test_bulk_verification_follows_the_verify_rule_for_each_update(personas, things, role):
    result = ca.do_review_many(actor=personas.users[role], updates=[things["update"]])
    allowed = role in EXPECTED[("verify_my_update", "dialogue")]
    assert [u.pk for u in result.done] == ([things["update"].pk] if allowed else [])
    assert len(result.refused) == (0 if allowed else 1)
