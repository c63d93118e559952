"""Partner recommendations between organisations: who, and which offers and requests, fit an organisation.

Plain Python, dataclasses in and out. The app turns organisations and listings into `OrgFeatures` and
`ListingFeatures`, calls `recommend`, and renders each `Recommendation`'s `Reason` list as translated text.

Scoring (each component in [0, 1], weights in `Weights`):

- **themes**: Jaccard overlap of the two sets of theme identifiers;
- **complement**: how well the candidate's capabilities meet the organisation's needs and the other way
  round: the best-matching (need, capability) pair, by stemmed-token Dice overlap, or by cosine of phrase
  vectors when the caller supplies them (`phrase_vectors`);
- **listing fit**: for a listing, the match between its text and the organisation's needs (for offers) or
  capabilities (for requests); a *request* of the organisation matched to an *offer* of the candidate (and
  the reverse) counts here too;
- **feedback**: what the organisation's users said before: ``-1`` (not useful) removes the item, ``+1``
  (useful) lifts it, and a "not useful" on one item of an organisation lowers that organisation's others.

Only cross-border candidates are proposed (another country than the organisation's).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

import numpy as np

from .lexical import tokenize

OFFER_KINDS = frozenset({"technology_offer", "business_offer"})
REQUEST_KINDS = frozenset({"technology_request", "business_request", "rd_request"})
# Which listing kind answers which: a technology request is met by a technology offer, and so on.
ANSWERS = {
    "technology_request": {"technology_offer"},
    "business_request": {"business_offer"},
    "rd_request": {"technology_offer"},
    "technology_offer": {"technology_request", "rd_request"},
    "business_offer": {"business_request"},
}


@dataclass(frozen=True, slots=True)
class OrgFeatures:
    """What the recommender knows about one organisation."""

    id: int
    country: str
    kind: str
    name: str = ""
    themes: frozenset[str] = frozenset()
    capabilities: tuple[str, ...] = ()
    needs: tuple[str, ...] = ()
    description: str = ""


@dataclass(frozen=True, slots=True)
class ListingFeatures:
    """A published offer or request."""

    id: int
    org_id: int
    kind: str
    title: str
    text: str = ""
    themes: frozenset[str] = frozenset()


@dataclass(frozen=True, slots=True)
class Reason:
    """One piece of an explanation: ``code`` names it, ``detail`` carries what to show."""

    code: str  # shared_themes | capability_meets_need | need_met_by | listing_meets_need | ...
    detail: dict[str, object] = field(default_factory=dict)
    weight: float = 0.0


@dataclass(frozen=True, slots=True)
class Recommendation:
    """A recommended organisation (``target == "organization"``) or listing (``"listing"``)."""

    target: str
    target_id: int
    score: float
    reasons: tuple[Reason, ...]


@dataclass(frozen=True, slots=True)
class Weights:
    themes: float = 0.35
    complement: float = 0.45
    listing: float = 0.5
    kind_bonus: float = 0.1
    counterpart: float = 0.15
    profile_text: float = 0.7
    useful: float = 0.3
    org_penalty: float = 0.15


@dataclass(frozen=True, slots=True)
class Feedback:
    """Past feedback of the organisation's users, keyed by (target, id); values are +1 or -1."""

    items: Mapping[tuple[str, int], int] = field(default_factory=dict)
    # Organisations whose items were judged not useful (item's org id -> number of such judgements).
    disliked_orgs: Mapping[int, int] = field(default_factory=dict)


def _tokens(text: str) -> frozenset[str]:
    return frozenset(tokenize(text, "en"))


def dice(a: frozenset[str], b: frozenset[str]) -> float:
    """Dice overlap of two token sets (0 when either is empty)."""
    if not a or not b:
        return 0.0
    return 2 * len(a & b) / (len(a) + len(b))


def jaccard(a: Iterable[str], b: Iterable[str]) -> float:
    """Jaccard overlap of two sets of identifiers."""
    a, b = set(a), set(b)
    return len(a & b) / len(a | b) if a and b else 0.0


class _PhraseSimilarity:
    def __init__(self, vectors: Mapping[str, np.ndarray] | None) -> None:
        self.vectors = vectors or {}
        self._tokens: dict[str, frozenset[str]] = {}

    def tokens(self, text: str) -> frozenset[str]:
        if text not in self._tokens:
            self._tokens[text] = _tokens(text)
        return self._tokens[text]

    def __call__(self, a: str, b: str, coverage: bool = False) -> float:
        ta, tb = self.tokens(a), self.tokens(b)
        lexical = (len(ta & tb) / len(ta) if ta else 0.0) if coverage else dice(ta, tb)
        va, vb = self.vectors.get(a), self.vectors.get(b)
        if va is None or vb is None:
            return lexical
        return max(lexical, float(np.dot(va, vb)))

    def best_pair(
        self, left: Iterable[str], right: Iterable[str], coverage: bool = False
    ) -> tuple[float, str, str]:
        """The best (score, left phrase, right phrase); ``coverage`` scores the share of the left phrase's
        words found in the right text (for a short need against a long description)."""
        best = (0.0, "", "")
        for a in left:
            for b in right:
                s = self(a, b, coverage)
                if s > best[0]:
                    best = (s, a, b)
        return best


