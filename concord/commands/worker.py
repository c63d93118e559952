"""`concord worker`: run queued background tasks (django-tasks database backend).

The worker beats every quarter of CONCORD_TASK_LEASE_SECONDS and renews the lease of the task it runs; at
start and at every beat it takes back tasks whose worker died (queued again, or failed after
CONCORD_TASK_MAX_ATTEMPTS runs). See concord/core/leases.py.
"""

from __future__ import annotations

import argparse
import os
import sys

HELP = (
    "run background tasks from the database queue; tasks of a worker that died are queued again "
    "(CONCORD_TASK_LEASE_SECONDS, CONCORD_TASK_MAX_ATTEMPTS)"
)
NEEDS_DJANGO = True


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--batch", action="store_true", help="run the tasks that are queued now, then exit")
    parser.add_argument("--interval", type=float, default=1.0, help="seconds between polls of the queue")
    parser.add_argument(
        "--no-chores",
        action="store_true",
        help="do not run the daily chores (expiring listings, reminders, monthly digests) in this worker",
    )
    parser.add_argument("--chores-only", action="store_true", help="run the daily chores once, then exit")


def run(args: argparse.Namespace) -> int:
    import logging

    from django.conf import settings

    from concord import chores
    from concord.engine.extract_pdf import ocr_hint

    if hint := ocr_hint():  # operators learn here (and in the log) why scanned PDFs fail
        print(f"concord worker: {hint}", file=sys.stderr)

    if args.chores_only:
        print(f"concord: daily chores: {chores.run_daily()}")
        return 0
    if not args.no_chores:
        if args.batch:
            chores.run_daily()
        else:
            chores.start_daily_thread()
    if settings.TASKS["default"]["BACKEND"] != settings.TASK_BACKENDS["database"]:
        print(
            "concord worker: CONCORD_TASKS_BACKEND is not 'database': tasks run where they are queued, "
            "there is no queue to work on.",
            file=sys.stderr,
        )
        return 2
    from concord.core import leases
    from concord.core.worker import LeasedWorker

    for name in ("django_tasks_db", "django_tasks", "concord.core"):
        logging.getLogger(name).setLevel(logging.INFO)
    worker = LeasedWorker(
        queue_names=["*"],
        interval=args.interval,
        batch=args.batch,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        excluded_queue_names=[],
    )
    print(
        f"concord worker: {worker.worker_id} started (pid {os.getpid()}, lease {leases.lease_seconds()} s, "
        f"at most {leases.max_attempts()} attempts per task)",
        file=sys.stderr,
        flush=True,
    )
    worker.configure_signals()
    worker.run()
    return 0
