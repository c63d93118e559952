"""The secretariat's models: working groups, meetings and their records (commitments: concord.commitments;
minutes: concord.minutes)."""

from .meetings import (
    LANGUAGES,
    MEETING_TRANSITIONS,
    AgendaItem,
    Disposition,
    ItemKind,
    Meeting,
    MeetingLevel,
    MeetingMode,
    MeetingState,
    Outcome,
    OutcomeKind,
    Participant,
    PartyPosition,
    Position,
    Rsvp,
    Stance,
    WorkingGroup,
    WorkingGroupMember,
)

__all__ = [
    "LANGUAGES",
    "MEETING_TRANSITIONS",
    "AgendaItem",
    "Disposition",
    "ItemKind",
    "Meeting",
    "MeetingLevel",
    "MeetingMode",
    "MeetingState",
    "Outcome",
    "OutcomeKind",
    "Participant",
    "PartyPosition",
    "Position",
    "Rsvp",
    "Stance",
    "WorkingGroup",
    "WorkingGroupMember",
]
