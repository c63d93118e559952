"""The API of the exchange and of joint projects: reads follow the view rule, writes go through the actions
and refuse with a clear error."""

from __future__ import annotations

import json

import pytest

from concord.programmes.models import JointProject, Stage

from .conftest import make_programme
from .joint_fixtures import make_project, publish_criteria

pytestmark = pytest.mark.django_db


def _post(client, url, body):
    return client.post(url, json.dumps(body), content_type="application/json")


def test_comparable_programmes_come_with_their_reasons(personas, as_user):
    mine = make_programme(personas, title="Cloud first", instruments=["infrastructure"])
    theirs = make_programme(
        personas, party="pk", title="Cloud first Pakistan", instruments=["infrastructure"]
    )
    got = as_user(personas.observer).get(f"/api/programmes/{mine.pk}/comparable").json()
    assert got[0]["programme"] == theirs.pk and got[0]["party"] == "PK"
    assert got[0]["shared_instruments"] == ["infrastructure"] and got[0]["instrument_overlap"] == 1.0


def test_a_project_is_proposed_moved_and_appraised_through_the_api(personas, as_user):
    client = as_user(personas.analyst_my)
    created = _post(
        client,
        "/api/joint-projects",
        {
            "dialogue": "pk-my",
            "proposed_by": "MY",
            "title": "Smart city data",
            "summary": "Shared urban data.",
        },
    )
    assert created.status_code == 201, created.content
    pid = created.json()["id"]
    assert created.json()["owners"] == {"idea": {"MY": personas.analyst_my.pk}}
    skipped = _post(client, f"/api/joint-projects/{pid}/move", {"to": "appraisal"})
    assert skipped.status_code in (400, 422) and "one stage at a time" in skipped.content.decode()
    assert (
        _post(client, f"/api/joint-projects/{pid}/move", {"to": "concept_note"}).json()["stage"]
        == "concept_note"
    )
    pk_client = as_user(personas.delegate_pk)
    refused = _post(pk_client, f"/api/joint-projects/{pid}/move", {"to": "appraisal"})
    assert refused.status_code in (400, 422) and "concept note" in refused.content.decode()
    pk_client.patch(
        f"/api/joint-projects/{pid}", json.dumps({"concept_note": "Scope"}), content_type="application/json"
    )
    assert _post(pk_client, f"/api/joint-projects/{pid}/move", {"to": "appraisal"}).status_code == 200
    criteria = publish_criteria(personas)
    body = {"party": "PK", "scores": [{"criterion": c.pk, "score": 4} for c in criteria]}
    assert _post(pk_client, f"/api/joint-projects/{pid}/appraisal", body).status_code == 200
    forbidden = _post(as_user(personas.delegate_my), f"/api/joint-projects/{pid}/appraisal", body)
    assert forbidden.status_code == 403
    assert JointProject.objects.get().scores.count() == 2


@pytest.mark.parametrize("role", ["anonymous", "outsider", "observer", "secretariat"])
def test_reads_follow_the_view_rule(personas, client, settings, role):
    settings.CONCORD_REQUIRE_2FA = False
    project = make_project(personas, visibility="dialogue")
    if role != "anonymous":
        client.force_login(personas.users[role])
    allowed = role in ("observer", "secretariat")
    assert client.get(f"/api/joint-projects/{project.pk}").status_code == (200 if allowed else 404)
    listed = [x["id"] for x in client.get("/api/joint-projects").json()["items"]]
    assert (project.pk in listed) is allowed


def test_the_list_keeps_its_queries_bounded(personas, as_user, django_assert_max_num_queries):
    for n in range(5):
        make_project(personas, title=f"P{n}", stage=Stage.CONCEPT_NOTE)
    client = as_user(personas.observer)
    with django_assert_max_num_queries(20):
        assert len(client.get("/api/joint-projects").json()["items"]) == 5
