"""Relationship typing of provision pairs in the OSCAL 1.2 / NIST IR 8477 vocabulary, with citations.

A relationship reads *source relative to target*: ``subset-of`` means the source's requirements are a
part of the target's. For each pair this module finds:

- the **cited sentences**: the sentence pairs (char offsets and text on both sides) that support it;
- **features**: whole-text and sentence-level similarity, how much of each side the other covers (by
  meaning, as the weighted mean of each sentence's best counterpart and as the share of sentences with a
  counterpart near the pair's best match; by words, idf-weighted and plain), their lengths and
  specificity (mean idf), scope cues ("all", "any", "setiap") and detail cues (numbers, frequencies,
  "including", "sekurang-kurangnya"), and how many counterparts each side has among the engine's own
  candidates; and, for models that read them, each side read as a query against the other read as a
  passage (`query_passage`);
- the **relationship**: ``equal-to`` when the texts are the same up to case, spacing and punctuation;
  ``contrary-to`` when the best-matching sentences agree in topic but one forbids what the other requires
  or allows; otherwise a type model chooses among ``equivalent-to``, ``subset-of`` and ``superset-of``
  (a multinomial `LogisticModel`, or the selectable `OrdinalModel` that orders the three on one signed
  "which side is wider" score), in one stage or in two (`choose_type`), and ``intersects-with`` is used
  when neither side covers most of the other or when the chosen type is too uncertain;
- **confidence**: ``link_confidence`` = P(the pair corresponds), a logistic (Platt) calibration of the
  retrieval evidence; ``relationship_confidence`` = P(the type | a correspondence); ``confidence`` is their
  product, the probability that the mapping as stated is right.

The models' parameters live in ``relate_params.json`` with their provenance; ``bench/harmonize.py fit``
refits them from the development sets. `LogisticModel` is the small numpy learner used for both;
``types`` may also be an `OrdinalModel` (marked ``"kind": "ordinal"`` in the file) or the shipped
`BlendModel` (``"kind": "blend"``), which averages the logistic and ordinal models' probabilities.
"""

from __future__ import annotations

import functools
import math
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from .fitted import Shipped, save_params
from .lexical import normalise

RELATIONSHIPS = (
    "equal-to", "equivalent-to", "subset-of", "superset-of", "intersects-with", "contrary-to",
    "no-relationship",
)  # fmt: skip
TYPED_CLASSES = ("equivalent-to", "subset-of", "superset-of")
RATIONALES = ("syntactic", "semantic", "functional")
# How a relationship mirrors when source and target swap.
MIRROR = {"subset-of": "superset-of", "superset-of": "subset-of"}

FEATURES = (
    "cos", "dense_z", "lexical_z", "cover_src", "cover_tgt", "cover_diff", "words_src", "words_tgt",
    "words_diff", "log_len_ratio", "log_sent_ratio", "log_deg_src", "log_deg_tgt", "deg_diff", "rel_src",
    "rel_tgt", "rel_diff", "mutual", "log_rank_src", "log_rank_tgt", "rank_diff", "log_crowd_src",
    "log_crowd_tgt", "crowd_diff", "log_chosen_src", "log_chosen_tgt", "chosen_diff",
    "share_src", "share_tgt", "share_diff", "lead_src", "lead_tgt", "lead_diff", "terms_src", "terms_tgt",
    "terms_diff", "log_word_ratio", "spec_src", "spec_tgt", "spec_diff", "scope_src", "scope_tgt",
    "scope_diff", "detail_src", "detail_tgt", "detail_diff",
    "limit_src", "limit_tgt", "limit_diff", "enum_src", "enum_tgt", "enum_diff", "duty_src", "duty_tgt",
    "duty_diff", "qp_src", "qp_tgt", "qp_diff",
)  # fmt: skip
# Query/passage asymmetry (E5 reads "query: " -> "passage: " as relevance, so a narrow side read as a
# query should match the wider side read as a passage better than the reverse): cos(query(source),
# passage(target)), cos(query(target), passage(source)) and their difference. Read only by the feature
# sets that name them (tried, not shipped: docs/evaluation.md); they need each provision encoded twice.
QUERY_PASSAGE_FEATURES = ("qp_src", "qp_tgt", "qp_diff")
# Scope cues added later (limiting words, enumerated items, obligations), read only by the feature sets
# that name them: the ordinal model's signed and band features leave them out, as when it was measured.
CUE_FEATURES = (
    "limit_src", "limit_tgt", "limit_diff", "enum_src", "enum_tgt", "enum_diff", "duty_src", "duty_tgt",
    "duty_diff",
)  # fmt: skip
# Features that change sign (diff) or swap partner (pairs) when source and target swap.
_SWAP_PAIRS = (
    ("cover_src", "cover_tgt"), ("words_src", "words_tgt"), ("log_deg_src", "log_deg_tgt"),
    ("rel_src", "rel_tgt"), ("log_rank_src", "log_rank_tgt"), ("log_crowd_src", "log_crowd_tgt"),
    ("log_chosen_src", "log_chosen_tgt"), ("share_src", "share_tgt"), ("lead_src", "lead_tgt"),
    ("terms_src", "terms_tgt"), ("spec_src", "spec_tgt"), ("scope_src", "scope_tgt"),
    ("detail_src", "detail_tgt"), ("limit_src", "limit_tgt"), ("enum_src", "enum_tgt"),
    ("duty_src", "duty_tgt"), ("qp_src", "qp_tgt"),
)  # fmt: skip
_SWAP_NEGATE = (
    "cover_diff", "words_diff", "log_len_ratio", "log_sent_ratio", "deg_diff", "rel_diff", "rank_diff",
    "crowd_diff", "chosen_diff", "share_diff", "lead_diff", "terms_diff", "log_word_ratio", "spec_diff",
    "scope_diff", "detail_diff", "limit_diff", "enum_diff", "duty_diff", "qp_diff",
)  # fmt: skip
LINK_FEATURES = ("score", "cos", "dense_z", "lexical_z", "log_rank", "margin", "cover_src", "cover_tgt")

PARAMS_PATH = Path(__file__).with_name("relate_params.json")


# --- sentences ---------------------------------------------------------------------------------------