def score_organizations(
    org: OrgFeatures,
    other: OrgFeatures,
    *,
    weights: Weights = Weights(),
    phrase_vectors: Mapping[str, np.ndarray] | None = None,
    text_similarity: float | None = None,
    _sim: _PhraseSimilarity | None = None,
) -> tuple[float, tuple[Reason, ...]]:
    """How well ``other`` fits ``org`` as a partner, with the reasons (best first).

    ``text_similarity`` (0..1) is how close their whole profiles read; `recommend` passes BM25 scores
    scaled by the best candidate's, and without it a token overlap is used."""
    sim = _sim or _PhraseSimilarity(phrase_vectors)
    reasons: list[Reason] = []
    shared = sorted(org.themes & other.themes)
    t = jaccard(org.themes, other.themes)
    if shared:
        reasons.append(Reason("shared_themes", {"themes": shared}, weights.themes * t))
    s1, need, cap = sim.best_pair(org.needs, other.capabilities)
    if s1 > 0:
        reasons.append(
            Reason("capability_meets_need", {"need": need, "capability": cap}, weights.complement * s1)
        )
    s2, need2, cap2 = sim.best_pair(other.needs, org.capabilities)
    if s2 > 0:
        reasons.append(
            Reason("need_met_by_you", {"need": need2, "capability": cap2}, weights.complement * s2 / 2)
        )
    score = weights.themes * t + weights.complement * (s1 + s2 / 2)
    if org.kind == other.kind or frozenset((org.kind, other.kind)) in COMPLEMENTARY_KINDS:
        reasons.append(Reason("counterpart", {"kind": other.kind}, weights.counterpart))
        score += weights.counterpart
    if text_similarity is None:
        text_similarity = dice(sim.tokens(_profile_text(org)), sim.tokens(_profile_text(other)))
    similar = text_similarity
    if similar > 0.1:
        reasons.append(
            Reason("similar_work", {"similarity": round(similar, 2)}, weights.profile_text * similar)
        )
        score += weights.profile_text * similar
    reasons.sort(key=lambda r: -r.weight)
    return score, tuple(reasons)


# Kinds of organisation that naturally work together across the border (besides the same kind).
COMPLEMENTARY_KINDS = frozenset(
    {
        frozenset(("tech_hub", "investor")),
        frozenset(("university", "research_institute")),
        frozenset(("ministry", "regulator")),
        frozenset(("ministry", "agency")),
    }
)


def _profile_text(o: OrgFeatures) -> str:
    return " ".join([o.description, *o.capabilities, *o.needs])


def score_listing(
    org: OrgFeatures,
    listing: ListingFeatures,
    own_listings: Iterable[ListingFeatures] = (),
    *,
    weights: Weights = Weights(),
    phrase_vectors: Mapping[str, np.ndarray] | None = None,
    _sim: _PhraseSimilarity | None = None,
) -> tuple[float, tuple[Reason, ...]]:
    """How well a published ``listing`` of another organisation fits ``org``."""
    sim = _sim or _PhraseSimilarity(phrase_vectors)
    text = f"{listing.title}. {listing.text}"
    reasons: list[Reason] = []
    if listing.kind in OFFER_KINDS:
        s, need, _x = sim.best_pair(org.needs, [text], coverage=True)
        if s > 0:
            reasons.append(Reason("listing_meets_need", {"need": need}, weights.listing * s))
    else:
        s, cap, _x = sim.best_pair(org.capabilities, [text], coverage=True)
        if s > 0:
            reasons.append(Reason("you_can_answer", {"capability": cap}, weights.listing * s))
    answered = 0.0
    for own in own_listings:
        if listing.kind in ANSWERS.get(own.kind, set()):
            s_own = max(sim(f"{own.title}. {own.text}", text), jaccard(own.themes, listing.themes) * 0.5)
            if s_own > answered:
                answered = s_own
                best_own = own
    if answered > 0:
        reasons.append(
            Reason(
                "matches_your_listing",
                {"listing_id": best_own.id, "title": best_own.title},
                weights.listing * answered + weights.kind_bonus,
            )
        )
    t = jaccard(org.themes, listing.themes)
    shared = sorted(org.themes & listing.themes)
    if shared:
        reasons.append(Reason("shared_themes", {"themes": shared}, weights.themes * t))
    score = sum(r.weight for r in reasons)
    reasons.sort(key=lambda r: -r.weight)
    return score, tuple(reasons)


