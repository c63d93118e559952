"""A reviewer compares the penalties of two countries' offences on a mapping's page: each act states its
penalty in a subsection of its own, numbered differently ((2) and (3)), and the page sets the two terms of
imprisonment side by side, names the subsections, and explains the fines it does not convert, in English,
Malay and Urdu (right to left), at desktop and phone widths. Screenshots are kept under screenshots/."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from concord.engine.parameters import compare_provisions
from tests.e2e.test_harmonize_daily import WIDEST, _wide, every_language_and_size
from tests.e2e.test_harmonize_workspace import _sign_in, personal_data_comparison
from tests.engine.test_parameters import OFFENCE_MY, OFFENCE_PK

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

# What the note on the fines says in each language (the currencies are not converted).
CURRENCIES = {"en": "different currencies", "ms": "mata wang berbeza", "ur": "مختلف کرنسیاں"}


def test_the_penalties_of_two_offences_stand_side_by_side_with_their_subsections(
    page, live_server, workspace, shot
):
    comparison = personal_data_comparison(workspace)
    mapping = comparison.mappings.order_by("pk").first()

    def definitions_correspond(a, b) -> float:
        return 1.0 if (a.label, b.label) == ("(1)", "(1)") else 0.0

    # the comparison reads Malaysia's provisions against Pakistan's
    result = compare_provisions(OFFENCE_MY, "en", OFFENCE_PK, "en", similarity=definitions_correspond)
    mapping.parameters = result.to_dict()
    mapping.save(update_fields=["parameters"])

    _sign_in(page, live_server, "analyst_pk@test.example")
    url = f"{live_server.url}{mapping.get_absolute_url()}"
    for language, size in every_language_and_size(page, url):
        table = page.locator("section[aria-labelledby=params-h] table")
        prison = table.locator("tbody tr.diff-changed")
        expect(prison).to_have_count(1)
        expect(prison.locator("td").nth(1)).to_contain_text("one year")
        expect(prison.locator("td").nth(1)).to_contain_text("(3)")
        expect(prison.locator("td").nth(2)).to_contain_text("three years")
        expect(prison.locator("td").nth(2)).to_contain_text("(2)")
        expect(table.locator("tbody tr").nth(1)).to_contain_text(CURRENCIES[language])
        assert not _wide(page), (f"mapping page {language} {size} scrolls sideways", page.evaluate(WIDEST))
        shot(f"harmonize-penalties-{language}-{size}")
