"""Text to a provision tree: statutes and strategy documents, in English and Malay (and Urdu text).

:func:`segment` is the one entry point. It picks a reader by the document's kind (given, or told from the
text), and returns the provisions in document order, each with a stable id derived from its numbering
path (``p2`` → ``s6`` → ``s6.1`` → ``s6.1.a``), its number as printed (``6(1)(a)``), heading, text, level,
parent id, page and language.

The readers live in :mod:`.segment_statute` and :mod:`.segment_strategy`; both write the tree through
:class:`~concord.engine.segment_lines.TreeBuilder`. Page furniture (running heads, page numbers) is
dropped before either reads a line (:mod:`.segment_furniture`); a statute's arrangement of sections
gives its sections their titles and finds margin notes (:mod:`.segment_arrangement`).
"""

from __future__ import annotations

import re
from collections.abc import Callable

from .constants import SEGMENT_KINDS, STATUTE_KINDS, STRATEGY_KINDS
from .errors import NoProvisionsError, UnknownKindError, UnknownLanguageError
from .limits import (
    DEFAULT_MAX_DOCUMENT_CHARS,
    DEFAULT_MAX_PROVISION_CHARS,
    check_document_length,
    split_long_provisions,
)
from .segment_lines import Line, TreeBuilder, document_lines
from .segment_statute import segment_statute
from .segment_strategy import segment_strategy
from .types import LANGUAGES, ExtractedText, Provision

KINDS = SEGMENT_KINDS

_STATUTE_SIGNS = (
    (re.compile(r"^(?:PART|BAHAGIAN|CHAPTER|BAB)\s+[IVXLC\d]+\b"), 3),
    (re.compile(r"^\d{1,3}[A-Z]?\.\s*\(1\)"), 3),
    (re.compile(r"^\(\d{1,2}\)\s+[A-Z]"), 1),
    (re.compile(r"\b(?:ENACTED|DIPERBUAT|hereby enacted)\b"), 10),
    (re.compile(r"\b(?:subsection|subseksyen|this Act|Akta ini)\b"), 1),
)
_STRATEGY_SIGNS = (
    (re.compile(r"^\d{1,2}\.\d{1,2}(?:\.\d{1,2})*\.?\s+[A-Z]"), 2),
    (
        re.compile(
            r"^(?:Thrust|Teras|Pillar|Tonggak|Strategy|Strategi|Initiative|Inisiatif)\s+[A-Z]?\d", re.I
        ),
        4,
    ),
)


def segment(
    extracted: ExtractedText | str,
    *,
    language: str | None = None,
    kind: str | None = None,
    max_document_chars: int = DEFAULT_MAX_DOCUMENT_CHARS,
    max_provision_chars: int = DEFAULT_MAX_PROVISION_CHARS,
) -> list[Provision]:
    """Split a document into its provisions.

    ``extracted`` is the output of :func:`concord.engine.extract.extract` (pages give each provision its
    page) or a plain string (Markdown headings and emphasis are understood). ``kind`` is a document kind
    (``law``, ``regulation``, ``bill`` read as a statute; ``strategy``, ``policy``, ``guideline``,
    ``framework``, ``standard`` read as a strategy document); ``None`` or ``"auto"`` tells it from the
    text. ``language`` (``en``, ``ms``, ``ur``) is set on every provision; ``None`` or ``"auto"`` detects
    it per provision when :mod:`concord.engine.language` is available, and leaves it ``None`` otherwise.

    Statutes: Parts, Chapters, sections (level ``section``), subsections, paragraphs, subparagraphs and
    the definitions of interpretation sections. The arrangement of clauses and the explanatory statement
    are not provisions. Sections whose number OCR lost or garbled stay apart from their neighbours.

    Text with no recognisable structure comes back as one ``document`` provision. A provision longer than
    ``max_provision_chars`` is split into numbered parts (:func:`.limits.split_long_provisions`), so
    one huge line never becomes one huge provision.

    Raises :class:`NoProvisionsError` (E201) for text without words, :class:`UnknownKindError` (E202)
    and :class:`UnknownLanguageError` (E203) for options it does not know, :class:`DocumentTooLongError`
    (E204) for a text over ``max_document_chars`` (checked before any other work) and
    :class:`LimitOptionError` (E205) for a limit that is not a positive whole number.
    """
    text = extracted if isinstance(extracted, str) else extracted.text
    check_document_length(len(text), max_document_chars)
    if language is not None and language != "auto" and language not in LANGUAGES:
        raise UnknownLanguageError(
            f"Unknown language {language!r}: use one of {', '.join(LANGUAGES)}, or auto to detect it."
        )
    reader = _reader(kind)
    lines = document_lines(extracted)
    if not any(any(ch.isalnum() for ch in line.text) for line in lines):
        raise NoProvisionsError("The text has no words to split into provisions. Check the extracted text.")
    if reader is None:
        reader = segment_statute if detect_kind(lines) == "statute" else segment_strategy
    fixed = language if language in LANGUAGES else None
    provisions = reader(lines).provisions(fixed)
    if not provisions:
        provisions = _whole_document(lines).provisions(fixed)
    provisions = split_long_provisions(provisions, max_provision_chars)
    if fixed is None:
        _detect_languages(provisions)
    return provisions


def detect_kind(lines: list[Line]) -> str:
    """``"statute"`` or ``"strategy"``, from the numbering the document uses."""
    statute = sum(w for line in lines for pattern, w in _STATUTE_SIGNS if pattern.search(line.text))
    strategy = sum(w for line in lines for pattern, w in _STRATEGY_SIGNS if pattern.search(line.text))
    return "statute" if statute >= strategy and statute > 0 else "strategy"


def _reader(kind: str | None) -> Callable[[list[Line]], TreeBuilder] | None:
    if kind is None or kind == "auto":
        return None
    key = kind.strip().lower()
    if key in STATUTE_KINDS:
        return segment_statute
    if key in STRATEGY_KINDS:
        return segment_strategy
    raise UnknownKindError(f"Unknown document kind {kind!r}: use one of {', '.join(KINDS)}.")


def _whole_document(lines: list[Line]) -> TreeBuilder:
    tree = TreeBuilder()
    tree.open("document", "doc", heading="", page=lines[0].page if lines else None)
    for line in lines:
        tree.add_text(line.text)
    return tree


def _detect_languages(provisions: list[Provision]) -> None:
    try:
        from .language import detect_language
    except ImportError:
        return
    by_id: dict[str, str | None] = {}
    for provision in provisions:
        sample = f"{provision.heading} {provision.text}".strip()
        try:
            detected: str | None = detect_language(sample) if sample else None
        except Exception:  # noqa: BLE001 - a provision whose language cannot be told keeps its parent's
            detected = None
        provision.language = detected or (by_id.get(provision.parent) if provision.parent else None)
        by_id[provision.id] = provision.language
