"""The checks an upload gets while its sender waits, before anything is stored or queued.

:func:`check_upload` refuses, with the same codes and messages as :func:`concord.engine.extract.extract`,
everything that can be told without reading the document's text: the size, emptiness, the real type from
the bytes (and a name or declared type that disagrees with it), a PDF that is encrypted, damaged, has no
pages or a looping page tree, a DOCX that is a zip bomb, damaged or declares XML entities, text that is
binary or undecodable, and HTML that declares entities. What needs the text itself (a scan without OCR, a
page without text, the language) is found later, by the ingestion task.
"""

from __future__ import annotations

import pypdfium2 as pdfium

from .constants import DEFAULT_MAX_BYTES
from .extract import DOCX, HTML, PDF, check_docx, check_no_entities, decode_text, identify
from .extract_pdf import open_pdf, unreadable_page
from .limits import check_document_length

# Above this many pages, loading every page at upload time costs too much; the task finds bad pages.
PDF_PAGES_CHECKED = 2000


def check_upload(
    data: bytes,
    *,
    filename: str | None = None,
    declared_type: str | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    max_chars: int | None = None,
) -> str:
    """The media type the upload will be read as; raises an ``ExtractionError`` for a file to refuse now,
    or :class:`~.errors.DocumentTooLongError` (E204) for a text file over ``max_chars`` characters (a PDF
    or Word file's length is known only once it is read, so the segmenter checks those)."""
    media_type, claimed = identify(data, filename=filename, declared_type=declared_type, max_bytes=max_bytes)
    if media_type == PDF:
        _check_pdf(data)
    elif media_type == DOCX:
        check_docx(data)
    else:
        text, _warnings = decode_text(data)
        if media_type == HTML or claimed == HTML:
            check_no_entities(text, "HTML page")
        elif max_chars is not None:  # an HTML page's markup is not text: the segmenter counts that
            check_document_length(len(text), max_chars)
    return media_type


def _check_pdf(data: bytes) -> None:
    doc = open_pdf(data)
    try:
        for index in range(min(len(doc), PDF_PAGES_CHECKED)):
            try:
                doc[index].close()
            except pdfium.PdfiumError as exc:
                raise unreadable_page(data, index, exc) from exc
    finally:
        doc.close()
