"""Shapes of the secretariat API (Django Ninja). Dates travel as strict ``YYYY-MM-DD`` strings and times as
ISO 8601 with an offset: pydantic's lax parsing would read ``0`` as 1970-01-01."""

import datetime as dt
from typing import Annotated

from ninja import Field, Schema
from pydantic import field_validator

from concord.api.types import MAX_ID
from concord.core.models import Visibility

from .models import (
    Ambition,
    CommitmentKind,
    Completion,
    Disposition,
    ItemKind,
    MeetingLevel,
    MeetingMode,
    MeetingState,
    MinutesState,
    OutcomeKind,
    Rsvp,
    Stance,
)

DATE = {
    "pattern": r"^\d{4}-\d{2}-\d{2}$",
    "json_schema_extra": {"format": "date"},
    "description": "YYYY-MM-DD",
}
DATETIME_PATTERN = r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}:\d{2})$"
DATETIME = {
    "pattern": DATETIME_PATTERN,
    "json_schema_extra": {"format": "date-time"},
    "description": "ISO 8601 with a UTC offset, e.g. 2026-03-10T09:30:00+08:00",
}
ID = {"ge": 1, "le": MAX_ID}
SLUG = {"min_length": 1, "max_length": 50, "pattern": r"^[-a-zA-Z0-9_]+$"}


def safe_pk(value: int) -> int:
    """A path id the database can hold; anything out of range looks for id 0, which never exists (404)."""
    return value if 1 <= value <= MAX_ID else 0


