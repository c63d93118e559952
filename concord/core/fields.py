"""Field declarations and readers that models of several apps share.

Each helper returns an ordinary Django field (or reads ordinary fields), so a model's migrations see exactly
what they would see written out; the model still lists every field it holds, one line each.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import get_language


def user_or_none(verbose_name=None, *, blank: bool = True) -> models.ForeignKey:
    """A link to the person who did or owns something (author, reviewer, owner...).

    Deleting the account empties the link and keeps the row, and users get no reverse accessor (the link is
    read from the row's side only). ``blank=False`` where a form must name the person.
    """
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=blank,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=verbose_name,
    )


def localized(obj: models.Model, field: str, language: str | None = None, *, english: str = "") -> str:
    """``obj``'s text ``field`` in ``language`` (the active language by default).

    A text kept in several languages is one field for English (``field``, or ``english`` where the English
    field has its own suffix, as ``label_en``) and one per other language (``field_ms``, ``field_ur``). A
    translation left empty falls back to the English text.
    """
    language = (language or get_language() or "en")[:2]
    if language != "en":
        value = getattr(obj, f"{field}_{language}", "")
        if value:
            return value
    return getattr(obj, english or field)
