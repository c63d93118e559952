"""No page scrolls sideways on a 390 px phone, for any demo role, in English and in Urdu (right to left).

Each demo role signs in, opens every page of the menu and, from those pages, one page of every kind they link
to (a note, a meeting, a commitment, a listing, an opportunity, a profile...). A page fails when
``document.documentElement.scrollWidth`` is wider than the window. The collapsed menu is checked by keyboard.
"""

from __future__ import annotations

import io
import re

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1366, "height": 900}
SKIP = re.compile(
    r"^/(admin|api|jsi18n|language|accounts/logout|static|media)|\.(csv|ics|xlsx|pdf|json|jsonl)$|/file\.|/export"
)


@pytest.fixture
def demo(db):
    """The demo, without the slow library and comparison loaders: the people, organisations, meetings,
    commitments, listings, talent round, programmes and joint projects that fill the pages most."""
    from concord.demo.load import (
        load_ecosystem,
        load_foundation,
        load_programmes,
        load_secretariat,
        load_talent,
    )

    for loader in (load_foundation, load_ecosystem, load_secretariat, load_talent, load_programmes):
        loader(io.StringIO())


def _sign_in(page, base: str, email: str, language: str) -> None:
    from concord.demo.load import DEMO_PASSWORD

    page.goto(f"{base}/accounts/login/")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").last.click()
    page.wait_for_load_state()
    page.locator("#language-switch").select_option(language)
    page.locator("#language-switch").locator("xpath=..").locator("button[type=submit]").click()
    page.wait_for_load_state()


def _kind(path: str) -> str:
    """/secretariat/meetings/12/ and /secretariat/meetings/13/ are the same kind of page."""
    return re.sub(r"/\d+(?=/|$)", "/N", path.split("?")[0].split("#")[0])


def _too_wide(page) -> int | None:
    width = page.evaluate("document.documentElement.scrollWidth")
    return width if width > page.evaluate("innerWidth") else None


def _links(page, selector: str) -> list[str]:
    hrefs = page.eval_on_selector_all(selector, "els => els.map(e => e.getAttribute('href') || '')")
    return [h for h in hrefs if h.startswith("/") and not SKIP.search(h.split("?")[0])]


def _walk(page, base: str) -> tuple[list[str], list[str]]:
    """Every menu page, every page they link to (one of each kind), and one of each kind of detail page
    linked from those. Returns (visited, too wide)."""
    page.goto(f"{base}/")
    menu = _links(page, ".site-nav a")
    assert len(menu) >= 6, menu
    visited: list[str] = []
    wide: list[str] = []
    kinds: set[str] = {_kind(path) for path in menu}

    def visit(path: str) -> list[str]:
        """Open the page, note its width, and return the links to kinds of page not seen yet."""
        response = page.goto(f"{base}{path}")
        if response is None or "text/html" not in response.headers.get("content-type", ""):
            return []
        visited.append(path)
        width = _too_wide(page)
        if width:
            wide.append(f"{path} is {width} px wide")
        new = []
        for link in _links(page, "main a"):
            if _kind(link) not in kinds:
                kinds.add(_kind(link))
                new.append(link)
        return new

    second = [link for path in menu for link in visit(path)]
    third = [link for path in second for link in visit(path) if re.search(r"/\d+/", link)]
    for path in third:
        visit(path)
    return visited, wide


ROLES = [
    "secretariat",
    "delegate.my",
    "delegate.pk",
    "analyst.my",
    "analyst.pk",
    "stakeholder",
    "observer",
    "professional.pk1",
    "hub.my",
]


