"""The JSON API for minutes (in English, Malay and Urdu, through their states) and their amendments. The
paths, operation ids and tag stay the secretariat's, where they were before the app moved."""

from functools import partial

from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Router
from ninja.responses import Status

from concord.api.auth import AUTH
from concord.api.common import arguments, keep_operation_ids, public_read
from concord.api.errors import ERRORS
from concord.api.types import Id
from concord.core.shortcuts import first_or_404
from concord.secretariat.api import _meeting
from concord.secretariat.api_schemas import safe_pk

from . import actions, rules
from .models import Amendment, Minutes
from .schemas import (
    AmendmentDecisionIn,
    AmendmentIn,
    AmendmentOut,
    MinutesIn,
    MinutesOut,
    MinutesTransitionIn,
)

router = Router(tags=["secretariat"])


def _minutes(request, minutes_id: Id) -> Minutes:
    return first_or_404(
        Minutes.objects.select_related("meeting__dialogue"),
        _("No such minutes, or you do not have access to them."),
        visible=partial(rules.can_view, request.user),
        pk=safe_pk(minutes_id),
    )


@public_read(router, "/secretariat/meetings/{meeting_id}/minutes", list[MinutesOut])
def list_minutes(request, meeting_id: Id):
    return list(_meeting(request, meeting_id).minutes.all())


@router.put(
    "/secretariat/meetings/{meeting_id}/minutes/{language}", response={200: MinutesOut, **ERRORS}, auth=AUTH
)
def save_minutes(request, meeting_id: Id, language: str, payload: MinutesIn):
    meeting = _meeting(request, meeting_id)
    if language not in ("en", "ms", "ur"):
        raise Http404(_("Minutes are kept in English (en), Malay (ms) or Urdu (ur)."))
    return actions.do_save_minutes(actor=request.user, meeting=meeting, language=language, body=payload.body)


@router.post("/secretariat/minutes/{minutes_id}/transition", response={200: MinutesOut, **ERRORS}, auth=AUTH)
def transition_minutes(request, minutes_id: Id, payload: MinutesTransitionIn):
    minutes = _minutes(request, minutes_id)
    return actions.do_transition_minutes(actor=request.user, minutes=minutes, to=payload.to)


@router.post(
    "/secretariat/minutes/{minutes_id}/amendments", response={201: AmendmentOut, **ERRORS}, auth=AUTH
)
def propose_amendment(request, minutes_id: Id, payload: AmendmentIn):
    minutes = _minutes(request, minutes_id)
    amendment = actions.do_propose_amendment(
        actor=request.user,
        minutes=minutes,
        **arguments(payload, "replacement", "original", "rationale"),
    )
    return Status(201, amendment)


@router.post(
    "/secretariat/amendments/{amendment_id}/decision", response={200: AmendmentOut, **ERRORS}, auth=AUTH
)
def decide_amendment(request, amendment_id: Id, payload: AmendmentDecisionIn):
    amendment = first_or_404(
        Amendment.objects.select_related("minutes__meeting"),
        _("No such amendment, or you do not have access to it."),
        visible=lambda amendment: rules.can_view(request.user, amendment.minutes),
        pk=safe_pk(amendment_id),
    )
    return actions.do_decide_amendment(actor=request.user, amendment=amendment, accept=payload.accept)


# The ids these operations had in ``secretariat/api.py``.
keep_operation_ids(router, "concord_secretariat_api")
