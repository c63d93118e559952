"""Peer-learning requests as the parties use them: Malaysia asks Pakistan; Pakistan's contact points are
told in the app and by e-mail with a link to the request; answers are threaded and cite programmes and
documents the writer sees; Malaysia closes the request as answered, or reopens it. Bad input is refused
with a message naming the problem, and nothing is written."""

from __future__ import annotations

import json

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import override_settings

from concord.audit.models import AuditEntry
from concord.library.models import PolicyDocument, Theme
from concord.notices.kinds import Kind
from concord.notices.models import Notice
from concord.programmes.models import PeerAnswer, PeerRequest, RequestState
from concord.programmes.peer import actions

from .conftest import make_programme
from .peer_fixtures import answer, make_request

pytestmark = pytest.mark.django_db


def _message(exc) -> str:
    return " ".join(exc.value.messages)


def _ask(personas, party: str = "my", asked: str = "pk", **kw):
    """Malaysia's analyst asks a question in the dialogue, for ``party`` of ``asked`` (parties by persona)."""
    fields = {"title": "T", "question": "Q", **kw}
    return actions.do_ask_question(
        actor=personas.analyst_my,
        dialogue=personas.dialogue,
        party=getattr(personas, party),
        asked_party=getattr(personas, asked),
        **fields,
    )


def _notified(kind) -> set[str]:
    return {
        n.recipient.email.split("@")[0] for n in Notice.objects.filter(kind=kind).select_related("recipient")
    }


def _doc(p, visibility="dialogue", party="my", title="Data centre policy"):
    return PolicyDocument.objects.create(
        dialogue=p.dialogue, title=title, kind="policy", visibility=visibility, party=getattr(p, party)
    )


# --- asking and notifying --------------------------------------------------------------------------------
def test_a_question_reaches_the_other_partys_contact_points_in_the_app_and_by_email(
    personas, django_capture_on_commit_callbacks
):
    mail.outbox.clear()
    with (
        override_settings(SITE_URL="https://concord.example"),
        django_capture_on_commit_callbacks(execute=True),
    ):
        request = make_request(personas)
    assert request.party == personas.my and request.asked_party == personas.pk
    assert request.state == RequestState.OPEN
    assert _notified(Kind.PEER_QUESTION) == {"analyst_pk", "delegate_pk"}
    assert sorted(m.to[0] for m in mail.outbox) == ["analyst_pk@test.example", "delegate_pk@test.example"]
    assert "https://concord.example" + request.get_absolute_url() in mail.outbox[0].body
    assert "MY asks your party" in mail.outbox[0].body
    entry = AuditEntry.objects.get(action="peer.ask")
    assert entry.after["question"] == request.question


def test_an_answer_tells_the_asking_party_and_a_follow_up_does_not(personas):
    request = make_request(personas)
    answer(personas, request)
    assert _notified(Kind.PEER_ANSWER) == {"analyst_my", "delegate_my"}
    Notice.objects.filter(kind=Kind.PEER_ANSWER).delete()
    actions.do_answer_request(actor=personas.delegate_my, request=request, text="Thank you: and who runs it?")
    assert _notified(Kind.PEER_ANSWER) == set()
    assert [a.party.code for a in request.answers.all()] == ["PK", "MY"]


def test_a_question_about_a_programme_must_be_about_the_asked_partys_programme(personas):
    own = make_programme(personas, party="my", title="Our own programme")
    with pytest.raises(ValidationError) as exc:
        _ask(personas, title="About ours", question="?", programme=own)
    assert "is not a programme of PK" in _message(exc)
    assert not PeerRequest.objects.exists()


@pytest.mark.parametrize(
    ("field", "value", "says"),
    [
        ("question", "   ", "Write your question."),
        ("title", "", "Give the question a subject."),
        ("visibility", "party", "seen by both"),
    ],
)
def test_bad_questions_are_refused_naming_the_problem(personas, field, value, says):
    kw = {"title": "Funding", "question": "How?", "visibility": "dialogue", field: value}
    with pytest.raises(ValidationError) as exc:
        _ask(personas, **kw)
    assert says in _message(exc)
    assert not PeerRequest.objects.exists() and not Notice.objects.exists()


def test_a_party_does_not_ask_itself_and_nobody_asks_for_another_party(personas):
    with pytest.raises(ValidationError) as exc:
        _ask(personas, asked="my")
    assert "does not ask itself" in _message(exc)
    with pytest.raises(PermissionDenied):
        _ask(personas, party="pk", asked="my")


