"""Who may do what with a meeting's minutes and their amendments, on top of ``concord.secretariat.rules``.

- **view** minutes, their versions and amendments: whoever sees the meeting.
- **keep** the minutes (write them in English, Malay or Urdu, circulate, take back to draft, adopt) and
  **decide** amendments: the secretariat that runs the meeting (``can_manage_meeting``).
- **adopt**: only once the meeting is closed, and no amendment is still proposed.
- **propose an amendment** to circulated minutes: a participant who attended (or accepted, when attendance
  was not taken) and can view the meeting. Adopted minutes cannot be changed by anyone.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from concord.secretariat import rules as secretariat_rules
from concord.secretariat.models import Meeting, MeetingState

from .models import Amendment, Minutes, MinutesState


def can_view(user, minutes: Minutes) -> bool:
    return secretariat_rules.can_view(user, minutes.meeting)


def can_keep_minutes(user, meeting: Meeting) -> bool:
    return secretariat_rules.can_manage_meeting(user, meeting)


def can_decide_amendment(user, amendment: Amendment) -> bool:
    return can_keep_minutes(user, amendment.minutes.meeting)


def can_propose_amendment(user, minutes: Minutes) -> bool:
    if minutes.state != MinutesState.CIRCULATED or not can_view(user, minutes):
        return False
    if not user.is_authenticated:
        return False
    participant = minutes.meeting.participants.filter(user=user).first()
    if participant is None:
        return False
    if participant.attended is None:
        return participant.rsvp == "accepted"
    return bool(participant.attended)


def can_edit_minutes(user, minutes: Minutes) -> bool:
    return not minutes.is_locked and can_keep_minutes(user, minutes.meeting)


def minutes_adoption_refusal(minutes: Minutes) -> str | None:
    """Why ``minutes`` cannot be adopted now, or None. Minutes record a meeting that has ended: they are
    adopted only once it is closed (while it runs, its outcomes can still change)."""
    if minutes.meeting.state != MeetingState.CLOSED:
        return _("Minutes can be adopted only after the meeting is closed; this meeting is “%(state)s”.") % {
            "state": minutes.meeting.get_state_display()
        }
    return None
