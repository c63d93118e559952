"""Leases on running tasks, worker heartbeats, the reaper that takes back a dead worker's task, queue health.

A worker claims a task's job with a lease of ``CONCORD_TASK_LEASE_SECONDS`` and renews it from a heartbeat
thread while it lives (`concord.core.worker`). If the worker is killed, nobody renews the lease; the reaper,
which every worker runs at start and then at every heartbeat (a quarter lease), finds it expired and either
queues the task again or, after ``CONCORD_TASK_MAX_ATTEMPTS`` runs, fails its job with a message that says
what happened. Every taking
back is a conditional UPDATE on the row as it was read, so of two workers reaping at once exactly one wins.
"""

from __future__ import annotations

import logging
import os
import socket
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F, Min, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from concord.audit.log import record

from .models import Job, JobStatus, WorkerHeartbeat

log = logging.getLogger(__name__)

UNFINISHED = (JobStatus.QUEUED, JobStatus.RUNNING)
ABANDONED_EXCEPTION = "concord.core.leases.WorkerLost"

# What an app does when one of its jobs is given up for good (the library marks the version failed), by
# job kind. Apps register in their AppConfig.ready(); the reaper calls the handler after failing the job.
_abandon_handlers: dict[str, Callable[[Job], None]] = {}


def on_abandon(kind: str, handler: Callable[[Job], None]) -> None:
    _abandon_handlers[kind] = handler


def lease_seconds() -> int:
    return int(settings.CONCORD_TASK_LEASE_SECONDS)


def max_attempts() -> int:
    return int(settings.CONCORD_TASK_MAX_ATTEMPTS)


def heartbeat_interval() -> float:
    """How often a worker beats: four times per lease, so one late beat never loses a lease."""
    return max(0.2, lease_seconds() / 4)


# --- the worker's side ------------------------------------------------------------------------------------


def register_worker(worker_id: str) -> WorkerHeartbeat:
    now = timezone.now()
    beat, _created = WorkerHeartbeat.objects.update_or_create(
        worker_id=worker_id,
        defaults={
            "hostname": socket.gethostname()[:255],
            "pid": os.getpid(),
            "started_at": now,
            "last_seen": now,
            "stopped_at": None,
        },
    )
    return beat


def beat(worker_id: str) -> int:
    """Say the worker lives, and renew the lease of the job it runs. Returns the number of leases renewed."""
    now = timezone.now()
    WorkerHeartbeat.objects.filter(worker_id=worker_id).update(last_seen=now)
    return Job.objects.filter(worker_id=worker_id, status__in=UNFINISHED).update(
        lease_expires_at=now + timedelta(seconds=lease_seconds())
    )


def unregister_worker(worker_id: str) -> None:
    WorkerHeartbeat.objects.filter(worker_id=worker_id).update(stopped_at=timezone.now())


def count_task_run(worker_id: str) -> None:
    WorkerHeartbeat.objects.filter(worker_id=worker_id).update(tasks_run=F("tasks_run") + 1)


def job_id_of(task_result: DBTaskResult) -> str | None:
    kwargs = (task_result.args_kwargs or {}).get("kwargs") or {}
    job_id = kwargs.get("job_id")
    return str(job_id) if job_id else None


def claim_job(task_result: DBTaskResult, worker_id: str) -> bool:
    """Take the lease of the job of a task this worker has just claimed, and count the attempt."""
    job_id = job_id_of(task_result)
    if job_id is None:
        return False
    return bool(
        Job.objects.filter(pk=job_id, status__in=UNFINISHED).update(
            worker_id=worker_id,
            task_id=str(task_result.pk),
            attempts=F("attempts") + 1,
            lease_expires_at=timezone.now() + timedelta(seconds=lease_seconds()),
        )
    )


# --- the reaper -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Reaped:
    requeued: list[str]
    failed: list[str]
    closed_tasks: int  # task rows left "running" by a dead worker after their job had finished


