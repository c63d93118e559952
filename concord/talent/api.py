"""The talent API: opportunities, one's own profile, applications, matching, rounds, skills, gaps."""

from datetime import date, datetime
from functools import partial
from typing import Annotated

from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate
from ninja.responses import Status
from pydantic import StrictBool

from concord.accounts.models import Organization
from concord.api.auth import AUTH
from concord.api.common import Code, containing, filter_by, public_read
from concord.api.errors import ERRORS
from concord.api.lookups import dialogue_or_404
from concord.api.pagination import Page
from concord.api.types import Id
from concord.core import rules as core
from concord.core.models import Visibility
from concord.core.shortcuts import first_or_404

from . import actions, analytics, matching, privacy, rules
from .models import (
    AllocationRound,
    Application,
    Level,
    Opportunity,
    OpportunityKind,
    OpportunityStatus,
    Placement,
    Profile,
    ProfileSkill,
    Skill,
    SkillType,
)

router = Router(tags=["talent mobility"])
CODE = r"^[A-Za-z]{2}$"


class SkillOut(Schema):
    id: int
    uri: str
    label: str
    label_ms: str
    label_ur: str
    skill_type: str
    parent: int | None = Field(None, alias="parent_id")


class SkillLinkOut(Schema):
    skill: int
    label: str
    score: float
    evidence: str | None


class OpportunitySkillOut(Schema):
    skill: int = Field(..., alias="skill_id")
    label: str
    essential: bool

    @staticmethod
    def resolve_label(obj):
        return obj.skill.label


class TalentOpportunityOut(Schema):
    id: int
    title: str
    description: str
    kind: str
    status: str
    host_country: str
    seats: int
    provider: str | None
    starts_on: date | None
    ends_on: date | None
    eligible_countries: list[str]
    languages: list[str]
    min_level: int | None
    reserves: dict[str, int]
    visibility: str
    is_demo: bool
    skills: list[OpportunitySkillOut]
    created_at: datetime

    @staticmethod
    def resolve_provider(obj):
        return obj.provider.name if obj.provider_id else None

    @staticmethod
    def resolve_skills(obj):
        return list(obj.skill_links.all())


class OpportunityFieldsIn(Schema):
    title: str = Field(..., min_length=1, max_length=200)
    description: str = Field("", max_length=10000)
    kind: OpportunityKind
    host_country: str = Field(..., pattern=CODE)
    seats: int = Field(..., ge=1, le=100000)
    provider: int | None = Field(None, ge=1, le=2**31 - 1)
    starts_on: date | None = None
    ends_on: date | None = None
    eligible_countries: list[str] = Field(default_factory=list, max_length=10)
    languages: list[str] = Field(default_factory=list, max_length=3)
    min_level: int | None = Field(None, ge=1, le=4)
    reserves: dict[str, Annotated[int, Field(ge=0, le=100000)]] = Field(default_factory=dict, max_length=10)
    essential_skills: list[Id] = Field(default_factory=list, max_length=50)
    optional_skills: list[Id] = Field(default_factory=list, max_length=50)
    visibility: Visibility = Visibility.PUBLIC


class TalentOpportunityIn(OpportunityFieldsIn):
    dialogue: str = Field(..., min_length=1, max_length=50)
    publish: StrictBool = True


class OpportunityFilters(Schema):
    kind: OpportunityKind | None = None
    host_country: str | None = Field(None, max_length=2)


class MatchOut(Schema):
    score: float
    matched: list[str]
    under_level: list[str]
    missing: list[str]
    adjacent: list[dict]
    eligible: bool
    ineligible_reasons: list[str]
    essential_coverage: float


class RankedOpportunityOut(Schema):
    opportunity: int
    title: str
    match: MatchOut


class ApplicantOut(Schema):
    application: int
    preference: int
    name: str | None
    profile: int | None
    match: MatchOut


