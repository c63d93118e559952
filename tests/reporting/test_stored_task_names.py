"""Jobs queued before the reporting left the secretariat still run: their rows name the tasks by the dotted
path they had then (``concord.secretariat.tasks.build_dossier``), and a dossier's job keeps its kind."""

from __future__ import annotations

import pytest
from django.utils.module_loading import import_string
from django_tasks_db.models import DBTaskResult

from concord.core import actions as core_actions
from concord.core.models import Job, JobStatus
from concord.reporting import tasks
from concord.reporting.actions import do_request_dossier
from concord.reporting.tasks import dossier_path
from tests.worker import run_queued

FORMER = "concord.secretariat.tasks"

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("name", ["build_dossier", "send_reminders_task"])
def test_the_former_dotted_paths_lead_to_the_tasks(name):
    assert import_string(f"{FORMER}.{name}") is getattr(tasks, name)


def test_a_dossier_job_keeps_its_kind_and_names_the_task_where_it_lives(personas, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    job = do_request_dossier(actor=personas.delegate_my, dialogue=personas.dialogue)
    assert job.kind == "secretariat.dossier"
    assert job.task_path == "concord.reporting.tasks.build_dossier"


def test_a_queued_row_written_before_the_move_is_run_by_the_worker(personas, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    job = do_request_dossier(actor=personas.delegate_my, dialogue=personas.dialogue)
    Job.objects.filter(pk=job.pk).update(task_path=f"{FORMER}.build_dossier")
    DBTaskResult.objects.filter(pk=job.task_id).update(task_path=f"{FORMER}.build_dossier")
    run_queued(job.task_id)
    job.refresh_from_db()
    assert job.status == JobStatus.SUCCEEDED, job.error
    assert dossier_path(str(job.pk), "pdf").exists() and dossier_path(str(job.pk), "xlsx").exists()


def test_a_failed_job_from_before_the_move_is_retried(personas, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    job = core_actions.do_start_job(actor=personas.delegate_my, kind="secretariat.dossier", label="Dossier")
    Job.objects.filter(pk=job.pk).update(
        task_path=f"{FORMER}.build_dossier",
        task_kwargs={
            "dialogue_id": personas.dialogue.pk,
            "user_id": personas.delegate_my.pk,
            "language": "en",
        },
    )
    job = core_actions.do_finish_job(job=Job.objects.get(pk=job.pk), error="The worker stopped.")
    assert job.can_be_retried
    core_actions.do_retry_job(actor=personas.delegate_my, job=job)
    job.refresh_from_db()
    assert job.status == JobStatus.SUCCEEDED, job.error
    assert dossier_path(str(job.pk), "xlsx").exists()
