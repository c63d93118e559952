"""``core.shortcuts.object_action``: the view behind a button on an object's page. What users rely on: the
success is said and they are back on the object's page; a refusal is said there instead (or is the 403 page
where the view asks for that); a form's errors are said; an object they may not see is a 404; the button
only posts (GET is 405) and only for someone signed in."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from django import forms
from django.contrib.auth.models import AnonymousUser
from django.contrib.messages import get_messages
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.test import RequestFactory
from django.utils import translation
from django.utils.translation import gettext_lazy

from concord.core.shortcuts import object_action


class Thing:
    def __init__(self, pk: int):
        self.pk = pk
        self.parent = SimpleNamespace(get_absolute_url=lambda: "/parents/1/")

    def get_absolute_url(self) -> str:
        return f"/things/{self.pk}/"


def lookup(request, pk: int) -> Thing:
    """Thing 7 is the only one the user may see."""
    if pk != 7:
        raise Http404("No such thing, or you do not have access to it.")
    return Thing(pk)


class NoteForm(forms.Form):
    text = forms.CharField(label="Text")


class Recorder:
    """An action that records its calls, or raises ``refusal``."""

    def __init__(self, refusal: Exception | None = None):
        self.calls: list[dict] = []
        self.refusal = refusal

    def __call__(self, **kwargs):
        self.calls.append(kwargs)
        if self.refusal is not None:
            raise self.refusal


def post(data=None, *, user=None, method="post"):
    request = getattr(RequestFactory(), method)("/things/7/button/", data or {})
    request.user = user or SimpleNamespace(is_authenticated=True, pk=1)
    request._messages = CookieStorage(request)
    return request


def said(request) -> list[tuple[str, str]]:
    return [(m.level_tag, str(m)) for m in get_messages(request)]


def test_success_is_said_and_the_user_is_back_on_the_object():
    action = Recorder()
    view = object_action(lookup, action, "thing", posted=("to",), success=gettext_lazy("Done."))
    request = post({"to": "closed", "other": "ignored"})
    response = view(request, pk=7)
    assert response.status_code == 302 and response["Location"] == "/things/7/"
    assert said(request) == [("success", "Done.")]
    [call] = action.calls
    assert call["actor"] is request.user and call["thing"].pk == 7 and call["to"] == "closed"
    assert "other" not in call


def test_a_missing_posted_field_is_empty():
    action = Recorder()
    object_action(lookup, action, "thing", posted=("direction",))(post(), pk=7)
    assert action.calls[0]["direction"] == ""


@pytest.mark.parametrize(
    "refusal, message",
    [
        (ValidationError("The minutes are locked."), "The minutes are locked."),
        (PermissionDenied("Only the secretariat may do this."), "Only the secretariat may do this."),
    ],
)
def test_a_refusal_is_said_on_the_object_page(refusal, message):
    view = object_action(lookup, Recorder(refusal), "thing", success=gettext_lazy("Done."))
    request = post()
    response = view(request, pk=7)
    assert response.status_code == 302 and response["Location"] == "/things/7/"
    assert said(request) == [("error", message)]


def test_a_refusal_left_out_of_refusals_goes_on_up_to_the_403_page():
    view = object_action(lookup, Recorder(PermissionDenied("No.")), "thing", refusals=())
    with pytest.raises(PermissionDenied):
        view(post(), pk=7)


def test_the_form_data_reaches_the_action():
    action = Recorder()
    view = object_action(lookup, action, "thing", form=NoteForm, success=gettext_lazy("Saved."))
    request = post({"text": "Agreed."})
    assert view(request, pk=7)["Location"] == "/things/7/"
    assert action.calls[0]["text"] == "Agreed." and said(request) == [("success", "Saved.")]


def test_the_forms_errors_are_said_and_nothing_runs():
    action = Recorder()
    request = post({})
    response = object_action(lookup, action, "thing", form=NoteForm)(request, pk=7)
    assert response["Location"] == "/things/7/" and not action.calls
    assert said(request) == [("error", "Text: This field is required.")]


def test_an_invalid_form_says_the_views_message_when_it_has_one():
    request = post({})
    object_action(lookup, Recorder(), "thing", form=NoteForm, invalid=gettext_lazy("Write the text."))(
        request, pk=7
    )
    assert said(request) == [("error", "Write the text.")]


def test_an_object_the_user_may_not_see_is_a_404_and_nothing_runs():
    action = Recorder()
    with pytest.raises(Http404):
        object_action(lookup, action, "thing")(post(), pk=8)
    assert not action.calls


def test_get_is_refused_with_405():
    action = Recorder()
    response = object_action(lookup, action, "thing")(post(method="get"), pk=7)
    assert response.status_code == 405 and not action.calls


def test_someone_not_signed_in_is_sent_to_sign_in():
    action = Recorder()
    response = object_action(lookup, action, "thing")(post(user=AnonymousUser()), pk=7)
    assert response.status_code == 302 and "/login/" in response["Location"] and not action.calls


def test_back_is_a_function_of_the_object_or_a_url_name():
    by_function = object_action(lookup, Recorder(), "thing", back=lambda thing: thing.parent)
    assert by_function(post(), pk=7)["Location"] == "/parents/1/"
    by_name = object_action(lookup, Recorder(), "thing", back="core:home")
    assert by_name(post(), pk=7)["Location"] == "/"


def test_the_message_is_said_in_the_users_language():
    view = object_action(lookup, Recorder(), "thing", success=gettext_lazy("Note deleted."))
    request = post()
    with translation.override("ms"):
        view(request, pk=7)
        expected = translation.gettext("Note deleted.")
    assert expected != "Note deleted." and said(request) == [("success", expected)]


def test_the_success_may_be_written_from_the_object_before_the_action_runs():
    seen = []
    action = Recorder()
    view = object_action(
        lookup,
        action,
        "thing",
        success=lambda thing: seen.append(len(action.calls)) or f"Thing {thing.pk} gone.",
    )
    request = post()
    view(request, pk=7)
    assert seen == [0] and said(request) == [("success", "Thing 7 gone.")]
