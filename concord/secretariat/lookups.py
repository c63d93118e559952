"""The one working group, meeting, agenda item or outcome a page or an API call names, for its caller.

Each answers 404 when there is none, and also when the caller may not view it (one is not told that it
exists): the same message on the pages and in the API. ``related`` names what the caller reads with it.
"""

from __future__ import annotations

from functools import partial

from django.utils.translation import gettext as _

from concord.core.shortcuts import first_or_404

from . import rules
from .models import AgendaItem, Meeting, Outcome, WorkingGroup


def visible_group(user, pk: int) -> WorkingGroup:
    return first_or_404(
        WorkingGroup.objects.select_related("dialogue"),
        _("No such working group, or you do not have access to it."),
        visible=partial(rules.can_view, user),
        pk=pk,
    )


def visible_meeting(user, pk: int, *related: str) -> Meeting:
    return first_or_404(
        Meeting.objects.select_related("dialogue", *related),
        _("No such meeting, or you do not have access to it."),
        visible=partial(rules.can_view, user),
        pk=pk,
    )


def visible_item(user, pk: int) -> AgendaItem:
    return first_or_404(
        AgendaItem.objects.select_related("meeting", "dialogue"),
        _("No such agenda item, or you do not have access to it."),
        visible=partial(rules.can_view, user),
        pk=pk,
    )


def visible_outcome(user, pk: int) -> Outcome:
    """An outcome is as visible as its agenda item."""
    return first_or_404(
        Outcome.objects.select_related("agenda_item__meeting", "agenda_item__dialogue"),
        _("No such outcome, or you do not have access to it."),
        visible=lambda outcome: rules.can_view(user, outcome.agenda_item),
        pk=pk,
    )
