"""Shapes of the minutes API (Django Ninja)."""

import datetime as dt

from ninja import Field, Schema

from .models import MinutesState


class MinutesTransitionIn(Schema):
    to: MinutesState


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
