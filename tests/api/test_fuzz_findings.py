"""What fuzzing the API found, each now a clear 4xx in the API's error shape instead of a 500 or an HTML page.

(A comparison deleted while it runs is in tests/harmonize/test_deleted_while_running.py.)
"""

from __future__ import annotations

import json
import typing

import pytest
from django.test import Client
from pydantic import BaseModel
from pydantic.types import Strict

from concord.accounts import actions
from concord.accounts.models import AccessToken
from tests.api.test_openapi import _operations

pytestmark = pytest.mark.django_db

HUGE = 2**63  # one past the largest 64-bit integer the database holds


@pytest.fixture
def key(personas, settings):
    settings.CONCORD_REQUIRE_2FA = False
    _token, key = actions.do_create_token(actor=personas.secretariat, name="tests")
    return key


@pytest.fixture
def api(client, key):
    client.defaults["HTTP_AUTHORIZATION"] = f"Bearer {key}"
    return client


def _error(response, status: int) -> dict:
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"error"} and body["error"]["message"]
    return body["error"]


def _post_json(client, path: str, body: str | bytes):
    return client.post(path, data=body, content_type="application/json")


# --- multipart ----------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "path", ["/api/secretariat/commitment-imports", "/api/secretariat/commitments/1/progress"]
)
def test_multipart_without_a_boundary_is_refused_with_a_400_naming_it(api, path):
    response = api.post(
        path,
        data=b"--x\r\nContent-Disposition: form-data; name=a\r\n\r\n1\r\n--x--\r\n",
        content_type="multipart/form-data",
    )

    error = _error(response, 400)
    assert error["code"] == "malformed_multipart"
    assert "boundary" in error["message"]


# --- ids the database cannot hold ---------------------------------------------------------------------
@pytest.mark.parametrize(
    "path",
    [
        f"/api/talent/opportunities/{HUGE}",
        f"/api/talent/rounds/{HUGE}",
        f"/api/comparisons/{HUGE}",
        f"/api/library/documents/{HUGE}",
        f"/api/notes/{HUGE}",
        f"/api/directory/listings/{HUGE}",
        f"/api/secretariat/meetings/{HUGE}",
    ],
)
def test_a_path_id_of_two_to_the_63_is_a_422_naming_the_parameter(api, path):
    error = _error(api.get(path), 422)
    assert error["details"][0]["loc"][0] == "path"


def test_ids_in_a_body_past_the_database_are_a_422(api, personas):
    round_body = {"dialogue": "pk-my", "title": "Round", "opportunities": [HUGE]}
    error = _error(_post_json(api, "/api/talent/rounds", json.dumps(round_body)), 422)
    assert error["details"][0]["loc"][-2:] == ["opportunities", "0"]

    opportunity = {
        "dialogue": "pk-my",
        "title": "Fellowship",
        "kind": "fellowship",
        "host_country": "MY",
        "seats": 2,
        "essential_skills": [HUGE],
        "reserves": {"PK": HUGE},
    }
    error = _error(_post_json(api, "/api/talent/opportunities", json.dumps(opportunity)), 422)
    fields = {tuple(d["loc"][2:4]) for d in error["details"]}
    assert ("essential_skills", "0") in fields and ("reserves", "PK") in fields


# --- tokens decide before CSRF ------------------------------------------------------------------------
@pytest.fixture
def strict_client():
    """A client as a script is: no session, and Django's CSRF checks switched on."""
    return Client(enforce_csrf_checks=True)


@pytest.mark.parametrize(
    "method, path",
    [("post", "/api/notes"), ("patch", "/api/notes/1"), ("delete", "/api/notes/1")],
)
def test_an_unknown_token_on_a_write_is_401_not_a_csrf_403(strict_client, method, path):
    response = getattr(strict_client, method)(
        path, data="{}", content_type="application/json", HTTP_AUTHORIZATION="Bearer cnc_not-a-token"
    )

    assert _error(response, 401)["code"] == "bad_token"


def test_a_revoked_token_on_a_write_is_401(strict_client, personas, key):
    token = AccessToken.objects.get(user=personas.secretariat)
    actions.do_revoke_token(actor=personas.secretariat, token=token)

    response = strict_client.post(
        "/api/notes", data="{}", content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {key}"
    )

    assert _error(response, 401)["code"] == "bad_token"


def test_a_signed_in_browser_without_a_csrf_token_is_still_refused(strict_client, personas, settings):
    settings.CONCORD_REQUIRE_2FA = False
    strict_client.force_login(personas.secretariat)

    response = strict_client.post("/api/notes", data="{}", content_type="application/json")

    assert response.status_code == 403


# --- URLs and paths -----------------------------------------------------------------------------------
def test_an_over_long_api_url_is_a_json_414(api):
    error = _error(api.get("/api/search", {"q": "x" * 70_000}), 414)
    assert error["code"] == "url_too_long"
    assert "65536" in error["message"]


def test_a_long_but_acceptable_api_url_is_served(api):
    assert api.get("/api/notes", {"unused": "x" * 5_000}).status_code == 200


def test_an_unknown_api_path_is_a_json_404(client):
    error = _error(client.get("/api/no-such-thing"), 404)
    assert error["code"] == "not_found" and "/api/docs" in error["message"]


def test_an_unknown_site_page_stays_an_html_404(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404 and response["Content-Type"].startswith("text/html")


# --- strict JSON --------------------------------------------------------------------------------------
NOTE = '{"dialogue": "pk-my", "title": "T", "body": "B"%s}'


@pytest.mark.parametrize("constant", ["NaN", "Infinity", "-Infinity"])
def test_nan_and_infinity_are_refused_as_not_json(api, constant):
    error = _error(_post_json(api, "/api/notes", NOTE % f', "x": {constant}'), 400)
    assert error["code"] == "malformed_json" and constant.lstrip("-") in error["message"]


@pytest.mark.parametrize(
    "body, kind",
    [("[1, 2]", "array"), ('"note"', "string"), ("12", "number"), ("true", "boolean"), ("null", "null")],
)
def test_a_body_that_is_not_an_object_is_a_400(api, body, kind):
    error = _error(_post_json(api, "/api/notes", body), 400)
    assert error["code"] == "malformed_json" and kind in error["message"]


@pytest.mark.parametrize("value", ['"true"', "1", '"yes"'])
def test_a_json_boolean_must_be_true_or_false(api, value):
    error = _error(_post_json(api, "/api/secretariat/amendments/1/decision", f'{{"accept": {value}}}'), 422)
    assert error["details"][0]["loc"][-1] == "accept"


def _lax_booleans(annotation, metadata, where: str, seen: set):
    strict = any(isinstance(m, Strict) and m.strict for m in metadata)
    if annotation is bool and not strict:
        yield where
    if typing.get_origin(annotation) is typing.Annotated:
        inner, *extra = typing.get_args(annotation)
        yield from _lax_booleans(inner, [*metadata, *extra], where, seen)
        return
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        if annotation not in seen:
            seen.add(annotation)
            for name, field in annotation.model_fields.items():
                yield from _lax_booleans(field.annotation, field.metadata, f"{where}.{name}", seen)
        return
    for argument in typing.get_args(annotation):
        yield from _lax_booleans(argument, metadata, where, seen)


def test_every_boolean_in_a_json_body_is_strict():
    """pydantic's lax mode reads "false", 0 and "no" as booleans; in JSON only true and false are."""
    lax = []
    for operation_id, operation in _operations():
        for params in operation.models:
            if params.__ninja_param_source__ == "body":
                lax += _lax_booleans(params, [], operation_id, set())
    assert lax == []
