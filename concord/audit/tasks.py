"""Background export of the audit log as CSV."""

from __future__ import annotations

import csv
from pathlib import Path

from django.conf import settings
from django.urls import reverse
from django_tasks import task

from concord.core import jobs
from concord.core.csvsafe import safe_cell
from concord.core.models import Job

from .filters import filter_entries
from .models import AuditEntry

HEADER = [
    "time",
    "actor",
    "action",
    "object_type",
    "object_id",
    "object",
    "changed_fields",
    "ip_address",
    "via",
]


def export_path(job_id: str) -> Path:
    return Path(settings.MEDIA_ROOT) / "exports" / f"audit-{job_id}.csv"


@task()
def export_audit_csv(job_id: str, filters: dict[str, str]) -> None:
    """The entries the job's owner may read, by the rules in force when the job runs."""
    with jobs.running(job_id) as progress:
        owner = Job.objects.select_related("owner").get(pk=job_id).owner
        visible = AuditEntry.objects.visible_to(owner) if owner is not None else AuditEntry.objects.none()
        qs = filter_entries(visible.select_related("actor"), filters).order_by("created_at", "id")
        total = qs.count()
        progress(0, total, "")
        path = export_path(job_id)
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".part")
        with tmp.open("w", newline="", encoding="utf-8") as fh:
            writer = csv.writer(fh)
            writer.writerow(HEADER)
            for i, e in enumerate(qs.iterator(chunk_size=2000), start=1):
                writer.writerow(
                    [
                        e.created_at.isoformat(),
                        e.actor_display,
                        e.action,
                        e.object_type,
                        e.object_id,
                        safe_cell(e.object_repr),
                        " ".join(e.changed_fields()),
                        e.ip_address or "",
                        e.via,
                    ]
                )
                if i % 500 == 0:
                    progress(i, total)
        tmp.replace(path)  # the file appears whole or not at all
    jobs.finish(job_id, result={"rows": total}, result_url=reverse("audit:download", args=[job_id]))
