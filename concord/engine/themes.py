"""Thematic tagging of provisions against a theme taxonomy, in English, Malay and Urdu.

The taxonomy is data, not code: :func:`load_taxonomy` reads a JSON file (the default ships as
``concord/engine/data/themes.json``) and checks it, naming the bad entry when something is wrong. Each theme
has a stable slug ``id``, labels and a short description in ``en``/``ms``/``ur``, an optional ``parent``, and
keyword lists per language.

:func:`tag_themes` is multi-label. It scores every theme by

- **keywords** (always): whole-word, case-insensitive matches of the theme's keywords in all three
  languages, each distinct keyword counted once with a small bonus for repeats, phrases weighing more than
  single words, scaled down for long texts and squashed into [0, 1): ``1 - exp(-hits / 2)``;
- **dense similarity** (when an encoder is given): the cosine between the text (encoded as a query) and
  each theme's labels and descriptions (encoded as passages, best language kept), standardised across the
  themes of the taxonomy (a z-score) and squashed with a logistic, so that only themes that stand out from
  the rest score high;

fused as ``(1 - dense_weight) * keywords + dense_weight * dense``. Themes at or above ``threshold`` are
returned, best first, at most ``top_k``. The result is deterministic: ties break on the theme id.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, Protocol

import numpy as np

from .errors import TaxonomyError

DEFAULT_TAXONOMY = Path(__file__).with_name("data") / "themes.json"
LANGUAGES = ("en", "ms", "ur")
_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")

# Urdu written with Arabic code points, diacritics and joiners folded to one form, so that keywords match
# however the text was typed. Every mapping keeps one character for one, so offsets hold.
_FOLD = str.maketrans(
    {
        "ي": "ی",
        "ى": "ی",
        "ك": "ک",
        "ه": "ہ",
        "ۀ": "ہ",
        "ة": "ہ",
        "\u200c": " ",
        "\u200d": " ",
        "ـ": " ",
        "’": "'",
        "‐": "-",
        "‑": "-",
        "–": "-",
    }
)
_MARKS = re.compile("[\u064b-\u0652\u0670]")
_TOKEN = re.compile(r"\w+")


class Encoder(Protocol):
    """Anything with ``encode(texts, kind=...)`` returning one row per text (see ``engine.encoders``).

    Rows need not be normalised: they are here.
    """

    def encode(self, texts: list[str], *, kind: Literal["passage", "query"] = "passage") -> np.ndarray: ...


@dataclass(frozen=True, slots=True)
class Theme:
    """One theme of a taxonomy."""

    id: str
    labels: dict[str, str]
    descriptions: dict[str, str]
    keywords: dict[str, tuple[str, ...]]
    parent: str | None = None


@dataclass(frozen=True, slots=True)
class ThemeScore:
    """A theme found in a text: ``score`` in [0, 1], with the keywords that matched as ``evidence``.

    ``lexical`` and ``dense`` are the two parts of the score (``dense`` is None without an encoder).
    """

    theme_id: str
    score: float
    evidence: list[str]
    lexical: float = 0.0
    dense: float | None = None


@dataclass
class Taxonomy:
    """A checked set of themes, in file order. Build it with :func:`load_taxonomy`."""

    themes: tuple[Theme, ...]
    id: str = "taxonomy"
    version: int | str = 1
    _by_id: dict[str, Theme] = field(default_factory=dict, repr=False)
    _patterns: dict[str, re.Pattern[str] | None] = field(default_factory=dict, repr=False)
    _dense: dict[int, tuple[object, np.ndarray]] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        self._by_id = {t.id: t for t in self.themes}
        self._patterns = {t.id: _compile_keywords(t) for t in self.themes}

    def __len__(self) -> int:
        return len(self.themes)

    def __iter__(self) -> Iterator[Theme]:
        return iter(self.themes)

    def __contains__(self, theme_id: object) -> bool:
        return theme_id in self._by_id

    def get(self, theme_id: str) -> Theme:
        """The theme with this id (KeyError if none)."""
        return self._by_id[theme_id]

    def ancestors(self, theme_id: str) -> list[str]:
        """Ids of the theme's parent, grandparent, ... (nearest first), for rolling scores up."""
        chain = []
        parent = self._by_id[theme_id].parent
        while parent is not None:
            chain.append(parent)
            parent = self._by_id[parent].parent
        return chain

    def children(self, theme_id: str) -> list[str]:
        return [t.id for t in self.themes if t.parent == theme_id]

    def theme_vectors(self, encoder: Encoder) -> np.ndarray:
        """Unit vectors of each theme's label and description per language: shape (themes, languages, dim).

        Cached per encoder object, so tagging many provisions encodes the taxonomy once.
        """
        cached = self._dense.get(id(encoder))
        if cached is not None and cached[0] is encoder:
            return cached[1]
        texts = [f"{t.labels[lang]}: {t.descriptions[lang]}" for t in self.themes for lang in LANGUAGES]
        vectors = _unit_rows(_as_matrix(encoder.encode(texts, kind="passage"), len(texts)))
        vectors = vectors.reshape(len(self.themes), len(LANGUAGES), -1)
        self._dense[id(encoder)] = (encoder, vectors)  # keeps the encoder alive, so its id is not reused
        return vectors


