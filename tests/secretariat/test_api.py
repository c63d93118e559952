"""The secretariat API: the chain through JSON, bad input answered with a clear 4xx, never a 500."""

from __future__ import annotations

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from .conftest import make_commitment

pytestmark = pytest.mark.django_db
J = "application/json"


@pytest.fixture
def api(personas, client, settings):
    settings.CONCORD_REQUIRE_2FA = False

    def _as(name):
        client.force_login(personas.users[name])
        return client

    return _as


def test_the_chain_through_the_api(personas, api):
    c = api("secretariat")
    meeting = c.post(
        "/api/secretariat/meetings",
        json.dumps(
            {
                "dialogue": "pk-my",
                "title": "SOM",
                "level": "senior_officials",
                "starts_at": "2026-03-10T09:30:00+05:00",
                "time_zone": "Asia/Karachi",
            }
        ),
        content_type=J,
    ).json()
    assert meeting["starts_at"].startswith("2026-03-10T")
    mid = meeting["id"]
    item = c.post(
        f"/api/secretariat/meetings/{mid}/agenda", json.dumps({"title": "AI exchanges"}), content_type=J
    )
    assert item.status_code == 201
    for to in ("open", "in_progress"):
        assert (
            c.post(
                f"/api/secretariat/meetings/{mid}/transition", json.dumps({"to": to}), content_type=J
            ).status_code
            == 200
        )
    outcome = c.post(
        f"/api/secretariat/agenda-items/{item.json()['id']}/outcomes",
        json.dumps(
            {"kind": "action", "disposition": "agreed", "text": "Draft it", "action_due": "2026-06-01"}
        ),
        content_type=J,
    ).json()
    commitment = c.post(
        "/api/secretariat/commitments",
        json.dumps(
            {
                "dialogue": "pk-my",
                "code": "AI-1",
                "title": "AI exchanges",
                "source_outcome": outcome["id"],
                "is_joint": True,
                "lead_agencies": {"MY": "Test University"},
            }
        ),
        content_type=J,
    ).json()
    assert {s["party"]: s["lead_agency"] for s in commitment["shares"]} == {
        "MY": "Test University",
        "PK": None,
    }
    update = api("delegate_pk").post(
        f"/api/secretariat/commitments/{commitment['id']}/progress",
        {"text": "Started", "percent": "50", "files": [SimpleUploadedFile("proof.txt", b"proof")]},
    )
    assert (
        update.status_code == 201
        and update.json()["files"] == ["proof.txt"]
        and update.json()["party"] == "PK"
    )
    uid = update.json()["id"]
    own = api("delegate_pk").post(
        f"/api/secretariat/progress/{uid}/review", json.dumps({"verify": True}), content_type=J
    )
    assert own.status_code == 403 and own.json()["error"]["code"] == "forbidden"
    ok = api("delegate_my").post(
        f"/api/secretariat/progress/{uid}/review", json.dumps({"verify": True}), content_type=J
    )
    assert ok.json()["state"] == "verified"
    detail = api("observer").get(f"/api/secretariat/commitments/{commitment['id']}")
    assert detail.status_code == 404  # dialogue-only content is not for observers
    assert (
        api("delegate_my").get(f"/api/secretariat/commitments/{commitment['id']}").json()["progress"] == 50.0
    )


@pytest.mark.parametrize(
    "payload",
    [
        {
            "dialogue": "pk-my",
            "title": "T",
            "level": "ministerial",
            "starts_at": "2026-03-10T09:30:00",
        },  # naive
        {"dialogue": "pk-my", "title": "T", "level": "ministerial", "starts_at": "2026-02-30T09:30:00+08:00"},
        {"dialogue": "pk-my", "title": "T", "level": "galactic"},
        {"dialogue": "pk-my", "title": "T", "level": "ministerial", "time_zone": "Mars/Base"},
    ],
)
def test_bad_meetings_are_refused_with_a_clear_error(personas, api, payload):
    response = api("secretariat").post("/api/secretariat/meetings", json.dumps(payload), content_type=J)
    assert response.status_code in (400, 422)
    assert response.json()["error"]["message"]


def test_a_circular_dependency_is_refused_through_the_api(personas, api):
    a, b = make_commitment(personas, "A"), make_commitment(personas, "B")
    c = api("secretariat")
    assert (
        c.post(
            f"/api/secretariat/commitments/{a.pk}/dependencies",
            json.dumps({"depends_on": "B"}),
            content_type=J,
        ).status_code
        == 200
    )
    loop = c.post(
        f"/api/secretariat/commitments/{b.pk}/dependencies", json.dumps({"depends_on": "A"}), content_type=J
    )
    assert loop.status_code == 400 and "circular" in loop.json()["error"]["message"]


def test_an_import_with_wrong_columns_reports_them_and_imports_nothing(personas, api):
    response = api("delegate_my").post(
        "/api/secretariat/commitment-imports",
        {"dialogue": "pk-my", "file": SimpleUploadedFile("c.csv", b"kode,title\nA,B\n")},
    )
    assert response.status_code == 200
    assert "unknown column(s): kode" in response.json()["error"] and response.json()["imported"] == []


def test_huge_ids_are_not_found_not_a_crash(personas, api):
    c = api("secretariat")
    assert c.get("/api/secretariat/meetings/99999999999999999999").status_code in (404, 422)
    assert c.get("/api/secretariat/commitments?working_group=99999999999999999999").status_code == 422
