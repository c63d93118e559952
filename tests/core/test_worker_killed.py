"""A real worker process is killed (SIGKILL) while it reads or embeds a document; another worker takes over.

Each test gets its own database (SQLite file, or a PostgreSQL database made from a migrated template when the
suite runs on PostgreSQL), shared by the worker processes and read here through a second connection alias.
The lease is 2 s (CONCORD_TASK_LEASE_SECONDS). A dead worker's task must be taken back once its lease has
run out and a new worker is up: queued again and completed, or, after the last attempt, failed with a message
that says why, and never while the dead worker's lease still held. The uploaded original must still be stored
either way. How long the take-back took is a figure, printed (``-s``) for the report, not asserted: a loaded
machine delays the polling, not the rule.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import signal
import subprocess
import sys
import time
import uuid
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import dj_database_url
import pytest
from django.db import connections
from django.utils import timezone

ROOT = Path(__file__).resolve().parents[2]
LEASE = 2
ALIAS = "killtest"

SETUP = """
import hashlib, json, django
django.setup()
from concord.accounts import actions as a
from concord.library import actions as la
my = a.do_create_party(actor=None, code="MY", name="Malaysia", name_ms="Malaysia", name_ur="ملائیشیا")
pk = a.do_create_party(actor=None, code="PK", name="Pakistan", name_ms="Pakistan", name_ur="پاکستان")
d = a.do_create_dialogue(actor=None, slug="pk-my", name="PK–MY", parties=[my, pk])
u = a.do_create_user(actor=None, email="analyst@test.example", full_name="Analyst",
                     password="correct-horse-battery-staple")
admin = a.do_create_administrator(actor=None, email="admin@test.example", full_name="Admin", password=None)
s = a.do_create_user(actor=admin, email="secretariat@test.example", full_name="Secretariat", password=None)
a.do_add_membership(actor=admin, user=s, dialogue=d, role="secretariat")
a.do_add_membership(actor=s, user=u, dialogue=d, role="analyst", party=my)
sections = [
    f"Section {i}. Duty number {i}\\n\\n(1) A data controller shall keep record {i} secure for {i % 30 + 1} "
    f"days and report a breach of it to the Commissioner within {i % 72 + 1} hours.\\n"
    for i in range(1, SECTIONS + 1)
]
data = ("TEST PERSONAL DATA ACT\\n\\n" + "\\n".join(sections)).encode()
r = la.do_ingest_document(actor=u, dialogue=d, upload=data, filename="test-act.md", title="Test act",
                          kind="law", run="queue")
print(json.dumps({"job": str(r.version.job_id), "version": r.version.pk,
                  "sha256": hashlib.sha256(data).hexdigest()}))
