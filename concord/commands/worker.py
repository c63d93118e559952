"""`concord worker`: run queued background tasks (django-tasks database backend)."""

from __future__ import annotations

import argparse

HELP = "run background tasks from the database queue"
NEEDS_DJANGO = True


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--batch", action="store_true", help="run the tasks that are queued now, then exit")
    parser.add_argument("--interval", type=float, default=1.0, help="seconds between polls of the queue")


def run(args: argparse.Namespace) -> int:
    from django.core.management import call_command

    argv = ["--queue-name", "*", "--no-reload", "--no-startup-delay", "--interval", str(args.interval)]
    if args.batch:
        argv.append("--batch")
    call_command("db_worker", *argv)
    return 0