class TalentProfileIn(Schema):
    headline: str = Field("", max_length=200)
    summary: str = Field("", max_length=5000)
    country: str = Field("", max_length=2)
    languages: list[str] = Field(default_factory=list, max_length=3)
    level: int = Field(Level.INTERMEDIATE, ge=1, le=4)
    interests: str = Field("", max_length=500)
    availability: str = Field("", max_length=200)
    # required, so a client states both consents explicitly every time it saves a profile
    consent_matching: StrictBool
    consent_sharing: StrictBool
    # groups declared for reserved seats ("women", "disability"); omitted = kept as they are
    declared_groups: list[Annotated[str, Field(max_length=20)]] | None = Field(None, max_length=5)


class ProfileSkillOut(Schema):
    id: int
    skill: int = Field(..., alias="skill_id")
    label: str
    level: int
    status: str
    evidence: str

    @staticmethod
    def resolve_label(obj):
        return obj.skill.label


class TalentProfileOut(Schema):
    id: int
    headline: str
    summary: str
    country: str
    languages: list[str]
    level: int
    interests: str
    availability: str
    consent_matching: bool
    consent_matching_at: datetime | None
    consent_sharing: bool
    consent_sharing_at: datetime | None
    declared_groups: list[str]
    skills: list[ProfileSkillOut]

    @staticmethod
    def resolve_skills(obj):
        return list(obj.skills.select_related("skill"))


class SuggestIn(Schema):
    text: str | None = Field(None, min_length=1, max_length=5000)


class SkillReviewIn(Schema):
    status: str = Field(..., pattern=r"^(accepted|rejected)$")
    level: int | None = Field(None, ge=1, le=4)


class ApplyIn(Schema):
    preference: int | None = Field(None, ge=1, le=1000)


class ApplicationOut(Schema):
    id: int
    opportunity: int = Field(..., alias="opportunity_id")
    preference: int = Field(..., alias="rank")


class RoundIn(Schema):
    dialogue: str = Field(..., min_length=1, max_length=50)
    title: str = Field(..., min_length=1, max_length=200)
    opportunities: list[Id] = Field(..., min_length=1, max_length=200)


class PlacementOut(Schema):
    id: int
    profile: int | None
    name: str | None
    opportunity: int | None = Field(None, alias="opportunity_id")
    response: str
    explanation: dict


class PreferenceIn(Schema):
    preference: int = Field(..., ge=1, le=1000)


class PlacementAnswerIn(Schema):
    accept: StrictBool


class RoundOut(Schema):
    id: int
    title: str
    status: str
    opportunities: list[int]
    summary: dict
    finished_at: datetime | None
    job: str | None

    @staticmethod
    def resolve_opportunities(obj):
        return [o.pk for o in obj.opportunities.all()]

    @staticmethod
    def resolve_job(obj):
        return str(obj.job_id) if obj.job_id else None


class GapRowOut(Schema):
    label: str
    demand: dict[str, float]
    supply: dict[str, float]
    demand_share: dict[str, float]
    supply_share: dict[str, float]
    gap: dict[str, float]
    rca: dict[str, float | None]


class GapsOut(Schema):
    groups: list[GapRowOut]
    skills: list[GapRowOut]
    cross: list[dict]
    totals: dict


class SkillFilters(Schema):
    q: str | None = Field(None, max_length=100)


class LinkQuery(Schema):
    text: str = Field(..., min_length=1, max_length=2000)
    top_k: int = Field(8, ge=1, le=50)


# --- helpers ------------------------------------------------------------------------------------------------
def _opportunity(request, pk: int) -> Opportunity:
    return first_or_404(
        Opportunity.objects.with_related(),
        _("No such opportunity, or you do not have access to it."),
        visible=partial(rules.can_view_opportunity, request.user),
        pk=pk,
    )


def _own_profile(request) -> Profile:
    return first_or_404(
        Profile.objects.all(),
        _("You have no profile yet: PUT /api/talent/profile creates it."),
        user=request.user,
    )


def _provider(pk: int | None) -> Organization | None:
    if pk is None:
        return None
    return first_or_404(Organization.objects.all(), _("No organisation %(pk)s.") % {"pk": pk}, pk=pk)


