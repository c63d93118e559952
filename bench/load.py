"""Loopback load run: many clients on the busiest pages of `concord serve`, with a ~2,000-provision act in
the library and a search-index rebuild running the whole time.

Run from the project root (SQLite in a throw-away directory, or the PostgreSQL of ``DATABASE_URL``, which
should be an empty database made for the run)::

    .venv/bin/python bench/load.py                       # 50 clients, 60 s, the hashing encoder
    .venv/bin/python bench/load.py --clients 20 --seconds 30 --encoder e5
    DATABASE_URL=postgres://postgres@127.0.0.1:55433/concord_load .venv/bin/python bench/load.py

Steps: load the demo (``concord demo --no-serve``); build a synthetic act (Parts, ~2,000 sections and
subsections, ~2 MB of Markdown; written by this script, no third-party text) and ingest it as the
Malaysian delegate, embeddings included; start ``concord serve`` (gunicorn, 2 workers x 4 threads, plus
the task worker) on 127.0.0.1; sign in five demo users; keep a search-index rebuild queued or running for
the whole run (a new one is queued whenever the last has finished); then ``--clients`` clients request
the pages in turn for ``--seconds``. Every loop is bounded in count and time, and only 127.0.0.1 is
contacted.

Prints, per page: requests, p50/p95/p99 latency, errors (5xx, 4xx, refused connections) and timeouts;
the ratio of each page's p99 to the trivial view's (``/healthz``) p99, measured in the same run
(target: at most 5x); the peak resident memory (VmHWM) of each gunicorn worker and of the task worker
(target: under 1 GB); and, from the preparation, how long ingesting the act and counting the changes of
a new version of it took. Nothing is asserted.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import re
import secrets
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

HOST = "127.0.0.1"
REQUEST_TIMEOUT = 30.0  # seconds: a slower answer counts as a timeout
MAX_REQUESTS_PER_CLIENT = 100_000
USERS = ["secretariat", "delegate.my", "delegate.pk", "analyst.my", "observer"]


# --- the synthetic act -----------------------------------------------------------------------------------
_WORDS = (
    "data controller processor personal information consent purpose notice transfer security breach "
    "record retention access correction commissioner authority regulation licence operator service "
    "network platform digital electronic transaction signature certificate audit report penalty offence "
    "court appeal period days month year written application register public interest lawful processing"
)


def synthetic_act(parts: int = 20, sections: int = 50, subsections: int = 1, seed: int = 13) -> str:
    """Markdown of a statute: ``parts`` Parts of ``sections`` sections, each with ``subsections``
    numbered subsections, in deterministic pseudo-legal English (about 2.1 MB, 2,000 provisions)."""
    import random

    rng = random.Random(seed)

    def sentence(n: int) -> str:
        vocabulary = _WORDS.split()
        words = [rng.choice(vocabulary) for _ in range(n)]
        return "A " + " ".join(words) + " shall be kept in accordance with this Act."

    def paragraph() -> str:
        return " ".join(sentence(rng.randint(12, 22)) for _ in range(rng.randint(4, 7)))

    lines = ["# Synthetic Records and Data Act 2030", ""]
    number = 0
    for p in range(1, parts + 1):
        lines += [f"## PART {p} — PROVISIONS OF GROUP {p}", ""]
        for _s in range(sections):
            number += 1
            lines += [f"### {number}. Duties of kind {number}", "", paragraph(), ""]
            for k in range(1, subsections + 1):
                lines += [f"({k}) {paragraph()}", ""]
    return "\n".join(lines)


# --- steps that run inside Django (in a child process with the run's environment) ---------------------
def _django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "concord.settings")
    import django

    django.setup()


def prepare() -> dict:
    """Ingest the act (inline, with embeddings); time counting a new version's changes; find the pages."""
    _django()
    from concord.accounts.models import Dialogue, Party, User
    from concord.engine.segment import segment
    from concord.harmonize.models import Comparison
    from concord.library.actions import do_ingest_document, do_queue_embeddings
    from concord.library.diff import Side, diff_provisions, summarize

    text = synthetic_act()
    actor = User.objects.get(email="delegate.my@concord.example")
    started = time.perf_counter()
    result = do_ingest_document(
        actor=actor,
        dialogue=Dialogue.objects.order_by("pk").first(),
        upload=text.encode(),
        filename="synthetic-act.md",
        title="Synthetic Records and Data Act 2030",
        kind="law",
        party=Party.objects.get(code="MY"),
        visibility="dialogue",
        language="en",
        run="inline",
        embed="inline",
    )
    ingest_s = time.perf_counter() - started
    version = result.version
    version.refresh_from_db()
    # A new version that changes every tenth section: count its changes as the library does.
    old = [Side(p.id, p.number, p.heading, p.text, p.level) for p in segment(text, language="en")]
    changed = [
        Side(s.key, s.number, s.heading, s.text + (" Amended." if i % 10 == 0 else ""), s.level)
        for i, s in enumerate(old)
    ]
    started = time.perf_counter()
    counts = summarize(diff_provisions(old, changed, segments=False))
    count_s = time.perf_counter() - started
    started = time.perf_counter()
    diff_provisions(old, changed, segments=True)
    full_s = time.perf_counter() - started
    comparison = Comparison.objects.order_by("pk").first()
    mapping = None
    if comparison is not None:
        # the act joins the comparison's source side, so that a mapping's page lists the source provisions
        # closest to its target provision from a real act's 2,000 stored vectors
        comparison.source_documents.add(result.document)
        mapping = comparison.mappings.exclude(target_provision=None).order_by("pk").first()
        if mapping is not None:  # its own document read with vectors now, not when the worker gets to it
            do_queue_embeddings(actor=actor, version=mapping.target_provision.version, run="inline")
    return {
        "document": result.document.pk,
        "version": version.pk,
        "status": version.status,
        "provisions": version.provisions.count(),
        "chars": len(text),
        "ingest_s": round(ingest_s, 1),
        "diff_count_s": round(count_s, 2),
        "diff_full_s": round(full_s, 2),
        "diff_counts": counts,
        "comparison": comparison.pk if comparison else None,
        "mapping": mapping.pk if mapping else None,
    }


