"""Shapes of the secretariat API (Django Ninja). Dates travel as strict ``YYYY-MM-DD`` strings and times as
ISO 8601 with an offset: pydantic's lax parsing would read ``0`` as 1970-01-01."""

import datetime as dt
from typing import Annotated

from ninja import Field, Schema
from pydantic import field_validator

from concord.api.common import InDialogue, OfMember
from concord.api.types import MAX_ID
from concord.core.models import Visibility

from .models import (
    Disposition,
    ItemKind,
    MeetingLevel,
    MeetingMode,
    MeetingState,
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


class WorkingGroupOut(InDialogue):
    id: int
    dialogue: str
    slug: str
    name: str
    name_ms: str
    name_ur: str
    terms_of_reference: str
    visibility: Visibility


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


class MeetingOut(InDialogue):
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


class ParticipantOut(OfMember):
    id: int
    user: str
    party: str | None
    rsvp: Rsvp
    attended: bool | None


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
