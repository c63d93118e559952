"""The behaviour-test blocks catch what they promise to: a stray write, a missing or doubled audit entry."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied

from concord.core import actions as core_actions
from concord.core.models import Note
from tests.behaviour import audited, denied, writes_nothing


def _note(personas, title="T"):
    return core_actions.do_create_note(
        actor=personas.delegate_pk, dialogue=personas.dialogue, title=title, body="B"
    )


@pytest.mark.django_db
def test_a_refusal_that_wrote_first_is_caught(personas):
    with pytest.raises(AssertionError, match="audit entries written"), denied("No", Note):
        _note(personas)
        raise PermissionDenied("No")


@pytest.mark.django_db
def test_a_changed_object_is_caught(personas):
    note = _note(personas)
    with pytest.raises(AssertionError, match="objects changed"), writes_nothing(objects=[note]):
        Note.objects.filter(pk=note.pk).update(title="Changed")


@pytest.mark.django_db
def test_a_refusal_with_another_message_is_caught(personas):
    with pytest.raises(AssertionError, match="Something else"), denied("Only the secretariat"):
        raise PermissionDenied("Something else")


@pytest.mark.django_db
def test_two_entries_or_none_are_caught(personas):
    with pytest.raises(AssertionError, match="expected one note.create"), audited("note.create"):
        _note(personas, "One")
        _note(personas, "Two")
    with pytest.raises(AssertionError, match="expected one note.create"), audited("note.create"):
        pass