def keep_rebuilding(seconds: float) -> dict:
    """Queue a whole-index rebuild whenever none is queued or running, until ``seconds`` have passed."""
    _django()
    from concord.core.models import Job, JobStatus
    from concord.knowledge.tasks import start_rebuild

    deadline = time.monotonic() + seconds
    queued = 0
    for _ in range(int(seconds * 2) + 10):  # bounded in count as well as time
        if time.monotonic() >= deadline:
            break
        active = Job.objects.filter(
            kind="knowledge.rebuild", status__in=[JobStatus.QUEUED, JobStatus.RUNNING]
        ).exists()
        if not active:
            start_rebuild(actor=None)
            queued += 1
        time.sleep(0.5)
    jobs = Job.objects.filter(kind="knowledge.rebuild")
    return {
        "queued": queued,
        "succeeded": jobs.filter(status=JobStatus.SUCCEEDED).count(),
        "failed": jobs.filter(status=JobStatus.FAILED).count(),
    }


# --- the load ------------------------------------------------------------------------------------------
@dataclass
class Sample:
    page: str
    seconds: float
    status: int  # 0 for a refused connection, -1 for a timeout


@dataclass
class Results:
    samples: list[Sample] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, sample: Sample) -> None:
        with self.lock:
            self.samples.append(sample)


