"""The one working group, meeting, agenda item or outcome (or a group's member, a meeting's participant) a
page or an API call names, for its caller, and the people of a dialogue its forms offer.

Each answers 404 when there is none, and also when the caller may not view it (one is not told that it
exists): the same message on the pages and in the API. ``related`` names what the caller reads with it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django.db.models import Model, QuerySet
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from concord.accounts.models import User
from concord.core.shortcuts import first_or_404

from . import rules
from .models import AgendaItem, Meeting, Outcome, Participant, WorkingGroup, WorkingGroupMember

M = TypeVar("M", bound=Model)


def _visible(
    user, queryset: QuerySet[M], pk: int, message: str, content: Callable[[M], Any] | None = None
) -> M:
    """The row ``pk`` of ``queryset`` if ``user`` may view it (or its ``content``, whose access it has)."""
    return first_or_404(
        queryset, message, visible=lambda obj: rules.can_view(user, content(obj) if content else obj), pk=pk
    )


def visible_group(user, pk: int) -> WorkingGroup:
    groups = WorkingGroup.objects.select_related("dialogue")
    return _visible(user, groups, pk, _("No such working group, or you do not have access to it."))


def visible_meeting(user, pk: int, *related: str) -> Meeting:
    meetings = Meeting.objects.select_related("dialogue", *related)
    return _visible(user, meetings, pk, _("No such meeting, or you do not have access to it."))


def meeting_page_or_404(request, pk: int) -> Meeting:
    """The meeting a page names, with what the meeting pages show: its working group, the meeting before
    it and its party."""
    return visible_meeting(request.user, pk, "working_group", "previous", "party")


def visible_item(user, pk: int) -> AgendaItem:
    items = AgendaItem.objects.select_related("meeting", "dialogue")
    return _visible(user, items, pk, _("No such agenda item, or you do not have access to it."))


def visible_outcome(user, pk: int) -> Outcome:
    """An outcome is as visible as its agenda item."""
    outcomes = Outcome.objects.select_related("agenda_item__meeting", "agenda_item__dialogue")
    message = _("No such outcome, or you do not have access to it.")
    return _visible(user, outcomes, pk, message, content=lambda outcome: outcome.agenda_item)


def visible_member(request, pk: int) -> WorkingGroupMember:
    """A working group's member, when the caller may view the group."""
    member = get_object_or_404(WorkingGroupMember.objects.select_related("user"), pk=pk)
    member.working_group = visible_group(request.user, member.working_group_id)
    return member


def visible_participant(request, pk: int) -> Participant:
    """A meeting's participant, when the caller may view the meeting's page."""
    participant = get_object_or_404(Participant.objects.select_related("user"), pk=pk)
    participant.meeting = meeting_page_or_404(request, participant.meeting_id)
    return participant


def dialogue_people(dialogue):
    """The dialogue's active members, whom its forms offer as owners, members and participants."""
    return User.objects.filter(memberships__dialogue=dialogue, memberships__is_active=True).distinct()
