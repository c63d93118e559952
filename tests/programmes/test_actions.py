"""The registry's actions: what they record, and the bad input they refuse with a clear message, writing
nothing."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from concord.audit.models import AuditEntry
from concord.library.models import PolicyDocument, Theme
from concord.programmes import actions
from concord.programmes.models import Indicator, IndicatorValue, Lesson, LessonFile, Programme

from .conftest import add_lesson, add_services_online, make_programme

pytestmark = pytest.mark.django_db


def _message(exc_info) -> str:
    return " ".join(exc_info.value.messages)


def test_a_contact_point_records_a_programme_with_themes_partners_and_documents(personas):
    theme = Theme.objects.order_by("slug").first()
    doc = PolicyDocument.objects.create(
        dialogue=personas.dialogue,
        title="Cloud policy",
        kind="policy",
        visibility="dialogue",
        party=personas.my,
    )
    programme = make_programme(
        personas,
        themes=[theme.slug],
        partners=[personas.university],
        lead_agency=personas.university,
        documents=[doc],
        target_groups=["ministries", "state agencies"],
        summary_by="Concord project",
    )
    programme.refresh_from_db()
    assert programme.party == personas.my and programme.created_by == personas.analyst_my
    assert list(programme.themes.all()) == [theme]
    assert list(programme.partners.all()) == [personas.university]
    assert list(programme.documents.all()) == [doc]
    assert programme.budget_amount == Decimal("1000000.00") and programme.budget_currency == "MYR"
    entry = AuditEntry.objects.get(action="programme.create")
    assert entry.after["themes"] == [theme.slug] and entry.after["documents"] == [doc.pk]


@pytest.mark.parametrize(
    ("fields", "field", "words"),
    [
        ({"budget_amount": Decimal("-1"), "budget_currency": "MYR"}, "budget_amount", "cannot be negative"),
        (
            {"budget_amount": Decimal("10"), "budget_currency": "MYX"},
            "budget_currency",
            "“MYX” is not an ISO 4217",
        ),
        ({"budget_amount": Decimal("10"), "budget_currency": ""}, "budget_currency", "Say which currency"),
        ({"start_date": dt.date(2025, 1, 2), "end_date": dt.date(2025, 1, 1)}, "end_date", "comes before"),
        ({"instruments": ["regulation", "magic"]}, "instruments", "Unknown instrument: magic"),
        ({"status": "paused"}, "status", "Unknown status “paused”"),
        ({"themes": ["no-such-theme"]}, "themes", "Unknown theme: no-such-theme"),
        ({"source_url": "javascript:alert(1)"}, "source_url", "http://"),
        ({"title": "   "}, "title", "cannot be empty"),
    ],
)
def test_bad_programme_input_is_refused_by_name_and_nothing_is_written(personas, fields, field, words):
    with pytest.raises(ValidationError) as exc:
        make_programme(personas, **fields)
    assert field in exc.value.message_dict
    assert words in _message(exc)
    assert not Programme.objects.exists()
    assert not AuditEntry.objects.filter(action__startswith="programme.").exists()


def test_a_programme_needs_a_party_of_the_dialogue(personas):
    from concord.accounts.actions import do_create_party

    other = do_create_party(actor=None, code="SG", name="Singapore")
    with pytest.raises(ValidationError) as exc:
        actions.do_create_programme(
            actor=personas.secretariat, dialogue=personas.dialogue, party=None, title="T", summary="S"
        )
    assert "which party" in _message(exc)
    with pytest.raises(ValidationError) as exc:
        actions.do_create_programme(
            actor=personas.secretariat, dialogue=personas.dialogue, party=other, title="T", summary="S"
        )
    assert "SG does not take part" in _message(exc)
    assert not Programme.objects.exists()


def test_a_document_the_actor_cannot_see_cannot_be_linked(personas):
    hidden = PolicyDocument.objects.create(
        dialogue=personas.dialogue, title="PK only", kind="policy", visibility="party", party=personas.pk
    )
    with pytest.raises(ValidationError) as exc:
        make_programme(personas, documents=[hidden])
    assert f"No document with id {hidden.pk}" in _message(exc)
    assert not Programme.objects.exists()


def test_the_other_party_cannot_record_or_edit_a_programme(personas):
    with pytest.raises(PermissionDenied):
        make_programme(personas, party="my", actor=personas.analyst_pk)
    programme = make_programme(personas)
    with pytest.raises(PermissionDenied):
        actions.do_update_programme(actor=personas.delegate_pk, programme=programme, title="Taken over")
    programme.refresh_from_db()
    assert programme.title == "National cloud-first programme"


def test_update_records_before_and_after(personas):
    programme = make_programme(personas)
    actions.do_update_programme(
        actor=personas.delegate_my, programme=programme, status="completed", budget_amount=Decimal("5")
    )
    entry = AuditEntry.objects.get(action="programme.update")
    assert entry.before["status"] == "active" and entry.after["status"] == "completed"
    assert entry.after["budget_amount"] == "5.00"


def test_deleting_a_programme_takes_its_indicators_and_lessons(personas):
    programme = make_programme(personas)
    indicator = actions.do_add_indicator(
        actor=personas.analyst_my, programme=programme, name="Uptake", unit="%"
    )
    actions.do_record_value(
        actor=personas.analyst_my, indicator=indicator, date=dt.date(2024, 1, 1), value=10
    )
    actions.do_delete_programme(actor=personas.delegate_my, programme=programme)
    assert not Programme.objects.exists() and not Indicator.objects.exists()
    assert not IndicatorValue.objects.exists()
    assert AuditEntry.objects.filter(action="programme.delete").count() == 1


def test_an_analyst_cannot_delete_but_a_delegate_can(personas):
    programme = make_programme(personas)
    with pytest.raises(PermissionDenied):
        actions.do_delete_programme(actor=personas.analyst_my, programme=programme)
    assert Programme.objects.filter(pk=programme.pk).exists()


# --- indicators and values -------------------------------------------------------------------------------
def test_an_indicator_needs_a_unit(personas):
    programme = make_programme(personas)
    with pytest.raises(ValidationError) as exc:
        actions.do_add_indicator(actor=personas.analyst_my, programme=programme, name="Uptake", unit=" ")
    assert "unit" in exc.value.message_dict and "Give the indicator's unit" in _message(exc)
    assert not Indicator.objects.exists()


def test_a_value_needs_a_date_and_one_per_date(personas):
    programme = make_programme(personas)
    indicator = add_services_online(personas, programme, target=50)
    with pytest.raises(ValidationError) as exc:
        actions.do_record_value(
            actor=personas.analyst_my, indicator=indicator, date=None, value=Decimal("20")
        )
    assert "needs the date" in _message(exc)
    assert not IndicatorValue.objects.exists()
    actions.do_record_value(
        actor=personas.analyst_my,
        indicator=indicator,
        date=dt.date(2024, 6, 30),
        value="20.5",
        source="MAMPU",
    )
    with pytest.raises(ValidationError) as exc:
        actions.do_record_value(
            actor=personas.analyst_my, indicator=indicator, date=dt.date(2024, 6, 30), value=21
        )
    assert "value on that date already" in _message(exc)
    assert IndicatorValue.objects.get().value == Decimal("20.5")


def test_a_value_must_be_a_number(personas):
    indicator = actions.do_add_indicator(
        actor=personas.analyst_my, programme=make_programme(personas), name="N", unit="people"
    )
    with pytest.raises(ValidationError) as exc:
        actions.do_record_value(
            actor=personas.analyst_my, indicator=indicator, date=dt.date(2024, 1, 1), value="lots"
        )
    assert "“lots” is not a number" in _message(exc)


def test_the_other_party_cannot_add_values(personas):
    indicator = actions.do_add_indicator(
        actor=personas.analyst_my, programme=make_programme(personas), name="N", unit="people"
    )
    with pytest.raises(PermissionDenied):
        actions.do_record_value(
            actor=personas.analyst_pk, indicator=indicator, date=dt.date(2024, 1, 1), value=1
        )
    assert not IndicatorValue.objects.exists()


# --- lessons and their files -----------------------------------------------------------------------------
def _png() -> bytes:
    import io

    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), (200, 30, 30)).save(buffer, format="PNG")
    return buffer.getvalue()


PNG = _png()


def _upload(name: str, data: bytes):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, data)


def test_a_lesson_keeps_its_document_and_image_as_uploaded(personas, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    programme = make_programme(personas)
    files = [_upload("review.md", b"# Review\n\nFindings."), _upload("chart.png", PNG)]
    lesson = add_lesson(
        personas,
        programme,
        "Mid-term review",
        kind="evaluation",
        date=dt.date(2024, 7, 1),
        what_worked="Shared procurement",
        what_did_not="Agency buy-in",
        files=files,
    )
    files = {f.name: f for f in lesson.files.all()}
    assert set(files) == {"review.md", "chart.png"}
    assert files["chart.png"].media_type == "image/png"
    assert files["review.md"].file.read() == b"# Review\n\nFindings."
    actions.do_delete_lesson(actor=personas.analyst_my, lesson=lesson)
    assert not LessonFile.objects.exists()
    assert (tmp_path / files["chart.png"].file.name).read_bytes() == PNG  # the original stays


@pytest.mark.parametrize(
    ("name", "data", "words"),
    [
        ("tool.exe", b"MZ\x90\x00" + b"\x00" * 200, "Windows program"),
        ("photo.png", b"%PDF-1.4 not really", "named as an image"),
        ("picture.svg", b'<svg xmlns="http://www.w3.org/2000/svg"></svg>', "SVG"),
        ("broken.png", PNG[:30], "damaged image"),
        ("empty.txt", b"", "empty"),
    ],
)
def test_a_lesson_refuses_files_that_are_not_documents_or_images(
    personas, settings, tmp_path, name, data, words
):
    settings.MEDIA_ROOT = tmp_path
    programme = make_programme(personas)
    with pytest.raises(ValidationError) as exc:
        add_lesson(personas, programme, date=dt.date(2024, 7, 1), files=[_upload(name, data)])
    assert words in _message(exc), _message(exc)
    assert not Lesson.objects.exists() and not LessonFile.objects.exists()
    assert not list(tmp_path.rglob("*.*"))


def test_a_lesson_says_something(personas):
    with pytest.raises(ValidationError) as exc:
        actions.do_add_lesson(
            actor=personas.analyst_my,
            programme=make_programme(personas),
            title="Empty",
            date=dt.date(2024, 1, 1),
        )
    assert "a lesson needs one of them" in _message(exc)
