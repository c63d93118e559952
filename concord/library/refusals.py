"""What the library tells a user whose file it refuses, in the user's language.

The engine says why it refuses a file with a stable code (``E1xx``) and the facts behind it (``params``:
what the file really is, what its name claimed...). This catalogue turns them into a translated message;
a code or variant that is not here keeps the engine's English message.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _

from concord.engine.errors import EngineError

# What a file really is, as ``concord.engine.extract.sniff`` describes it.
DESCRIPTIONS = {
    "a PDF": _("a PDF"),
    "a Word document (DOCX)": _("a Word document (DOCX)"),
    "an HTML page": _("an HTML page"),
    "Markdown text": _("Markdown text"),
    "plain text": _("plain text"),
    "a PNG image": _("a PNG image"),
    "a JPEG image": _("a JPEG image"),
    "a GIF image": _("a GIF image"),
    "a TIFF image": _("a TIFF image"),
    "an SVG image": _("an SVG image"),
    "an icon file": _("an icon file"),
    "a WebP image": _("a WebP image"),
    "a RIFF media file (WebP, WAV or AVI)": _("a media file (WebP, WAV or AVI)"),
    "an old Microsoft Office file (DOC/XLS/PPT)": _("an old Microsoft Office file (DOC/XLS/PPT)"),
    "an RTF document": _("an RTF document"),
    "a PostScript file": _("a PostScript file"),
    "a gzip archive": _("a gzip archive"),
    "a 7-Zip archive": _("a 7-Zip archive"),
    "a RAR archive": _("a RAR archive"),
    "a damaged ZIP file": _("a damaged ZIP file"),
    "a ZIP archive that is not a Word document (it has no word/document.xml)": _(
        "a ZIP archive that is not a Word document (it has no word/document.xml)"
    ),
    "an Excel workbook (XLSX)": _("an Excel workbook (XLSX)"),
    "a PowerPoint presentation (PPTX)": _("a PowerPoint presentation (PPTX)"),
    "an OpenDocument file (ODT/ODS)": _("an OpenDocument file (ODT/ODS)"),
    "a Linux executable": _("a Linux program (an executable file)"),
    "a Windows executable": _("a Windows program (an executable file)"),
    "binary data": _("binary data, not text"),
}

# code, or "code:variant" (the engine's ``params["why"]``) → message.
MESSAGES = {
    "E102:empty": _("The file is empty (0 bytes). Upload the document's file again."),
    "E102:whitespace": _("The file holds only white space, no text. Upload the document's file again."),
    "E103": _(
        "The file is %(what)s, which Concord cannot read. Upload a PDF, Word (DOCX), HTML, Markdown or "
        "plain-text document."
    ),
    "E103:extension": _(
        "Files of type “.%(extension)s” are not a document type Concord reads. Upload a PDF, Word (DOCX), "
        "HTML, Markdown or plain-text document."
    ),
    "E104": _(
        "The file's name or type says it is %(claimed)s, but its content is %(what)s. Upload the right "
        "file, or give it the name that matches its content."
    ),
    "E105": _(
        "The PDF is protected by a password. Remove the password (save or print it again without "
        "protection) and upload the unprotected file."
    ),
    "E106": _(
        "The PDF is damaged and cannot be read: it may be truncated or have a broken cross-reference "
        "table. Export it again from the original application and upload the new file."
    ),
    "E107": _(
        "This PDF is a scan (it has no text layer) and text recognition is not available on this server. "
        "Ask the administrator to turn on text recognition, or upload a PDF with selectable text."
    ),
    "E109": _(
        "The Word document would expand to an unsafe size (it looks like a zip bomb), so it was not opened."
    ),
    "E110": _(
        "The Word document is damaged and cannot be read. Save it again from Word and upload the new file."
    ),
    "E111:nul": _(
        "The file holds NUL bytes: it is binary data, or UTF-16 text without a byte-order mark. Save it "
        "as UTF-8 text and upload it again."
    ),
    "E111:controls": _(
        "The file is not text: %(controls)s of its %(length)s characters are control characters. Upload "
        "the document itself."
    ),
    "E111:encoding": _(
        "The text cannot be decoded: it is neither UTF-8, UTF-16 with a byte-order mark, nor "
        "Windows-1252. Save it as UTF-8 and upload it again."
    ),
    "E112": _(
        "The file declares its own entities (<!ENTITY …> in its document type). Concord never expands or "
        "fetches them, because they are used to blow up files (billion laughs) or to read files from the "
        "server (XXE). Save the document again without a custom document type."
    ),
    "E113": _("The PDF has no pages. Export it again from the original application and upload the new file."),
    "E114": _(
        "The PDF's page tree loops back on itself, so its pages cannot be found. The file is damaged; "
        "export it again from the original application."
    ),
    "E103:evidence": _(
        "The file is %(what)s, which is not accepted as evidence. Attach a document (PDF, Word DOCX, plain "
        "text or Markdown) or an image (PNG, JPEG, GIF or WebP)."
    ),
    "E115": _(
        "The file looks like %(what)s but cannot be opened: it is damaged or truncated. Save the image again "
        "and attach the new file."
    ),
    "E115:pixels": _("The image has too many pixels to open safely. Attach a smaller image."),
    "E204": _(
        "The document has %(chars)s characters of text, more than the limit of %(limit)s per document. "
        "Split it into smaller documents (for example one per part), or ask the administrator to raise "
        "the limit."
    ),
}


def message_for(code: str, params: dict | None = None, default: str = "") -> str:
    """The translated message for an engine error ``code`` with its ``params``, else ``default``."""
    params = dict(params or {})
    template = MESSAGES.get(f"{code}:{params.get('why', '')}") or MESSAGES.get(code)
    if template is None:
        return default
    for key in ("what", "claimed"):
        if key in params:
            params[key] = DESCRIPTIONS.get(params[key], params[key])
    for key in ("chars", "limit"):
        if isinstance(params.get(key), int):
            params[key] = number_format(params[key], force_grouping=True)
    try:
        return str(template) % {k: str(v) for k, v in params.items()}
    except (KeyError, ValueError, TypeError):
        return default  # a stored failure without the facts its message needs


def refusal(exc: EngineError) -> ValidationError:
    """A file refused at upload time: a ValidationError on ``file``, coded with the engine's code."""
    message = message_for(exc.code, exc.params, default=exc.message)
    return ValidationError({"file": ValidationError(message, code=exc.code)})


def error_message(code: str, stored: str) -> str:
    """A failed version's message in the reader's language when the catalogue has it, else the stored one."""
    return message_for(code, {}, default=stored) if code in MESSAGES else stored
