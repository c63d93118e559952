"""The search page, the trends page and a preview of the user's monthly digest."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from concord.core import charts

from . import actions, digest, registry, rules, search, trends


def search_page(request):
    g = request.GET
    query = g.get("q", "")
    filters, warnings = search.parse_filters(
        g.getlist("type")[:20], g.getlist("party")[:10], g.getlist("theme")[:20], g.getlist("year")[:10]
    )
    try:
        page = max(1, min(int(g.get("page", "1")), 1000))
    except ValueError:
        page = 1
    results = search.search(request.user, query, filters, page=page)
    results.warnings = warnings + results.warnings
    base = {"q": results.query}

    def toggle(name: str, value: str) -> str:
        current = {k: list(v) for k, v in g.lists() if k in ("type", "party", "theme", "year")}
        values = current.setdefault(name, [])
        values.remove(value) if value in values else values.append(value)
        return "?" + urlencode({**base, **current}, doseq=True)

    facets = [
        (name, label, [(v, toggle(name, v.value)) for v in results.facets.get(name, [])])
        for name, label in (
            ("type", _("Type")),
            ("party", _("Party or country")),
            ("theme", _("Theme")),
            ("year", _("Year")),
        )
    ]
    other = {k: v for k, v in g.lists() if k in ("type", "party", "theme", "year")}
    return render(
        request,
        "knowledge/search.html",
        {
            "results": results,
            "facets": facets,
            "q": results.query,
            "page_query": urlencode({**base, **other}, doseq=True),
            "kinds": [(s.kind, s.label) for s in registry.sources()],
            "can_rebuild": rules.can_rebuild_index(request.user),
        },
    )


def trends_page(request):
    kind = request.GET.get("type", "")[:40]
    kinds = [kind] if kind and registry.get(kind) else None
    chart = trends.chart(request.user, kinds=kinds)
    drawn = (
        charts.lines(
            [(line["label"], line["counts"]) for line in chart.lines],
            chart.months,
            title=_("Items per month for the leading themes"),
            axis_label=_("Items per month"),
        )
        if chart.lines
        else ""
    )
    return render(
        request,
        "knowledge/trends.html",
        {
            "chart": chart,
            "drawn": drawn,
            "kind": kind,
            "rising": [
                {"label": chart.labels.get(r.theme, r.theme), "recent": r.recent, "before": r.before}
                for r in chart.rising
            ],
            "kinds": [(s.kind, s.label) for s in registry.sources() if s.in_trends],
            "table": [
                (chart.labels.get(s.theme, s.theme), s.counts, s.total) for s in chart.table.series[:12]
            ],
        },
    )


@login_required
def digest_preview(request):
    months = digest.recent_months(6)
    period = request.GET.get("period", "")[:7] or digest.previous_month()
    if period not in months:
        period = digest.previous_month()
    built = digest.build(request.user, period)
    subject, body = digest.render(request.user, built)
    return render(
        request,
        "knowledge/digest.html",
        {
            "digest": built,
            "subject": subject,
            "body": body,
            "months": months,
            "current": digest.current_month(),
        },
    )


@login_required
@require_POST
def rebuild(request):
    try:
        job = actions.do_rebuild_index(actor=request.user)
    except (PermissionDenied, ValidationError) as exc:
        raise PermissionDenied(str(exc)) from exc
    messages.success(request, _("The search index is being rebuilt."))
    return redirect(job)
