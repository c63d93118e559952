"""One catalogue of the engine's errors, each with a code and a message that says what to do.

Codes are stable: the web, the API and the CLI show them, and tests assert them. Add new codes at the end
of their block; never reuse a code.
"""

from __future__ import annotations


class EngineError(Exception):
    """An error the user can act on. ``code`` is stable; ``message`` names the problem.

    ``params`` carries the facts the message is built from (what the file really is, a size, the
    language found), so an application can say the same thing in the user's language.
    """

    code = "E000"

    def __init__(self, message: str, *, code: str | None = None, params: dict | None = None) -> None:
        super().__init__(message)
        if code is not None:
            self.code = code
        self.message = message
        self.params: dict = dict(params or {})

    def __str__(self) -> str:
        return f"[{self.code}] {self.message}"


class ExtractionError(EngineError):
    """The file cannot be read as the document it claims to be (E1xx)."""

    code = "E100"


class SegmentationError(EngineError):
    """The text cannot be split into provisions (E2xx)."""

    code = "E200"


class LanguageError(EngineError):
    """The text is in a language Concord does not support, or none can be told (E3xx)."""

    code = "E300"


class NoLanguageError(LanguageError):
    """The text is empty or has no letters, so no language can be told (E301)."""

    code = "E301"


class UnsupportedLanguageError(LanguageError):
    """The text is in a script or language other than English, Malay and Urdu (E302).

    E303 (a ``LanguageError``): a caller asked for a default language Concord does not support.
    """

    code = "E302"


class HarmonizationError(EngineError):
    """The harmonization inputs or options are wrong (E4xx)."""

    code = "E400"


class MatchingError(EngineError):
    """Matching or allocation inputs are wrong (E5xx)."""

    code = "E500"


# Harmonization codes (E4xx). Raise ``HarmonizationError(message, code=...)`` with one of these; the
# message names the file, line or provision and says what to do.
HARMONIZATION_CODES: dict[str, str] = {
    "E401": "no provisions: an input file or list is empty",
    "E402": "two provisions share an id",
    "E403": "a provision has no id or no text",
    "E404": "a provision is too long to compare",
    "E405": "a file is not valid UTF-8 (mixed or legacy encodings)",
    "E406": "a line is not a JSON object, or a field has the wrong type",
    "E407": "an option is out of range",
    "E408": "a pair or gold line names an unknown id",
    "E409": "a file cannot be read or written",
    "E410": "a mappings or gold file lacks a required field",
    "E411": "a vector batch does not match its encoder (model id or dimension)",
    "E420": "an encoder returned vectors of the wrong shape",
    "E421": "an encoder option is invalid",
    "E422": "the default model package is not installed",
    "E423": "unknown encoder name",
    "E430": "unknown retrieval or scoring method",
    "E440": "unknown output format",
    "E460": "a held-out fold would be scored with parameters fitted on it",
    "E461": "too few groups to hold any out",
    "E462": "a group of the data is in no held-out fold",
}


# Language codes (E3xx), raised by ``engine.language``.
LANGUAGE_CODES: dict[str, str] = {
    "E301": "the text is empty or has no letters (NoLanguageError)",
    "E302": "the text is in a script or language Concord does not support (UnsupportedLanguageError)",
    "E303": "a default language was asked for that Concord does not support",
}


# --- Extraction (E1xx) -------------------------------------------------------------------------------------


class FileTooLargeError(ExtractionError):
    """E101: the file is over the size limit."""

    code = "E101"


class EmptyDocumentError(ExtractionError):
    """E102: the file is empty, or holds no text at all."""

    code = "E102"


class UnsupportedTypeError(ExtractionError):
    """E103: the content is not a format Concord reads (image, archive, executable, unknown binary)."""

    code = "E103"


class TypeMismatchError(ExtractionError):
    """E104: the declared type (or the file name's extension) disagrees with what the bytes are."""

    code = "E104"


class EncryptedPdfError(ExtractionError):
    """E105: the PDF is password-protected."""

    code = "E105"


