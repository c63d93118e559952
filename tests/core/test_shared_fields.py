"""What content models of several apps share (``concord/core/fields.py``, ``concord/core/models.py``)."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, transaction
from django.utils import translation

from concord.accounts.models import User
from concord.core.fields import localized
from concord.core.models import Note, Visibility
from concord.library.models import Theme
from concord.programmes.models import Indicator, Programme

pytestmark = pytest.mark.django_db


def test_a_text_reads_in_the_language_asked_else_in_english(personas):
    malaysia, dialogue = personas.my, personas.dialogue
    assert localized(malaysia, "name", "ur") == "ملائیشیا"
    assert localized(malaysia, "name", "en") == "Malaysia"
    assert localized(dialogue, "name", "ms") == dialogue.name  # no Malay name: the English one
    with translation.override("ur"):
        assert localized(malaysia, "name") == "ملائیشیا"
        assert str(malaysia) == "ملائیشیا"


def test_a_text_whose_english_field_has_a_suffix_falls_back_to_that_field():
    theme = Theme(slug="data", label_en="Data protection", label_ms="Perlindungan data", label_ur="")
    assert localized(theme, "label", "ms", english="label_en") == "Perlindungan data"
    assert theme.label("ur") == "Data protection"
    assert theme.label("en") == "Data protection"


def test_deleting_a_user_empties_their_links_and_keeps_the_rows(personas):
    author = User.objects.create_user(email="leaving@test.example", full_name="Leaving Soon")
    note = Note.objects.create(dialogue=personas.dialogue, title="Briefing", body="Text", created_by=author)
    author.delete()
    note.refresh_from_db()
    assert note.created_by is None


def test_the_database_refuses_content_for_one_party_that_names_no_party(personas):
    with pytest.raises(IntegrityError), transaction.atomic():
        Note.objects.create(
            dialogue=personas.dialogue, title="Position", body="Text", visibility=Visibility.PARTY
        )


def test_an_indicator_is_seen_by_whoever_sees_its_programme(personas):
    programme = Programme.objects.create(
        dialogue=personas.dialogue,
        visibility=Visibility.PARTY,
        party=personas.my,
        title="Digital skills",
        summary="Training for graduates.",
    )
    indicator = Indicator.objects.create(programme=programme, name="Graduates trained", unit="people")
    assert str(indicator) == "Graduates trained (people)"
    assert list(Indicator.objects.visible_to(personas.delegate_my)) == [indicator]
    assert list(programme.indicators.visible_to(personas.delegate_my)) == [indicator]
    assert not Indicator.objects.visible_to(personas.delegate_pk).exists()
    assert not Indicator.objects.visible_to(personas.secretariat).exists()  # not even the joint secretariat
