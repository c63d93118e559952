"""Browser tests: Playwright drives Debian's Chromium against a live server."""

from __future__ import annotations

from pathlib import Path

import pytest

SCREENSHOTS = Path(__file__).resolve().parents[2] / "screenshots"


@pytest.fixture
def shot(page):
    """Save a full-page screenshot under screenshots/ (look at them!)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    def _shot(name: str) -> Path:
        path = SCREENSHOTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return _shot


@pytest.fixture
def browser_context_args(browser_context_args):
    return {**browser_context_args, "viewport": {"width": 1280, "height": 900}, "locale": "en-GB"}


@pytest.fixture
def login(page, live_server, settings):
    settings.CONCORD_REQUIRE_2FA = False

    def _login(email: str, password: str):
        page.goto(f"{live_server.url}/accounts/login/")
        page.get_by_label("Email address").fill(email)
        page.get_by_label("Password").fill(password)
        page.get_by_role("button", name="Sign in").last.click()
        page.wait_for_load_state()

    return _login


@pytest.fixture(autouse=True)
def _patient_page(request):
    """The suite runs on two processes on two cores: give pages and assertions time under load."""
    if "page" not in request.fixturenames:
        return
    from playwright.sync_api import expect

    page = request.getfixturevalue("page")
    page.set_default_timeout(90_000)
    page.set_default_navigation_timeout(90_000)
    expect.set_options(timeout=30_000)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """When a browser test fails, put the page's address and visible text into the report (CI prints it),
    and keep a screenshot under screenshots/FAILED-<test>.png."""
    outcome = yield
    report = outcome.get_result()
    page = item.funcargs.get("page") if hasattr(item, "funcargs") else None
    if report.when != "call" or not report.failed or page is None:
        return
    try:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / f"FAILED-{item.name}.png"), full_page=True)
        text = page.locator("body").inner_text(timeout=5_000)
        report.sections.append(("page at failure", f"{page.url}\n\n{text[:4000]}"))
    except Exception as exc:  # the page may be gone; the failure itself is what matters
        report.sections.append(("page at failure", f"(could not read the page: {exc})"))


@pytest.fixture
def workspace(settings, tmp_path):
    """The test personas, signed in with a password alone, uploads kept under ``tmp_path``, and the
    deterministic encoder (the library's reading and the harmonize runs are fast and repeatable)."""
    from tests.conftest import Personas

    settings.CONCORD_REQUIRE_2FA = False
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.CONCORD_ENCODER = "hashing"
    return Personas()
