"""The JSON API for commitments, milestones, progress and its verification (one at a time or several), and
the import of commitments. The paths stay under ``/secretariat/``, where they were before the app moved."""

from functools import partial

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from ninja import File, Form, Query, Router, Schema
from ninja.files import UploadedFile
from ninja.pagination import paginate
from ninja.responses import Status
from pydantic import Field

from concord.accounts.models import Organization
from concord.api.auth import AUTH
from concord.api.common import arguments, changes, containing, filter_by, keep_operation_ids, public_read
from concord.api.errors import ERRORS
from concord.api.lookups import dialogue_or_404, party_in
from concord.api.pagination import Page
from concord.api.types import Id
from concord.core.shortcuts import first_or_404
from concord.secretariat.api import _member_by_email
from concord.secretariat.api_schemas import ID, parse_date, safe_pk
from concord.secretariat.models import Outcome, WorkingGroup

from . import actions, rollup, rules
from .models import Commitment, Completion, Milestone, ProgressUpdate
from .schemas import (
    CommitmentDetailOut,
    CommitmentIn,
    CommitmentOut,
    CommitmentPatch,
    DependencyIn,
    ImportOut,
    MilestoneIn,
    MilestoneOut,
    MilestonePatch,
    ProgressIn,
    ProgressOut,
    ProgressReviewIn,
)

router = Router(tags=["secretariat", "secretariat: commitments"])


def _commitments():
    return Commitment.objects.select_related("dialogue").prefetch_related(
        "party_shares__party", "party_shares__lead_agency", "depends_on"
    )


def _commitment(request, commitment_id: Id) -> Commitment:
    return first_or_404(
        _commitments().prefetch_related("milestones"),
        _("No such commitment, or you do not have access to it."),
        visible=partial(rules.can_view, request.user),
        pk=safe_pk(commitment_id),
    )


def _with_progress(user, commitments: list[Commitment]) -> list[Commitment]:
    if commitments:
        percent = rollup.rollup(rollup.visible_commitments(user, commitments[0].dialogue_id))
        for c in commitments:
            c.progress = percent.get(c.pk)
    return commitments


class CommitmentFilters(Schema):
    dialogue: str | None = Field(None, max_length=50)
    completion: Completion | None = None
    working_group: int | None = Field(None, **ID)
    q: str | None = Field(None, max_length=200)


@public_read(router, "/secretariat/commitments", list[CommitmentOut])
@paginate(Page)
def list_commitments(request, filters: Query[CommitmentFilters]):
    qs = filter_by(
        _commitments().visible_to(request.user),
        filters,
        dialogue="dialogue__slug",
        completion="completion",
        working_group="working_group_id",
    )
    items = list(containing(qs, filters.q, "title"))
    by_dialogue: dict[int, list[Commitment]] = {}
    for c in items:
        by_dialogue.setdefault(c.dialogue_id, []).append(c)
    for group in by_dialogue.values():
        _with_progress(request.user, group)
    return items


@public_read(router, "/secretariat/commitments/{commitment_id}", CommitmentDetailOut)
def get_commitment(request, commitment_id: Id):
    return _with_progress(request.user, [_commitment(request, commitment_id)])[0]


