"""`concord backup`: the database and the stored files, in one consistent tar (see concord/backup.py)."""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

HELP = "write a backup (database rows + stored files + manifest with checksums) to a tar file"
NEEDS_DJANGO = False  # --database-url is applied before Django starts


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "path",
        nargs="?",
        help="where to write it (.tar, or .tar.gz to compress); default var/backups/concord-<time>.tar",
    )
    parser.add_argument("--database-url", help="the database to back up (default: DATABASE_URL, else SQLite)")
    parser.add_argument("--quiet", action="store_true", help="print only the result")


def use_database(url: str | None) -> None:
    """Point Django at ``url`` (before it starts) and set it up."""
    if url is not None:
        if not url.strip():
            raise SystemExit("concord: error: --database-url is empty")
        import dj_database_url

        try:
            dj_database_url.parse(url)
        except ValueError as exc:
            raise SystemExit(f"concord: error: --database-url {url!r} is not a database URL: {exc}") from None
        os.environ["DATABASE_URL"] = url
    from concord.cli import setup_django

    setup_django()


def run(args: argparse.Namespace) -> int:
    use_database(args.database_url)
    from django.conf import settings
    from django.utils import timezone

    from concord.backup import BackupError, write_backup

    path = (
        Path(args.path)
        if args.path
        else (Path(settings.VAR_DIR) / "backups" / f"concord-{timezone.now():%Y%m%d-%H%M%S}.tar")
    )
    if path.exists():
        print(f"concord: error: {path} exists; choose another name", file=sys.stderr)
        return 2
    say = None if args.quiet else (lambda msg: print(f"  {msg}"))
    started = time.perf_counter()
    try:
        result = write_backup(path, progress=say)
    except (BackupError, OSError) as exc:
        print(f"concord: error: backup failed, nothing written: {exc}", file=sys.stderr)
        return 1
    seconds = time.perf_counter() - started
    print(
        f"Backup written to {result.path}: {result.rows} rows in {result.tables} tables, "
        f"{result.files} files ({result.file_bytes / 1e6:.1f} MB); {result.size / 1e6:.1f} MB "
        f"in {seconds:.1f} s."
    )
    if result.missing_files:
        print(
            f"Warning: {len(result.missing_files)} files that rows refer to were missing from the media "
            "folder: " + ", ".join(result.missing_files[:5]),
            file=sys.stderr,
        )
    return 0
