"""The API of the experience exchange and of joint projects (tag ``programmes``, mounted by
``programmes/api.py``): comparable programmes with their reasons, joint projects with their stage moves,
appraisal scores and workplan milestones. Reads follow the visibility rules (404 for what the caller may
not see); writes go through the actions."""

import datetime as dt
from decimal import Decimal

from django.db.models import Prefetch
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate
from ninja.responses import Status

from concord.api.auth import AUTH
from concord.api.common import Code, InDialogue, arguments, changes, filter_by, public_read
from concord.api.errors import ERRORS
from concord.api.lookups import dialogue_or_404, party_or_404
from concord.api.pagination import Page
from concord.api.types import Id
from concord.core.shortcuts import first_or_404

from ..exchange import comparable_programmes
from ..models import AppraisalCriterion, JointProject, Programme, Stage, StageOwner
from . import actions

router = Router(tags=["programmes"])


class ComparableOut(Schema):
    programme: int
    title: str
    party: str
    score: float
    theme_overlap: float
    instrument_overlap: float
    text_similarity: float
    shared_themes: list[str]
    shared_instruments: list[str]
    passages: list[list[str]]


class AppraisalScoreOut(Schema):
    criterion: int
    party: str
    score: int
    comment: str


class BudgetShareOut(Schema):
    party: str
    amount: Decimal
    currency: str


class JointProjectOut(InDialogue):
    id: int
    dialogue: str
    visibility: str
    title: str
    summary: str
    concept_note: str
    proposed_by: str
    stage: Stage
    stage_changed_at: dt.datetime
    themes: list[str]
    programmes: list[int]
    owners: dict[str, dict[str, int]]
    scores: list[AppraisalScoreOut]
    workplan: list[int]
    budget_shares: list[BudgetShareOut]
    partners: list[int]
    opportunities: list[int]

    @staticmethod
    def resolve_proposed_by(obj):
        return obj.proposed_by.code

    @staticmethod
    def resolve_programmes(obj):
        return sorted(p.pk for p in obj.programmes.all())

    @staticmethod
    def resolve_owners(obj):
        out: dict[str, dict[str, int]] = {}
        for o in obj.owners.all():
            out.setdefault(o.stage, {})[o.party.code] = o.user_id
        return out

    @staticmethod
    def resolve_scores(obj):
        return [
            {"criterion": s.criterion_id, "party": s.party.code, "score": s.score, "comment": s.comment}
            for s in obj.scores.all()
        ]

    @staticmethod
    def resolve_workplan(obj):
        return sorted(c.pk for c in obj.workplan.all())

    @staticmethod
    def resolve_budget_shares(obj):
        return [
            {"party": s.party.code, "amount": s.amount, "currency": s.currency}
            for s in obj.budget_shares.all()
        ]

    @staticmethod
    def resolve_partners(obj):
        return sorted(o.pk for o in obj.partners.all())

    @staticmethod
    def resolve_opportunities(obj):
        return sorted(o.pk for o in obj.opportunities.all())


class JointProjectIn(Schema):
    dialogue: str = Field(..., min_length=1, max_length=80)
    proposed_by: str = Field(..., min_length=2, max_length=2, pattern=r"^[A-Za-z]{2}$")
    title: str = Field(..., min_length=1, max_length=300)
    summary: str = Field(..., min_length=1, max_length=4000)
    visibility: str = Field("dialogue", pattern=r"^(dialogue|public)$")
    themes: list[str] = Field(default_factory=list, max_length=15)


class JointProjectPatch(Schema):
    title: str | None = Field(None, min_length=1, max_length=300)
    summary: str | None = Field(None, min_length=1, max_length=4000)
    concept_note: str | None = Field(None, max_length=20000)
    themes: list[str] | None = Field(None, max_length=15)


class StageMoveIn(Schema):
    to: Stage


class AppraisalScoreIn(Schema):
    criterion: int = Field(..., ge=1, le=2**31 - 1)
    score: int = Field(..., ge=1, le=5)
    comment: str = Field("", max_length=4000)


class JointAppraisalIn(Schema):
    party: str = Field(..., min_length=2, max_length=2, pattern=r"^[A-Za-z]{2}$")
    scores: list[AppraisalScoreIn] = Field(..., min_length=1, max_length=50)


class WorkplanMilestoneIn(Schema):
    title: str = Field(..., min_length=1, max_length=300)
    end_date: dt.date
    start_date: dt.date | None = None
    description: str = Field("", max_length=20000)


