"""What actions check before they write: that the app's rule allowed it, that a choice is one of its
vocabulary's values, that an update names only fields it may change, and that content visible to one party
names a party of its dialogue.

Each check raises the error pages and the API already answer: PermissionDenied (403) for a refusal, a
ValidationError on the field at fault (400) for bad input. The messages are the caller's, so each app keeps
its own words.
"""

from __future__ import annotations

from collections.abc import Collection

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from concord.accounts.models import Dialogue, Party

from .models import Visibility


def require(allowed: bool, message: str) -> None:
    """Refuse with ``message`` unless the rule ``allowed`` it."""
    if not allowed:
        raise PermissionDenied(message)


def check_choice(value: str, allowed: Collection[str], *, field: str, message: str = "") -> None:
    """``value`` is one of ``allowed``; else ``message`` on ``field`` (by default: “Unknown value …”)."""
    if value not in allowed:
        raise ValidationError({field: message or _("Unknown value “%(value)s”.") % {"value": value}})


def check_known_fields(
    fields: Collection[str], allowed: Collection[str], *, editable: bool = False, message: str = ""
) -> None:
    """Every name in ``fields`` is one of ``allowed``; else “Unknown field(s): …” (``message``, with
    ``%(names)s``, in the app's words), or “These fields cannot be changed here: …” for an update that
    may change only some of a model's fields (``editable``)."""
    unknown = set(fields) - set(allowed)
    if not unknown:
        return
    names = ", ".join(sorted(unknown))
    if editable:
        raise ValidationError(_("These fields cannot be changed here: %(f)s") % {"f": names})
    raise ValidationError((message or _("Unknown field(s): %(names)s.")) % {"names": names})


def check_visibility(
    visibility: str,
    party: Party | None,
    dialogue: Dialogue | None = None,
    *,
    party_needed: str = "",
    unknown: str = "",
) -> None:
    """A known visibility (else ``unknown``, or “Unknown visibility …”); content visible to one party only
    names it (``party_needed`` says so in the app's words), and a party named takes part in ``dialogue``
    (when one is given)."""
    check_choice(
        visibility,
        Visibility.values,
        field="visibility",
        message=unknown or _("Unknown visibility “%(value)s”.") % {"value": visibility},
    )
    if visibility == Visibility.PARTY and party is None:
        raise ValidationError(
            {"party": party_needed or _("Content visible to one party only must name that party.")}
        )
    if dialogue is not None and party is not None and not dialogue.parties.filter(pk=party.pk).exists():
        raise ValidationError({"party": _("This party does not take part in this dialogue.")})
