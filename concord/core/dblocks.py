"""Writes that must never make a read wait: try them with a short lock wait, and give up quietly.

The database's usual lock wait (SQLite's busy timeout, 30 s in settings) suits writes a user asked for.
Bookkeeping done on the side of a read (when a token was last used) must not hold that read up for long,
nor fail it: it waits at most ``wait_ms`` and is dropped when the database stays busy.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from django.db import DatabaseError, connection, transaction

log = logging.getLogger(__name__)


@contextmanager
def _lock_wait(wait_ms: int) -> Iterator[None]:
    """Inside a transaction: wait at most ``wait_ms`` for a lock (restored afterwards on SQLite)."""
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA busy_timeout")
            before = cursor.fetchone()[0]
            cursor.execute(f"PRAGMA busy_timeout = {int(wait_ms)}")
        try:
            with transaction.atomic():
                yield
        finally:
            with connection.cursor() as cursor:
                cursor.execute(f"PRAGMA busy_timeout = {int(before)}")
    else:
        with transaction.atomic():
            if connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    cursor.execute(f"SET LOCAL lock_timeout = '{int(wait_ms)}ms'")
            yield


def try_briefly(write: Callable[[], object], *, wait_ms: int = 200, what: str = "write") -> bool:
    """Run ``write`` in its own short transaction; True if it landed, False if the database was busy."""
    try:
        with _lock_wait(wait_ms):
            write()
        return True
    except DatabaseError:
        log.info("%s skipped: the database is busy", what)
        return False
