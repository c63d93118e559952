"""The library's permission matrix: every role × visibility × action, through rules, pages and the API.

The document under test belongs to the Malaysian delegation and was uploaded by the Malaysian delegate.
"""

from __future__ import annotations

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from concord.library import rules
from concord.library.models import DocumentVersion, PolicyDocument, Provision
from tests.matrix import (
    MEMBERS,
    MY_DELEGATION,
    MY_WRITERS,
    ROLES,
    VISIBILITIES,
    assert_complete,
    over,
    sign_in,
)
from tests.matrix import user_of as _user

ACTIONS = ["view", "upload", "edit", "correct_themes", "delete", "download"]

# EXPECTED[action][visibility] = the roles allowed. Written out by hand from concord/library/rules.py.
EXPECTED = {
    "view": {"public": set(ROLES), "dialogue": MEMBERS, "party": MY_DELEGATION},
    "upload": {"public": MY_WRITERS, "dialogue": MY_WRITERS, "party": MY_DELEGATION},
    "edit": {"public": MY_WRITERS, "dialogue": MY_WRITERS, "party": MY_DELEGATION},
    "correct_themes": {"public": MY_WRITERS, "dialogue": MY_WRITERS, "party": MY_DELEGATION},
    "delete": {
        "public": {"secretariat", "delegate_my"},
        "dialogue": {"secretariat", "delegate_my"},
        "party": {"delegate_my"},
    },
    "download": {"public": set(ROLES) - {"anonymous"}, "dialogue": MEMBERS, "party": MY_DELEGATION},
}


def _document(personas, visibility) -> PolicyDocument:
    document = PolicyDocument.objects.create(
        dialogue=personas.dialogue,
        title=f"A {visibility} act",
        kind="law",
        visibility=visibility,
        party=personas.my,
        created_by=personas.delegate_my,
    )
    version = DocumentVersion(
        document=document,
        original_filename="x.md",
        media_type="text/markdown",
        size=1,
        sha256="0" * 64,
        status="ready",
    )
    version.original.save("x.md", ContentFile(b"x"), save=False)
    version.save()
    PolicyDocument.objects.filter(pk=document.pk).update(current_version=version)
    document.refresh_from_db()
    Provision.objects.create(version=version, key="s1", number="1", text="Text.", level="section", order=0)
    return document


def test_matrix_is_complete():
    assert_complete(EXPECTED, ACTIONS, VISIBILITIES)


@pytest.mark.django_db
@over(role=ROLES, visibility=VISIBILITIES, action=ACTIONS)
def test_rule(personas, role, visibility, action):
    document = _document(personas, visibility)
    assert rules.can(_user(personas, role), action, document) is (role in EXPECTED[action][visibility])


@pytest.mark.django_db
@over(role=ROLES, visibility=VISIBILITIES)
def test_pages_follow_the_rules(client, personas, settings, role, visibility):
    document = _document(personas, visibility)
    version = document.current_version
    client = sign_in(client, personas, role, settings)
    can_view = role in EXPECTED["view"][visibility]

    response = client.get(document.get_absolute_url())
    assert response.status_code == (200 if can_view else 404)
    listed = client.get(reverse("library:list")).content.decode()
    assert (document.title in listed) is can_view
    assert client.get(reverse("library:diff", args=[version.pk])).status_code == (200 if can_view else 404)

    download = client.get(reverse("library:original", args=[version.pk]))
    if role == "anonymous":
        assert download.status_code == 302  # to the sign-in page
    else:
        assert download.status_code == (200 if role in EXPECTED["download"][visibility] else 404)

    edit = client.get(reverse("library:edit", args=[document.pk]))
    if role == "anonymous":
        assert edit.status_code == 302
    else:
        allowed = role in EXPECTED["edit"][visibility]
        assert edit.status_code == (200 if allowed else 403 if can_view else 404)


@pytest.mark.django_db
@over(role=ROLES, visibility=VISIBILITIES)
def test_api_follows_the_rules(client, personas, settings, role, visibility):
    document = _document(personas, visibility)
    provision = document.current_version.provisions.get()
    client = sign_in(client, personas, role, settings)
    can_view = role in EXPECTED["view"][visibility]

    assert client.get(f"/api/library/documents/{document.pk}").status_code == (200 if can_view else 404)
    ids = [d["id"] for d in client.get("/api/library/documents").json()["items"]]
    assert (document.pk in ids) is can_view
    assert client.get(f"/api/library/versions/{document.current_version_id}/provisions").status_code == (
        200 if can_view else 404
    )

    response = client.post(
        f"/api/library/provisions/{provision.pk}/themes",
        data={"theme": "ai", "action": "add"},
        content_type="application/json",
    )
    if role == "anonymous":
        assert response.status_code == 401
    elif not can_view:
        assert response.status_code == 404
    else:
        assert response.status_code == (200 if role in EXPECTED["correct_themes"][visibility] else 403)

    response = client.delete(f"/api/library/documents/{document.pk}")
    if role == "anonymous":
        assert response.status_code == 401
    elif not can_view:
        assert response.status_code == 404
        assert document.title.encode() not in response.content
    else:
        assert response.status_code == (204 if role in EXPECTED["delete"][visibility] else 403)


@pytest.mark.django_db
@over(role=ROLES, visibility=VISIBILITIES)
def test_visible_to_lists_exactly_what_can_view_allows(personas, role, visibility):
    """``Model.objects.visible_to(user)`` and ``rules.can_view`` are one rule: for the document, its
    versions and its provisions, the list holds the object exactly when the user may view it."""
    document = _document(personas, visibility)
    user = _user(personas, role)
    allowed = role in EXPECTED["view"][visibility]
    assert rules.can_view(user, document) == allowed
    assert PolicyDocument.objects.visible_to(user).filter(pk=document.pk).exists() == allowed
    assert DocumentVersion.objects.visible_to(user).filter(document=document).exists() == allowed
    assert Provision.objects.visible_to(user).filter(version__document=document).exists() == allowed


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_visible_to_hides_a_failed_upload_as_can_view_does(personas, role):
    document = _document(personas, "public")
    DocumentVersion.objects.filter(pk=document.current_version_id).update(status="failed")
    document.refresh_from_db()
    user = _user(personas, role)
    # A failed upload is seen by its uploader and the secretariat only, whatever its visibility.
    assert rules.can_view(user, document) == (role in {"delegate_my", "secretariat"})
    assert PolicyDocument.objects.visible_to(user).filter(pk=document.pk).exists() == rules.can_view(
        user, document
    )
