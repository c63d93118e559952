"""A delegate sees the unread count in the header, opens the inbox and follows a notice to its page; the
inbox and My work at 1366 px and 390 px, and in Urdu, without sideways scrolling."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.conftest import PASSWORD, Personas

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _invite(p: Personas):
    from concord.secretariat import actions
    from tests.secretariat.conftest import make_meeting

    meeting = make_meeting(p, title="Senior officials meeting on data flows")
    actions.do_add_participant(actor=p.secretariat, meeting=meeting, user=p.delegate_pk)
    actions.do_add_agenda_item(
        actor=p.secretariat, dialogue=p.dialogue, meeting=meeting, title="Cross-border data"
    )
    return meeting


def test_a_delegate_follows_a_notice_from_the_header_to_its_page(page, live_server, login, shot):
    p = Personas()
    meeting = _invite(p)
    login(p.delegate_pk.email, PASSWORD)
    link = page.locator("#notices-link")
    expect(link.locator(".count")).to_have_text("2")
    link.click()
    expect(page.get_by_role("heading", name="Notices")).to_be_visible()
    page.set_viewport_size({"width": 1366, "height": 900})
    shot("notices-inbox-1366")
    # the "Unread only" tick box sits beside its words, not in a wide empty box of its own
    box = page.get_by_label("Unread only").bounding_box()
    assert box is not None and box["width"] < 32, box
    page.set_viewport_size({"width": 390, "height": 844})
    shot("notices-inbox-390")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.get_by_role("link", name="Senior officials meeting on data flows").first.click()
    page.wait_for_load_state()
    assert page.url.split("#")[0].endswith(meeting.get_absolute_url())
    expect(page.locator("#notices-link .count")).to_have_text("1")

    page.goto(f"{live_server.url}/notices/my-work/")
    shot("notices-my-work-390")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390

    page.locator("#language-switch").select_option("ur")
    page.locator("#language-switch").locator("xpath=..").locator("button[type=submit]").click()
    page.wait_for_load_state()
    page.goto(f"{live_server.url}/notices/")
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    shot("notices-inbox-ur-390")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.set_viewport_size({"width": 1366, "height": 900})
    shot("notices-inbox-ur-1366")
