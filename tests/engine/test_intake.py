"""The upload-time checks: everything refused before anything is stored, and the causes named right."""

from __future__ import annotations

import pytest

from concord.engine import extract_pdf
from concord.engine.errors import ExtractionError
from concord.engine.extract import decode_text, extract
from concord.engine.extract_pdf import ocr_hint, page_tree_problem
from concord.engine.intake import check_upload

from .malformed import (
    MALFORMED,
    _assemble,
    _looping_page_tree_pdf,
    _zero_pages_pdf,
    make_pdf,
    page_of_lines,
)

# What only reading the text can tell: these pass the upload checks and fail in the task.
FOUND_LATER = {"PDF with no text and no images", "HTML with only scripts", "DOCX with broken XML"}


@pytest.mark.parametrize("bad", [m for m in MALFORMED if m.name not in FOUND_LATER], ids=lambda m: m.name)
def test_the_upload_checks_refuse_what_extract_refuses_with_the_same_code(bad):
    options = {"max_bytes": bad.max_bytes} if bad.max_bytes else {}
    with pytest.raises(ExtractionError) as caught:
        check_upload(bad.build(), filename=bad.filename, declared_type=bad.declared_type, **options)
    assert caught.value.code == bad.code, str(caught.value)


@pytest.mark.parametrize("bad", [m for m in MALFORMED if m.name in FOUND_LATER], ids=lambda m: m.name)
def test_what_needs_the_text_passes_the_upload_checks(bad):
    assert check_upload(bad.build(), filename=bad.filename, declared_type=bad.declared_type)


def test_a_looping_page_tree_is_named_not_called_encrypted():
    assert page_tree_problem(_looping_page_tree_pdf()) == "loop"
    with pytest.raises(ExtractionError) as caught:
        extract(_looping_page_tree_pdf(), filename="loop.pdf")
    assert caught.value.code == "E114" and "password" not in caught.value.message


def test_a_page_tree_walk_says_nothing_about_a_sound_pdf():
    assert page_tree_problem(make_pdf([page_of_lines(["1. Text."])] * 3)) is None
    assert page_tree_problem(_zero_pages_pdf()) == "empty"
    # A catalog packed out of sight (an object stream): the walk does not guess.
    assert page_tree_problem(_assemble([b"<< /Type /Catalog /Pages 9 0 R >>"])) is None


def test_mixed_encodings_are_read_piece_by_piece():
    text, warnings = decode_text("Caf\u00e9 one, ".encode() + b"caf\xe9 two, \x93quoted\x94")
    assert text == "Café one, café two, “quoted”"
    assert warnings and "mixes encodings" in warnings[0]


def test_windows_1252_alone_is_not_called_mixed():
    _text, warnings = decode_text(b"caf\xe9 only")
    assert "Windows-1252" in warnings[0] and "mixes" not in warnings[0]


def test_an_undefined_byte_in_mixed_text_is_refused():
    with pytest.raises(ExtractionError) as caught:
        decode_text("Café ".encode() + b"\x81")
    assert caught.value.code == "E111"


def test_operators_get_the_install_hint(monkeypatch):
    monkeypatch.setattr(extract_pdf.shutil, "which", lambda name: None)
    assert "apt-get install tesseract-ocr" in ocr_hint()
