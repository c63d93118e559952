"""Documents in, text out: PDF, DOCX, HTML, Markdown and plain text, page by page.

:func:`extract` is the one entry point. It never trusts a file name or a declared type: it sniffs the real
type from the bytes (magic numbers, ZIP directory, leading markup) and refuses a file whose declared type
disagrees with its content. Every refusal is an :class:`~concord.engine.errors.ExtractionError` with a
stable code (E1xx) and a message that names the problem and what to do.

Whatever the format, the text that comes out is plain: no tags, no scripts, no ``javascript:`` URLs, no
control characters. Markdown keeps its ``#`` headings, and HTML and DOCX headings are written the same
way, so the segmenter sees one kind of heading.
"""

from __future__ import annotations

import codecs
import io
import re
import unicodedata
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from zlib import error as zlib_error

from .constants import DEFAULT_MAX_BYTES
from .errors import (
    CorruptDocxError,
    EmptyDocumentError,
    EntityDeclarationError,
    ExtractionError,
    FileTooLargeError,
    TypeMismatchError,
    UndecodableTextError,
    UnsupportedTypeError,
    ZipBombError,
)
from .extract_pdf import extract_pdf
from .layout import PageLines, strip_running_lines, zones_by_position
from .types import ExtractedText, Page

# A DOCX may expand to at most this many bytes, and no part may expand more than this ratio.
DOCX_MAX_UNCOMPRESSED = 200 * 1024 * 1024
DOCX_MAX_RATIO = 100
DOCX_MAX_ENTRIES = 5000
# Above this share of control characters, "text" is binary junk.
MAX_CONTROL_SHARE = 0.01

PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
HTML = "text/html"
MARKDOWN = "text/markdown"
TEXT = "text/plain"
TEXT_TYPES = (HTML, MARKDOWN, TEXT)

_ALIASES = {
    "pdf": PDF,
    "docx": DOCX,
    "html": HTML,
    "htm": HTML,
    "xhtml": HTML,
    "application/xhtml+xml": HTML,
    "md": MARKDOWN,
    "markdown": MARKDOWN,
    "text/x-markdown": MARKDOWN,
    "txt": TEXT,
    "text": TEXT,
}
# Text formats that are not documents: a file named so is refused even though its bytes are text.
_DATA_EXTENSIONS = frozenset(
    {
        "csv",
        "tsv",
        "json",
        "jsonl",
        "ndjson",
        "xml",
        "yaml",
        "yml",
        "toml",
        "ini",
        "cfg",
        "conf",
        "log",
        "sql",
        "js",
        "mjs",
        "css",
        "py",
        "sh",
        "bat",
        "ps1",
        "php",
        "rb",
        "svg",
        "rtf",
        "odt",
        "ods",
        "odp",
        "doc",
        "xls",
        "ppt",
        "xlsx",
        "pptx",
        "eml",
        "msg",
        "ics",
        "vcf",
        "tex",
    }
)
_NAMES = {
    PDF: "a PDF",
    DOCX: "a Word document (DOCX)",
    HTML: "an HTML page",
    MARKDOWN: "Markdown text",
    TEXT: "plain text",
}

