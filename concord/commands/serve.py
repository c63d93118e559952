"""`concord serve`: the web server (gunicorn) and, unless told otherwise, a background-task worker.

The worker is supervised: if it exits or is killed, it is started again after a pause that doubles while it
keeps dying (1 s, 2 s, 4 s … at most 60 s), and the log says so each time.
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass

HELP = "serve the web app with gunicorn, plus a background-task worker that is restarted if it dies"
NEEDS_DJANGO = True


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--workers", type=int, default=2, help="gunicorn worker processes")
    parser.add_argument("--no-worker", action="store_true", help="do not start a background-task worker")


def _say(message: str) -> None:
    print(f"concord serve: {message}", file=sys.stderr, flush=True)


def describe_exit(code: int) -> str:
    if code < 0:
        try:
            return f"killed by {signal.Signals(-code).name}"
        except ValueError:
            return f"killed by signal {-code}"
    return f"exit code {code}"


@dataclass(frozen=True)
class Restart:
    exit: str
    delay: float


class WorkerSupervisor:
    """Keeps one worker process running.

    ``check()`` is called periodically. A worker that has exited is started again after ``first_delay``
    seconds, doubling up to ``max_delay`` while workers keep dying; a worker that ran ``healthy_after``
    seconds resets the pause.
    """

    def __init__(
        self,
        argv: list[str],
        *,
        env: dict[str, str] | None = None,
        first_delay: float = 1.0,
        max_delay: float = 60.0,
        healthy_after: float = 60.0,
        say: Callable[[str], None] = _say,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.argv = argv
        self.env = env
        self.first_delay = first_delay
        self.max_delay = max_delay
        self.healthy_after = healthy_after
        self.say = say
        self.clock = clock
        self.process: subprocess.Popen | None = None
        self.restarts: list[Restart] = []
        self._delay = first_delay
        self._started_at = 0.0
        self._restart_at: float | None = None
        self.stopping = False

    def start(self) -> subprocess.Popen:
        self.process = subprocess.Popen(self.argv, env=self.env)
        self._started_at = self.clock()
        self._restart_at = None
        return self.process

    def check(self) -> None:
        if self.stopping or self.process is None:
            return
        now = self.clock()
        if self._restart_at is not None:
            if now >= self._restart_at:
                self.start()
                self.say(f"background worker started again (pid {self.process.pid})")
            return
        code = self.process.poll()
        if code is None:
            return
        if now - self._started_at >= self.healthy_after:
            self._delay = self.first_delay
        delay = self._delay
        self._delay = min(self._delay * 2, self.max_delay)
        self.restarts.append(Restart(describe_exit(code), delay))
        self.say(
            f"the background worker (pid {self.process.pid}) stopped ({describe_exit(code)}); "
            f"restarting it in {delay:g} s"
        )
        self._restart_at = now + delay

    def stop(self, timeout: float = 10) -> None:
        self.stopping = True
        if self.process is None or self.process.poll() is not None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def serve(*, host: str, port: int, with_worker: bool, workers: int = 2) -> int:
    from django.core.management import call_command

    call_command("collectstatic", interactive=False, verbosity=0)
    env = dict(os.environ)
    supervisor = None
    if with_worker:
        supervisor = WorkerSupervisor([sys.executable, "-m", "concord.cli", "worker"], env=env)
        supervisor.start()
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

    def stop(*_):
        if supervisor is not None:
            supervisor.stopping = True
        if web.poll() is None:
            web.terminate()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    try:
        while web.poll() is None:
            if supervisor is not None:
                supervisor.check()
            time.sleep(0.5)
        return web.returncode
    finally:
        stop()
        if supervisor is not None:
            supervisor.stop()
        try:
            web.wait(timeout=10)
        except subprocess.TimeoutExpired:
            web.kill()


def run(args: argparse.Namespace) -> int:
    return serve(host=args.host, port=args.port, with_worker=not args.no_worker, workers=args.workers)
