"""The iCalendar feeds parse with a real parser (icalendar) and carry the right instants."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import icalendar
import pytest
from django.core import signing
from django.urls import reverse

from concord.secretariat import actions
from concord.secretariat.ical import Event, calendar, escape_text, fold
from concord.secretariat.views import FEED_SALT

from .conftest import make_meeting


def test_long_lines_fold_at_75_octets_without_splitting_characters():
    line = "SUMMARY:" + "پاکستان ملائیشیا " * 20
    folded = fold(line)
    for physical in folded.split("\r\n"):
        assert len(physical.encode("utf-8")) <= 75
    assert folded.replace("\r\n ", "") == line


def test_text_is_escaped():
    assert escape_text("a,b;c\\d\ne") == "a\\,b\\;c\\\\d\\ne"


def test_a_feed_parses_and_keeps_the_instant_and_zone():
    karachi = ZoneInfo("Asia/Karachi")
    start = dt.datetime(2026, 3, 10, 9, 30, tzinfo=karachi)  # 04:30 UTC
    body = calendar(
        [
            Event(
                uid="m-1@test",
                summary="Senior officials, Islamabad; day 1",
                starts_at=start,
                ends_at=start + dt.timedelta(hours=7),
                location="Islamabad",
                time_zone="Asia/Karachi",
            )
        ],
        name="Test",
        now=dt.datetime(2026, 1, 1, tzinfo=dt.UTC),
    )
    cal = icalendar.Calendar.from_ical(body)
    [event] = cal.walk("VEVENT")
    assert event.decoded("DTSTART") == start
    assert event.decoded("DTSTART").astimezone(dt.UTC) == dt.datetime(2026, 3, 10, 4, 30, tzinfo=dt.UTC)
    assert str(event["SUMMARY"]) == "Senior officials, Islamabad; day 1"
    assert event.decoded("DTEND") - event.decoded("DTSTART") == dt.timedelta(hours=7)
    assert body.endswith("END:VCALENDAR\r\n") and "\r\n" in body


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
    actions.do_transition_meeting(actor=personas.secretariat, meeting=cancelled, to="cancelled")

    response = client.get(reverse("secretariat:dialogue_feed", args=["pk-my"]))
    assert response["Content-Type"].startswith("text/calendar")
    cal = icalendar.Calendar.from_ical(response.content)
    events = {str(e["SUMMARY"]): e for e in cal.walk("VEVENT")}
    assert set(events) == {"Founding meeting", "Cancelled one"}
    assert events["Founding meeting"].decoded("DTSTART") == public.starts_at
    assert events["Founding meeting"].decoded("DTSTART").astimezone(baku).hour == 10
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
