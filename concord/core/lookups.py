"""The one note a page or an API call names; a 404 when the caller may not see it (``rules.py`` decides).
Views and the API share it, so both answer the same."""

from __future__ import annotations

from functools import partial

from django.utils.translation import gettext as _

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
