"""Extraction: real text out of PDF, DOCX, HTML, Markdown and plain text; every bad file refused by code.

All documents are built in memory by ``tests/engine/malformed.py``; the words are written for these tests.
"""

from __future__ import annotations

import shutil

import pytest

from concord.engine import extract_pdf
from concord.engine.errors import ExtractionError, OcrUnavailableError
from concord.engine.extract import extract, sanitize_text, sniff

from .malformed import (
    MALFORMED,
    Malformed,
    docx_paragraph,
    docx_table,
    make_docx,
    make_image_pdf,
    make_pdf,
    page_of_lines,
)

# --- the malformed corpus -------------------------------------------------------------------------


def test_the_malformed_corpus_has_at_least_twenty_files():
    assert len(MALFORMED) >= 20
    assert len({m.name for m in MALFORMED}) == len(MALFORMED)


@pytest.mark.parametrize("bad", MALFORMED, ids=[m.name for m in MALFORMED])
def test_it_refuses_a_malformed_file_with_its_code_and_a_message_naming_the_problem(bad: Malformed):
    options = {"max_bytes": bad.max_bytes} if bad.max_bytes else {}
    with pytest.raises(ExtractionError) as caught:
        extract(bad.build(), filename=bad.filename, declared_type=bad.declared_type, **options)
    assert caught.value.code == bad.code, str(caught.value)
    assert bad.says.lower() in caught.value.message.lower()
    assert str(caught.value).startswith(f"[{bad.code}] ")


def test_a_type_mismatch_names_both_the_claim_and_the_content():
    pdf = make_pdf([page_of_lines(["1. A section of some length to read."])])
    with pytest.raises(ExtractionError) as caught:
        extract(pdf, filename="minutes.docx")
    message = caught.value.message
    assert "minutes.docx" in message and "Word document" in message and "a PDF" in message


def test_the_declared_type_wins_over_the_extension():
    pdf = make_pdf([page_of_lines(["1. A section of some length to read."])])
    assert (
        extract(pdf, filename="upload.bin.docx", declared_type="application/pdf").media_type
        == "application/pdf"
    )


def test_sniffing_ignores_the_name_entirely():
    assert sniff(b"%PDF-1.7\n...").media_type == "application/pdf"
    assert sniff(b"\x89PNG\r\n\x1a\n....").media_type is None
    assert sniff(b"<!doctype html><p>x</p>").media_type == "text/html"
    assert sniff(b"# Title\n\nText").media_type == "text/markdown"
    assert sniff(b"Plain words.").media_type == "text/plain"


# --- PDF ------------------------------------------------------------------------------------------


def _bill_page(number: int, body: list[str]) -> list[tuple[float, float, str]]:
    header = [
        (200.0, 810.0, "DATA PROTECTION BILL 2031"),
        (72.0, 796.0, f"{number} Bill" if number % 2 else f"Bill {number}"),
    ]
    footer = [(260.0, 30.0, f"Page {number} of 4")]
    return header + page_of_lines(body, top=760) + footer


def test_pdf_text_keeps_page_numbers_and_drops_running_headers_and_footers():
    pages = [
        _bill_page(1, ["1. This Act may be cited as the Data Protection Act 2031.", "(a) the Minister;"]),
        _bill_page(2, ["2. The Minister may appoint a Commissioner for this Act.", "(a) the Minister;"]),
        _bill_page(3, ["3. The Commissioner shall keep a register of data users.", "(a) the Minister;"]),
        _bill_page(4, ["4. A data user shall register before processing any data.", "(a) the Minister;"]),
    ]
    result = extract(make_pdf(pages), filename="bill.pdf")
    assert [p.number for p in result.pages] == [1, 2, 3, 4]
    assert result.pages[1].text.splitlines() == [
        "2. The Minister may appoint a Commissioner for this Act.",
        "(a) the Minister;",  # repeats on every page, but in the body: kept
    ]
    whole = result.text
    assert "DATA PROTECTION BILL" not in whole and "Page 3 of 4" not in whole and "Bill 2\n" not in whole
    assert any("running header" in w for w in result.warnings)


