"""Time and size of `concord backup` and `concord restore` on a database you already have (the demo's).

    DEBUG=1 .venv/bin/python bench/backup.py --database-url sqlite:///var/concord.sqlite3 --media var/media
    DEBUG=1 .venv/bin/python bench/backup.py --database-url postgres://... --media var/media --pg-target \
        postgres://postgres@127.0.0.1:55432/postgres

It runs the real commands as subprocesses (start-up included): a backup as .tar and as .tar.gz, a restore
into a new SQLite file, optionally into a new PostgreSQL database (created under --pg-target's server and
dropped afterwards), then a second backup of each restored copy, which must hold the same rows and files
as the first. It prints a table of seconds, peak memory and sizes. Numbers, not assertions.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tarfile
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def concord(*args: str, media: Path) -> tuple[float, float]:
    env = {**os.environ, "MEDIA_ROOT": str(media)}
    env.pop("DATABASE_URL", None)
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "concord.cli", *args, "--quiet"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    seconds = time.perf_counter() - started
    if done.returncode:
        raise SystemExit(f"concord {' '.join(args)} failed:\n{done.stderr}")
    peak = max(before, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss) / 1024
    return seconds, peak


def contents(path: Path):
    with tarfile.open(path) as tar:
        manifest = json.loads(tar.extractfile("manifest.json").read())
        rows = {t: [json.loads(x) for x in tar.extractfile(f"db/{t}.jsonl")] for t in manifest["tables"]}
        files = {n: m["sha256"] for n, m in manifest["files"].items()}
    return rows, files


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--media", type=Path, required=True)
    parser.add_argument("--pg-target", help="a PostgreSQL URL whose server may create a scratch database")
    args = parser.parse_args()
    table = []
    with tempfile.TemporaryDirectory() as tmp:
        t = Path(tmp)
        for name in ("backup.tar", "backup.tar.gz"):
            s, mb = concord("backup", str(t / name), "--database-url", args.database_url, media=args.media)
            table.append((f"backup → {name}", s, mb, (t / name).stat().st_size / 1e6))
        first = contents(t / "backup.tar")
        rows = sum(len(r) for r in first[0].values())
        targets = [("new SQLite file", f"sqlite:///{t / 'copy.sqlite3'}", None)]
        if args.pg_target:
            scratch = f"concord_bench_{uuid.uuid4().hex[:8]}"
            base = args.pg_target.rsplit("/", 1)[0]
            subprocess.run(["psql", args.pg_target, "-qc", f"CREATE DATABASE {scratch}"], check=True)
            targets.append(("new PostgreSQL database", f"{base}/{scratch}", scratch))
        for i, (label, url, scratch) in enumerate(targets):
            media = t / f"media-{i}"
            s, mb = concord("restore", str(t / "backup.tar"), "--database-url", url, media=media)
            table.append((f"restore → {label}", s, mb, None))
            again = t / f"again-{i}.tar"
            concord("backup", str(again), "--database-url", url, media=media)
            same = contents(again) == first
            table.append((f"  second backup equals the first: {same}", 0.0, 0.0, None))
            if scratch:
                subprocess.run(["psql", args.pg_target, "-qc", f"DROP DATABASE {scratch}"], check=True)
    print(f"{rows} rows in {len(first[0])} tables, {len(first[1])} files")
    print(f"{'step':44} {'seconds':>8} {'peak MB':>8} {'size MB':>8}")
    for step, s, mb, size in table:
        print(f"{step:44} {s:8.1f} {mb:8.0f} {'' if size is None else f'{size:8.2f}':>8}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
