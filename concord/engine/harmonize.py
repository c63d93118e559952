"""The harmonization pipeline: two sets of provisions in; typed, cited mappings, gaps and an index out.

`harmonize` runs, in order:

1. **validation**: non-empty sets, unique ids, non-empty text, at most ``max_chars`` per provision
   (`HarmonizationError` E401-E404 otherwise);
2. **encoding**: each provision (heading + text) and each of its sentences, with the given encoder;
3. **hybrid retrieval** both ways (`retrieve.hybrid_candidates`): for each source its ``top_k`` targets,
   for each target its nearest source (for target-side gaps);
4. **typing** of every candidate pair (`relate.relate`): relationship, rationale, calibrated confidence,
   cited sentences, and the quantities of both sides with their divergences (`parameters`);
5. **gaps**: provisions on either side with no mapping at or above ``threshold``, with their nearest miss;
6. **the harmonization index** per theme (see `coverage.theme_index` and ``docs/harmonization-index.md``).

The result is deterministic: the same inputs and options give the same output. Candidates are ordered by
score, then by target id; provisions keep their input order.
"""

from __future__ import annotations

import importlib
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np

from .coverage import ALL_THEMES, COVERAGE_WEIGHTS, DIVERGENCE_FACTOR, Gap, ThemeIndex, find_gaps, theme_index
from .encoders import Encoder, embed
from .errors import EngineError, HarmonizationError
from .fusion import (
    FusionParams,
    dense_scores,
    fuse,
    hub_background,
    in_context,
    lexical_agreement,
    load_fusion,
    mutual_neighbours,
    sentence_scores,
    several_sentences,
)
from .lexical import BM25Index, BM25Params, guess_language, tokenize
from .relate import (
    QUERY_PASSAGE_FEATURES,
    PairEvidence,
    Relation,
    RelationModel,
    Side,
    Span,
    link_probability,
    load_model,
    pair_core,
    relate,
    split_sentences,
)
from .retrieve import (
    FUSIONS,
    Candidates,
    VectorIndex,
    hubness,
    hybrid_candidates,
    rollup,
    siblings_raised,
    topk_dense,
)
from .types import Provision

__all__ = [
    "ALL_THEMES", "COVERAGE_WEIGHTS", "DIVERGENCE_FACTOR", "Gap", "HarmonizeOptions", "HarmonizeResult",
    "Mapping", "ThemeIndex", "find_gaps", "harmonize", "relate_pairs", "theme_index",
]  # fmt: skip

Progress = Callable[[str, int, int], None]


@dataclass(frozen=True, slots=True)
class HarmonizeOptions:
    """Settings of a harmonization run; each has a default that works across the development sets."""

    top_k: int = 10
    # A mapping is *suggested* when its link confidence reaches this. For a calibrated probability the
    # F1-optimal cut is about half the attainable F1, well under 0.5; and analysts review suggestions, so
    # missing a link costs more than showing a doubtful one.
    threshold: float = 0.3
    candidate_pool: int = 100
    fusion: str = "linear"
    # None: the weight of word overlap adapts to the pair of documents (see `fusion`); a number fixes it.
    lexical_weight: float | None = None
    bm25: BM25Params = field(default_factory=BM25Params)
    encode_kind: str = "query"  # E5 reads provision-to-provision as a symmetric task: both sides "query"
    max_chars: int = 200_000
    memory_mb: float = 256.0
    ann_threshold: int = 500_000
    with_parameters: bool = True
    rollup: bool = True  # map onto the top provision of each target family (see `target_roots`)
    # Encode each provision both as a query and as a passage, for the type model's query/passage
    # features (`relate.query_passage`); None: only when the relation model reads them.
    query_passage: bool | None = None

    def check(self) -> None:
        """Raise `HarmonizationError` E407/E430 for out-of-range settings."""
        if self.top_k < 1:
            raise HarmonizationError(f"top_k must be at least 1, got {self.top_k}", code="E407")
        if not 0.0 <= self.threshold <= 1.0:
            raise HarmonizationError(f"threshold must be within [0, 1], got {self.threshold}", code="E407")
        if self.lexical_weight is not None and not 0.0 <= self.lexical_weight <= 1.0:
            raise HarmonizationError("the lexical weight must be within [0, 1]", code="E407")
        if self.fusion not in FUSIONS:
            raise HarmonizationError(
                f"unknown fusion {self.fusion!r}; choose one of: {', '.join(FUSIONS)}", code="E430"
            )


@dataclass(slots=True)
class Mapping:
    """One proposed mapping of a source provision to a target provision (rank 1 = its best target)."""

    source_id: str
    target_id: str
    rank: int
    score: float
    relationship: str
    rationale: str
    confidence: float
    link_confidence: float
    relationship_confidence: float
    suggested: bool
    cited_source: list[Span]
    cited_target: list[Span]
    parameters: dict[str, Any] = field(default_factory=dict)
    diverging: bool = False
    relation: Relation | None = field(default=None, repr=False)  # the full evidence, for analysis

    def to_dict(self) -> dict[str, Any]:
        """The JSON line of the CLI contract (plus the extra confidences, parameters and flags)."""
        return {
            "source_id": self.source_id,
            "target_id": self.target_id,
            "rank": self.rank,
            "score": round(self.score, 4),
            "relationship": self.relationship,
            "confidence": self.confidence,
            "rationale": self.rationale,
            "cited": {
                "source": [s.to_dict() for s in self.cited_source],
                "target": [s.to_dict() for s in self.cited_target],
            },
            "link_confidence": self.link_confidence,
            "relationship_confidence": self.relationship_confidence,
            "suggested": self.suggested,
            "parameters": self.parameters,
            "diverging": self.diverging,
        }


