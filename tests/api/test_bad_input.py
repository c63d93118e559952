"""Bad input to the API and the pages gets a clear 4xx in one error shape, never a 500."""

from __future__ import annotations

import json

import pytest

from concord.accounts import actions

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(personas, client, settings):
    settings.CONCORD_REQUIRE_2FA = False
    _token, key = actions.do_create_token(actor=personas.delegate_my, name="tests")
    client.defaults["HTTP_AUTHORIZATION"] = f"Bearer {key}"
    return client


def _error(response, status):
    assert response.status_code == status, response.content
    body = response.json()
    assert set(body) == {"error"}
    assert body["error"]["code"] and body["error"]["message"]
    return body["error"]


def test_malformed_json(api):
    err = _error(api.post("/api/notes", data="{not json", content_type="application/json"), 400)
    assert err["code"] == "malformed_json"


def _note(api, payload: dict):
    return api.post("/api/notes", data=json.dumps(payload), content_type="application/json")


def test_wrong_types(api):
    err = _error(_note(api, {"dialogue": "pk-my", "title": 12, "body": ["x"]}), 422)
    fields = {tuple(d["loc"]) for d in err["details"]}
    assert any("title" in loc for loc in fields) and any("body" in loc for loc in fields)


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        pytest.param({"dialogue": "pk-my"}, "title", id="missing-fields"),
        pytest.param(
            {"dialogue": "pk-my", "title": "T", "body": "B", "visibility": "everyone"},
            "visibility",
            id="unknown-enum-value",
        ),
        pytest.param({"dialogue": "pk-my", "title": "x" * 201, "body": "B"}, "title", id="over-long-string"),
    ],
)
def test_an_invalid_field_is_named(api, payload, field):
    err = _error(_note(api, payload), 422)
    assert any(field in d["loc"] for d in err["details"])


@pytest.mark.parametrize(
    "path",
    [
        "/api/notes/999999",
        "/api/organizations/999999",
        "/api/dialogues/nope",
        "/api/jobs/00000000-0000-0000-0000-000000000000",
    ],
)
def test_unknown_ids(api, path):
    _error(api.get(path), 404)


def test_non_numeric_id(api):
    response = api.get("/api/notes/abc")
    assert response.status_code in (404, 422)
    assert "error" in response.json()


@pytest.mark.parametrize(
    ("payload", "status", "named"),
    [
        pytest.param({"dialogue": "nope", "title": "T", "body": "B"}, 404, "nope", id="unknown-dialogue"),
        pytest.param(
            {"dialogue": "pk-my", "title": "T", "body": "B", "party": "SG"}, 400, "SG", id="party-outside"
        ),
    ],
)
def test_an_unknown_dialogue_or_party_is_named(api, payload, status, named):
    err = _error(_note(api, payload), status)
    assert named in err["message"]


def test_hostile_strings_are_stored_as_text_and_escaped(api, client):
    hostile = "<script>alert(1)</script>\u202eevil\x00"
    response = api.post(
        "/api/notes",
        data=json.dumps({"dialogue": "pk-my", "title": hostile, "body": hostile, "visibility": "public"}),
        content_type="application/json",
    )
    assert response.status_code == 201
    note = response.json()
    assert "\x00" not in note["title"] and "\u202e" not in note["title"]
    del client.defaults["HTTP_AUTHORIZATION"]
    page = client.get(f"/notes/{note['id']}/")
    assert b"<script>alert(1)</script>" not in page.content
    assert b"&lt;script&gt;alert(1)&lt;/script&gt;" in page.content


def test_nul_bytes_in_query_strings_are_ignored(api, personas):
    from concord.core.actions import do_create_note

    do_create_note(actor=personas.delegate_my, dialogue=personas.dialogue, title="abc note", body="B")
    response = api.get("/api/notes?q=%00abc")
    assert response.status_code == 200
    assert [n["title"] for n in response.json()["items"]] == ["abc note"]


def test_nul_in_a_json_body_never_reaches_the_database(api):
    # PostgreSQL refuses NUL in text: a fuzzer's "dialogue": "pk-my\u0000" was a 500 there. The lookup
    # drops the NUL, so the dialogue is found; stored text is cleaned of it; an escaped backslash before
    # "u0000" is text and stays.
    body = json.dumps({"dialogue": "pk-my\x00", "title": "T\x00itle", "body": "a \\u0000 b"})
    assert "\\u0000" in body and "\\\\u0000" in body
    response = api.post("/api/notes", data=body, content_type="application/json")
    assert response.status_code == 201, response.content
    note = response.json()
    assert note["title"] == "Title"
    assert note["body"] == "a \\u0000 b"


