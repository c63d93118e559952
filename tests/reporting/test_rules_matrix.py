"""The reporting's permission matrix, written out by hand from concord/reporting/rules.py, then checked
through the rules, the pages and the API.

The dossier under test was requested by the Malaysian delegate. Building one is queued only (the dummy
backend): what is checked here is who may ask and who may fetch, not the files.
"""

from __future__ import annotations

import json

import pytest
from django.urls import reverse

from concord.core import actions as core_actions
from concord.core.models import Job
from concord.reporting import rules
from concord.reporting.actions import do_request_dossier
from tests.matrix import MEMBERS, ROLES
from tests.matrix import user_of as _user

EXPECTED = {
    # Any member, observers included: the dossier holds only what its reader may view.
    "request": MEMBERS,
    # Only whoever asked for it: it was built with their view of the dialogue.
    "fetch": {"delegate_my"},
}

pytestmark = pytest.mark.django_db


@pytest.fixture
def queued(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    settings.CONCORD_REQUIRE_2FA = False


@pytest.fixture
def dossier_job(personas, queued):
    return do_request_dossier(actor=personas.delegate_my, dialogue=personas.dialogue)


def _allowed(personas, job, role, action):
    user = _user(personas, role)
    if action == "request":
        return rules.can_request_dossier(user, personas.dialogue.pk)
    return rules.can_fetch_dossier(user, job)


@pytest.mark.parametrize("action", list(EXPECTED))
@pytest.mark.parametrize("role", ROLES)
def test_rules_match_the_matrix(personas, dossier_job, role, action):
    assert _allowed(personas, dossier_job, role, action) == (role in EXPECTED[action])


@pytest.mark.parametrize("role", [r for r in ROLES if r != "anonymous"])
def test_the_page_and_the_api_build_a_dossier_for_members_only(personas, queued, client, role):
    client.force_login(personas.users[role])
    allowed = role in EXPECTED["request"]
    page = client.post(reverse("secretariat:dossier_request", args=[personas.dialogue.slug]))
    api = client.post(
        "/api/secretariat/dossiers", json.dumps({"dialogue": "pk-my"}), content_type="application/json"
    )
    assert page.status_code == (302 if allowed else 404)
    assert api.status_code == (202 if allowed else 403)
    assert Job.objects.filter(kind=rules.DOSSIER_KIND, owner=personas.users[role]).count() == (
        2 if allowed else 0
    )


@pytest.mark.parametrize("role", ROLES)
def test_only_its_owner_opens_a_dossier(personas, dossier_job, client, role):
    if role != "anonymous":
        client.force_login(personas.users[role])
    ready = client.get(reverse("secretariat:dossier_ready", args=[dossier_job.pk]))
    if role == "anonymous":
        assert ready.status_code == 302 and "/login" in ready["Location"]
    else:
        assert ready.status_code == (200 if role in EXPECTED["fetch"] else 404)


def test_another_kind_of_job_is_no_dossier_even_for_its_owner(personas, queued, client):
    job = core_actions.do_start_job(actor=personas.delegate_my, kind="knowledge.rebuild", label="Rebuilding")
    assert not rules.can_fetch_dossier(personas.delegate_my, job)
    client.force_login(personas.delegate_my)
    assert client.get(reverse("secretariat:dossier_ready", args=[job.pk])).status_code == 404
