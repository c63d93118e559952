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


@register.filter
def reserve_label(key) -> str:
    """A reserve's key as people read it: the group's name (Women) or the country's (Malaysia)."""
    from concord.talent.forms import COUNTRY_CHOICES
    from concord.talent.models import ReserveGroup

    names = {**dict(ReserveGroup.choices), **dict(COUNTRY_CHOICES)}
    return str(names.get(key, key))
