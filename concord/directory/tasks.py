"""Background work of the directory: alerting organisations about a new opportunity."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django_tasks import task

from concord.audit.log import AuditContext, reset_context, set_context
from concord.core import jobs
from concord.core.actions import do_start_job
from concord.core.models import Job


def start_alerts(*, actor, opportunity) -> Job:
    job = do_start_job(
        actor=actor, kind="directory.alerts", label=_("Alerts for “%(t)s”") % {"t": opportunity.title}
    )
    return jobs.enqueue(send_opportunity_alerts, job=job, opportunity_id=opportunity.pk)


@task()
def send_opportunity_alerts(job_id: str, opportunity_id: int) -> None:
    from .actions import do_send_alerts
    from .models import Opportunity

    token = set_context(AuditContext(via="task"))
    try:
        with jobs.running(job_id) as progress:
            opportunity = Opportunity.objects.get(pk=opportunity_id)
            sent = do_send_alerts(actor=None, opportunity=opportunity, progress=progress)
        jobs.finish(job_id, result={"alerts": sent}, result_url=opportunity.get_absolute_url())
    finally:
        reset_context(token)
