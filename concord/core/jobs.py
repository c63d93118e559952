"""Running long work as background tasks that report progress through a `Job` record.

A task function receives the job id, wraps its body in ``with running(job_id) as progress:`` and calls
``progress(done, total, message)``. Failures are stored on the job with a readable message and never
leave it "running". Re-running a finished job's task is safe: it starts again from the beginning.
"""

from __future__ import annotations

import contextlib
import logging
import time
from collections.abc import Callable, Iterator

from django.core.exceptions import ValidationError

from concord.engine.errors import EngineError

from . import actions
from .models import Job

log = logging.getLogger(__name__)

Progress = Callable[..., None]


def enqueue(task, *, job: Job, **kwargs) -> Job:
    """Queue ``task`` for ``job``; the task receives ``job_id`` and ``kwargs``."""
    # The task and its arguments are kept on the job first, so a retry can queue the same work again.
    Job.objects.filter(pk=job.pk).update(task_path=task.module_path, task_kwargs=kwargs)
    result = task.enqueue(job_id=str(job.pk), **kwargs)
    Job.objects.filter(pk=job.pk).update(task_id=str(getattr(result, "id", "")))
    job.refresh_from_db()
    return job


@contextlib.contextmanager
def running(job_id: str, *, min_interval: float = 0.25) -> Iterator[Progress]:
    job = Job.objects.get(pk=job_id)
    last = [0.0]

    def progress(
        done: int | None = None, total: int | None = None, message: str | None = None, *, force: bool = False
    ) -> None:
        now = time.monotonic()
        if force or now - last[0] >= min_interval or (total is not None and done == total):
            last[0] = now
            actions.set_job_progress(job, done=done, total=total, message=message)

    actions.set_job_progress(job, done=0, message="")
    try:
        yield progress
    except (EngineError, ValidationError) as exc:
        actions.do_finish_job(job=job, error=_message(exc))
        raise
    except Exception as exc:
        log.exception("job %s failed", job_id)
        actions.do_finish_job(job=job, error=f"{type(exc).__name__}: {exc}")
        raise


def finish(job_id: str, *, result=None, result_url: str = "") -> Job:
    job = Job.objects.get(pk=job_id)
    return actions.do_finish_job(job=job, result=result, result_url=result_url)


def fail(job_id: str, *, error: str) -> Job | None:
    """Mark a job failed with ``error`` without running it (what it was to work on is gone)."""
    job = Job.objects.filter(pk=job_id).first()
    return actions.do_finish_job(job=job, error=error) if job is not None else None


def _message(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        return "; ".join(exc.messages)
    return str(exc)
