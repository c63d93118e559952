"""``{{ text|markdown }}``, or ``{{ text|markdown:3 }}`` for headings from ``<h3>`` (`concord.core.prose`)."""

from __future__ import annotations

from django import template
from django.utils.safestring import SafeString

from concord.core.prose import render_markdown

register = template.Library()


@register.filter
def markdown(value: str | None, top: int = 2) -> SafeString:
    """The text written with Markdown, as a document whose headings start at level ``top``."""
    return render_markdown(value or "", top=int(top))