def parse_date(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


def parse_datetime(value: str | None) -> dt.datetime | None:
    if not value:
        return None
    parsed = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    if parsed.tzinfo is None:
        raise ValueError("give the time with its UTC offset")
    return parsed


class _Dates(Schema):
    @field_validator("*", mode="after")
    @classmethod
    def _real(cls, value, info):
        name = info.field_name
        if isinstance(value, str) and name.endswith(("_date", "_due")) and value:
            dt.date.fromisoformat(value)
        if isinstance(value, str) and name.endswith("_at") and value:
            parse_datetime(value)
        return value


class WorkingGroupOut(Schema):
    id: int
    dialogue: str
    slug: str
    name: str
    name_ms: str
    name_ur: str
    terms_of_reference: str
    visibility: Visibility

    @staticmethod
    def resolve_dialogue(obj):
        return obj.dialogue.slug


class OutcomeOut(Schema):
    id: int
    kind: OutcomeKind
    disposition: Disposition
    text: str
    text_ms: str
    referred_to: int | None = Field(None, alias="referred_to_id")
    review_date: dt.date | None
    action_due: dt.date | None
    action_done: bool
    positions: dict[str, str]

    @staticmethod
    def resolve_positions(obj):
        return {p.party.code: p.stance for p in obj.positions.all()}


class AgendaItemOut(Schema):
    id: int
    meeting: int | None = Field(None, alias="meeting_id")
    section: str
    order: int
    title: str
    description: str
    kind: ItemKind
    presenter_name: str
    duration_minutes: int | None
    carried_over_from: int | None = Field(None, alias="carried_over_from_id")
    documents: list[int]
    commitments: list[int]
    outcomes: list[OutcomeOut]

    @staticmethod
    def resolve_documents(obj):
        return [d.pk for d in obj.documents.all()]

    @staticmethod
    def resolve_commitments(obj):
        return [c.pk for c in obj.commitments.all()]


class MeetingOut(Schema):
    id: int
    dialogue: str
    title: str
    title_ms: str
    level: MeetingLevel
    mode: MeetingMode
    state: MeetingState
    venue: str
    starts_at: dt.datetime | None
    ends_at: dt.datetime | None
    time_zone: str
    working_group: int | None = Field(None, alias="working_group_id")
    previous: int | None = Field(None, alias="previous_id")
    visibility: Visibility
    is_illustrative: bool
    cancellation_reason: str

    @staticmethod
    def resolve_dialogue(obj):
        return obj.dialogue.slug


class ParticipantOut(Schema):
    id: int
    user: str
    party: str | None
    rsvp: Rsvp
    attended: bool | None

    @staticmethod
    def resolve_user(obj):
        return obj.user.full_name

    @staticmethod
    def resolve_party(obj):
        return obj.party.code if obj.party_id else None


class MeetingDetailOut(MeetingOut):
    agenda: list[AgendaItemOut]
    participants: list[ParticipantOut]


class MeetingIn(_Dates):
    dialogue: str = Field(..., **SLUG)
    title: str = Field(..., min_length=1, max_length=250)
    title_ms: str = Field("", max_length=250)
    level: MeetingLevel
    mode: MeetingMode = MeetingMode.IN_PERSON
    venue: str = Field("", max_length=300)
    starts_at: str | None = Field(None, **DATETIME)
    ends_at: str | None = Field(None, **DATETIME)
    time_zone: str = Field("Asia/Kuala_Lumpur", min_length=1, max_length=64)
    working_group: int | None = Field(None, **ID)
    previous: int | None = Field(None, **ID)
    visibility: Visibility = Visibility.DIALOGUE
    description: str = Field("", max_length=20000)


class MeetingPatch(_Dates):
    title: str | None = Field(None, min_length=1, max_length=250)
    venue: str | None = Field(None, max_length=300)
    mode: MeetingMode | None = None
    starts_at: str | None = Field(None, **DATETIME)
    ends_at: str | None = Field(None, **DATETIME)
    time_zone: str | None = Field(None, min_length=1, max_length=64)
    description: str | None = Field(None, max_length=20000)


class TransitionIn(Schema):
    to: MeetingState


class MinutesTransitionIn(Schema):
    to: MinutesState


class ParticipantIn(Schema):
    email: str = Field(..., min_length=3, max_length=254)


class RsvpIn(Schema):
    rsvp: Rsvp


class AgendaItemIn(Schema):
    title: str = Field(..., min_length=1, max_length=300)
    kind: ItemKind = ItemKind.DISCUSSION
    section: str = Field("", max_length=200)
    description: str = Field("", max_length=20000)
    presenter_name: str = Field("", max_length=200)
    duration_minutes: int | None = Field(None, ge=1, le=1440)
    documents: list[Annotated[int, Field(**ID)]] = Field(default_factory=list, max_length=50)
    commitments: list[Annotated[int, Field(**ID)]] = Field(default_factory=list, max_length=50)


class OutcomeIn(_Dates):
    kind: OutcomeKind
    disposition: Disposition
    text: str = Field(..., min_length=1, max_length=20000)
    text_ms: str = Field("", max_length=20000)
    referred_to: int | None = Field(None, **ID)
    review_date: str | None = Field(None, **DATE)
    action_due: str | None = Field(None, **DATE)
    action_owner: str | None = Field(None, min_length=3, max_length=254, description="e-mail of the owner")


class PositionIn(Schema):
    party: str = Field(..., min_length=2, max_length=2, pattern=r"^[A-Za-z]{2}$")
    stance: Stance
    statement: str = Field("", max_length=5000)


class MinutesOut(Schema):
    id: int
    meeting: int = Field(..., alias="meeting_id")
    language: str
    state: MinutesState
    body: str
    version: int
    adopted_at: dt.datetime | None


class MinutesIn(Schema):
    body: str = Field(..., min_length=1, max_length=100000)


class AmendmentIn(Schema):
    replacement: str = Field(..., min_length=1, max_length=5000)
    original: str = Field("", max_length=5000)
    rationale: str = Field("", max_length=2000)


class AmendmentOut(Schema):
    id: int
    minutes: int = Field(..., alias="minutes_id")
    original: str
    replacement: str
    rationale: str
    state: str


class AmendmentDecisionIn(Schema):
    accept: bool = Field(..., strict=True)


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


class CommitmentOut(Schema):
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
    def resolve_dialogue(obj):
        return obj.dialogue.slug

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


class ProgressOut(Schema):
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
    def resolve_party(obj):
        return obj.party.code if obj.party_id else None

    @staticmethod
    def resolve_files(obj):
        return [f.name for f in obj.files.all()]


class ProgressReviewIn(Schema):
    verify: bool = Field(..., strict=True)
    note: str = Field("", max_length=5000)


class GroupOut(Schema):
    label: str
    percent: float | None
    count: int


class DashboardOut(Schema):
    commitments: int
    overall: float | None
    overdue: list[str]
    blocked: list[str]
    by_working_group: list[GroupOut]
    by_party: list[GroupOut]
    by_theme: list[GroupOut]


class ImportRowOut(Schema):
    line: int
    code: str
    errors: list[str]


class ImportOut(Schema):
    imported: list[str]
    failed: list[ImportRowOut]
    error: str


class DossierIn(Schema):
    dialogue: str = Field(..., **SLUG)
    language: str = Field("en", pattern=r"^(en|ms|ur)$")


class JobRef(Schema):
    job: str
    status_url: str