_BREAK_CANDIDATE = re.compile(r"[.;:!?۔؟]+[\"'”’)]*\s+|\s*\n\s*")
_ENUMERATOR = re.compile(
    r"(?:\(?[0-9]{1,3}[a-z]?\)?|\(?[a-z]{1,2}\)?|\(?[ivxl]{1,5}\)?|no|art|sec|s|ss|cf|e\.g|i\.e)\.?$", re.I
)


@dataclass(frozen=True, slots=True)
class Span:
    """A sentence of a provision: character offsets into the provision's text and the sentence itself."""

    start: int
    end: int
    text: str

    def to_dict(self) -> dict[str, Any]:
        return {"start": self.start, "end": self.end, "text": self.text}


def split_sentences(text: str, *, min_chars: int = 12) -> list[Span]:
    """Split ``text`` into sentences and list items with their character offsets.

    A sentence ends at ``. ! ?`` (and the Urdu ``۔ ؟``) before whitespace, at ``; :`` outside brackets,
    or at a line break; never right after an enumerator or abbreviation (``a.``, ``(ii)``, ``No.``).
    Scraps shorter than ``min_chars`` join the following sentence (a heading or a list marker).
    """
    breaks: list[tuple[int, int]] = []
    for match in _BREAK_CANDIDATE.finditer(text):
        head = text[: match.start() + 1]
        mark = text[match.start()] if match.group().strip() else "\n"
        if mark in ";:" and head.count("[") + head.count("(") > head.count("]") + head.count(")"):
            continue
        if mark not in ";:\n":
            last_word = head[:-1].rsplit(None, 1)[-1] if head[:-1].split() else ""
            if _ENUMERATOR.fullmatch(last_word + ".") or _ENUMERATOR.fullmatch(last_word):
                continue
        breaks.append((match.start() + len(match.group().rstrip()), match.end()))
    pieces: list[tuple[int, int]] = []
    pos = 0
    for end, restart in [*breaks, (len(text), len(text))]:
        if end > pos:
            pieces.append((pos, end))
        pos = max(pos, restart)
    spans: list[Span] = []
    pending: int | None = None
    for start, end in pieces:
        chunk = text[start:end]
        lead = len(chunk) - len(chunk.lstrip())
        start, end = start + lead, start + len(chunk.rstrip())
        if end <= start:
            continue
        if pending is not None:
            start, pending = pending, None
        if end - start < min_chars:
            pending = start
            continue
        spans.append(Span(start, end, text[start:end]))
    if pending is not None:
        if spans:
            last = spans.pop()
            spans.append(Span(last.start, len(text.rstrip()), text[last.start : len(text.rstrip())]))
        else:
            spans.append(Span(pending, len(text.rstrip()), text[pending : len(text.rstrip())]))
    return spans or [Span(0, len(text), text)]


# --- polarity: the cue for contrary-to --------------------------------------------------------------

# A negation counts only where it governs the obligation or permission itself ("shall not", "cannot",
# "tidak boleh", "hendaklah tidak", "no person shall"), or in a word that forbids. A negation elsewhere
# in the sentence is part of what is described, and languages place those differently: Malay writes
# "tidak tepat", "tidak mematuhi", "tidak hadir" where English writes "inaccurate", "fails to comply",
# "absence", so counting them made translations read as contrary.
_PROHIBITION = re.compile(
    r"\b(?:shall|must|may|will|should|can|could|need)\s+(?:not|never)\b|\bcannot\b|\bunable\b"
    r"|n't\b|\bno\s+(?:person|one|body|individual|entity)\s+(?:shall|may|must|can)\b"
    r"|\bneither\b[^.;:]{0,60}\bnor\b"
    r"|\b(?:prohibited|prohibits?|forbidden|forbids?)\b"
    r"|\btidak\s+(?:boleh|dibenarkan|dikehendaki|harus|perlu|wajib|mesti|berhak|dapat)\b"
    r"|\b(?:hendaklah|boleh|mesti|wajib)\s+tidak\b|\btiada\s+(?:seorang|sesiapa|mana-mana)\b"
    r"|\b(?:jangan|dilarang|ditegah|larangan)\b"
    r"|ممنوع",
    re.IGNORECASE,
)
_URDU_NEGATION = re.compile(r"نہیں|(?<!\S)نہ(?!\S)|(?<!\S)مت(?!\S)")
_MODAL = re.compile(
    r"\b(shall|must|may|required|permitted|allowed|entitled|hendaklah|boleh|dibenarkan|wajib|dikehendaki|"
    r"mesti|berhak)\b|لازم|گا|گی|گے|سکتا|سکتی|سکتے|اجازت|ممنوع",
    re.IGNORECASE,
)


# Negations that bound a quantity or hedge a condition ("a fine not exceeding", "denda tidak melebihi",
# "whether or not") say nothing about whether the provision requires or forbids: they are removed first,
# or every penalty clause would read as a prohibition.
_BOUNDING = re.compile(
    r"\b(?:not|no)\s+(?:exceeding|exceed|more|less|later|earlier|fewer|greater|longer|shorter|below|above)\b"
    r"|\bwhether\s+or\s+not\b|\bif\s+not\b|\bor\s+not\b"
    r"|\btidak\s+(?:melebihi|lebih|kurang|lewat|awal|terhad)\b|\batau\s+tidak\b"
    r"|سے\s+(?:زیادہ|زائد|کم)\s+(?:نہ|نہیں)|یا\s+نہیں",
    re.IGNORECASE,
)


def polarity(sentence: str) -> int:
    """+1 if the sentence requires or allows, -1 if it forbids or waives (a negated modal or a word that
    forbids, in English, Malay or Urdu), 0 if it states no obligation or permission at all. Negations
    that only bound a quantity ("not exceeding") or hedge ("whether or not"), or that describe rather
    than forbid ("not up to date", "tidak tepat"), are not counted. Urdu puts the negation before the
    verb and the modal after it, so there a negation anywhere in a sentence with a modal counts."""
    sentence = _BOUNDING.sub(" ", sentence)
    if _PROHIBITION.search(sentence):
        return -1
    if not _MODAL.search(sentence):
        return 0
    return -1 if _URDU_NEGATION.search(sentence) else 1


# --- a small logistic learner ------------------------------------------------------------------------