# --- the thread and its citations ------------------------------------------------------------------------
def test_an_answer_cites_programmes_and_documents_the_answerer_sees(personas):
    request = make_request(personas)
    doc = _doc(personas, visibility="dialogue", party="pk")
    cited = request.programme
    reply = answer(personas, request, programmes=[cited, cited], documents=[doc])
    assert list(reply.programmes.all()) == [cited] and list(reply.documents.all()) == [doc]
    entry = AuditEntry.objects.get(action="peer.answer")
    assert entry.after["programmes"] == [cited.pk] and entry.after["documents"] == [doc.pk]


def test_citing_what_the_answerer_cannot_see_is_refused_as_if_it_did_not_exist(personas):
    request = make_request(personas)
    my_only = make_programme(personas, party="my", visibility="party", title="Malaysia only")
    hidden_doc = _doc(personas, visibility="party", party="my")
    with pytest.raises(ValidationError) as exc:
        answer(personas, request, programmes=[my_only])
    assert f"No programme with id {my_only.pk}" in _message(exc)
    with pytest.raises(ValidationError) as exc:
        answer(personas, request, documents=[hidden_doc])
    assert f"No document with id {hidden_doc.pk}" in _message(exc)
    assert not PeerAnswer.objects.exists()


def test_an_empty_answer_is_refused(personas):
    request = make_request(personas)
    with pytest.raises(ValidationError) as exc:
        answer(personas, request, text=" \n ")
    assert "Write your answer." in _message(exc)


# --- closing and reopening -------------------------------------------------------------------------------
def test_the_asker_closes_an_answered_request_and_answering_it_then_is_refused(personas):
    request = make_request(personas)
    with pytest.raises(ValidationError) as exc:
        actions.do_close_request(actor=personas.analyst_my, request=request)
    assert "Nobody has answered yet" in _message(exc)
    answer(personas, request)
    with pytest.raises(PermissionDenied):
        actions.do_close_request(actor=personas.delegate_pk, request=request)
    actions.do_close_request(actor=personas.delegate_my, request=request)
    request.refresh_from_db()
    assert request.state == RequestState.ANSWERED and request.closed_at is not None
    with pytest.raises(ValidationError) as exc:
        answer(personas, request, text="One more thing")
    assert "closed as answered" in _message(exc)
    assert request.answers.count() == 1
    actions.do_reopen_request(actor=personas.analyst_my, request=request)
    request.refresh_from_db()
    assert request.state == RequestState.OPEN and request.closed_at is None
    answer(personas, request, text="One more thing")
    assert {"peer.close", "peer.reopen"} <= set(AuditEntry.objects.values_list("action", flat=True))


# --- pages -----------------------------------------------------------------------------------------------
def test_ask_on_a_programmes_page_then_answer_and_close_on_the_requests_page(personas, as_user):
    programme = make_programme(personas, party="pk", title="Pakistan data centre programme")
    client = as_user(personas.analyst_my)
    page = client.get(programme.get_absolute_url()).content.decode()
    assert "Ask PK" in page or "Ask Pakistan" in page
    response = client.post(
        "/programmes/requests/new/",
        {
            "about": programme.pk,
            "party": personas.my.pk,
            "asked_party": personas.pk.pk,
            "programme": programme.pk,
            "title": "How did you fund it?",
            "question": "Which budget lines?",
            "visibility": "dialogue",
        },
    )
    request = PeerRequest.objects.get()
    assert response.status_code == 302 and response["Location"] == request.get_absolute_url()
    assert request.programme == programme
    assert "How did you fund it?" in client.get(programme.get_absolute_url()).content.decode()

    pk_client = as_user(personas.delegate_pk)
    response = pk_client.post(
        f"/programmes/requests/{request.pk}/answer/",
        {"text": "From the development budget.", "programmes": [programme.pk]},
    )
    assert response.status_code == 302
    thread = pk_client.get(request.get_absolute_url()).content.decode()
    assert "From the development budget." in thread and "Pakistan data centre programme" in thread

    client = as_user(personas.analyst_my)
    client.post(f"/programmes/requests/{request.pk}/close/")
    request.refresh_from_db()
    assert request.state == RequestState.ANSWERED
    assert request.title in client.get("/programmes/requests/?state=answered").content.decode()
    assert request.title not in client.get("/programmes/requests/?state=open").content.decode()


def test_an_empty_question_on_the_page_is_refused_with_its_message(personas, as_user):
    client = as_user(personas.analyst_my)
    response = client.post(
        "/programmes/requests/new/",
        {
            "party": personas.my.pk,
            "asked_party": personas.pk.pk,
            "title": "Funding",
            "question": "",
            "visibility": "dialogue",
        },
    )
    assert response.status_code == 400 and "Write your question." in response.content.decode()
    assert not PeerRequest.objects.exists()


