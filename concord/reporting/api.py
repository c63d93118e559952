"""The JSON API of the commitments dashboard and the round dossier."""

from django.urls import reverse
from django.utils import timezone
from ninja import Query, Router, Schema
from ninja.responses import Status
from pydantic import Field

from concord.api.auth import AUTH
from concord.api.common import keep_operation_ids, public_read
from concord.api.errors import ERRORS
from concord.api.lookups import dialogue_or_404

from . import reports
from .actions import do_request_dossier
from .schemas import DashboardOut, DossierIn, JobRef

# The tags these operations had as a part of the secretariat's router.
router = Router(tags=["secretariat", "secretariat: commitments"])


class DashboardFilters(Schema):
    dialogue: str = Field(..., min_length=1, max_length=50)


@public_read(router, "/secretariat/dashboard", DashboardOut)
def dashboard(request, filters: Query[DashboardFilters]):
    data = reports.dashboard(request.user, dialogue_or_404(filters.dialogue), timezone.localdate())
    return {
        "commitments": len(data["commitments"]),
        "overall": data["overall"],
        "overdue": [c.code for c in data["overdue"]],
        "blocked": [c.code for c in data["blocked"]],
        "by_working_group": data["by_working_group"],
        "by_party": data["by_party"],
        "by_theme": data["by_theme"],
    }


@router.post("/secretariat/dossiers", response={202: JobRef, **ERRORS}, auth=AUTH)
def request_dossier(request, payload: DossierIn):
    job = do_request_dossier(
        actor=request.user, dialogue=dialogue_or_404(payload.dialogue), language=payload.language
    )
    return Status(202, {"job": str(job.pk), "status_url": reverse("api:get_job", args=[job.pk])})


# The ids these operations had in ``secretariat/api_commitments.py``.
keep_operation_ids(router, "concord_secretariat_api_commitments")
