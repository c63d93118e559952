"""iCalendar (RFC 5545) feeds of meetings, written with the icalendar library. Pure Python: no Django.

A meeting is written in its own time zone (``DTSTART;TZID=Asia/Karachi:20260310T100000``) with that zone's
VTIMEZONE definition, so that calendar applications show the venue's time and convert it to the reader's
zone; a meeting without a zone is written in UTC. The library escapes text, folds lines at 75 octets
without splitting a character, and ends lines with CRLF.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from zoneinfo import ZoneInfo

import icalendar

PRODID = "-//Concord//Dialogue secretariat//EN"


@dataclass(frozen=True)
class Event:
    """One meeting as a calendar event. ``starts_at``/``ends_at`` must be timezone-aware; ``time_zone`` is
    the IANA name of the venue's zone (empty: UTC)."""

    uid: str
    summary: str
    starts_at: dt.datetime
    ends_at: dt.datetime | None = None
    location: str = ""
    description: str = ""
    url: str = ""
    status: str = "CONFIRMED"  # TENTATIVE, CONFIRMED or CANCELLED
    sequence: int = 0
    time_zone: str = ""
    last_modified: dt.datetime | None = None


def _in_zone(value: dt.datetime, zone: dt.tzinfo) -> dt.datetime:
    if value.tzinfo is None:
        raise ValueError("iCalendar times must be timezone-aware")
    return value.astimezone(zone)


def _vevent(event: Event, now: dt.datetime) -> icalendar.Event:
    zone = ZoneInfo(event.time_zone) if event.time_zone else dt.UTC
    vevent = icalendar.Event()
    vevent.add("uid", event.uid)
    vevent.add("dtstamp", _in_zone(now, dt.UTC))
    vevent.add("dtstart", _in_zone(event.starts_at, zone))
    if event.ends_at and event.ends_at > event.starts_at:
        vevent.add("dtend", _in_zone(event.ends_at, zone))
    vevent.add("summary", event.summary)
    vevent.add("status", event.status)
    vevent.add("sequence", event.sequence)
    if event.location:
        vevent.add("location", event.location)
    if event.description:
        vevent.add("description", event.description)
    if event.url:
        vevent.add("url", event.url)
    if event.last_modified:
        vevent.add("last-modified", _in_zone(event.last_modified, dt.UTC))
    return vevent


def calendar(events: Iterable[Event], *, name: str, now: dt.datetime) -> str:
    """A complete VCALENDAR with one VEVENT per event, and a VTIMEZONE for each zone they use."""
    cal = icalendar.Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", name)
    days: list[dt.date] = []
    for event in events:
        cal.add_component(_vevent(event, now))
        days += [event.starts_at.date(), (event.ends_at or event.starts_at).date()]
    if days:
        # Each zone's definition covers the span of the feed's meetings, not 1970 to 2038.
        cal.add_missing_timezones(
            first_date=min(days) - dt.timedelta(days=1), last_date=max(days) + dt.timedelta(days=1)
        )
    return cal.to_ical().decode("utf-8")