"""


# --- one database per test, shared with the worker processes ----------------------------------------------


def _base_env(tmp: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTEST_", "COV_"))}
    env.update(
        PYTHONPATH=str(ROOT),
        DJANGO_SETTINGS_MODULE="concord.settings_test",
        CONCORD_TASKS_BACKEND="database",
        CONCORD_TASK_LEASE_SECONDS=str(LEASE),
        CONCORD_VAR_DIR=str(tmp),
        MEDIA_ROOT=str(tmp / "media"),
    )
    return env


def _run(code_or_args: list[str], env: dict[str, str], timeout: float = 120) -> str:
    done = subprocess.run(
        [sys.executable, *code_or_args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout


def _postgres_url() -> str | None:
    url = os.environ.get("DATABASE_URL", "")
    return url if url.startswith(("postgres://", "postgresql://")) else None


def _pg_admin(url: str):
    import psycopg

    cfg = dj_database_url.parse(url)
    return psycopg.connect(
        host=cfg["HOST"],
        port=cfg["PORT"] or 5432,
        user=cfg["USER"],
        password=cfg["PASSWORD"] or None,
        dbname="postgres",
        autocommit=True,
    )


def _with_db_name(url: str, name: str) -> str:
    head, _sep, _old = url.rpartition("/")
    return f"{head}/{name}"


@pytest.fixture(scope="module")
def template(tmp_path_factory):
    """A migrated database to copy: a SQLite file, or a PostgreSQL template database."""
    tmp = tmp_path_factory.mktemp("worker-template")
    env = _base_env(tmp)
    pg = _postgres_url()
    if pg:
        name = f"concord_kill_tpl_{uuid.uuid4().hex[:8]}"
        with _pg_admin(pg) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        env["DATABASE_URL"] = _with_db_name(pg, name)
        _run(["manage.py", "migrate", "-v0"], env, timeout=300)
        yield ("postgresql", name)
        with _pg_admin(pg) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    else:
        path = tmp / "template.sqlite3"
        env["DATABASE_URL"] = f"sqlite:///{path}"
        _run(["manage.py", "migrate", "-v0"], env, timeout=300)
        yield ("sqlite", str(path))


class Scenario:
    def __init__(self, tmp: Path, template, django_db_blocker):
        self.tmp = tmp
        self.env = _base_env(tmp)
        self.vendor, source = template
        self.blocker = django_db_blocker
        self.workers: list[subprocess.Popen] = []
        if self.vendor == "postgresql":
            pg = _postgres_url()
            assert pg
            self.pg_name = f"concord_kill_{uuid.uuid4().hex[:8]}"
            with _pg_admin(pg) as conn:
                conn.execute(f'CREATE DATABASE "{self.pg_name}" TEMPLATE "{source}"')
            self.env["DATABASE_URL"] = _with_db_name(pg, self.pg_name)
        else:
            shutil.copy(source, tmp / "concord.sqlite3")
            self.env["DATABASE_URL"] = f"sqlite:///{tmp / 'concord.sqlite3'}"
        config = dj_database_url.parse(self.env["DATABASE_URL"])
        if self.vendor == "sqlite":
            config["OPTIONS"] = {"timeout": 30}
        both = connections.configure_settings(
            {"default": dict(connections.settings["default"]), ALIAS: config}
        )
        connections.settings[ALIAS] = both[ALIAS]

    # reading the shared database from here
    def job(self, job_id: str):
        from concord.core.models import Job

        with self.blocker.unblock():
            return Job.objects.using(ALIAS).get(pk=job_id)

    def jobs(self, kind: str):
        from concord.core.models import Job

        with self.blocker.unblock():
            return list(Job.objects.using(ALIAS).filter(kind=kind).order_by("created_at"))

    def heartbeats_except(self, worker_id: str):
        from concord.core.models import WorkerHeartbeat

        with self.blocker.unblock():
            return list(
                WorkerHeartbeat.objects.using(ALIAS).exclude(worker_id=worker_id).order_by("started_at")
            )

    def version(self, version_id: int):
        from concord.library.models import DocumentVersion

        with self.blocker.unblock():
            return DocumentVersion.objects.using(ALIAS).get(pk=version_id)

    def provision_count(self, version_id: int, embedded: bool = False) -> int:
        from concord.library.models import Provision

        with self.blocker.unblock():
            qs = Provision.objects.using(ALIAS).filter(version_id=version_id)
            if embedded:
                qs = qs.exclude(embedding_model="")
            return qs.count()

    def wait_for(self, what, timeout: float, step: float = 0.02):
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            value = what()
            if value:
                return value
            time.sleep(step)
        return what()

    # the processes
    def upload(self, sections: int) -> dict:
        out = _run(["-c", f"SECTIONS = {sections}\n" + SETUP], self.env)
        return json.loads(out.strip().splitlines()[-1])

    def start_worker(self, **extra_env: str) -> subprocess.Popen:
        log = open(self.tmp / f"worker-{len(self.workers) + 1}.log", "w")  # noqa: SIM115 - closed with the run
        proc = subprocess.Popen(
            [sys.executable, "-m", "concord.cli", "worker", "--no-chores", "--interval", "0.1"],
            cwd=ROOT,
            env={**self.env, **extra_env},
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        self.workers.append(proc)
        return proc

    def logs(self) -> str:
        return "\n".join(p.read_text()[-2000:] for p in sorted(self.tmp.glob("worker-*.log")))

    def close(self) -> None:
        for proc in self.workers:
            if proc.poll() is None:
                proc.send_signal(signal.SIGTERM)
                try:
                    proc.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    proc.kill()
                    proc.wait()
        connections[ALIAS].close()
        del connections[ALIAS]
        connections.settings.pop(ALIAS, None)
        if self.vendor == "postgresql":
            with _pg_admin(_postgres_url()) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{self.pg_name}" WITH (FORCE)')


@pytest.fixture
def scenario(tmp_path, template, django_db_blocker):
    s = Scenario(tmp_path, template, django_db_blocker)
    yield s
    s.close()


def _original_intact(scenario: Scenario, upload: dict) -> bool:
    version = scenario.version(upload["version"])
    stored = scenario.tmp / "media" / version.original.name
    return stored.is_file() and hashlib.sha256(stored.read_bytes()).hexdigest() == upload["sha256"]


@dataclass
class Takeover:
    """When a killed worker's job was taken back, measured against what could not be sooner."""

    killed: datetime
    lease_expired: datetime  # the lease as the dead worker last renewed it
    replacement_ready: datetime  # the new worker's first heartbeat
    taken_back: datetime

    @property
    def late(self) -> float:
        """Seconds from when the job could be taken back (lease out, a worker alive) to its taking."""
        return (self.taken_back - max(self.lease_expired, self.replacement_ready)).total_seconds()

    @property
    def after_kill(self) -> float:
        return (self.taken_back - self.killed).total_seconds()