def test_pdf_margin_notes_are_removed_and_body_lines_kept():
    body = [
        f"{n}. The Commission shall publish its annual report on the register number {n}."
        for n in range(1, 8)
    ]
    lines = page_of_lines(body) + [(505.0, 780.0, "Annual"), (505.0, 766.0, "report.")]
    result = extract(make_pdf([lines]), filename="act.pdf")
    assert result.pages[0].text.splitlines() == body
    assert any("margin-note" in w for w in result.warnings)


def test_a_one_page_pdf_keeps_its_top_line():
    result = extract(make_pdf([page_of_lines(["Short Title", "1. Words of the only section here."])]))
    assert result.pages[0].text.startswith("Short Title")


def _scan() -> bytes:
    import pypdfium2 as pdfium

    text_pdf = make_pdf(
        [
            page_of_lines(
                ["Electronic signatures are valid", "in every commercial transaction"], top=700, step=40
            )
        ]
    )
    document = pdfium.PdfDocument(text_pdf)
    bitmap = document[0].render(scale=300 / 72, grayscale=True)
    pixels = bitmap.to_numpy()
    if pixels.ndim == 3:
        pixels = pixels[..., 0]
    height, width = pixels.shape
    return make_image_pdf(pixels.tobytes(), width, height)


def test_a_scanned_pdf_without_tesseract_says_ocr_is_needed(monkeypatch, caplog):
    monkeypatch.setattr(extract_pdf.shutil, "which", lambda name: None)
    with pytest.raises(OcrUnavailableError) as caught:
        extract(_scan(), filename="scan.pdf")
    assert caught.value.code == "E107"
    # The user is told to ask; the operator's install hint goes to the log only.
    assert "scan" in caught.value.message and "ask the administrator" in caught.value.message.lower()
    assert "apt-get" not in caught.value.message
    assert "apt-get install tesseract-ocr" in caplog.text


@pytest.mark.skipif(
    shutil.which("tesseract") is None, reason="[tesseract] the tesseract binary is not installed"
)
def test_a_scanned_pdf_is_read_by_ocr():
    result = extract(_scan(), filename="scan.pdf")
    assert result.ocr is True
    words = result.text.lower()
    assert "electronic signatures" in words and "commercial transaction" in words
    assert any("OCR" in w for w in result.warnings)


# --- DOCX -----------------------------------------------------------------------------------------


def test_docx_text_keeps_headings_tables_and_page_breaks():
    body = (
        docx_paragraph("Digital Skills Policy", style="Title")
        + docx_paragraph("1. Purpose", style="Heading1")
        + docx_paragraph("This policy sets out how the Ministry trains data scientists.")
        + docx_table([["Target", "2030"], ["Graduates", "20,000"]])
        + docx_paragraph("2. Measures", style="Heading1", page_break_before=True)
        + docx_paragraph("The Ministry funds fellowships.")
    )
    result = extract(make_docx(body), filename="policy.docx")
    assert result.media_type.endswith("wordprocessingml.document")
    assert [p.number for p in result.pages] == [1, 2]
    first = result.pages[0].text.splitlines()
    assert first[:3] == [
        "# Digital Skills Policy",
        "# 1. Purpose",
        "This policy sets out how the Ministry trains data scientists.",
    ]
    assert "Graduates" in result.pages[0].text and "20,000" in result.pages[0].text
    assert result.pages[1].text.splitlines() == ["# 2. Measures", "The Ministry funds fellowships."]


def test_a_docx_without_breaks_is_one_page_numbered_zero():
    result = extract(make_docx(docx_paragraph("One paragraph only.")), declared_type="docx")
    assert [(p.number, p.text) for p in result.pages] == [(0, "One paragraph only.")]


# --- HTML -----------------------------------------------------------------------------------------

HOSTILE = b"""<!DOCTYPE html><html><head><title>t</title><script>steal()</script>
<style>body{background:url(javascript:alert(1))}</style></head>
<body onload="alert('x')"><nav><a href="/">Home</a> | <a href="/about">About</a></nav>
<h1>Online Safety Code</h1>
<p>1. Platforms <b>shall</b> remove unlawful content.<img src=x onerror="alert(document.cookie)"></p>
<p>Read the <a href="javascript:alert('pwned')">guidance</a> first.</p>
<p>Written as text: &lt;script&gt;alert(2)&lt;/script&gt; and javascript:alert(3)</p>
<iframe srcdoc="<script>alert(4)</script>"></iframe><noscript>enable scripts</noscript>
<svg><script>alert(5)</script></svg><template><p>hidden template</p></template>
</body></html>"""


