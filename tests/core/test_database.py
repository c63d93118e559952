"""The database is set up as production expects: WAL on SQLite; pgvector available on PostgreSQL."""

from __future__ import annotations

import pytest
from django.db import connection


@pytest.mark.sqlite_only
@pytest.mark.django_db
def test_sqlite_runs_with_foreign_keys_on():
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA foreign_keys")
        assert cursor.fetchone()[0] == 1


@pytest.mark.postgres_only
@pytest.mark.django_db
def test_postgres_has_the_vector_extension():
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_available_extensions WHERE name = 'vector'")
        if cursor.fetchone() is None:
            pytest.skip("[pgvector] the vector extension is not installed (see .ci/install-pgvector.sh)")
        cursor.execute("SELECT extversion FROM pg_extension WHERE extname = 'vector'")
        assert cursor.fetchone() is not None, "vector is available but not created in the test database"


@pytest.mark.django_db
def test_time_zone_support_is_on(settings):
    from django.utils import timezone

    assert settings.USE_TZ
    assert timezone.is_aware(timezone.now())
