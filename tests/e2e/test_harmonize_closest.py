"""A reviewer who finds the engine's suggestion is not the counterpart picks the next candidate from the
mapping's page and maps it, in English, Malay and Urdu (right to left), at desktop and phone widths. An
observer sees the candidates without the offer to map them. Screenshots are kept under screenshots/."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from concord.harmonize.models import Mapping
from tests.e2e.test_harmonize_daily import WIDEST, _set_language, _wide, every_language_and_size
from tests.e2e.test_harmonize_workspace import _library, _sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _read_and_compare(personas):
    """Both acts read into the library with their vectors stored, compared by Malaysia's analyst and run
    (keeping the engine's five best candidates for each provision, as the app does by default)."""
    from concord.harmonize.actions import do_run_comparison
    from concord.library.models import PolicyDocument
    from tests.harmonize.factories import compare

    _library(personas, embed="inline")
    my, pk = (PolicyDocument.objects.get(party=party) for party in (personas.my, personas.pk))
    comparison = compare(personas, [my], [pk], options={"top_k": 5, "threshold": 0.05})
    do_run_comparison(actor=personas.analyst_my, comparison=comparison, run="inline")
    return comparison


def test_a_reviewer_maps_the_next_candidate_from_the_mapping_page(page, live_server, workspace, shot):
    personas = workspace
    comparison = _read_and_compare(personas)
    mapping = comparison.mappings.order_by("pk").first()
    before = comparison.mappings.count()

    _sign_in(page, live_server, "analyst_pk@test.example")
    url = f"{live_server.url}{mapping.get_absolute_url()}"
    for language, size in every_language_and_size(page, url):
        section = page.locator("section[aria-labelledby=closest-h]")
        expect(section.locator(".closest-target li").first).to_be_visible()
        assert not _wide(page), (f"mapping page {language} {size} scrolls sideways", page.evaluate(WIDEST))
        shot(f"harmonize-closest-{language}-{size}")
    page.goto(url)
    _set_language(page, "en")
    # the run ranked this provision: its candidates come in the engine's order, and the page says so
    expect(page.locator(".closest-target .ranking-engine")).to_have_text(
        "In the order the engine ranked them in the comparison's last run."
    )
    candidate = page.locator(".closest-target li").filter(has=page.get_by_role("link", name="Map these two"))
    label = candidate.first.get_by_role("link").first.inner_text()
    candidate.first.get_by_role("link", name="Map these two").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Add a mapping")
    target_choice = page.get_by_label("Target provision")
    assert target_choice.locator("option:checked").inner_text().strip() == label.strip()
    page.get_by_label("Relationship").select_option("intersects-with")
    shot("harmonize-closest-add-prefilled")
    page.get_by_role("button", name="Add the mapping").click()
    expect(page.get_by_text("Mapping added.")).to_be_visible()
    assert comparison.mappings.count() == before + 1
    added = Mapping.objects.filter(comparison=comparison).order_by("-pk").first()
    assert added.source_provision_id == mapping.source_provision_id
    assert added.relationship == "intersects-with" and added.provenance == "human"
    # back on the first mapping, the candidate now says it is mapped and leads to the new mapping
    page.goto(url)
    expect(page.locator(".closest-target").get_by_role("link", name="Mapped: open it").first).to_be_visible()

    # a gap's page offers the same: the provisions on the other side closest to the one left without a match
    gap = comparison.gaps.order_by("pk").first()
    page.goto(f"{live_server.url}{gap.get_absolute_url()}")
    expect(page.locator("section[aria-labelledby=closest-h] li").first).to_be_visible()
    shot("harmonize-closest-gap")

    # an observer sees the candidates, and is not offered to map them
    page.context.clear_cookies()
    _sign_in(page, live_server, "observer@test.example")
    page.goto(url)
    expect(page.locator(".closest-target li").first).to_be_visible()
    expect(page.get_by_role("link", name="Map these two")).to_have_count(0)
