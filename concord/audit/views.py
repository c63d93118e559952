"""The audit log for the secretariat: read, filter, export. There is no way to edit or delete."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from concord.audit.rules import can_read_log
from concord.core import actions as core_actions
from concord.core import jobs
from concord.core.models import Job

from .filters import active_filters, filter_entries
from .models import AuditEntry
from .tasks import export_audit_csv, export_path


def _require_auditor(request) -> None:
    if not can_read_log(request.user):
        raise PermissionDenied(_("Only the secretariat can read the audit log."))


@login_required
def audit_list(request):
    _require_auditor(request)
    visible = AuditEntry.objects.visible_to(request.user)
    qs = filter_entries(visible.select_related("actor"), request.GET)
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    object_types = visible.order_by().values_list("object_type", flat=True).distinct()
    return render(
        request,
        "audit/list.html",
        {
            "page": page,
            "filters": active_filters(request.GET),
            "object_types": sorted(t for t in object_types if t),
        },
    )


@login_required
def audit_entry(request, pk: int):
    _require_auditor(request)
    entry = get_object_or_404(AuditEntry.objects.visible_to(request.user).select_related("actor"), pk=pk)
    before, after = entry.before or {}, entry.after or {}
    rows = [
        (k, before.get(k), after.get(k), before.get(k) != after.get(k))
        for k in sorted(set(before) | set(after))
    ]
    return render(request, "audit/entry.html", {"entry": entry, "rows": rows})


@login_required
@require_POST
def audit_export(request):
    _require_auditor(request)
    filters = active_filters(request.POST)
    job = core_actions.do_start_job(actor=request.user, kind="audit.export", label=_("Audit log export"))
    jobs.enqueue(export_audit_csv, job=job, filters=filters)
    return redirect(job)


@login_required
def audit_download(request, job_id):
    _require_auditor(request)
    job = get_object_or_404(Job, pk=job_id, owner=request.user, kind="audit.export")
    path = export_path(str(job.pk))
    if not path.exists():
        raise Http404(_("This export is not ready, or has been removed."))
    return FileResponse(
        path.open("rb"),
        as_attachment=True,
        filename=f"concord-audit-{job.created_at:%Y%m%d-%H%M}.csv",
        content_type="text/csv; charset=utf-8",
    )
