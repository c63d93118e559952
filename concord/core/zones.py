"""Times shown in the zone they belong to, with that zone stated.

A meeting at 10:00 in Karachi is shown as 10:00 with "Asia/Karachi" beside it, whatever the server's
TIME_ZONE or the reader's own zone. Templates use the ``zones`` tags (``{% zoned meeting.starts_at
meeting.time_zone %}``); exports (CSV, XLSX, PDF, e-mail) use the functions here. A value without a zone of
its own (an audit entry, an upload) is shown in the server's TIME_ZONE, stated as well.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo

from django.conf import settings
from django.utils import formats, timezone


def zone_name(name: str | None = None) -> str:
    """``name`` if it is a known IANA zone, else the server's TIME_ZONE."""
    if name:
        try:
            zoneinfo.ZoneInfo(name)
            return name
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            pass
    return settings.TIME_ZONE


def in_zone(value: dt.datetime, name: str | None = None) -> dt.datetime:
    """``value`` (aware) as the wall time of zone ``name`` (aware, in that zone)."""
    if timezone.is_naive(value):
        raise ValueError("a time without its zone cannot be placed in another zone")
    return value.astimezone(zoneinfo.ZoneInfo(zone_name(name)))


def wall_time(value: dt.datetime | None, name: str | None = None) -> dt.datetime | None:
    """The naive wall time in zone ``name``: what a spreadsheet cell shows (the zone goes in its column)."""
    return None if value is None else in_zone(value, name).replace(tzinfo=None)


def format_time(value: dt.datetime | None, name: str | None = None, *, date: bool = True) -> str:
    """The date in the reader's language, a 24-hour clock, the zone: "5 March 2026, 10:00 (Asia/Karachi)"."""
    if value is None:
        return ""
    day, clock, zone = time_parts(value, name)
    return f"{day + ', ' if date else ''}{clock} ({zone})"


def time_parts(value: dt.datetime, name: str | None = None) -> tuple[str, str, str]:
    """The date (in the reader's language), the 24-hour clock and the zone's name, apart."""
    local = in_zone(value, name)
    return formats.date_format(local, "DATE_FORMAT"), f"{local:%H:%M}", zone_name(name)


def stamp(value: dt.datetime | None, name: str | None = None) -> str:
    """ "2026-12-05 10:00 (Asia/Karachi)": the same in every language, for bilingual documents and files."""
    return "" if value is None else f"{in_zone(value, name):%Y-%m-%d %H:%M} ({zone_name(name)})"


def iso_in_zone(value: dt.datetime | None, name: str | None = None) -> str:
    """ISO 8601 with the zone's offset (``2026-12-05T10:00:00+05:00``), for CSV files and ``<time>``."""
    return "" if value is None else in_zone(value, name).isoformat()