def test_nul_in_a_form_body_is_dropped_before_the_view_reads_it(rf):
    from concord.core.middleware import StripNulMiddleware

    seen = {}

    def view(request):
        seen.update(request.POST.dict())
        return None

    request = rf.post("/x/", data="party=M%00Y&q=a%00b", content_type="application/x-www-form-urlencoded")
    StripNulMiddleware(view)(request)
    assert seen == {"party": "MY", "q": "ab"}


@pytest.mark.parametrize(
    "params",
    ["page=0", "page=-1", "page_size=0", "page_size=100000", "page=99999999999999999999", "page=abc"],
)
def test_bad_pagination(api, params):
    _error(api.get(f"/api/notes?{params}"), 422)


def test_a_page_far_beyond_the_end_is_empty(api):
    body = api.get("/api/notes?page=5000").json()
    assert body["items"] == [] and body["page"] == 5000


def test_csrf_less_post_with_a_session_is_refused(personas, settings):
    from django.test import Client

    settings.CONCORD_REQUIRE_2FA = False
    client = Client(enforce_csrf_checks=True)
    client.force_login(personas.delegate_my)
    response = client.post(
        "/api/notes",
        data=json.dumps({"dialogue": "pk-my", "title": "T", "body": "B"}),
        content_type="application/json",
    )
    assert response.status_code in (401, 403)
    assert "error" in response.json()
    page = client.post(
        "/dialogues/pk-my/notes/new/",
        {"title": "T", "kind": "briefing", "body": "B", "visibility": "dialogue"},
    )
    assert page.status_code == 403
    assert b"form has expired" in page.content


def test_unauthenticated_writes_get_401(client, personas):
    _error(
        client.post(
            "/api/notes",
            data=json.dumps({"dialogue": "pk-my", "title": "T", "body": "B"}),
            content_type="application/json",
        ),
        401,
    )


def test_forbidden_write_is_403_with_a_reason(personas, client, settings):
    settings.CONCORD_REQUIRE_2FA = False
    client.force_login(personas.observer)
    err = _error(
        client.post(
            "/api/organizations",
            data=json.dumps({"name": "X", "country": "MY", "kind": "company"}),
            content_type="application/json",
        ),
        403,
    )
    assert "secretariat" in err["message"]


def test_page_forms_show_errors_not_500(personas, as_user):
    client = as_user(personas.delegate_my)
    response = client.post(
        "/dialogues/pk-my/notes/new/",
        {"title": "", "kind": "nonsense", "body": "x" * 20001, "visibility": "party"},
    )
    assert response.status_code == 400
    assert b"Please correct the following" in response.content


def test_party_only_note_without_party_is_refused(personas, as_user):
    client = as_user(personas.secretariat)
    response = client.post(
        "/dialogues/pk-my/notes/new/", {"title": "T", "kind": "briefing", "body": "B", "visibility": "party"}
    )
    assert response.status_code == 400


@pytest.mark.parametrize(
    "path",
    [
        "/notes/?page=abc",
        "/notes/?page=-5",
        "/directory/organisations/?page=99999",
        "/audit/?since=notadate",
        "/audit/?page=0",
    ],
)
def test_pages_tolerate_bad_query_strings(personas, as_user, path):
    client = as_user(personas.secretariat)
    assert client.get(path).status_code == 200


@pytest.mark.parametrize(
    ("language", "words"),
    [("en", "No such note"), ("ms", "Nota ini tidak wujud"), ("ur", "یہ نوٹ موجود نہیں")],
)
def test_error_messages_follow_the_readers_language(api, language, words):
    err = _error(api.get("/api/notes/999999", HTTP_ACCEPT_LANGUAGE=language), 404)
    assert err["code"] == "not_found"  # the code stays the same for programs; the message is for people
    assert words in err["message"]
    bad = api.post("/api/notes", data="{", content_type="application/json", HTTP_ACCEPT_LANGUAGE=language)
    assert _error(bad, 400)["code"] == "malformed_json"
