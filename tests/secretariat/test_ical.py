"""The iCalendar feeds parse with a real parser (icalendar) and carry the right instants."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import icalendar
import pytest
from django.core import signing
from django.urls import reverse

from concord.secretariat import actions
from concord.secretariat.ical import Event, calendar
from concord.secretariat.views import FEED_SALT

from .conftest import make_meeting

NOW = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)


def _one(event: Event) -> tuple[str, icalendar.Event]:
    body = calendar([event], name="Test", now=NOW)
    [parsed] = icalendar.Calendar.from_ical(body).walk("VEVENT")
    return body, parsed


def test_long_lines_fold_at_75_octets_and_text_comes_back_whole():
    summary = "پاکستان ملائیشیا " * 20 + "a,b;c\\d\ne"
    body, event = _one(
        Event(uid="x@test", summary=summary, starts_at=NOW, description="Line 1\nLine 2; done")
    )
    for physical in body.split("\r\n"):
        assert len(physical.encode("utf-8")) <= 75
    assert str(event["SUMMARY"]) == summary
    assert str(event["DESCRIPTION"]) == "Line 1\nLine 2; done"
    assert body.endswith("END:VCALENDAR\r\n") and "\n" not in body.replace("\r\n", "")


def test_a_meeting_is_written_in_its_own_time_zone():
    karachi = ZoneInfo("Asia/Karachi")
    start = dt.datetime(2026, 3, 10, 10, 0, tzinfo=karachi)
    body, event = _one(
        Event(
            uid="m-1@test",
            summary="Senior officials, Islamabad; day 1",
            starts_at=start.astimezone(dt.UTC),  # as the database returns it
            ends_at=(start + dt.timedelta(hours=7)).astimezone(dt.UTC),
            location="Islamabad",
            time_zone="Asia/Karachi",
        )
    )
    assert "DTSTART;TZID=Asia/Karachi:20260310T100000\r\n" in body
    assert event.decoded("DTSTART") == start
    assert event.decoded("DTSTART").utcoffset() == dt.timedelta(hours=5)  # 10:00 +05:00
    assert event.decoded("DTSTART").astimezone(dt.UTC) == dt.datetime(2026, 3, 10, 5, 0, tzinfo=dt.UTC)
    assert event.decoded("DTEND") - event.decoded("DTSTART") == dt.timedelta(hours=7)
    assert str(event["SUMMARY"]) == "Senior officials, Islamabad; day 1"
    [zone] = icalendar.Calendar.from_ical(body).walk("VTIMEZONE")
    assert str(zone["TZID"]) == "Asia/Karachi"
    assert {o.decoded("TZOFFSETTO") for o in zone.walk("STANDARD")} == {dt.timedelta(hours=5)}


def test_summer_time_is_right_on_both_sides_of_the_change():
    london = ZoneInfo("Europe/London")
    winter = dt.datetime(2026, 3, 20, 10, 0, tzinfo=london)
    summer = dt.datetime(2026, 4, 20, 10, 0, tzinfo=london)
    body = calendar(
        [
            Event(uid=f"{n}@test", summary=n, starts_at=t.astimezone(dt.UTC), time_zone="Europe/London")
            for n, t in (("winter", winter), ("summer", summer))
        ],
        name="Test",
        now=NOW,
    )
    events = {
        str(e["SUMMARY"]): e.decoded("DTSTART") for e in icalendar.Calendar.from_ical(body).walk("VEVENT")
    }
    assert events["winter"].utcoffset() == dt.timedelta(0) and events["winter"].hour == 10
    assert events["summer"].utcoffset() == dt.timedelta(hours=1) and events["summer"].hour == 10
    assert "DTSTART;TZID=Europe/London:20260420T100000\r\n" in body


def test_a_meeting_without_a_time_zone_is_written_in_utc():
    body, event = _one(
        Event(uid="u@test", summary="s", starts_at=dt.datetime(2026, 5, 1, 6, 30, tzinfo=dt.UTC))
    )
    assert "DTSTART:20260501T063000Z\r\n" in body and "VTIMEZONE" not in body
    assert event.decoded("DTSTART") == dt.datetime(2026, 5, 1, 6, 30, tzinfo=dt.UTC)


def test_naive_times_are_refused():
    with pytest.raises(ValueError):
        calendar(
            [Event(uid="x", summary="s", starts_at=dt.datetime(2026, 1, 1))],
            name="n",
            now=dt.datetime.now(dt.UTC),
        )


@pytest.mark.django_db
def test_the_dialogue_feed_has_visible_meetings_with_their_time_zones(personas, client, as_user):
    baku = ZoneInfo("Asia/Baku")
    public = make_meeting(
        personas,
        title="Founding meeting",
        visibility="public",
        time_zone="Asia/Baku",
        starts_at=dt.datetime(2026, 11, 20, 10, 0, tzinfo=baku),
        ends_at=None,
    )
    make_meeting(personas, title="Members only")
    make_meeting(personas, title="No date", starts_at=None, ends_at=None, visibility="public")
    cancelled = make_meeting(personas, title="Cancelled one", visibility="public")
    actions.do_cancel_meeting(actor=personas.secretariat, meeting=cancelled, reason="Venue closed")

    response = client.get(reverse("secretariat:dialogue_feed", args=["pk-my"]))
    assert response["Content-Type"].startswith("text/calendar")
    cal = icalendar.Calendar.from_ical(response.content)
    events = {str(e["SUMMARY"]): e for e in cal.walk("VEVENT")}
    assert set(events) == {"Founding meeting", "Cancelled one"}
    assert events["Founding meeting"].decoded("DTSTART") == public.starts_at
    assert events["Founding meeting"].decoded("DTSTART").astimezone(baku).hour == 10
    assert b"DTSTART;TZID=Asia/Baku:20261120T100000\r\n" in response.content
    assert str(events["Cancelled one"]["STATUS"]) == "CANCELLED"

    member_feed = as_user(personas.delegate_pk).get(reverse("secretariat:dialogue_feed", args=["pk-my"]))
    assert "Members only" in {
        str(e["SUMMARY"]) for e in icalendar.Calendar.from_ical(member_feed.content).walk("VEVENT")
    }


@pytest.mark.django_db
def test_the_personal_feed_needs_a_valid_signed_link(personas, client):
    make_meeting(personas, title="Members only")
    token = signing.dumps({"u": personas.delegate_my.pk}, salt=FEED_SALT)
    response = client.get(reverse("secretariat:user_feed", args=[token]))
    cal = icalendar.Calendar.from_ical(response.content)
    assert [str(e["SUMMARY"]) for e in cal.walk("VEVENT")] == ["Members only"]
    assert client.get(reverse("secretariat:user_feed", args=[token + "x"])).status_code == 404
    outsider = signing.dumps({"u": personas.outsider.pk}, salt=FEED_SALT)
    assert b"Members only" not in client.get(reverse("secretariat:user_feed", args=[outsider])).content
