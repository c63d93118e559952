"""Background tasks of the library: reading an uploaded version, and embedding its provisions."""

from __future__ import annotations

from django_tasks import task


@task()
def ingest_version(job_id: str, version_id: int, embed: str = "queue") -> None:
    from .pipeline import run_ingestion

    run_ingestion(job_id=job_id, version_id=version_id, embed=embed)


@task()
def embed_provisions(job_id: str, version_id: int) -> None:
    from .embedding import run_embedding

    run_embedding(job_id=job_id, version_id=version_id)