def alive_worker_ids(now: datetime | None = None) -> set[str]:
    now = now or timezone.now()
    since = now - timedelta(seconds=lease_seconds())
    return set(
        WorkerHeartbeat.objects.filter(last_seen__gte=since, stopped_at__isnull=True).values_list(
            "worker_id", flat=True
        )
    )


def reap(now: datetime | None = None, *, own_worker_id: str = "") -> Reaped:
    """Take back the tasks whose worker stopped: queue them again, or fail them after the last attempt.

    A worker passes its own id: it is alive, so its own jobs are never taken back, even when a renewal of
    their lease failed (a database locked past a lease) and the reaping that follows succeeds.
    """
    now = now or timezone.now()
    expired = list(
        Job.objects.filter(status__in=UNFINISHED, lease_expires_at__lt=now)
        .exclude(worker_id__in=[own_worker_id] if own_worker_id else [])
        .only("id", "kind", "label", "status", "attempts", "lease_expires_at", "worker_id", "task_id")
    )
    requeued: list[str] = []
    failed: list[str] = []
    for job in expired:
        outcome = _take_back(job, now=now)
        if outcome == "requeued":
            requeued.append(str(job.pk))
        elif outcome == "failed":
            failed.append(str(job.pk))
    closed = _close_orphaned_tasks(now, own_worker_id)
    if requeued or failed or closed:
        log.warning(
            "reaper: %d task(s) queued again, %d failed, %d orphaned task row(s) closed",
            len(requeued),
            len(failed),
            closed,
        )
    return Reaped(requeued=requeued, failed=failed, closed_tasks=closed)


def _as_read(job: Job) -> Q:
    """The job row exactly as the reaper read it: an UPDATE under this filter wins at most once."""
    return Q(
        pk=job.pk,
        status=job.status,
        attempts=job.attempts,
        worker_id=job.worker_id,
        lease_expires_at=job.lease_expires_at,
    )


def _take_back(job: Job, *, now: datetime) -> str:
    limit = max_attempts()
    if job.attempts < limit:
        message = _(
            "The worker stopped while running this; it was queued again (attempt %(next)d of %(max)d)."
        ) % {"next": job.attempts + 1, "max": limit}
        with transaction.atomic():
            won = Job.objects.filter(_as_read(job)).update(
                status=JobStatus.QUEUED, worker_id="", lease_expires_at=None, done=0, message=message[:500]
            )
            if not won:
                return "lost"
            if job.task_id:
                DBTaskResult.objects.filter(pk=job.task_id, status=TaskResultStatus.RUNNING).update(
                    status=TaskResultStatus.READY, started_at=None
                )
            record(
                actor=None,
                action="job.requeue",
                obj=job,
                after={"attempts": job.attempts, "worker": job.worker_id},
            )
        return "requeued"
    error = ngettext(
        "The worker stopped while running “%(label)s”; tried %(count)d time. It can be retried.",
        "The worker stopped while running “%(label)s”; tried %(count)d times. It can be retried.",
        job.attempts,
    ) % {"label": job.label, "count": job.attempts}
    with transaction.atomic():
        won = Job.objects.filter(_as_read(job)).update(
            status=JobStatus.FAILED,
            error=error[:5000],
            message="",
            lease_expires_at=None,
            finished_at=now,
        )
        if not won:
            return "lost"
        if job.task_id:
            DBTaskResult.objects.filter(pk=job.task_id, status=TaskResultStatus.RUNNING).update(
                status=TaskResultStatus.FAILED,
                finished_at=now,
                exception_class_path=ABANDONED_EXCEPTION,
                traceback=error,
            )
        record(actor=None, action="job.fail", obj=job, after={"status": JobStatus.FAILED, "error": error})
        handler = _abandon_handlers.get(job.kind)
        if handler is not None:
            # In the same transaction: nobody sees the job failed while its document still says "processing".
            job.refresh_from_db()
            try:
                with transaction.atomic():
                    handler(job)
            except Exception:  # noqa: BLE001 - the job is failed either way; the app's follow-up is logged
                log.exception("abandon handler for job %s (%s) failed", job.pk, job.kind)
    return "failed"


