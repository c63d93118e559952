"""Helpers for the browser walks (``test_week_*.py``, the programmes and joint-project paths, and the talent,
ecosystem and secretariat-chain acceptance tests): sign in as a user or sign out, look at a page at 1366 px
and 390 px (and in Urdu), fail when it scrolls sideways on the phone, and follow a notice from the inbox or
the e-mail outbox; and the Islamabad meeting that the secretariat's walks start from."""

from __future__ import annotations

import datetime as dt
import re
from zoneinfo import ZoneInfo

from django.core import mail
from playwright.sync_api import expect

from tests.conftest import PASSWORD
from tests.secretariat.conftest import make_meeting

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1366, "height": 900}


def sign_in_as(page, login, user) -> None:
    """Sign out whoever is signed in, then sign in as ``user``."""
    page.context.clear_cookies()
    login(user.email, PASSWORD)


def no_sideways_scroll(page) -> None:
    """The page is no wider than the window."""
    width, window = page.evaluate("document.documentElement.scrollWidth"), page.evaluate("innerWidth")
    assert width <= window, f"{page.url} is {width} px wide in a {window} px window"


def look(page, shot, name: str) -> None:
    """Screenshots at 1366 px and 390 px; the page may not be wider than the phone."""
    page.set_viewport_size(DESKTOP)
    shot(f"{name}-1366")
    page.set_viewport_size(PHONE)
    shot(f"{name}-390")
    no_sideways_scroll(page)
    page.set_viewport_size(DESKTOP)


def switch(page, language: str) -> None:
    page.locator("#language-switch").select_option(language)
    page.locator("#language-switch").locator("xpath=..").locator("button[type=submit]").click()
    expect(page.locator("html")).to_have_attribute("lang", language)


def in_urdu(page, shot, name: str) -> None:
    """The same page in Urdu, right to left, at both widths; then back to English."""
    switch(page, "ur")
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    look(page, shot, f"{name}-ur")
    switch(page, "en")


def sign_out(page) -> None:
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_load_state()


def mailed_link(base: str, to: str, subject_part: str = "") -> str:
    """The address, on this site, of the newest e-mail to ``to`` (whose subject holds ``subject_part``)."""
    messages = [m for m in mail.outbox if to in m.to and subject_part in m.subject]
    assert messages, f"no e-mail to {to} about {subject_part!r}: {[(m.to, m.subject) for m in mail.outbox]}"
    found = re.search(re.escape(base) + r"(/[^\s\"<>]*)", messages[-1].body)
    assert found, messages[-1].body
    return found.group(1)


def follow_notice(page, base: str, text: str) -> None:
    """Open the inbox from the header and follow the notice whose text holds ``text``."""
    page.goto(base + "/")
    page.locator("#notices-link").click()
    expect(page.get_by_role("heading", name="Notices")).to_be_visible()
    page.locator("main").get_by_role("link", name=re.compile(re.escape(text))).first.click()
    page.wait_for_load_state()


def islamabad_meeting(p, title: str):
    """A senior officials meeting in Islamabad on 10 March 2026, 10:00 to 17:00 Karachi time."""
    karachi = ZoneInfo("Asia/Karachi")
    return make_meeting(
        p,
        title=title,
        venue="Islamabad",
        starts_at=dt.datetime(2026, 3, 10, 10, 0, tzinfo=karachi),
        ends_at=dt.datetime(2026, 3, 10, 17, 0, tzinfo=karachi),
        time_zone="Asia/Karachi",
    )
