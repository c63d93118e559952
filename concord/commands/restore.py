"""`concord restore`: load a backup made by `concord backup` into an empty database (or --force)."""

from __future__ import annotations

import argparse
import sys
import time

from .backup import use_database

HELP = "restore a backup into an empty database and media folder (--force replaces what is there)"
NEEDS_DJANGO = False  # --database-url is applied before Django starts


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("path", help="a backup written by concord backup")
    parser.add_argument(
        "--database-url", help="the database to restore into (default: DATABASE_URL, else SQLite)"
    )
    parser.add_argument(
        "--force",
        action="store_true",
        help="replace the contents of a database and media folder that are not empty",
    )
    parser.add_argument("--quiet", action="store_true", help="print only the result")


def run(args: argparse.Namespace) -> int:
    use_database(args.database_url)
    from concord.backup import BackupError, restore_backup

    say = None if args.quiet else (lambda msg: print(f"  {msg}"))
    started = time.perf_counter()
    try:
        result = restore_backup(args.path, force=args.force, progress=say)
    except BackupError as exc:
        print(f"concord: error: nothing was restored: {exc}", file=sys.stderr)
        return 1
    print(
        f"Restored {result.rows} rows in {result.tables} tables and {result.files} files "
        f"in {time.perf_counter() - started:.1f} s."
    )
    if result.replaced_media:
        print(f"The media folder that was replaced is kept at {result.replaced_media}.")
    return 0
