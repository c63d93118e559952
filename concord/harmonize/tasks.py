"""Background task of the harmonization workspace: running the engine on a comparison."""

from __future__ import annotations

from django_tasks import task


@task()
def run_comparison(job_id: str, comparison_id: int) -> None:
    from .pipeline import run

    run(job_id=job_id, comparison_id=comparison_id)
