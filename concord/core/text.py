"""Cleaning user-supplied text: the one place that decides what characters we accept."""

from __future__ import annotations

import unicodedata

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

# Control characters other than tab and newline are never kept (NUL breaks PostgreSQL text columns), nor
# are bidirectional overrides and isolates, which can make text display differently from what it says.
# Other format characters stay: Urdu needs the zero-width non-joiner and the right-to-left mark.
_ALLOWED_CONTROLS = {"\n", "\t"}
_BIDI_OVERRIDES = {chr(c) for c in (*range(0x202A, 0x202F), *range(0x2066, 0x206A))}


def _keep(ch: str, multiline: bool) -> bool:
    if ch in _ALLOWED_CONTROLS:
        return True
    if ch in _BIDI_OVERRIDES:
        return False
    return unicodedata.category(ch) not in ("Cc", "Cs", "Cn")


def clean_text(
    value: str, *, max_length: int, field: str, multiline: bool = False, required: bool = True
) -> str:
    """Normalise ``value`` (NFC, no control characters, trimmed), or raise a ValidationError naming ``field``.

    Multi-line text keeps its line breaks; single-line text has its white space folded."""
    if not isinstance(value, str):
        raise ValidationError({field: _("Expected text.")})
    value = unicodedata.normalize("NFC", value.replace("\r\n", "\n").replace("\r", "\n"))
    value = "".join(ch for ch in value if _keep(ch, multiline))
    if not multiline:
        value = " ".join(value.split())
    value = value.strip()
    if required and not value:
        raise ValidationError({field: _("This field cannot be empty.")})
    if len(value) > max_length:
        raise ValidationError(
            {
                field: _("This text has %(length)d characters; the limit is %(limit)d.")
                % {"length": len(value), "limit": max_length}
            }
        )
    return value
