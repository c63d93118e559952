"""PDF to text, page by page, with running headers, footers, page numbers and margin notes removed.

The text layer is read with pypdfium2. Each line's position (from the box of its first and last
character) tells which lines sit in a page's top and bottom zones, and which stand outside the body column
as margin notes. A PDF without a text layer (a scan) is read with the ``tesseract`` binary when it is
installed: pages are rendered with pypdfium2 and passed as greyscale PGM images, so no imaging library is
needed.
"""

from __future__ import annotations

import functools
import logging
import re
import shutil
import statistics
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from .errors import (
    CorruptPdfError,
    EmptyDocumentError,
    EncryptedPdfError,
    NoPagesPdfError,
    OcrFailedError,
    OcrUnavailableError,
    PageTreeLoopError,
)
from .layout import ZONE_LINES, PageLines, strip_running_lines, zones_by_position
from .types import ExtractedText, Page

log = logging.getLogger(__name__)
MEDIA_TYPE = "application/pdf"
# Fewer characters than this per page, on average, means the PDF has no real text layer.
MIN_CHARS_PER_PAGE = 16
OCR_LANGUAGES = ("eng", "msa", "urd")
OCR_DPI = 300
OCR_TIMEOUT_S = 180
# A line is a margin note when it lies wholly outside the body column and is at most this long.
MARGIN_NOTE_MAX_CHARS = 40
# Operators' hint when a scan arrives and Tesseract is missing (logged; users see a plain message).
OCR_INSTALL_HINT = "apt-get install tesseract-ocr tesseract-ocr-msa tesseract-ocr-urd"
# The page-tree walk that names a broken tree stops after this many nodes.
PAGE_TREE_MAX_NODES = 200_000
# The body column is measured on lines at least this long; a page needs this many of them.
BODY_LINE_MIN_CHARS = 30
BODY_LINES_NEEDED = 5


@dataclass(slots=True)
class _Line:
    text: str
    top: float
    left: float
    right: float


def extract_pdf(data: bytes, *, ocr: bool = True) -> ExtractedText:
    """Extract a PDF's text with 1-based page numbers.

    Raises :class:`EncryptedPdfError` (E105), :class:`CorruptPdfError` (E106),
    :class:`OcrUnavailableError` (E107), :class:`OcrFailedError` (E108) or
    :class:`EmptyDocumentError` (E102).
    """
    doc = open_pdf(data)
    try:
        pages: list[list[_Line]] = []
        heights: list[float] = []
        for index in range(len(doc)):
            try:
                page = doc[index]
                pages.append(_page_lines(page))
                heights.append(page.get_height())
            except pdfium.PdfiumError as exc:
                raise unreadable_page(data, index, exc) from exc
        chars = sum(len(line.text.strip()) for lines in pages for line in lines)
        if chars < MIN_CHARS_PER_PAGE * len(pages):
            if not _has_images(doc):
                raise EmptyDocumentError(
                    "The PDF has no text and no scanned images: there is nothing to read. Check that you "
                    "uploaded the right file."
                )
            if not ocr:
                raise OcrUnavailableError("The PDF is a scan without a text layer and OCR is turned off.")
            return _ocr(doc)
        return _clean(pages, heights)
    finally:
        doc.close()


def open_pdf(data: bytes) -> pdfium.PdfDocument:
    """Open a PDF (cheap: pages are loaded lazily) and refuse it when it is encrypted, damaged or has no
    pages, or when its page tree loops. Raises E105, E106, E113 or E114; the caller closes the document."""
    try:
        doc = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        password = (
            getattr(exc, "err_code", None) == pdfium_c.FPDF_ERR_PASSWORD or "password" in str(exc).lower()
        )
        # pdfium's "password" error also covers a few broken files: only a file with an /Encrypt
        # dictionary is called encrypted.
        if password and b"/Encrypt" in data:
            raise EncryptedPdfError(
                "The PDF is encrypted with a password. Remove the password (print or save it again without "
                "protection) and upload the unprotected file."
            ) from exc
        _raise_page_tree_problem(data)
        raise CorruptPdfError(
            f"The PDF is damaged and cannot be opened ({exc}). It may be truncated or have a broken "
            "cross-reference table; export it again from the original application."
        ) from exc
    if len(doc) == 0:
        doc.close()
        raise NoPagesPdfError(
            "The PDF has no pages. Export it again from the original application and upload the new file."
        )
    return doc


_PDF_OBJECT = re.compile(rb"(?<![0-9])(\d{1,10})\s+\d{1,5}\s+obj\b(.*?)\bendobj", re.S)
_PDF_ROOT = re.compile(rb"/Root\s+(\d{1,10})\s+\d{1,5}\s+R")
_PDF_PAGES = re.compile(rb"/Pages\s+(\d{1,10})\s+\d{1,5}\s+R")
_PDF_KIDS = re.compile(rb"/Kids\s*\[([^\]]*)\]")
_PDF_REF = re.compile(rb"(\d{1,10})\s+\d{1,5}\s+R")
_PDF_IS_PAGE = re.compile(rb"/Type\s*/Page(?![a-zA-Z])")


