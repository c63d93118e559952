"""The one note a page or an API call names; a 404 when the caller may not see it (``rules.py`` decides).
Views and the API share it, so both answer the same. Also the dialogue a page names, or the one a page
without a name in its address works in."""

from __future__ import annotations

from functools import partial

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from concord.accounts.models import Dialogue

from . import rules
from .models import Note
from .shortcuts import first_or_404


def note_or_404(user, pk: int) -> Note:
    return first_or_404(
        Note.objects.select_related("dialogue", "party", "created_by"),
        _("No such note, or you do not have access to it."),
        visible=partial(rules.can_view, user),
        pk=pk,
    )


def dialogue_or_404(slug: str) -> Dialogue:
    """The dialogue ``slug`` names, with its parties; a 404 when there is none."""
    return get_object_or_404(Dialogue.objects.prefetch_related("parties"), slug=slug)


def default_dialogue(user) -> Dialogue | None:
    """The dialogue of the user's first seat, else the first dialogue; None while there is none."""
    seat = next(iter(rules.seats(user)), None)
    if seat is not None:
        return Dialogue.objects.filter(pk=seat.dialogue_id).first()
    return Dialogue.objects.order_by("pk").first()


def default_dialogue_or_404(user) -> Dialogue:
    """:func:`default_dialogue`, or a 404 while there is no dialogue yet."""
    dialogue = default_dialogue(user)
    if dialogue is None:
        raise Http404(_("There is no dialogue yet."))
    return dialogue
