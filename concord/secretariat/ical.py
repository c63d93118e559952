"""iCalendar (RFC 5545) feeds of meetings. Pure Python: no Django.

Times are written in UTC (``DTSTART:20261201T013000Z``), which every calendar application converts to the
reader's zone without needing a VTIMEZONE block; the meeting's own time zone is named in ``X-CONCORD-TZID``
and in the description so that people see the local time of the venue too. Lines are folded at 75 octets,
text is escaped, and lines end with CRLF, as the RFC requires.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

PRODID = "-//Concord//Dialogue secretariat//EN"


@dataclass(frozen=True)
class Event:
    """One meeting as a calendar event. ``starts_at``/``ends_at`` must be timezone-aware."""

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


def escape_text(value: str) -> str:
    """Escape a TEXT value (RFC 5545 §3.3.11): backslash, semicolon, comma and newlines."""
    value = value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    return value.replace("\r\n", "\\n").replace("\r", "\\n").replace("\n", "\\n")


def fold(line: str) -> str:
    """Fold a content line to at most 75 octets per physical line, never splitting a UTF-8 character."""
    out: list[str] = []
    current = ""
    size = 0
    limit = 75
    for ch in line:
        n = len(ch.encode("utf-8"))
        if size + n > limit:
            out.append(current)
            current, size, limit = " ", 1, 75
        current += ch
        size += n
    out.append(current)
    return "\r\n".join(out)


def utc_stamp(value: dt.datetime) -> str:
    if value.tzinfo is None:
        raise ValueError("iCalendar times must be timezone-aware")
    return value.astimezone(dt.UTC).strftime("%Y%m%dT%H%M%SZ")


def _event_lines(event: Event, now: dt.datetime) -> list[str]:
    ends_at = event.ends_at if event.ends_at and event.ends_at > event.starts_at else None
    lines = [
        "BEGIN:VEVENT",
        f"UID:{event.uid}",
        f"DTSTAMP:{utc_stamp(now)}",
        f"DTSTART:{utc_stamp(event.starts_at)}",
    ]
    if ends_at:
        lines.append(f"DTEND:{utc_stamp(ends_at)}")
    lines += [f"SUMMARY:{escape_text(event.summary)}", f"STATUS:{event.status}", f"SEQUENCE:{event.sequence}"]
    if event.location:
        lines.append(f"LOCATION:{escape_text(event.location)}")
    if event.description:
        lines.append(f"DESCRIPTION:{escape_text(event.description)}")
    if event.url:
        lines.append(f"URL:{event.url}")
    if event.time_zone:
        lines.append(f"X-CONCORD-TZID:{escape_text(event.time_zone)}")
    if event.last_modified:
        lines.append(f"LAST-MODIFIED:{utc_stamp(event.last_modified)}")
    lines.append("END:VEVENT")
    return lines


def calendar(events: Iterable[Event], *, name: str, now: dt.datetime) -> str:
    """A complete VCALENDAR with one VEVENT per event that has a start time."""
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{PRODID}",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{escape_text(name)}",
    ]
    for event in events:
        lines += _event_lines(event, now)
    lines.append("END:VCALENDAR")
    return "".join(fold(line) + "\r\n" for line in lines)
