"""Builders for test documents, good and bad, made in memory (nothing is read from disk).

``make_pdf`` writes a small valid PDF by hand (Helvetica text at given positions), so tests control
exactly where running headers, footers and margin notes sit. ``MALFORMED`` is the corpus of broken files:
each entry says which error code :func:`concord.engine.extract.extract` must raise and a word its message
must contain.
"""

from __future__ import annotations

import hashlib
import io
import random
import struct
import zipfile
import zlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass

# --- PDF ---------------------------------------------------------------------------------------------------

Placed = tuple[float, float, str]  # x, y (points from the bottom-left), text


def _escape(text: str) -> bytes:
    data = text.encode("cp1252", "replace")
    return data.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)")


def _content(lines: Sequence[Placed], size: float = 11) -> bytes:
    ops = [b"BT", b"/F1 %.1f Tf" % size]
    for x, y, text in lines:
        ops.append(b"1 0 0 1 %.1f %.1f Tm (%s) Tj" % (x, y, _escape(text)))
    ops.append(b"ET")
    return b"\n".join(ops)


def _assemble(objects: list[bytes], *, trailer_extra: bytes = b"", header: bytes = b"%PDF-1.4\n") -> bytes:
    out = bytearray(header + b"%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R %s>>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        trailer_extra,
        xref,
    )
    return bytes(out)


def _stream(data: bytes, extra: bytes = b"") -> bytes:
    return b"<< /Length %d %s>>\nstream\n" % (len(data), extra) + data + b"\nendstream"


def make_pdf(pages: Sequence[Sequence[Placed]], *, width: int = 595, height: int = 842) -> bytes:
    """A text PDF: one list of (x, y, text) per page, in Helvetica."""
    count = len(pages)
    # 1 catalog, 2 pages, 3 font, then (page, contents) pairs
    kids = b" ".join(b"%d 0 R" % (4 + 2 * i) for i in range(count))
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [%s] /Count %d >>" % (kids, count),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
    ]
    for i, lines in enumerate(pages):
        objects.append(
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 %d %d] /Resources << /Font << /F1 3 0 R >> >> "
            b"/Contents %d 0 R >>" % (width, height, 5 + 2 * i)
        )
        objects.append(_stream(_content(lines)))
    return _assemble(objects)


def page_of_lines(lines: Sequence[str], *, top: float = 780, step: float = 14, x: float = 72) -> list[Placed]:
    """Body lines from the top of the page down, one per line."""
    return [(x, top - i * step, line) for i, line in enumerate(lines)]