@pytest.mark.parametrize("language", ["en", "ur"])
def test_no_page_scrolls_sideways_at_390px_for_any_role(page, live_server, settings, demo, language, shot):
    settings.CONCORD_REQUIRE_2FA = False
    from concord.demo.load import DEMO_DOMAIN

    page.set_viewport_size(PHONE)
    problems: list[str] = []
    kinds_seen: set[str] = set()
    for role in ROLES:
        page.context.clear_cookies()
        _sign_in(page, live_server.url, f"{role}@{DEMO_DOMAIN}", language)
        visited, wide = _walk(page, live_server.url)
        kinds_seen.update(_kind(p) for p in visited)
        problems += [f"{role} ({language}): {w}" for w in wide]
    # The walk really reached the detail pages people use, not just the menu.
    for kind in (
        "/notes/N/",
        "/secretariat/meetings/N/",
        "/secretariat/commitments/N/",
        "/directory/listings/N/",
        "/talent/opportunities/N/",
        "/talent/rounds/N/",
        "/directory/organisations/N/",
    ):
        assert kind in kinds_seen, sorted(kinds_seen)
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("language", ["en", "ur"])
def test_the_menu_collapses_on_a_phone_and_opens_from_the_keyboard(
    page, live_server, settings, demo, language, shot
):
    settings.CONCORD_REQUIRE_2FA = False
    from concord.demo.load import DEMO_DOMAIN

    page.set_viewport_size(PHONE)
    _sign_in(page, live_server.url, f"secretariat@{DEMO_DOMAIN}", language)
    header = page.locator(".site-header")
    menu = page.locator(".site-nav")
    expect(menu).to_be_hidden()
    # Brand, menu button and the language and account tools: two short rows, not four lines of links.
    assert header.bounding_box()["height"] < 200
    shot(f"mobile-390-{language}-home")

    summary = page.locator(".site-menu > summary")
    summary.focus()
    page.keyboard.press("Enter")
    expect(menu).to_be_visible()
    expect(page.locator(".site-menu")).to_have_attribute("open", "")
    shot(f"mobile-390-{language}-menu-open")
    links = menu.get_by_role("link")
    assert links.count() >= 10
    # The open menu lies over the page, within the screen, and in Urdu starts from the right.
    box = menu.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"] + 1
    first = links.first.bounding_box()
    if language == "ur":
        assert first["x"] + first["width"] > PHONE["width"] - 40
    else:
        assert first["x"] < 40
    assert _too_wide(page) is None

    page.keyboard.press("Tab")
    expect(links.first).to_be_focused()
    links.nth(1).focus()
    page.keyboard.press("Enter")
    page.wait_for_load_state()
    expect(page.locator(".site-nav")).to_be_hidden()  # a new page starts with the menu closed
    shot(f"mobile-390-{language}-library")

    page.set_viewport_size(DESKTOP)
    page.goto(f"{live_server.url}/")
    # On a wide screen the menu is simply there, with no button.
    expect(page.locator(".site-nav")).to_be_visible()
    expect(summary).to_be_hidden()
    shot(f"desktop-1366-{language}-home")


@pytest.mark.parametrize("language", ["en", "ur"])
def test_screens_at_390_and_1366(page, live_server, settings, demo, language, shot):
    """Screenshots of the busiest pages at both widths (screenshots/), for people to look at."""
    settings.CONCORD_REQUIRE_2FA = False
    from concord.commitments.models import Commitment
    from concord.demo.load import DEMO_DOMAIN

    commitment = Commitment.objects.select_related("dialogue").order_by("pk").first()
    pages = {
        "gaps": "/talent/gaps/",
        "listings": "/directory/",
        "commitments": f"/secretariat/d/{commitment.dialogue.slug}/commitments/",
        "commitment": commitment.get_absolute_url(),
    }
    _sign_in(page, live_server.url, f"secretariat@{DEMO_DOMAIN}", language)
    for size_name, size in (("390", PHONE), ("1366", DESKTOP)):
        page.set_viewport_size(size)
        for name, path in pages.items():
            page.goto(f"{live_server.url}{path}")
            assert _too_wide(page) is None, path
            shot(f"mobile-{size_name}-{language}-{name}")