def _close_orphaned_tasks(now: datetime, own_worker_id: str = "") -> int:
    """Task rows left "running" by a dead worker: give their job a lease that has run out, or close them.

    The worker may die between claiming the task and leasing its job, or between finishing the job and
    marking the task done. Either way the row would count as running for ever.
    """
    alive = alive_worker_ids(now) | {own_worker_id}
    cutoff = now - timedelta(seconds=lease_seconds())
    closed = 0
    for task in DBTaskResult.objects.filter(status=TaskResultStatus.RUNNING, started_at__lt=cutoff).only(
        "id", "worker_ids", "args_kwargs", "started_at"
    ):
        worker = task.worker_ids[-1] if task.worker_ids else ""
        if worker in alive:
            continue
        job_id = job_id_of(task)
        job = Job.objects.filter(pk=job_id).first() if job_id else None
        if job is not None and job.status in UNFINISHED:
            if job.lease_expires_at is None:
                # Claimed, never leased: lease it as expired; the next pass takes it back like any other.
                Job.objects.filter(pk=job.pk, lease_expires_at__isnull=True).update(
                    lease_expires_at=cutoff, task_id=str(task.pk), worker_id=worker
                )
            continue
        succeeded = job is not None and job.status == JobStatus.SUCCEEDED
        closed += DBTaskResult.objects.filter(pk=task.pk, status=TaskResultStatus.RUNNING).update(
            status=TaskResultStatus.SUCCESSFUL if succeeded else TaskResultStatus.FAILED,
            finished_at=now,
            exception_class_path="" if succeeded else ABANDONED_EXCEPTION,
            traceback="" if succeeded else "The worker stopped while running this task.",
        )
    return closed


# --- queue health -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class WorkerState:
    worker_id: str
    hostname: str
    pid: int
    started_at: datetime
    last_seen: datetime
    tasks_run: int


@dataclass(frozen=True)
class QueueHealth:
    queued: int
    running: int
    failed_last_day: int
    oldest_queued_at: datetime | None
    oldest_queued_seconds: int | None
    workers: list[WorkerState]
    lease_seconds: int

    @property
    def stalled(self) -> bool:
        """Work waits and no worker has beaten within a lease: background work has stopped."""
        return self.queued > 0 and not self.workers


def queue_health(now: datetime | None = None) -> QueueHealth:
    now = now or timezone.now()
    tasks = DBTaskResult.objects.all()
    ready = tasks.filter(status=TaskResultStatus.READY)
    oldest = ready.aggregate(oldest=Min("enqueued_at"))["oldest"]
    since = now - timedelta(seconds=lease_seconds())
    workers = [
        WorkerState(w.worker_id, w.hostname, w.pid, w.started_at, w.last_seen, w.tasks_run)
        for w in WorkerHeartbeat.objects.filter(last_seen__gte=since, stopped_at__isnull=True)
    ]
    return QueueHealth(
        queued=ready.count(),
        running=tasks.filter(status=TaskResultStatus.RUNNING).count(),
        failed_last_day=tasks.filter(
            status=TaskResultStatus.FAILED, finished_at__gte=now - timedelta(days=1)
        ).count(),
        oldest_queued_at=oldest,
        oldest_queued_seconds=int((now - oldest).total_seconds()) if oldest else None,
        workers=workers,
        lease_seconds=lease_seconds(),
    )


def background_work_stopped(now: datetime | None = None) -> bool:
    """The cheap check behind the warning on every page for the secretariat: queued work, no live worker."""
    now = now or timezone.now()
    if not DBTaskResult.objects.filter(status=TaskResultStatus.READY).exists():
        return False
    since = now - timedelta(seconds=lease_seconds())
    return not WorkerHeartbeat.objects.filter(last_seen__gte=since, stopped_at__isnull=True).exists()
