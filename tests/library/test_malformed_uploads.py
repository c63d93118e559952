"""Malformed uploads, kind by kind, through the web form and the API: each gets a message naming its true
cause. Every file is built here, in memory.

Three outcomes:
- **refused** at once (``E1xx`` on the form's file field, or the API's 4xx with the same code and message),
  and nothing is stored: no document, no version, no file;
- **failed** later, by the ingestion task, for what needs the text itself (a scan without OCR, a page
  with no text, an unsupported language): the failed upload is seen, with its reason, only by its uploader
  (and the secretariat), and the uploader may delete it;
- **ready**: files that look odd but are fine (UTF-16 with a BOM, mixed encodings, hostile file names).
"""

from __future__ import annotations

import html
import io
import random
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from concord.engine import extract_pdf
from concord.library.models import DocumentVersion, IngestionStatus, PolicyDocument
from tests.engine.malformed import (
    BILLION_LAUGHS_HTML,
    PNG_1PX,
    SVG,
    XXE_HTML,
    _docx_bomb,
    _docx_many_parts,
    _garbage_xref_pdf,
    _looping_page_tree_pdf,
    _xxe_docx,
    _zero_pages_pdf,
    _zip,
    docx_paragraph,
    make_docx,
    make_encrypted_pdf,
    make_image_pdf,
    make_pdf,
    page_of_lines,
)

from .conftest import FRENCH, STATUTE

pytestmark = pytest.mark.django_db

TITLE = "Uploaded for the malformed-file test"


def _pdf() -> bytes:
    return make_pdf([page_of_lines(["Personal Data Act", "1. This Act may be cited as the Data Act 2030."])])


