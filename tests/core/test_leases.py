"""Leases, heartbeats and the reaper, on the real task queue (database backend) with a moved clock."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from concord.audit.models import AuditEntry
from concord.core import actions, jobs, leases
from concord.core.models import Job, JobStatus, WorkerHeartbeat
from concord.knowledge.tasks import rebuild_index


@pytest.fixture
def queue(settings):
    """The database backend, as in production: a queued task waits for a worker."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.CONCORD_TASK_LEASE_SECONDS = 120
    settings.CONCORD_TASK_MAX_ATTEMPTS = 3


def _queued_job(personas) -> Job:
    job = actions.do_start_job(actor=personas.analyst_my, kind="knowledge.rebuild", label="Rebuilding")
    return jobs.enqueue(rebuild_index, job=job, kinds=["provision"])


def _claim(job: Job, worker_id: str) -> DBTaskResult:
    """What a worker does on taking the task: claim the task row, then lease its job."""
    task = DBTaskResult.objects.get(pk=job.task_id)
    task.claim(worker_id)
    assert leases.claim_job(task, worker_id)
    leases.register_worker(worker_id)
    return task


def _later(seconds: float):
    return timezone.now() + timedelta(seconds=seconds)


@pytest.mark.django_db
def test_claiming_a_task_leases_its_job_and_counts_the_attempt(queue, personas):
    job = _queued_job(personas)
    _claim(job, "w1")
    job.refresh_from_db()
    assert job.worker_id == "w1"
    assert job.attempts == 1
    assert timezone.now() < job.lease_expires_at <= _later(120)


@pytest.mark.django_db
def test_a_heartbeat_renews_the_lease_of_the_running_job_only(queue, personas, settings):
    job = _queued_job(personas)
    other = _queued_job(personas)
    _claim(job, "w1")
    Job.objects.filter(pk=job.pk).update(lease_expires_at=timezone.now())
    assert leases.beat("w1") == 1
    job.refresh_from_db()
    other.refresh_from_db()
    assert job.lease_expires_at > _later(100)
    assert other.lease_expires_at is None
    assert WorkerHeartbeat.objects.get(worker_id="w1").last_seen > _later(-5)


@pytest.mark.django_db
def test_a_live_lease_is_left_alone(queue, personas):
    job = _queued_job(personas)
    _claim(job, "w1")
    assert leases.reap(now=_later(60)) == leases.Reaped([], [], 0)
    job.refresh_from_db()
    assert job.worker_id == "w1"
    assert DBTaskResult.objects.get(pk=job.task_id).status == TaskResultStatus.RUNNING


@pytest.mark.django_db
def test_a_worker_never_takes_back_its_own_job_even_when_a_renewal_failed(queue, personas):
    job = _queued_job(personas)
    _claim(job, "w1")
    assert leases.reap(now=_later(121), own_worker_id="w1") == leases.Reaped([], [], 0)
    assert leases.reap(now=_later(121), own_worker_id="w2").requeued == [str(job.pk)]


@pytest.mark.django_db
def test_an_expired_lease_puts_the_task_back_in_the_queue_and_the_page_says_so(queue, personas):
    job = _queued_job(personas)
    _claim(job, "w1")
    Job.objects.filter(pk=job.pk).update(status=JobStatus.RUNNING, done=3, total=5)

    reaped = leases.reap(now=_later(121))

    assert reaped.requeued == [str(job.pk)]
    job.refresh_from_db()
    assert job.status == JobStatus.QUEUED
    assert job.done == 0 and job.percent == 0  # not "60%" for ever
    assert job.worker_id == "" and job.lease_expires_at is None
    assert "queued again (attempt 2 of 3)" in job.message
    task = DBTaskResult.objects.get(pk=job.task_id)
    assert task.status == TaskResultStatus.READY
    assert DBTaskResult.objects.ready().filter(pk=task.pk).exists()  # the next worker will take it
    assert AuditEntry.objects.filter(action="job.requeue", object_id=str(job.pk)).exists()


@pytest.mark.django_db
def test_after_the_last_attempt_the_job_fails_with_a_message_naming_the_count(queue, personas, settings):
    settings.CONCORD_TASK_MAX_ATTEMPTS = 2
    job = _queued_job(personas)
    for attempt in (1, 2):
        _claim(job, f"w{attempt}")
        job.refresh_from_db()
        assert job.attempts == attempt
        reaped = leases.reap(now=_later(121))
        job.refresh_from_db()
    assert reaped.failed == [str(job.pk)]
    assert job.status == JobStatus.FAILED
    assert job.error.startswith("The worker stopped while running “Rebuilding”; tried 2 times.")
    assert job.finished_at is not None
    assert job.can_be_retried
    task = DBTaskResult.objects.get(pk=job.task_id)
    assert task.status == TaskResultStatus.FAILED
    assert task.exception_class_path == leases.ABANDONED_EXCEPTION
    assert AuditEntry.objects.filter(action="job.fail", object_id=str(job.pk)).exists()
    assert leases.reap(now=_later(500)) == leases.Reaped([], [], 0)  # a failed job is never taken again