def page_tree_problem(data: bytes) -> str | None:
    """``"loop"`` when the page tree refers back to itself, ``"empty"`` when it holds no page, else None.

    Only objects written in the open are seen (not those packed in object streams): when the walk meets
    an object it cannot see, it says nothing rather than guess. Used to name the cause once pdfium fails.
    """
    objects = {int(m[1]): m[2] for m in _PDF_OBJECT.finditer(data)}  # later ones win (incremental updates)
    roots = _PDF_ROOT.findall(data)
    catalog = objects.get(int(roots[-1])) if roots else None
    if catalog is None:
        return None
    top = _PDF_PAGES.search(catalog)
    if top is None:
        return "empty"
    seen: set[int] = set()
    stack = [int(top[1])]
    leaves = 0
    while stack:
        number = stack.pop()
        if number in seen:
            return "loop"
        seen.add(number)
        if len(seen) > PAGE_TREE_MAX_NODES:
            return None
        body = objects.get(number)
        if body is None:
            return None
        kids = _PDF_KIDS.search(body)
        if kids is not None:
            stack.extend(int(ref) for ref in _PDF_REF.findall(kids[1]))
        elif _PDF_IS_PAGE.search(body):
            leaves += 1
    return None if leaves else "empty"


def _raise_page_tree_problem(data: bytes) -> None:
    problem = page_tree_problem(data)
    if problem == "loop":
        raise PageTreeLoopError(
            "The PDF's page tree loops back on itself (a page list names one of its own ancestors), so "
            "its pages cannot be found. The file is damaged; export it again from the original application."
        )
    if problem == "empty":
        raise NoPagesPdfError(
            "The PDF has no pages. Export it again from the original application and upload the new file."
        )


def unreadable_page(data: bytes, index: int, exc: Exception) -> CorruptPdfError:
    """The error for page ``index`` that pdfium cannot load: a looping or empty page tree is named as such
    (raised here), anything else is a damaged page (returned, for the caller to raise)."""
    _raise_page_tree_problem(data)
    return CorruptPdfError(
        f"Page {index + 1} of the PDF cannot be read ({exc}). The file is damaged; export it "
        "again from the original application."
    )


def _page_lines(page: pdfium.PdfPage) -> list[_Line]:
    """The page's lines in reading order, each with the position of its first and last character."""
    textpage = page.get_textpage()
    try:
        text = textpage.get_text_range()
        lines: list[_Line] = []
        exact = len(text) == textpage.count_chars()  # else indices drift (e.g. surrogate pairs)
        position = 0
        # pdfium ends a line broken at a hyphen with U+FFFE instead of "-" and a line break.
        for raw, separator in _split_lines(text):
            stripped = raw.strip() + ("-" if separator == "\ufffe" else "")
            if stripped and exact:
                first = position + (len(raw) - len(raw.lstrip()))
                last = position + len(raw.rstrip()) - 1
                left, _, _, top = textpage.get_charbox(first)
                _, _, right, _ = textpage.get_charbox(last)
                lines.append(_Line(stripped, top, left, right))
            elif stripped:
                lines.append(_Line(stripped, 0.0, 0.0, 0.0))
            position += len(raw) + len(separator)
        return lines
    finally:
        textpage.close()


def _split_lines(text: str) -> list[tuple[str, str]]:
    """(line, separator after it) pairs; separators are "\r\n", "\n" or U+FFFE."""
    parts = re.split(r"(\r\n|\n|\ufffe)", text)
    return [(parts[k], parts[k + 1] if k + 1 < len(parts) else "") for k in range(0, len(parts), 2)]


def _clean(pages: list[list[_Line]], heights: list[float]) -> ExtractedText:
    warnings: list[str] = []
    margin_notes = 0
    laid_out: list[PageLines] = []
    for lines, height in zip(pages, heights):
        lines, dropped = _drop_margin_notes(lines)
        margin_notes += dropped
        laid_out.append(_zones(lines, height))
    kept, running = strip_running_lines(laid_out)
    if running:
        warnings.append(f"removed {running} running header, footer or page-number lines")
    if margin_notes:
        warnings.append(f"removed {margin_notes} margin-note lines")
    return ExtractedText(
        pages=[Page(number=i + 1, text="\n".join(lines)) for i, lines in enumerate(kept)],
        media_type=MEDIA_TYPE,
        warnings=warnings,
    )


def _zones(lines: list[_Line], height: float) -> PageLines:
    """Top and bottom zones by position on the page, whatever order the PDF stores its text in."""
    order = sorted(range(len(lines)), key=lambda i: -lines[i].top)
    quarter = height / 4
    top = [i for i in order[:ZONE_LINES] if lines[i].top >= height - quarter]
    bottom = [i for i in order[-ZONE_LINES:] if lines[i].top <= quarter]
    return PageLines([line.text for line in lines], top, bottom)


