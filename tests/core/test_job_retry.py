"""Retrying a failed job (owner, secretariat), the status page, the queue API and the "stopped" warning."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from concord.accounts import actions as account_actions
from concord.audit.models import AuditEntry
from concord.core import actions, jobs, leases, rules
from concord.core.models import Job, JobStatus
from concord.knowledge.tasks import rebuild_index
from concord.library.models import DocumentVersion
from tests.factories import ingest_act
from tests.worker import run_queued

ACT = (
    b"TEST ACT\n\nSection 1. Scope\n\nThis Act applies to data.\n\n"
    b"Section 2. Duty\n\nKeep it safe for 7 days.\n"
)


@pytest.fixture
def queue(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.CONCORD_TASK_MAX_ATTEMPTS = 1


@pytest.fixture
def admin(db):
    user = account_actions.do_create_user(
        actor=None, email="admin@test.example", full_name="Admin", password="correct-horse-battery-staple"
    )
    user.is_staff = user.is_superuser = True
    user.save()
    return user


def _failed_job(owner) -> Job:
    job = actions.do_start_job(actor=owner, kind="knowledge.rebuild", label="Rebuilding the index")
    jobs.enqueue(rebuild_index, job=job, kinds=["provision"])
    DBTaskResult.objects.filter(pk=job.task_id).update(status=TaskResultStatus.FAILED)
    return actions.do_finish_job(job=Job.objects.get(pk=job.pk), error="The worker stopped; tried 1 time.")


# --- who may retry: the matrix ------------------------------------------------------------------------------

RETRY_MATRIX = {
    "analyst_my": True,  # the owner
    "secretariat": True,
    "analyst_pk": False,
    "delegate_my": False,  # the owner's own delegate: not their job
    "observer": False,
    "stakeholder": False,
    "outsider": False,
    "admin": False,  # administrators see the queue; retrying is the owner's or the secretariat's call
    "anonymous": False,
}


@pytest.mark.django_db
@pytest.mark.parametrize(("persona", "allowed"), RETRY_MATRIX.items())
def test_who_may_retry_a_failed_job(queue, personas, admin, persona, allowed):
    job = _failed_job(personas.analyst_my)
    user = {"admin": admin, "anonymous": AnonymousUser()}.get(persona) or getattr(personas, persona)
    assert rules.can_retry_job(user, job) is allowed
    if allowed:
        assert actions.do_retry_job(actor=user, job=job).status == JobStatus.QUEUED
    else:
        with pytest.raises(PermissionDenied):
            actions.do_retry_job(actor=user, job=job)
        assert Job.objects.get(pk=job.pk).status == JobStatus.FAILED


@pytest.mark.django_db
def test_a_deactivated_owner_may_not_retry(queue, personas):
    job = _failed_job(personas.analyst_my)
    personas.analyst_my.is_active = False
    assert not rules.can_retry_job(personas.analyst_my, job)


QUEUE_MATRIX = {
    "secretariat": True,
    "admin": True,
    "analyst_my": False,
    "delegate_pk": False,
    "observer": False,
    "outsider": False,
    "anonymous": False,
}


@pytest.mark.django_db
@pytest.mark.parametrize(("persona", "allowed"), QUEUE_MATRIX.items())
def test_who_may_see_the_state_of_background_work(personas, admin, persona, allowed):
    user = {"admin": admin, "anonymous": AnonymousUser()}.get(persona) or getattr(personas, persona)
    assert rules.can_view_queue_health(user) is allowed


# --- what a retry does --------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_retry_queues_the_same_task_again_as_a_fresh_run_and_is_audited(queue, personas):
    job = _failed_job(personas.analyst_my)
    old_task = job.task_id

    actions.do_retry_job(actor=personas.analyst_my, job=job)

    job.refresh_from_db()
    assert (job.status, job.error, job.attempts, job.done, job.finished_at) == (
        JobStatus.QUEUED,
        "",
        0,
        0,
        None,
    )
    assert job.task_id != old_task
    task = DBTaskResult.objects.get(pk=job.task_id)
    assert task.status == TaskResultStatus.READY
    assert task.task_path == "concord.knowledge.tasks.rebuild_index"
    assert task.args_kwargs["kwargs"] == {"job_id": str(job.pk), "kinds": ["provision"]}
    entry = AuditEntry.objects.get(action="job.retry", object_id=str(job.pk))
    assert entry.actor_id == personas.analyst_my.pk


@pytest.mark.django_db
def test_only_a_failed_background_job_can_be_retried(queue, personas):
    running = actions.do_start_job(actor=personas.analyst_my, kind="x", label="Running")
    jobs.enqueue(rebuild_index, job=running)
    with pytest.raises(ValidationError, match="Only a failed job"):
        actions.do_retry_job(actor=personas.analyst_my, job=running)
    inline = actions.do_start_job(actor=personas.analyst_my, kind="x", label="Inline")
    actions.do_finish_job(job=inline, error="failed inline")
    assert not inline.can_be_retried  # no task to queue
    with pytest.raises(ValidationError):
        actions.do_retry_job(actor=personas.analyst_my, job=inline)


@pytest.mark.django_db
def test_a_retry_of_a_job_retried_meanwhile_is_refused(queue, personas):
    job = _failed_job(personas.analyst_my)
    stale = Job.objects.get(pk=job.pk)
    actions.do_retry_job(actor=personas.analyst_my, job=job)
    with pytest.raises(ValidationError, match="already queued again"):
        actions.do_retry_job(actor=personas.secretariat, job=stale)
    assert DBTaskResult.objects.filter(status=TaskResultStatus.READY).count() == 1


@pytest.mark.django_db
def test_a_document_abandoned_by_dead_workers_is_read_after_its_owner_retries(queue, personas):
    result = ingest_act(personas, ACT, by=personas.analyst_my, title="Test act", embed="skip")
    job = result.version.job
    task = DBTaskResult.objects.get(pk=job.task_id)
    task.claim("dead")
    leases.claim_job(task, "dead")  # then the worker was killed; its lease runs out
    leases.reap(now=timezone.now() + timedelta(seconds=leases.lease_seconds() + 1))
    version = DocumentVersion.objects.get(pk=result.version.pk)
    assert version.status == "failed" and version.error_code == "worker"
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED and "tried 1 time" in job.error

    actions.do_retry_job(actor=personas.analyst_my, job=job)
    job.refresh_from_db()
    run_queued(job.task_id)

    job.refresh_from_db()
    assert job.status == JobStatus.SUCCEEDED and job.attempts == 1
    version.refresh_from_db()
    assert version.status == "ready"
    assert version.provisions.count() >= 2


# --- pages and API ------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_owner_sees_a_retry_button_on_a_failed_job_and_it_queues_the_job(queue, personas, as_user):
    job = _failed_job(personas.analyst_my)
    client = as_user(personas.analyst_my)
    page = client.get(job.get_absolute_url())
    assert "The worker stopped; tried 1 time." in page.content.decode()
    assert f'action="/jobs/{job.pk}/retry/"' in page.content.decode()

    response = client.post(f"/jobs/{job.pk}/retry/")
    assert response.status_code == 302 and response["Location"] == job.get_absolute_url()
    assert Job.objects.get(pk=job.pk).status == JobStatus.QUEUED
    page = client.get(job.get_absolute_url())
    assert "/retry/" not in page.content.decode()
    assert client.get(f"/jobs/{job.pk}/retry/").status_code == 405


@pytest.mark.django_db
def test_another_user_cannot_retry_and_learns_nothing(queue, personas, as_user):
    job = _failed_job(personas.analyst_my)
    assert as_user(personas.analyst_pk).post(f"/jobs/{job.pk}/retry/").status_code == 404
    assert Job.objects.get(pk=job.pk).status == JobStatus.FAILED


@pytest.mark.django_db
def test_the_secretariat_retries_from_the_status_page(queue, personas, as_user):
    job = _failed_job(personas.analyst_my)
    client = as_user(personas.secretariat)
    page = client.get("/status/").content.decode()
    assert "knowledge.rebuild" in page
    assert "Rebuilding the index" not in page  # someone else's job: its kind, never its label
    assert f'action="/jobs/{job.pk}/retry/"' in page
    response = client.post(f"/jobs/{job.pk}/retry/")
    assert response.status_code == 302 and response["Location"] == "/status/"
    assert Job.objects.get(pk=job.pk).status == JobStatus.QUEUED


@pytest.mark.django_db
def test_the_status_page_is_for_the_secretariat_and_admins(personas, admin, as_user, client):
    assert client.get("/status/").status_code == 302  # to sign in
    assert as_user(personas.analyst_my).get("/status/").status_code == 403
    assert as_user(admin).get("/status/").status_code == 200
    page = as_user(personas.secretariat).get("/status/")
    assert page.status_code == 200
    assert "No worker has reported recently" in page.content.decode()
    assert 'href="/status/"' in page.content.decode()  # the footer link


@pytest.mark.django_db
def test_the_footer_links_the_status_page_only_for_those_allowed(personas, as_user):
    assert 'href="/status/"' not in as_user(personas.analyst_my).get("/").content.decode()


@pytest.mark.django_db
def test_the_secretariat_is_warned_when_work_waits_and_no_worker_lives(queue, personas, as_user):
    job = actions.do_start_job(actor=personas.analyst_my, kind="knowledge.rebuild", label="Rebuilding")
    jobs.enqueue(rebuild_index, job=job)
    warning = "Background work has stopped"
    assert warning in as_user(personas.secretariat).get("/").content.decode()
    assert warning not in as_user(personas.analyst_my).get("/").content.decode()
    leases.register_worker("w1")
    assert warning not in as_user(personas.secretariat).get("/").content.decode()


@pytest.mark.django_db
def test_api_retry(queue, personas, as_user):
    client = as_user(personas.analyst_pk)
    job = _failed_job(personas.analyst_my)
    assert client.post(f"/api/jobs/{job.pk}/retry").status_code == 404
    client.force_login(personas.analyst_my)
    response = client.post(f"/api/jobs/{job.pk}/retry")
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "queued" and response.json()["can_be_retried"] is False
    again = client.post(f"/api/jobs/{job.pk}/retry")
    assert again.status_code == 400
    assert again.json()["error"]["code"] == "invalid"


@pytest.mark.django_db
def test_api_queue_status(queue, personas, as_user):
    job = actions.do_start_job(actor=personas.analyst_my, kind="knowledge.rebuild", label="Rebuilding")
    jobs.enqueue(rebuild_index, job=job)
    leases.register_worker("w1")
    client = as_user(personas.analyst_my)
    assert client.get("/api/status/queue").status_code == 403
    client.force_login(personas.secretariat)
    body = client.get("/api/status/queue").json()
    assert body["queued"] == 1 and body["running"] == 0 and body["failed_last_day"] == 0
    assert body["oldest_queued_seconds"] >= 0 and body["stalled"] is False
    assert [w["worker_id"] for w in body["workers"]] == ["w1"]
    assert body["lease_seconds"] == leases.lease_seconds()
    leases.unregister_worker("w1")
    assert client.get("/api/status/queue").json()["stalled"] is True
