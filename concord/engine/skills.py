"""Skill extraction and linking: free text (a CV summary, a course, a posting) to ranked taxonomy skills.

Hybrid and offline. Three signals are computed for every skill of the taxonomy and fused:

- **gazetteer**: a skill's label (or alternative label, or its label without a parenthetical qualifier, such
  as "Java" for "Java (computer programming)") appears in the text as a phrase; acronyms (all capitals) must
  match case, so "LESS" the stylesheet language is not found in "less".
- **lexical**: BM25 (`engine.lexical`) of the text's stemmed words against each label's words.
- **dense**: cosine similarity between the encoder's vectors of the label and of the text and of its
  *chunks* (clauses and short windows); a label scores its best chunk, so one sentence naming several skills
  can link each of them. Label vectors are computed once and may be cached on disk (`CachedEncoder`).

The signals of a text (`Signals`, from `SkillLinker.signals_many`) are fused by `SkillLinker.fuse`: either
standardised within the text and summed with weights (``"zscore"``), or as weighted reciprocal ranks
(``"rrf"``). Only each signal's top candidates (and gazetteer hits) can be returned. Every suggestion carries
its evidence: the span of the text (character offsets) that supports it.

The fusion parameters are *fitted*, not hand-set: ``bench/talent.py fit`` picks them from a small grid
(`engine.skills_fit`) on every development sentence and writes ``skills_params.json`` with its
`Provenance`, whose held-out figures come from folds that never saw the sentences they score. `LinkerConfig`
takes its defaults from that file (`HAND_SET` when it is absent).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from .encoders import KINDS, CachedEncoder, Encoder, Kind
from .errors import MatchingError
from .folds import Provenance
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


PARAMS_PATH = Path(__file__).with_name("skills_params.json")

# Hand-set defaults, used only when ``skills_params.json`` is absent or lacks a key. They are the weights the
# linker shipped with before its parameters were fitted with held-out folds (``gazetteer`` 4.5 is the old
# 1.5 times the old fixed factor of 3). Refit with ``bench/talent.py fit``; never edit the JSON by hand.
HAND_SET: dict[str, Any] = {
    "fusion": "zscore",
    "dense": 1.0,
    "dense_chunk": 1.0,
    "lexical": 0.35,
    "gazetteer": 4.5,
    "rrf_k": 60.0,
    "candidates": 200,
    "label_kind": "passage",
}
FUSIONS = ("zscore", "rrf")


def load_params(path: str | Path = PARAMS_PATH) -> tuple[dict[str, Any], Provenance | None]:
    """The fitted parameters in ``path`` and their `Provenance`; ``({}, None)`` when the file is absent.

    The file is ``{"params": {...}, "provenance": {...}}`` as written by `write_params`. Unknown keys, or a
    file that is not such an object, raise `MatchingError` E514 (a stale file should fail loudly)."""
    try:
        raw = Path(path).read_text(encoding="utf-8")
    except FileNotFoundError:
        return {}, None
    try:
        data = json.loads(raw)
        params = dict(data["params"])
        provenance = Provenance(**data["provenance"]) if data.get("provenance") else None
    except (ValueError, KeyError, TypeError) as exc:
        raise MatchingError(f"{path} is not a skill-linker parameters file: {exc}", code="E514") from exc
    unknown = sorted(set(params) - set(HAND_SET))
    if unknown:
        raise MatchingError(f"{path} sets unknown linker parameters {unknown}", code="E514")
    if params.get("fusion", "zscore") not in FUSIONS or params.get("label_kind", "passage") not in KINDS:
        raise MatchingError(
            f"{path}: fusion must be one of {FUSIONS}, label_kind one of {KINDS}", code="E514"
        )
    return params, provenance


def write_params(path: str | Path, params: dict[str, Any], provenance: Provenance) -> None:
    """Write fitted ``params`` with their ``provenance`` (the file `load_params` reads)."""
    unknown = sorted(set(params) - set(HAND_SET))
    if unknown:
        raise MatchingError(f"unknown linker parameters {unknown}", code="E514")
    body = {"params": params, "provenance": provenance.to_dict()}
    Path(path).write_text(json.dumps(body, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


FITTED, FITTED_PROVENANCE = load_params()


def _default(name: str) -> Any:
    return FITTED.get(name, HAND_SET[name])


@dataclass(frozen=True, slots=True)
class LinkerConfig:
    """The linker's settings. Defaults are the fitted values of ``skills_params.json`` (fitted on every
    development sentence by ``bench/talent.py fit`` and reported only on held-out folds; see
    `FITTED_PROVENANCE`), or `HAND_SET` where the file says nothing.

    ``fusion``: ``"zscore"`` sums the signals standardised within the text; ``"rrf"`` sums weighted
    reciprocal ranks ``w / (rrf_k + rank)``. ``dense``, ``dense_chunk``, ``lexical``, ``gazetteer``: the
    weights of the signals (text as a whole vs its best chunk; BM25; phrase found; in z-score fusion the
    gazetteer weight is in units of the fused score's spread). ``candidates``: how many skills each signal
    puts forward; only those (and gazetteer hits) can be returned. ``label_kind``: how the encoder sees the
    labels, as ``"passage"`` (E5's asymmetric search prefix) or as ``"query"``, like the texts and their
    chunks (E5's advice for symmetric matching of short phrases). ``window``/``stride``: the sliding word
    windows added to the clause chunks.
    """

    fusion: str = _default("fusion")
    dense: float = _default("dense")
    dense_chunk: float = _default("dense_chunk")
    lexical: float = _default("lexical")
    gazetteer: float = _default("gazetteer")
    rrf_k: float = _default("rrf_k")
    candidates: int = _default("candidates")
    label_kind: str = _default("label_kind")
    window: int = 4
    stride: int = 2
    max_chunks: int = 40
    bm25: BM25Params = field(default_factory=lambda: BM25Params(k1=1.2, b=0.5))

    def __post_init__(self) -> None:
        if self.fusion not in FUSIONS:
            raise MatchingError(f"fusion must be one of {FUSIONS}, not {self.fusion!r}", code="E509")
        if self.label_kind not in KINDS:
            raise MatchingError(f"label_kind must be one of {KINDS}, not {self.label_kind!r}", code="E509")
        if self.candidates < 1:
            raise MatchingError(f"candidates must be at least 1, not {self.candidates}", code="E509")

    def fitted_values(self) -> dict[str, Any]:
        """The values of the parameters that fitting sets (the keys of `HAND_SET`)."""
        return {name: getattr(self, name) for name in HAND_SET}


@dataclass(frozen=True, slots=True)
class Signals:
    """One text's raw signals over the whole taxonomy, before fusion (what fitting caches per sentence).

    ``whole``: cosine of the text with each label; ``chunk``: of its best chunk, whose index is in
    ``best_chunk`` (all None without an encoder); ``lexical``: BM25; ``gazetteer``: skill index -> span of
    the phrase found; ``spans``: the chunks' character spans."""

    whole: np.ndarray | None
    chunk: np.ndarray | None
    best_chunk: np.ndarray | None
    lexical: np.ndarray
    gazetteer: dict[int, tuple[int, int]]
    spans: list[tuple[int, int]]


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


def _top(values: np.ndarray, k: int) -> np.ndarray:
    """Indices of the ``k`` largest ``values`` (any order)."""
    k = min(k, len(values))
    return np.argpartition(-values, k - 1)[:k]


def _ranks(values: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    """The ``k`` best indices of ``values``, best first, and their ranks 1..k (ties broken by index)."""
    top = _top(values, k)
    top = top[np.lexsort((top, -values[top]))]
    return top, np.arange(1, len(top) + 1, dtype=np.float64)


def _fuse_zscore(sig: Signals, cfg: LinkerConfig, n_skills: int) -> tuple[np.ndarray, np.ndarray]:
    """Weighted sum of the signals standardised within the text; a gazetteer hit adds ``gazetteer`` times
    the spread of the sum. Candidates: each signal's top ``candidates`` and the gazetteer hits."""
    score = np.zeros(n_skills, dtype=np.float64)
    pool = np.zeros(n_skills, dtype=bool)
    if sig.whole is not None and sig.chunk is not None:
        for weight, values in ((cfg.dense, sig.whole), (cfg.dense_chunk, sig.chunk)):
            if weight:
                score += weight * _zscore(values)
                pool[_top(values, cfg.candidates)] = True
    lex = sig.lexical
    if cfg.lexical and lex.any():
        score += cfg.lexical * _zscore(lex) * (lex > 0)
        pool[_top(lex, min(cfg.candidates, int((lex > 0).sum())))] = True
    if sig.gazetteer:
        hits = np.fromiter(sig.gazetteer, dtype=np.int64)
        score[hits] += cfg.gazetteer * (float(score.std()) or 1.0)
        pool[hits] = True
    return score, pool


def _fuse_rrf(sig: Signals, cfg: LinkerConfig, n_skills: int) -> tuple[np.ndarray, np.ndarray]:
    """Weighted reciprocal-rank fusion: each signal adds ``weight / (rrf_k + rank)`` to its top
    ``candidates``; a gazetteer hit counts as rank 1 of its own list."""
    score = np.zeros(n_skills, dtype=np.float64)
    pool = np.zeros(n_skills, dtype=bool)
    lists: list[tuple[float, np.ndarray]] = []
    if sig.whole is not None and sig.chunk is not None:
        lists += [(cfg.dense, sig.whole), (cfg.dense_chunk, sig.chunk)]
    lex = sig.lexical
    for weight, values in [*lists, (cfg.lexical, lex)]:
        if not weight:
            continue
        k = cfg.candidates if values is not lex else min(cfg.candidates, int((lex > 0).sum()))
        if k < 1:
            continue
        top, ranks = _ranks(values, k)
        score[top] += weight / (cfg.rrf_k + ranks)
        pool[top] = True
    if sig.gazetteer:
        hits = np.fromiter(sig.gazetteer, dtype=np.int64)
        score[hits] += cfg.gazetteer / (cfg.rrf_k + 1.0)
        pool[hits] = True
    return score, pool


def rank_fused(score: np.ndarray, pool: np.ndarray, k: int) -> np.ndarray:
    """The ``k`` best skills, best first: candidates (``pool``) by score, then, if too few, the others by
    score; ties by index."""
    cand = np.flatnonzero(pool)
    if len(cand) >= k:
        top = cand[_top(score[cand], k)]
        return top[np.lexsort((top, -score[top]))]
    rest = np.flatnonzero(~pool)
    more = rest[_top(score[rest], k - len(cand))] if len(rest) else rest
    return np.concatenate([cand[np.lexsort((cand, -score[cand]))], more[np.lexsort((more, -score[more]))]])


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
            kind: Kind = "query" if self.config.label_kind == "query" else "passage"
            if isinstance(encoder, CachedEncoder):
                vectors = encoder.encode(texts, kind=kind, progress=progress)
            else:
                vectors = encoder.encode(texts, kind=kind)
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
        out: list[list[LinkedSkill]] = []
        for n, (text, sig) in enumerate(zip(texts, self.signals_many(texts))):
            out.append(self._linked(text, sig, *self.fuse(sig), top_k))
            if progress is not None:
                progress(n + 1, len(texts))
        return out

    def signals_many(self, texts: Sequence[str]) -> list[Signals]:
        """The raw `Signals` of each text (the encoder sees all texts and chunks in one batch)."""
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
        out: list[Signals] = []
        offset = 0
        for n, text in enumerate(texts):
            spans = spans_of[n]
            whole = chunk = best = None
            if text_vecs is not None and chunk_vecs is not None and self.vectors is not None:
                whole = self.vectors @ text_vecs[n]
                if spans:
                    sims = self.vectors @ chunk_vecs[offset : offset + len(spans)].T  # (skills, chunks)
                    best = sims.argmax(axis=1)
                    chunk = sims.max(axis=1)
                else:
                    chunk = whole
            offset += len(spans)
            out.append(Signals(whole, chunk, best, self.lexical(text), self.gazetteer(text), spans))
        return out

    def fuse(self, sig: Signals, config: LinkerConfig | None = None) -> tuple[np.ndarray, np.ndarray]:
        """The fused score of every skill for one text's signals, and the mask of candidate skills."""
        cfg = config or self.config
        fuse = _fuse_rrf if cfg.fusion == "rrf" else _fuse_zscore
        return fuse(sig, cfg, len(self.skills))

    def _linked(
        self, text: str, sig: Signals, score: np.ndarray, pool: np.ndarray, top_k: int
    ) -> list[LinkedSkill]:
        results = []
        for i in rank_fused(score, pool, min(top_k, len(self.skills))).tolist():
            if i in sig.gazetteer:
                a, b = sig.gazetteer[i]
            elif sig.best_chunk is not None and sig.spans:
                a, b = sig.spans[int(sig.best_chunk[i])]
            else:
                a, b = self._lexical_span(text, i)
            if b <= a:  # no narrower span: the text as a whole is the evidence
                a, b = 0, len(text.rstrip())
            evidence = Evidence(a, b, text[a:b]) if b > a else None
            sources = [
                name
                for name, fired in (
                    ("dense", sig.whole is not None and self._dense_candidate(sig, i)),
                    ("lexical", sig.lexical[i] > 0),
                    ("gazetteer", i in sig.gazetteer),
                )
                if fired
            ]
            results.append(
                LinkedSkill(
                    skill_id=self.skills[i].id,
                    label=self.skills[i].label,
                    score=float(score[i]),
                    evidence=evidence,
                    sources=tuple(sources),
                )
            )
        return results

    def _dense_candidate(self, sig: Signals, i: int) -> bool:
        """Whether skill ``i`` is among the dense signals' top ``candidates``."""
        k = self.config.candidates
        return any(v is not None and int((v > v[i]).sum()) < k for v in (sig.whole, sig.chunk))

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
