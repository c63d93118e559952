"""`concord serve`: the web server (gunicorn) and, unless told otherwise, a background-task worker."""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys

HELP = "serve the web app with gunicorn, plus a background-task worker"
NEEDS_DJANGO = True


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--workers", type=int, default=2, help="gunicorn worker processes")
    parser.add_argument("--no-worker", action="store_true", help="do not start a background-task worker")


def serve(*, host: str, port: int, with_worker: bool, workers: int = 2) -> int:
    from django.core.management import call_command

    call_command("collectstatic", interactive=False, verbosity=0)
    env = dict(os.environ)
    children: list[subprocess.Popen] = []
    if with_worker:
        children.append(subprocess.Popen([sys.executable, "-m", "concord.cli", "worker"], env=env))
    web = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "concord.wsgi:application",
            "--bind",
            f"{host}:{port}",
            "--workers",
            str(workers),
            "--threads",
            "4",
            "--access-logfile",
            "-",
            "--timeout",
            "120",
            # No 4 KiB cap on the request line: the app answers over-long API URLs with a JSON 414.
            "--limit-request-line",
            "0",
        ],
        env=env,
    )
    children.append(web)

    def stop(*_):
        for child in children:
            if child.poll() is None:
                child.terminate()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    try:
        return web.wait()
    finally:
        stop()
        for child in children:
            try:
                child.wait(timeout=10)
            except subprocess.TimeoutExpired:
                child.kill()


def run(args: argparse.Namespace) -> int:
    return serve(host=args.host, port=args.port, with_worker=not args.no_worker, workers=args.workers)