# Magic numbers of formats Concord does not read, so the refusal can say what the file really is.
_FOREIGN_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"II*\x00", "a TIFF image"),
    (b"MM\x00*", "a TIFF image"),
    (b"RIFF", "a RIFF media file (WebP, WAV or AVI)"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an old Microsoft Office file (DOC/XLS/PPT)"),
    (b"{\\rtf", "an RTF document"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive"),
    (b"Rar!", "a RAR archive"),
    (b"\x7fELF", "a Linux executable"),
    (b"MZ", "a Windows executable"),
    (b"%!PS", "a PostScript file"),
    (b"\x00\x00\x01\x00", "an icon file"),
)
_SVG_START = re.compile(
    r"^\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*(?:<!doctype\s+svg[^>]*>\s*)?<svg[\s>]", re.I | re.S
)
# A document type with an internal subset that declares entities: "billion laughs" expansion or an
# external entity (XXE) that would read a server file. No real HTML page or Word part needs one.
_ENTITY_DECLARATION = re.compile(r"<!DOCTYPE[^>\[]*\[[^\]]*?<!ENTITY", re.I | re.S)
# Well-formed multi-byte UTF-8 sequences: text that holds some of them but is not valid UTF-8 as a whole
# mixes encodings (UTF-8 pasted into a Windows-1252 file, or the reverse).
_UTF8_MULTIBYTE = re.compile(rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}")
_HTML_START = re.compile(r"^\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<(?:!doctype|[a-z])", re.I | re.S)
_HTML_ELEMENT = re.compile(r"<(?:html|head|body|p|div|script|style|table|h[1-6]|span|a|br)\b", re.I)
_MD_HEADING = re.compile(r"^#{1,6}\s+\S", re.M)
_PAGE_RULE = re.compile(r"^\s*-{5,}\s*$", re.M)

# Neutralising anything executable that could reach a page through the text.
_DANGEROUS_BLOCK = re.compile(
    r"<\s*(script|style|iframe|object|embed|template)\b.*?<\s*/\s*\1\s*>", re.I | re.S
)
_TAG = re.compile(r"<\s*/?\s*[a-z!?][^<>]{0,2000}>", re.I)
_SCRIPT_URL = re.compile(r"\b(?:java|vb|live)\s*script\s*:|\bdata\s*:\s*text/html", re.I)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u200b\ufeff]")


@dataclass(frozen=True, slots=True)
class Sniffed:
    """What the bytes are: a media type Concord reads, or a description of what it does not read."""

    media_type: str | None
    description: str