@dataclass
class HarmonizeResult:
    """Everything `harmonize` found. ``mappings`` are grouped by source (input order), best first."""

    mappings: list[Mapping]
    source_gaps: list[Gap]
    target_gaps: list[Gap]
    themes: list[ThemeIndex]
    model_id: str
    dim: int
    options: HarmonizeOptions
    fusion: FusionPlan | None = None
    # target id -> its ``top_k`` sources as (source id, fused score), best first: the engine's ranking the
    # other way round, for a reviewer who starts from a target (the forward ranking is ``mappings``)
    target_candidates: dict[str, list[tuple[str, float]]] = field(default_factory=dict)

    @property
    def suggested(self) -> list[Mapping]:
        """The mappings at or above the confidence threshold."""
        return [m for m in self.mappings if m.suggested]


# --- preparation --------------------------------------------------------------------------------------


def provision_text(p: Provision) -> str:
    """The text compared: the heading (when there is one) on its own line, then the text."""
    heading = (p.heading or "").strip()
    text = (p.text or "").strip()
    return f"{heading}\n{text}" if heading and not text.startswith(heading) else text


def validate(provisions: Sequence[Provision], side: str, *, max_chars: int = 200_000) -> None:
    """Raise `HarmonizationError` naming the problem: empty set (E401), duplicate id (E402), missing id
    or text (E403), provision longer than ``max_chars`` (E404)."""
    if not provisions:
        raise HarmonizationError(f"the {side} has no provisions; give at least one", code="E401")
    seen: set[str] = set()
    for n, p in enumerate(provisions, 1):
        if not isinstance(p.id, str) or not p.id.strip():
            raise HarmonizationError(f"{side} provision #{n} has no id", code="E403")
        if p.id in seen:
            raise HarmonizationError(
                f"{side} provision id {p.id!r} appears more than once; ids must be unique", code="E402"
            )
        seen.add(p.id)
        if not isinstance(p.text, str) or not provision_text(p).strip():
            raise HarmonizationError(f"{side} provision {p.id!r} has no text", code="E403")
        if len(provision_text(p)) > max_chars:
            raise HarmonizationError(
                f"{side} provision {p.id!r} has {len(provision_text(p)):,} characters, over the limit of "
                f"{max_chars:,}; split it into its sections first",
                code="E404",
            )


def _checked(
    options: HarmonizeOptions | None, source: Sequence[Provision], target: Sequence[Provision]
) -> HarmonizeOptions:
    """The run's options, checked, once both sides are valid (see `validate`)."""
    opts = options or HarmonizeOptions()
    opts.check()
    validate(source, "source", max_chars=opts.max_chars)
    validate(target, "target", max_chars=opts.max_chars)
    return opts


def _language(p: Provision, text: str) -> str:
    if p.language:
        return p.language
    try:
        detect = importlib.import_module(".language", __package__).detect_language
        return str(detect(text))
    except (ImportError, AttributeError, EngineError):
        return guess_language(text)


@dataclass
class _Prepared:
    ids: list[str]
    texts: list[str]
    languages: list[str]
    tokens: list[list[str]]
    vectors: np.ndarray
    sentences: list[list[Span]]
    sentence_vectors: list[np.ndarray]
    # each provision's parent: a row of ``vectors`` followed by ``context_vectors`` (-1: none)
    parents: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    context_vectors: np.ndarray | None = None  # ancestors given for context only, never ranked
    # each provision encoded as a query and as a passage (one of them is ``vectors``), when asked for
    query_vectors: np.ndarray | None = None
    passage_vectors: np.ndarray | None = None
    # each provision's heading encoded alone (a zero row for none) and which have one, when asked for
    heading_vectors: np.ndarray | None = None
    headed: np.ndarray | None = None

    def in_context(self, weight: float) -> np.ndarray:
        """The provisions' vectors read with their ancestors' (`fusion.in_context`)."""
        if weight <= 0 or not len(self.parents) or not (self.parents >= 0).any():
            return self.vectors
        rows = (
            self.vectors if self.context_vectors is None else np.vstack([self.vectors, self.context_vectors])
        )
        return in_context(rows, self.parents, weight)[: len(self.ids)]

    def side(self, i: int) -> Side:
        return Side(
            self.texts[i],
            self.vectors[i],
            self.sentences[i],
            self.sentence_vectors[i],
            frozenset(self.tokens[i]),
            self.languages[i],
            None if self.query_vectors is None else self.query_vectors[i],
            None if self.passage_vectors is None else self.passage_vectors[i],
        )


def _stage(progress: Progress | None, stage: str) -> Callable[[int, int], None] | None:
    """``progress`` for one stage, as the encoder's ``(done, total)`` callback."""
    if progress is None:
        return None
    return lambda done, total: progress(stage, done, total)


