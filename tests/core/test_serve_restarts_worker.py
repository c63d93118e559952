"""`concord serve` keeps a background worker running: a dead worker is started again, with a growing pause."""

from __future__ import annotations

import signal
import subprocess
import sys
import time

from concord.commands.serve import WorkerSupervisor, describe_exit


def _supervise(supervisor: WorkerSupervisor, seconds: float) -> None:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        supervisor.check()
        time.sleep(0.02)


def test_a_worker_that_keeps_dying_is_restarted_with_a_doubling_pause_and_the_log_says_so():
    said: list[str] = []
    supervisor = WorkerSupervisor(
        [sys.executable, "-c", "import sys; sys.exit(3)"], first_delay=0.1, max_delay=0.4, say=said.append
    )
    supervisor.start()
    try:
        _supervise(supervisor, 3.0)
    finally:
        supervisor.stop()
    assert len(supervisor.restarts) >= 4
    assert [r.delay for r in supervisor.restarts[:4]] == [0.1, 0.2, 0.4, 0.4]
    assert all(r.exit == "exit code 3" for r in supervisor.restarts)
    assert any("stopped (exit code 3); restarting it in 0.1 s" in line for line in said)
    assert any("background worker started again" in line for line in said)


def test_a_killed_worker_is_started_again_as_a_new_process():
    said: list[str] = []
    supervisor = WorkerSupervisor(
        [sys.executable, "-c", "import time; time.sleep(60)"], first_delay=0.05, say=said.append
    )
    first = supervisor.start()
    try:
        first.send_signal(signal.SIGKILL)
        first.wait(timeout=10)
        _supervise(supervisor, 1.0)
        assert supervisor.process is not None and supervisor.process.pid != first.pid
        assert supervisor.process.poll() is None  # the new one runs
        assert supervisor.restarts[0].exit == "killed by SIGKILL"
        assert "killed by SIGKILL" in said[0]
    finally:
        supervisor.stop()
    assert supervisor.process.poll() is not None  # stop() ends it


def test_a_worker_that_ran_long_enough_resets_the_pause():
    now = [0.0]
    supervisor = WorkerSupervisor(
        [sys.executable, "-c", "import sys; sys.exit(1)"],
        first_delay=1,
        max_delay=8,
        healthy_after=60,
        say=lambda _: None,
        clock=lambda: now[0],
    )
    supervisor.start().wait(timeout=10)
    for _ in range(3):  # dies at once three times: 1, 2, 4 s
        supervisor.check()
        now[0] += supervisor.restarts[-1].delay
        supervisor.check()
        supervisor.process.wait(timeout=10)
    assert [r.delay for r in supervisor.restarts] == [1, 2, 4]
    now[0] += 120  # the last one ran two minutes before dying
    supervisor.check()
    assert supervisor.restarts[-1].delay == 1
    supervisor.stop()


def test_a_stopped_supervisor_does_not_restart():
    supervisor = WorkerSupervisor([sys.executable, "-c", "pass"], first_delay=0.01, say=lambda _: None)
    supervisor.start().wait(timeout=10)
    supervisor.stop()
    _supervise(supervisor, 0.2)
    assert supervisor.restarts == []


def test_exits_are_described_for_people():
    assert describe_exit(0) == "exit code 0"
    assert describe_exit(-signal.SIGKILL) == "killed by SIGKILL"
    assert describe_exit(-200) == "killed by signal 200"


def test_serve_help_names_the_restart():
    out = subprocess.run(
        [sys.executable, "-m", "concord.cli", "--help"], capture_output=True, text=True, timeout=60
    ).stdout
    assert "restarted if it dies" in out
