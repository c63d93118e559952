"""Text direction helpers for templates: ``{{ value|bdi }}`` isolates text of its own direction.

An English title or a code inside a translated Urdu sentence (or Urdu inside an English one) must not take
the sentence's punctuation with it: ".Export Board" instead of "Export Board.". Wrapping the embedded value
in ``<bdi>`` (HTML's bidirectional isolate) lets it keep its own direction. Use it on values passed into
``{% blocktranslate with ... %}``, where names, titles, codes and user text meet translated words.
"""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString

register = template.Library()


@register.filter
def bdi(value: Any) -> SafeString:
    """The value, escaped, in a ``<bdi>`` element ("" stays empty)."""
    if value is None or value == "":
        return SafeString("")
    return format_html("<bdi>{}</bdi>", value)


@register.filter
def isolate(value: Any) -> str:
    """The value between FIRST STRONG ISOLATE and POP DIRECTIONAL ISOLATE (U+2068 … U+2069): for PDFs, where
    WeasyPrint gives ``<bdi>`` and ``dir="auto"`` no direction of their own, so "72 hours" in an Urdu line
    would come out as "hours 72". Escaped by the template as any other text."""
    if value is None or value == "":
        return ""
    return f"\u2068{value}\u2069"
