"""The secretariat's daily screens in a browser (issue 14, items 1 and 3): a Karachi meeting shows its own
time and zone, the minutes editor starts from the record, and a version diff opens, in English and Urdu."""

from __future__ import annotations

import datetime as dt

import pytest
from playwright.sync_api import expect

from concord.minutes import actions as ma
from concord.secretariat import actions
from tests.conftest import PASSWORD, Personas
from tests.e2e.week import islamabad_meeting
from tests.factories import record_outcome

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _switch(page, language: str):
    page.locator("#language-switch").select_option(language)
    page.locator(".header-tools button.secondary").click()
    expect(page.locator("html")).to_have_attribute("lang", language)


def test_meeting_minutes_editor_and_version_diff(page, live_server, login, shot, settings):
    settings.TIME_ZONE = "Europe/London"  # the server's zone is neither Karachi's nor Kuala Lumpur's
    p = Personas()
    meeting = islamabad_meeting(p, "Islamabad senior officials meeting")
    for to in ("open", "in_progress"):
        actions.do_transition_meeting(actor=p.secretariat, meeting=meeting, to=to)
    for user, attended in ((p.delegate_pk, True), (p.delegate_my, True)):
        participant = actions.do_add_participant(actor=p.secretariat, meeting=meeting, user=user)
        actions.do_record_attendance(actor=p.secretariat, participant=participant, attended=attended)
    item = actions.do_add_agenda_item(
        actor=p.secretariat, dialogue=p.dialogue, meeting=meeting, title="Cross-border data flows"
    )
    record_outcome(p, item, "decision", "A joint working group is set up.")
    owner, due = p.delegate_pk, dt.date(2026, 4, 30)  # the action falls to Pakistan
    record_outcome(
        p, item, "action", "Circulate draft terms of reference.", action_owner=owner, action_due=due
    )
    base = live_server.url
    login("secretariat@test.example", PASSWORD)

    page.goto(f"{base}{meeting.get_absolute_url()}")
    expect(page.locator("time").first).to_contain_text("10:00")
    expect(page.locator("time").first).to_contain_text("Asia/Karachi")
    shot("secretariat-daily-01-meeting")

    page.goto(f"{base}/secretariat/meetings/{meeting.pk}/minutes/en/")
    body = page.locator("textarea")
    expect(body).to_be_visible()
    text = body.input_value()
    assert "10:00 (Asia/Karachi)" in text and "Circulate draft terms of reference." in text
    shot("secretariat-daily-02-minutes-editor")
    page.get_by_role("button", name="Save the minutes").click()  # version 1: the draft as written
    expect(page.get_by_role("heading", level=1)).to_contain_text("Minutes")
    page.goto(f"{base}/secretariat/meetings/{meeting.pk}/minutes/en/")
    page.locator("textarea").fill(
        text.replace("A joint working group is set up.", "A joint working group on data flows is set up.")
    )
    page.get_by_role("button", name="Save the minutes").click()
    expect(page.get_by_role("link", name="version 2")).to_be_visible()
    minutes = meeting.minutes.get(language="en")
    assert minutes.version == 2
    page.get_by_role("link", name="version 2").click()
    page.wait_for_load_state()
    expect(page.locator("ins").first).to_contain_text("on data flows")
    shot("secretariat-daily-03-version-diff")

    _switch(page, "ur")
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    expect(page.locator("ins").first).to_contain_text("on data flows")
    shot("secretariat-daily-04-version-diff-urdu")
    page.goto(f"{base}{meeting.get_absolute_url()}")
    expect(page.locator("time").first).to_contain_text("10:00")
    shot("secretariat-daily-05-meeting-urdu")
    page.goto(f"{base}/secretariat/meetings/{meeting.pk}/minutes/ur/")
    expect(page.locator("textarea")).to_be_visible()
    shot("secretariat-daily-06-minutes-editor-urdu")
    ma.do_transition_minutes(actor=p.secretariat, minutes=minutes, to="circulated")
    page.goto(f"{base}{minutes.get_absolute_url()}")
    shot("secretariat-daily-07-minutes-adoption-refused-urdu")
    _switch(page, "en")
