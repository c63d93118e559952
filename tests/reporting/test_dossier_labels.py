"""The dossier's words come from the gettext catalogues, in each language of the document, whatever language
the reader's interface is in."""

from __future__ import annotations

import pytest
from django.utils.translation import override

from concord.commitments.models import Completion
from concord.programmes.models import Stage
from concord.reporting import dossier
from concord.secretariat.models import Disposition, OutcomeKind

LANGS = ("en", "ms", "ur")


@pytest.mark.parametrize("interface", LANGS)
def test_the_headings_are_msgids_rendered_in_each_language_of_the_document(interface):
    with override(interface):
        headings = dossier.labels(["en", "ms", "ur"])
    assert set(headings) == set(dossier.LABELS)
    assert headings["title"] == [("en", "Round dossier"), ("ms", "Dosier pusingan"), ("ur", "دور کا ڈوزیئر")]
    assert headings["no_party"][1:] == [("ms", "Sekretariat dan lain-lain"), ("ur", "سیکرٹریٹ اور دیگر")]
    assert dossier.labels(["en", "ms"])["delegates"] == [("en", "its delegates"), ("ms", "wakil delegasinya")]


@pytest.mark.parametrize("interface", LANGS)
def test_a_choice_reads_as_the_catalogue_says_in_each_language(interface):
    with override(interface):
        assert [dossier.choice_label(Disposition.AGREED.label, lang) for lang in LANGS] == [
            "Agreed",
            "Dipersetujui",
            "متفقہ",
        ]
        assert [dossier.choice_label(OutcomeKind.ACTION.label, lang) for lang in LANGS] == [
            "Action",
            "Tindakan",
            "کارروائی",
        ]
        assert dossier.choice_label(Completion.NOT_STARTED.label, "ms") == "Belum dimulakan"
        assert dossier.choice_label(Stage.DELIVERY.label, "ur") == "زیرِ عمل"


def test_a_choice_given_as_english_text_is_translated_too():
    assert dossier.choice_label("Referred to a working group", "ms") == "Dirujuk kepada kumpulan kerja"


@pytest.mark.django_db
def test_the_dialogue_is_named_in_each_language_it_has_a_name_in_and_never_twice():
    from concord.accounts.models import Dialogue

    data = {"commitments": [], "percent": {}, "meetings": [], "since": None}
    dialogue = Dialogue.objects.create(slug="d", name="Digital Policy Dialogue")
    names = dossier.context(data, dialogue, "ur")["dialogue_names"]
    assert names == [("en", "Digital Policy Dialogue")]  # no Malay or Urdu name: English once, not thrice
    dialogue.name_ms = "Dialog Dasar Digital"
    names = dossier.context(data, dialogue, "ur")["dialogue_names"]
    assert names == [("en", "Digital Policy Dialogue"), ("ms", "Dialog Dasar Digital")]


def test_text_kept_in_a_language_is_headed_by_that_languages_own_name():
    with override("ur"):
        assert [dossier.language_name(lang) for lang in LANGS] == ["English", "Bahasa Melayu", "اردو"]


@pytest.mark.parametrize("interface", LANGS)
def test_a_meeting_level_reads_in_the_documents_first_language(interface):
    from concord.secretariat.models import MeetingLevel

    with override(interface):
        assert dossier.choice_label(MeetingLevel.SENIOR_OFFICIALS.label, "en") == "Senior officials"
        assert dossier.choice_label(MeetingLevel.SENIOR_OFFICIALS.label, "ms") != "Senior officials"
