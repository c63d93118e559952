"""Plain data types shared by the engine's steps.

Every step of the engine takes and returns these dataclasses, never Django models.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

# Provision levels, outermost first. Documents number their parts as they like; these are the levels
# the segmenter assigns. "definition" is a defined term of an interpretation section (it nests like a
# paragraph, under its section or subsection).
LEVELS = (
    "document", "part", "chapter", "section", "subsection", "paragraph", "subparagraph", "item", "definition",
)  # fmt: skip

# Levels that arrange a document (a Part and its heading). A comparison maps the provisions below them,
# never these: were they mapped, rolling a match up onto its top ancestor would send every section of an
# act onto its Part. A document read whole (one "document" provision with text, no structure) is mapped.
STRUCTURE_LEVELS = ("document", "part", "chapter")

LANGUAGES = ("en", "ms", "ur")


@dataclass(frozen=True, slots=True)
class Page:
    """One page of extracted text (1-based page number; 0 when the format has no pages)."""

    number: int
    text: str


@dataclass(slots=True)
class ExtractedText:
    """The text of a document, page by page, with what the extractor learnt on the way."""

    pages: list[Page]
    media_type: str
    warnings: list[str] = field(default_factory=list)
    ocr: bool = False

    @property
    def text(self) -> str:
        return "\n\n".join(p.text for p in self.pages)


@dataclass(slots=True)
class Provision:
    """One node of a document's provision tree.

    `id` is stable for the same document text: it is derived from the numbering path (``s6.1.a``), not
    from the position, so re-ingesting an amended text keeps the ids of unchanged provisions.
    """

    id: str
    number: str
    heading: str
    text: str
    level: str
    parent: str | None = None
    page: int | None = None
    language: str | None = None
    order: int = 0
    themes: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def mappable(provisions: list[Provision]) -> list[Provision]:
    """The provisions a comparison maps: all but those of `STRUCTURE_LEVELS` that arrange others (a Part
    with sections under it) or have no text of their own. ``Library`` provisions follow the same rule
    (``ProvisionQuerySet.mappable``)."""
    parents = {p.parent for p in provisions if p.parent}
    return [
        p for p in provisions if p.level not in STRUCTURE_LEVELS or (p.id not in parents and p.text.strip())
    ]