def _prepare(
    provisions: Sequence[Provision],
    encoder: Encoder,
    kind: str,
    progress: Progress | None,
    label: str,
    *,
    sentences_too: bool = True,
    context: Sequence[Provision] = (),
    both_kinds: bool = False,
    headings_too: bool = False,
) -> _Prepared:
    texts = [provision_text(p) for p in provisions]
    languages = [_language(p, t) for p, t in zip(provisions, texts)]
    tokens = [tokenize(t, lang) for t, lang in zip(texts, languages)]
    if progress:
        progress(f"encoding {label}", 0, len(texts))
    batch = embed(encoder, texts, kind=kind, progress=_stage(progress, f"encoding {label}"))  # type: ignore[arg-type]
    sentences = [split_sentences(t) for t in texts]
    multi = (
        [(i, s.text) for i, spans in enumerate(sentences) if len(spans) > 1 for s in spans]
        if sentences_too
        else []
    )
    sent_vecs: list[np.ndarray] = [batch.vectors[i : i + 1] for i in range(len(texts))]
    if multi:
        if progress:
            progress(f"encoding {label} sentences", 0, len(multi))
        vecs = embed(
            encoder,
            [t for _, t in multi],
            kind=kind,  # type: ignore[arg-type]
            progress=_stage(progress, f"encoding {label} sentences"),
        ).vectors
        owner = np.array([i for i, _ in multi])
        for i in np.unique(owner):
            sent_vecs[int(i)] = vecs[owner == i]
    parents = parent_rows(list(provisions) + list(context))
    context_vectors = None
    if context and (parents >= len(texts)).any():
        context_vectors = embed(encoder, [provision_text(p) for p in context], kind=kind).vectors  # type: ignore[arg-type]
    else:
        parents = parent_rows(provisions)
    queries = passages = None
    if both_kinds:
        other = embed(encoder, texts, kind="passage" if kind == "query" else "query").vectors  # type: ignore[arg-type]
        queries, passages = (batch.vectors, other) if kind == "query" else (other, batch.vectors)
    headings = _headings(provisions, sentences, sent_vecs, encoder, kind) if headings_too else (None, None)
    if progress:
        progress(f"encoded {label}", len(texts), len(texts))
    return _Prepared(
        [p.id for p in provisions],
        texts,
        languages,
        tokens,
        batch.vectors,
        sentences,
        sent_vecs,
        parents,
        context_vectors,
        queries,
        passages,
        *headings,
    )


def _headings(
    provisions: Sequence[Provision],
    sentences: list[list[Span]],
    sent_vecs: list[np.ndarray],
    encoder: Encoder,
    kind: str,
) -> tuple[np.ndarray | None, np.ndarray]:
    """Each provision's heading encoded alone (a zero row where there is none) and which have one. A
    heading the text's first sentence already is (a title of 12 characters or more, on its own line)
    takes that sentence's vector; the others are encoded, short texts that cost little."""
    heads = [(p.heading or "").strip() for p in provisions]
    headed = np.array([bool(h) for h in heads], dtype=bool)
    if not headed.any():
        return None, headed
    dim = sent_vecs[0].shape[1]
    out = np.zeros((len(heads), dim), dtype=np.float32)
    missing: list[int] = []
    for i, head in enumerate(heads):
        if not head:
            continue
        if len(sentences[i]) > 1 and len(sent_vecs[i]) == len(sentences[i]) and sentences[i][0].text == head:
            out[i] = sent_vecs[i][0]
        else:
            missing.append(i)
    if missing:
        out[missing] = embed(encoder, [heads[i] for i in missing], kind=kind).vectors  # type: ignore[arg-type]
    return out, headed


def _both_kinds(opts: HarmonizeOptions, model: RelationModel) -> bool:
    """Whether to encode each provision as a query and as a passage (see ``HarmonizeOptions``)."""
    if opts.query_passage is not None:
        return opts.query_passage
    return any(f in QUERY_PASSAGE_FEATURES for f in model.types.features)


def _idf(tokens: list[list[str]]) -> dict[str, float]:
    df = Counter(t for doc in tokens for t in set(doc))
    n = len(tokens)
    return {t: float(np.log(1 + (n - c + 0.5) / (c + 0.5))) for t, c in df.items()}


_BOUNDARY = re.compile(r"[\s(.\-_/|:]")


def parent_rows(provisions: Sequence[Provision]) -> np.ndarray:
    """Index of each provision's parent within ``provisions`` (-1 for none).

    Parents come from ``Provision.parent``; when no provision names one, they are read from the ids: an
    id that extends another id at a boundary (``AC-2(1)`` of ``AC-2``, ``6.1`` of ``6``, ``ID.AM-1`` of
    ``ID.AM``) is its child.
    """
    ids = [p.id for p in provisions]
    index = {pid: i for i, pid in enumerate(ids)}
    parent = [index.get(p.parent, -1) if p.parent else -1 for p in provisions]
    if all(x < 0 for x in parent):
        for i, pid in enumerate(ids):
            for cut in range(len(pid) - 1, 0, -1):
                if _BOUNDARY.match(pid[cut]) and pid[:cut] in index and index[pid[:cut]] != i:
                    parent[i] = index[pid[:cut]]
                    break
    return np.array([-1 if x == i else x for i, x in enumerate(parent)], dtype=np.int64)


def target_roots(provisions: Sequence[Provision]) -> np.ndarray | None:
    """Index of each provision's top ancestor within the set, or None when the set is flat (parents as
    `parent_rows` reads them)."""
    rows = parent_rows(provisions)
    if not (rows >= 0).any():
        return None
    parent = [None if x < 0 else int(x) for x in rows]
    roots = np.arange(len(rows))
    for i in range(len(rows)):
        seen = {i}
        j = i
        while parent[j] is not None and parent[j] not in seen:
            j = parent[j]  # type: ignore[assignment]
            seen.add(j)
        roots[i] = j
    return roots


def target_groups(provisions: Sequence[Provision], context: Sequence[Provision] = ()) -> np.ndarray | None:
    """Each provision's family for `retrieve.sibling_boost`: the parent of its root (`target_roots`),
    numbered from 0, or -1 for none; None when no provision has one.

    The parent is read as `parent_rows` reads it over the provisions and their ``context`` (a CSF
    subcategory's category given as context), or else from the root's own ``Provision.parent`` when it
    names a provision outside the set (an SP 800-53 control's family ``AC``; a section's part, which the
    comparison does not map). Structure only: nothing is read from links."""
    items = list(provisions) + list(context)
    rows = parent_rows(items)[: len(provisions)]
    roots = target_roots(provisions)
    keys: dict[tuple[str, str], int] = {}
    out = np.full(len(provisions), -1, dtype=np.int64)
    for j in range(len(provisions)):
        r = j if roots is None else int(roots[j])
        if rows[r] >= 0:
            key = ("row", items[int(rows[r])].id)
        elif provisions[r].parent:
            key = ("id", str(provisions[r].parent))
        else:
            continue
        out[j] = keys.setdefault(key, len(keys))
    return out if keys else None


