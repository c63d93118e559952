"""Background work of the knowledge app: rebuilding the index and sending the monthly digests."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django_tasks import task

from concord.audit.log import AuditContext, reset_context, set_context
from concord.core import jobs
from concord.core.actions import do_start_job
from concord.core.models import Job, JobStatus


def start_rebuild(*, actor, kinds: list[str] | None = None, reuse_pending: bool = False) -> Job:
    """Queue a rebuild of the index; with ``reuse_pending``, a whole-index rebuild that is still queued or
    running is returned instead of queuing another (loading the demo twice must not rebuild twice)."""
    if reuse_pending and kinds is None:
        pending = (
            Job.objects.filter(kind="knowledge.rebuild", status__in=[JobStatus.QUEUED, JobStatus.RUNNING])
            .order_by("-created_at")
            .first()
        )
        if pending is not None:
            return pending
    job = do_start_job(actor=actor, kind="knowledge.rebuild", label=_("Rebuild the search index"))
    return jobs.enqueue(rebuild_index, job=job, kinds=kinds)


@task()
def rebuild_index(job_id: str, kinds: list[str] | None = None) -> None:
    from . import index

    with jobs.running(job_id) as progress:
        counts = index.rebuild(kinds, progress=lambda done, total, msg="": progress(done, total, msg))
    jobs.finish(job_id, result=counts, result_url="/search/")


@task()
def embed_missing() -> None:
    """Vectors for the entries written on save (see autoindex), a batch at a time until none is left."""
    from . import index

    while index.embed_missing():
        pass


def start_digests(*, actor, period: str) -> Job:
    job = do_start_job(actor=actor, kind="knowledge.digest", label=_("Monthly digest %(p)s") % {"p": period})
    return jobs.enqueue(send_digests, job=job, period=period)


@task()
def send_digests(job_id: str, period: str) -> None:
    from .actions import do_send_digest
    from .digest import recipients

    token = set_context(AuditContext(via="task"))
    try:
        with jobs.running(job_id) as progress:
            users = list(recipients())
            sent = 0
            for i, user in enumerate(users, start=1):
                if do_send_digest(actor=None, user=user, period=period) is not None:
                    sent += 1
                progress(i, len(users))
        jobs.finish(job_id, result={"sent": sent, "users": len(users)})
    finally:
        reset_context(token)
