"""The registry's API: create, read, update and delete programmes, indicators, values and lessons, with
bad input refused in the one error shape and nothing written."""

from __future__ import annotations

import json

import pytest

from concord.audit.models import AuditEntry
from concord.programmes.models import Indicator, IndicatorValue, Lesson, Programme

from .conftest import make_programme

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(client, settings):
    settings.CONCORD_REQUIRE_2FA = False

    class Api:
        def login(self, user):
            client.force_login(user)
            return self

        def __getattr__(self, method):
            def call(url, body=None):
                if body is None:
                    return getattr(client, method)(url)
                return getattr(client, method)(url, json.dumps(body), content_type="application/json")

            return call

    return Api()


def test_a_contact_point_builds_a_programme_through_the_api(personas, api):
    api.login(personas.analyst_pk)
    created = api.post(
        "/api/programmes",
        {
            "dialogue": "pk-my",
            "party": "pk",
            "title": "Digital Pakistan",
            "summary": "Broadband and e-government",
            "instruments": ["infrastructure"],
            "budget_amount": "2500000",
            "budget_currency": "PKR",
            "start_date": "2019-12-05",
            "partners": [personas.university.pk],
        },
    )
    assert created.status_code == 201, created.content
    body = created.json()
    assert (
        body["party"] == "PK"
        and body["budget_amount"] == "2500000.00"
        and body["partners"] == [personas.university.pk]
    )
    pid = body["id"]
    indicator = api.post(f"/api/programmes/{pid}/indicators", {"name": "Users", "unit": "million"}).json()
    value = api.post(
        f"/api/programmes/indicators/{indicator['id']}/values",
        {"date": "2024-06-30", "value": "3.5", "source": "PTA"},
    ).json()
    assert value["value"] == "3.5000"
    assert api.get(f"/api/programmes/indicators/{indicator['id']}/values").json()[0]["source"] == "PTA"
    lesson = api.post(
        f"/api/programmes/{pid}/lessons",
        {"kind": "evaluation", "title": "Review", "date": "2024-07-01", "what_did_not": "Rural reach"},
    )
    assert lesson.status_code == 201 and lesson.json()["files"] == []
    patched = api.patch(f"/api/programmes/{pid}", {"status": "completed", "end_date": "2024-12-31"})
    assert patched.json()["status"] == "completed"
    assert api.get(f"/api/programmes/{pid}").json()["end_date"] == "2024-12-31"
    assert api.get("/api/programmes", None).json()["count"] == 1
    assert api.get("/api/programmes?instrument=skills").json()["count"] == 0
    assert api.delete(f"/api/programmes/values/{value['id']}").status_code == 204
    assert api.delete(f"/api/programmes/indicators/{indicator['id']}").status_code == 204
    assert api.delete(f"/api/programmes/lessons/{lesson.json()['id']}").status_code == 204
    assert (
        not IndicatorValue.objects.exists() and not Indicator.objects.exists() and not Lesson.objects.exists()
    )


@pytest.mark.parametrize(
    ("body", "status", "words"),
    [
        ({"budget_amount": "-1", "budget_currency": "MYR"}, 422, ""),
        ({"budget_amount": "1", "budget_currency": "QQQ"}, 400, "“QQQ” is not an ISO 4217 currency code"),
        ({"start_date": "2025-02-01", "end_date": "2025-01-01"}, 400, "end date comes before"),
        ({"instruments": ["magic"]}, 422, ""),
        ({"themes": ["no-such-theme"]}, 400, "Unknown theme"),
        ({"party": "ZZ"}, 404, "No party “ZZ”"),
    ],
)
def test_bad_programmes_are_refused_and_nothing_is_written(personas, api, body, status, words):
    api.login(personas.secretariat)
    response = api.post(
        "/api/programmes", {"dialogue": "pk-my", "party": "MY", "title": "T", "summary": "S", **body}
    )
    assert response.status_code == status, response.content
    error = response.json()["error"]
    assert words in error["message"] + json.dumps(error["details"])
    assert not Programme.objects.exists()


def test_a_value_without_a_date_and_an_indicator_without_a_unit_are_refused(personas, api):
    programme = make_programme(personas)
    api.login(personas.analyst_my)
    assert api.post(f"/api/programmes/{programme.pk}/indicators", {"name": "N"}).status_code == 422
    assert (
        api.post(f"/api/programmes/{programme.pk}/indicators", {"name": "N", "unit": " "}).status_code == 400
    )
    indicator = api.post(f"/api/programmes/{programme.pk}/indicators", {"name": "N", "unit": "%"}).json()
    response = api.post(f"/api/programmes/indicators/{indicator['id']}/values", {"value": 3})
    assert response.status_code == 422 and "date" in json.dumps(response.json()["error"]["details"])
    assert not IndicatorValue.objects.exists()


def test_the_other_party_is_refused_and_the_log_says_nothing_changed(personas, api):
    programme = make_programme(personas)
    api.login(personas.delegate_pk)
    before = AuditEntry.objects.count()
    assert api.patch(f"/api/programmes/{programme.pk}", {"title": "Ours now"}).status_code == 403
    assert (
        api.post(f"/api/programmes/{programme.pk}/indicators", {"name": "N", "unit": "%"}).status_code == 403
    )
    assert api.delete(f"/api/programmes/{programme.pk}").status_code == 403
    assert AuditEntry.objects.count() == before


def test_party_only_programmes_are_404_to_others(personas, api):
    programme = make_programme(personas, party="pk", visibility="party")
    api.login(personas.delegate_my)
    assert api.get(f"/api/programmes/{programme.pk}").status_code == 404
    assert api.get(f"/api/programmes/{programme.pk}/lessons").status_code == 404
    assert api.get("/api/programmes").json()["count"] == 0


def test_linked_documents_show_only_when_the_reader_may_see_them(personas, api):
    from concord.library.models import PolicyDocument

    shared = PolicyDocument.objects.create(
        dialogue=personas.dialogue, title="Shared", kind="policy", visibility="public"
    )
    private = PolicyDocument.objects.create(
        dialogue=personas.dialogue, title="Ours", kind="policy", visibility="party", party=personas.my
    )
    programme = make_programme(personas, visibility="public", documents=[shared, private])
    assert api.login(personas.analyst_my).get(f"/api/programmes/{programme.pk}").json()[
        "documents"
    ] == sorted([shared.pk, private.pk])
    assert api.login(personas.analyst_pk).get(f"/api/programmes/{programme.pk}").json()["documents"] == [
        shared.pk
    ]


def test_the_list_does_not_grow_queries_per_programme(personas, api, django_assert_max_num_queries):
    from concord.library.models import PolicyDocument

    doc = PolicyDocument.objects.create(
        dialogue=personas.dialogue, title="D", kind="policy", visibility="public"
    )
    for i in range(15):
        make_programme(personas, title=f"P{i}", documents=[doc], partners=[personas.university])
    api.login(personas.observer)
    with django_assert_max_num_queries(15):
        items = api.get("/api/programmes").json()["items"]
    assert len(items) == 15 and all(item["documents"] == [doc.pk] for item in items)