class JointProjectFilters(Schema):
    stage: Stage | None = None
    theme: str | None = Field(None, max_length=80)
    party: str | None = Field(None, max_length=2)


def _projects(request):
    return (
        JointProject.objects.visible_to(request.user)
        .select_related("dialogue", "proposed_by")
        .prefetch_related(
            "themes",
            Prefetch("programmes", Programme.objects.visible_to(request.user).only("id")),
            Prefetch("owners", StageOwner.objects.select_related("party")),
            "scores__party",
            "workplan",
            "budget_shares__party",
            "partners",
            "opportunities",
        )
    )


def _project(request, project_id: int) -> JointProject:
    return first_or_404(
        _projects(request), _("No such joint project, or you do not have access to it."), pk=project_id
    )


@public_read(router, "/programmes/{programme_id}/comparable", list[ComparableOut])
def list_comparable(request, programme_id: Id):
    programme = Programme.objects.visible_to(request.user).filter(pk=programme_id).first()
    if programme is None:
        raise Http404(_("No such programme, or you do not have access to it."))
    return [
        {
            "programme": m.programme.pk,
            "title": m.programme.title,
            "party": m.programme.party.code,
            "score": m.why.score,
            "theme_overlap": m.why.theme_overlap,
            "instrument_overlap": m.why.instrument_overlap,
            "text_similarity": m.why.text_similarity,
            "shared_themes": list(m.why.shared_themes),
            "shared_instruments": list(m.why.shared_instruments),
            "passages": [[p.source, p.target] for p in m.why.passages],
        }
        for m in comparable_programmes(request.user, programme)
    ]


@public_read(router, "/joint-projects", list[JointProjectOut])
@paginate(Page)
def list_joint_projects(request, filters: Query[JointProjectFilters]):
    qs = filter_by(
        _projects(request), filters, stage="stage", theme="themes__slug", party=Code("proposed_by__code")
    )
    return qs.distinct()


@public_read(router, "/joint-projects/{project_id}", JointProjectOut)
def get_joint_project(request, project_id: Id):
    return _project(request, project_id)


@router.post("/joint-projects", response={201: JointProjectOut, **ERRORS}, auth=AUTH)
def create_joint_project(request, payload: JointProjectIn):
    project = actions.do_propose_project(
        actor=request.user,
        dialogue=dialogue_or_404(payload.dialogue),
        proposed_by=party_or_404(payload.proposed_by),
        **arguments(payload, "title", "summary", "visibility", "themes"),
    )
    return Status(201, _project(request, project.pk))


@router.patch("/joint-projects/{project_id}", response={200: JointProjectOut, **ERRORS}, auth=AUTH)
def update_joint_project(request, project_id: Id, payload: JointProjectPatch):
    data = changes(payload)
    actions.do_update_project(actor=request.user, project=_project(request, project_id), **data)
    return _project(request, project_id)


@router.post("/joint-projects/{project_id}/move", response={200: JointProjectOut, **ERRORS}, auth=AUTH)
def move_joint_project(request, project_id: Id, payload: StageMoveIn):
    actions.do_move_project(actor=request.user, project=_project(request, project_id), to=str(payload.to))
    return _project(request, project_id)


@router.post("/joint-projects/{project_id}/appraisal", response={200: JointProjectOut, **ERRORS}, auth=AUTH)
def appraise_joint_project(request, project_id: Id, payload: JointAppraisalIn):
    project = _project(request, project_id)
    published = set(
        AppraisalCriterion.objects.filter(dialogue_id=project.dialogue_id).values_list("pk", flat=True)
    )
    unknown = [s.criterion for s in payload.scores if s.criterion not in published]
    if unknown:
        raise Http404(_("No criterion with id %(id)s.") % {"id": unknown[0]})
    actions.do_score_project(
        actor=request.user,
        project=project,
        party=party_or_404(payload.party),
        scores={s.criterion: (s.score, s.comment) for s in payload.scores},
    )
    return _project(request, project_id)


@router.post("/joint-projects/{project_id}/milestones", response={201: JointProjectOut, **ERRORS}, auth=AUTH)
def add_joint_milestone(request, project_id: Id, payload: WorkplanMilestoneIn):
    actions.do_add_workplan_milestone(
        actor=request.user, project=_project(request, project_id), **payload.dict()
    )
    return Status(201, _project(request, project_id))
