"""Between the talent models and the engine: linking text to skills, scoring, ranked lists, allocation.

Reads only; the writes that use these live in ``actions.py``. Profiles without consent to matching are
never passed to the engine.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Max

from concord.engine.encoders import Encoder, get_encoder
from concord.engine.match import (
    Applicant,
    Eligibility,
    MatchScore,
    Opening,
    Programme,
    Seeker,
    blocking_pairs,
    deferred_acceptance,
    hierarchy_relatedness,
    summarise,
    welfare_allocation,
)
from concord.engine.skills import LinkedSkill, SkillLinker, TaxonomySkill

from .models import (
    Application,
    Opportunity,
    Profile,
    Skill,
    SkillType,
    SuggestionStatus,
    ordered_reserves,
)

_lock = threading.Lock()
_linkers: dict[tuple, SkillLinker] = {}
_encoders: dict[str, Encoder] = {}


def _encoder() -> Encoder:
    name = settings.CONCORD_ENCODER
    with _lock:
        if name not in _encoders:
            _encoders[name] = get_encoder(name)
        return _encoders[name]


def linker() -> SkillLinker | None:
    """A linker over every skill in the database (rebuilt when skills change); None without skills."""
    skills = Skill.objects.exclude(skill_type=SkillType.GROUP)
    state = (settings.CONCORD_ENCODER, skills.count(), skills.aggregate(m=Max("id"))["m"])
    if not state[1]:
        return None
    with _lock:
        found = _linkers.get(state)
    if found is not None:
        return found
    rows = [
        TaxonomySkill(
            id=str(s.pk),
            label=s.label,
            alt_labels=tuple(x for x in [*s.alt_labels, s.label_ms, s.label_ur] if x),
        )
        for s in skills.only("id", "label", "label_ms", "label_ur", "alt_labels")
    ]
    built = SkillLinker(rows, _encoder())
    with _lock:
        _linkers.clear()
        _linkers[state] = built
    return built


def suggest_skills(text: str, top_k: int = 8) -> list[LinkedSkill]:
    """Ranked skill suggestions for ``text`` (empty when there is no taxonomy yet)."""
    found = linker()
    return found.link(text, top_k=top_k) if found is not None else []


# --- engine types ------------------------------------------------------------------------------------------


def seeker_for(profile: Profile) -> Seeker:
    """The engine's view of a profile: accepted skills with levels, country, languages, level."""
    links = [ps for ps in profile.skills.all() if ps.status == SuggestionStatus.ACCEPTED]
    return Seeker(
        id=str(profile.pk),
        skills={str(ps.skill_id): ps.level for ps in links},
        country=profile.country,
        languages=frozenset(profile.languages),
        level=profile.level,
    )


def opening_for(opportunity: Opportunity) -> Opening:
    links = list(opportunity.skill_links.all())
    return Opening(
        id=str(opportunity.pk),
        essential={str(x.skill_id): x.level or 0 for x in links if x.essential},
        optional={str(x.skill_id): x.level or 0 for x in links if not x.essential},
        eligibility=Eligibility(
            countries=frozenset(opportunity.eligible_countries),
            languages=frozenset(opportunity.languages),
            min_level=opportunity.min_level or 0,
        ),
    )


def relatedness():
    """Adjacency along the taxonomy's broader relations between skills (never siblings, never via groups)."""
    parents: dict[str, str | None] = {}
    groups: set[str] = set()
    for pk, parent, kind in Skill.objects.values_list("id", "parent_id", "skill_type"):
        parents[str(pk)] = str(parent) if parent else None
        if kind == SkillType.GROUP:
            groups.add(str(pk))
    return hierarchy_relatedness(parents, frozenset(groups))


def _score(seeker: Seeker, opening: Opening, related) -> MatchScore:
    from concord.engine.match import score_match

    return score_match(seeker, opening, related=related)


def explain(profile: Profile, opportunity: Opportunity, related=None) -> MatchScore:
    """Score one profile against one opportunity, with the explanation."""
    return _score(seeker_for(profile), opening_for(opportunity), related or relatedness())


def labels_for(ids) -> dict[str, str]:
    """Skill id (as a string) -> localised label, in one query."""
    return {str(s.pk): s.localized_label() for s in Skill.objects.filter(pk__in=[int(i) for i in ids])}


@dataclass
class Ranked:
    """One row of a ranked list: the other side's object and the explained score."""

    obj: object
    match: MatchScore


def ranked_opportunities(profile: Profile, opportunities) -> list[Ranked]:
    """The opportunities for a consenting profile, best first (eligible first)."""
    if not profile.consent_matching:
        return []
    related = relatedness()
    seeker = seeker_for(profile)
    rows = [Ranked(o, _score(seeker, opening_for(o), related)) for o in opportunities]
    rows.sort(key=lambda r: (not r.match.eligible, -r.match.score, r.obj.pk))
    return rows


def ranked_applicants(opportunity: Opportunity) -> list[Ranked]:
    """The opportunity's applicants whose profiles consent to matching, best first (eligible first)."""
    related = relatedness()
    opening = opening_for(opportunity)
    applications = (
        Application.objects.filter(opportunity=opportunity, profile__consent_matching=True)
        .select_related("profile", "profile__user")
        .prefetch_related("profile__skills")
    )
    rows = [Ranked(a, _score(seeker_for(a.profile), opening, related)) for a in applications]
    rows.sort(key=lambda r: (not r.match.eligible, -r.match.score, r.obj.pk))
    return rows


# --- allocation ---------------------------------------------------------------------------------------------


@dataclass
class RoundResult:
    """Everything an allocation round produces, ready to be saved by the action."""

    assignment: dict[int, int | None]  # profile id -> opportunity id
    welfare: dict[int, int | None]
    explanations: dict[int, dict]
    summary: dict