def _scan() -> bytes:
    stripes = bytes((0 if (x // 8) % 2 else 255) for _y in range(64) for x in range(64))
    return make_image_pdf(stripes, 64, 64)


def _random(size: int, seed: int) -> bytes:
    rng = random.Random(seed)
    return bytes(rng.randrange(256) for _ in range(size))


def _docx_without_document_xml() -> bytes:
    return _zip({"[Content_Types].xml": b"<Types/>", "word/styles.xml": b"<w:styles/>"})


def _odt() -> bytes:
    return _zip({"mimetype": b"application/vnd.oasis.opendocument.text", "content.xml": b"<office/>"})


def _controls() -> bytes:
    rng = random.Random(2)
    return bytes(rng.choice(range(1, 32)) for _ in range(2048))


SCRIPTS_ONLY = (
    b"<html><head><script>alert(1)</script><style>p{}</style></head><body><script>x()</script></body></html>"
)


def _docx_broken_xml() -> bytes:
    return make_docx("", document_xml='<?xml version="1.0"?><w:document xmlns:w="x"><w:body><w:p>')


MIXED = (
    "# Data Protection Act\n\n## 1. Short title\n\nThis Act may be cited as the Data Protection Act, "
    "and the café owner’s duties are set out in section 2.\n"
).encode() + b"\n## 2. Duties\n\nA caf\xe9 owner shall keep the records of customers for a year.\n"
LYING_CHARSET_HTML = (
    '<html><head><meta charset="iso-8859-1"><title>x</title></head><body><h1>Akta Perlindungan Data</h1>'
    "<h2>1. Tajuk ringkas</h2><p>Akta ini boleh dinamakan Akta Perlindungan Data Peribadi, dan "
    "pemilik kafé hendaklah menyimpan rekod pelanggan.</p></body></html>"
).encode()
CP1252_HTML_SAYING_UTF8 = (
    b'<html><head><meta charset="utf-8"></head><body><h1>Data Act</h1><h2>1. Short title</h2>'
    b"<p>This Act may be cited as the \x93Data Act\x94 and binds every caf\xe9 owner in the land.</p>"
    b"</body></html>"
)
# 250 characters: the longest names file systems allow (Django cuts anything longer to 255).
LONG_NAME = (
    "Personal Data Protection (Amendment) Act " + "consolidated " * 14 + "as at 1 January 2025 FINAL.md"
)


@dataclass(frozen=True)
class Kind:
    """One kind of malformed (or odd) upload, and what Concord must answer."""

    name: str
    build: Callable[[], bytes]
    filename: str
    outcome: str  # "refused", "failed" or "ready"
    code: str = ""  # the error code (refused, failed)
    says: tuple[str, ...] = ()  # words the message must hold (case-insensitive)
    content_type: str = "application/octet-stream"
    check: Callable[[DocumentVersion], None] | None = None  # more checks on a ready version
    no_ocr: bool = False  # pretend Tesseract is not installed
    max_bytes: int | None = None


def _name_kept(expected: str) -> Callable[[DocumentVersion], None]:
    def check(version: DocumentVersion) -> None:
        assert version.original_filename == expected, version.original_filename
        assert version.original.name.startswith("library/originals/")
        assert ".." not in version.original.name and "\u202e" not in version.original.name

    return check


def _long_name_kept(version: DocumentVersion) -> None:
    assert version.original_filename == LONG_NAME  # the full name is kept and shown
    stored = Path(version.original.name).name  # the stored file's name is cut in the middle
    assert len(stored) <= 100 and stored.startswith("Personal_Data_Protection")
    assert stored.endswith("as_at_1_January_2025_FINAL.md")


def _text_has(*words: str) -> Callable[[DocumentVersion], None]:
    def check(version: DocumentVersion) -> None:
        text = "\n".join(version.provisions.values_list("text", flat=True))
        for word in words:
            assert word in text, (word, text[:300])

    return check


def _mixed_read_piece_by_piece(version: DocumentVersion) -> None:
    _text_has("café owner’s", "A café owner shall")(version)
    assert any("mixes encodings" in w for w in version.warnings)
    assert version.language == "en"


KINDS: tuple[Kind, ...] = (
    # emptiness and size
    Kind("empty file", lambda: b"", "empty.md", "refused", "E102", ("empty",)),
    Kind("whitespace only", lambda: b"  \n\t\r\n   \n", "blank.md", "refused", "E102", ("white space",)),
    Kind(
        "over the size limit",
        lambda: b"a" * 2048,
        "big.txt",
        "refused",
        "too_large",
        ("limit",),
        max_bytes=1024,
    ),
    # executables, images, archives and random bytes under a document's name
    Kind(
        "Windows .exe named .pdf",
        lambda: b"MZ\x90\x00" + b"\x00" * 60,
        "act.pdf",
        "refused",
        "E104",
        ("Windows program",),
    ),
    Kind(
        "Linux ELF named .md",
        lambda: b"\x7fELF\x02\x01\x01" + b"\x00" * 57,
        "act.md",
        "refused",
        "E104",
        ("Linux program",),
    ),
    Kind("random bytes named .pdf", lambda: _random(4096, 1), "act.pdf", "refused", "E104", ("binary data",)),
    Kind("PNG named .pdf", lambda: PNG_1PX, "scan.pdf", "refused", "E104", ("PNG image",)),
    Kind(
        "JPEG named .txt",
        lambda: b"\xff\xd8\xff\xe0" + b"\x00" * 64,
        "photo.txt",
        "refused",
        "E104",
        ("JPEG image",),
    ),
    Kind(
        "GIF named .pdf",
        lambda: b"GIF89a\x01\x00\x01\x00" + b"\x00" * 32,
        "act.pdf",
        "refused",
        "E104",
        ("GIF image",),
    ),
    Kind(
        "PNG declared as PDF", lambda: PNG_1PX, "upload", "refused", "E104", ("PNG image",), "application/pdf"
    ),
    Kind(
        "gzip named .pdf",
        lambda: b"\x1f\x8b\x08\x00" + _random(64, 4),
        "act.pdf",
        "refused",
        "E104",
        ("gzip",),
    ),
    Kind("SVG named .svg", lambda: SVG, "drawing.svg", "refused", "E103", ("SVG image",)),
    Kind("SVG named .html", lambda: SVG, "act.html", "refused", "E104", ("SVG image",)),
    Kind("RTF named .rtf", lambda: b"{\\rtf1\\ansi Section 1.}", "memo.rtf", "refused", "E103", ("RTF",)),
    Kind("ODT named .odt", _odt, "act.odt", "refused", "E103", ("OpenDocument",)),
    Kind(
        "CSV",
        lambda: b"section,text\n1,Short title\n",
        "table.csv",
        "refused",
        "E103",
        (".csv", "not a document type"),
    ),
    Kind(
        "JSON",
        lambda: b'{"section": 1, "text": "Short title"}',
        "act.json",
        "refused",
        "E103",
        (".json", "not a document type"),
    ),
    Kind("a real PDF named .txt", _pdf, "act.txt", "refused", "E104", ("a PDF", "plain text")),
    # PDF
    Kind("PDF header only", lambda: b"%PDF-1.7\n", "cut.pdf", "refused", "E106", ("damaged",)),
    Kind("truncated PDF", lambda: _pdf()[:200], "cut.pdf", "refused", "E106", ("damaged",)),
    Kind(
        "PDF with a corrupt xref and body",
        _garbage_xref_pdf,
        "junk.pdf",
        "refused",
        "E106",
        ("cross-reference",),
    ),
    Kind(
        "PDF with a looping page tree", _looping_page_tree_pdf, "loop.pdf", "refused", "E114", ("loops back",)
    ),
    Kind("encrypted PDF", make_encrypted_pdf, "locked.pdf", "refused", "E105", ("password",)),
    Kind("PDF with zero pages", _zero_pages_pdf, "none.pdf", "refused", "E113", ("no pages",)),
    Kind(
        "PDF with no text and no image", lambda: make_pdf([[]]), "blank.pdf", "failed", "E102", ("no text",)
    ),
    Kind(
        "scanned PDF without OCR", _scan, "scan.pdf", "failed", "E107", ("scan", "administrator"), no_ocr=True
    ),
    # DOCX
    Kind(
        "DOCX: a zip without word/document.xml",
        _docx_without_document_xml,
        "act.docx",
        "refused",
        "E104",
        ("word/document.xml",),
    ),
    Kind(
        "a plain zip named .docx",
        lambda: _zip({"readme.txt": b"hello"}),
        "act.docx",
        "refused",
        "E104",
        ("ZIP archive",),
    ),
    Kind(
        "DOCX that is not a zip",
        lambda: b"PK\x03\x04" + _random(300, 5),
        "act.docx",
        "refused",
        "E110",
        ("damaged",),
    ),
    Kind("DOCX zip bomb", _docx_bomb, "bomb.docx", "refused", "E109", ("zip bomb",)),
    Kind("DOCX with thousands of parts", _docx_many_parts, "parts.docx", "refused", "E109", ("zip bomb",)),
    Kind("DOCX with XXE in document.xml", _xxe_docx, "xxe.docx", "refused", "E112", ("entities", "XXE")),
    Kind("DOCX with corrupt XML", _docx_broken_xml, "broken.docx", "failed", "E110", ("damaged",)),
    Kind(
        "XLSX named .docx",
        lambda: _zip({"xl/workbook.xml": b"<x/>"}),
        "sheet.docx",
        "refused",
        "E104",
        ("Excel",),
    ),
    Kind(
        "old Word .doc named .docx",
        lambda: b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504,
        "old.docx",
        "refused",
        "E104",
        ("old Microsoft Office",),
    ),
    Kind(
        "DOCX that is plain text",
        lambda: b"Just some words.",
        "notes.docx",
        "refused",
        "E104",
        ("Word document",),
    ),
    # HTML
    Kind(
        "HTML billion laughs",
        lambda: BILLION_LAUGHS_HTML,
        "laughs.html",
        "refused",
        "E112",
        ("billion laughs",),
    ),
    Kind("HTML with an external entity (XXE)", lambda: XXE_HTML, "xxe.html", "refused", "E112", ("XXE",)),
    Kind(
        "HTML with only scripts and styles", lambda: SCRIPTS_ONLY, "page.html", "failed", "E102", ("scripts",)
    ),
    Kind(
        "HTML whose meta charset lies",
        lambda: LYING_CHARSET_HTML,
        "akta.html",
        "ready",
        check=_text_has("pemilik kafé"),
    ),
    Kind(
        "HTML saying UTF-8 in Windows-1252",
        lambda: CP1252_HTML_SAYING_UTF8,
        "act.html",
        "ready",
        check=_text_has("“Data Act”", "café"),
    ),
    # text
    Kind(
        "UTF-16 text with a BOM",
        lambda: STATUTE.encode("utf-16"),
        "act.md",
        "ready",
        check=_text_has("seventy-two hours"),
    ),
    Kind("mixed UTF-8 and Windows-1252", lambda: MIXED, "act.md", "ready", check=_mixed_read_piece_by_piece),
    Kind(
        "NUL bytes in text",
        lambda: b"Section 1. Short title\x00\x00 and more",
        "act.md",
        "refused",
        "E111",
        ("NUL",),
    ),
    Kind(
        "UTF-16 without a BOM",
        lambda: "Seksyen 1. Tajuk ringkas".encode("utf-16-le"),
        "act.txt",
        "refused",
        "E111",
        ("byte-order mark",),
    ),
    Kind(
        "binary-ish text (control characters)",
        _controls,
        "notes.txt",
        "refused",
        "E111",
        ("control characters",),
    ),
    Kind(
        "text neither UTF-8 nor Windows-1252",
        lambda: b"Section 1 \x81\x8d\x8f\x90\x9d text",
        "act.txt",
        "refused",
        "E111",
        ("cannot be decoded",),
    ),
    Kind("text in an unsupported language", lambda: FRENCH, "loi.md", "failed", "E302", ("French",)),
    # file names
    Kind(
        "path traversal in the name",
        lambda: STATUTE.encode(),
        "../../etc/passwd.md",
        "ready",
        check=_name_kept("passwd.md"),
    ),
    Kind(
        "RTL override in the name",
        lambda: STATUTE.encode(),
        "act\u202edm.exe.md",
        "ready",
        check=_name_kept("actdm.exe.md"),
    ),
    Kind(
        "control characters in the name",
        lambda: STATUTE.encode(),
        "act\x07\x1b[31m.md",
        "ready",
        check=_name_kept("act[31m.md"),
    ),
    Kind("an extremely long name", lambda: STATUTE.encode(), LONG_NAME, "ready", check=_long_name_kept),
)


def test_at_least_forty_kinds_are_covered():
    assert len(KINDS) >= 40
    assert len({k.name for k in KINDS}) == len(KINDS)


@pytest.fixture
def prepared(settings, monkeypatch):
    def _prepare(kind: Kind) -> bytes:
        if kind.max_bytes:
            settings.CONCORD_MAX_UPLOAD_BYTES = kind.max_bytes
        if kind.no_ocr:
            monkeypatch.setattr(extract_pdf.shutil, "which", lambda name: None)
        return kind.build()

    return _prepare


def _stored_files(settings) -> list[Path]:
    root = Path(settings.MEDIA_ROOT)
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def _nothing_left_behind(settings) -> None:
    assert not PolicyDocument.objects.exists()
    assert not DocumentVersion.objects.exists()
    assert _stored_files(settings) == []


def _says(message: str, kind: Kind) -> None:
    for word in kind.says:
        assert word.lower() in message.lower(), (kind.name, word, message)


def _seen_only_by_uploader(client, as_user, personas, version: DocumentVersion) -> None:
    document = version.document
    owner = as_user(personas.analyst_my)
    listed = owner.get(reverse("library:list")).content.decode()
    assert TITLE in listed and "Failed:" in listed
    assert reverse("library:delete", args=[document.pk]) in listed  # the uploader may delete it
    assert owner.get(document.get_absolute_url()).status_code == 200
    for other in (personas.delegate_pk, personas.delegate_my, personas.observer):
        client.logout()
        viewer = as_user(other)
        assert TITLE not in viewer.get(reverse("library:list")).content.decode()
        assert viewer.get(document.get_absolute_url()).status_code == 404
    client.logout()
    assert TITLE in as_user(personas.secretariat).get(reverse("library:list")).content.decode()


def _upload_as_malaysias_analyst(as_user, personas, upload):
    """Malaysia's analyst sends ``upload`` through the upload page as a law in force, for the dialogue."""
    form = {
        "title": TITLE,
        "kind": "law",
        "status": "in_force",
        "visibility": "dialogue",
        "party": personas.my.pk,
    }
    return as_user(personas.analyst_my).post(reverse("library:upload"), {**form, "file": upload})


@pytest.mark.parametrize("kind", KINDS, ids=lambda k: k.name)
def test_web_form(client, as_user, personas, settings, prepared, kind: Kind):
    data = prepared(kind)
    upload = SimpleUploadedFile(kind.filename, data, content_type=kind.content_type)
    response = _upload_as_malaysias_analyst(as_user, personas, upload)
    if kind.outcome == "refused":
        assert response.status_code == 400, kind.name
        errors = response.context["form"].errors.as_data()["file"]
        assert kind.code in {e.code for e in errors}
        _says(" ".join(m for e in errors for m in e.messages), kind)
        _says(html.unescape(response.content.decode()), kind)  # shown on the page, by the file field
        _nothing_left_behind(settings)
        return
    assert response.status_code == 302, response.content.decode()[:2000]
    version = DocumentVersion.objects.get()
    if kind.outcome == "failed":
        assert version.status == IngestionStatus.FAILED and version.error_code == kind.code, version.error
        _says(version.error_message, kind)
        assert version.original.read() == data  # kept until its owner deletes it
        page = client.get(response.url).content.decode()
        assert f"[{kind.code}]" in page
        _seen_only_by_uploader(client, as_user, personas, version)
        if kind.code == "E107":
            assert "apt-get" not in page and "apt-get" not in version.error
    else:
        assert version.status == IngestionStatus.READY, (version.error_code, version.error)
        if kind.check:
            kind.check(version)


@pytest.mark.parametrize("kind", KINDS, ids=lambda k: k.name)
def test_api(client, api_as, personas, settings, prepared, kind: Kind):
    data = prepared(kind)
    api = api_as(personas.analyst_my)
    response = api.post(
        "/api/library/documents",
        {
            "title": TITLE,
            "kind": "law",
            "party": "MY",
            "file": SimpleUploadedFile(kind.filename, data, content_type=kind.content_type),
        },
    )
    if kind.outcome == "refused":
        assert response.status_code == (413 if kind.code == "too_large" else 422), response.content
        error = response.json()["error"]
        assert error["code"] == kind.code
        _says(error["message"], kind)
        _nothing_left_behind(settings)
        return
    assert response.status_code == 202, response.content
    body = response.json()
    version = DocumentVersion.objects.get()
    if kind.outcome == "failed":
        assert body["version"]["status"] == "failed" and body["version"]["error_code"] == kind.code
        _says(version.error_message, kind)
        assert [d["id"] for d in api.get("/api/library/documents").json()["items"]] == [body["document"]]
        other = api_as(personas.delegate_pk)
        assert other.get("/api/library/documents").json()["items"] == []
        assert other.get(f"/api/library/documents/{body['document']}").status_code == 404
        assert other.get(f"/api/library/versions/{version.pk}/original").status_code == 404
    else:
        assert body["version"]["status"] == "ready", body
        if kind.check:
            kind.check(version)


def test_the_web_form_and_the_api_give_the_same_message(client, as_user, api_as, personas):
    png = dict(title=TITLE, kind="law", party="MY")
    api_message = (
        api_as(personas.analyst_my)
        .post("/api/library/documents", {**png, "file": SimpleUploadedFile("scan.pdf", PNG_1PX)})
        .json()["error"]["message"]
    )
    client.defaults.pop("HTTP_AUTHORIZATION", None)
    response = _upload_as_malaysias_analyst(as_user, personas, SimpleUploadedFile("scan.pdf", PNG_1PX))
    assert response.context["form"].errors["file"] == [api_message]


def test_a_new_version_is_checked_at_once_too(client, as_user, personas, ingest, settings):
    document = ingest().document
    response = as_user(personas.delegate_my).post(
        reverse("library:version_upload", args=[document.pk]),
        {"file": SimpleUploadedFile("v2.pdf", b"MZ\x90\x00" + b"\x00" * 60)},
    )
    assert response.status_code == 400
    assert "Windows program" in response.content.decode()
    assert document.versions.count() == 1


def test_an_empty_file_is_never_called_a_duplicate(client, api_as, personas, ingest):
    failed = ingest(FRENCH, filename="loi.md").version
    assert failed.status == IngestionStatus.FAILED
    api = api_as(personas.analyst_my)
    again = api.post(
        "/api/library/documents",
        {"title": "Again", "kind": "law", "party": "MY", "file": SimpleUploadedFile("loi.md", FRENCH)},
    )
    assert again.status_code == 202  # a failed version is no duplicate: the file is read again
    empty = api.post(
        "/api/library/documents",
        {"title": "Empty", "kind": "law", "party": "MY", "file": SimpleUploadedFile("empty.md", b"")},
    )
    assert empty.status_code == 422 and empty.json()["error"]["code"] == "E102"
    assert "already" not in empty.json()["error"]["message"]


def test_messages_follow_the_users_language(client, api_as, personas):
    api = api_as(personas.analyst_my)
    answers = {
        language: api.post(
            "/api/library/documents",
            {"title": TITLE, "kind": "law", "party": "MY", "file": SimpleUploadedFile("e.md", b"")},
            HTTP_ACCEPT_LANGUAGE=language,
        ).json()["error"]["message"]
        for language in ("en", "ms", "ur")
    }
    assert len(set(answers.values())) == 3, answers
    assert "empty" in answers["en"]


def test_zip_bomb_is_refused_before_it_is_inflated():
    from concord.engine.intake import check_upload

    bomb = _docx_bomb()
    archive = zipfile.ZipFile(io.BytesIO(bomb))
    assert sum(i.file_size for i in archive.infolist()) > 20 * len(bomb)  # it would expand a lot
    with pytest.raises(Exception) as caught:
        check_upload(bomb, filename="bomb.docx")
    assert getattr(caught.value, "code", "") == "E109"


def test_a_readable_docx_passes_the_upload_checks():
    from concord.engine.intake import check_upload

    docx = make_docx(docx_paragraph("1. This Act may be cited as the Data Act."))
    assert check_upload(docx, filename="act.docx").endswith("wordprocessingml.document")
    assert check_upload(_pdf(), filename="act.pdf") == "application/pdf"
