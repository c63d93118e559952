"""Template filters of talent mobility."""

from __future__ import annotations

from django import template

register = template.Library()


@register.filter
def get(mapping, key):
    """``mapping[key]`` (as a string key too), or the key itself when missing."""
    if not mapping:
        return key
    return mapping.get(key, mapping.get(str(key), key))


@register.filter
def percent(value) -> str:
    try:
        return f"{round(100 * float(value))}%"
    except (TypeError, ValueError):
        return ""
