"""The harmonization permission matrix: every role × visibility × action, through the rules, pages and API.

The comparison under test compares Malaysia (source) with Pakistan (target) and belongs to Malaysia.
"""

from __future__ import annotations

import json

import pytest
from django.urls import reverse

from concord.harmonize import rules
from concord.harmonize.models import Comparison
from tests import matrix
from tests.matrix import MEMBERS, MY_DELEGATION, ROLES, VISIBILITIES, assert_complete, over, sign_in
from tests.matrix import user_of as _user

from .factories import ready_comparison, saved_mapping

ACTIONS = ["view", "create", "run", "review", "sign_off", "export", "delete"]
WORKERS = {"secretariat", "delegate_my", "delegate_pk", "analyst_my", "analyst_pk"}
SIGNERS = {"delegate_my", "delegate_pk", "analyst_my", "analyst_pk"}

# EXPECTED[action][visibility] = the roles allowed, written out by hand from concord/harmonize/rules.py.
EXPECTED = {
    "view": {"public": set(ROLES), "dialogue": MEMBERS, "party": MY_DELEGATION},
    "create": {
        "public": {"secretariat", "delegate_my", "analyst_my"},
        "dialogue": {"secretariat", "delegate_my", "analyst_my"},
        "party": MY_DELEGATION,
    },
    "run": {"public": WORKERS, "dialogue": WORKERS, "party": MY_DELEGATION},
    "review": {"public": WORKERS, "dialogue": WORKERS, "party": MY_DELEGATION},
    "sign_off": {"public": SIGNERS, "dialogue": SIGNERS, "party": MY_DELEGATION},
    "export": {"public": set(ROLES) - {"anonymous"}, "dialogue": MEMBERS, "party": MY_DELEGATION},
    "delete": {
        "public": {"secretariat", "delegate_my"},
        "dialogue": {"secretariat", "delegate_my"},
        "party": {"delegate_my"},
    },
}


def _comparison(personas, visibility) -> Comparison:
    return ready_comparison(
        personas,
        f"A {visibility} comparison",
        visibility=visibility,
        party=personas.my,
        created_by=personas.analyst_my,
    )


def test_matrix_is_complete():
    assert_complete(EXPECTED, ACTIONS, VISIBILITIES)


@pytest.mark.django_db
@over(role=ROLES, visibility=VISIBILITIES, action=ACTIONS)
def test_rule(personas, role, visibility, action):
    comparison = _comparison(personas, visibility)
    assert rules.can(_user(personas, role), action, comparison) is (role in EXPECTED[action][visibility])


@pytest.mark.django_db
@over(role=ROLES, visibility=VISIBILITIES)
def test_pages_and_api_follow_the_rules(personas, client, settings, role, visibility):
    comparison = _comparison(personas, visibility)
    mapping = saved_mapping(
        comparison, "MY s1", "PK s1", relationship="equivalent-to", confidence=0.6, certainty=0.1
    )
    sign_in(client, personas, role, settings)
    viewer = role in EXPECTED["view"][visibility]
    matrix.assert_page_shown(client, comparison.get_absolute_url(), viewer, comparison.title.encode())
    assert client.get(f"/api/comparisons/{comparison.pk}").status_code == (200 if viewer else 404)
    listed = [c["id"] for c in client.get("/api/comparisons").json()["items"]]
    assert (comparison.pk in listed) is viewer
    assert (comparison.title.encode() in client.get(reverse("harmonize:list")).content) is viewer

    export = client.get(reverse("harmonize:export", args=[comparison.pk, "csv"]))
    if role == "anonymous":
        assert export.status_code == 302  # to the sign-in page
    else:
        assert export.status_code == (200 if role in EXPECTED["export"][visibility] else 404)

    review = client.post(
        f"/api/comparisons/{comparison.pk}/mappings/{mapping.pk}/review",
        json.dumps({"decision": "accept"}),
        content_type="application/json",
    )
    if role == "anonymous":
        assert review.status_code == 401
    elif role in EXPECTED["review"][visibility]:
        assert review.status_code == 200, review.content
    else:
        assert review.status_code == (403 if viewer else 404)

    sign = client.post(
        reverse("harmonize:mapping_signoff", args=[comparison.pk, mapping.pk]), {"decision": "approve"}
    )
    signed = mapping.signoffs.exists()
    assert signed is (role in EXPECTED["sign_off"][visibility])
    if role not in ("anonymous",) and not signed:
        assert sign.status_code == (403 if viewer else 404)


@pytest.mark.django_db
def test_observers_cannot_review_or_sign(personas, ran, client, settings):
    from django.core.exceptions import PermissionDenied

    from concord.harmonize import actions

    mapping = ran.mappings.first()
    with pytest.raises(PermissionDenied):
        actions.do_review_mapping(actor=personas.observer, mapping=mapping, decision="accept")
    with pytest.raises(PermissionDenied):
        actions.do_sign_off(actor=personas.observer, mapping=mapping)
    with pytest.raises(PermissionDenied):
        actions.do_sign_off(
            actor=personas.secretariat, mapping=mapping
        )  # the joint secretariat signs for no party


@pytest.mark.django_db
def test_a_comparison_with_a_party_only_document_is_visible_to_that_party_only(
    personas, library, make_comparison
):
    my, pk = library
    my.visibility, my.party = "party", personas.my
    my.save()
    comparison = make_comparison(visibility="public")
    assert (comparison.visibility, comparison.party) == ("party", personas.my)
    assert not rules.can_view(personas.analyst_pk, comparison)


@pytest.mark.django_db
def test_a_party_only_document_never_shows_through_a_comparison(personas, ran, library, client, settings):
    """The MY document becomes MY-only after the comparison was run: PK sees none of its provisions."""
    settings.CONCORD_REQUIRE_2FA = False
    my, _pk = library
    secret_labels = list(ran.mappings.values_list("source_label", flat=True)) + list(
        ran.gaps.filter(side="source").values_list("label", flat=True)
    )
    type(my).objects.filter(pk=my.pk).update(visibility="party", party=personas.my)
    client.force_login(personas.analyst_pk)
    answers = [
        client.get(ran.get_absolute_url()).content.decode(),
        client.get(reverse("harmonize:review", args=[ran.pk]) + "?status=all").content.decode(),
        client.get(f"/api/comparisons/{ran.pk}/mappings").content.decode(),
        client.get(f"/api/comparisons/{ran.pk}/gaps").content.decode(),
        client.get(f"/api/comparisons/{ran.pk}").content.decode(),
    ]
    for fmt in ("csv", "oscal"):
        answers.append(
            client.get(reverse("harmonize:export", args=[ran.pk, fmt])).content.decode("utf-8-sig")
        )
    for label in set(secret_labels):
        for answer in answers:
            assert label not in answer
    assert json.loads(answers[4])["source_documents"] == []
    mapping = ran.mappings.first()
    assert client.get(mapping.get_absolute_url()).status_code == 404
    # ...while the Malaysian analyst still sees everything.
    client.force_login(personas.analyst_my)
    assert secret_labels[0] in client.get(ran.get_absolute_url()).content.decode() or ran.mappings.exists()
    assert client.get(mapping.get_absolute_url()).status_code == 200
