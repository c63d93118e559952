"""The dashboard of the dialogue's commitments, with its charts, and the round dossier."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from concord.commitments.graph import layers
from concord.core import charts
from concord.core.lookups import dialogue_or_404
from concord.core.models import Job, JobStatus

from . import reports, rules
from .actions import do_request_dossier
from .tasks import dossier_path


# --- dashboard --------------------------------------------------------------------------------------------
def dashboard(request, slug: str):
    dialogue = dialogue_or_404(slug)
    today = timezone.localdate()
    data = reports.dashboard(request.user, dialogue, today)
    percent = data["percent"]
    commitments = data["commitments"]

    def chart(groups, title):
        if not groups:
            return ""
        return charts.hbars(
            [charts.Row(g.label, (g.percent,), g.href) for g in groups],
            [charts.Key(_("Verified progress"), charts.PROGRESS)],
            title=title,
            axis_label=_("Verified progress (%)"),
        )

    spans = [
        charts.Span(
            label=f"{c.code} {c.title}",
            start=c.start_date or min(c.created_at.date(), c.end_date or today),
            end=c.end_date or max(c.start_date or today, today),
            percent=percent.get(c.pk),
            late=c in data["overdue"],
            href=c.get_absolute_url(),
            milestones=tuple(
                (m.planned_date, m.actual_date is not None) for m in c.milestones.all() if m.planned_date
            ),
        )
        for c in sorted(commitments, key=lambda c: (c.start_date or c.end_date or dt.date.max, c.code))
        if c.start_date or c.end_date
    ]
    ids = {c.pk for c in commitments}
    edges = [(c.pk, d.pk) for c in commitments for d in c.depends_on.all() if d.pk in ids]
    linked = {n for e in edges for n in e}
    nodes = [
        charts.GraphNode(c.pk, f"{c.code} {c.title}", percent.get(c.pk), c.is_blocked, c.get_absolute_url())
        for c in commitments
        if c.pk in linked
    ]
    return render(
        request,
        "reporting/dashboard.html",
        {
            "dialogue": dialogue,
            "data": data,
            "today": today,
            "chart_wg": chart(data["by_working_group"], _("Progress by working group")),
            "chart_theme": chart(data["by_theme"], _("Progress by theme")),
            "chart_party": chart(data["by_party"], _("Progress by party")),
            "timeline": charts.timeline(spans, title=_("Timeline of commitments"), today=today)
            if spans
            else "",
            "graph": charts.dependency_graph(
                nodes,
                edges,
                layers([n.id for n in nodes], edges),
                title=_("Dependencies between commitments"),
            )
            if nodes
            else "",
            "overdue_rows": [(c, percent.get(c.pk)) for c in data["overdue"]],
            "can_dossier": rules.can_request_dossier(request.user, dialogue.pk),
        },
    )


# --- dossier ----------------------------------------------------------------------------------------------
@login_required
@require_POST
def dossier_request(request, slug: str):
    dialogue = dialogue_or_404(slug)
    try:
        job = do_request_dossier(actor=request.user, dialogue=dialogue, language=get_language() or "en")
    except PermissionDenied as exc:
        raise Http404(str(exc)) from exc
    return redirect("core:job", pk=job.pk)


def _own_job(request, job_id) -> Job:
    job = get_object_or_404(Job, pk=job_id, kind=rules.DOSSIER_KIND)
    if not rules.can_fetch_dossier(request.user, job):
        raise Http404(_("No such dossier."))
    return job


@login_required
def dossier_ready(request, job_id):
    job = _own_job(request, job_id)
    links = []
    if job.status == JobStatus.SUCCEEDED:
        links = [
            (_("PDF"), reverse("secretariat:dossier_file", args=[job.pk, "pdf"])),
            (_("XLSX workbook"), reverse("secretariat:dossier_file", args=[job.pk, "xlsx"])),
        ]
    return render(request, "reporting/dossier_ready.html", {"job": job, "links": links})


@login_required
def dossier_file(request, job_id, ext: str):
    job = _own_job(request, job_id)
    path: Path = dossier_path(str(job.pk), ext)
    if ext not in ("pdf", "xlsx") or not path.exists():
        raise Http404(_("No such dossier file."))
    stamp = job.created_at.strftime("%Y%m%d")
    return FileResponse(path.open("rb"), as_attachment=True, filename=f"round-dossier-{stamp}.{ext}")
