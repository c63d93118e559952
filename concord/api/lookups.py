"""Lookups every router shares: the object a payload names, or the API's 404."""

from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils.translation import gettext as _

from concord.accounts.models import Dialogue, Party
from concord.library.models import Theme


def no_nul(value: str) -> str:
    """``value`` without NUL characters, which PostgreSQL refuses in a query's text. JSON and multipart
    payloads reach the API as they were sent (only query strings and the pages' URL-encoded forms are
    cleaned at the door, by `concord.core.middleware.StripNulMiddleware`), so a lookup by text calls this."""
    return value.replace("\x00", "")


def dialogue_or_404(slug: str) -> Dialogue:
    """The dialogue called ``slug``; 404 (in the reader's language) when there is none."""
    slug = no_nul(slug)
    dialogue = Dialogue.objects.filter(slug=slug).first()
    if dialogue is None:
        raise Http404(_("No dialogue “%(slug)s”.") % {"slug": slug})
    return dialogue


def party_or_404(code: str) -> Party:
    """The party with ``code`` (in any case); 404 when there is none."""
    code = no_nul(code)
    party = Party.objects.filter(code=code.upper()).first()
    if party is None:
        raise Http404(_("No party “%(code)s”.") % {"code": code.upper()})
    return party


def party_in(dialogue: Dialogue, code: str | None, field: str = "party") -> Party | None:
    """The party with ``code`` (in any case) among ``dialogue``'s, None when no code is given; an error on
    ``field`` when the party does not take part in the dialogue."""
    if not code:
        return None
    code = no_nul(code).upper()
    party = dialogue.parties.filter(code=code).first()
    if party is None:
        raise ValidationError({field: _("“%(code)s” does not take part in this dialogue.") % {"code": code}})
    return party


def theme_named(slug: str, field: str = "theme") -> Theme:
    """The theme called ``slug``; an error on ``field`` that names it and says where the themes are
    listed when there is none."""
    theme = Theme.objects.filter(slug=no_nul(slug)).first()
    if theme is None:
        raise ValidationError(
            {field: _("Unknown theme “%(value)s”. GET /api/library/themes lists them.") % {"value": slug}}
        )
    return theme
