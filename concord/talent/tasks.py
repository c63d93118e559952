"""Background tasks of talent mobility: running an allocation round."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django_tasks import task

from concord.audit.log import record


@task()
def run_allocation(job_id: str, round_id: int) -> None:
    from concord.audit.log import AuditContext, reset_context, set_context

    token = set_context(AuditContext(via="task"))
    try:
        run_allocation_now(job_id=job_id, round_id=round_id)
    finally:
        reset_context(token)


def run_allocation_now(*, job_id: str, round_id: int) -> None:
    """The body of the allocation task: compute, then save placements and the summary in one transaction.

    Like the library's ingestion pipeline, the task writes its own results (and audits them); starting it
    is the action ``do_run_round``.
    """
    from concord.core import jobs
    from concord.notices import hooks as notices

    from . import matching
    from .models import AllocationRound, Placement, PlacementResponse, RoundStatus

    allocation_round = AllocationRound.objects.get(pk=round_id)
    try:
        with jobs.running(job_id) as progress:
            opportunities = list(allocation_round.opportunities.prefetch_related("skill_links"))
            result = matching.allocate_round(opportunities, progress=lambda d, t, m="": progress(d, t, m))
            with transaction.atomic():
                # A person who already accepted the same seat keeps their answer; any other seat is new.
                answered = {
                    (p.profile_id, p.opportunity_id): (p.response, p.responded_at)
                    for p in Placement.objects.filter(
                        round=allocation_round, response=PlacementResponse.ACCEPTED
                    )
                }
                declined = list(
                    Placement.objects.filter(round=allocation_round, response=PlacementResponse.DECLINED)
                )
                Placement.objects.filter(round=allocation_round).delete()
                Placement.objects.bulk_create(
                    Placement(
                        round=allocation_round,
                        profile_id=pid,
                        opportunity_id=oid,
                        explanation=result.explanations[pid],
                        response=answered.get((pid, oid), (PlacementResponse.PENDING, None))[0],
                        responded_at=answered.get((pid, oid), (PlacementResponse.PENDING, None))[1],
                    )
                    for pid, oid in result.assignment.items()
                )
                # A declined seat stays on record for the person who declined it (unless they are placed
                # again by their other preferences): they withdrew, so the rule no longer sees them.
                Placement.objects.bulk_create(
                    Placement(
                        round=allocation_round,
                        profile_id=p.profile_id,
                        opportunity_id=p.opportunity_id,
                        explanation=p.explanation,
                        response=p.response,
                        responded_at=p.responded_at,
                    )
                    for p in declined
                    if p.profile_id not in result.assignment
                )
                allocation_round.status = RoundStatus.FINISHED
                allocation_round.summary = result.summary
                allocation_round.finished_at = timezone.now()
                allocation_round.save(update_fields=["status", "summary", "finished_at", "updated_at"])
                record(actor=None, action="talent.round.finish", obj=allocation_round, after=result.summary)
                notices.allocation_finished(allocation_round)
            progress(3, 3, "")
    except Exception:
        AllocationRound.objects.filter(pk=round_id).update(status=RoundStatus.FAILED)
        raise
    jobs.finish(job_id, result=result.summary, result_url=allocation_round.get_absolute_url())