def _drop_margin_notes(lines: list[_Line]) -> tuple[list[_Line], int]:
    body = [line for line in lines if len(line.text) >= BODY_LINE_MIN_CHARS and line.right > line.left]
    if len(body) < BODY_LINES_NEEDED:
        return lines, 0
    body_left = statistics.median(line.left for line in body)
    rights = sorted(line.right for line in body)
    body_right = rights[int(0.9 * (len(rights) - 1))]
    kept = [
        line
        for line in lines
        if len(line.text) > MARGIN_NOTE_MAX_CHARS
        or line.right == line.left  # no geometry
        or not (line.right < body_left - 4 or line.left > body_right + 4)
    ]
    return kept, len(lines) - len(kept)


def _has_images(doc: pdfium.PdfDocument) -> bool:
    for index in range(len(doc)):
        page = doc[index]
        if next(iter(page.get_objects(filter=(pdfium_c.FPDF_PAGEOBJ_IMAGE,))), None) is not None:
            return True
    return False


@functools.cache
def ocr_languages() -> tuple[str, ...]:
    """The OCR languages Concord wants (eng, msa, urd) that the installed Tesseract has."""
    binary = shutil.which("tesseract")
    if binary is None:
        return ()
    try:
        listing = subprocess.run(
            [binary, "--list-langs"], capture_output=True, text=True, timeout=30, check=False
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return ()
    installed = {line.strip() for line in listing.splitlines()}
    return tuple(lang for lang in OCR_LANGUAGES if lang in installed)


def ocr_hint() -> str:
    """For operators: what is missing for OCR (and how to install it), or "" when all is there."""
    if shutil.which("tesseract") is None:
        return f"Tesseract is not installed, so scanned PDFs are refused. Install it: {OCR_INSTALL_HINT}"
    missing = [lang for lang in OCR_LANGUAGES if lang not in ocr_languages()]
    if missing:
        packages = " ".join(f"tesseract-ocr-{lang}" for lang in missing if lang != "eng")
        return f"Tesseract lacks the language data {', '.join(missing)}; install: apt-get install {packages}"
    return ""


def _ocr(doc: pdfium.PdfDocument) -> ExtractedText:
    binary = shutil.which("tesseract")
    if binary is None:
        # The user cannot install anything: they are told to ask; the operator's hint goes to the log
        # (and `concord check` says whether OCR is available).
        log.warning(
            "a scanned PDF needs OCR and Tesseract is not installed; install it: %s", OCR_INSTALL_HINT
        )
        raise OcrUnavailableError(
            "This PDF is a scan (it has no text layer) and text recognition (OCR) is not available on this "
            "server. Ask the administrator to turn on text recognition, or upload a PDF with selectable text."
        )
    languages = ocr_languages()
    command = [binary, "", "stdout", "--psm", "3"]
    if languages:
        command += ["-l", "+".join(languages)]
    texts: list[str] = []
    with tempfile.TemporaryDirectory(prefix="concord-ocr-") as tmp:
        image = Path(tmp) / "page.pgm"
        for index in range(len(doc)):
            image.write_bytes(_render_pgm(doc[index]))
            command[1] = str(image)
            try:
                run = subprocess.run(command, capture_output=True, timeout=OCR_TIMEOUT_S, check=False)
            except (OSError, subprocess.TimeoutExpired) as exc:
                raise OcrFailedError(f"Tesseract failed on page {index + 1}: {exc}.") from exc
            if run.returncode != 0:
                message = run.stderr.decode("utf-8", "replace").strip()[-300:]
                raise OcrFailedError(f"Tesseract failed on page {index + 1}: {message}")
            texts.append(run.stdout.decode("utf-8", "replace"))
    pages = [PageLines(lines, *zones_by_position(lines)) for lines in (t.splitlines() for t in texts)]
    kept, _ = strip_running_lines(pages)
    if not any(line.strip() for lines in kept for line in lines):
        raise EmptyDocumentError("OCR found no text in the scanned PDF. Check the scan's quality.")
    return ExtractedText(
        pages=[Page(number=i + 1, text="\n".join(lines)) for i, lines in enumerate(kept)],
        media_type=MEDIA_TYPE,
        warnings=[f"text read by OCR (tesseract, {'+'.join(languages) or 'default language'})"],
        ocr=True,
    )


def _render_pgm(page: pdfium.PdfPage) -> bytes:
    bitmap = page.render(scale=OCR_DPI / 72, grayscale=True)
    pixels = np.asarray(bitmap.to_numpy())
    if pixels.ndim == 3:  # colour formats (BGR/BGRA): luminance
        pixels = (pixels[..., :3].astype(np.float32) @ np.array([0.114, 0.587, 0.299], np.float32)).astype(
            np.uint8
        )
    height, width = pixels.shape[:2]
    return b"P5\n%d %d\n255\n" % (width, height) + np.ascontiguousarray(pixels, dtype=np.uint8).tobytes()