@dataclass
class LogisticModel:
    """Multinomial (or binary, with two classes) logistic regression on standardised features.

    Fitted by full-batch gradient descent with L2 regularisation; small, deterministic, numpy only.
    """

    classes: list[str]
    features: list[str]
    mean: list[float]
    std: list[float]
    weights: list[list[float]]  # (classes, features)
    bias: list[float]
    meta: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def fit(
        cls,
        x: np.ndarray,
        y: list[str],
        classes: list[str],
        features: list[str],
        *,
        l2: float = 1.0,
        sample_weight: np.ndarray | None = None,
        iterations: int = 3000,
        lr: float = 0.5,
    ) -> LogisticModel:
        """Fit on rows ``x`` (n, f) with labels ``y`` drawn from ``classes``."""
        x = np.asarray(x, dtype=np.float64)
        mean = x.mean(axis=0)
        std = x.std(axis=0)
        std[std < 1e-9] = 1.0
        z = (x - mean) / std
        n, f = z.shape
        c = len(classes)
        target = np.zeros((n, c))
        target[np.arange(n), [classes.index(label) for label in y]] = 1.0
        sw = np.ones(n) if sample_weight is None else np.asarray(sample_weight, dtype=np.float64)
        sw = sw / sw.sum()
        w = np.zeros((c, f))
        b = np.zeros(c)
        for _ in range(iterations):
            p = _softmax(z @ w.T + b)
            g = (p - target) * sw[:, None]
            w -= lr * (g.T @ z + l2 * w / n)
            b -= lr * g.sum(axis=0)
        return cls(list(classes), list(features), mean.tolist(), std.tolist(), w.tolist(), b.tolist())

    def predict_proba(self, x: np.ndarray) -> np.ndarray:
        """Class probabilities, (n, classes)."""
        z = (np.asarray(x, dtype=np.float64) - np.array(self.mean)) / np.array(self.std)
        return _softmax(z @ np.array(self.weights).T + np.array(self.bias))

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict (see `from_dict`)."""
        return {
            "classes": self.classes,
            "features": self.features,
            "mean": self.mean,
            "std": self.std,
            "weights": self.weights,
            "bias": self.bias,
            "meta": self.meta,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> LogisticModel:
        """Rebuild a model saved by `to_dict`."""
        return cls(
            data["classes"],
            data["features"],
            data["mean"],
            data["std"],
            data["weights"],
            data["bias"],
            data.get("meta", {}),
        )


def _softmax(a: np.ndarray) -> np.ndarray:
    a = a - a.max(axis=1, keepdims=True)
    e = np.exp(a)
    return e / e.sum(axis=1, keepdims=True)


def _sigmoid(a: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-np.clip(a, -40.0, 40.0)))


@dataclass
class OrdinalFit:
    """What `fit_ordinal` learns: the scales of the signed (``sa``) and band (``ms``, ``ss``) columns, their
    weights ``w`` and ``v``, and the band's intercept ``a``."""

    sa: np.ndarray
    ms: np.ndarray
    ss: np.ndarray
    w: np.ndarray
    v: np.ndarray
    a: float


def fit_ordinal(
    xa: np.ndarray,
    xs: np.ndarray,
    labels: np.ndarray,
    sw: np.ndarray,
    *,
    l2: float,
    iterations: int = 3000,
    lr: float = 0.3,
) -> OrdinalFit:
    """Fit the ordinal model's score ``s = (xa / sa) @ w`` and band ``t = exp(a + (xs - ms) / ss @ v)`` by
    gradient descent on the weighted (``sw``, summing to 1) negative log-likelihood of ``labels`` (0
    equivalent, 1 subset, 2 superset), with an L2 penalty ``l2``. Shared by `OrdinalModel.fit` and the
    benchmark that measured it."""
    sa = np.sqrt((xa**2).mean(axis=0))  # scaled, not centred: the score stays odd under a swap
    sa[sa < 1e-9] = 1.0
    ms, ss = xs.mean(axis=0), xs.std(axis=0)
    ss[ss < 1e-9] = 1.0
    za, zs = xa / sa, (xs - ms) / ss
    n = len(labels)
    w, v, a = np.zeros(za.shape[1]), np.zeros(zs.shape[1]), 0.0
    for _ in range(iterations):
        s = za @ w
        t = np.exp(np.clip(a + zs @ v, -10, 10))
        s1, s2 = _sigmoid(-t - s), _sigmoid(t - s)
        p_eq = np.maximum(s2 - s1, 1e-9)
        # gradients of -log p with respect to u1 = -t - s and u2 = t - s
        g1 = np.where(labels == 1, -(1 - s1), np.where(labels == 0, s1 * (1 - s1) / p_eq, 0.0))
        g2 = np.where(labels == 2, s2, np.where(labels == 0, -s2 * (1 - s2) / p_eq, 0.0))
        gs, gt = -(g1 + g2) * sw, (g2 - g1) * sw * t
        w -= lr * (za.T @ gs + l2 * w / n)
        v -= lr * (zs.T @ gt + l2 * v / n)
        a -= lr * float(gt.sum())
    return OrdinalFit(sa, ms, ss, w, v, a)


# The ordinal type model's inputs: the signed features (odd when the sides swap; ``rel_diff`` is left out
# as in the benchmark that measured it) and the swap-invariant ones that set the equivalence band.
_LATER = CUE_FEATURES + QUERY_PASSAGE_FEATURES  # features added after the ordinal model was measured
ORDINAL_SIGNED = tuple(f for f in FEATURES if f in _SWAP_NEGATE and f != "rel_diff" and f not in _LATER)
ORDINAL_BAND = ("cos", "dense_z", "mutual") + tuple(f"{a}+{b}" for a, b in _SWAP_PAIRS if a not in _LATER)


