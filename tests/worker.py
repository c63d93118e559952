"""Running one queued task as the worker does (``concord worker``), for tests on the database backend."""

from __future__ import annotations

from django_tasks_db.models import DBTaskResult

from concord.core.worker import LeasedWorker


def run_queued(task_id: str) -> None:
    """Claim the queue's row ``task_id`` and run it in this process, as one worker would."""
    worker = LeasedWorker(
        queue_names=["*"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        excluded_queue_names=[],
    )
    row = DBTaskResult.objects.get(pk=task_id)
    row.claim(worker.worker_id)
    worker.run_task(row)
