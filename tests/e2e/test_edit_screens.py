"""The weekly edit screens in a browser: the secretariat reschedules a meeting and reorders its agenda with
buttons (no JavaScript needed), and a professional accepts a seat. Screenshots at 1366 px and 390 px, and in
Urdu, land in screenshots/edit-*.png."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import expect

from concord.secretariat import actions
from concord.talent import actions as talent_actions
from concord.talent.models import Placement
from tests.conftest import PASSWORD, Personas
from tests.e2e.week import islamabad_meeting
from tests.talent.conftest import SAMPLE, make_opportunity, make_profile

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

DESKTOP = {"width": 1366, "height": 900}
PHONE = {"width": 390, "height": 844}


def _switch(page, language: str):
    page.locator("#language-switch").select_option(language)
    page.locator(".header-tools button.secondary").click()
    expect(page.locator("html")).to_have_attribute("lang", language)


def _no_sideways_scroll(page):
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"] + 1, f"{page.url} is {width} px wide at 390 px"


def _agenda_titles(page) -> list[str]:
    return [t.strip() for t in page.locator(".agenda-item .item-title").all_inner_texts()]


def test_the_secretariat_reschedules_a_meeting_and_reorders_its_agenda(
    page, live_server, login, shot, settings
):
    settings.TIME_ZONE = "Europe/London"
    p = Personas()
    karachi = ZoneInfo("Asia/Karachi")
    meeting = islamabad_meeting(p, "Senior officials meeting")
    for title in ("Opening remarks", "Cross-border data flows", "Any other business"):
        actions.do_add_agenda_item(actor=p.secretariat, dialogue=p.dialogue, meeting=meeting, title=title)
    base = live_server.url
    page.set_viewport_size(DESKTOP)
    login("secretariat@test.example", PASSWORD)

    # Reschedule: two days later, an hour earlier, same venue.
    page.goto(f"{base}{meeting.get_absolute_url()}")
    page.get_by_role("link", name="Edit or reschedule").click()
    expect(page.get_by_label("Starts (local time at the venue)")).to_have_value("2026-03-10T10:00")
    shot("edit-01-meeting-form-1366")
    page.get_by_label("Starts (local time at the venue)").fill("2026-03-12T09:00")
    page.get_by_label("Ends (local time at the venue)").fill("2026-03-12T16:00")
    page.get_by_role("button", name="Save the meeting").click()
    expect(page.get_by_text("Meeting saved.")).to_be_visible()
    expect(page.locator("time").first).to_contain_text("09:00")
    expect(page.locator("time").first).to_contain_text("Asia/Karachi")
    meeting.refresh_from_db()
    assert meeting.starts_at == dt.datetime(2026, 3, 12, 9, 0, tzinfo=karachi)

    # Reorder: "Any other business" up once, "Opening remarks" down once.
    assert _agenda_titles(page) == ["Opening remarks", "Cross-border data flows", "Any other business"]
    page.get_by_role("button", name="Move “Any other business” up").click()
    expect(page.locator(".agenda-item .item-title").nth(1)).to_have_text("Any other business")
    page.get_by_role("button", name="Move “Opening remarks” down").click()
    expect(page.locator(".agenda-item .item-title").first).to_have_text("Any other business")
    assert _agenda_titles(page) == ["Any other business", "Opening remarks", "Cross-border data flows"]
    shot("edit-02-meeting-reordered-1366")

    page.set_viewport_size(PHONE)
    page.reload()
    _no_sideways_scroll(page)
    shot("edit-03-meeting-390")
    page.goto(f"{base}/secretariat/meetings/{meeting.pk}/edit/")
    _no_sideways_scroll(page)
    shot("edit-04-meeting-form-390")

    page.set_viewport_size(DESKTOP)
    page.goto(f"{base}{meeting.get_absolute_url()}")
    _switch(page, "ur")
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    shot("edit-05-meeting-ur-1366")
    page.set_viewport_size(PHONE)
    page.reload()
    _no_sideways_scroll(page)
    shot("edit-06-meeting-ur-390")


def test_a_professional_accepts_a_seat(page, live_server, login, shot):
    p = Personas()
    talent_actions.do_import_esco(actor=p.secretariat, directory=SAMPLE)
    from concord.talent.models import Skill

    esco = {s.uri.split("skill:")[-1] if ":skill:" in s.uri else s.uri: s for s in Skill.objects.all()}
    opp = make_opportunity(p, esco, title="Applied machine learning fellowship")
    make_profile(p.outsider, esco)
    talent_actions.do_apply(actor=p.outsider, opportunity=opp)
    rnd = talent_actions.do_create_round(
        actor=p.delegate_my, dialogue=p.dialogue, title="Spring fellowship round", opportunities=[opp]
    )
    talent_actions.do_run_round(actor=p.delegate_my, allocation_round=rnd, run="inline")
    base = live_server.url
    page.set_viewport_size(DESKTOP)
    login("outsider@test.example", PASSWORD)

    page.goto(f"{base}{rnd.get_absolute_url()}")
    expect(page.get_by_text("Waiting for your answer")).to_be_visible()
    shot("edit-10-seat-offered-1366")
    page.set_viewport_size(PHONE)
    _no_sideways_scroll(page)
    shot("edit-11-seat-offered-390")
    page.set_viewport_size(DESKTOP)
    page.get_by_role("button", name="Accept the seat").click()
    expect(page.get_by_text("You accepted your seat: Applied machine learning fellowship.")).to_be_visible()
    expect(page.locator(".placement .badge.ok").first).to_have_text("Accepted")
    expect(page.get_by_role("button", name="Accept the seat")).to_have_count(0)
    assert Placement.objects.get(round=rnd, profile__user=p.outsider).response == "accepted"
    shot("edit-12-seat-accepted-1366")

    page.goto(f"{base}/talent/profile/")
    expect(page.locator(".preferences")).to_contain_text("Applied machine learning fellowship")
    _switch(page, "ur")
    page.goto(f"{base}{rnd.get_absolute_url()}")
    shot("edit-13-seat-accepted-ur-1366")
    page.set_viewport_size(PHONE)
    page.reload()
    _no_sideways_scroll(page)
    shot("edit-14-seat-accepted-ur-390")
