"""The background worker: django-tasks' database worker, plus heartbeats, leases and the reaper.

A thread beats every quarter lease: it records that the worker lives, renews the lease of the job it runs, and
runs the reaper, which takes back tasks whose worker died (the worker also reaps once at start). A reaping
is two indexed queries, so even many workers reaping this often cost the database little.
"""

from __future__ import annotations

import logging
import threading

from django.db import close_old_connections, connection
from django.utils.crypto import get_random_string
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult

from . import leases

log = logging.getLogger(__name__)


class LeasedWorker(Worker):
    def __init__(self, **kwargs) -> None:
        kwargs.setdefault("worker_id", get_random_string(32))
        super().__init__(**kwargs)
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def run(self) -> None:
        leases.register_worker(self.worker_id)
        leases.reap(own_worker_id=self.worker_id)
        self._thread = threading.Thread(target=self._beat_forever, name="concord-heartbeat", daemon=True)
        self._thread.start()
        try:
            super().run()
        finally:
            self._stop.set()
            self._thread.join(timeout=5)
            leases.unregister_worker(self.worker_id)

    def run_task(self, db_task_result: DBTaskResult) -> None:
        leases.claim_job(db_task_result, self.worker_id)
        try:
            super().run_task(db_task_result)
        finally:
            leases.count_task_run(self.worker_id)

    def _beat_forever(self) -> None:
        interval = leases.heartbeat_interval()
        try:
            while not self._stop.wait(interval):
                try:
                    close_old_connections()
                    leases.beat(self.worker_id)
                    leases.reap(own_worker_id=self.worker_id)
                except Exception:  # noqa: BLE001 - a missed beat is retried at the next; never kill the worker
                    log.exception("worker %s: heartbeat failed", self.worker_id)
        finally:
            connection.close()