def make_image_pdf(gray: bytes, width: int, height: int, *, page_w: int = 595, page_h: int = 842) -> bytes:
    """A scanned-looking PDF: one page holding one greyscale image and no text."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [4 0 R] /Count 1 >>",
        _stream(
            zlib.compress(gray),
            b"/Type /XObject /Subtype /Image /Width %d /Height %d /ColorSpace /DeviceGray "
            b"/BitsPerComponent 8 /Filter /FlateDecode " % (width, height),
        ),
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 %d %d] /Resources << /XObject << /Im1 3 0 R >> >> "
        b"/Contents 5 0 R >>" % (page_w, page_h),
        _stream(b"q %d 0 0 %d 0 0 cm /Im1 Do Q" % (page_w, page_h)),
    ]
    return _assemble(objects)


def _rc4(key: bytes, data: bytes) -> bytes:
    s = list(range(256))
    j = 0
    for i in range(256):
        j = (j + s[i] + key[i % len(key)]) % 256
        s[i], s[j] = s[j], s[i]
    out = bytearray()
    i = j = 0
    for byte in data:
        i = (i + 1) % 256
        j = (j + s[i]) % 256
        s[i], s[j] = s[j], s[i]
        out.append(byte ^ s[(s[i] + s[j]) % 256])
    return bytes(out)


_PAD = bytes.fromhex("28bf4e5e4e758a4164004e56fffa01082e2e00b6d0683e802f0ca9fe6453697a")


def make_encrypted_pdf(user_password: bytes = b"secret", owner_password: bytes = b"owner") -> bytes:
    """A PDF protected by the standard security handler (revision 2, 40-bit RC4) with a user password."""
    padded_user = (user_password + _PAD)[:32]
    padded_owner = (owner_password + _PAD)[:32]
    owner_key = hashlib.md5(padded_owner).digest()[:5]  # noqa: S324 - the PDF spec's algorithm
    o_value = _rc4(owner_key, padded_user)
    file_id = hashlib.md5(b"concord-test").digest()  # noqa: S324
    permissions = -4
    key = hashlib.md5(padded_user + o_value + struct.pack("<i", permissions) + file_id).digest()[:5]  # noqa: S324
    u_value = _rc4(key, _PAD)
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>",
        b"<< /Filter /Standard /V 1 /R 2 /O <%s> /U <%s> /P %d >>"
        % (o_value.hex().encode(), u_value.hex().encode(), permissions),
    ]
    extra = b"/Encrypt 4 0 R /ID [<%s> <%s>] " % (file_id.hex().encode(), file_id.hex().encode())
    return _assemble(objects, trailer_extra=extra)


# --- DOCX --------------------------------------------------------------------------------------------------

_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/word/document.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
    "</Types>"
)
_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
    'officeDocument" Target="word/document.xml"/></Relationships>'
)
_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def docx_paragraph(text: str, *, style: str | None = None, page_break_before: bool = False) -> str:
    from xml.sax.saxutils import escape

    props = f'<w:pPr><w:pStyle w:val="{style}"/></w:pPr>' if style else ""
    brk = '<w:r><w:br w:type="page"/></w:r>' if page_break_before else ""
    return f'<w:p>{props}{brk}<w:r><w:t xml:space="preserve">{escape(text)}</w:t></w:r></w:p>'


def docx_table(rows: Sequence[Sequence[str]]) -> str:
    cells = "".join(
        "<w:tr>" + "".join(f"<w:tc>{docx_paragraph(cell)}</w:tc>" for cell in row) + "</w:tr>" for row in rows
    )
    return f"<w:tbl>{cells}</w:tbl>"


def make_docx(
    body_xml: str, *, document_xml: str | None = None, extra: dict[str, bytes] | None = None
) -> bytes:
    """A minimal DOCX whose body is ``body_xml`` (``w:p`` / ``w:tbl`` elements)."""
    document = document_xml or (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document xmlns:w="{_W}"><w:body>'
        f"{body_xml}</w:body></w:document>"
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", _CONTENT_TYPES)
        archive.writestr("_rels/.rels", _RELS)
        archive.writestr("word/document.xml", document)
        for name, data in (extra or {}).items():
            archive.writestr(name, data)
    return buffer.getvalue()


def _zip(entries: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return buffer.getvalue()


# --- the malformed corpus -----------------------------------------------------------------------------------

PNG_1PX = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000154a24f6d0000000049454e44ae426082"
)
_SIMPLE_PDF_LINES = ["Personal Data Bill", "1. This Act may be cited as the Data Act."]


@dataclass(frozen=True)
class Malformed:
    """A broken file: what it is called, what it claims, and how extraction must refuse it."""

    name: str
    build: Callable[[], bytes]
    filename: str | None
    code: str
    says: str  # a word the error message must contain (case-insensitive)
    declared_type: str | None = None
    max_bytes: int | None = None


def _junk(size: int, *, seed: int, alphabet: bytes | None = None) -> bytes:
    rng = random.Random(seed)
    if alphabet is None:
        return bytes(rng.randrange(256) for _ in range(size))
    return bytes(rng.choice(alphabet) for _ in range(size))


def _docx_bomb() -> bytes:
    bomb = b"<w:p/>" + b" " * (20 * 1024 * 1024)
    return make_docx(docx_paragraph("x"), extra={"word/media/filler.xml": bomb})


def _docx_many_parts() -> bytes:
    return make_docx(docx_paragraph("x"), extra={f"word/part{i}.xml": b"" for i in range(5100)})


def _broken_document_xml() -> bytes:
    return make_docx("", document_xml='<?xml version="1.0"?><w:document xmlns:w="x"><w:body><w:p>')


def _text_pdf() -> bytes:
    return make_pdf([page_of_lines(_SIMPLE_PDF_LINES)])


def _garbage_xref_pdf() -> bytes:
    return (
        b"%PDF-1.7\n"
        + _junk(600, seed=3)
        + b"\nxref\nzz qq\ntrailer\n<< /Root 99 0 R >>\nstartxref\n77\n%%EOF\n"
    )


def _looping_page_tree_pdf() -> bytes:
    """The page list names itself as a kid: a walk of the tree would never end."""
    return _assemble([b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [2 0 R] /Count 1 >>"])


def _zero_pages_pdf() -> bytes:
    return _assemble([b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [] /Count 0 >>"])


BILLION_LAUGHS_HTML = (
    b'<?xml version="1.0"?>\n<!DOCTYPE html [\n<!ENTITY lol "lol">\n'
    b'<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">\n'
    b'<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">\n]>\n'
    b"<html><body><h1>Act</h1><p>&lol3;</p></body></html>"
)
XXE_HTML = (
    b'<!DOCTYPE html [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
    b"<html><body><h1>Act</h1><p>1. Text &xxe; here.</p></body></html>"
)
SVG = b'<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg"><text x="1" y="9">Act</text></svg>'


def _xxe_docx() -> bytes:
    document = (
        '<?xml version="1.0" encoding="UTF-8"?><!DOCTYPE w:document [<!ENTITY xxe SYSTEM '
        f'"file:///etc/passwd">]><w:document xmlns:w="{_W}"><w:body>{docx_paragraph("Text")}'
        "<w:p><w:r><w:t>&xxe;</w:t></w:r></w:p></w:body></w:document>"
    )
    return make_docx("", document_xml=document)


MALFORMED: tuple[Malformed, ...] = (
    Malformed("empty file", lambda: b"", "empty.txt", "E102", "empty"),
    Malformed("whitespace only", lambda: b" \n\t \r\n  \n", "blank.md", "E102", "empty"),
    Malformed("oversize", lambda: b"a" * 2048, "big.txt", "E101", "limit", max_bytes=1024),
    Malformed("truncated PDF", lambda: _text_pdf()[:60], "cut.pdf", "E106", "damaged"),
    Malformed("PDF with garbage xref and body", _garbage_xref_pdf, "junk.pdf", "E106", "damaged"),
    Malformed("encrypted PDF", make_encrypted_pdf, "locked.pdf", "E105", "password"),
    Malformed("PDF with no text and no images", lambda: make_pdf([[]]), "blank.pdf", "E102", "no text"),
    Malformed("PNG named .pdf", lambda: PNG_1PX, "scan.pdf", "E104", "PNG"),
    Malformed("PNG with no claim", lambda: PNG_1PX, None, "E103", "PNG"),
    Malformed(
        "JPEG declared as PDF",
        lambda: b"\xff\xd8\xff\xe0" + b"\x00" * 64,
        None,
        "E104",
        "JPEG",
        declared_type="application/pdf",
    ),
    Malformed("gzip named .pdf", lambda: b"\x1f\x8b\x08\x00" + _junk(64, seed=4), "act.pdf", "E104", "gzip"),
    Malformed("PDF declared as DOCX", _text_pdf, "act.docx", "E104", "PDF"),
    Malformed("DOCX zip bomb", _docx_bomb, "bomb.docx", "E109", "zip bomb"),
    Malformed("DOCX with thousands of parts", _docx_many_parts, "parts.docx", "E109", "zip bomb"),
    Malformed(
        "DOCX that is not a zip", lambda: b"PK\x03\x04" + _junk(300, seed=5), "bad.docx", "E110", "damaged"
    ),
    Malformed("DOCX that is plain text", lambda: b"Just some words in a file.", "notes.docx", "E104", "Word"),
    Malformed(
        "zip that is not a DOCX",
        lambda: _zip({"readme.txt": b"hello"}),
        "report.docx",
        "E104",
        "word/document.xml",
    ),
    Malformed("zip with no claim", lambda: _zip({"a.txt": b"hello"}), "bundle.zip", "E103", "ZIP"),
    Malformed("XLSX named .docx", lambda: _zip({"xl/workbook.xml": b"<x/>"}), "sheet.docx", "E104", "Excel"),
    Malformed("DOCX with broken XML", _broken_document_xml, "broken.docx", "E110", "damaged"),
    Malformed(
        "old Word .doc named .docx",
        lambda: b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504,
        "old.docx",
        "E104",
        "old Microsoft Office",
    ),
    Malformed("binary junk named .txt", lambda: _junk(4096, seed=1), "notes.txt", "E111", "NUL"),
    Malformed(
        "control-character junk named .txt",
        lambda: _junk(2048, seed=2, alphabet=bytes(range(1, 32))),
        "notes.txt",
        "E111",
        "control characters",
    ),
    Malformed(
        "UTF-16 without BOM",
        lambda: "Seksyen 1. Tajuk ringkas".encode("utf-16-le"),
        "act.txt",
        "E111",
        "byte-order mark",
    ),
    Malformed(
        "NUL bytes inside text",
        lambda: b"Section 1. Short title\x00\x00 and commencement",
        "act.md",
        "E111",
        "NUL",
    ),
    Malformed(
        "neither UTF-8 nor Windows-1252",
        lambda: b"Section 1 \x81\x8d\x8f\x90\x9d text",
        "act.txt",
        "E111",
        "decoded",
    ),
    Malformed(
        "HTML with only scripts",
        lambda: (
            b"<html><head><script>alert(1)</script></head><body>"
            b"<script>document.write('x')</script><style>p{}</style><nav>Home | About</nav></body></html>"
        ),
        "page.html",
        "E102",
        "scripts",
    ),
    Malformed(
        "ELF executable named .txt",
        lambda: b"\x7fELF\x02\x01\x01" + b"\x00" * 57,
        "tool.txt",
        "E104",
        "executable",
    ),
    Malformed("RTF named .txt", lambda: b"{\\rtf1\\ansi Hello}", "memo.txt", "E104", "RTF"),
    Malformed("PDF with a looping page tree", _looping_page_tree_pdf, "loop.pdf", "E114", "loops"),
    Malformed("PDF with zero pages", _zero_pages_pdf, "none.pdf", "E113", "no pages"),
    Malformed("HTML billion laughs", lambda: BILLION_LAUGHS_HTML, "laughs.html", "E112", "entities"),
    Malformed("HTML with an external entity", lambda: XXE_HTML, "xxe.html", "E112", "XXE"),
    Malformed("DOCX with an external entity", _xxe_docx, "xxe.docx", "E112", "entities"),
    Malformed("SVG named .html", lambda: SVG, "act.html", "E104", "SVG"),
    Malformed("SVG with no claim", lambda: SVG, None, "E103", "SVG"),
)