@dataclass
class FusionPlan:
    """What one direction of retrieval decided for this pair of documents (reported with the result)."""

    lexical_weight: float
    agreement: float
    pseudo_links: int
    shared_vocabulary: float

    def to_dict(self) -> dict[str, float]:
        return {
            "lexical_weight": round(self.lexical_weight, 4),
            "agreement": round(self.agreement, 4),
            "pseudo_links": self.pseudo_links,
            "shared_vocabulary": round(self.shared_vocabulary, 4),
        }


class _Scorer:
    """Scores queries against documents as `fusion` describes: the dense row (cosine, best sentence,
    hubness), BM25, and the lexical weight planned from their agreement on this pair of documents."""

    SENTENCE_LIMIT = 100_000  # sentence vectors above this are not scanned per query (memory and time)

    def __init__(
        self,
        queries: _Prepared,
        docs: _Prepared,
        opts: HarmonizeOptions,
        params: FusionParams,
        background: tuple[float, float] | None,
        *,
        backward: bool = False,
    ) -> None:
        self.q, self.d, self.opts, self.params = queries, docs, opts, params
        # each side read in context with its own weight; ``backward``: the queries are the target side
        weights = (params.context_weight, params.target_context_weight)
        q_weight, d_weight = weights[::-1] if backward else weights
        self.qv, self.dv = queries.in_context(q_weight), docs.in_context(d_weight)
        self.bm25 = BM25Index(docs.tokens, opts.bm25)
        self.hub = (
            hubness(self.dv, self.qv, params.hub_k, memory_mb=opts.memory_mb)
            if params.hub_weight > 0 and len(queries.ids) > 1
            else None
        )
        self.sentences: tuple[np.ndarray, np.ndarray] | None = None
        counts = [len(v) for v in docs.sentence_vectors]
        if params.uses_sentences and sum(counts) <= self.SENTENCE_LIMIT and any(c > 1 for c in counts):
            starts = np.concatenate([[0], np.cumsum(counts)[:-1]]).astype(np.int64)
            self.sentences = (np.vstack(docs.sentence_vectors).astype(np.float32), starts)
        self._cached: tuple[int, np.ndarray] = (0, np.zeros((0, len(docs.ids)), dtype=np.float32))
        self.background = hub_background(background, params, self.hub)
        self.plan = self._plan()

    def _block(self, start: int) -> tuple[int, np.ndarray]:
        """Dense scores of a block of queries from ``start`` (matrix products, within ``memory_mb``)."""
        width = len(self.d.ids) + (len(self.sentences[0]) if self.sentences is not None else 0)
        rows = max(1, min(len(self.q.ids) - start, int(self.opts.memory_mb * 2**20 / 16 / max(width, 1))))
        q = self.qv[start : start + rows]
        best, several = None, None
        if self.sentences is not None:
            own = self.q.sentence_vectors[start : start + rows] if self.params.by_sentence else None
            best = sentence_scores(q, own, *self.sentences, memory_mb=self.opts.memory_mb / 4)
            if own is not None:
                several = several_sentences(own, self.sentences[1], len(self.sentences[0]))
        heading = None
        if self.q.heading_vectors is not None and self.d.heading_vectors is not None:
            assert self.q.headed is not None and self.d.headed is not None
            heading = (
                self.q.heading_vectors[start : start + rows] @ self.d.heading_vectors.T,
                self.q.headed[start : start + rows],
                self.d.headed,
            )
        return start, dense_scores(
            q @ self.dv.T, self.params, best_sentence=best, hub=self.hub, several=several, heading=heading
        )

    def dense_row(self, i: int) -> np.ndarray:
        """Query ``i``'s dense scores over every document (computed a block of queries at a time)."""
        start, block = self._cached
        if not start <= i < start + len(block):
            self._cached = start, block = self._block(i)
        return block[i - start]

    def _plan(self) -> FusionPlan:
        n, m = len(self.q.ids), len(self.d.ids)
        forward = np.zeros(n, dtype=np.int64)
        back_best = np.full(m, -np.inf, dtype=np.float32)
        back_arg = np.zeros(m, dtype=np.int64)
        for i in range(n):
            row = self.dense_row(i)
            forward[i] = int(row.argmax())
            better = row > back_best
            back_best[better] = row[better]
            back_arg[better] = i
        agreement = lexical_agreement(mutual_neighbours(forward, back_arg), self.q.tokens, self.bm25)
        weight = (
            self.opts.lexical_weight
            if self.opts.lexical_weight is not None
            else self.params.lexical_weight(agreement.mrr)
        )
        return FusionPlan(weight, agreement.mrr, agreement.pairs, agreement.shared)

    def candidates(
        self, k: int, roots: np.ndarray | None = None, groups: np.ndarray | None = None
    ) -> Candidates:
        """The top ``k`` targets of each query: fused, rolled up onto ``roots`` when given, and raised by
        their siblings' scores (`sibling_boost`) when ``groups`` are given and the fusion weighs them."""
        boost = groups is not None and self.params.sibling_weight > 0
        found = hybrid_candidates(
            self.qv,
            VectorIndex(self.dv, ann_threshold=self.opts.ann_threshold, memory_mb=self.opts.memory_mb),
            self.q.tokens,
            self.bm25,
            k,
            fusion=self.opts.fusion,
            lexical_weight=self.plan.lexical_weight,
            pool=self.opts.candidate_pool,
            root_of=roots,
            background=self.background,
            dense_rows=self.dense_row if len(self.d.ids) <= self.opts.ann_threshold else None,
            keep_pool=boost,
        )
        if roots is not None:
            found = rollup(found, roots, len(self.d.ids) if boost else k)
        if not boost:
            return found
        assert groups is not None
        return siblings_raised(found, groups, self.params.sibling_weight, k)

    def fused_row(self, i: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Query ``i``'s fused, standardised dense and standardised lexical scores over every document."""
        return fuse(
            self.dense_row(i), self.bm25.scores(self.q.tokens[i]), self.plan.lexical_weight, self.background
        )


def _parameters_api() -> tuple[Callable[..., Any], Callable[..., Any], Callable[..., Any]] | None:
    try:
        module = importlib.import_module(".parameters", __package__)
        return module.extract_parameters, module.compare_provisions, module.sentence_similarity
    except (ImportError, AttributeError):  # pragma: no cover - parameters.py is built in parallel
        return None


def _as_dict(obj: Any) -> Any:
    return obj.to_dict() if hasattr(obj, "to_dict") else obj


# --- the pipeline -------------------------------------------------------------------------------------


class _Neighbourhood:
    """How the two sides of each pair crowd round each other among the engine's own candidates
    ``graph``: expected degrees (sums of link probabilities ``p_link``), how much more similar a pair is
    than each side's best other candidate, mutual best candidates, cosine ranks and crowding over every
    provision, and how often each provision is among the other side's three nearest."""

    def __init__(
        self,
        src: _Prepared,
        tgt: _Prepared,
        graph: list[tuple[int, int, PairEvidence]],
        pairs: list[tuple[int, int, PairEvidence]],
        p_link: dict[tuple[int, int], float],
        memory_mb: float,
    ) -> None:
        self.src, self.tgt = src, tgt
        self.deg_src: defaultdict[int, float] = defaultdict(float)
        self.deg_tgt: defaultdict[int, float] = defaultdict(float)
        for (i, j), p in p_link.items():
            self.deg_src[i] += p
            self.deg_tgt[j] += p
        self.cos = {(i, j): float(src.vectors[i] @ tgt.vectors[j]) for i, j, _ in [*graph, *pairs]}
        self.others_src: dict[int, list[tuple[int, float]]] = defaultdict(list)
        self.others_tgt: dict[int, list[tuple[int, float]]] = defaultdict(list)
        self.best_of_src: dict[int, tuple[float, int]] = {}
        self.best_of_tgt: dict[int, tuple[float, int]] = {}
        for i, j, ev in graph:
            self.others_src[i].append((j, self.cos[(i, j)]))
            self.others_tgt[j].append((i, self.cos[(i, j)]))
            self.best_of_src[i] = max(self.best_of_src.get(i, (-np.inf, -1)), (ev.score, j))
            self.best_of_tgt[j] = max(self.best_of_tgt.get(j, (-np.inf, -1)), (ev.score, i))
        self.rows: dict[int, np.ndarray] = {}
        self.columns: dict[int, np.ndarray] = {}
        near = min(3, len(tgt.ids)), min(3, len(src.ids))
        self.chosen_tgt = np.bincount(
            topk_dense(src.vectors, tgt.vectors, near[0], memory_mb=memory_mb, stats=False).indices.ravel(),
            minlength=len(tgt.ids),
        )
        self.chosen_src = np.bincount(
            topk_dense(tgt.vectors, src.vectors, near[1], memory_mb=memory_mb, stats=False).indices.ravel(),
            minlength=len(src.ids),
        )

    def relative(self, i: int, j: int) -> tuple[float, float]:
        best_src = max((c for jj, c in self.others_src[i] if jj != j), default=None)
        best_tgt = max((c for ii, c in self.others_tgt[j] if ii != i), default=None)
        value = self.cos[(i, j)]
        return (value - best_src if best_src is not None else 0.0,
                value - best_tgt if best_tgt is not None else 0.0)  # fmt: skip

    def mutual(self, i: int, j: int) -> bool:
        return self.best_of_src.get(i, (0.0, -1))[1] == j and self.best_of_tgt.get(j, (0.0, -1))[1] == i

    def ranks(self, i: int, j: int) -> tuple[int, int, int, int]:
        """By cosine: j's rank among all targets for i, i's among all sources for j, and how many targets
        (sources) come within half a standard deviation of i's (j's) best."""
        if i not in self.rows:
            self.rows[i] = self.tgt.vectors @ self.src.vectors[i]
        if j not in self.columns:
            self.columns[j] = self.src.vectors @ self.tgt.vectors[j]
        value = self.cos[(i, j)]
        row, col = self.rows[i], self.columns[j]
        return (
            1 + int((row > value + 1e-6).sum()),
            1 + int((col > value + 1e-6).sum()),
            int((row >= row.max() - 0.5 * row.std()).sum()),
            int((col >= col.max() - 0.5 * col.std()).sum()),
        )

    def evidence(self, i: int, j: int, ev: PairEvidence) -> PairEvidence:
        """``ev`` (the pair's retrieval evidence) with what the neighbourhood says of the pair."""
        return PairEvidence(
            ev.score, ev.dense_z, ev.lexical_z, ev.rank, ev.best_score,
            self.deg_src[i], self.deg_tgt[j], *self.relative(i, j), self.mutual(i, j), *self.ranks(i, j),
            int(self.chosen_src[i]), int(self.chosen_tgt[j]),
        )  # fmt: skip


class _PairParameters:
    """The quantities of both sides of a pair and their comparison (`parameters`), each side's quantities
    extracted once. Quantities are compared only between sub-provisions that correspond, aligned by the
    cosine of their sentences' embeddings."""

    def __init__(self, src: _Prepared, tgt: _Prepared, enabled: bool) -> None:
        self.src, self.tgt = src, tgt
        self.api = _parameters_api() if enabled else None
        self.quantities: dict[tuple[str, int], list[Any]] = {}

    def _of(self, side: str, prep: _Prepared, i: int) -> list[Any]:
        if (side, i) not in self.quantities and self.api is not None:
            try:
                self.quantities[(side, i)] = list(self.api[0](prep.texts[i], prep.languages[i]))
            except EngineError:
                self.quantities[(side, i)] = []
        return self.quantities.get((side, i), [])

    def compare(self, i: int, j: int) -> tuple[dict[str, Any], bool]:
        """The comparison of pair (i, j) as a dict (empty when neither side has quantities) and whether
        both sides set quantities of a common kind."""
        src, tgt = self.src, self.tgt
        qa, qb = self._of("s", src, i), self._of("t", tgt, j)
        shared = bool({q.kind for q in qa} & {q.kind for q in qb})
        if self.api is None or not (qa or qb):
            return {}, shared
        similarity = self.api[2](
            src.sentences[i], src.sentence_vectors[i], tgt.sentences[j], tgt.sentence_vectors[j]
        )
        compared = self.api[1](
            src.texts[i], src.languages[i], tgt.texts[j], tgt.languages[j], similarity=similarity
        )
        return _as_dict(compared), shared


def type_pairs(
    src: _Prepared,
    tgt: _Prepared,
    pairs: list[tuple[int, int, PairEvidence]],
    opts: HarmonizeOptions,
    model: RelationModel,
    idf: dict[str, float],
    *,
    given: bool = False,
    graph: list[tuple[int, int, PairEvidence]] | None = None,
    background: tuple[float, float] | None = None,
) -> list[tuple[Relation, dict[str, Any]]]:
    """Type each (source index, target index, evidence) pair.

    How many counterparts each side is likely to have is a feature of the type (many narrow provisions
    map onto one broad one). It is always read from the engine's own candidates, ``graph`` (by default
    the pairs themselves): the *expected* degree, the sum of link probabilities, never from the pairs a
    person gave, so the features mean the same in `harmonize` and in `relate_pairs`.
    """
    graph = pairs if graph is None else graph
    cores: dict[tuple[int, int], dict[str, Any]] = {}

    def core(i: int, j: int) -> dict[str, Any]:
        if (i, j) not in cores:
            cores[(i, j)] = pair_core(src.side(i), tgt.side(j), idf)
        return cores[(i, j)]

    p_link = {
        (i, j): link_probability(src.side(i), tgt.side(j), ev, idf, model=model, core=core(i, j))
        for i, j, ev in graph
    }
    around = _Neighbourhood(src, tgt, graph, pairs, p_link, opts.memory_mb)
    quantities = _PairParameters(src, tgt, opts.with_parameters)
    out = []
    for i, j, ev in pairs:
        params, shared = quantities.compare(i, j)
        rel = relate(
            src.side(i),
            tgt.side(j),
            around.evidence(i, j, ev),
            idf,
            model=model,
            shared_parameters=shared,
            given=given,
            core=core(i, j),
            background=background,
        )
        out.append((rel, params))
    return out


def _contexts(
    params: FusionParams,
    sides: tuple[Sequence[Provision], Sequence[Provision]],
    source_context: Sequence[Provision],
    target_context: Sequence[Provision],
) -> tuple[Sequence[Provision], Sequence[Provision]]:
    """The context provisions worth encoding (none for a side the fusion reads without context), checked:
    valid as provisions, and no id shared with the side they are context of (E402)."""
    for side, own, given in zip(("source", "target"), sides, (source_context, target_context)):
        if not given:
            continue
        validate(given, f"{side} context")
        clash = sorted({p.id for p in own} & {p.id for p in given})
        if clash:
            raise HarmonizationError(
                f"{side} context provision id {clash[0]!r} is also a {side} provision id; ids must be unique",
                code="E402",
            )
    return (
        source_context if params.context_weight > 0 else (),
        target_context if params.target_context_weight > 0 else (),
    )


def _groups(
    params: FusionParams, target: Sequence[Provision], target_context: Sequence[Provision]
) -> np.ndarray | None:
    """The target families `sibling_boost` reads, when the fusion weighs siblings at all."""
    return target_groups(target, target_context) if params.sibling_weight > 0 else None


def rank_targets(
    source: list[Provision],
    target: list[Provision],
    encoder: Encoder,
    options: HarmonizeOptions | None = None,
    *,
    fusion: FusionParams | None = None,
    background: tuple[float, float] | None = None,
    source_context: Sequence[Provision] = (),
    target_context: Sequence[Provision] = (),
) -> tuple[Candidates, FusionPlan]:
    """Retrieval alone, exactly as `harmonize` does it: the top ``top_k`` targets of each source (rolled
    up onto target families when ``options.rollup``) and the fusion planned for this pair of documents.
    Sentences are encoded only when the fusion uses them. For benchmarks and quick previews."""
    opts = _checked(options, source, target)
    params = fusion or load_fusion()
    s_ctx, t_ctx = _contexts(params, (source, target), source_context, target_context)
    src = _prepare(
        source,
        encoder,
        opts.encode_kind,
        None,
        "source",
        sentences_too=params.by_sentence,
        context=s_ctx,
        headings_too=params.heading_weight > 0,
    )
    tgt = _prepare(
        target,
        encoder,
        opts.encode_kind,
        None,
        "target",
        sentences_too=params.uses_sentences,
        context=t_ctx,
        headings_too=params.heading_weight > 0,
    )
    roots = target_roots(target) if opts.rollup else None
    scorer = _Scorer(src, tgt, opts, params, background)
    return scorer.candidates(opts.top_k, roots, _groups(params, target, target_context)), scorer.plan


def _both_sides(
    source: list[Provision],
    target: list[Provision],
    encoder: Encoder,
    opts: HarmonizeOptions,
    params: FusionParams,
    model: RelationModel,
    progress: Progress | None,
    contexts: tuple[Sequence[Provision], Sequence[Provision]],
) -> tuple[_Prepared, _Prepared]:
    """Both sides encoded as `harmonize` and `relate_pairs` read them: as queries and passages when the
    relation model reads both kinds, with their headings when the fusion weighs them."""
    both, heads = _both_kinds(opts, model), params.heading_weight > 0
    src, tgt = (
        _prepare(
            side, encoder, opts.encode_kind, progress, label, context=ctx, both_kinds=both, headings_too=heads
        )
        for side, label, ctx in ((source, "source", contexts[0]), (target, "target", contexts[1]))
    )
    return src, tgt


def harmonize(
    source: list[Provision],
    target: list[Provision],
    encoder: Encoder,
    options: HarmonizeOptions | None = None,
    *,
    progress: Progress | None = None,
    model: RelationModel | None = None,
    fusion: FusionParams | None = None,
    source_context: Sequence[Provision] = (),
    target_context: Sequence[Provision] = (),
) -> HarmonizeResult:
    """Map ``source`` provisions onto ``target`` provisions (see the module docstring for the steps).

    ``source_context`` and ``target_context`` are ancestors of either side that are read for context
    only, never mapped (a framework's categories above its subcategories; see `fusion.in_context`).
    ``progress(stage, done, total)`` is called as the work advances. Raises `HarmonizationError` for
    bad inputs or options; never returns a partial result.
    """
    opts = _checked(options, source, target)
    relation_model = model or load_model()
    params = fusion or load_fusion()
    s_ctx, t_ctx = _contexts(params, (source, target), source_context, target_context)
    src, tgt = _both_sides(source, target, encoder, opts, params, relation_model, progress, (s_ctx, t_ctx))
    if progress:
        progress("retrieving", 0, 2)
    roots = target_roots(target) if opts.rollup else None
    background = relation_model.background_for(encoder.model_id)
    forward_scorer = _Scorer(src, tgt, opts, params, background)
    forward = forward_scorer.candidates(opts.top_k, roots, _groups(params, target, target_context))
    backward = _Scorer(tgt, src, opts, params, background, backward=True).candidates(opts.top_k)
    idf = _idf(src.tokens + tgt.tokens)

    pairs: list[tuple[int, int, PairEvidence]] = []
    for i in range(len(src.ids)):
        row = [c for c in range(forward.indices.shape[1]) if forward.indices[i, c] >= 0]
        row.sort(key=lambda c: (-float(forward.score[i, c]), tgt.ids[int(forward.indices[i, c])]))
        best = float(forward.score[i, row[0]]) if row else 0.0
        for rank, c in enumerate(row, 1):
            pairs.append(
                (
                    i,
                    int(forward.indices[i, c]),
                    PairEvidence(
                        float(forward.score[i, c]),
                        float(forward.dense_z[i, c]),
                        float(forward.lexical_z[i, c]),
                        rank,
                        best,
                    ),
                )
            )
    if progress:
        progress("typing", 0, len(pairs))
    typed = type_pairs(src, tgt, pairs, opts, relation_model, idf, background=background)

    mappings = [
        _mapping(src.ids[i], tgt.ids[j], ev, rel, _counterparts_only(params, ev, backward, i, j), opts)
        for (i, j, ev), (rel, params) in zip(pairs, typed)
    ]
    mappings = parts_of_counterparts(mappings, src.ids, parent_rows(source))
    root_id = {tid: tgt.ids[int(roots[j])] for j, tid in enumerate(tgt.ids)} if roots is not None else {}
    source_gaps, target_gaps = find_gaps(mappings, src.ids, tgt.ids, backward, root_id)
    themes = theme_index(source, target, mappings, root_id)
    if progress:
        progress("done", len(pairs), len(pairs))
    return HarmonizeResult(
        mappings,
        source_gaps,
        target_gaps,
        themes,
        encoder.model_id,
        encoder.dim,
        opts,
        forward_scorer.plan,
        _ranked_back(backward, tgt.ids, src.ids),
    )


def _ranked_back(backward: Candidates, target_ids: list[str], source_ids: list[str]) -> dict[str, list]:
    """Target id -> its candidate sources as (source id, fused score), best first."""
    return {
        tid: [
            (source_ids[int(k)], round(float(s), 4))
            for k, s in zip(backward.indices[j], backward.score[j])
            if int(k) >= 0
        ]
        for j, tid in enumerate(target_ids)
    }


# A source provision whose ancestor corresponds to a target in one of these ways is, itself, part of what
# corresponds to that target.
_HOLDS_ITS_PARTS = ("equal-to", "equivalent-to", "subset-of")
_RETYPED_AS_PART = ("equivalent-to", "superset-of", "intersects-with")


def parts_of_counterparts(mappings: list[Mapping], ids: list[str], parents: np.ndarray) -> list[Mapping]:
    """Type a provision mapped onto the same target as its ancestor ``subset-of`` it, when the engine
    suggests the ancestor as ``equal-to``, ``equivalent-to`` or ``subset-of`` that target.

    A subsection is mapped onto the whole section that holds its counterpart (the roll-up). If its own
    section corresponds to that section, the subsection is a part of it, whatever the type model reads
    from the two texts' lengths. ``contrary-to``, ``no-relationship``, ``equal-to`` and ``subset-of`` are
    kept. The type's confidence is the ancestor's; ``parents`` are the rows of `parent_rows` over the
    source side (document structure only)."""
    holds = {
        (m.source_id, m.target_id): m.relationship_confidence
        for m in mappings
        if m.suggested and m.relationship in _HOLDS_ITS_PARTS
    }
    if not holds:
        return mappings
    row = {pid: k for k, pid in enumerate(ids)}
    out = []
    for m in mappings:
        p_rel = None
        if m.relationship in _RETYPED_AS_PART:
            ancestor = int(parents[row[m.source_id]])
            while ancestor >= 0 and p_rel is None:
                p_rel = holds.get((ids[ancestor], m.target_id))
                ancestor = int(parents[ancestor])
        if p_rel is None:
            out.append(m)
            continue
        confidence = round(m.link_confidence * p_rel, 4)
        out.append(replace(m, relationship="subset-of", relationship_confidence=p_rel, confidence=confidence))
    return out


def _counterparts_only(
    params: dict[str, Any], ev: PairEvidence, backward: Candidates, i: int, j: int
) -> dict[str, Any]:
    """A pair's parameters are compared only when the two provisions are counterparts: the target is the
    source's best match, or the source the target's. Penalty clauses are worded alike across an act, so
    without this a fine would be compared with the fine of an unrelated offence, a runner-up match
    (stored with ``counterparts: False``, its quantities kept and no comparison made)."""
    if ev.rank == 1 or not params.get("divergences"):
        return params
    if backward.indices.shape[1] and int(backward.indices[j, 0]) == i:
        return params
    return {**params, "divergences": [], "diverging": False, "counterparts": False}


def relate_pairs(
    source: list[Provision],
    target: list[Provision],
    pairs: list[tuple[str, str]],
    encoder: Encoder,
    options: HarmonizeOptions | None = None,
    *,
    model: RelationModel | None = None,
    fusion: FusionParams | None = None,
    source_context: Sequence[Provision] = (),
    target_context: Sequence[Provision] = (),
) -> list[Mapping]:
    """Type given (source id, target id) pairs, in the same `Mapping` form as `harmonize`.

    Each pair's retrieval evidence (scores standardised over the whole target set) is computed as in
    `harmonize`; ``rank`` is the target's rank among all targets for that source. Unknown ids raise
    `HarmonizationError` E408.
    """
    opts = _checked(options, source, target)
    s_index = {p.id: i for i, p in enumerate(source)}
    t_index = {p.id: i for i, p in enumerate(target)}
    for sid, tid in pairs:
        if sid not in s_index:
            raise HarmonizationError(
                f"pair names source id {sid!r}, which is not in the source file", code="E408"
            )
        if tid not in t_index:
            raise HarmonizationError(
                f"pair names target id {tid!r}, which is not in the target file", code="E408"
            )
    params = fusion or load_fusion()
    s_ctx, t_ctx = _contexts(params, (source, target), source_context, target_context)
    relation_model = model or load_model()
    src, tgt = _both_sides(source, target, encoder, opts, params, relation_model, None, (s_ctx, t_ctx))
    idf = _idf(src.tokens + tgt.tokens)
    background = relation_model.background_for(encoder.model_id)
    scorer = _Scorer(src, tgt, opts, params, background)
    evidence = _pair_evidence(scorer, [(s_index[a], t_index[b]) for a, b in pairs])
    found = scorer.candidates(opts.top_k)
    graph = [
        (i, int(found.indices[i, c]), PairEvidence(
            float(found.score[i, c]), float(found.dense_z[i, c]), float(found.lexical_z[i, c]), c + 1,
            float(found.score[i, 0])))
        for i in range(len(src.ids)) for c in range(found.indices.shape[1]) if found.indices[i, c] >= 0
    ]  # fmt: skip
    typed = type_pairs(
        src, tgt, evidence, opts, relation_model, idf, given=True, graph=graph, background=background
    )
    return [
        _mapping(src.ids[i], tgt.ids[j], ev, rel, params, opts)
        for (i, j, ev), (rel, params) in zip(evidence, typed)
    ]


def _mapping(
    sid: str, tid: str, ev: PairEvidence, rel: Relation, params: dict[str, Any], opts: HarmonizeOptions
) -> Mapping:
    return Mapping(
        source_id=sid,
        target_id=tid,
        rank=ev.rank,
        score=ev.score,
        relationship=rel.relationship,
        rationale=rel.rationale,
        confidence=rel.confidence,
        link_confidence=rel.link_confidence,
        relationship_confidence=rel.relationship_confidence,
        suggested=rel.link_confidence >= opts.threshold and rel.relationship != "no-relationship",
        cited_source=rel.cited_source,
        cited_target=rel.cited_target,
        parameters=params,
        diverging=bool(params.get("diverging", False)),
        relation=rel,
    )


def _pair_evidence(scorer: _Scorer, pairs: list[tuple[int, int]]) -> list[tuple[int, int, PairEvidence]]:
    """Retrieval evidence of given pairs, scored as `harmonize` scores candidates, one source row at a
    time: memory O(targets), not O(pairs x targets). ``rank`` is the target's rank among all targets."""
    rows: dict[int, tuple[np.ndarray, np.ndarray, np.ndarray]] = {}
    out = []
    for i, j in pairs:
        if i not in rows:
            rows[i] = scorer.fused_row(i)
        fused, dz, lz = rows[i]
        rank = 1 + int((fused > fused[j]).sum())
        out.append(
            (i, j, PairEvidence(float(fused[j]), float(dz[j]), float(lz[j]), rank, float(fused.max())))
        )
    return out
