"""A theme's page in a dialogue says what the theme covers, in the reader's language, names its narrower
themes and leads to the documents tagged with it."""

from __future__ import annotations

import pytest
from django.urls import reverse

from concord.library.models import Theme

pytestmark = pytest.mark.django_db


def _theme(slug: str, en: str, ms: str, ur: str, **kw) -> Theme:
    """A theme labelled in English, Malay and Urdu."""
    return Theme.objects.create(slug=slug, label_en=en, label_ms=ms, label_ur=ur, **kw)


@pytest.fixture
def themes():
    parent = _theme(
        "data-protection",
        "Personal data protection",
        "Perlindungan data peribadi",
        "ذاتی ڈیٹا کا تحفظ",
        description_en="Collecting, keeping and transferring personal data.",
        description_ms="Pengumpulan, penyimpanan dan pemindahan data peribadi.",
    )
    labels = ("Breach notification", "Pemberitahuan pelanggaran", "خلاف ورزی کی اطلاع")
    child = _theme("breach-notification", *labels, parent=parent)
    return parent, child


def test_the_theme_page_describes_the_theme_and_leads_onwards(personas, as_user, themes):
    parent, child = themes
    url = reverse("secretariat:theme", args=[personas.dialogue.slug, parent.slug])
    page = as_user(personas.analyst_my).get(url).content.decode()
    assert "Collecting, keeping and transferring personal data." in page
    assert reverse("secretariat:theme", args=[personas.dialogue.slug, child.slug]) in page
    assert "Breach notification" in page
    assert f"{reverse('library:list')}?theme=data-protection" in page


def test_the_description_follows_the_language_and_falls_back_to_english(themes):
    parent, child = themes
    assert parent.description("ms") == "Pengumpulan, penyimpanan dan pemindahan data peribadi."
    assert parent.description("ur") == "Collecting, keeping and transferring personal data."
    assert child.description("en") == ""