# --- loading and checking ---------------------------------------------------------------------------


def load_taxonomy(path: str | Path | None = None) -> Taxonomy:
    """Read and check a theme taxonomy (JSON); ``None`` loads the default shipped with Concord.

    Raises :class:`~concord.engine.errors.TaxonomyError` naming the file, the entry (index and id) and the
    field at fault: E601 unreadable, E602 not JSON, E603 no theme list, E604 bad entry or id, E605
    duplicate id, E606 missing label or description, E607 bad keywords, E608 unknown parent or a cycle.
    """
    source = Path(path) if path is not None else DEFAULT_TAXONOMY
    try:
        raw = source.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise TaxonomyError(f"cannot read the theme taxonomy {source}: {exc}", code="E601") from exc
    try:
        data = json.loads(raw)
    except json.JSONDecodeError as exc:
        raise TaxonomyError(
            f"{source} is not valid JSON: {exc.msg} at line {exc.lineno}, column {exc.colno}", code="E602"
        ) from exc
    return taxonomy_from_dict(data, source=str(source))


def taxonomy_from_dict(data: Any, *, source: str = "taxonomy") -> Taxonomy:
    """Check a parsed taxonomy (as in the JSON file) and build a :class:`Taxonomy`."""
    if not isinstance(data, dict) or not isinstance(data.get("themes"), list) or not data["themes"]:
        raise TaxonomyError(f'{source}: expected an object with a non-empty list "themes"', code="E603")
    themes: list[Theme] = []
    seen: dict[str, int] = {}
    for index, entry in enumerate(data["themes"]):
        theme = _check_theme(entry, f"{source}: theme #{index + 1}")
        if theme.id in seen:
            raise TaxonomyError(
                f"{source}: theme #{index + 1} has the id {theme.id!r}, already used by "
                f"theme #{seen[theme.id] + 1}; ids must be unique",
                code="E605",
            )
        seen[theme.id] = index
        themes.append(theme)
    by_id = {t.id: t for t in themes}
    for index, theme in enumerate(themes):
        if theme.parent is not None and theme.parent not in by_id:
            raise TaxonomyError(
                f"{source}: theme #{index + 1} ({theme.id!r}) names the parent "
                f"{theme.parent!r}, which is not a theme of this taxonomy",
                code="E608",
            )
        chain, parent = [theme.id], theme.parent
        while parent is not None:
            if parent in chain:
                raise TaxonomyError(
                    f"{source}: theme #{index + 1} ({theme.id!r}) is its own ancestor: "
                    f"{' -> '.join([*chain, parent])}",
                    code="E608",
                )
            chain.append(parent)
            parent = by_id[parent].parent
    return Taxonomy(tuple(themes), id=str(data.get("id", "taxonomy")), version=data.get("version", 1))


