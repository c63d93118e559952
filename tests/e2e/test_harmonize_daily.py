"""The review queue and the overview at 1366 px and 390 px, in English, Malay and Urdu (issue 14, item 14):
nothing scrolls sideways, the relationship headers and the "Sign off theme" column are not cut off, queue rows
show provision text, and the filters narrow the queue. Screenshots are kept under screenshots/."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from concord.harmonize import actions
from tests.e2e.test_harmonize_workspace import _sign_in, personal_data_comparison

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

SIZES = {"1366": {"width": 1366, "height": 900}, "390": {"width": 390, "height": 844}}

# Headers or buttons whose text is wider than their box (cut off), or that overlap their neighbour.
CUT_OFF = """() => {
  const out = [];
  const cells = Array.from(document.querySelectorAll('table.matrix thead th, table.matrix button'));
  for (const el of cells) { if (el.scrollWidth > el.clientWidth + 1) out.push(el.textContent.trim()); }
  const heads = Array.from(document.querySelectorAll('table.matrix thead th'));
  for (let i = 1; i < heads.length; i++) {
    const a = heads[i - 1].getBoundingClientRect(), b = heads[i].getBoundingClientRect();
    const overlap = document.dir === 'rtl' ? b.right > a.left + 1 : a.right > b.left + 1;
    if (overlap) out.push(heads[i].textContent.trim() + ' overlaps');
  }
  return out;
}"""


# What makes the page wider than the window (for the failure message).
WIDEST = """() => Array.from(document.querySelectorAll('body *')).filter(e => e.getBoundingClientRect().right
  > innerWidth + 1 && !e.closest('.table-wrap')).slice(0, 6).map(e => e.tagName + '.' + e.className)"""


def _set_language(page, language: str) -> None:
    page.locator("#language-switch").select_option(language)
    page.locator("#language-switch").locator("xpath=..").locator("button[type=submit]").click()
    expect(page.locator("html")).to_have_attribute("lang", language)


def every_language_and_size(page, url: str, languages=("en", "ms", "ur")):
    """Open ``url`` in each of ``languages`` (chosen with the switch at desktop width), at each of
    ``SIZES``; yield (language, size) with the page loaded."""
    for language in languages:
        page.set_viewport_size(SIZES["1366"])
        page.goto(url)
        _set_language(page, language)
        for size, viewport in SIZES.items():
            page.set_viewport_size(viewport)
            page.goto(url)
            yield language, size


def _wide(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth > innerWidth")


def test_the_queue_and_the_overview_fit_in_every_language_and_size(page, live_server, workspace, shot):
    personas = workspace
    comparison = personal_data_comparison(personas)
    mapping = comparison.mappings.order_by("pk").first()
    mapping.comparison = comparison
    actions.do_review_mapping(actor=personas.analyst_my, mapping=mapping, decision="accept")
    actions.do_sign_off(actor=personas.analyst_my, mapping=mapping)

    _sign_in(page, live_server, "analyst_pk@test.example")
    overview = f"{live_server.url}{comparison.get_absolute_url()}"
    queue = f"{overview}review/"
    for language, size in every_language_and_size(page, overview):
        expect(page.locator("#waiting-note")).to_be_visible()  # the other party sees what waits
        assert "intfloat" not in page.content()
        assert not _wide(page), (f"overview {language} {size} scrolls sideways", page.evaluate(WIDEST))
        if size == "1366":
            assert page.evaluate(CUT_OFF) == [], f"overview {language}: cut off or overlapping"
            # The whole matrix shows, "Sign off theme" included: its frame need not scroll sideways.
            expect(page.locator("table.matrix .sign-col button").first).to_be_visible()
            frame = "document.querySelector('table.matrix').closest('.table-wrap')"
            assert page.evaluate(f"{frame}.scrollWidth <= {frame}.clientWidth"), f"matrix {language} scrolls"
        shot(f"harmonize-daily-overview-{language}-{size}")
        page.goto(queue)
        expect(page.locator("tr.queue-row p.excerpt").first).to_be_visible()
        assert not _wide(page), (f"queue {language} {size} scrolls sideways", page.evaluate(WIDEST))
        shot(f"harmonize-daily-queue-{language}-{size}")

    page.set_viewport_size(SIZES["1366"])
    _set_language(page, "en")
    page.goto(queue)
    total = page.locator("tr.queue-row").count()
    page.get_by_label("Confidence").select_option("high")
    page.get_by_role("button", name="Show").click()
    expect(page.locator("#queue-status")).to_be_visible()
    assert page.locator("tr.queue-row").count() <= total
    assert "confidence=high" in page.url
