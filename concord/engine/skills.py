"""Skill extraction and linking: free text (a CV summary, a course, a posting) to ranked taxonomy skills.

Hybrid and offline. Three signals are computed for every skill of the taxonomy and fused:

- **gazetteer**: a skill's label (or alternative label, or its label without a parenthetical qualifier, such
  as "Java" for "Java (computer programming)") appears in the text as a phrase; acronyms (all capitals) must
  match case, so "LESS" the stylesheet language is not found in "less".
- **lexical**: BM25 (`engine.lexical`) of the text's stemmed words against each label's words.
- **dense**: cosine similarity between the encoder's vectors of the label and of the text and of its
  *chunks* (clauses and short windows); a label scores its best chunk, so one sentence naming several skills
  can link each of them. Label vectors are computed once and may be cached on disk (`CachedEncoder`).

Each signal is standardised within the text (z-scores over the candidate skills), then summed with weights.
Every suggestion carries its evidence: the span of the text (character offsets) that supports it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np

from .encoders import CachedEncoder, Encoder
from .errors import MatchingError
from .lexical import BM25Index, BM25Params, normalise, tokenize


@dataclass(frozen=True, slots=True)
class TaxonomySkill:
    """One skill of a taxonomy: a stable id, the preferred label and alternative labels (any language)."""

    id: str
    label: str
    alt_labels: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Evidence:
    """The part of the text that supports a suggestion: ``text[start:end]``."""

    start: int
    end: int
    text: str


@dataclass(frozen=True, slots=True)
class LinkedSkill:
    """A suggested skill: its id and label, the fused score, the evidence span and the signals that fired."""

    skill_id: str
    label: str
    score: float
    evidence: Evidence | None
    sources: tuple[str, ...]

    def as_dict(self) -> dict:
        """A JSON-ready dict."""
        ev = self.evidence
        return {
            "id": self.skill_id,
            "label": self.label,
            "score": round(self.score, 4),
            "evidence": None if ev is None else {"start": ev.start, "end": ev.end, "text": ev.text},
            "sources": list(self.sources),
        }


@dataclass(frozen=True, slots=True)
class LinkerConfig:
    """The linker's settings (defaults tuned on the general problem of job-posting sentences vs ESCO).

    ``dense``, ``dense_chunk``, ``lexical``, ``gazetteer``: weights of the standardised signals (text as a
    whole vs its best chunk; BM25; phrase found). ``candidates``: how many skills per signal are considered
    before fusion. ``window``/``stride``: the sliding word windows added to the clause chunks.
    """

    dense: float = 1.0
    dense_chunk: float = 1.0
    lexical: float = 0.35
    gazetteer: float = 1.5
    candidates: int = 200
    window: int = 4
    stride: int = 2
    max_chunks: int = 40
    bm25: BM25Params = field(default_factory=lambda: BM25Params(k1=1.2, b=0.5))


_WORD_SPAN = re.compile(r"[^\W_]+(?:[-+#.][^\W_]+)*[+#]*", re.UNICODE)
_CLAUSE_BREAK = re.compile(
    r"[,;:()\[\]/|•·\n]+|\s[-–—]\s|\.\s|\.$|\b(?:and|or|with|as well as|including)\b", re.I
)
_PAREN = re.compile(r"\s*\([^)]*\)\s*")


def _surface_forms(skill: TaxonomySkill) -> list[str]:
    forms = [skill.label, *skill.alt_labels]
    stripped = [_PAREN.sub(" ", f).strip() for f in forms if "(" in f]
    return [f for f in dict.fromkeys([*forms, *stripped]) if f]


def _phrase_tokens(text: str) -> list[tuple[str, int, int]]:
    """Words of ``text`` with their character offsets, normalised but not stemmed."""
    return [(normalise(m.group()), m.start(), m.end()) for m in _WORD_SPAN.finditer(text)]


def chunks(text: str, window: int = 4, stride: int = 2, limit: int = 40) -> list[tuple[int, int]]:
    """Character spans of ``text`` worth embedding on their own: clauses, and short word windows."""
    spans: list[tuple[int, int]] = []
    start = 0
    for m in [*_CLAUSE_BREAK.finditer(text), None]:
        end = m.start() if m is not None else len(text)
        piece = text[start:end]
        if piece.strip():
            lead = len(piece) - len(piece.lstrip())
            spans.append((start + lead, start + len(piece.rstrip())))
        if m is not None:
            start = m.end()
    words = [(m.start(), m.end()) for m in _WORD_SPAN.finditer(text)]
    if len(words) > window:
        for i in range(0, len(words) - window + 1, stride):
            spans.append((words[i][0], words[i + window - 1][1]))
    unique = list(dict.fromkeys(s for s in spans if s != (0, len(text.rstrip()))))
    return unique[:limit]


def _zscore(values: np.ndarray) -> np.ndarray:
    if len(values) == 0:
        return values
    std = float(values.std())
    return (values - float(values.mean())) / (std if std > 1e-9 else 1.0)


class SkillLinker:
    """Link texts to the skills of one taxonomy (see the module docstring for the method).

    >>> from concord.engine.encoders import HashingEncoder
    >>> linker = SkillLinker([TaxonomySkill("py", "Python (computer programming)"),
    ...                       TaxonomySkill("sql", "SQL")], HashingEncoder())
    >>> [s.skill_id for s in linker.link("We use Python daily", top_k=1)]
    ['py']
    """

    def __init__(
        self,
        skills: Sequence[TaxonomySkill],
        encoder: Encoder | None,
        config: LinkerConfig | None = None,
        *,
        progress: Callable[[int, int], None] | None = None,
    ) -> None:
        if not skills:
            raise MatchingError("the taxonomy has no skills; give at least one label", code="E512")
        for n, s in enumerate(skills, 1):
            if not s.label or not s.label.strip():
                raise MatchingError(f"taxonomy skill #{n} ({s.id!r}) has an empty label", code="E512")
        self.skills = list(skills)
        self.encoder = encoder
        self.config = config or LinkerConfig()
        label_docs = [tokenize(" ".join(_surface_forms(s)), "en") for s in self.skills]
        self.index = BM25Index(label_docs, self.config.bm25)
        # gazetteer: first normalised word -> [(skill index, phrase words, case-sensitive form or None)]
        self.phrases: dict[str, list[tuple[int, tuple[str, ...], str | None]]] = {}
        for i, s in enumerate(self.skills):
            for form in _surface_forms(s):
                words = tuple(w for w, _, _ in _phrase_tokens(form))
                if not words:
                    continue
                exact = form if form.isupper() and len(form) <= 6 else None
                self.phrases.setdefault(words[0], []).append((i, words, exact))
        self.vectors: np.ndarray | None = None
        if encoder is not None:
            texts = [s.label for s in self.skills]
            if isinstance(encoder, CachedEncoder):
                vectors = encoder.encode(texts, kind="passage", progress=progress)
            else:
                vectors = encoder.encode(texts, kind="passage")
            self.vectors = np.asarray(vectors, dtype=np.float32)

    # --- the three signals --------------------------------------------------------------------------

    def gazetteer(self, text: str) -> dict[int, tuple[int, int]]:
        """Skills whose label appears in ``text`` as a phrase: skill index -> (start, end) of the match."""
        tokens = _phrase_tokens(text)
        words = [w for w, _, _ in tokens]
        found: dict[int, tuple[int, int]] = {}
        for pos, word in enumerate(words):
            for i, phrase, exact in self.phrases.get(word, ()):
                n = len(phrase)
                if tuple(words[pos : pos + n]) != phrase:
                    continue
                start, end = tokens[pos][1], tokens[pos + n - 1][2]
                if exact is not None and text[start:end] != exact:
                    continue
                if i not in found or end - start > found[i][1] - found[i][0]:
                    found[i] = (start, end)
        return found

    def lexical(self, text: str) -> np.ndarray:
        """BM25 score of every skill for ``text``."""
        return self.index.scores(tokenize(text, "en"))

    def link(self, text: str, top_k: int = 10) -> list[LinkedSkill]:
        """The ``top_k`` skills for ``text``, best first. Empty text raises `MatchingError` E511."""
        return self.link_many([text], top_k)[0]

    def link_many(
        self, texts: Sequence[str], top_k: int = 10, *, progress: Callable[[int, int], None] | None = None
    ) -> list[list[LinkedSkill]]:
        """`link` for many texts; the encoder sees all texts and chunks in one batch."""
        if top_k < 1:
            raise MatchingError(f"top_k must be at least 1, not {top_k}", code="E509")
        for n, text in enumerate(texts, 1):
            if not isinstance(text, str) or not text.strip():
                raise MatchingError(f"text #{n} is empty; give some words to link", code="E511")
        cfg = self.config
        spans_of = [chunks(t, cfg.window, cfg.stride, cfg.max_chunks) for t in texts]
        text_vecs = chunk_vecs = None
        if self.encoder is not None and self.vectors is not None:
            pieces = [*texts, *(t[a:b] for t, spans in zip(texts, spans_of) for a, b in spans)]
            vecs = np.asarray(self.encoder.encode(pieces, kind="query"), dtype=np.float32)
            text_vecs, chunk_vecs = vecs[: len(texts)], vecs[len(texts) :]
        out: list[list[LinkedSkill]] = []
        offset = 0
        for n, text in enumerate(texts):
            spans = spans_of[n]
            cv = None if chunk_vecs is None else chunk_vecs[offset : offset + len(spans)]
            offset += len(spans)
            tv = None if text_vecs is None else text_vecs[n]
            out.append(self._link_one(text, spans, tv, cv, top_k))
            if progress is not None:
                progress(n + 1, len(texts))
        return out

    def _link_one(
        self,
        text: str,
        spans: list[tuple[int, int]],
        text_vec: np.ndarray | None,
        chunk_vecs: np.ndarray | None,
        top_k: int,
    ) -> list[LinkedSkill]:
        cfg = self.config
        n_skills = len(self.skills)
        lex = self.lexical(text)
        gaz = self.gazetteer(text)
        score = np.zeros(n_skills, dtype=np.float64)
        sources: dict[int, list[str]] = {}
        best_chunk: np.ndarray | None = None
        if text_vec is not None and self.vectors is not None:
            whole = self.vectors @ text_vec
            score += cfg.dense * _zscore(whole)
            if chunk_vecs is not None and len(chunk_vecs):
                sims = self.vectors @ chunk_vecs.T  # (skills, chunks)
                best_chunk = sims.argmax(axis=1)
                score += cfg.dense_chunk * _zscore(sims.max(axis=1))
            else:
                score += cfg.dense_chunk * _zscore(whole)
            for i in np.argpartition(-whole, min(cfg.candidates, n_skills) - 1)[: cfg.candidates]:
                sources.setdefault(int(i), []).append("dense")
        if lex.any():
            score += cfg.lexical * _zscore(lex) * (lex > 0)
            for i in np.flatnonzero(lex > 0):
                sources.setdefault(int(i), []).append("lexical")
        gaz_boost = np.zeros(n_skills)
        for i in gaz:
            gaz_boost[i] = 1.0
            sources.setdefault(i, []).append("gazetteer")
        spread = float(score.std()) or 1.0
        score += cfg.gazetteer * spread * gaz_boost * 3
        k = min(top_k, n_skills)
        top = np.argpartition(-score, k - 1)[:k]
        top = top[np.lexsort((top, -score[top]))]
        results = []
        for i in top.tolist():
            if i in gaz:
                a, b = gaz[i]
            elif best_chunk is not None and spans:
                a, b = spans[int(best_chunk[i])]
            else:
                a, b = self._lexical_span(text, i)
            if b <= a:  # no narrower span: the text as a whole is the evidence
                a, b = 0, len(text.rstrip())
            evidence = Evidence(a, b, text[a:b]) if b > a else None
            results.append(
                LinkedSkill(
                    skill_id=self.skills[i].id,
                    label=self.skills[i].label,
                    score=float(score[i]),
                    evidence=evidence,
                    sources=tuple(dict.fromkeys(sources.get(i, []))),
                )
            )
        return results

    def _lexical_span(self, text: str, i: int) -> tuple[int, int]:
        """The smallest stretch of ``text`` holding the words it shares with skill ``i``'s label."""
        label_terms = set(tokenize(" ".join(_surface_forms(self.skills[i])), "en"))
        hits = [
            (m.start(), m.end())
            for m in _WORD_SPAN.finditer(text)
            if set(tokenize(m.group(), "en")) & label_terms
        ]
        if not hits:
            return 0, 0
        return hits[0][0], hits[-1][1]


