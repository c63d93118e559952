"""A delegate signs in, works in Urdu (right to left), and is refused the other party's private page."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.conftest import PASSWORD, Personas
from tests.factories import make_note

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_delegate_signs_in_switches_to_urdu_and_is_refused_the_other_partys_note(
    page, live_server, login, shot
):
    p = Personas()
    ours = make_note(p, "Malaysian preparation", by=p.delegate_my, party=p.my, body="Our own notes.")
    theirs = make_note(p, "Pakistani preparation", by=p.delegate_pk, party=p.pk, body="Not for Malaysia.")

    page.goto(live_server.url)
    shot("01-landing")
    login("delegate_my@test.example", PASSWORD)
    expect(page.get_by_role("heading", level=1)).to_contain_text("Welcome")
    expect(page.get_by_text("Malaysian preparation").first).to_be_visible()
    expect(page.get_by_text("Pakistani preparation")).to_have_count(0)
    shot("02-delegate-dashboard")

    page.goto(f"{live_server.url}/notes/{ours.pk}/")
    expect(page.get_by_role("heading", name="Malaysian preparation")).to_be_visible()

    response = page.goto(f"{live_server.url}/notes/{theirs.pk}/")
    assert response.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text("Not found")
    assert "Pakistani preparation" not in page.content()
    shot("03-refused-other-party")

    page.goto(f"{live_server.url}/")
    page.get_by_label("Language").select_option("ur")
    page.get_by_role("button", name="Change language").click()
    page.wait_for_load_state()
    html = page.locator("html")
    expect(html).to_have_attribute("dir", "rtl")
    expect(html).to_have_attribute("lang", "ur")
    # The layout is mirrored: the brand sits at the right edge.
    brand = page.locator(".brand").bounding_box()
    assert brand["x"] > 640
    shot("04-dashboard-urdu")


def test_keyboard_users_can_skip_to_content(page, live_server, db):
    page.goto(live_server.url)
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to content")
    expect(skip).to_be_focused()
    skip.press("Enter")
    expect(page.locator("main")).to_be_focused()


def test_mobile_layout_has_no_horizontal_scroll(page, live_server, login, shot):
    Personas()
    page.set_viewport_size({"width": 390, "height": 844})
    login("observer@test.example", PASSWORD)
    page.goto(f"{live_server.url}/organisations/")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390 + 1
    shot("05-mobile-organisations")