def _opportunity_data(payload: OpportunityFieldsIn) -> dict:
    """The action's fields from an opportunity payload (organisation and skill ids looked up)."""
    data = payload.model_dump(
        exclude={"dialogue", "publish", "provider", "essential_skills", "optional_skills"}
    )
    return {
        **data,
        "provider": _provider(payload.provider),
        "essential_skills": _skills(payload.essential_skills),
        "optional_skills": _skills(payload.optional_skills),
    }


def _skills(ids: list[int]) -> list[Skill]:
    found = {s.pk: s for s in Skill.objects.filter(pk__in=ids).exclude(skill_type=SkillType.GROUP)}
    missing = [i for i in ids if i not in found]
    if missing:
        from django.core.exceptions import ValidationError

        raise ValidationError({"skills": f"Unknown skill id {missing[0]}."})
    return [found[i] for i in ids]


# --- opportunities ------------------------------------------------------------------------------------------
@public_read(router, "/talent/opportunities", list[TalentOpportunityOut])
@paginate(Page)
def list_opportunities(request, filters: Query[OpportunityFilters]):
    qs = Opportunity.objects.with_related().filter(core.visible_q(request.user))
    qs = qs.exclude(status=OpportunityStatus.DRAFT)
    return filter_by(qs, filters, kind="kind", host_country=Code("host_country"))


@public_read(router, "/talent/opportunities/{opportunity_id}", TalentOpportunityOut)
def get_opportunity(request, opportunity_id: Id):
    return _opportunity(request, opportunity_id)


@router.post("/talent/opportunities", response={201: TalentOpportunityOut, **ERRORS}, auth=AUTH)
def create_opportunity(request, payload: TalentOpportunityIn):
    dialogue = dialogue_or_404(payload.dialogue)
    opp = actions.do_create_opportunity(
        actor=request.user,
        dialogue=dialogue,
        status=OpportunityStatus.PUBLISHED if payload.publish else OpportunityStatus.DRAFT,
        **_opportunity_data(payload),
    )
    return Status(201, Opportunity.objects.with_related().get(pk=opp.pk))


@router.put(
    "/talent/opportunities/{opportunity_id}", response={200: TalentOpportunityOut, **ERRORS}, auth=AUTH
)
def update_opportunity(request, opportunity_id: Id, payload: OpportunityFieldsIn):
    """Replace an opportunity's fields and skills (its managers only); the status has its own endpoint."""
    opp = actions.do_update_opportunity(
        actor=request.user, opportunity=_opportunity(request, opportunity_id), **_opportunity_data(payload)
    )
    return Opportunity.objects.with_related().get(pk=opp.pk)


class StatusIn(Schema):
    status: OpportunityStatus


@router.post(
    "/talent/opportunities/{opportunity_id}/status", response={200: TalentOpportunityOut, **ERRORS}, auth=AUTH
)
def set_opportunity_status(request, opportunity_id: Id, payload: StatusIn):
    """Publish, close or return an opportunity to draft (its managers only)."""
    opp = actions.do_set_opportunity_status(
        actor=request.user, opportunity=_opportunity(request, opportunity_id), status=payload.status
    )
    return Opportunity.objects.with_related().get(pk=opp.pk)


@router.post(
    "/talent/opportunities/{opportunity_id}/apply", response={201: ApplicationOut, **ERRORS}, auth=AUTH
)
def apply(request, opportunity_id: Id, payload: ApplyIn):
    opp = _opportunity(request, opportunity_id)
    return Status(201, actions.do_apply(actor=request.user, opportunity=opp, rank=payload.preference))


def _own_application(request, pk: int) -> Application:
    application = (
        Application.objects.select_related("profile", "opportunity")
        .filter(pk=pk, profile__user_id=getattr(request.user, "pk", None))
        .first()
    )
    if application is None:
        raise Http404(_("No such application of yours."))
    return application


@router.get("/talent/applications", response={200: list[ApplicationOut], **ERRORS}, auth=AUTH)
def my_applications(request):
    """Your applications, in order of preference (1 = most wanted)."""
    return Application.objects.filter(profile__user=request.user).order_by("rank", "id")


