"""Audit scenarios for retrying a failed job, as rows of tests/audit/scenarios.py (used by
tests/audit/test_every_write_is_audited.py)."""

from __future__ import annotations

from concord.core import actions, jobs
from concord.core.models import Job
from concord.knowledge.tasks import rebuild_index
from tests.audit.scenarios import action, call, scenarios


def _failed_job(p) -> Job:
    """A background job that failed (the tests' tasks run as they are queued, so it is failed afterwards)."""
    job = actions.do_start_job(actor=p.secretariat, kind="knowledge.rebuild", label="Rebuilding")
    jobs.enqueue(rebuild_index, job=job, kinds=["provision"])
    return actions.do_finish_job(job=Job.objects.get(pk=job.pk), error="The worker stopped; tried 3 times.")


ACTIONS = scenarios(action(actions.do_retry_job, "job.retry", job=_failed_job))

API = scenarios(call("POST /api/jobs/{job_id}/retry", "job.retry", _failed_job))
