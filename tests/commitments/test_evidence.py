"""Evidence files: documents and images only, told from their content, and seen by the commitment's rules."""

from __future__ import annotations

import io
import random

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from concord.commitments import actions
from concord.commitments.models import EvidenceFile
from concord.core.models import Visibility
from concord.engine.errors import (
    CorruptImageError,
    EmptyDocumentError,
    TypeMismatchError,
    UnsupportedTypeError,
)
from concord.engine.evidence import check_evidence
from tests.engine.malformed import make_pdf, page_of_lines
from tests.matrix import ROLES
from tests.secretariat.conftest import make_commitment

pytestmark = pytest.mark.django_db

EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + bytes(200)


def _pdf() -> bytes:
    return make_pdf([page_of_lines(["Progress report", "The data-sharing agreement was signed."])])


def _png(size=(40, 20)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(out, format="PNG")
    return out.getvalue()


def _random(size: int = 4096) -> bytes:
    rng = random.Random(7)
    return bytes(rng.randrange(256) for _ in range(size))


# --- the engine's check ----------------------------------------------------------------------------------
def test_a_real_pdf_and_a_real_png_are_accepted():
    assert check_evidence(_pdf(), filename="report.pdf") == "application/pdf"
    assert check_evidence(_png(), filename="photo.png", declared_type="image/png") == "image/png"


def test_an_executable_is_refused_whatever_its_name():
    for name in ("setup.exe", "report.pdf", "photo.png", "notes"):
        with pytest.raises(UnsupportedTypeError) as caught:
            check_evidence(EXE, filename=name, declared_type="text/plain")
        assert caught.value.params == {"why": "evidence", "what": "a Windows executable"}


def test_random_bytes_named_pdf_are_refused_as_a_mismatch():
    with pytest.raises(TypeMismatchError) as caught:
        check_evidence(_random(), filename="report.pdf")
    assert caught.value.params["claimed"] == "a PDF"


def test_an_empty_file_is_refused():
    with pytest.raises(EmptyDocumentError):
        check_evidence(b"", filename="report.pdf")


def test_html_and_svg_are_not_evidence_as_they_can_carry_scripts():
    for data, name in (
        (b"<html><body><script>alert(1)</script></body></html>", "a.html"),
        (b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>', "a.svg"),
    ):
        with pytest.raises(UnsupportedTypeError) as caught:
            check_evidence(data, filename=name)
        assert caught.value.params["why"] == "evidence"


def test_a_truncated_png_is_refused_as_damaged():
    with pytest.raises(CorruptImageError):
        check_evidence(_png()[:60], filename="photo.png")


def test_a_png_named_pdf_is_refused_as_a_mismatch():
    with pytest.raises(TypeMismatchError) as caught:
        check_evidence(_png(), filename="report.pdf")
    assert caught.value.params == {"claimed": "a PDF", "what": "a PNG image"}


# --- submitting progress with files ----------------------------------------------------------------------
def _submit(personas, commitment, *files, actor=None):
    return actions.do_submit_progress(
        actor=actor or personas.delegate_my,
        commitment=commitment,
        text="Signed",
        percent=40,
        files=list(files),
    )


def test_an_exe_is_refused_with_the_file_named_and_nothing_is_kept(personas):
    commitment = make_commitment(personas)
    good = SimpleUploadedFile("report.pdf", _pdf(), content_type="application/pdf")
    bad = SimpleUploadedFile("tool.exe", EXE, content_type="application/octet-stream")
    with pytest.raises(ValidationError) as caught:
        _submit(personas, commitment, good, bad)
    message = " ".join(caught.value.message_dict["files"])
    assert "“tool.exe”" in message and "Windows program" in message and "not accepted as evidence" in message
    assert not commitment.updates.exists() and not EvidenceFile.objects.exists()


def test_random_bytes_named_pdf_and_an_empty_file_are_refused(personas):
    commitment = make_commitment(personas)
    for upload, words in (
        (SimpleUploadedFile("report.pdf", _random(), content_type="application/pdf"), "says it is a PDF"),
        (SimpleUploadedFile("empty.pdf", b""), "empty"),
    ):
        with pytest.raises(ValidationError) as caught:
            _submit(personas, commitment, upload)
        assert words in " ".join(caught.value.message_dict["files"])
    assert not commitment.updates.exists()


def test_a_pdf_and_a_png_are_kept_with_the_type_read_from_their_bytes(personas):
    commitment = make_commitment(personas)
    update = _submit(
        personas,
        commitment,
        SimpleUploadedFile("report.pdf", _pdf(), content_type="application/octet-stream"),
        SimpleUploadedFile("photo.png", _png(), content_type="image/png"),
    )
    assert [(f.name, f.media_type) for f in update.files.all()] == [
        ("report.pdf", "application/pdf"),
        ("photo.png", "image/png"),
    ]


def test_the_progress_form_shows_the_refusal(personas, as_user):
    commitment = make_commitment(personas)
    client = as_user(personas.delegate_my)
    response = client.post(
        f"/secretariat/commitments/{commitment.pk}/progress/",
        {"text": "Done", "percent": "10", "files": [SimpleUploadedFile("tool.exe", EXE)]},
        follow=True,
    )
    assert "not accepted as evidence" in response.content.decode()
    assert not commitment.updates.exists()


def test_the_api_refuses_an_exe_with_a_4xx(personas, client, settings):
    settings.CONCORD_REQUIRE_2FA = False
    commitment = make_commitment(personas)
    client.force_login(personas.delegate_my)
    response = client.post(
        f"/api/secretariat/commitments/{commitment.pk}/progress",
        {"text": "Done", "percent": "10", "files": [SimpleUploadedFile("tool.exe", EXE)]},
    )
    assert 400 <= response.status_code < 500
    assert "not accepted as evidence" in response.content.decode()


# --- who may download --------------------------------------------------------------------------------------
SUBMITTED_CAN = {"secretariat", "delegate_my", "analyst_my", "delegate_pk", "analyst_pk"}
VERIFIED_CAN = {"secretariat", "delegate_my", "analyst_my", "delegate_pk", "analyst_pk", "stakeholder"}
ALL = [role for role in ROLES if role != "anonymous"]  # every persona


def _download(client, personas, name, f):
    client.logout()
    client.force_login(getattr(personas, name))
    return client.get(f.get_absolute_url())


@pytest.mark.parametrize("visibility", [Visibility.PUBLIC, Visibility.DIALOGUE])
def test_download_matrix_by_state_and_visibility(personas, client, settings, visibility):
    settings.CONCORD_REQUIRE_2FA = False
    commitment = make_commitment(personas, visibility=visibility)
    update = _submit(
        personas, commitment, SimpleUploadedFile("report.pdf", _pdf(), content_type="application/pdf")
    )
    f = update.files.get()
    seen = {n for n in ALL if _download(client, personas, n, f).status_code == 200}
    assert seen == SUBMITTED_CAN
    actions.do_review_progress(actor=personas.delegate_pk, update=update, verify=True)
    seen = {n for n in ALL if _download(client, personas, n, f).status_code == 200}
    expected = VERIFIED_CAN | ({"observer", "outsider"} if visibility == Visibility.PUBLIC else set())
    assert seen == expected
    client.logout()
    assert client.get(f.get_absolute_url()).status_code in (302, 404)


def test_a_download_is_an_attachment_with_the_type_read_from_the_bytes(personas, as_user):
    commitment = make_commitment(personas)
    update = _submit(personas, commitment, SimpleUploadedFile("photo.png", _png(), content_type="image/png"))
    response = as_user(personas.secretariat).get(update.files.get().get_absolute_url())
    assert response["Content-Type"] == "image/png"
    assert response["Content-Disposition"].startswith("attachment")
    assert response["X-Content-Type-Options"] == "nosniff"


def test_a_party_private_commitment_hides_evidence_from_the_other_party(personas, client, settings):
    settings.CONCORD_REQUIRE_2FA = False
    commitment = make_commitment(
        personas, actor=personas.delegate_my, visibility=Visibility.PARTY, party=personas.my, is_joint=False
    )
    update = _submit(
        personas, commitment, SimpleUploadedFile("report.pdf", _pdf(), content_type="application/pdf")
    )
    f = update.files.get()
    assert _download(client, personas, "delegate_pk", f).status_code == 404
    assert _download(client, personas, "delegate_my", f).status_code == 200


def test_the_commitment_page_lists_files_only_to_those_who_may_download_them(personas, client, settings):
    settings.CONCORD_REQUIRE_2FA = False
    commitment = make_commitment(personas, visibility=Visibility.PUBLIC)
    _submit(personas, commitment, SimpleUploadedFile("report.pdf", _pdf(), content_type="application/pdf"))
    client.force_login(personas.stakeholder)
    assert "report.pdf" not in client.get(commitment.get_absolute_url()).content.decode()
    client.force_login(personas.delegate_pk)
    assert "report.pdf" in client.get(commitment.get_absolute_url()).content.decode()