def test_hostile_html_never_reaches_the_text():
    result = extract(HOSTILE, filename="code.html")
    text = result.text
    assert result.media_type == "text/html"
    assert "# Online Safety Code" in text
    assert "1. Platforms shall remove unlawful content." in text
    assert "Read the guidance first." in text
    lowered = text.lower()
    for poison in (
        "<script",
        "script>",
        "alert(1)",
        "alert('x')",
        "alert(2)",
        "alert(4)",
        "alert(5)",
        "pwned",
        "onerror",
        "onload",
        "javascript:",
        "steal",
        "<img",
        "cookie",
        "home | about",
        "enable scripts",
        "hidden template",
        "background",
    ):
        assert poison not in lowered, poison
    assert "and alert(3)" in lowered  # plain words stay; only the script URL scheme is taken out


def test_html_named_txt_is_still_parsed_as_html():
    result = extract(
        b"<html><body><p>Para one.</p><p>Para two.<script>x()</script></p></body></html>", filename="page.txt"
    )
    assert [line for line in result.text.splitlines() if line] == ["Para one.", "Para two."]


def test_html_whitespace_collapses_but_blocks_and_breaks_make_lines():
    html = (
        b"<html><body><p>The   Minister\n   may\tappoint</p>"
        b"<ul><li>one</li><li>two<br>three</li></ul></body></html>"
    )
    lines = [line for line in extract(html).text.splitlines() if line]
    assert lines == ["The Minister may appoint", "one", "two", "three"]


def test_sanitize_text_strips_tags_and_script_urls_from_any_text():
    assert sanitize_text("a <script>x()</script> b <b onclick='y()'>c</b> vbscript:z") == "a   b  c  z"


# --- plain text, Markdown and encodings -----------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ("Seksyen 1. Tafsiran — “data peribadi”".encode(), "Seksyen 1. Tafsiran — “data peribadi”"),
        ("\ufeffSection 1. Café".encode(), "Section 1. Café"),
        ("\ufeffSeksyen 2. Menteri".encode("utf-16-le"), "Seksyen 2. Menteri"),
        ("\ufeffسیکشن ۳".encode("utf-16-be"), "سیکشن ۳"),
    ],
    ids=["utf-8", "utf-8-sig", "utf-16-le-bom", "utf-16-be-bom"],
)
def test_text_encodings_are_detected(data: bytes, expected: str):
    result = extract(data, filename="act.txt")
    assert result.text == expected
    assert result.warnings == []


def test_windows_1252_is_the_fallback_with_a_warning():
    result = extract(b"The \x93Minister\x94 may appoint a caf\xe9 owner.", filename="act.txt")
    assert result.text == "The “Minister” may appoint a café owner."
    assert any("Windows-1252" in w for w in result.warnings)


def test_markdown_with_page_rules_gets_pages_and_loses_running_heads():
    pages = []
    for n in range(1, 5):
        head = f"{n} _Bill_" if n % 2 == 0 else f"_Data Protection_ {n}"
        pages.append(f"{head}\n\n**{n}.** Section {n} says something about data users.\n")
    result = extract("\n-----\n\n".join(pages).encode(), filename="bill.md")
    assert result.media_type == "text/markdown"
    assert [p.number for p in result.pages] == [1, 2, 3, 4]
    assert all("Bill" not in p.text and "Data Protection" not in p.text for p in result.pages)
    assert "**3.** Section 3 says something about data users." in result.pages[2].text


def test_plain_text_without_page_rules_is_one_page_numbered_zero():
    result = extract(b"1. One.\n\n2. Two.", filename="act.txt")
    assert [(p.number, p.text) for p in result.pages] == [(0, "1. One.\n\n2. Two.")]
    assert result.media_type == "text/plain"