@router.patch("/talent/applications/{application_id}", response={200: ApplicationOut, **ERRORS}, auth=AUTH)
def move_application(request, application_id: Id, payload: PreferenceIn):
    """Put an application at another place among your preferences; the others shift to make room."""
    application = _own_application(request, application_id)
    return actions.do_move_application(actor=request.user, application=application, rank=payload.preference)


@router.delete("/talent/applications/{application_id}", response={204: None, **ERRORS}, auth=AUTH)
def withdraw_application(request, application_id: Id):
    actions.do_withdraw_application(actor=request.user, application=_own_application(request, application_id))
    return Status(204, None)


@router.post("/talent/placements/{placement_id}/answer", response={200: PlacementOut, **ERRORS}, auth=AUTH)
def answer_placement(request, placement_id: Id, payload: PlacementAnswerIn):
    """Accept or decline your seat. Declining withdraws the application and allocates the round again."""
    placement = (
        Placement.objects.select_related("profile__user", "round", "opportunity")
        .filter(pk=placement_id, profile__user_id=getattr(request.user, "pk", None))
        .first()
    )
    if placement is None:
        raise Http404(_("No such placement of yours."))
    actions.do_respond_to_placement(actor=request.user, placement=placement, accept=payload.accept)
    return {
        "id": placement.pk,
        "profile": placement.profile_id,
        "name": placement.profile.user.full_name,
        "opportunity_id": placement.opportunity_id,
        "response": placement.response,
        "explanation": placement.explanation,
    }


@router.get(
    "/talent/opportunities/{opportunity_id}/applicants",
    response={200: list[ApplicantOut], **ERRORS},
    auth=AUTH,
)
def ranked_applicants(request, opportunity_id: Id):
    opp = _opportunity(request, opportunity_id)
    if not rules.can_manage_opportunity(request.user, opp):
        raise Http404(_("No such opportunity, or you do not manage it."))
    out = []
    for r in matching.ranked_applicants(opp):
        shared = r.obj.profile.consent_sharing
        out.append(
            {
                "application": r.obj.pk,
                "preference": r.obj.rank,
                "name": r.obj.profile.user.full_name if shared else None,
                "profile": r.obj.profile_id if shared else None,
                "match": r.match.as_dict(),
            }
        )
    return out


# --- one's own profile --------------------------------------------------------------------------------------
@router.get("/talent/profile", response={200: TalentProfileOut, **ERRORS}, auth=AUTH)
def get_profile(request):
    return _own_profile(request)


@router.put("/talent/profile", response={200: TalentProfileOut, **ERRORS}, auth=AUTH)
def save_profile(request, payload: TalentProfileIn):
    return actions.do_save_profile(actor=request.user, **payload.dict())


@router.delete("/talent/profile", response={204: None, **ERRORS}, auth=AUTH)
def delete_profile(request):
    actions.do_delete_profile(actor=request.user, profile=_own_profile(request))
    return Status(204, None)


@router.get("/talent/profile/export", response={200: dict, **ERRORS}, auth=AUTH)
def export_profile(request):
    return privacy.export_profile(_own_profile(request))


@router.post("/talent/profile/suggest", response={201: list[ProfileSkillOut], **ERRORS}, auth=AUTH)
def suggest_skills(request, payload: SuggestIn):
    profile = _own_profile(request)
    made = actions.do_suggest_profile_skills(actor=request.user, profile=profile, text=payload.text)
    return Status(201, list(ProfileSkill.objects.filter(pk__in=[m.pk for m in made]).select_related("skill")))


@router.post(
    "/talent/profile/skills/{profile_skill_id}", response={200: ProfileSkillOut, **ERRORS}, auth=AUTH
)
def review_skill(request, profile_skill_id: Id, payload: SkillReviewIn):
    ps = ProfileSkill.objects.select_related("profile", "skill").filter(pk=profile_skill_id).first()
    if ps is None or ps.profile.user_id != request.user.pk:
        raise Http404(_("No such skill on your profile."))
    return actions.do_review_profile_skill(
        actor=request.user, profile_skill=ps, status=payload.status, level=payload.level
    )


