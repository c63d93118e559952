"""How dense and lexical evidence are combined for one pair of documents, and the fitted settings for it.

The same constant weight cannot serve every pair of documents. Two English catalogues share most of their
words, and BM25 is a strong second opinion there; English and Urdu share almost none, and any weight given
to word overlap is noise; English and Malay bills share numbers and names, which help inside one bill and
mislead across many. So the weight of word overlap is decided per run, from the documents themselves:

1. the **dense score** of a query against each target: cosine with the whole target text, blended with
   its best sentence (``sentence_weight``); for a query of several sentences against a document of
   passages (a statute's sections, `several_sentences`), with ``sentence_mean_weight`` (when set) on the
   mean of each query sentence's best answer in the target (`sentence_scores`) instead; less a share
   (``hub_weight``) of the target's *hubness* (its mean cosine to its nearest queries; CSLS), which stops
   a generic target being everyone's neighbour. Where a query and a target both have a **heading** (a
   statute's section title), the score is blended with ``heading_weight`` on the cosine of the two
   headings (`heading_blend`): two parliaments name the same offence alike when their texts differ.
   A provision is read **in context** (`in_context`): its vector is blended with its parent's (a
   framework subcategory with its category, an enhancement with its base control), with
   ``context_weight`` on the source side and ``target_context_weight`` on the target side, so that a
   short item says what it is about;
2. the **pseudo-links**: pairs that are each other's nearest neighbour by that dense score;
3. the **agreement** of BM25 with them: the mean reciprocal rank BM25 gives the pseudo-links;
4. the **lexical weight**: ``lexical_max`` scaled by where the agreement falls between ``agree_low`` and
   ``agree_high`` (0 below, ``lexical_max`` above);
5. **siblings** (`retrieve.sibling_boost`): on a target side with structure, a target gains
   ``sibling_weight`` times the mean of its two best siblings' fused scores (the members of its parent:
   the controls of one family, the subcategories of one category), because gold sets are clusters.

Nothing here reads gold links. The numbers are fitted by ``bench/harmonize.py fit`` on the development
sets (held-out measures in the provenance) and shipped in ``fusion_params.json``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import Any

import numpy as np

from .fitted import Shipped, save_params
from .lexical import BM25Index
from .retrieve import shrink_rows

PARAMS_PATH = Path(__file__).with_name("fusion_params.json")

# A target document is read as passages (a query of several sentences against it sentence by sentence, when
# ``sentence_mean_weight`` is set) when at least this share of its provisions have several sentences: a
# statute's sections (0.44 to 0.90 of them in the development bills), not a catalogue's one-line items (CSF
# subcategories: 0.03). A design constant, never fitted (docs/evaluation.md).
PASSAGE_SHARE = 0.25


@dataclass(frozen=True, slots=True)
class FusionParams:
    """The settings of `dense_scores` and of the planned lexical weight (see the module docstring)."""

    hub_weight: float = 0.5
    hub_k: int = 10
    sentence_weight: float = 0.0
    # None: every query is read whole against the targets' sentences, with ``sentence_weight``. A number:
    # a query of several sentences against a document of passages is read sentence by sentence (the mean
    # of each query sentence's best answer in each target) with this weight, the other pairs as before.
    sentence_mean_weight: float | None = None
    lexical_max: float = 0.3
    agree_low: float = 0.3
    agree_high: float = 0.8
    context_weight: float = 0.0
    target_context_weight: float = 0.0
    sibling_weight: float = 0.0
    # the share of the dense score given to the cosine of the query's heading with the target's, where
    # both have one (`heading_blend`); 0: headings are read only as part of the text
    heading_weight: float = 0.0
    provenance: dict[str, Any] = field(default_factory=dict, compare=False)

    @property
    def uses_sentences(self) -> bool:
        """Whether the dense score reads the targets' sentences at all."""
        return self.sentence_weight > 0 or bool(self.sentence_mean_weight)

    @property
    def by_sentence(self) -> bool:
        """Whether a query of several sentences is read sentence by sentence (its sentences are needed)."""
        return self.sentence_mean_weight is not None and self.uses_sentences

    def lexical_weight(self, agreement: float) -> float:
        """The weight of word overlap for a pair of documents whose BM25 agrees ``agreement`` (an MRR)."""
        if self.agree_high <= self.agree_low:
            return self.lexical_max if agreement >= self.agree_high else 0.0
        share = (agreement - self.agree_low) / (self.agree_high - self.agree_low)
        return float(self.lexical_max * min(max(share, 0.0), 1.0))

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict."""
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> FusionParams:
        """Rebuild from `to_dict` output (unknown keys are ignored)."""
        known = {f.name for f in fields(cls)}
        return cls(**{k: v for k, v in data.items() if k in known})

    def save(self, path: str | Path = PARAMS_PATH) -> None:
        """Write the parameters as JSON."""
        save_params(path, self.to_dict())


_SHIPPED = Shipped(PARAMS_PATH, FusionParams.from_dict, FusionParams)


def load_fusion(path: str | Path | None = None) -> FusionParams:
    """The shipped fitted parameters (cached), or the documented defaults when the file is absent."""
    return _SHIPPED.load(path)


def dense_scores(
    cosine: np.ndarray,
    params: FusionParams,
    *,
    best_sentence: np.ndarray | None = None,
    hub: np.ndarray | None = None,
    several: tuple[np.ndarray, np.ndarray] | None = None,
    heading: tuple[np.ndarray, np.ndarray, np.ndarray] | None = None,
) -> np.ndarray:
    """The dense score of one query (or a matrix of queries) against every target: cosine blended with
    the best sentence, then with the headings' cosine (``heading``, see `heading_blend`), less
    ``hub_weight`` times the targets' hubness (rows broadcast over targets).

    ``several``: which queries (rows) have several sentences and which targets (columns) are read as
    passages (`several_sentences`); where both are, ``best_sentence`` holds the sentence-by-sentence mean
    (`sentence_scores`), blended with ``sentence_mean_weight`` when that is set."""
    score: np.ndarray = np.asarray(cosine, dtype=np.float32)
    if best_sentence is not None and params.uses_sentences:
        weight: float | np.ndarray = params.sentence_weight
        if several is not None and params.sentence_mean_weight is not None:
            rows, cols = (np.asarray(x, dtype=bool) for x in several)
            both = np.logical_and.outer(rows, cols) if rows.ndim else rows & cols
            weight = np.where(both, params.sentence_mean_weight, params.sentence_weight).astype(np.float32)
        score = (1 - weight) * score + weight * best_sentence
    if heading is not None and params.heading_weight > 0:
        score = heading_blend(score, *heading, params.heading_weight)
    if hub is not None and params.hub_weight > 0:
        score = score - params.hub_weight * hub
    return score.astype(np.float32, copy=False)


def heading_blend(
    score: np.ndarray, cosine: np.ndarray, queries: np.ndarray, targets: np.ndarray, weight: float
) -> np.ndarray:
    """``score`` (one query's row, or a matrix of queries) blended with ``weight`` on ``cosine``, the
    cosine of each query's heading with each target's, for the pairs where both have one (``queries`` and
    ``targets``: which have a heading). Two headings' cosine runs on another scale than two texts', so
    each query's heading cosines are first moved to the mean its scores have over the same targets:
    the blend reorders the headed targets among themselves and leaves their mean, and so their place
    among the targets without a heading, where it was. Other pairs keep their score."""
    s = np.atleast_2d(np.asarray(score, dtype=np.float32))
    c = np.atleast_2d(np.asarray(cosine, dtype=np.float32))
    rows = np.atleast_1d(np.asarray(queries, dtype=bool))
    cols = np.asarray(targets, dtype=bool)
    if not rows.any() or not cols.any():
        return np.asarray(score, dtype=np.float32)
    shift = s[:, cols].mean(axis=1, keepdims=True) - c[:, cols].mean(axis=1, keepdims=True)
    both = np.logical_and.outer(rows, cols)
    out = np.where(both, (1 - weight) * s + weight * (c + shift), s).astype(np.float32)
    return out if np.ndim(score) > 1 else out[0]


def sentence_scores(
    queries: np.ndarray,
    query_sentences: Sequence[np.ndarray] | None,
    sentences: np.ndarray,
    starts: np.ndarray,
    *,
    memory_mb: float = 64.0,
) -> np.ndarray:
    """Each query against each target by the target's sentences: the cosine of the target's sentence that
    best answers the query (read whole); with ``query_sentences``, for a query of several sentences
    against a document of passages, the mean over the query's sentences of each one's best answer in the
    target.

    ``queries`` are the queries' whole vectors (as read in context); ``query_sentences[i]`` are query
    ``i``'s sentence vectors (None, as `harmonize` runs by default: every query is read whole);
    ``sentences`` are the targets' sentence vectors stacked, target ``j``'s from row ``starts[j]``. A
    target answers a short query (a framework's one-sentence subcategory) with one of its requirements;
    a statute's section asks several things, and read sentence by sentence, a target that answers one of
    them with a generic sentence ("the Minister may make regulations") does not outscore the one that
    answers them all. Whether a target document is read so is decided for the whole document
    (`several_sentences`): a catalogue of one-line items is compared whole.
    """
    best = np.maximum.reduceat(queries @ sentences.T, starts, axis=1)
    own = list(query_sentences or ())
    rows, by_sentence = several_sentences(own, starts, len(sentences))
    several = np.flatnonzero(rows).tolist()
    per_chunk = max(1, int(memory_mb * 2**20 / 4 / max(len(sentences), 1)))
    chunk: list[int] = []
    held = 0
    for n, i in enumerate(several):
        chunk.append(i)
        held += len(own[i])
        if held >= per_chunk or n == len(several) - 1:
            counts = np.array([len(own[k]) for k in chunk])
            stacked = np.vstack([own[k] for k in chunk]).astype(np.float32, copy=False)
            answers = np.maximum.reduceat(stacked @ sentences.T, starts, axis=1)
            owners = np.concatenate([[0], np.cumsum(counts)[:-1]])
            mean = np.add.reduceat(answers, owners, axis=0) / counts[:, None]
            best[chunk] = np.where(by_sentence, mean, best[chunk])
            chunk, held = [], 0
    return best


def several_sentences(
    query_sentences: Sequence[np.ndarray], starts: np.ndarray, total: int
) -> tuple[np.ndarray, np.ndarray]:
    """The pairs `sentence_scores` reads one by one: which queries (by their sentence vectors) have several
    sentences, and which targets (by the rows where their sentences start among ``total``) are read as
    passages. Those are every target of a document of passages (at least `PASSAGE_SHARE` of its targets
    have several sentences: a statute's sections) and none of a catalogue's (one-line items), so that all
    the targets in one query's list are scored the same way and their scores compare."""
    rows = np.array([len(v) > 1 for v in query_sentences], dtype=bool)
    several = np.diff(np.append(starts, total)) > 1
    return rows, np.full(len(several), len(several) > 0 and several.mean() >= PASSAGE_SHARE)


def in_context(vectors: np.ndarray, parent: np.ndarray, weight: float) -> np.ndarray:
    """Each unit vector read with its ancestors: ``c(i) = unit(v(i) + weight * c(parent(i)))``, so a
    grandparent weighs ``weight**2`` through its child. ``parent[i]`` is the row of row ``i``'s parent in
    ``vectors`` (-1 for none); a cycle is cut where it closes. Rows with no parent, and every row when
    ``weight`` is 0, come back unchanged."""
    v = np.asarray(vectors, dtype=np.float32)
    par = np.asarray(parent, dtype=np.int64)
    if weight <= 0 or len(v) == 0 or not (par >= 0).any():
        return v
    out = v.copy()
    done = par < 0
    for start in range(len(v)):
        chain: list[int] = []
        seen: set[int] = set()
        i = start
        while not done[i] and i not in seen:  # walk up to a row whose context is known, or a cycle
            seen.add(i)
            chain.append(i)
            i = int(par[i])
        for j in reversed(chain):
            p = int(par[j])
            if done[p]:  # else j closes a cycle: it is read alone
                mixed = v[j] + weight * out[p]
                norm = float(np.linalg.norm(mixed))
                out[j] = mixed / norm if norm > 0 else v[j]
            done[j] = True
    return out


def standardise(rows: np.ndarray) -> np.ndarray:
    """Each row as z-scores (a constant row becomes zeros)."""
    r = np.asarray(rows, dtype=np.float32)
    mu = r.mean(axis=-1, keepdims=True)
    sd = r.std(axis=-1, keepdims=True)
    sd[sd == 0] = 1.0
    return (r - mu) / sd


def hubness_of(cosine: np.ndarray, k: int) -> np.ndarray:
    """`retrieve.hubness` from a full (queries x targets) cosine matrix: each target's mean cosine to its
    ``k`` nearest queries."""
    c = np.asarray(cosine, dtype=np.float32)
    kk = min(k, c.shape[0])
    return np.sort(c, axis=0)[-kk:].mean(axis=0).astype(np.float32)


def hub_background(
    background: tuple[float, float] | None, params: FusionParams, hub: np.ndarray | None
) -> tuple[float, float] | None:
    """The encoder's background (mean, std) similarity moved as the dense scores are moved by the
    hubness correction, so small target sets are still standardised against a like background."""
    if background is None or hub is None:
        return background
    return background[0] - params.hub_weight * float(hub.mean()), background[1]


# --- the plan: how far word overlap agrees with meaning ------------------------------------------------


@dataclass(frozen=True, slots=True)
class LexicalAgreement:
    """How far word overlap points at the same counterparts as meaning does, for one pair of documents.

    ``pairs``: the mutual nearest neighbours by dense score (the confident pseudo-links); ``mrr``: the mean
    reciprocal rank BM25 gives those links (0 when it scores them nothing); ``shared``: the share of the
    queries' distinct words that occur among the targets' words. Both are known at run time: no gold.
    """

    pairs: int
    mrr: float
    shared: float


def mutual_neighbours(forward: np.ndarray, backward: np.ndarray) -> list[tuple[int, int]]:
    """Pairs (i, j) where j is query i's best target and i is target j's best query; inputs are the
    argmax arrays of each side (length n and m)."""
    return [(i, int(j)) for i, j in enumerate(forward.tolist()) if int(backward[j]) == i]


def pseudo_link_mrr(
    pairs: list[tuple[int, int]], lexical_row: Callable[[int], np.ndarray], *, sample: int = 400
) -> float:
    """The mean reciprocal rank BM25 (``lexical_row(i)``: query i's scores) gives the pseudo-links
    ``pairs``, over at most ``sample`` of them spread evenly; a link BM25 scores 0 counts 0."""
    if not pairs:
        return 0.0
    chosen = pairs[:: max(1, len(pairs) // sample)][:sample]
    total = 0.0
    for i, j in chosen:
        row = lexical_row(i)
        if row[j] > 0:
            total += 1.0 / (1 + int((row > row[j]).sum()))
    return total / len(chosen)


def lexical_agreement(
    pairs: list[tuple[int, int]], query_tokens: list[list[str]], lexical: BM25Index, *, sample: int = 400
) -> LexicalAgreement:
    """Score how well BM25 ranks the pseudo-links ``pairs`` (see `pseudo_link_mrr`)."""
    query_words = {t for toks in query_tokens for t in toks}
    shared = len(query_words & lexical.vocab.keys()) / max(len(query_words), 1)
    mrr = pseudo_link_mrr(pairs, lambda i: lexical.scores(query_tokens[i]), sample=sample)
    return LexicalAgreement(len(pairs), mrr, shared)


# --- whole matrices: the same scoring, for evaluation and fitting ---------------------------------------


def dense_matrix(
    cosine: np.ndarray,
    params: FusionParams,
    *,
    best_sentence: np.ndarray | None = None,
    several: tuple[np.ndarray, np.ndarray] | None = None,
    heading: tuple[np.ndarray, np.ndarray, np.ndarray] | None = None,
) -> tuple[np.ndarray, np.ndarray | None]:
    """`dense_scores` of a full (queries x targets) cosine matrix, with the hubness it subtracted."""
    hub = hubness_of(cosine, params.hub_k) if params.hub_weight > 0 and cosine.shape[0] > 1 else None
    scores = dense_scores(
        cosine, params, best_sentence=best_sentence, hub=hub, several=several, heading=heading
    )
    return scores, hub


def plan_weight(dense: np.ndarray, lexical: np.ndarray, params: FusionParams) -> tuple[float, float, int]:
    """The lexical weight `harmonize` would plan from full (queries x targets) dense and BM25 matrices:
    (weight, agreement, pseudo-links)."""
    pairs = mutual_neighbours(dense.argmax(axis=1), dense.argmax(axis=0))
    mrr = pseudo_link_mrr(pairs, lexical.__getitem__)
    return params.lexical_weight(mrr), mrr, len(pairs)


def fuse(
    dense: np.ndarray, lexical: np.ndarray, weight: float, background: tuple[float, float] | None = None
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Rows of dense scores and raw BM25 scores (over every target) standardised and fused with
    ``weight`` on BM25: (fused, dense z, lexical z). With ``background``, each dense row's statistics are
    pooled with it (`retrieve.shrink_rows`), which steadies small target sets."""
    mu = dense.mean(axis=-1, keepdims=True)
    sd = dense.std(axis=-1, keepdims=True)
    sd[sd == 0] = 1.0
    if background is not None:
        mu, sd = shrink_rows(mu, sd, dense.shape[-1], background)
    dz = (dense - mu) / sd
    lz = standardise(lexical)
    return (1 - weight) * dz + weight * lz, dz, lz


def fused_matrix(
    cosine: np.ndarray,
    lexical: np.ndarray,
    params: FusionParams,
    *,
    best_sentence: np.ndarray | None = None,
    background: tuple[float, float] | None = None,
    lexical_weight: float | None = None,
) -> tuple[np.ndarray, float]:
    """The fused score of every (query, target) pair as `harmonize` ranks them, from full matrices of
    cosine, best-sentence cosine and raw BM25 scores; and the lexical weight used. For evaluation and
    fitting on sets small enough to hold whole (the engine itself works a block of queries at a time)."""
    dense, hub = dense_matrix(cosine, params, best_sentence=best_sentence)
    weight = lexical_weight if lexical_weight is not None else plan_weight(dense, lexical, params)[0]
    return fuse(dense, lexical, weight, hub_background(background, params, hub))[0], weight
