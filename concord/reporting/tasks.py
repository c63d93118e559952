"""Background tasks: building the round dossier (PDF + XLSX) and sending due-date and overdue reminders.

Jobs queued before the app moved name these tasks ``concord.secretariat.tasks.<name>``
(``Job.task_path``, and the queue's own rows): that module keeps the names, for them.
"""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import translation
from django_tasks import task

from concord.accounts.models import Dialogue
from concord.core import jobs

from . import dossier, reports


def dossier_path(job_id: str, ext: str) -> Path:
    return Path(settings.MEDIA_ROOT) / "exports" / f"dossier-{job_id}.{ext}"


@task()
def build_dossier(job_id: str, dialogue_id: int, user_id: int, language: str) -> None:
    with jobs.running(job_id) as progress:
        user = get_user_model().objects.get(pk=user_id)
        dialogue = Dialogue.objects.get(pk=dialogue_id)
        progress(0, 3, "Collecting decisions and commitments", force=True)
        with translation.override("en"):
            data = reports.dossier_data(user, dialogue)
            ctx = dossier.context(data, dialogue, language)
            progress(1, 3, "Rendering the PDF", force=True)
            pdf = dossier.render_pdf(ctx)
            progress(2, 3, "Writing the workbook", force=True)
            xlsx = dossier.render_xlsx(ctx)
        for ext, content in (("pdf", pdf), ("xlsx", xlsx)):
            path = dossier_path(job_id, ext)
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = path.with_suffix(".part")
            tmp.write_bytes(content)
            tmp.replace(path)  # whole or not at all
    jobs.finish(
        job_id,
        result={"meetings": len(data["meetings"]), "commitments": len(data["commitments"])},
        result_url=reverse("secretariat:dossier_ready", args=[job_id]),
    )


@task()
def send_reminders_task() -> int:
    from .actions import do_send_reminders

    return do_send_reminders(actor=None)