def _check_theme(entry: Any, where: str) -> Theme:
    if not isinstance(entry, dict):
        raise TaxonomyError(f"{where} is a {type(entry).__name__}, not an object", code="E604")
    theme_id = entry.get("id")
    if not isinstance(theme_id, str) or not _SLUG.match(theme_id):
        raise TaxonomyError(
            f'{where}: "id" must be a lowercase slug such as "digital-trade", not {theme_id!r}', code="E604"
        )
    where = f"{where} ({theme_id!r})"
    texts: dict[str, dict[str, str]] = {}
    for name in ("labels", "descriptions"):
        value = entry.get(name)
        if not isinstance(value, dict):
            raise TaxonomyError(f'{where}: "{name}" must be an object with en, ms and ur', code="E606")
        for lang in LANGUAGES:
            text = value.get(lang)
            if not isinstance(text, str) or not text.strip():
                raise TaxonomyError(f"{where}: {name}.{lang} is missing or empty", code="E606")
        texts[name] = {lang: value[lang].strip() for lang in LANGUAGES}
    keywords = entry.get("keywords", {})
    if not isinstance(keywords, dict):
        raise TaxonomyError(f'{where}: "keywords" must be an object of lists by language', code="E607")
    checked: dict[str, tuple[str, ...]] = {}
    for lang, words in keywords.items():
        if lang not in LANGUAGES:
            raise TaxonomyError(
                f"{where}: keywords.{lang} is not a supported language (en, ms, ur)", code="E607"
            )
        if not isinstance(words, list) or not all(isinstance(w, str) and w.strip(" *") for w in words):
            raise TaxonomyError(f"{where}: keywords.{lang} must be a list of non-empty strings", code="E607")
        checked[lang] = tuple(dict.fromkeys(w.strip() for w in words))
    parent = entry.get("parent")
    if parent is not None and not isinstance(parent, str):
        raise TaxonomyError(f'{where}: "parent" must be a theme id or null', code="E608")
    return Theme(theme_id, texts["labels"], texts["descriptions"], checked, parent)


# --- keyword matching -------------------------------------------------------------------------------


def fold(text: str) -> str:
    """Lowercase and fold spelling variants (Arabic-coded Urdu letters, joiners, dashes) for matching."""
    return _MARKS.sub("", text.lower().translate(_FOLD))


def _keyword_pattern(keyword: str, lang: str) -> str:
    word = fold(keyword).strip()
    wildcard = word.endswith("*")
    parts = re.split(r"[\s-]+", word.rstrip("*").strip())
    # Inside a keyword a space or hyphen matches spaces, hyphens or (for hyphens) nothing: e-commerce,
    # ecommerce and "e commerce" are one keyword.
    pattern = ""
    for i, part in enumerate(parts):
        if i:
            pattern += r"[\s-]*" if "-" in word else r"[\s-]+"
        pattern += re.escape(part)
    if wildcard:
        pattern += r"\w*"
    elif lang == "en" and parts[-1].isalpha():
        pattern += "(?:s|es)?"
    return pattern


def _compile_keywords(theme: Theme) -> re.Pattern[str] | None:
    patterns = {_keyword_pattern(k, lang) for lang, words in theme.keywords.items() for k in words}
    if not patterns:
        return None
    ordered = sorted(patterns, key=lambda p: (-len(p), p))  # longest first: "data protection officer"
    return re.compile(r"(?<!\w)(?:" + "|".join(ordered) + r")(?!\w)")


def _lexical(pattern: re.Pattern[str] | None, folded: str, n_tokens: int) -> tuple[float, list[str]]:
    if pattern is None:
        return 0.0, []
    counts: dict[str, int] = {}
    for match in pattern.finditer(folded):
        key = re.sub(r"\s+", " ", match.group())
        counts[key] = counts.get(key, 0) + 1
    if not counts:
        return 0.0, []
    # A phrase ("critical information infrastructure") says more than one word ("sensor").
    hits = sum(
        (1.0 + 0.5 * len(re.findall(r"[\s-]+", key))) * (1.0 + 0.5 * math.log(n)) for key, n in counts.items()
    )
    hits /= max(1.0, math.sqrt(n_tokens / 150))  # a long section finds more words by chance
    return 1.0 - math.exp(-hits / 2.0), list(counts)


# --- tagging ----------------------------------------------------------------------------------------