@router.post("/secretariat/commitments", response={201: CommitmentDetailOut, **ERRORS}, auth=AUTH)
def create_commitment(request, payload: CommitmentIn):
    dialogue = dialogue_or_404(payload.dialogue)
    parties = {p.code: p for p in dialogue.parties.all()}
    party = party_in(dialogue, payload.party)
    leads = {}
    for code, name in payload.lead_agencies.items():
        p = parties.get(code.upper()[:2])
        org = (
            Organization.objects.filter(name__iexact=name[:250]).first()
            or Organization.objects.filter(short_name__iexact=name[:60]).first()
        )
        if p is None or org is None:
            raise ValidationError({"lead_agencies": f"Unknown party “{code}” or organisation “{name}”."})
        leads[p.pk] = org
    shares = list(parties.values()) if payload.is_joint else [p for p in parties.values() if p.pk in leads]
    if party and party not in shares:
        shares.append(party)
    parent = None
    if payload.parent:
        parent = (
            Commitment.objects.filter(dialogue=dialogue, code=payload.parent).visible_to(request.user).first()
        )
        if parent is None:
            raise ValidationError({"parent": f"No commitment “{payload.parent}” in this dialogue."})
    source = None
    if payload.source_outcome is not None:
        source = Outcome.objects.filter(pk=payload.source_outcome, agenda_item__dialogue=dialogue).first()
        if source is None or not rules.can_view(request.user, source.agenda_item):
            raise ValidationError({"source_outcome": "No such outcome in this dialogue."})
    group = None
    if payload.working_group is not None:
        group = WorkingGroup.objects.filter(pk=payload.working_group, dialogue=dialogue).first()
        if group is None:
            raise ValidationError({"working_group": "No such working group in this dialogue."})
    commitment = actions.do_create_commitment(
        actor=request.user,
        dialogue=dialogue,
        working_group=group,
        source_outcome=source,
        parent=parent,
        start_date=parse_date(payload.start_date),
        end_date=parse_date(payload.end_date),
        parties=shares,
        lead_agencies=leads,
        ambition=payload.ambition or "",
        party=party,
        **arguments(
            payload, "code", "title", "title_ms", "kind", "description", "weight", "is_joint", "visibility"
        ),
    )
    return Status(201, _with_progress(request.user, [_commitment(request, commitment.pk)])[0])


@router.patch(
    "/secretariat/commitments/{commitment_id}", response={200: CommitmentDetailOut, **ERRORS}, auth=AUTH
)
def update_commitment(request, commitment_id: Id, payload: CommitmentPatch):
    commitment = _commitment(request, commitment_id)
    data = changes(payload)
    for key in ("start_date", "end_date"):
        if key in data:
            data[key] = parse_date(data[key])
    if "owner" in data:
        data["owner"] = _member_by_email(commitment.dialogue_id, data["owner"], "owner")
    actions.do_update_commitment(actor=request.user, commitment=commitment, **data)
    return _with_progress(request.user, [_commitment(request, commitment_id)])[0]


@router.post(
    "/secretariat/commitments/{commitment_id}/dependencies",
    response={200: CommitmentDetailOut, **ERRORS},
    auth=AUTH,
)
def add_dependency(request, commitment_id: Id, payload: DependencyIn):
    commitment = _commitment(request, commitment_id)
    target = (
        Commitment.objects.filter(dialogue_id=commitment.dialogue_id, code=payload.depends_on)
        .visible_to(request.user)
        .first()
    )
    if target is None:
        raise ValidationError({"depends_on": f"No commitment “{payload.depends_on}” in this dialogue."})
    actions.do_add_dependency(actor=request.user, commitment=commitment, depends_on=target)
    return _with_progress(request.user, [_commitment(request, commitment_id)])[0]


@router.post(
    "/secretariat/commitments/{commitment_id}/milestones", response={201: MilestoneOut, **ERRORS}, auth=AUTH
)
def add_milestone(request, commitment_id: Id, payload: MilestoneIn):
    commitment = _commitment(request, commitment_id)
    milestone = actions.do_add_milestone(
        actor=request.user,
        commitment=commitment,
        title=payload.title,
        planned_date=parse_date(payload.planned_date),
        weight=payload.weight,
    )
    return Status(201, milestone)


@router.patch("/secretariat/milestones/{milestone_id}", response={200: MilestoneOut, **ERRORS}, auth=AUTH)
def reach_milestone(request, milestone_id: Id, payload: MilestonePatch):
    milestone = first_or_404(
        Milestone.objects.select_related("commitment"),
        _("No such milestone, or you do not have access to it."),
        visible=lambda milestone: rules.can_view(request.user, milestone.commitment),
        pk=safe_pk(milestone_id),
    )
    given = payload.dict(exclude_unset=True)
    edits = {k: given[k] for k in ("title", "planned_date", "weight", "owner") if k in given}
    if "planned_date" in edits:
        edits["planned_date"] = parse_date(edits["planned_date"])
    if "owner" in edits:
        edits["owner"] = _member_by_email(milestone.commitment.dialogue_id, edits["owner"], "owner")
    with transaction.atomic():
        if edits:
            actions.do_update_milestone(actor=request.user, milestone=milestone, **edits)
        if not edits or "actual_date" in given or "evidence" in given:
            actions.do_reach_milestone(
                actor=request.user,
                milestone=milestone,
                actual_date=parse_date(payload.actual_date),
                evidence=payload.evidence,
            )
    return milestone


