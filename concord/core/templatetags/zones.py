"""``{% zoned value zone %}``: a time in its own zone, with the zone stated (see concord/core/zones.py)."""

from __future__ import annotations

from django import template
from django.utils.html import format_html

from concord.core import zones

register = template.Library()


@register.simple_tag
def zoned(value, zone: str | None = None, date: bool = True):
    """``<time datetime="…">5 December 2026, 10:00 (Asia/Karachi)</time>``; empty for no value."""
    if not value:
        return ""
    day, clock, name = zones.time_parts(value, zone)
    # The clock and the zone are left-to-right runs: isolated, they keep their order in an Urdu page.
    if not date:
        return format_html(
            '<time datetime="{}"><bdi>{}</bdi> <bdi class="tz">({})</bdi></time>',
            zones.iso_in_zone(value, zone),
            clock,
            name,
        )
    return format_html(
        '<time datetime="{}">{}, <bdi>{}</bdi> <bdi class="tz">({})</bdi></time>',
        zones.iso_in_zone(value, zone),
        day,
        clock,
        name,
    )


@register.filter
def in_zone(value, zone: str | None = None) -> str:
    """The plain-text form, for attributes and e-mails: ``{{ slot.starts_at|in_zone:slot.time_zone }}``."""
    return zones.format_time(value, zone) if value else ""


@register.filter
def zone_stamp(value, zone: str | None = None) -> str:
    """``2026-12-05 10:00 (Asia/Karachi)``, the same in every language (bilingual PDFs)."""
    return zones.stamp(value, zone) if value else ""
