"""Optional pgvector support: on PostgreSQL with the ``vector`` extension, provisions' embeddings are also
written to a ``library_provision.embedding_vec`` column, so similarity search can run in the database.

Everything here is safe without pgvector: on SQLite, or on a PostgreSQL without the extension, the
functions answer False and do nothing. The float32 bytes on ``Provision.embedding`` stay the source of truth.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

import numpy as np
from django.db import DatabaseError, connections, transaction

log = logging.getLogger(__name__)

TABLE = "library_provision"
COLUMN = "embedding_vec"


def ensure_column(alias: str = "default") -> bool:
    """Create the extension (if allowed) and the vector column (if missing). True when the column exists."""
    connection = connections[alias]
    if connection.vendor != "postgresql":
        return False
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_available_extensions WHERE name = 'vector'")
        if cursor.fetchone() is None:
            return False
        try:
            with transaction.atomic(using=alias):  # a savepoint: a refusal must not break the migration
                cursor.execute("CREATE EXTENSION IF NOT EXISTS vector")
        except DatabaseError as exc:
            log.warning(
                "pgvector is available but cannot be enabled (%s); vectors stay in the bytes column", exc
            )
            return False
        cursor.execute(f"ALTER TABLE {TABLE} ADD COLUMN IF NOT EXISTS {COLUMN} vector")
    return True


def has_column(alias: str = "default") -> bool:
    connection = connections[alias]
    if connection.vendor != "postgresql":
        return False
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT 1 FROM information_schema.columns WHERE table_name = %s AND column_name = %s "
            "AND table_schema = current_schema()",
            [TABLE, COLUMN],
        )
        return cursor.fetchone() is not None


def literal(vector: np.ndarray) -> str:
    return "[" + ",".join(f"{float(x):.7g}" for x in np.asarray(vector, dtype=np.float32)) + "]"


def write_vectors(rows: Iterable[tuple[int, np.ndarray]], alias: str = "default") -> int:
    """Write ``(provision id, vector)`` pairs to the vector column; call only when `has_column` is True."""
    params = [(literal(vector), pk) for pk, vector in rows]
    if not params:
        return 0
    with connections[alias].cursor() as cursor:
        cursor.executemany(f"UPDATE {TABLE} SET {COLUMN} = %s::vector WHERE id = %s", params)  # noqa: S608
    return len(params)
