"""The minutes PDF: one file with the meeting, attendance, outcomes with their action owners, and the
minutes in every language they are kept in, each with its state; for exactly those who may see the meeting."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess

import pytest
from django.urls import reverse
from django.utils.translation import gettext_lazy, override

from concord.minutes import actions as minutes_actions
from concord.minutes import pdf
from concord.minutes.models import MinutesState
from concord.reporting import dossier
from concord.secretariat import actions
from tests.secretariat.conftest import add_item, record_outcome

from .conftest import make_meeting, open_meeting

pytestmark = pytest.mark.skipif(not shutil.which("pdftotext"), reason="[poppler] pdftotext is not installed")


def _text(pdf: bytes, tmp_path) -> str:
    path = tmp_path / "m.pdf"
    path.write_bytes(pdf)
    return " ".join(
        subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True).stdout.split()
    )


@pytest.fixture
def closed_meeting(personas):
    meeting = make_meeting(personas, title="Senior officials meeting", title_ms="Mesyuarat pegawai kanan")
    item = add_item(personas, meeting, "Data centres")
    participant = actions.do_add_participant(
        actor=personas.secretariat, meeting=meeting, user=personas.delegate_pk, party=personas.pk
    )
    open_meeting(personas, meeting)
    actions.do_record_attendance(actor=personas.secretariat, participant=participant, attended=True)
    record_outcome(
        personas,
        item,
        "action",
        "Share the tender template",
        text_ms="Kongsi templat tender",
        action_owner=personas.delegate_pk,
        action_due=dt.date(2026, 9, 30),
    )
    actions.do_transition_meeting(actor=personas.secretariat, meeting=meeting, to="closed")
    en = minutes_actions.do_save_minutes(
        actor=personas.secretariat,
        meeting=meeting,
        language="en",
        body="The meeting agreed to share templates.",
    )
    minutes_actions.do_transition_minutes(actor=personas.secretariat, minutes=en, to="circulated")
    minutes_actions.do_transition_minutes(actor=personas.secretariat, minutes=en, to="adopted")
    minutes_actions.do_save_minutes(
        actor=personas.secretariat,
        meeting=meeting,
        language="ms",
        body="Mesyuarat bersetuju berkongsi templat.",
    )
    minutes_actions.do_save_minutes(
        actor=personas.secretariat,
        meeting=meeting,
        language="ur",
        body="اجلاس نے 72 گھنٹے میں جواب دینے پر اتفاق کیا۔",
    )
    return meeting


@pytest.mark.django_db
def test_the_minutes_pdf_holds_every_language_with_its_state(personas, as_user, closed_meeting, tmp_path):
    response = as_user(personas.delegate_my).get(reverse("secretariat:minutes_pdf", args=[closed_meeting.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith('attachment; filename="minutes-')
    text = _text(response.content, tmp_path)
    for expected in (
        "Minutes / Minit",
        "Senior officials meeting",
        "Mesyuarat pegawai kanan",
        "Delegate Pk",
        "Share the tender template",
        "Kongsi templat tender",
        "2026-09-30",
        "The meeting agreed to share templates.",
        "Adopted / Diterima pakai",
        "Mesyuarat bersetuju berkongsi templat.",
        "Draft / Draf",
        "گھنٹے",  # Urdu comes back as letters when copied or searched (Naskh, not Nastaliq)
        "72",
    ):
        assert expected in text, expected


@pytest.mark.django_db
def test_the_minutes_pdf_of_a_party_meeting_is_for_that_party_only(personas, as_user, tmp_path):
    meeting = make_meeting(personas, title="MY delegation caucus", visibility="party", party=personas.my)
    url = reverse("secretariat:minutes_pdf", args=[meeting.pk])
    assert as_user(personas.delegate_my).get(url).status_code == 200
    assert as_user(personas.delegate_pk).get(url).status_code == 404
    assert "Minutes not adopted" not in _text(as_user(personas.delegate_my).get(url).content, tmp_path)


@pytest.mark.django_db
def test_the_minutes_pdf_sets_their_headings_and_lists_without_the_markup(
    personas, as_user, closed_meeting, tmp_path
):
    minutes_actions.do_save_minutes(
        actor=personas.secretariat,
        meeting=closed_meeting,
        language="ms",
        body="## Kehadiran\n\n- Delegasi Pakistan\n- Delegasi Malaysia\n",
    )
    response = as_user(personas.delegate_my).get(reverse("secretariat:minutes_pdf", args=[closed_meeting.pk]))
    text = _text(response.content, tmp_path)
    assert "Kehadiran" in text and "Delegasi Pakistan" in text and "Delegasi Malaysia" in text
    assert "##" not in text and "- Delegasi" not in text


@pytest.mark.django_db
def test_the_meeting_page_links_the_pdf_once_there_are_minutes(personas, as_user, closed_meeting):
    page = as_user(personas.delegate_my).get(closed_meeting.get_absolute_url()).content.decode()
    assert reverse("secretariat:minutes_pdf", args=[closed_meeting.pk]) in page


@pytest.mark.django_db
def test_the_minutes_pdf_names_the_disposition_in_each_language_whatever_the_interface(
    personas, as_user, closed_meeting, tmp_path, settings
):
    client = as_user(personas.delegate_my)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ur"
    response = client.get(reverse("secretariat:minutes_pdf", args=[closed_meeting.pk]))
    text = _text(response.content, tmp_path)
    assert "Agreed" in text and "Dipersetujui" in text and "متفقہ" in text


@pytest.mark.django_db
@pytest.mark.parametrize("interface", ["en", "ur"])
def test_the_minutes_pdf_takes_its_title_and_states_from_the_catalogue(personas, closed_meeting, interface):
    ms = closed_meeting.minutes.get(language="ms")
    minutes_actions.do_transition_minutes(actor=personas.secretariat, minutes=ms, to="circulated")
    with override(interface):
        ctx = pdf.context(closed_meeting)
    langs = ctx["langs"]
    assert langs == ["en", "ms", "ur"]
    title = dict(ctx["title"])
    assert title == {lang: dossier.in_language(gettext_lazy("Minutes"), lang) for lang in langs}
    assert title["en"] == "Minutes" and title["ms"] == "Minit mesyuarat" and title["ur"] == "روداد"
    states = {entry["m"].language: dict(entry["state"]) for entry in ctx["minutes"]}
    assert {lang: state["en"] for lang, state in states.items()} == {
        "en": "Adopted",
        "ms": "Circulated",
        "ur": "Draft",
    }
    for state in states.values():
        msgid = gettext_lazy(state["en"])
        assert state == {lang: dossier.in_language(msgid, lang) for lang in langs}
        assert state["ms"] != state["en"] and state["ur"] != state["en"]
    assert states["ms"] == dict(
        zip(langs, [dossier.choice_label(MinutesState.CIRCULATED.label, lang) for lang in langs], strict=True)
    )
    assert (states["en"]["ur"], states["ms"]["ur"], states["ur"]["ur"]) == ("منظور شدہ", "تقسیم شدہ", "مسودہ")
    assert (states["en"]["ms"], states["ms"]["ms"], states["ur"]["ms"]) == (
        "Diterima pakai",
        "Diedarkan",
        "Draf",
    )


@pytest.mark.django_db
def test_the_minutes_pdf_heads_each_language_by_its_own_name_and_gives_the_level_in_english(
    personas, as_user, closed_meeting, tmp_path, settings
):
    client = as_user(personas.delegate_my)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ur"  # the reader's interface is Urdu: the PDF is not
    text = _text(client.get(reverse("secretariat:minutes_pdf", args=[closed_meeting.pk])).content, tmp_path)
    for heading in ("English", "Bahasa Melayu", "اردو"):
        assert heading in text
    assert "انگریزی" not in text and "ملائی" not in text  # the interface's names of the languages
    with override("ur"):
        ctx = pdf.context(closed_meeting)
        urdu_level = closed_meeting.get_level_display()
    assert ctx["level"] == "Senior officials" and ctx["level"] in text
    assert urdu_level != ctx["level"] and urdu_level not in text
    assert [entry["language"] for entry in ctx["minutes"]] == ["English", "Bahasa Melayu", "اردو"]
