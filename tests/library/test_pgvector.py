"""pgvector, where PostgreSQL has it: the vector column is filled; without it nothing breaks."""

from __future__ import annotations

import numpy as np
import pytest
from django.db import connection

from concord.library import pgvector

pytestmark = [pytest.mark.django_db, pytest.mark.postgres_only]


def test_embeddings_also_go_to_the_vector_column_when_pgvector_is_there(ingest):
    if not pgvector.has_column():
        pytest.skip("[pgvector] the vector extension is not installed on this PostgreSQL")
    version = ingest().version
    provision = version.provisions.get(key="s3.1")
    with connection.cursor() as cursor:
        cursor.execute("SELECT embedding_vec::text FROM library_provision WHERE id = %s", [provision.pk])
        (text,) = cursor.fetchone()
    vector = np.array([float(x) for x in text.strip("[]").split(",")], dtype=np.float32)
    assert vector.shape == (512,) and np.allclose(vector, provision.vector(), atol=1e-5)
    # Nearest neighbour in the database is the provision itself.
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT id FROM library_provision WHERE embedding_vec IS NOT NULL "
            "ORDER BY embedding_vec <=> %s::vector LIMIT 1",
            [pgvector.literal(provision.vector())],
        )
        assert cursor.fetchone()[0] == provision.pk


def test_ingestion_works_whatever_the_extension(ingest):
    assert ingest().version.provisions.exclude(embedding=None).exists()