@dataclass
class OrdinalModel:
    """The three types as an order on one score: ``subset-of`` < ``equivalent-to`` < ``superset-of``.

    ``s = w . (signed features / scale)`` says which side is wider (positive: the source); it changes
    sign when the sides swap, because every signed feature does and nothing is added to it. The
    equivalence band ``t = band_scale * exp(a + v . standardised band features)`` comes from features
    that do not change under a swap (similarity, mutual best counterparts, the sums of each side's
    coverage, ...). Then P(subset-of) = sigmoid(-t - s), P(superset-of) = sigmoid(s - t), and
    P(equivalent-to) is the rest, so swapping the sides swaps the subset and superset probabilities
    exactly. A band feature named ``"a+b"`` is the sum of features ``a`` and ``b``.

    It offers the interface `relate` reads from `LogisticModel`: ``classes``, ``features`` (the columns
    of the rows it is given) and `predict_proba`. Fitted by full-batch gradient descent with L2.
    """

    signed: list[str]
    band: list[str]
    scale: list[float]  # root mean square of each signed feature (scaled, not centred: s stays odd)
    weights: list[float]
    band_mean: list[float]
    band_std: list[float]
    band_weights: list[float]
    band_bias: float
    band_scale: float = 1.0
    prior: dict[str, float] = field(default_factory=dict)  # weighted share of each type when fitted
    meta: dict[str, Any] = field(default_factory=dict)
    classes: list[str] = field(default_factory=lambda: list(TYPED_CLASSES))

    @property
    def features(self) -> list[str]:
        """The run-time features the model reads, in the order of the rows `predict_proba` takes."""
        names = list(self.signed)
        for term in self.band:
            for part in term.split("+"):
                if part not in names:
                    names.append(part)
        return names

    def _design(self, x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        x = np.atleast_2d(np.asarray(x, dtype=np.float64))
        col = {name: i for i, name in enumerate(self.features)}
        signed = x[:, [col[f] for f in self.signed]]
        band = np.zeros((x.shape[0], len(self.band)))
        for k, term in enumerate(self.band):
            for part in term.split("+"):
                band[:, k] += x[:, col[part]]
        return signed, band

    def scores(self, x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """The signed score ``s`` and the band ``t`` of rows ``x`` (columns as `features`)."""
        signed, band = self._design(x)
        s = (signed / np.array(self.scale)) @ np.array(self.weights)
        z = (band - np.array(self.band_mean)) / np.array(self.band_std)
        t = self.band_scale * np.exp(np.clip(self.band_bias + z @ np.array(self.band_weights), -10, 10))
        return s, t

    def predict_proba(self, x: np.ndarray) -> np.ndarray:
        """Type probabilities, (n, 3), columns in the order of ``classes``."""
        s, t = self.scores(x)
        p_sub, below_super = _sigmoid(-t - s), _sigmoid(t - s)
        by_type = {
            "equivalent-to": np.maximum(below_super - p_sub, 0.0),
            "subset-of": p_sub,
            "superset-of": 1.0 - below_super,
        }
        return np.stack([by_type[c] for c in self.classes], axis=1)

    @classmethod
    def fit(
        cls,
        x: np.ndarray,
        y: list[str],
        *,
        signed: tuple[str, ...] | list[str] = ORDINAL_SIGNED,
        band: tuple[str, ...] | list[str] = ORDINAL_BAND,
        l2: float = 10.0,
        sample_weight: np.ndarray | None = None,
        iterations: int = 3000,
        lr: float = 0.3,
    ) -> OrdinalModel:
        """Fit on rows ``x`` whose columns are the model's `features` (build them with an unfitted
        model's ``features``, see `ordinal_columns`), labels ``y`` among `TYPED_CLASSES`."""
        if not len(y):
            raise ValueError("the ordinal type model needs at least one labelled pair")
        unknown = sorted(set(y) - set(TYPED_CLASSES))
        if unknown:
            raise ValueError(f"the ordinal type model cannot learn the types {unknown}")
        shell = cls(list(signed), list(band), [1.0] * len(signed), [0.0] * len(signed), [], [], [], 0.0)
        order = {"equivalent-to": 0, "subset-of": 1, "superset-of": 2}
        labels = np.array([order[label] for label in y])
        sw = np.ones(len(labels)) if sample_weight is None else np.asarray(sample_weight, dtype=np.float64)
        sw = sw / sw.sum()
        fit = fit_ordinal(*shell._design(x), labels, sw, l2=l2, iterations=iterations, lr=lr)
        prior = {c: float(sw[labels == k].sum()) for c, k in order.items()}
        prior["subset-of"] = prior["superset-of"] = (prior["subset-of"] + prior["superset-of"]) / 2
        return cls(
            list(signed), list(band), fit.sa.tolist(), fit.w.tolist(), fit.ms.tolist(), fit.ss.tolist(),
            fit.v.tolist(), float(fit.a), 1.0, prior,
        )  # fmt: skip

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict, marked ``"kind": "ordinal"`` (see `types_from_dict`)."""
        return {
            "kind": "ordinal",
            "classes": self.classes,
            "signed": self.signed,
            "band": self.band,
            "scale": self.scale,
            "weights": self.weights,
            "band_mean": self.band_mean,
            "band_std": self.band_std,
            "band_weights": self.band_weights,
            "band_bias": self.band_bias,
            "band_scale": self.band_scale,
            "prior": self.prior,
            "meta": self.meta,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> OrdinalModel:
        """Rebuild a model saved by `to_dict`."""
        return cls(
            list(data["signed"]),
            list(data["band"]),
            list(data["scale"]),
            list(data["weights"]),
            list(data["band_mean"]),
            list(data["band_std"]),
            list(data["band_weights"]),
            float(data["band_bias"]),
            float(data.get("band_scale", 1.0)),
            dict(data.get("prior", {})),
            dict(data.get("meta", {})),
            list(data.get("classes", TYPED_CLASSES)),
        )


@dataclass
class BlendModel:
    """The average of the logistic and the ordinal models' type probabilities:
    ``P = (1 - mix) * P_logistic + mix * P_ordinal``. The two read different evidence well (the
    logistic model every feature by class, the ordinal one a single signed "which side is wider" score
    with an equivalence band), so their errors differ. ``mix`` is chosen with the rest of the decision.
    It offers the interface of `LogisticModel` (``classes``, ``features``, `predict_proba`)."""

    logistic: LogisticModel
    ordinal: OrdinalModel
    mix: float = 0.5
    meta: dict[str, Any] = field(default_factory=dict)
    classes: list[str] = field(default_factory=lambda: list(TYPED_CLASSES))

    @property
    def features(self) -> list[str]:
        """The run-time features either model reads, in the order of the rows `predict_proba` takes."""
        names = list(self.logistic.features)
        names += [f for f in self.ordinal.features if f not in names]
        return names

    def predict_proba(self, x: np.ndarray) -> np.ndarray:
        """Type probabilities, (n, 3), columns in the order of ``classes``."""
        x = np.atleast_2d(np.asarray(x, dtype=np.float64))
        col = {name: i for i, name in enumerate(self.features)}
        parts = []
        for model in (self.logistic, self.ordinal):
            p = model.predict_proba(x[:, [col[f] for f in model.features]])
            parts.append(p[:, [model.classes.index(c) for c in self.classes]])
        return (1.0 - self.mix) * parts[0] + self.mix * parts[1]

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict, marked ``"kind": "blend"`` (see `types_from_dict`)."""
        return {
            "kind": "blend",
            "classes": self.classes,
            "logistic": self.logistic.to_dict(),
            "ordinal": self.ordinal.to_dict(),
            "mix": self.mix,
            "meta": self.meta,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> BlendModel:
        """Rebuild a model saved by `to_dict`."""
        return cls(
            LogisticModel.from_dict(data["logistic"]),
            OrdinalModel.from_dict(data["ordinal"]),
            float(data.get("mix", 0.5)),
            dict(data.get("meta", {})),
            list(data.get("classes", TYPED_CLASSES)),
        )


TypeModel = LogisticModel | OrdinalModel | BlendModel
TYPE_LEARNERS = ("logistic", "ordinal", "blend")


def ordinal_columns(
    signed: tuple[str, ...] | list[str] = ORDINAL_SIGNED, band: tuple[str, ...] | list[str] = ORDINAL_BAND
) -> list[str]:
    """The columns `OrdinalModel.fit` expects for these signed and band features."""
    return OrdinalModel(list(signed), list(band), [], [], [], [], [], 0.0).features


def types_from_dict(data: dict[str, Any]) -> TypeModel:
    """The type model saved in ``data``: an `OrdinalModel` if marked so, else a `LogisticModel` (the only
    kind parameters written before the ordinal learner existed hold)."""
    kind = data.get("kind", "logistic")
    if kind == "ordinal":
        return OrdinalModel.from_dict(data)
    if kind == "blend":
        return BlendModel.from_dict(data)
    if kind == "logistic":
        return LogisticModel.from_dict(data)
    raise ValueError(f"unknown type model kind {kind!r} in the relation parameters")


def swap_features(x: np.ndarray) -> np.ndarray:
    """The features of the same pairs read the other way round (target relative to source)."""
    out = np.array(x, dtype=np.float64, copy=True)
    idx = {name: i for i, name in enumerate(FEATURES)}
    for a, b in _SWAP_PAIRS:
        out[:, [idx[a], idx[b]]] = out[:, [idx[b], idx[a]]]
    for name in _SWAP_NEGATE:
        out[:, idx[name]] *= -1
    return out


# --- the relation model --------------------------------------------------------------------------------


@dataclass
class RelationModel:
    """The fitted pieces of relationship typing: the type classifier, the link calibrator, thresholds.

    ``types`` is either learner (`LogisticModel` or `OrdinalModel`); both give P(type) per pair.

    ``class_bias`` multiplies the type probabilities before the arg-max (a balanced decision rule for
    imbalanced classes); the reported probability is the unweighted one. ``intersect_below``: when
    neither side's sentences are covered by the other above it, the pair ``intersects-with``.
    ``one_to_one``: a pair that is not each other's best counterpart is never ``equivalent-to`` (whether
    this rule helps is chosen with the rest of the decision by the benchmark's inner cross-validation).
    ``equivalent_at``: when set, the decision is made in two stages (`choose_type`).
    """

    types: TypeModel
    link: LogisticModel
    class_bias: dict[str, float]
    intersect_below: float = 0.80
    contrary_min_similarity: float = 0.80
    no_relationship_below: float = 0.05
    provenance: dict[str, Any] = field(default_factory=dict)
    background: dict[str, list[float]] = field(default_factory=dict)  # model id -> [mean, std] of similarity
    abstain_below: float = 0.0  # a type less probable than this becomes intersects-with
    one_to_one: bool = True
    equivalent_at: float | None = None  # the two-stage decision's threshold (see `choose_type`); None: off

    def background_for(self, model_id: str) -> tuple[float, float] | None:
        """The encoder's background similarity (mean, std) between unrelated provisions, if fitted."""
        found = self.background.get(model_id)
        return (float(found[0]), float(found[1])) if found else None

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict (see `load_model`)."""
        return {
            "types": self.types.to_dict(),
            "link": self.link.to_dict(),
            "class_bias": self.class_bias,
            "intersect_below": self.intersect_below,
            "contrary_min_similarity": self.contrary_min_similarity,
            "no_relationship_below": self.no_relationship_below,
            "provenance": self.provenance,
            "background": self.background,
            "abstain_below": self.abstain_below,
            "one_to_one": self.one_to_one,
            "equivalent_at": self.equivalent_at,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> RelationModel:
        """Rebuild a model saved by `to_dict`."""
        return cls(
            types_from_dict(data["types"]),
            LogisticModel.from_dict(data["link"]),
            data["class_bias"],
            data.get("intersect_below", 0.80),
            data.get("contrary_min_similarity", 0.80),
            data.get("no_relationship_below", 0.05),
            data.get("provenance", {}),
            data.get("background", {}),
            data.get("abstain_below", 0.0),
            data.get("one_to_one", True),
            data.get("equivalent_at"),
        )

    def save(self, path: str | Path = PARAMS_PATH) -> None:
        """Write the model as JSON."""
        save_params(path, self.to_dict())


def default_model() -> RelationModel:
    """Hand-set weights used when no fitted parameters exist: more coverage of the source than of the
    target means the source is the narrower side (subset-of); link confidence rises with the score."""
    names = [name for name in FEATURES if name not in QUERY_PASSAGE_FEATURES]  # they cost a second encode
    f = len(names)
    idx = {name: i for i, name in enumerate(names)}
    w = np.zeros((3, f))
    w[1, idx["cover_diff"]] = 8.0
    w[2, idx["cover_diff"]] = -8.0
    w[1, idx["log_len_ratio"]] = -1.0
    w[2, idx["log_len_ratio"]] = 1.0
    types = LogisticModel(list(TYPED_CLASSES), names, [0.0] * f, [1.0] * f, w.tolist(), [0.3, 0.0, 0.0])
    lw = [[0.0] * len(LINK_FEATURES), [1.2, 2.0, 0, 0, -0.5, 1.0, 0, 0]]
    link = LogisticModel(
        ["no", "yes"],
        list(LINK_FEATURES),
        [0.0] * len(LINK_FEATURES),
        [1.0] * len(LINK_FEATURES),
        lw,
        [0.0, -3.5],
    )
    return RelationModel(
        types, link, {c: 1.0 for c in TYPED_CLASSES}, provenance={"source": "hand-set defaults"}
    )


_SHIPPED = Shipped(PARAMS_PATH, RelationModel.from_dict, default_model)


def load_model(path: str | Path | None = None) -> RelationModel:
    """The fitted model from ``relate_params.json`` (cached), or `default_model` when it is absent."""
    return _SHIPPED.load(path)


# --- pair evidence and the decision ---------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Side:
    """What relate needs to know about one provision."""

    text: str
    vector: np.ndarray
    sentences: list[Span]
    sentence_vectors: np.ndarray
    tokens: frozenset[str]
    language: str | None = None
    # the provision encoded as a query and as a passage, for the query/passage features (None: not
    # encoded both ways; those features then read the plain cosine both ways, no asymmetry)
    query_vector: np.ndarray | None = None
    passage_vector: np.ndarray | None = None


@dataclass(frozen=True, slots=True)
class PairEvidence:
    """Retrieval evidence for one pair: fused ``score``, standardised dense and lexical scores, the
    pair's rank among the source's candidates (1 = best), the best fused score of that source, and how
    many counterparts each side is expected to have among the engine's candidates (the sum of their link
    probabilities), how much more similar this pair is than the source's (``relative_source``) and the
    target's (``relative_target``) best other candidate, and whether each is the other's best candidate
    (``mutual``), and by cosine the target's rank among all targets for the source (``rank_by_source``)
    and the source's among all sources for the target (``rank_by_target``), and how many targets come
    within half a standard deviation of the source's best (``crowd_source``) and sources of the target's
    best (``crowd_target``), and how many targets have the source among their three nearest
    (``chosen_source``) and sources the target (``chosen_target``): when many sources crowd round one
    target, each is likely narrower than it. All of it is known at run time; none of it comes
    from gold or given pairs."""

    score: float
    dense_z: float
    lexical_z: float
    rank: int = 1
    best_score: float | None = None
    degree_source: float = 1.0
    degree_target: float = 1.0
    relative_source: float = 0.0
    relative_target: float = 0.0
    mutual: bool = False
    rank_by_source: int = 1
    rank_by_target: int = 1
    crowd_source: int = 1
    crowd_target: int = 1
    chosen_source: int = 0
    chosen_target: int = 0


@dataclass
class Relation:
    """The typed, cited relationship of a source provision relative to a target provision."""

    relationship: str
    rationale: str
    confidence: float
    link_confidence: float
    relationship_confidence: float
    score: float
    cited_source: list[Span]
    cited_target: list[Span]
    similarity: float
    features: dict[str, float] = field(default_factory=dict)
    link_features: dict[str, float] = field(default_factory=dict)
    probabilities: dict[str, float] = field(default_factory=dict)


def _weighted_words(tokens: frozenset[str], idf: dict[str, float]) -> float:
    # fsum is exact, so the result does not depend on the set's iteration order, which changes with
    # each process's string hashing (a plain sum moved these features by 1e-16 from run to run)
    return math.fsum(idf.get(t, 1.0) for t in tokens)


# Scope and detail cues: a provision that speaks of all or any of a thing reads wider; one that names
# numbers, frequencies, examples or minimums reads narrower (English, Malay, Urdu).
_SCOPE = re.compile(
    r"\b(all|any|every|each|overall|generally|general|entire|semua|setiap|seluruh|mana-mana|segala|umum)\b"
    r"|(?<!\S)(تمام|ہر|کوئی|کسی|سب)(?!\S)",
    re.IGNORECASE,
)
_DETAIL = re.compile(
    r"\d+|\b(such as|including|include|includes|e\.g|for example|at a minimum|at least|minimum|daily|weekly|"
    r"monthly|quarterly|annually|bi-annually|yearly|specific|specifically|termasuk|seperti|"
    r"sekurang-kurangnya|contohnya|harian|mingguan|bulanan|tahunan)\b"
    r"|(?<!\S)(بشمول|مثلاً|کم از کم|سالانہ|ماہانہ)(?!\S)",
    re.IGNORECASE,
)
# Limiting words narrow what a provision covers ("only", "except", "kecuali", "صرف"); enumerated items
# ("(a)", "(ii)", "1.") and obligations (modal verbs) count how many things it asks.
_LIMIT = re.compile(
    r"\b(only|except|excluding|unless|other than|solely|limited to|hanya|kecuali|melainkan|selain|"
    r"tidak termasuk|semata-mata)\b|(?<!\S)(صرف|سوائے|علاوہ|بجز)(?!\S)",
    re.IGNORECASE,
)
_ENUM = re.compile(r"(?:^|\s)\((?:[a-z]|[ivx]{1,5}|\d{1,3})\)(?=\s)|(?:^|\n)\s*(?:[a-z]|\d{1,3})[.)]\s|[•▪●]")
# How close (in cosine) a sentence's best counterpart must come to the pair's best sentence match to
# count as covered: the soft share of `pair_core` decays by e every ``_SHARE_SCALE`` below it.
_SHARE_SCALE = 0.02


def _soft_share(best_each: np.ndarray, best: float, lengths: np.ndarray) -> float:
    near = np.exp((best_each - best) / _SHARE_SCALE)
    return float((near * lengths).sum() / lengths.sum())


def _mean_idf(tokens: frozenset[str], idf: dict[str, float]) -> float:
    return _weighted_words(tokens, idf) / max(len(tokens), 1)


def pair_core(source: Side, target: Side, idf: dict[str, float]) -> dict[str, Any]:
    """The evidence of a pair that does not depend on the rest of the set (the costly part; cacheable):
    sentence similarities, how much of each side the other covers by meaning and by words."""
    sims = source.sentence_vectors @ target.sentence_vectors.T
    src_len = np.array([max(len(s.text), 1) for s in source.sentences], dtype=np.float64)
    tgt_len = np.array([max(len(s.text), 1) for s in target.sentences], dtype=np.float64)
    shared = source.tokens & target.tokens
    src_best, tgt_best = sims.max(axis=1), sims.max(axis=0)
    best = float(sims.max())
    return {
        "sims": sims,
        "cover_src": float((src_best * src_len).sum() / src_len.sum()),
        "cover_tgt": float((tgt_best * tgt_len).sum() / tgt_len.sum()),
        "words_src": _weighted_words(shared, idf) / max(_weighted_words(source.tokens, idf), 1e-9),
        "words_tgt": _weighted_words(shared, idf) / max(_weighted_words(target.tokens, idf), 1e-9),
        "share_src": _soft_share(src_best, best, src_len),
        "share_tgt": _soft_share(tgt_best, best, tgt_len),
        "lead_src": float(src_best[0]) - best,
        "lead_tgt": float(tgt_best[0]) - best,
        "terms_src": len(shared) / max(len(source.tokens), 1),
        "terms_tgt": len(shared) / max(len(target.tokens), 1),
        "log_word_ratio": math.log(max(len(source.tokens), 1) / max(len(target.tokens), 1)),
        "spec_src": _mean_idf(source.tokens, idf),
        "spec_tgt": _mean_idf(target.tokens, idf),
        "scope_src": math.log1p(len(_SCOPE.findall(source.text))),
        "scope_tgt": math.log1p(len(_SCOPE.findall(target.text))),
        "detail_src": math.log1p(len(_DETAIL.findall(source.text))),
        "detail_tgt": math.log1p(len(_DETAIL.findall(target.text))),
        "limit_src": math.log1p(len(_LIMIT.findall(source.text))),
        "limit_tgt": math.log1p(len(_LIMIT.findall(target.text))),
        "enum_src": math.log1p(len(_ENUM.findall(source.text))),
        "enum_tgt": math.log1p(len(_ENUM.findall(target.text))),
        "duty_src": math.log1p(len(_MODAL.findall(source.text))),
        "duty_tgt": math.log1p(len(_MODAL.findall(target.text))),
        **query_passage(source, target),
    }


def query_passage(source: Side, target: Side) -> dict[str, float]:
    """``qp_src``: the cosine of the source read as a query with the target read as a passage;
    ``qp_tgt``: the reverse. Where either side lacks one of the two vectors, both are the plain cosine
    (no asymmetry is measured)."""
    if any(v is None for v in (source.query_vector, source.passage_vector, target.query_vector,
                               target.passage_vector)):  # fmt: skip
        cos = float(source.vector @ target.vector)
        return {"qp_src": cos, "qp_tgt": cos}
    assert source.query_vector is not None and target.passage_vector is not None
    assert target.query_vector is not None and source.passage_vector is not None
    return {
        "qp_src": float(source.query_vector @ target.passage_vector),
        "qp_tgt": float(target.query_vector @ source.passage_vector),
    }


def pair_features(
    source: Side,
    target: Side,
    evidence: PairEvidence,
    idf: dict[str, float],
    core: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """Features of the pair (see `FEATURES`), link features (see `LINK_FEATURES`) and the sentence
    similarity matrix used for citations. ``core`` is `pair_core`'s result, if already computed."""
    core = core or pair_core(source, target, idf)
    sims = core["sims"]
    cover_src, cover_tgt = core["cover_src"], core["cover_tgt"]
    words_src, words_tgt = core["words_src"], core["words_tgt"]
    feats = {
        "cos": float(source.vector @ target.vector),
        "dense_z": evidence.dense_z,
        "lexical_z": evidence.lexical_z,
        "cover_src": cover_src,
        "cover_tgt": cover_tgt,
        "cover_diff": cover_src - cover_tgt,
        "words_src": words_src,
        "words_tgt": words_tgt,
        "words_diff": words_src - words_tgt,
        "log_len_ratio": math.log(max(len(source.text), 1) / max(len(target.text), 1)),
        "log_sent_ratio": math.log(len(source.sentences) / len(target.sentences)),
        "log_deg_src": math.log1p(evidence.degree_source),
        "log_deg_tgt": math.log1p(evidence.degree_target),
        "deg_diff": math.log1p(evidence.degree_source) - math.log1p(evidence.degree_target),
        "rel_src": evidence.relative_source,
        "rel_tgt": evidence.relative_target,
        "rel_diff": evidence.relative_source - evidence.relative_target,
        "mutual": 1.0 if evidence.mutual else 0.0,
        "log_rank_src": math.log(max(evidence.rank_by_source, 1)),
        "log_rank_tgt": math.log(max(evidence.rank_by_target, 1)),
        "rank_diff": math.log(max(evidence.rank_by_source, 1)) - math.log(max(evidence.rank_by_target, 1)),
        "log_crowd_src": math.log(max(evidence.crowd_source, 1)),
        "log_crowd_tgt": math.log(max(evidence.crowd_target, 1)),
        "crowd_diff": math.log(max(evidence.crowd_source, 1)) - math.log(max(evidence.crowd_target, 1)),
        "log_chosen_src": math.log1p(evidence.chosen_source),
        "log_chosen_tgt": math.log1p(evidence.chosen_target),
        "chosen_diff": math.log1p(evidence.chosen_source) - math.log1p(evidence.chosen_target),
    }
    for name in ("share", "lead", "terms", "spec", "scope", "detail", "limit", "enum", "duty", "qp"):
        feats[f"{name}_src"], feats[f"{name}_tgt"] = core[f"{name}_src"], core[f"{name}_tgt"]
        feats[f"{name}_diff"] = core[f"{name}_src"] - core[f"{name}_tgt"]
    feats["log_word_ratio"] = core["log_word_ratio"]
    link = {
        "score": evidence.score,
        "cos": feats["cos"],
        "dense_z": evidence.dense_z,
        "lexical_z": evidence.lexical_z,
        "log_rank": math.log(max(evidence.rank, 1)),
        "margin": evidence.score
        - (evidence.best_score if evidence.best_score is not None else evidence.score),
        "cover_src": cover_src,
        "cover_tgt": cover_tgt,
    }
    return {"features": feats, "link": link, "sims": sims}


def _cite(
    sims: np.ndarray, source: Side, target: Side, tolerance: float = 0.03
) -> tuple[list[Span], list[Span], float]:
    best = float(sims.max())
    src_best = sims.max(axis=1)
    tgt_best = sims.max(axis=0)
    src_keep = sorted(np.argsort(-src_best, kind="stable")[:3].tolist())
    tgt_keep = sorted(np.argsort(-tgt_best, kind="stable")[:3].tolist())
    src = [source.sentences[i] for i in src_keep if src_best[i] >= best - tolerance]
    tgt = [target.sentences[j] for j in tgt_keep if tgt_best[j] >= best - tolerance]
    return src, tgt, best


@functools.lru_cache(maxsize=8192)
def _squash(text: str) -> str:
    return " ".join(re.findall(r"[^\W_]+", normalise(text)))


def _is_equal(a: str, b: str) -> bool:
    if abs(len(a) - len(b)) > 0.2 * max(len(a), len(b)):
        return False  # cheap: texts whose lengths differ this much cannot be the same words
    return _squash(a) == _squash(b)


def link_probability(
    source: Side,
    target: Side,
    evidence: PairEvidence,
    idf: dict[str, float],
    *,
    model: RelationModel | None = None,
    core: dict[str, Any] | None = None,
) -> float:
    """P(the pair corresponds), from retrieval evidence alone (the link calibrator of `relate`)."""
    m = model or load_model()
    return _link_p(m, pair_features(source, target, evidence, idf, core)["link"])


def _link_p(model: RelationModel, link_features: dict[str, float]) -> float:
    x = np.array([[link_features[name] for name in model.link.features]])
    return float(model.link.predict_proba(x)[0][model.link.classes.index("yes")])


def choose_type(
    probabilities: dict[str, float],
    class_bias: dict[str, float],
    *,
    mutual: bool,
    abstain_below: float,
    equivalent_at: float | None = None,
) -> tuple[str, float]:
    """The type model's decision: the most probable type after ``class_bias``, never ``equivalent-to``
    for a pair that is not ``mutual`` (each other's best counterpart: equivalence is one-to-one), and
    ``intersects-with`` when the chosen type is less probable than ``abstain_below`` (the evidence does
    not settle which side is wider, only that they share some requirements). Returns (type, probability
    of what is said).

    ``equivalent_at`` (None: off) decides in two stages: ``equivalent-to`` when its probability reaches
    it, else the likelier direction after ``class_bias`` (``subset-of`` or ``superset-of``)."""
    weighted = {c: p * class_bias.get(c, 1.0) for c, p in probabilities.items()}
    if not mutual and len(weighted) > 1:
        weighted.pop("equivalent-to", None)
    if equivalent_at is not None and len(weighted) > 1:
        if "equivalent-to" in weighted and probabilities["equivalent-to"] >= equivalent_at:
            weighted = {"equivalent-to": 1.0}
        else:
            weighted.pop("equivalent-to", None)
    relationship = max(sorted(weighted), key=lambda c: weighted[c])
    p_rel = probabilities[relationship]
    if p_rel < abstain_below:
        return "intersects-with", 1.0 - p_rel
    return relationship, p_rel


def _rationale(
    relationship: str,
    feats: dict[str, float],
    same_language: bool,
    shared_parameters: bool,
    intersect_below: float,
) -> str:
    """Why the two correspond: by their words (``syntactic``), by doing the same job with quantities of a
    common kind though their sentences do not match (``functional``), or by meaning (``semantic``)."""
    if relationship == "equal-to" or (same_language and feats["words_src"] * feats["words_tgt"] >= 0.5):
        return "syntactic"
    if shared_parameters and max(feats["cover_src"], feats["cover_tgt"]) < intersect_below:
        return "functional"
    return "semantic"


def relate(
    source: Side,
    target: Side,
    evidence: PairEvidence,
    idf: dict[str, float],
    *,
    model: RelationModel | None = None,
    shared_parameters: bool = False,
    given: bool = False,
    core: dict[str, Any] | None = None,
    background: tuple[float, float] | None = None,
) -> Relation:
    """Type, cite and score one pair.

    ``shared_parameters``: both sides set quantities of a common kind (makes the rationale
    ``functional`` when their sentences do not otherwise match: they do the same job).
    ``given``: the pair was named by a person, who asserts that the two correspond; the engine then
    types it (never ``no-relationship``) and ``confidence`` is the probability of the type, while
    ``link_confidence`` still reports the engine's own evidence.
    ``core``: a cached `pair_core`. ``background``: the encoder's (mean, std) similarity of unrelated
    texts; ``contrary-to`` needs sentences far above it (E5 puts unrelated texts near 0.82), and a pair
    that is likely a link at all (P >= 0.5) unless it was given.
    """
    m = model or load_model()
    computed = pair_features(source, target, evidence, idf, core)
    feats, sims = computed["features"], computed["sims"]
    x = np.array([[feats[name] for name in m.types.features]])
    probs = m.types.predict_proba(x)[0]
    p_type = dict(zip(m.types.classes, probs.tolist()))
    p_link = _link_p(m, computed["link"])
    cited_src, cited_tgt, best = _cite(sims, source, target)
    same_language = source.language == target.language
    floor = m.contrary_min_similarity
    if background is not None:
        floor = max(floor, background[0] + 4 * background[1])
    if _is_equal(source.text, target.text):
        relationship, p_rel, p_link = "equal-to", 1.0, max(p_link, 0.99)
    elif (
        best >= floor
        and (given or p_link >= 0.5)
        and polarity(cited_src[0].text if cited_src else source.text)
        * polarity(cited_tgt[0].text if cited_tgt else target.text)
        < 0
    ):
        relationship, p_rel = "contrary-to", 0.7
    elif not given and p_link < m.no_relationship_below:
        relationship, p_rel = "no-relationship", 1.0 - p_link
    elif max(feats["cover_src"], feats["cover_tgt"]) < m.intersect_below:
        relationship, p_rel = "intersects-with", 0.5
    else:
        relationship, p_rel = choose_type(
            p_type,
            m.class_bias,
            mutual=evidence.mutual or not m.one_to_one,
            abstain_below=m.abstain_below,
            equivalent_at=m.equivalent_at,
        )
    rationale = _rationale(relationship, feats, same_language, shared_parameters, m.intersect_below)
    if relationship == "no-relationship" or given:
        confidence = p_rel
    else:
        confidence = p_link * p_rel
    return Relation(
        relationship=relationship,
        rationale=rationale,
        confidence=round(confidence, 4),
        link_confidence=round(p_link, 4),
        relationship_confidence=round(p_rel, 4),
        score=evidence.score,
        cited_source=cited_src,
        cited_target=cited_tgt,
        similarity=best,
        features=feats,
        link_features=computed["link"],
        probabilities=p_type,
    )