def tag_themes(
    text: str,
    taxonomy: Taxonomy,
    *,
    language: str | None = None,
    encoder: Encoder | None = None,
    top_k: int | None = 3,
    threshold: float = 0.3,
    dense_weight: float = 0.4,
) -> list[ThemeScore]:
    """Return the themes of ``text`` scoring at least ``threshold``, best first, at most ``top_k``.

    ``language`` ('en', 'ms', 'ur') restricts the dense comparison to the theme descriptions in that
    language and English; keywords of all three languages are always matched, since provisions quote terms
    across languages. ``encoder`` is optional (any object with ``encode(texts, kind=...)``); without it the
    score is the keyword score alone. ``top_k=None`` returns every theme above the threshold.
    """
    return tag_themes_many(
        [text],
        taxonomy,
        language=language,
        encoder=encoder,
        top_k=top_k,
        threshold=threshold,
        dense_weight=dense_weight,
    )[0]


def tag_themes_many(
    texts: Sequence[str],
    taxonomy: Taxonomy,
    *,
    language: str | None = None,
    encoder: Encoder | None = None,
    top_k: int | None = 3,
    threshold: float = 0.3,
    dense_weight: float = 0.4,
) -> list[list[ThemeScore]]:
    """:func:`tag_themes` for many texts, encoding them in one batch when an encoder is given."""
    if top_k is not None and top_k < 1:
        raise TaxonomyError(f"top_k must be at least 1 (or None for all), not {top_k}", code="E609")
    if not 0.0 <= threshold <= 1.0 or not 0.0 <= dense_weight <= 1.0:
        raise TaxonomyError("threshold and dense_weight must lie between 0 and 1", code="E609")
    if language is not None and language not in LANGUAGES:
        raise TaxonomyError(f"language must be one of en, ms, ur, not {language!r}", code="E609")
    dense = _dense_scores(list(texts), taxonomy, encoder, language) if encoder is not None else None
    results = []
    for row, text in enumerate(texts):
        folded = fold(text)
        n_tokens = len(_TOKEN.findall(folded))
        scores = []
        for col, theme in enumerate(taxonomy.themes):
            lexical, evidence = _lexical(taxonomy._patterns[theme.id], folded, n_tokens)
            if dense is None:
                score, dense_part = lexical, None
            else:
                dense_part = float(dense[row, col])
                score = (1.0 - dense_weight) * lexical + dense_weight * dense_part
            score = round(score, 6)
            if score >= threshold and score > 0:
                scores.append(
                    ThemeScore(
                        theme.id,
                        score,
                        evidence,
                        round(lexical, 6),
                        None if dense_part is None else round(dense_part, 6),
                    )
                )
        scores.sort(key=lambda s: (-s.score, s.theme_id))
        results.append(scores[:top_k] if top_k is not None else scores)
    return results


def _dense_scores(texts: list[str], taxonomy: Taxonomy, encoder: Encoder, language: str | None) -> np.ndarray:
    """(texts, themes) dense scores in [0, 1]: how far each theme's similarity stands above the rest."""
    theme_vectors = taxonomy.theme_vectors(encoder)
    if language is not None:
        keep = sorted({LANGUAGES.index("en"), LANGUAGES.index(language)})
        theme_vectors = theme_vectors[:, keep, :]
    queries = _unit_rows(_as_matrix(encoder.encode(texts, kind="query"), len(texts)))
    if queries.shape[1] != theme_vectors.shape[2]:
        raise TaxonomyError(
            f"the encoder gave {queries.shape[1]}-dimensional queries but "
            f"{theme_vectors.shape[2]}-dimensional theme vectors",
            code="E609",
        )
    sims = np.einsum("qd,tld->qtl", queries, theme_vectors).max(axis=2)  # best language per theme
    mean = sims.mean(axis=1, keepdims=True)
    std = sims.std(axis=1, keepdims=True)
    z = np.divide(sims - mean, std, out=np.zeros_like(sims), where=std > 1e-9)
    scores: np.ndarray = 1.0 / (1.0 + np.exp(-2.0 * (z - 1.5)))
    scores[np.linalg.norm(queries, axis=1) == 0] = 0.0  # an empty text resembles nothing
    return scores


def _as_matrix(vectors: Any, rows: int) -> np.ndarray:
    matrix = np.asarray(vectors, dtype=np.float64)
    if matrix.ndim != 2 or matrix.shape[0] != rows:
        raise TaxonomyError(f"the encoder returned shape {matrix.shape}, expected ({rows}, dim)", code="E609")
    return matrix


def _unit_rows(matrix: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    return np.divide(matrix, norms, out=np.zeros_like(matrix), where=norms > 0)