@router.post(
    "/secretariat/commitments/{commitment_id}/progress", response={201: ProgressOut, **ERRORS}, auth=AUTH
)
def submit_progress(
    request, commitment_id: Id, payload: Form[ProgressIn], files: File[list[UploadedFile]] = None
):
    commitment = _commitment(request, commitment_id)
    update = actions.do_submit_progress(
        actor=request.user,
        commitment=commitment,
        text=payload.text,
        percent=payload.percent,
        files=files or [],
    )
    return Status(201, update)


@router.post("/secretariat/progress/{update_id}/review", response={200: ProgressOut, **ERRORS}, auth=AUTH)
def review_progress(request, update_id: Id, payload: ProgressReviewIn):
    update = first_or_404(
        ProgressUpdate.objects.select_related("commitment", "party"),
        _("No such progress update, or you do not have access to it."),
        visible=lambda update: rules.can_view(request.user, update.commitment),
        pk=safe_pk(update_id),
    )
    return actions.do_review_progress(
        actor=request.user, update=update, verify=payload.verify, note=payload.note
    )


class ImportMeta(Schema):
    dialogue: str = Field(..., min_length=1, max_length=50)
    partial: bool = False


@router.post("/secretariat/commitment-imports", response={200: ImportOut, **ERRORS}, auth=AUTH)
def import_commitments(request, meta: Form[ImportMeta], file: File[UploadedFile]):
    """All or nothing unless ``partial``; the answer lists every row with errors. Status 200 either way."""
    dialogue = dialogue_or_404(meta.dialogue)
    if file.size > 5 * 1024 * 1024:
        raise ValidationError({"file": "The file is larger than 5 MB."})
    report = actions.do_import_commitments(
        actor=request.user,
        dialogue=dialogue,
        data=file.read(),
        filename=file.name or "",
        partial=meta.partial,
    )
    return {
        "imported": report.imported,
        "failed": [
            {"line": r.line, "code": r.values.get("code", ""), "errors": r.errors} for r in report.failed
        ],
        "error": report.error,
    }


class VerifyManyIn(Schema):
    updates: list[Id] = Field(..., min_length=1, max_length=200)


class VerifyRefusedOut(Schema):
    id: Id
    reason: str


class VerifyManyOut(Schema):
    verified: list[ProgressOut]
    refused: list[VerifyRefusedOut]


@router.post(
    "/secretariat/progress/verify",
    response={200: VerifyManyOut, **ERRORS},
    auth=AUTH,
    tags=["secretariat", "secretariat: edits"],
)
def verify_many(request, payload: VerifyManyIn):
    """Verify several updates, each by the rule for one: those refused come back with the reason, the others
    are verified. An update you cannot see is refused as not found."""
    wanted = list(dict.fromkeys(payload.updates))
    found = {
        u.pk: u
        for u in ProgressUpdate.objects.filter(pk__in=wanted).select_related("commitment__dialogue", "party")
        if rules.can_view(request.user, u.commitment)
    }
    result = actions.do_review_many(
        actor=request.user, updates=[found[pk] for pk in wanted if pk in found], verify=True
    )
    refused = [{"id": u.pk, "reason": reason} for u, reason in result.refused]
    refused += [
        {"id": pk, "reason": _("No such progress update, or you do not have access to it.")}
        for pk in wanted
        if pk not in found
    ]
    return {"verified": result.done, "refused": refused}


# The ids these operations had in ``concord.secretariat``.
keep_operation_ids(router, "concord_secretariat_api_commitments", verify_many="concord_secretariat_api_edit")
