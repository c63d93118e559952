"""Joint projects in the site-wide search: found by title, summary and concept note as soon as they are
written, only by those who may see them, and gone once deleted."""

from __future__ import annotations

import pytest
from django.urls import reverse

from concord.knowledge import search
from concord.programmes.joint import actions

from .joint_fixtures import make_project

pytestmark = pytest.mark.django_db


def _titles(user, query: str) -> list[str]:
    return [h.title for h in search.search(user, query, search.Filters(kinds=["joint_project"])).hits]


def test_a_joint_project_is_found_by_its_words_within_its_visibility(personas, as_user):
    project = make_project(personas, visibility="dialogue", title="Numbat cyber range")
    assert _titles(personas.observer, "Numbat cyber range") == ["Numbat cyber range"]
    assert _titles(personas.outsider, "Numbat cyber range") == [], "dialogue members only"
    actions.do_update_project(
        actor=personas.secretariat, project=project, concept_note="Shared bilbyfunding pool"
    )
    assert _titles(personas.delegate_pk, "bilbyfunding") == ["Numbat cyber range"]
    page = as_user(personas.delegate_pk).get(reverse("knowledge:search"), {"q": "Numbat cyber range"})
    assert project.get_absolute_url() in page.content.decode()
    project.delete()  # as the admin or a dialogue's deletion would
    assert _titles(personas.delegate_pk, "bilbyfunding") == []


def test_a_public_joint_project_is_found_by_anyone(personas):
    from django.contrib.auth.models import AnonymousUser

    make_project(personas, visibility="public", title="Quoll smart city pilot")
    assert _titles(AnonymousUser(), "Quoll smart city pilot") == ["Quoll smart city pilot"]
