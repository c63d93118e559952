"""Shapes of the commitments API (Django Ninja), with the secretariat API's strict dates and ids."""

import datetime as dt

from ninja import Field, Schema

from concord.api.common import InDialogue
from concord.core.models import Visibility
from concord.secretariat.api_schemas import DATE, ID, SLUG, _Dates

from .models import Ambition, CommitmentKind, Completion


class ShareOut(Schema):
    party: str
    lead_agency: str | None
    completion: Completion

    @staticmethod
    def resolve_party(obj):
        return obj.party.code

    @staticmethod
    def resolve_lead_agency(obj):
        return obj.lead_agency.name if obj.lead_agency_id else None


class MilestoneOut(Schema):
    id: int
    title: str
    planned_date: dt.date | None
    actual_date: dt.date | None
    weight: int
    evidence: str
    evidence_url: str
    owner: str | None

    @staticmethod
    def resolve_owner(obj):
        return obj.owner.email if obj.owner_id else None


class CommitmentOut(InDialogue):
    id: int
    dialogue: str
    code: str
    kind: CommitmentKind
    title: str
    title_ms: str
    description: str
    working_group: int | None = Field(None, alias="working_group_id")
    source_outcome: int | None = Field(None, alias="source_outcome_id")
    parent: int | None = Field(None, alias="parent_id")
    weight: int
    start_date: dt.date | None
    end_date: dt.date | None
    is_joint: bool
    completion: Completion
    ambition: str
    is_blocked: bool
    blocked_reason: str
    visibility: Visibility
    progress: float | None = None
    shares: list[ShareOut] = Field(..., alias="party_shares")
    depends_on: list[str]

    @staticmethod
    def resolve_shares(obj):
        return list(obj.party_shares.all())

    @staticmethod
    def resolve_depends_on(obj):
        return [d.code for d in obj.depends_on.all()]


class CommitmentDetailOut(CommitmentOut):
    milestones: list[MilestoneOut]

    @staticmethod
    def resolve_milestones(obj):
        return list(obj.milestones.all())


class CommitmentIn(_Dates):
    dialogue: str = Field(..., **SLUG)
    code: str = Field(..., min_length=1, max_length=40)
    title: str = Field(..., min_length=1, max_length=300)
    title_ms: str = Field("", max_length=300)
    kind: CommitmentKind = CommitmentKind.COMMITMENT
    description: str = Field("", max_length=20000)
    working_group: int | None = Field(None, **ID)
    source_outcome: int | None = Field(None, **ID)
    parent: str | None = Field(None, min_length=1, max_length=40, description="the parent's code")
    weight: int = Field(1, ge=1, le=1000)
    start_date: str | None = Field(None, **DATE)
    end_date: str | None = Field(None, **DATE)
    is_joint: bool = Field(False, strict=True)
    lead_agencies: dict[str, str] = Field(
        default_factory=dict, description="party code → organisation name or short name", max_length=10
    )
    ambition: Ambition | None = None
    visibility: Visibility = Visibility.DIALOGUE
    party: str | None = Field(None, min_length=2, max_length=2, pattern=r"^[A-Za-z]{2}$")


class CommitmentPatch(_Dates):
    title: str | None = Field(None, min_length=1, max_length=300)
    owner: str | None = Field(None, min_length=3, max_length=254, description="e-mail of the owner")
    description: str | None = Field(None, max_length=20000)
    start_date: str | None = Field(None, **DATE)
    end_date: str | None = Field(None, **DATE)
    weight: int | None = Field(None, ge=1, le=1000)
    completion: Completion | None = None
    ambition: Ambition | None = None
    is_blocked: bool | None = Field(None, strict=True)
    blocked_reason: str | None = Field(None, max_length=2000)


class DependencyIn(Schema):
    depends_on: str = Field(..., min_length=1, max_length=40, description="the code of the prerequisite")


class MilestoneIn(_Dates):
    title: str = Field(..., min_length=1, max_length=300)
    planned_date: str | None = Field(None, **DATE)
    weight: int = Field(1, ge=1, le=1000)


class MilestonePatch(_Dates):
    """Reach a milestone (``actual_date``, ``evidence``; a null date reopens it), or change its title,
    planned date, weight or owner (an e-mail of a member of the dialogue)."""

    actual_date: str | None = Field(None, **DATE)
    evidence: str = Field("", max_length=5000)
    title: str | None = Field(None, min_length=1, max_length=300)
    planned_date: str | None = Field(None, **DATE)
    weight: int | None = Field(None, ge=1, le=1000)
    owner: str | None = Field(None, min_length=3, max_length=254, description="e-mail of the owner")


class ProgressIn(Schema):
    text: str = Field(..., min_length=1, max_length=10000)
    percent: int = Field(..., ge=0, le=100)


class ProgressOut(InDialogue):
    id: int
    commitment: int = Field(..., alias="commitment_id")
    party: str | None
    text: str
    percent: int
    state: str
    review_note: str
    files: list[str]
    created_at: dt.datetime

    @staticmethod
    def resolve_files(obj):
        return [f.name for f in obj.files.all()]


class ProgressReviewIn(Schema):
    verify: bool = Field(..., strict=True)
    note: str = Field("", max_length=5000)


class ImportRowOut(Schema):
    line: int
    code: str
    errors: list[str]


class ImportOut(Schema):
    imported: list[str]
    failed: list[ImportRowOut]
    error: str
