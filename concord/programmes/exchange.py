"""Experience exchange: the other party's most comparable programmes (by ``concord.engine.comparable`` and the
configured encoder, the one the search index uses), and two programmes side by side.

Reads only: nothing here writes. Candidates are read through ``Programme.objects.visible_to``.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Prefetch
from django.utils.translation import gettext as _

from concord.core.charts import Chart, DatedSeries, dated_lines
from concord.engine.comparable import Comparable, ProgrammeText, rank_comparable

from .models import Indicator, IndicatorValue, Instrument, Programme


@dataclass
class Match:
    programme: Programme
    why: Comparable
    theme_labels: list[str] = field(default_factory=list)

    def shared_instrument_labels(self) -> list[str]:
        labels = dict(Instrument.choices)
        return [str(labels.get(i, i)) for i in self.why.shared_instruments]

    def percent(self) -> int:
        return round(self.why.score * 100)


def _text(programme: Programme) -> ProgrammeText:
    return ProgrammeText(
        id=programme.pk,
        text="\n".join(x for x in (programme.title, programme.summary, programme.objectives) if x),
        themes=frozenset(t.slug for t in programme.themes.all()),
        instruments=frozenset(programme.instruments or []),
    )


def indicator_series(indicator: Indicator, label: str) -> DatedSeries:
    """An indicator's values as one series of the chart kit, its baseline and target as marks."""
    marks = tuple(
        (name, date, float(value))
        for name, date, value in (
            (_("Baseline"), indicator.baseline_date, indicator.baseline_value),
            (_("Target"), indicator.target_date, indicator.target_value),
        )
        if date and value is not None
    )
    return DatedSeries(
        label=label, points=tuple((v.date, float(v.value)) for v in indicator.values.all()), marks=marks
    )


def comparable_programmes(user, programme: Programme, *, limit: int = 5) -> list[Match]:
    """The programmes of the dialogue's other parties that ``user`` may see, most comparable first."""
    from concord.library.embedding import encoder

    candidates = list(
        Programme.objects.visible_to(user)
        .filter(dialogue_id=programme.dialogue_id)
        .exclude(party_id=programme.party_id)
        .select_related("party")
        .prefetch_related("themes")
    )
    if not candidates:
        return []
    by_id = {c.pk: c for c in candidates}
    ranked = rank_comparable(_text(programme), [_text(c) for c in candidates], encoder(), limit=limit)
    themes = {t.slug: t for c in candidates for t in c.themes.all()}
    out = []
    for why in ranked:
        labels = [themes[s].label() for s in why.shared_themes if s in themes]
        out.append(Match(by_id[why.id], why, labels))
    return out


def side_by_side_charts(left: Programme, right: Programme) -> tuple[list[Chart], list[Indicator]]:
    """One chart per unit both programmes measure in (their indicators on one axis), and the indicators
    whose unit the other programme does not share (shown as a table only)."""
    values = Prefetch("values", IndicatorValue.objects.order_by("date"))
    indicators = list(
        Indicator.objects.filter(programme__in=[left, right])
        .select_related("programme__party")
        .prefetch_related(values)
        .order_by("programme_id", "id")
    )
    by_unit: dict[str, list[Indicator]] = defaultdict(list)
    for indicator in indicators:
        by_unit[indicator.unit.strip().casefold()].append(indicator)
    charts, alone = [], []
    for group in by_unit.values():
        if {i.programme_id for i in group} != {left.pk, right.pk}:
            alone.extend(group)
            continue
        chart = dated_lines(
            [indicator_series(i, f"{i.programme.party.code}: {i.name}") for i in group],
            title=" · ".join(i.name for i in group),
            unit=group[0].unit,
        )
        if chart is not None:
            charts.append(chart)
    return charts, alone