def _apply_feedback(
    target: str, target_id: int, owner_id: int, score: float, feedback: Feedback, weights: Weights
) -> float | None:
    said = feedback.items.get((target, target_id), 0)
    if said < 0:
        return None
    if said > 0:
        score += weights.useful
    penalty = feedback.disliked_orgs.get(owner_id, 0)
    return score - weights.org_penalty * min(penalty, 3)


def recommend(
    org: OrgFeatures,
    organizations: Iterable[OrgFeatures],
    listings: Iterable[ListingFeatures] = (),
    *,
    feedback: Feedback = Feedback(),
    weights: Weights = Weights(),
    phrase_vectors: Mapping[str, np.ndarray] | None = None,
    limit: int = 10,
    min_score: float = 0.02,
) -> list[Recommendation]:
    """The cross-border organisations and listings that fit ``org`` best, each with its reasons.

    Organisations and listings are ranked together by score; items the organisation marked "not useful"
    are left out. Ties break by target and id, so the order is stable.
    """
    sim = _PhraseSimilarity(phrase_vectors)
    others = [o for o in organizations if o.id != org.id and o.country != org.country]
    country_of = {o.id: o.country for o in others}
    listings = list(listings)
    own = [li for li in listings if li.org_id == org.id]
    out: list[Recommendation] = []
    text_sim = _bm25_similarity(org, others)
    for other in others:
        score, reasons = score_organizations(
            org, other, weights=weights, text_similarity=text_sim[other.id], _sim=sim
        )
        final = _apply_feedback("organization", other.id, other.id, score, feedback, weights)
        if final is not None and final >= min_score and reasons:
            out.append(Recommendation("organization", other.id, round(final, 4), reasons))
    for listing in listings:
        if listing.org_id not in country_of:  # own, same-country or unknown organisation
            continue
        score, reasons = score_listing(org, listing, own, weights=weights, _sim=sim)
        final = _apply_feedback("listing", listing.id, listing.org_id, score, feedback, weights)
        if final is not None and final >= min_score and reasons:
            out.append(Recommendation("listing", listing.id, round(final, 4), reasons))
    out.sort(key=lambda r: (-r.score, r.target, r.target_id))
    return out[:limit]


def _bm25_similarity(org: OrgFeatures, others: list[OrgFeatures]) -> dict[int, float]:
    """BM25 of each candidate's profile text for ``org``'s, divided by the best (so 0..1)."""
    from .lexical import BM25Index

    if not others:
        return {}
    index = BM25Index([tokenize(_profile_text(o), "en") for o in others])
    scores = index.scores(tokenize(_profile_text(org), "en"))
    top = float(scores.max()) or 1.0
    return {o.id: float(scores[i]) / top for i, o in enumerate(others)}


def lexical_baseline(org: OrgFeatures, organizations: Iterable[OrgFeatures], *, limit: int = 10) -> list[int]:
    """The benchmark baseline: cross-border organisations by BM25 over their whole profile text."""
    from .lexical import BM25Index

    def text(o: OrgFeatures) -> str:
        return " ".join([o.name, o.description, *o.capabilities, *o.needs, *sorted(o.themes)])

    others = [o for o in organizations if o.id != org.id and o.country != org.country]
    if not others:
        return []
    index = BM25Index([tokenize(text(o), "en") for o in others])
    scores = index.scores(tokenize(text(org), "en"))
    order = sorted(range(len(others)), key=lambda i: (-float(scores[i]), others[i].id))
    return [others[i].id for i in order[:limit]]


def fit_opportunity(
    org: OrgFeatures, *, themes: Iterable[str], countries: Iterable[str], text: str = ""
) -> tuple[float, tuple[Reason, ...]]:
    """How well an opportunity fits an organisation: 0 when its country is not eligible (an empty list of
    countries means every country); otherwise shared themes plus the best need or capability it meets."""
    countries = {c.upper() for c in countries}
    if countries and org.country.upper() not in countries:
        return 0.0, ()
    sim = _PhraseSimilarity(None)
    reasons: list[Reason] = []
    themes = frozenset(themes)
    shared = sorted(org.themes & themes)
    if shared:
        reasons.append(Reason("shared_themes", {"themes": shared}, 0.6 * len(shared) / max(len(themes), 1)))
    s, phrase, _x = (
        sim.best_pair([*org.needs, *org.capabilities], [text], coverage=True) if text else (0.0, "", "")
    )
    if s >= 0.34:
        reasons.append(Reason("matches_profile", {"phrase": phrase}, 0.4 * s))
    reasons.sort(key=lambda r: -r.weight)
    return sum(r.weight for r in reasons), tuple(reasons)