class CorruptPdfError(ExtractionError):
    """E106: the PDF is damaged (truncated, broken cross-reference table, no pages)."""

    code = "E106"


class OcrUnavailableError(ExtractionError):
    """E107: the PDF has no text layer and Tesseract is not installed to read it."""

    code = "E107"


class OcrFailedError(ExtractionError):
    """E108: Tesseract ran but failed or timed out."""

    code = "E108"


class ZipBombError(ExtractionError):
    """E109: a DOCX whose compressed parts expand to an unsafe size or ratio."""

    code = "E109"


class CorruptDocxError(ExtractionError):
    """E110: a ZIP file that is not a readable Word document."""

    code = "E110"


class UndecodableTextError(ExtractionError):
    """E111: text that is binary junk, holds NUL bytes, or is in an unknown encoding."""

    code = "E111"


class EntityDeclarationError(ExtractionError):
    """E112: an HTML, XHTML or DOCX part declares entities (``<!ENTITY``): billion laughs or XXE."""

    code = "E112"


class NoPagesPdfError(ExtractionError):
    """E113: the PDF's page tree holds no pages."""

    code = "E113"


class PageTreeLoopError(ExtractionError):
    """E114: the PDF's page tree loops back on itself."""

    code = "E114"


class CorruptImageError(ExtractionError):
    """E115: a file whose bytes start like an image but that does not open as one, or is too large."""

    code = "E115"


# --- Segmentation (E2xx) -----------------------------------------------------------------------------------


class NoProvisionsError(SegmentationError):
    """E201: the text has no words to segment."""

    code = "E201"


class UnknownKindError(SegmentationError):
    """E202: the requested document kind is not one the segmenter knows."""

    code = "E202"


class UnknownLanguageError(SegmentationError):
    """E203: the requested language is not one Concord supports (en, ms, ur, or auto)."""

    code = "E203"


class DocumentTooLongError(SegmentationError):
    """E204: the text has more characters than the limit per document (``params``: ``chars``, ``limit``)."""

    code = "E204"


class LimitOptionError(SegmentationError):
    """E205: a length limit given to the segmenter is not a positive whole number."""

    code = "E205"


# --- Themes (E6xx) ----------------------------------------------------------------------------------------


class TaxonomyError(EngineError):
    """A theme taxonomy file is missing or malformed (E6xx); the message names the bad entry and field."""

    code = "E600"


TAXONOMY_CODES: dict[str, str] = {
    "E601": "the taxonomy file cannot be read",
    "E602": "the taxonomy file is not valid JSON",
    "E603": "the file is not an object with a non-empty list of themes",
    "E604": "a theme is not an object, or its id is missing or not a slug",
    "E605": "two themes share an id",
    "E606": "a theme lacks a label or description in a required language",
    "E607": "a theme's keywords are not lists of non-empty strings",
    "E608": "a theme's parent is unknown, or the parents form a cycle",
    "E609": "an option of tag_themes is out of range, or the encoder returned the wrong shape",
}


# Matching and allocation codes (E5xx), raised by ``engine.match`` and ``engine.skills`` as
# ``MatchingError(message, code=...)``; the message names the applicant, programme, file line or skill.
MATCHING_CODES: dict[str, str] = {
    "E501": "an applicant or programme has no id",
    "E502": "two applicants or two programmes share an id",
    "E503": "a preference or ranking names an unknown id",
    "E504": "a capacity or reserve is negative, missing or not a whole number",
    "E505": "a preference list or ranking names the same id twice",
    "E506": "a programme reserves more seats than it has",
    "E507": "an assignment to check is infeasible",
    "E508": "a line is not a JSON object, or a field has the wrong type",
    "E509": "an option is out of range",
    "E510": "a file cannot be read or written",
    "E511": "a text to link is empty",
    "E512": "a taxonomy has no labels, or a label is empty",
    "E513": "an ESCO file lacks a required column or is not CSV",
    "E514": "the skill linker's fitted parameters file is not valid",
}
