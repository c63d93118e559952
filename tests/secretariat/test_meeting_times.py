"""A meeting's time is shown at the venue, with its zone, wherever it appears (issue 14, item 1).

The server runs in London here, so neither the server's zone nor Kuala Lumpur's can pass for Karachi's.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from zoneinfo import ZoneInfo

import icalendar
import openpyxl
import pytest
from django.core import mail
from django.test import override_settings
from django.urls import reverse
from django.utils import translation

from concord.core import zones
from concord.reporting import dossier, reports
from concord.secretariat import actions

from .conftest import add_item, make_meeting, open_meeting, record_outcome

KARACHI = ZoneInfo("Asia/Karachi")
START = dt.datetime(2026, 3, 10, 10, 0, tzinfo=KARACHI)

pytestmark = pytest.mark.usefixtures("in_london")


@pytest.fixture
def karachi_meeting(personas):
    return make_meeting(
        personas,
        title="Islamabad round",
        starts_at=START,
        ends_at=START + dt.timedelta(hours=7),
        time_zone="Asia/Karachi",
        venue="Islamabad",
    )


def test_the_helper_shows_the_wall_time_of_the_given_zone_and_names_it():
    utc = START.astimezone(dt.UTC)
    with translation.override("en"):
        assert zones.format_time(utc, "Asia/Karachi") == "March 10, 2026, 10:00 (Asia/Karachi)"
    assert zones.stamp(utc, "Asia/Kuala_Lumpur") == "2026-03-10 13:00 (Asia/Kuala_Lumpur)"
    assert zones.wall_time(utc, "Asia/Karachi") == dt.datetime(2026, 3, 10, 10, 0)
    assert zones.iso_in_zone(utc, "Asia/Karachi") == "2026-03-10T10:00:00+05:00"
    # No zone of its own: the server's, stated.
    assert zones.stamp(utc) == "2026-03-10 05:00 (Europe/London)"
    with pytest.raises(ValueError):
        zones.in_zone(dt.datetime(2026, 3, 10, 10, 0), "Asia/Karachi")


def test_the_meeting_page_shows_ten_oclock_in_karachi(personas, as_user, karachi_meeting):
    page = as_user(personas.delegate_pk).get(karachi_meeting.get_absolute_url()).content.decode()
    assert "10:00" in page and "Asia/Karachi" in page
    assert 'datetime="2026-03-10T10:00:00+05:00"' in page
    assert "13:00" not in page and "05:00" not in page.replace("+05:00", "")
    # the end, at the venue too
    assert "17:00" in page


def test_the_overview_lists_it_at_the_venue_time(personas, as_user, karachi_meeting):
    page = (
        as_user(personas.delegate_pk)
        .get(reverse("secretariat:overview", args=[personas.dialogue.slug]))
        .content.decode()
    )
    assert "10:00" in page and "Asia/Karachi" in page


def test_the_meeting_page_in_urdu_keeps_the_clock_and_zone_apart(personas, as_user, karachi_meeting):
    client = as_user(personas.delegate_pk)
    page = client.get(karachi_meeting.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="ur").content.decode()
    assert "<bdi>10:00</bdi>" in page and "(Asia/Karachi)</bdi>" in page


def test_the_invitation_email_states_the_venue_time_and_zone(personas, karachi_meeting):
    mail.outbox.clear()
    with override_settings(SITE_URL="https://concord.example"):
        from django.test import TestCase

        with TestCase.captureOnCommitCallbacks(execute=True):
            actions.do_add_participant(
                actor=personas.secretariat, meeting=karachi_meeting, user=personas.delegate_pk
            )
    [message] = mail.outbox
    assert message.to == ["delegate_pk@test.example"]
    assert "10:00 (Asia/Karachi)" in message.body
    assert "https://concord.example" + karachi_meeting.get_absolute_url() in message.body
    # Invited again: no second e-mail.
    actions.do_add_participant(actor=personas.secretariat, meeting=karachi_meeting, user=personas.delegate_pk)
    assert len(mail.outbox) == 1


def test_the_csv_gives_the_venue_time_with_its_zone(personas, as_user, karachi_meeting):
    response = as_user(personas.delegate_pk).get(
        reverse("secretariat:meetings_csv", args=[personas.dialogue.slug])
    )
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    [row] = [r for r in rows if r["title"] == "Islamabad round"]
    assert row["starts (local)"] == "2026-03-10 10:00"
    assert row["ends (local)"] == "2026-03-10 17:00"
    assert row["time_zone"] == "Asia/Karachi"
    assert row["starts_iso"] == "2026-03-10T10:00:00+05:00"


def test_the_csv_lists_only_meetings_the_reader_may_see(personas, as_user, karachi_meeting):
    make_meeting(personas, title="MY party caucus", visibility="party", party=personas.my)
    body = (
        as_user(personas.delegate_pk)
        .get(reverse("secretariat:meetings_csv", args=[personas.dialogue.slug]))
        .content.decode()
    )
    assert "Islamabad round" in body and "MY party caucus" not in body


def test_the_xlsx_dossier_writes_the_wall_time_at_the_venue(personas, karachi_meeting):
    open_meeting(personas, karachi_meeting)
    item = add_item(personas, karachi_meeting, "Data flows")
    record_outcome(personas, item, "decision", "Agreed.")
    ctx = dossier.context(
        reports.dossier_data(personas.secretariat, personas.dialogue), personas.dialogue, "en"
    )
    book = openpyxl.load_workbook(io.BytesIO(dossier.render_xlsx(ctx)))
    sheet = book["Outcomes"]
    header = [c.value for c in sheet[1]]
    row = dict(zip(header, [c.value for c in sheet[2]], strict=True))
    assert row["starts_at (local time at the venue)"] == dt.datetime(2026, 3, 10, 10, 0)
    assert row["time_zone"] == "Asia/Karachi"


def test_the_ical_feed_agrees(personas, client):
    make_meeting(personas, starts_at=START, ends_at=None, time_zone="Asia/Karachi", visibility="public")
    body = client.get(reverse("secretariat:dialogue_feed", args=[personas.dialogue.slug])).content
    [event] = icalendar.Calendar.from_ical(body).walk("VEVENT")
    assert event.decoded("DTSTART") == START
    assert "2026-03-10 10:00 Asia/Karachi" in str(event["DESCRIPTION"])