class Browser:
    """One client: a keep-alive connection to 127.0.0.1 and the cookies of its session."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.cookies: dict[str, str] = {}
        self.conn: http.client.HTTPConnection | None = None

    def request(self, method: str, path: str, body: dict | None = None) -> tuple[int, bytes]:
        headers = {"Host": f"{HOST}:{self.port}", "Connection": "keep-alive"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        data = None
        if body is not None:
            data = urllib.parse.urlencode(body).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Referer"] = f"http://{HOST}:{self.port}{path}"
        for attempt in range(2):  # once more on a connection the server closed
            if self.conn is None:
                self.conn = http.client.HTTPConnection(HOST, self.port, timeout=REQUEST_TIMEOUT)
            try:
                self.conn.request(method, path, body=data, headers=headers)
                response = self.conn.getresponse()
                payload = response.read()
            except (http.client.RemoteDisconnected, BrokenPipeError, ConnectionResetError):
                self.close()
                if attempt:
                    raise
                continue
            for value in response.headers.get_all("Set-Cookie") or []:
                name, _, rest = value.partition("=")
                self.cookies[name.strip()] = rest.split(";", 1)[0]
            if response.getheader("Connection", "").lower() == "close":
                self.close()
            return response.status, payload
        raise ConnectionError("unreachable")

    def close(self) -> None:
        if self.conn is not None:
            self.conn.close()
            self.conn = None

    def sign_in(self, email: str, password: str) -> None:
        status, page = self.request("GET", "/accounts/login/")
        token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        if status != 200 or token is None:
            raise RuntimeError(f"no sign-in form ({status})")
        status, _ = self.request(
            "POST",
            "/accounts/login/",
            {"username": email, "password": password, "csrfmiddlewaretoken": token.group(1).decode()},
        )
        if status != 302 or "sessionid" not in self.cookies:
            raise RuntimeError(f"sign-in of {email} failed ({status})")


def client_loop(browser: Browser, pages: list[tuple[str, str]], offset: int, deadline: float, out: Results):
    for n in range(MAX_REQUESTS_PER_CLIENT):
        if time.monotonic() >= deadline:
            break
        name, path = pages[(offset + n) % len(pages)]
        started = time.perf_counter()
        try:
            status, _ = browser.request("GET", path)
        except TimeoutError:
            status = -1
            browser.close()
        except OSError:
            status = 0
            browser.close()
            time.sleep(0.05)
        out.add(Sample(name, time.perf_counter() - started, status))


# --- memory of the server's processes --------------------------------------------------------------------
def _descendants(pid: int) -> list[int]:
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
        except (OSError, IndexError, ValueError):
            continue
        children.setdefault(ppid, []).append(int(entry.name))
    found, todo = [], [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            found.append(child)
            todo.append(child)
    return found


def _status_kb(pid: int, field_name: str) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(field_name + ":"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def _role(pid: int) -> str | None:
    try:
        cmd = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
    except OSError:
        return None
    if "gunicorn" in cmd:
        return "gunicorn"
    if "concord.cli worker" in cmd or "db_worker" in cmd:
        return "task worker"
    return None


class MemoryWatch:
    """Peak resident memory (VmHWM, the kernel's own high-water mark) of each server process."""

    def __init__(self, serve_pid: int) -> None:
        self.serve_pid = serve_pid
        self.peak: dict[int, tuple[str, int]] = {}
        self.stop = threading.Event()

    def sample(self) -> None:
        for pid in _descendants(self.serve_pid):
            role = _role(pid)
            if role is not None:
                kb = max(_status_kb(pid, "VmHWM"), self.peak.get(pid, (role, 0))[1])
                self.peak[pid] = (role, kb)

    def run(self, limit_s: float) -> None:
        deadline = time.monotonic() + limit_s
        while not self.stop.is_set() and time.monotonic() < deadline:
            self.sample()
            self.stop.wait(0.5)

    def gunicorn_master(self) -> int | None:
        direct = [p for p in _descendants(self.serve_pid) if _role(p) == "gunicorn"]
        return min(direct) if direct else None


# --- orchestration ------------------------------------------------------------------------------------------
def _child(env: dict, *args: str, timeout: float) -> str:
    done = subprocess.run(
        [sys.executable, *args], env=env, cwd=ROOT, capture_output=True, text=True, timeout=timeout
    )
    if done.returncode != 0:
        sys.stderr.write(done.stdout[-3000:] + done.stderr[-3000:])
        raise SystemExit(f"step failed: {' '.join(args)}")
    return done.stdout


def _wait_for(port: int, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            conn = http.client.HTTPConnection(HOST, port, timeout=5)
            conn.request("GET", "/healthz")
            if conn.getresponse().status == 200:
                return
        except OSError:
            pass
        time.sleep(1)
    raise SystemExit(f"the server did not answer on port {port} within {seconds:.0f} s")


def _pct(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def report(results: Results, pages: list[tuple[str, str]], memory: MemoryWatch, prepared: dict, args) -> None:
    print(f"\n{args.clients} clients, {args.seconds:.0f} s, database {args.database}, encoder {args.encoder}")
    print(
        f"act: {prepared['provisions']} provisions, {prepared['chars'] / 1e6:.2f} M characters, "
        f"status {prepared['status']}; ingested with embeddings in {prepared['ingest_s']} s; changes of a "
        f"new version counted in {prepared['diff_count_s']} s ({prepared['diff_counts']}), with every word "
        f"diff {prepared['diff_full_s']} s"
    )
    by_page: dict[str, list[Sample]] = {}
    for s in results.samples:
        by_page.setdefault(s.page, []).append(s)
    trivial = [s.seconds for s in by_page.get("healthz", []) if 200 <= s.status < 400]
    trivial_p99 = _pct(trivial, 0.99)
    header = (
        f"{'page':<20} {'requests':>8} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'errors':>7} "
        f"{'timeouts':>8} {'p99/healthz':>11}"
    )
    print(header)
    print("-" * len(header))
    total_errors = total_timeouts = 0
    for name, _path in pages:
        samples = by_page.get(name, [])
        ok = [s.seconds for s in samples if 200 <= s.status < 400]
        errors = sum(1 for s in samples if s.status == 0 or s.status >= 400)
        timeouts = sum(1 for s in samples if s.status == -1)
        total_errors += errors
        total_timeouts += timeouts
        p99 = _pct(ok, 0.99)
        print(
            f"{name:<20} {len(samples):>8} {_pct(ok, 0.5) * 1000:>8.0f} {_pct(ok, 0.95) * 1000:>8.0f} "
            f"{p99 * 1000:>8.0f} {errors:>7} {timeouts:>8} {p99 / trivial_p99:>10.1f}x"
        )
    n = len(results.samples)
    print(f"total: {n} requests ({n / args.seconds:.0f}/s), {total_errors} errors, {total_timeouts} timeouts")
    master = memory.gunicorn_master()
    print(f"{'process':<20} {'pid':>8} {'peak RSS MB':>12}")
    for pid, (role, kb) in sorted(memory.peak.items()):
        label = "gunicorn master" if pid == master else role
        print(f"{label:<20} {pid:>8} {kb / 1024:>12.0f}")


def run(args) -> None:
    tmp = Path(tempfile.mkdtemp(prefix="concord-load-"))
    env = dict(os.environ)
    env.update(
        CONCORD_VAR_DIR=str(tmp),
        SECRET_KEY=secrets.token_urlsafe(50),
        HTTPS="0",
        DEBUG="0",
        CONCORD_REQUIRE_2FA="0",
        CONCORD_ENCODER=args.encoder,
        ALLOWED_HOSTS="127.0.0.1,localhost",
        DJANGO_SETTINGS_MODULE="concord.settings",
        PYTHONPATH=str(ROOT),
    )
    env.pop("CONCORD_TASKS_BACKEND", None)
    args.database = "PostgreSQL" if env.get("DATABASE_URL") else "SQLite"
    print(f"preparing in {tmp} ({args.database})...", flush=True)
    started = time.perf_counter()
    _child(env, "-m", "concord.cli", "demo", "--no-serve", timeout=1800)
    print(f"  demo loaded in {time.perf_counter() - started:.0f} s", flush=True)
    prepared = json.loads(
        _child(env, str(Path(__file__)), "--step", "prepare", timeout=3600).splitlines()[-1]
    )
    print(f"  act ready: {prepared}", flush=True)
    pages = [
        ("library list", "/library/"),
        ("document page", f"/library/{prepared['document']}/"),
        ("search", "/search/?q=personal+data+transfer"),
        ("dashboard", "/"),
        ("API documents", "/api/library/documents"),
        ("API provisions", f"/api/library/versions/{prepared['version']}/provisions"),
        ("healthz", "/healthz"),
    ]
    if prepared.get("comparison"):
        pages.insert(4, ("harmonize overview", f"/harmonize/{prepared['comparison']}/"))
    if prepared.get("mapping"):
        mapping_page = f"/harmonize/{prepared['comparison']}/mappings/{prepared['mapping']}/"
        pages.insert(5, ("mapping + closest", mapping_page))
    serve = subprocess.Popen(
        [sys.executable, "-m", "concord.cli", "serve", "--host", HOST, "--port", str(args.port)],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=open(tmp / "serve.log", "w"),  # noqa: SIM115 - closed with the process
        start_new_session=True,
    )
    rebuilding = None
    try:
        _wait_for(args.port, 180)
        browsers = []
        for i in range(args.clients):
            browser = Browser(args.port)
            browser.sign_in(f"{USERS[i % len(USERS)]}@concord.example", "concord-demo-2026")
            browsers.append(browser)
        rebuilding = subprocess.Popen(
            [sys.executable, str(Path(__file__)), "--step", "rebuild", "--seconds", str(args.seconds + 5)],
            env=env,
            cwd=ROOT,
            stdout=subprocess.PIPE,
            text=True,
        )
        time.sleep(3)  # let the worker pick the first rebuild up
        memory = MemoryWatch(serve.pid)
        watcher = threading.Thread(target=memory.run, args=(args.seconds + 60,), daemon=True)
        watcher.start()
        results = Results()
        deadline = time.monotonic() + args.seconds
        threads = [
            threading.Thread(target=client_loop, args=(b, pages, i, deadline, results), daemon=True)
            for i, b in enumerate(browsers)
        ]
        for t in threads:
            t.start()
        for t in threads:
            t.join(args.seconds + REQUEST_TIMEOUT + 10)
        memory.sample()
        memory.stop.set()
        out, _ = rebuilding.communicate(timeout=120)
        print(f"  index rebuilds during the run: {out.strip().splitlines()[-1] if out.strip() else '?'}")
        report(results, pages, memory, prepared, args)
    finally:
        if rebuilding is not None and rebuilding.poll() is None:
            rebuilding.terminate()
        os.killpg(serve.pid, signal.SIGTERM)
        try:
            serve.wait(30)
        except subprocess.TimeoutExpired:
            os.killpg(serve.pid, signal.SIGKILL)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--port", type=int, default=8765)
    # The hashing encoder by default: with the bundled model, embedding the act's 2,020 provisions on a
    # busy 2-core machine took over an hour (about 30 a minute) before the load could even start.
    parser.add_argument("--encoder", default="hashing", choices=["e5", "hashing"])
    parser.add_argument("--step", choices=["prepare", "rebuild"], help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.step == "prepare":
        print(json.dumps(prepare()))
    elif args.step == "rebuild":
        print(json.dumps(keep_rebuilding(args.seconds)))
    else:
        run(args)


if __name__ == "__main__":
    main()