def test_answering_a_closed_request_on_the_page_says_why(personas, as_user):
    request = make_request(personas)
    answer(personas, request)
    actions.do_close_request(actor=personas.analyst_my, request=request)
    client = as_user(personas.analyst_pk)
    page = client.get(request.get_absolute_url()).content.decode()
    assert "This request is closed as answered." in page and 'id="answer"' not in page
    response = client.post(f"/programmes/requests/{request.pk}/answer/", {"text": "Late answer"}, follow=True)
    assert "closed as answered" in response.content.decode()
    assert request.answers.count() == 1


def test_observers_read_but_are_not_offered_the_forms(personas, as_user):
    request = make_request(personas)
    client = as_user(personas.observer)
    page = client.get(request.get_absolute_url()).content.decode()
    assert request.title in page and 'id="answer"' not in page and "close-request" not in page
    assert client.get("/programmes/requests/new/").status_code == 403


def test_the_list_has_no_query_per_request(personas, as_user, django_assert_max_num_queries):
    for i in range(6):
        r = make_request(personas, about=(i % 2 == 0), title=f"Question {i}")
        answer(personas, r)
    theme = Theme.objects.first()
    make_request(personas, about=False, theme=theme, title="Theme question")
    client = as_user(personas.analyst_my)
    with django_assert_max_num_queries(20):
        page = client.get("/programmes/requests/").content.decode()
    assert "Question 5" in page and "Theme question" in page
    request = PeerRequest.objects.get(title="Question 0")
    for _i in range(5):
        answer(personas, request, programmes=[request.programme], documents=[_doc(personas, party="pk")])
    with django_assert_max_num_queries(25):
        assert client.get(request.get_absolute_url()).status_code == 200


# --- API -------------------------------------------------------------------------------------------------
def _post(client, url, body):
    return client.post(url, json.dumps(body), content_type="application/json")


def test_the_api_asks_answers_closes_and_reopens(personas, as_user):
    programme = make_programme(personas, party="pk", title="Digital Pakistan cloud")
    my = as_user(personas.analyst_my)
    response = _post(
        my,
        "/api/peer-requests",
        {
            "dialogue": "pk-my",
            "party": "MY",
            "asked_party": "PK",
            "title": "Cloud funding",
            "question": "How was it funded?",
            "programme": programme.pk,
        },
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["state"] == "open" and body["programme"] == programme.pk and body["asked_party"] == "PK"
    rid = body["id"]
    pk = as_user(personas.delegate_pk)
    response = _post(
        pk, f"/api/peer-requests/{rid}/answers", {"text": "Public funds.", "programmes": [programme.pk]}
    )
    assert response.status_code == 201 and response.json()["answers"][0]["programmes"] == [programme.pk]
    my = as_user(personas.analyst_my)
    assert _post(my, f"/api/peer-requests/{rid}/close", {}).json()["state"] == "answered"
    response = _post(as_user(personas.delegate_pk), f"/api/peer-requests/{rid}/answers", {"text": "More"})
    assert response.status_code == 400 and "closed as answered" in response.json()["error"]["message"]
    assert (
        _post(as_user(personas.analyst_my), f"/api/peer-requests/{rid}/reopen", {}).json()["state"] == "open"
    )
    listed = as_user(personas.observer).get("/api/peer-requests?state=open").json()
    assert [r["id"] for r in listed["items"]] == [rid]


def test_the_api_names_an_unknown_theme_and_where_themes_are_listed(personas, as_user):
    client = as_user(personas.analyst_my)
    body = {"dialogue": "pk-my", "party": "MY", "asked_party": "PK", "title": "T", "question": "Q"}
    for language, words in (("en", "Unknown theme “no-such”"), ("ms", "tidak dikenali")):
        response = client.post(
            "/api/peer-requests",
            json.dumps({**body, "theme": "no-such"}),
            content_type="application/json",
            HTTP_ACCEPT_LANGUAGE=language,
        )
        assert response.status_code == 400
        message = response.json()["error"]["details"]["theme"][0]
        assert words in message and "GET /api/library/themes" in message
    assert not PeerRequest.objects.exists()


def test_the_api_refuses_citing_a_programme_that_does_not_exist_or_is_hidden(personas, as_user):
    request = make_request(personas)
    hidden = make_programme(personas, party="my", visibility="party", title="MY only")
    client = as_user(personas.delegate_pk)
    for pid in (hidden.pk, 999999):
        response = _post(
            client, f"/api/peer-requests/{request.pk}/answers", {"text": "T", "programmes": [pid]}
        )
        assert response.status_code == 400 and f"No programme with id {pid}" in json.dumps(response.json())
    assert not PeerAnswer.objects.exists()