def _kill_and_replace(scenario: Scenario, job_id: str, **extra_env: str) -> Takeover:
    """SIGKILL the worker holding the job's lease, start another, and wait until the job is taken back."""
    before = scenario.job(job_id)
    assert before.status == "running" and before.worker_id
    holder = scenario.workers[-1]
    holder.send_signal(signal.SIGKILL)
    holder.wait(timeout=10)
    killed = timezone.now()
    dead = scenario.job(job_id)
    assert dead.status == "running"  # what the page said for ever before leases
    scenario.start_worker(**extra_env)

    def taken_back():
        job = scenario.job(job_id)
        return job.attempts > before.attempts or job.status in ("queued", "failed", "succeeded")

    assert scenario.wait_for(taken_back, timeout=60 * LEASE), scenario.logs()
    at = timezone.now()
    replacement = scenario.heartbeats_except(before.worker_id)
    assert replacement, scenario.logs()
    return Takeover(killed, dead.lease_expires_at, replacement[0].started_at, at)


def _report(label: str, vendor: str, takeover: Takeover, **figures: float) -> None:
    shown = "".join(f"; {k.replace('_', ' ')} {v:.1f} s" for k, v in figures.items())
    print(
        f"\n[worker-killed] {vendor}: {label}: taken back {takeover.after_kill:.1f} s after the kill, "
        f"{takeover.late:.2f} s after it could be (lease out, new worker up){shown} (lease {LEASE} s)"
    )


# --- the tests --------------------------------------------------------------------------------------------


def test_a_worker_killed_while_reading_a_document_is_replaced_and_the_document_is_read(scenario):
    upload = scenario.upload(sections=3000)
    scenario.start_worker()
    running = scenario.wait_for(lambda: scenario.job(upload["job"]).status == "running", timeout=300)
    assert running, scenario.logs()
    assert scenario.job(upload["job"]).attempts == 1
    takeover = _kill_and_replace(scenario, upload["job"])
    done = scenario.wait_for(lambda: scenario.job(upload["job"]).is_finished, timeout=900, step=0.2)
    completed = (timezone.now() - takeover.killed).total_seconds()
    assert done, scenario.logs()

    job = scenario.job(upload["job"])
    assert job.status == "succeeded", job.error
    assert job.attempts == 2
    assert job.percent == 100
    version = scenario.version(upload["version"])
    assert version.status == "ready"
    assert scenario.provision_count(upload["version"]) >= 3000
    assert _original_intact(scenario, upload)
    _report("killed reading", scenario.vendor, takeover, completed_after_kill=completed)


def test_a_worker_killed_while_embedding_is_replaced_and_every_provision_gets_a_vector(scenario):
    upload = scenario.upload(sections=3000)
    scenario.start_worker()

    def embedding_under_way():
        jobs = scenario.jobs("library.embed")
        return jobs and jobs[0].status == "running" and jobs[0].done > 0 and jobs[0]

    # How soon embedding starts depends on the machine's load: the wait is generous, the rule is not timed.
    embedding = scenario.wait_for(embedding_under_way, timeout=600, step=0.01)
    assert embedding, scenario.logs()
    takeover = _kill_and_replace(scenario, str(embedding.pk))
    partly = scenario.provision_count(upload["version"], embedded=True)
    total = scenario.provision_count(upload["version"])
    done = scenario.wait_for(lambda: scenario.job(str(embedding.pk)).is_finished, timeout=900, step=0.2)
    completed = (timezone.now() - takeover.killed).total_seconds()
    assert done, scenario.logs()

    job = scenario.job(str(embedding.pk))
    assert job.status == "succeeded", job.error
    assert job.attempts == 2
    assert scenario.provision_count(upload["version"], embedded=True) == total
    assert partly < total  # it really was killed half-way
    assert _original_intact(scenario, upload)
    _report("killed embedding", scenario.vendor, takeover, completed_after_kill=completed)


def test_after_the_last_attempt_the_job_fails_with_a_message_and_the_upload_is_kept(scenario):
    upload = scenario.upload(sections=3000)
    scenario.start_worker(CONCORD_TASK_MAX_ATTEMPTS="1")
    assert scenario.wait_for(lambda: scenario.job(upload["job"]).status == "running", timeout=300), (
        scenario.logs()
    )
    takeover = _kill_and_replace(scenario, upload["job"], CONCORD_TASK_MAX_ATTEMPTS="1")

    job = scenario.job(upload["job"])
    assert "The worker stopped while running" in job.error
    assert "tried 1 time" in job.error
    assert job.can_be_retried
    version = scenario.version(upload["version"])
    assert version.status == "failed"  # the library says so too, instead of "processing" for ever
    assert version.error_code == "worker"
    assert _original_intact(scenario, upload)
    assert job.status == "failed"
    assert job.finished_at >= takeover.lease_expired  # not failed while the dead worker's lease still held
    _report("failed after the last attempt", scenario.vendor, takeover)