def _explanation(
    wanted: list[int],
    got: str | None,
    matches: list[MatchScore],
    pid: int,
    rankings: dict[int, list[int]],
    members: dict[int, list[int]],
    by_id: dict[int, Opportunity],
) -> dict:
    """What one applicant is told: for each opportunity they asked for, in their order, whether they were
    placed there, and if not why (not eligible, a seat they preferred came first, or full), with their rank,
    the number ranked, the seats and the rank of the last one admitted."""
    rows = []
    for position, (oid, m) in enumerate(zip(wanted, matches, strict=True), 1):
        ranking = rankings[oid]
        held = sorted(ranking.index(x) + 1 for x in members.get(oid, []))
        if got is not None and int(got) == oid:
            status = "placed"
        elif not m.eligible:
            status = "ineligible"
        elif got is not None and position > wanted.index(int(got)) + 1:
            status = "not_needed"
        else:
            status = "full"
        rows.append(
            {
                "opportunity": oid,
                "position": position,
                "status": status,
                "rank": ranking.index(pid) + 1 if pid in ranking else None,
                "applicants_ranked": len(ranking),
                "seats": by_id[oid].seats,
                "last_admitted_rank": held[-1] if held else None,
                "match": m.as_dict(),
            }
        )
    return {"placed": got is not None, "preferences": rows}


def _score_and_rank(
    prefs: dict[int, list[int]], profiles: dict[int, Profile], opportunities: list[Opportunity]
) -> tuple[dict[tuple[int, int], MatchScore], dict[int, list[int]]]:
    """Each (profile, opportunity) applied for, scored; and each opportunity's ranking of its eligible
    applicants, best score first (ties by profile id)."""
    related = relatedness()
    openings = {o.pk: opening_for(o) for o in opportunities}
    seekers = {pid: seeker_for(p) for pid, p in profiles.items()}
    scores = {
        (pid, oid): _score(seekers[pid], openings[oid], related)
        for pid, wanted in prefs.items()
        for oid in wanted
    }
    rankings: dict[int, list[int]] = {o.pk: [] for o in opportunities}
    for (pid, oid), m in scores.items():
        if m.eligible:
            rankings[oid].append(pid)
    for oid, ranked in rankings.items():
        ranked.sort(key=lambda pid: (-scores[(pid, oid)].score, pid))
    return scores, rankings


def allocate_round(opportunities: list[Opportunity], progress=None) -> RoundResult:
    """Allocate the consenting applicants of ``opportunities``: stable DA with reserves per country, the
    stability check, the welfare variant for comparison, and each applicant's explanation."""
    by_id = {o.pk: o for o in opportunities}
    applications = (
        Application.objects.filter(opportunity__in=opportunities, profile__consent_matching=True)
        .select_related("profile")
        .prefetch_related("profile__skills")
        .order_by("profile_id", "rank", "id")
    )
    prefs: dict[int, list[int]] = {}
    profiles: dict[int, Profile] = {}
    for a in applications:
        prefs.setdefault(a.profile_id, []).append(a.opportunity_id)
        profiles[a.profile_id] = a.profile
    scores, rankings = _score_and_rank(prefs, profiles, opportunities)
    if progress:
        progress(1, 3, "scored")
    reserved = {str(k) for o in opportunities for k in (o.reserves or {})}
    applicants = [
        Applicant(
            str(pid),
            tuple(str(o) for o in prefs[pid]),
            profiles[pid].country or None,
            frozenset(g for g in profiles[pid].declared_groups or [] if g in reserved),
        )
        for pid in prefs
    ]
    programmes = [
        Programme(
            str(o.pk),
            o.seats,
            tuple(str(p) for p in rankings[o.pk]),
            {str(k): int(v) for k, v in ordered_reserves(o.reserves or {}).items()},
        )
        for o in opportunities
    ]
    stable = deferred_acceptance(applicants, programmes)
    welfare = welfare_allocation(applicants, programmes)
    if progress:
        progress(2, 3, "allocated")
    members: dict[int, list[int]] = {}
    for a, p in stable.assignment.items():
        if p is not None:
            members.setdefault(int(p), []).append(int(a))
    explanations = {
        pid: _explanation(
            wanted,
            stable.assignment[str(pid)],
            [scores[(pid, oid)] for oid in wanted],
            pid,
            rankings,
            members,
            by_id,
        )
        for pid, wanted in prefs.items()
    }
    reserve_rows = []
    for o in opportunities:
        for g, seats in ordered_reserves(o.reserves or {}).items():
            filled = sum(1 for a in members.get(o.pk, []) if g in _groups_of(profiles[a]))
            reserve_rows.append({"opportunity": o.pk, "group": g, "seats": seats, "members_placed": filled})
    s_stable = summarise(applicants, programmes, stable)
    s_welfare = summarise(applicants, programmes, welfare)
    summary = {
        "applicants": len(applicants),
        "seats": sum(o.seats for o in opportunities),
        "stable": _as_dict(s_stable),
        "welfare": _as_dict(s_welfare),
        "blocking_pairs": len(blocking_pairs(applicants, programmes, stable.assignment)),
        "rounds": stable.rounds,
        "reserves": reserve_rows,
    }
    return RoundResult(
        assignment={int(a): (int(p) if p else None) for a, p in stable.assignment.items()},
        welfare={int(a): (int(p) if p else None) for a, p in welfare.assignment.items()},
        explanations=explanations,
        summary=summary,
    )


def _groups_of(profile: Profile) -> set[str]:
    return {profile.country, *(profile.declared_groups or [])} - {""}


def _as_dict(summary) -> dict:
    return {name: getattr(summary, name) for name in summary.__slots__}