def extract(
    data: bytes,
    *,
    filename: str | None = None,
    declared_type: str | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> ExtractedText:
    """Extract the text of a document, page by page.

    ``data`` is the file's bytes. ``filename`` and ``declared_type`` (a media type such as
    ``application/pdf`` or a short name such as ``pdf``, ``docx``, ``html``, ``md``, ``txt``) are what the
    uploader claims; the bytes decide, and a claim that disagrees with them raises
    :class:`TypeMismatchError` (E104). When both are given, ``declared_type`` wins over the extension.

    Pages are numbered from 1 for PDFs (and for Markdown or DOCX that carry page breaks); a format without
    pages gives one page numbered 0.

    Raises an :class:`ExtractionError`: E101 over ``max_bytes``, E102 no text, E103 unsupported format,
    E104 type mismatch, E105 encrypted PDF, E106 corrupt PDF, E107 scan without Tesseract, E108 OCR failed,
    E109 DOCX zip bomb, E110 corrupt DOCX, E111 undecodable text, E112 entity declarations (billion
    laughs, XXE), E113 PDF without pages, E114 PDF page tree that loops.
    """
    media_type, claimed = identify(data, filename=filename, declared_type=declared_type, max_bytes=max_bytes)
    if media_type == PDF:
        result = extract_pdf(data)
    elif media_type == DOCX:
        result = _extract_docx(data)
    else:
        text, warnings = decode_text(data)
        if media_type == HTML or (claimed == HTML and _HTML_ELEMENT.search(text)):
            check_no_entities(text, "HTML page")
            result = _extract_html(text)
        else:
            kind = MARKDOWN if MARKDOWN in (claimed, media_type) else media_type
            result = _extract_markup_text(text, kind)
        result.warnings[:0] = warnings
    result.pages = [Page(p.number, sanitize_text(p.text)) for p in result.pages]
    if not any(p.text.strip() for p in result.pages):
        raise EmptyDocumentError(_empty_message(result.media_type))
    return result


def identify(
    data: bytes,
    *,
    filename: str | None = None,
    declared_type: str | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> tuple[str, str | None]:
    """The media type Concord will read the bytes as, and the type the upload claimed (or None).

    Refuses what can be told from the size and the first bytes: E101 too large, E102 empty, E103 a
    format Concord does not read, E104 a claim that disagrees with the content.
    """
    if len(data) > max_bytes:
        raise FileTooLargeError(
            f"The file is {_size(len(data))}, over the {_size(max_bytes)} limit. Split the document into "
            "smaller files or ask an administrator to raise the limit.",
            params={"size": len(data), "limit": max_bytes},
        )
    if not data.strip(b" \t\r\n\x0b\x0c"):
        raise EmptyDocumentError(
            "The file is empty. Upload the document's file again.",
            params={"why": "whitespace" if data else "empty"},
        )
    sniffed = sniff(data)
    claimed, claim_source = _claimed_type(filename, declared_type)
    _check_claim(sniffed, claimed, claim_source)
    extension = filename.rsplit(".", 1)[1].lower() if filename and "." in filename else ""
    if claimed is None and extension in _DATA_EXTENSIONS and sniffed.media_type in TEXT_TYPES:
        raise UnsupportedTypeError(
            f"Files of type .{extension} are not a document type Concord reads. Upload a PDF, DOCX, HTML, "
            "Markdown or plain-text document.",
            params={"why": "extension", "extension": extension},
        )
    if sniffed.media_type is None:
        raise UnsupportedTypeError(
            f"The file is {sniffed.description}, which Concord cannot read. Upload a PDF, DOCX, HTML, "
            "Markdown or plain-text document.",
            params={"what": sniffed.description},
        )
    return sniffed.media_type, claimed


def sniff(data: bytes) -> Sniffed:
    """Tell what the bytes are from their content alone."""
    head = data[:1024]
    if b"%PDF-" in head:
        return Sniffed(PDF, _NAMES[PDF])
    if data.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        return _sniff_zip(data)
    for magic, description in _FOREIGN_MAGIC:
        if data.startswith(magic):
            return Sniffed(None, description)
    if data.startswith((b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")):
        sample = data[:4096].decode(
            "utf-16" if data[:2] in (b"\xff\xfe", b"\xfe\xff") else "utf-8-sig", "ignore"
        )
    else:
        if b"\x00" in data[:65536]:
            return Sniffed(TEXT, "binary data")  # read as text, decode_text explains the NUL bytes
        sample = data[:4096].decode("utf-8", "ignore")
    if _SVG_START.match(sample):
        return Sniffed(None, "an SVG image")
    if _HTML_START.match(sample):
        return Sniffed(HTML, _NAMES[HTML])
    if _MD_HEADING.search(sample):
        return Sniffed(MARKDOWN, _NAMES[MARKDOWN])
    return Sniffed(TEXT, _NAMES[TEXT])


def _sniff_zip(data: bytes) -> Sniffed:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, ValueError, OSError):
        return Sniffed(DOCX, "a damaged ZIP file")  # _extract_docx explains
    if "word/document.xml" in names:
        return Sniffed(DOCX, _NAMES[DOCX])
    if "xl/workbook.xml" in names:
        return Sniffed(None, "an Excel workbook (XLSX)")
    if "ppt/presentation.xml" in names:
        return Sniffed(None, "a PowerPoint presentation (PPTX)")
    if "content.xml" in names:
        return Sniffed(None, "an OpenDocument file (ODT/ODS)")
    return Sniffed(None, "a ZIP archive that is not a Word document (it has no word/document.xml)")


def _claimed_type(filename: str | None, declared_type: str | None) -> tuple[str | None, str]:
    if declared_type:
        key = declared_type.split(";")[0].strip().lower()
        known = _ALIASES.get(key.lstrip("."), key)
        if known in _NAMES:
            return known, f"declared as {declared_type}"
        if key not in ("", "application/octet-stream", "binary/octet-stream"):
            return key, f"declared as {declared_type}"
    if filename and "." in filename:
        extension = filename.rsplit(".", 1)[1].lower()
        if extension in _ALIASES:
            return _ALIASES[extension], f"named {filename!r}"
    return None, ""


def _check_claim(sniffed: Sniffed, claimed: str | None, source: str) -> None:
    if claimed is None:
        return
    actual = sniffed.media_type
    if actual in TEXT_TYPES and claimed in TEXT_TYPES:
        return  # text is text: the content decides between HTML, Markdown and plain
    if actual == claimed:
        return
    what = _NAMES.get(claimed, claimed)
    raise TypeMismatchError(
        f"The file is {source}, so it should be {what}, but its content is {sniffed.description}. "
        "Upload the right file, or give it the name or type that matches its content.",
        params={"claimed": what, "what": sniffed.description},
    )


def _cp1252_fallback(exc: UnicodeError) -> tuple[str, int]:
    """A codec error handler: read the bytes that are not UTF-8 as Windows-1252, one at a time."""
    assert isinstance(exc, UnicodeDecodeError)
    byte = exc.object[exc.start : exc.start + 1]
    try:
        return byte.decode("cp1252"), exc.start + 1
    except UnicodeDecodeError:
        raise UnicodeDecodeError(
            "cp1252", exc.object, exc.start, exc.start + 1, "a byte undefined in Windows-1252"
        ) from None


codecs.register_error("concord-cp1252", _cp1252_fallback)


def decode_text(data: bytes) -> tuple[str, list[str]]:
    """Decode text bytes: UTF-8 (with or without BOM), UTF-16 with BOM, else Windows-1252 with a warning.

    Text that mixes UTF-8 with Windows-1252 (a UTF-8 file with pasted legacy text) is read piece by piece:
    the UTF-8 sequences as UTF-8, the other bytes as Windows-1252, with a warning that says so.

    Raises :class:`UndecodableTextError` (E111) for NUL bytes (binary data, or UTF-16 without a BOM) and
    for binary junk that happens to decode.
    """
    warnings: list[str] = []
    try:
        if data.startswith(b"\xef\xbb\xbf"):
            text = data.decode("utf-8-sig")
        elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
            text = data.decode("utf-16")
        elif b"\x00" in data:
            raise UndecodableTextError(
                "The text holds NUL bytes: it is binary data, or UTF-16 text without a byte-order mark. "
                "Save it as UTF-8 and upload it again.",
                params={"why": "nul"},
            )
        else:
            try:
                text = data.decode("utf-8")
            except UnicodeDecodeError:
                if _UTF8_MULTIBYTE.search(data):
                    text = data.decode("utf-8", "concord-cp1252")
                    warnings.append(
                        "the text mixes encodings: its UTF-8 parts were read as UTF-8 and the other bytes "
                        "as Windows-1252 (check accented letters)"
                    )
                else:
                    text = data.decode("cp1252")
                    warnings.append(
                        "the text is not UTF-8; it was read as Windows-1252 (check accented letters)"
                    )
    except UnicodeDecodeError as exc:
        raise UndecodableTextError(
            f"The text cannot be decoded ({exc.reason} at byte {exc.start}): it is neither UTF-8, "
            "UTF-16 with "
            "a byte-order mark, nor Windows-1252. Save it as UTF-8 and upload it again.",
            params={"why": "encoding", "at": exc.start},
        ) from exc
    controls = len(_CONTROL.findall(text)) + text.count("\ufffd")
    if text and controls / len(text) > MAX_CONTROL_SHARE:
        raise UndecodableTextError(
            f"The file is not text: {controls} of its {len(text)} characters are control characters. "
            "It is binary data with a text name; upload the document itself.",
            params={"why": "controls", "controls": controls, "length": len(text)},
        )
    return text, warnings


def check_no_entities(text: str, what: str) -> None:
    """Refuse markup that declares entities (billion laughs, XXE) instead of expanding or fetching them."""
    if _ENTITY_DECLARATION.search(text[:1_000_000]):
        raise EntityDeclarationError(
            f"The {what} declares its own entities (<!ENTITY …> in its document type). Concord never "
            "expands or fetches them, because they are used to blow up a file (billion laughs) or to read "
            "files from the server (XXE). Save the document again without a custom document type.",
            params={"what": what},
        )


def sanitize_text(text: str) -> str:
    """Plain, safe text: no tags, scripts or script URLs, no control characters, NFC, ``\\n`` line ends."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _DANGEROUS_BLOCK.sub(" ", text)
    text = _TAG.sub(" ", text)
    text = _SCRIPT_URL.sub("", text)
    text = _CONTROL.sub("", text).replace("\ufffd", "")
    text = unicodedata.normalize("NFC", text)
    return "\n".join(line.rstrip() for line in text.split("\n")).strip("\n")


def _extract_markup_text(text: str, media_type: str) -> ExtractedText:
    """Plain text and Markdown. A run of ``-----`` lines marks pages (as in PDF-to-Markdown conversions)."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if len(_PAGE_RULE.findall(text)) < 2:
        return ExtractedText(pages=[Page(0, text)], media_type=media_type)
    chunks = _PAGE_RULE.split(text)
    laid_out = [PageLines(lines, *zones_by_position(lines)) for lines in (c.split("\n") for c in chunks)]
    kept, removed = strip_running_lines(laid_out)
    warnings = [f"{len(chunks)} pages taken from '-----' page rules"]
    if removed:
        warnings.append(f"removed {removed} running header, footer or page-number lines")
    pages = [Page(i + 1, "\n".join(lines)) for i, lines in enumerate(kept)]
    return ExtractedText(pages=pages, media_type=media_type, warnings=warnings)


# --- HTML ---------------------------------------------------------------------------------------------------

_DROP_TAGS = (
    "script",
    "style",
    "nav",
    "noscript",
    "template",
    "iframe",
    "frame",
    "frameset",
    "object",
    "embed",
    "applet",
    "svg",
    "math",
    "head",
    "form",
    "button",
    "select",
    "textarea",
    "canvas",
    "audio",
    "video",
    "link",
    "meta",
    "base",
)
_BLOCK_TAGS = frozenset(
    [
        "p",
        "div",
        "section",
        "article",
        "main",
        "header",
        "footer",
        "aside",
        "address",
        "blockquote",
        "pre",
        "ul",
        "ol",
        "li",
        "dl",
        "dt",
        "dd",
        "table",
        "thead",
        "tbody",
        "tfoot",
        "tr",
        "caption",
        "figure",
        "figcaption",
        "hr",
        "body",
        "html",
        "center",
        "details",
        "summary",
    ]
)
_BREAK = "\u2029"  # stands for a line break while HTML whitespace is collapsed


def _extract_html(text: str) -> ExtractedText:
    import lxml.etree
    import lxml.html

    text = re.sub(r"^\s*<\?xml[^>]*>", "", text)  # lxml refuses str input with an encoding declaration
    parser = lxml.html.HTMLParser(remove_comments=True, remove_pis=True, no_network=True, recover=True)
    try:
        root = lxml.html.document_fromstring(text, parser=parser)
    except (lxml.etree.ParserError, ValueError) as exc:
        raise EmptyDocumentError(f"The HTML page has no content to read ({exc}).") from exc
    for element in list(root.iter(*_DROP_TAGS)):
        element.drop_tree()
    for element in list(root.xpath("//*[@role='navigation' or @hidden or @aria-hidden='true']")):
        element.drop_tree()
    for element in root.iter():
        tag = element.tag if isinstance(element.tag, str) else ""
        if tag == "pre":
            for node in element.iter():
                node.text = node.text.replace("\n", _BREAK) if node.text else node.text
                node.tail = (
                    node.tail.replace("\n", _BREAK) if node.tail and node is not element else node.tail
                )
        if re.fullmatch(r"h[1-6]", tag):
            element.text = f"{_BREAK}{'#' * int(tag[1])} {element.text or ''}"
            element.tail = _BREAK + (element.tail or "")
        elif tag in _BLOCK_TAGS:
            element.text = _BREAK + (element.text or "")
            element.tail = _BREAK + (element.tail or "")
        elif tag == "br":
            element.tail = _BREAK + (element.tail or "")
        elif tag in ("td", "th"):
            element.tail = "  " + (element.tail or "")
    content = root.text_content()
    lines = (re.sub(r"\s+", " ", line).strip() for line in content.split(_BREAK))
    body = re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()
    return ExtractedText(pages=[Page(0, body)], media_type=HTML)


# --- DOCX ---------------------------------------------------------------------------------------------------


def check_docx(data: bytes) -> None:
    """Open the Word document's ZIP archive and check its entries' sizes: E110 when it is not a ZIP file,
    E109 for a zip bomb."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError, OSError) as exc:
        raise CorruptDocxError(
            f"The Word document is damaged: it is not a readable ZIP file ({exc}). Save it again from Word "
            "and upload the new file."
        ) from exc
    with archive:
        check_docx_archive(archive, len(data))


def _extract_docx(data: bytes) -> ExtractedText:
    check_docx(data)
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    try:
        document = docx.Document(io.BytesIO(data))
        paragraphs = list(_docx_paragraphs(document.element.body))
    except (PackageNotFoundError, KeyError, ValueError, zipfile.BadZipFile, SyntaxError) as exc:
        raise CorruptDocxError(
            f"The Word document is damaged and cannot be read ({type(exc).__name__}: {exc}). Save it again "
            "from Word and upload the new file."
        ) from exc
    pages: list[list[str]] = [[]]
    for text, new_page in paragraphs:
        if new_page and pages[-1]:
            pages.append([])
        pages[-1].append(text)
    numbered = len(pages) > 1
    return ExtractedText(
        pages=[Page(i + 1 if numbered else 0, "\n".join(lines)) for i, lines in enumerate(pages)],
        media_type=DOCX,
    )


def check_docx_archive(archive: zipfile.ZipFile, compressed: int) -> None:
    """Everything about a DOCX that can be told without reading its text: no zip bomb, a document part,
    and no XML part that declares entities. Raises E109, E110 or E112."""
    _check_zip_bomb(archive, compressed)
    names = archive.namelist()
    if "word/document.xml" not in names:
        raise CorruptDocxError("The ZIP file has no word/document.xml, so it is not a Word document.")
    for name in names:
        if name.endswith((".xml", ".rels")):
            try:
                with archive.open(name) as part:
                    head = part.read(65536).decode("utf-8", "ignore")
            except (zipfile.BadZipFile, OSError, EOFError, zlib_error) as exc:
                raise CorruptDocxError(
                    f"The Word document is damaged: its part {name} cannot be unpacked ({exc}). Save it "
                    "again from Word and upload the new file.",
                    params={"part": name},
                ) from exc
            check_no_entities(head, "Word document")


def _check_zip_bomb(archive: zipfile.ZipFile, compressed: int) -> None:
    """Refuse archives that would expand to an unsafe size, before a single part is decompressed.

    zipfile never returns more than an entry's declared size, so the declared sizes bound the work.
    """
    entries = archive.infolist()
    if len(entries) > DOCX_MAX_ENTRIES:
        raise ZipBombError(
            f"The DOCX holds {len(entries)} parts (the limit is {DOCX_MAX_ENTRIES}); "
            "it looks like a zip bomb "
            "and was not opened."
        )
    total = sum(entry.file_size for entry in entries)
    if total > DOCX_MAX_UNCOMPRESSED:
        raise ZipBombError(
            f"The DOCX would expand to {_size(total)} (the limit is {_size(DOCX_MAX_UNCOMPRESSED)}); "
            "it looks "
            "like a zip bomb and was not opened."
        )
    for entry in entries:
        ratio = entry.file_size / max(entry.compress_size, 1)
        if entry.file_size > 1024 * 1024 and ratio > DOCX_MAX_RATIO:
            raise ZipBombError(
                f"The DOCX part {entry.filename} expands {ratio:.0f} times (the limit is {DOCX_MAX_RATIO}); "
                "it looks like a zip bomb and was not opened."
            )


def _docx_paragraphs(body: object) -> Iterator[tuple[str, bool]]:
    """(text, starts a new page) for every paragraph, in document order, tables included."""
    from docx.oxml.ns import qn
    from docx.text.paragraph import Paragraph

    page_break = (qn("w:br"), qn("w:lastRenderedPageBreak"), qn("w:pageBreakBefore"))
    for element in body.iter(qn("w:p")):  # type: ignore[attr-defined]
        paragraph = Paragraph(element, None)  # type: ignore[arg-type]
        new_page = any(
            node.tag != qn("w:br") or node.get(qn("w:type")) == "page" for node in element.iter(*page_break)
        )
        text = paragraph.text.strip()
        style = element.pPr.pStyle.val if element.pPr is not None and element.pPr.pStyle is not None else ""
        level = re.fullmatch(r"(?:heading|title)\s?(\d?)", style or "", re.I)
        if text and level:
            text = "#" * int(level.group(1) or 1) + " " + text
        if text or new_page:
            yield text, new_page


def _empty_message(media_type: str) -> str:
    if media_type == HTML:
        return (
            "The HTML page has no readable text once scripts, styles and navigation are removed. Upload the "
            "page that holds the document's text."
        )
    what = _NAMES.get(media_type, media_type)
    return f"The document ({what}) holds no text. Check that you uploaded the right file."


def _size(n: int) -> str:
    for unit in ("bytes", "KB", "MB", "GB"):
        if n < 1024 or unit == "GB":
            return f"{n:.0f} {unit}" if unit == "bytes" else f"{n:.1f} {unit}"
        n = n / 1024  # type: ignore[assignment]
    raise ExtractionError("unreachable")  # pragma: no cover
