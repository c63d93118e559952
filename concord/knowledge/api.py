"""The knowledge API: one search, trends and the digest preview, plus the index rebuild (secretariat)."""

import datetime as dt

from django.core.exceptions import PermissionDenied
from ninja import Field, Query, Router, Schema
from ninja.responses import Status

from concord.api.auth import AUTH
from concord.api.common import public_read
from concord.api.errors import ERRORS

from . import actions, rules, search, trends

router = Router(tags=["search and trends"])


class SearchQuery(Schema):
    q: str = Field("", max_length=2000, description="Words to find; syntax characters are treated as text.")
    type: list[str] = Field(default_factory=list, max_length=20, description="Facet: type of item.")
    party: list[str] = Field(default_factory=list, max_length=10, description="Facet: party or country code.")
    theme: list[str] = Field(default_factory=list, max_length=20, description="Facet: theme identifier.")
    year: list[str] = Field(default_factory=list, max_length=10, description="Facet: year.")
    page: int = Field(1, ge=1, le=1000)
    page_size: int = Field(20, ge=1, le=100)


class HitOut(Schema):
    type: str
    type_label: str
    id: int
    title: str
    title_html: str
    snippet_html: str
    url: str
    party: str
    themes: list[str]
    date: dt.date | None
    score: float
    matched_by: str


class FacetOut(Schema):
    value: str
    label: str
    count: int
    selected: bool


class SearchOut(Schema):
    query: str
    total: int
    page: int
    pages: int
    items: list[HitOut]
    facets: dict[str, list[FacetOut]]
    warnings: list[str]


class RisingOut(Schema):
    theme: str
    label: str
    recent: int
    before: int
    ratio: float


class SeriesOut(Schema):
    theme: str
    label: str
    counts: list[int]


class TrendsOut(Schema):
    months: list[str]
    series: list[SeriesOut]
    rising: list[RisingOut]


class JobStarted(Schema):
    job: str
    url: str


@public_read(router, "/search", SearchOut)
def run_search(request, params: Query[SearchQuery]):
    filters, warnings = search.parse_filters(params.type, params.party, params.theme, params.year)
    r = search.search(request.user, params.q, filters, page=params.page, page_size=params.page_size)
    return {
        "query": r.query,
        "total": r.total,
        "page": r.page,
        "pages": r.pages,
        "warnings": warnings + r.warnings,
        "items": [
            {
                "type": h.kind,
                "type_label": h.kind_label,
                "id": h.object_id,
                "title": h.title,
                "title_html": str(h.title_html),
                "snippet_html": str(h.snippet),
                "url": h.url,
                "party": h.party_code,
                "themes": h.themes,
                "date": h.date,
                "score": h.score,
                "matched_by": h.via,
            }
            for h in r.hits
        ],
        "facets": {k: [v.__dict__ for v in values] for k, values in r.facets.items()},
    }


@public_read(router, "/trends", TrendsOut)
def get_trends(request, months: int = Query(24, ge=2, le=120), type: str | None = Query(None, max_length=40)):  # noqa: A002
    chart = trends.chart(request.user, months=months, kinds=[type] if type else None)
    label = chart.labels.get
    return {
        "months": list(chart.months),
        "series": [
            {"theme": s.theme, "label": label(s.theme, s.theme), "counts": list(s.counts)}
            for s in chart.table.series
        ],
        "rising": [
            {
                "theme": r.theme,
                "label": label(r.theme, r.theme),
                "recent": r.recent,
                "before": r.before,
                "ratio": r.ratio,
            }
            for r in chart.rising
        ],
    }


@router.post("/search/rebuild", response={202: JobStarted, **ERRORS}, auth=AUTH)
def rebuild(request):
    if not rules.can_rebuild_index(request.user):
        raise PermissionDenied("Only the secretariat rebuilds the search index.")
    job = actions.do_rebuild_index(actor=request.user)
    return Status(202, {"job": str(job.pk), "url": f"/api/jobs/{job.pk}"})