@router.get("/talent/profile/matches", response={200: list[RankedOpportunityOut], **ERRORS}, auth=AUTH)
def my_matches(request):
    profile = _own_profile(request)
    opps = (
        Opportunity.objects.filter(core.visible_q(request.user), status=OpportunityStatus.PUBLISHED)
        .prefetch_related("skill_links")
        .order_by("-created_at")[:200]
    )
    return [
        {"opportunity": r.obj.pk, "title": r.obj.title, "match": r.match.as_dict()}
        for r in matching.ranked_opportunities(profile, opps)
    ]


# --- allocation rounds --------------------------------------------------------------------------------------
@router.post("/talent/rounds", response={201: RoundOut, **ERRORS}, auth=AUTH)
def create_round(request, payload: RoundIn):
    dialogue = dialogue_or_404(payload.dialogue)
    opps = list(Opportunity.objects.filter(pk__in=payload.opportunities))
    if len(opps) != len(set(payload.opportunities)):
        raise Http404(_("One of the opportunities does not exist."))
    return Status(
        201,
        actions.do_create_round(
            actor=request.user, dialogue=dialogue, title=payload.title, opportunities=opps
        ),
    )


def _round(request, pk: int) -> AllocationRound:
    return first_or_404(
        AllocationRound.objects,
        _("No such allocation round, or you do not have access to it."),
        visible=partial(rules.can_view_round, request.user),
        pk=pk,
    )


@router.post("/talent/rounds/{round_id}/run", response={202: RoundOut, **ERRORS}, auth=AUTH)
def run_round(request, round_id: Id):
    rnd = _round(request, round_id)
    actions.do_run_round(actor=request.user, allocation_round=rnd)
    rnd.refresh_from_db()
    return Status(202, rnd)


@router.get("/talent/rounds/{round_id}", response={200: RoundOut, **ERRORS}, auth=AUTH)
def get_round(request, round_id: Id):
    return _round(request, round_id)


@router.get("/talent/rounds/{round_id}/placements", response={200: list[PlacementOut], **ERRORS}, auth=AUTH)
def round_placements(request, round_id: Id):
    rnd = _round(request, round_id)
    qs = Placement.objects.filter(round=rnd).select_related("profile", "profile__user")
    if not rules.can_manage_round(request.user, rnd):
        qs = qs.filter(profile__user=request.user)
    out = []
    for p in qs:
        shared = p.profile.consent_sharing or p.profile.user_id == request.user.pk
        out.append(
            {
                "profile": p.profile_id if shared else None,
                "name": p.profile.user.full_name if shared else None,
                "id": p.pk,
                "opportunity_id": p.opportunity_id,
                "response": p.response,
                "explanation": p.explanation,
            }
        )
    return out


# --- skills and gaps ---------------------------------------------------------------------------------------
@public_read(router, "/talent/skills", list[SkillOut])
@paginate(Page)
def list_skills(request, filters: Query[SkillFilters]):
    return containing(Skill.objects.order_by("label"), filters.q, "label")


@public_read(router, "/talent/skills/link", list[SkillLinkOut])
def link_skills(request, query: Query[LinkQuery]):
    if not query.text.strip():
        from django.core.exceptions import ValidationError

        raise ValidationError({"text": "The text is empty."})
    return [
        {
            "skill": int(s.skill_id),
            "label": s.label,
            "score": round(s.score, 4),
            "evidence": s.evidence.text if s.evidence else None,
        }
        for s in matching.suggest_skills(query.text, query.top_k)
    ]


@router.get("/talent/gaps", response={200: GapsOut, **ERRORS}, auth=AUTH)
def gaps(request):
    if not rules.can_view_analytics(request.user):
        raise Http404(_("Skills-gap analytics are for dialogue members."))
    report = analytics.gap_report()
    return {
        "groups": [r.__dict__ for r in report.groups],
        "skills": [r.__dict__ for r in report.skills],
        "cross": report.cross,
        "totals": report.totals,
    }
