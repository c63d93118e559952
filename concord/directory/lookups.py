"""The one offer, request or expression of interest a page or an API call names; a 404 when the caller may
not see it (``rules.py`` decides). Views and the API share these, so both answer the same."""

from __future__ import annotations

from functools import partial

from django.utils.translation import gettext as _

from concord.core.shortcuts import first_or_404

from . import rules
from .models import Interest, Listing


def listing_or_404(user, pk: int) -> Listing:
    return first_or_404(
        Listing.objects.select_related("organization", "dialogue", "party"),
        _("No such offer or request, or you do not have access to it."),
        visible=partial(rules.can_view_listing, user),
        pk=pk,
    )


def interest_or_404(user, pk: int) -> Interest:
    return first_or_404(
        Interest.objects.select_related("listing", "listing__organization", "organization"),
        _("No such expression of interest."),
        visible=partial(rules.can_view_interest, user),
        pk=pk,
    )