def read_labels(path: str) -> list[TaxonomySkill]:
    """Read a LABELS.txt file (one skill label a line; the label is its own id). Blank lines are skipped."""
    try:
        with open(path, encoding="utf-8") as fh:
            labels = [line.strip() for line in fh]
    except OSError as exc:
        raise MatchingError(f"cannot read taxonomy file {path}: {exc.strerror}", code="E510") from exc
    except UnicodeDecodeError as exc:
        raise MatchingError(f"taxonomy file {path} is not valid UTF-8", code="E508") from exc
    labels = [x for x in labels if x]
    if not labels:
        raise MatchingError(f"taxonomy file {path} has no labels; write one skill label a line", code="E512")
    return [TaxonomySkill(id=x, label=x) for x in dict.fromkeys(labels)]


def r_precision_at_k(predicted: Sequence[Sequence[str]], gold: Sequence[Sequence[str]], k: int = 5) -> float:
    """Mean R-Precision@k (in %): per text, gold skills in the top k over min(k, number of gold skills).

    Texts without gold skills are skipped.
    """
    values = []
    for pred, want in zip(predicted, gold):
        wanted = set(want)
        if not wanted:
            continue
        values.append(len(set(pred[:k]) & wanted) / min(k, len(wanted)))
    return 100.0 * float(np.mean(values)) if values else 0.0
