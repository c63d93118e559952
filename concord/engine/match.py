"""Matching people and opportunities: explainable scores, stable allocation with reserves, welfare variant.

Three parts, all plain Python and numpy (allocation in ``allocation.py`` and ``welfare.py``, re-exported
here):

- **Scoring** (`score_match`, `rank_matches`): how well a set of held skills covers what an opening asks for,
  with an explanation: matched, missing and *adjacent* skills (a related skill held instead of the one
  asked for, related through a hierarchy or through embeddings), and eligibility. Nothing in it is about
  people: organisations ↔ organisations matching reuses it with topics or capabilities as the "skills".
- **Stable allocation** (`deferred_acceptance`): applicant-proposing deferred acceptance with capacities and
  soft *reserves* per group. It runs in rounds over numpy arrays, so 20,000 applicants × 500 programmes
  take a fraction of a second. `blocking_pairs` checks stability independently.
- **Welfare variant** (`welfare_allocation`): the assignment that maximises total applicant utility (a
  min-cost flow by successive shortest paths), for comparison: it usually places more people on their top
  choices and is usually *not* stable.

Reserves follow the "reserved seats first" choice rule: from the applicants a programme holds, each group
``g`` with ``reserves[g] = r`` first gets its ``r`` best-ranked members; the remaining seats (including
reserved seats that group could not fill) go to the best-ranked of everyone else. The rule is substitutable
and size-monotone, so deferred acceptance gives the applicant-optimal stable matching.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

from .errors import MatchingError

# --- scoring ---------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ScoreWeights:
    """How much each part of a match counts.

    ``essential``/``optional``: the weight of one essential or optional skill. ``adjacent``: the share of
    credit a related skill earns in place of the one asked for (times its similarity). ``under_level``: the
    share earned when the skill is held below the level asked for. ``min_adjacency``: similarities below
    this are not adjacency.
    """

    essential: float = 2.0
    optional: float = 1.0
    adjacent: float = 0.5
    under_level: float = 0.6
    min_adjacency: float = 0.5


@dataclass(frozen=True, slots=True)
class Eligibility:
    """Who may take an opening: countries (empty = any), a minimum level and languages (any one suffices)."""

    countries: frozenset[str] = frozenset()
    languages: frozenset[str] = frozenset()
    min_level: int = 0


@dataclass(frozen=True, slots=True)
class Seeker:
    """The side that brings skills: a person (or an organisation offering capabilities)."""

    id: str
    skills: Mapping[str, int]  # skill id -> level (1 = basic ... 4 = expert; 0 = unknown)
    country: str = ""
    languages: frozenset[str] = frozenset()
    level: int = 0


@dataclass(frozen=True, slots=True)
class Opening:
    """The side that asks for skills: an opportunity (or an organisation's request)."""

    id: str
    essential: Mapping[str, int]  # skill id -> level asked for (0 = any)
    optional: Mapping[str, int] = field(default_factory=dict)
    eligibility: Eligibility = field(default_factory=Eligibility)


@dataclass(frozen=True, slots=True)
class Adjacent:
    """A skill asked for that is not held, but a related held skill (``via``) earns partial credit."""

    needed: str
    via: str
    similarity: float
    how: str  # "hierarchy" or "embedding"


@dataclass(frozen=True, slots=True)
class MatchScore:
    """One seeker × opening: a score in [0, 1] and why.

    ``matched``: skills asked for and held (at the level asked, or ``under_level`` lists those held below
    it). ``missing``: asked for and neither held nor adjacent. ``adjacent``: asked for, not held, but a
    related skill is. ``eligible``/``ineligible_reasons``: codes ``country``, ``language``, ``level``, and
    ``skills`` when an *essential* skill is neither held nor adjacent (``missing_essential`` names them).
    """

    seeker_id: str
    opening_id: str
    score: float
    matched: tuple[str, ...]
    under_level: tuple[str, ...]
    missing: tuple[str, ...]
    adjacent: tuple[Adjacent, ...]
    eligible: bool
    ineligible_reasons: tuple[str, ...]
    essential_coverage: float
    missing_essential: tuple[str, ...] = ()

    def as_dict(self) -> dict:
        """A JSON-ready dict (for storing the explanation with an allocation)."""
        return {
            "score": round(self.score, 4),
            "matched": list(self.matched),
            "under_level": list(self.under_level),
            "missing": list(self.missing),
            "adjacent": [
                {"needed": a.needed, "via": a.via, "similarity": round(a.similarity, 3), "how": a.how}
                for a in self.adjacent
            ],
            "eligible": self.eligible,
            "ineligible_reasons": list(self.ineligible_reasons),
            "essential_coverage": round(self.essential_coverage, 4),
            "missing_essential": list(self.missing_essential),
        }


# A relatedness function: (skill asked for, skill held) -> (similarity in [0, 1], "hierarchy"|"embedding").
Relatedness = Callable[[str, str], tuple[float, str]]


def hierarchy_relatedness(
    parents: Mapping[str, str | None], groups: frozenset[str] | set[str] = frozenset()
) -> Relatedness:
    """Relatedness along the taxonomy's *broader* relations only, between skills (never through a group).

    Holding a narrower skill of the one asked for (asked "computer programming", held "Python") earns 0.8;
    holding its broader skill, where the taxonomy says it is broader (asked "Python", held "computer
    programming"), 0.6; two steps up or down, 0.5. Skills that merely share a parent or a group (siblings:
    "English" and "Urdu" under *languages*, "Python" and "cloud technologies" under *programming*) are not
    related: knowing one says nothing about the other. ``groups`` names the ids that are groups (categories),
    which are never a step of a relation.
    """

    def ancestors(skill: str) -> list[str]:
        out: list[str] = []
        seen = {skill}
        node = parents.get(skill)
        while node and node not in seen and node not in groups:
            out.append(node)
            seen.add(node)
            node = parents.get(node)
        return out

    def related(asked: str, held: str) -> tuple[float, str]:
        if asked in groups or held in groups:
            return 0.0, "hierarchy"
        up_asked, up_held = ancestors(asked), ancestors(held)
        if up_held[:1] == [asked]:
            return 0.8, "hierarchy"  # held is narrower than asked
        if up_asked[:1] == [held]:
            return 0.6, "hierarchy"  # held is broader than asked
        if up_held[1:2] == [asked] or up_asked[1:2] == [held]:
            return 0.5, "hierarchy"
        return 0.0, "hierarchy"

    return related


def embedding_relatedness(vectors: Mapping[str, np.ndarray]) -> Relatedness:
    """Relatedness as the cosine of two skills' unit vectors (skills without a vector: 0)."""

    def related(a: str, b: str) -> tuple[float, str]:
        va, vb = vectors.get(a), vectors.get(b)
        if va is None or vb is None:
            return 0.0, "embedding"
        return max(0.0, float(np.dot(va, vb))), "embedding"

    return related


def combine_relatedness(*functions: Relatedness) -> Relatedness:
    """The strongest of several relatedness functions."""

    def related(a: str, b: str) -> tuple[float, str]:
        best = (0.0, "")
        for fn in functions:
            found = fn(a, b)
            if found[0] > best[0]:
                best = found
        return best

    return related


def check_eligibility(seeker: Seeker, eligibility: Eligibility) -> tuple[str, ...]:
    """Why ``seeker`` may not take an opening: ``country``, ``language``, ``level`` (empty = eligible)."""
    reasons = []
    if eligibility.countries and seeker.country not in eligibility.countries:
        reasons.append("country")
    if eligibility.languages and not (eligibility.languages & seeker.languages):
        reasons.append("language")
    if eligibility.min_level and seeker.level < eligibility.min_level:
        reasons.append("level")
    return tuple(reasons)


def score_match(
    seeker: Seeker,
    opening: Opening,
    *,
    related: Relatedness | None = None,
    weights: ScoreWeights | None = None,
) -> MatchScore:
    """Score how well ``seeker``'s skills cover ``opening``'s, and explain it.

    Each skill asked for earns its weight (essential or optional) times: 1 if held at the level asked, or
    ``under_level`` if held below it, or ``adjacent × similarity`` for the best related held skill, or 0.
    The score is the earned share of the total weight (an opening asking for nothing scores 1). Eligibility
    (country, language, level, and every essential skill held or adjacent) does not change the score; it is
    reported, and `rank_matches` puts ineligible pairs last.
    """
    w = weights or ScoreWeights()
    held = seeker.skills
    matched: list[str] = []
    under: list[str] = []
    missing: list[str] = []
    adjacent: list[Adjacent] = []
    earned = total = essential_earned = essential_total = 0.0
    for asked, weight, essential in [
        *((s, w.essential, True) for s in sorted(opening.essential)),
        *((s, w.optional, False) for s in sorted(opening.optional) if s not in opening.essential),
    ]:
        level = (opening.essential if essential else opening.optional)[asked]
        total += weight
        credit = 0.0
        if asked in held:
            if not level or held[asked] >= level or not held[asked]:
                matched.append(asked)
                credit = 1.0
            else:
                under.append(asked)
                credit = w.under_level
        elif related is not None:
            best: Adjacent | None = None
            for have in sorted(held):
                sim, how = related(asked, have)
                if sim >= w.min_adjacency and (best is None or sim > best.similarity):
                    best = Adjacent(asked, have, sim, how)
            if best is not None:
                adjacent.append(best)
                credit = w.adjacent * best.similarity
            else:
                missing.append(asked)
        else:
            missing.append(asked)
        earned += weight * credit
        if essential:
            essential_total += weight
            essential_earned += weight * credit
    missing_essential = tuple(s for s in missing if s in opening.essential)
    reasons = check_eligibility(seeker, opening.eligibility) + (("skills",) if missing_essential else ())
    return MatchScore(
        seeker_id=seeker.id,
        opening_id=opening.id,
        score=earned / total if total else 1.0,
        matched=tuple(matched),
        under_level=tuple(under),
        missing=tuple(missing),
        adjacent=tuple(adjacent),
        eligible=not reasons,
        ineligible_reasons=reasons,
        essential_coverage=essential_earned / essential_total if essential_total else 1.0,
        missing_essential=missing_essential,
    )


def rank_matches(
    seekers: Sequence[Seeker],
    openings: Sequence[Opening],
    *,
    related: Relatedness | None = None,
    weights: ScoreWeights | None = None,
    by: str = "seeker",
) -> dict[str, list[MatchScore]]:
    """Ranked lists for both sides: ``by="seeker"`` gives each seeker its openings, best first;
    ``by="opening"`` gives each opening its seekers. Eligible pairs come first, then by score, then by id."""
    if by not in ("seeker", "opening"):
        raise MatchingError(f"rank_matches: by must be 'seeker' or 'opening', not {by!r}", code="E509")
    out: dict[str, list[MatchScore]] = {}
    for s in seekers:
        for o in openings:
            m = score_match(s, o, related=related, weights=weights)
            out.setdefault(s.id if by == "seeker" else o.id, []).append(m)
    other = (lambda m: m.opening_id) if by == "seeker" else (lambda m: m.seeker_id)
    for items in out.values():
        items.sort(key=lambda m: (not m.eligible, -m.score, other(m)))
    return out


# Allocation lives in its own modules; its public API is re-exported here, so callers import from match.
from .allocation import (  # noqa: E402
    Allocation,
    Applicant,
    BlockingPair,
    Instance,
    Programme,
    blocking_pairs,
    blocking_pairs_bruteforce,
    choose,
    deferred_acceptance,
    deferred_acceptance_prepared,
    prepare,
    read_applicants,
    read_programmes,
)
from .welfare import AllocationSummary, rank_utility, summarise, welfare_allocation  # noqa: E402

__all__ = [
    "Adjacent", "Allocation", "AllocationSummary", "Applicant", "BlockingPair", "Eligibility", "Instance",
    "MatchScore", "Opening", "Programme", "Relatedness", "ScoreWeights", "Seeker", "blocking_pairs",
    "blocking_pairs_bruteforce", "check_eligibility", "choose", "combine_relatedness", "deferred_acceptance",
    "deferred_acceptance_prepared", "embedding_relatedness", "hierarchy_relatedness", "prepare",
    "rank_matches",
    "rank_utility", "read_applicants", "read_programmes", "score_match", "summarise", "welfare_allocation",
]  # fmt: skip
