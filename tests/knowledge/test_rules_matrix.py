"""The knowledge app's permission matrix: every role × each action, through the rules, the page and the API.

Search and trends are open to all and filter per object (tested in ``test_search_permissions.py``); here:
rebuilding the index, sending a digest to oneself and to someone else, and previewing one's digest.
"""

from __future__ import annotations

import pytest

from concord.core.models import Job
from concord.knowledge import actions, rules
from concord.knowledge.models import DigestLog
from tests.matrix import ROLES, sign_in
from tests.matrix import user_of as _user

SIGNED_IN = set(ROLES) - {"anonymous"}
EXPECTED = {
    "rebuild": {"secretariat"},
    "send digest to someone else": {"secretariat"},
    "send own digest": SIGNED_IN,
    "preview own digest": SIGNED_IN,
}


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_rules_decide_as_the_matrix_says(personas, role):
    user = _user(personas, role)
    other = personas.delegate_pk if role != "delegate_pk" else personas.delegate_my
    assert rules.can_rebuild_index(user) == (role in EXPECTED["rebuild"])
    assert rules.can_send_digest(user, other) == (role in EXPECTED["send digest to someone else"])
    if role != "anonymous":
        assert rules.can_send_digest(user, user)
    assert rules.can_send_digest(None, other), "the monthly chore sends every member their own"


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_rebuild_through_the_page_and_the_api(personas, role, client, settings, monkeypatch):
    from concord.knowledge import tasks

    started = []
    monkeypatch.setattr(
        tasks, "start_rebuild", lambda actor, kinds: started.append(actor) or Job.objects.create()
    )
    sign_in(client, personas, role, settings)
    page = client.post("/search/rebuild/")
    api = client.post("/api/search/rebuild")
    allowed = role in EXPECTED["rebuild"]
    if allowed:
        assert page.status_code == 302 and api.status_code == 202
        assert len(started) == 2
    else:
        assert page.status_code in (302, 403) and api.status_code in (401, 403)
        if role != "anonymous":
            assert page.status_code == 403
        assert started == []


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_digest_preview_page(personas, role, client, settings):
    sign_in(client, personas, role, settings)
    response = client.get("/search/digest/")
    if role in EXPECTED["preview own digest"]:
        assert response.status_code == 200
    else:
        assert response.status_code == 302
        assert "next=/search/digest/" in response["Location"]


@pytest.mark.django_db
def test_a_refused_digest_sends_nothing(personas, mailoutbox):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        actions.do_send_digest(actor=personas.delegate_my, user=personas.delegate_pk, period="2026-10")
    assert DigestLog.objects.count() == 0 and mailoutbox == []