@pytest.mark.django_db
def test_two_reapers_reading_the_same_expired_job_take_it_back_once(queue, personas):
    job = _queued_job(personas)
    _claim(job, "w1")
    job.refresh_from_db()
    seen_by_a = Job.objects.get(pk=job.pk)
    seen_by_b = Job.objects.get(pk=job.pk)
    now = _later(121)

    first = leases._take_back(seen_by_a, now=now)
    second = leases._take_back(seen_by_b, now=now)

    assert (first, second) == ("requeued", "lost")
    assert AuditEntry.objects.filter(action="job.requeue", object_id=str(job.pk)).count() == 1
    # The second reaper read the job before the first took it; it may not touch the requeued row.
    job.refresh_from_db()
    assert job.status == JobStatus.QUEUED and job.attempts == 1


@pytest.mark.django_db
def test_a_reaper_does_not_take_back_a_job_a_worker_claimed_after_it_looked(queue, personas):
    job = _queued_job(personas)
    _claim(job, "w1")
    stale = Job.objects.get(pk=job.pk)
    leases.reap(now=_later(121))  # requeued
    _claim(Job.objects.get(pk=job.pk), "w2")  # and claimed again by a new worker

    assert leases._take_back(stale, now=_later(121)) == "lost"
    job.refresh_from_db()
    assert job.worker_id == "w2" and job.attempts == 2


@pytest.mark.django_db
def test_a_task_claimed_by_a_dead_worker_before_its_job_was_leased_is_taken_back(queue, personas):
    job = _queued_job(personas)
    task = DBTaskResult.objects.get(pk=job.task_id)
    task.claim("dead")  # killed before leases.claim_job
    first = leases.reap(now=_later(121))  # gives the job a lease that has run out
    second = leases.reap(now=_later(122))
    assert first.requeued == [] and second.requeued == [str(job.pk)]
    assert DBTaskResult.objects.get(pk=task.pk).status == TaskResultStatus.READY


@pytest.mark.django_db
def test_a_task_row_left_running_after_its_job_finished_is_closed(queue, personas):
    job = _queued_job(personas)
    task = _claim(job, "dead")
    jobs.finish(str(job.pk), result={"ok": True})  # killed before the task row was marked done
    reaped = leases.reap(now=_later(200))
    assert reaped.closed_tasks == 1
    assert DBTaskResult.objects.get(pk=task.pk).status == TaskResultStatus.SUCCESSFUL
    job.refresh_from_db()
    assert job.status == JobStatus.SUCCEEDED


@pytest.mark.django_db
def test_a_live_workers_task_row_is_not_closed(queue, personas):
    job = _queued_job(personas)
    task = _claim(job, "alive")
    jobs.finish(str(job.pk))
    WorkerHeartbeat.objects.filter(worker_id="alive").update(last_seen=_later(200))
    assert leases.reap(now=_later(200)).closed_tasks == 0
    assert DBTaskResult.objects.get(pk=task.pk).status == TaskResultStatus.RUNNING


@pytest.mark.django_db
def test_queue_health_counts_the_queue_and_lists_live_workers(queue, personas):
    waiting = _queued_job(personas)
    running = _queued_job(personas)
    _claim(running, "w1")
    failed = _queued_job(personas)
    DBTaskResult.objects.filter(pk=failed.task_id).update(
        status=TaskResultStatus.FAILED, finished_at=timezone.now()
    )
    WorkerHeartbeat.objects.create(worker_id="gone", last_seen=_later(-600))
    WorkerHeartbeat.objects.create(worker_id="stopped", stopped_at=timezone.now())

    health = leases.queue_health(now=_later(30))

    assert (health.queued, health.running, health.failed_last_day) == (1, 1, 1)
    assert health.oldest_queued_at == DBTaskResult.objects.get(pk=waiting.task_id).enqueued_at
    assert 29 <= health.oldest_queued_seconds <= 31
    assert [w.worker_id for w in health.workers] == ["w1"]
    assert not health.stalled
    assert leases.queue_health(now=_later(3 * 86400)).failed_last_day == 0


@pytest.mark.django_db
def test_background_work_has_stopped_when_work_waits_and_no_worker_beats(queue, personas):
    assert not leases.background_work_stopped()  # nothing waits
    _queued_job(personas)
    assert leases.background_work_stopped()
    leases.register_worker("w1")
    assert not leases.background_work_stopped()
    assert leases.background_work_stopped(now=_later(121))  # its last beat is older than a lease
    leases.unregister_worker("w1")
    assert leases.background_work_stopped()
    assert leases.queue_health().stalled
