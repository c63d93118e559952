"""Skills-gap analytics: demand from opportunities, supply from consenting profiles and programme outputs.

For each country c and skill (or skill group) s, with counts D (demand) and S (supply):

- demand share ``D[c,s] / D[c]`` and supply share ``S[c,s] / S[c]``;
- the gap: demand share minus supply share (positive = deficit, negative = surplus);
- revealed comparative advantage of supply, ``(S[c,s] / S[c]) / (S[*,s] / S[*])`` (above 1 = relatively
  abundant in c);
- the cross-country matrix: one country's supply share minus the other's demand share, per group: where
  Malaysia's supply could meet Pakistan's demand, and the reverse.

Demand: published jobs, internships, fellowships and exchanges, each skill weighted by seats, in the host
country. Supply: accepted skills of profiles that consent to matching, in the person's country, plus
programme outputs: people placed on training courses count for the course's skills. Only counts leave here.
"""

from __future__ import annotations

import csv
import io
from collections import Counter, defaultdict
from dataclasses import dataclass

from concord.core.csvsafe import safe_cell

from .models import (
    OpportunityKind,
    OpportunitySkill,
    OpportunityStatus,
    Placement,
    ProfileSkill,
    RoundStatus,
    Skill,
    SuggestionStatus,
)

COUNTRIES = ("MY", "PK")
DEMAND_KINDS = (
    OpportunityKind.JOB,
    OpportunityKind.INTERNSHIP,
    OpportunityKind.FELLOWSHIP,
    OpportunityKind.EXCHANGE,
)


@dataclass
class GapRow:
    key: int
    label: str
    demand: dict[str, float]
    supply: dict[str, float]
    demand_share: dict[str, float]
    supply_share: dict[str, float]
    gap: dict[str, float]
    rca: dict[str, float | None]


@dataclass
class GapReport:
    skills: list[GapRow]
    groups: list[GapRow]
    cross: list[dict]  # per group: {"label", "MY->PK", "PK->MY"}
    totals: dict[str, dict[str, float]]


def _group_of(parents: dict[int, int | None], skill_id: int) -> int:
    seen = {skill_id}
    node = skill_id
    while parents.get(node) and parents[node] not in seen:
        node = parents[node]  # type: ignore[assignment]
        seen.add(node)
    return node


def counts() -> tuple[dict[tuple[str, int], float], dict[tuple[str, int], float]]:
    """(demand, supply) counts keyed by (country, skill id)."""
    demand: Counter = Counter()
    for link in OpportunitySkill.objects.filter(
        opportunity__status__in=[OpportunityStatus.PUBLISHED, OpportunityStatus.CLOSED],
        opportunity__kind__in=DEMAND_KINDS,
    ).values("skill_id", "opportunity__host_country", "opportunity__seats"):
        demand[(link["opportunity__host_country"], link["skill_id"])] += link["opportunity__seats"]
    supply: Counter = Counter()
    for row in ProfileSkill.objects.filter(
        status=SuggestionStatus.ACCEPTED, profile__consent_matching=True
    ).values("skill_id", "profile__country"):
        supply[(row["profile__country"], row["skill_id"])] += 1
    trained = Placement.objects.filter(
        round__status=RoundStatus.FINISHED,
        opportunity__kind=OpportunityKind.TRAINING,
        profile__consent_matching=True,
    ).values("opportunity_id", "profile__country")
    course_skills: dict[int, list[int]] = defaultdict(list)
    for link in OpportunitySkill.objects.filter(opportunity__kind=OpportunityKind.TRAINING).values(
        "opportunity_id", "skill_id"
    ):
        course_skills[link["opportunity_id"]].append(link["skill_id"])
    for row in trained:
        for skill_id in course_skills[row["opportunity_id"]]:
            supply[(row["profile__country"], skill_id)] += 1
    return dict(demand), dict(supply)


def _rows(demand: dict, supply: dict, labels: dict[int, str]) -> list[GapRow]:
    keys = sorted({k for _, k in demand} | {k for _, k in supply})
    d_tot = {c: sum(v for (cc, _), v in demand.items() if cc == c) for c in COUNTRIES}
    s_tot = {c: sum(v for (cc, _), v in supply.items() if cc == c) for c in COUNTRIES}
    s_all = sum(s_tot.values())
    rows = []
    for k in keys:
        d = {c: float(demand.get((c, k), 0)) for c in COUNTRIES}
        s = {c: float(supply.get((c, k), 0)) for c in COUNTRIES}
        ds = {c: d[c] / d_tot[c] if d_tot[c] else 0.0 for c in COUNTRIES}
        ss = {c: s[c] / s_tot[c] if s_tot[c] else 0.0 for c in COUNTRIES}
        world = sum(s.values()) / s_all if s_all else 0.0
        rca = {c: (ss[c] / world if world and s_tot[c] else None) for c in COUNTRIES}
        gap = {c: ds[c] - ss[c] for c in COUNTRIES}
        rows.append(GapRow(k, labels.get(k, str(k)), d, s, ds, ss, gap, rca))
    rows.sort(key=lambda r: (-max(abs(g) for g in r.gap.values()), r.label))
    return rows


def gap_report() -> GapReport:
    demand, supply = counts()
    parents = dict(Skill.objects.values_list("id", "parent_id"))
    used = {k for _, k in demand} | {k for _, k in supply}
    group_of = {k: _group_of(parents, k) for k in used}
    labels = {s.pk: s.localized_label() for s in Skill.objects.filter(pk__in=used | set(group_of.values()))}
    g_demand: Counter = Counter()
    g_supply: Counter = Counter()
    for (c, k), v in demand.items():
        g_demand[(c, group_of[k])] += v
    for (c, k), v in supply.items():
        g_supply[(c, group_of[k])] += v
    groups = _rows(dict(g_demand), dict(g_supply), labels)
    cross = [
        {
            "label": g.label,
            "MY->PK": g.supply_share["MY"] - g.demand_share["PK"],
            "PK->MY": g.supply_share["PK"] - g.demand_share["MY"],
        }
        for g in groups
    ]
    totals = {
        "demand": {c: sum(v for (cc, _), v in demand.items() if cc == c) for c in COUNTRIES},
        "supply": {c: sum(v for (cc, _), v in supply.items() if cc == c) for c in COUNTRIES},
    }
    return GapReport(_rows(demand, supply, labels), groups, cross, totals)


def gap_csv(report: GapReport) -> str:
    out = io.StringIO()
    w = csv.writer(out)
    w.writerow(
        [
            "level",
            "label",
            *[
                f"{m}_{c}"
                for m in ("demand", "supply", "demand_share", "supply_share", "gap", "rca")
                for c in COUNTRIES
            ],
        ]
    )
    for level, rows in (("group", report.groups), ("skill", report.skills)):
        for r in rows:
            w.writerow(
                [level, safe_cell(r.label)]
                + [
                    f"{getattr(r, m)[c]:.4f}" if getattr(r, m)[c] is not None else ""
                    for m in ("demand", "supply", "demand_share", "supply_share", "gap", "rca")
                    for c in COUNTRIES
                ]
            )
    return out.getvalue()
