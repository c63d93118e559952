"""The registry in the browser: a Malaysian contact point records a programme, adds an indicator with a
baseline and a target and records a value, and the programme page shows the chart with its table; a wrong
currency is refused on the form with nothing written; the page in Urdu reads right to left.
Screenshots land in screenshots/programmes-*.png."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from concord.programmes.models import Programme
from tests.conftest import PASSWORD, Personas

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_contact_point_records_a_programme_with_an_indicator_and_sees_the_chart(
    page, live_server, login, shot
):
    p = Personas()
    login(p.analyst_my.email, PASSWORD)
    page.goto(f"{live_server.url}/programmes/")
    page.get_by_role("link", name="Record a programme").click()
    page.locator("#id_title").fill("Public sector cloud-first strategy")
    page.locator("#id_summary").fill("Moves government services onto shared cloud infrastructure.")
    page.get_by_label("Infrastructure", exact=True).check()
    page.get_by_label("Public services", exact=True).check()
    page.locator("#id_budget_amount").fill("1200000")
    page.locator("#id_budget_currency").fill("MYX")
    page.get_by_label("Start date").fill("2022-01-01")
    page.get_by_label("End date").fill("2026-12-31")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("“MYX” is not an ISO 4217 currency code").first).to_be_visible()
    assert not Programme.objects.exists()
    shot("programmes-01-refused-currency")

    page.locator("#id_budget_currency").fill("MYR")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Public sector cloud-first strategy")

    page.get_by_role("link", name="Add an indicator").click()
    page.locator("#id_name").fill("Government services on the cloud")
    page.locator("#id_unit").fill("%")
    page.locator("#id_baseline_value").fill("12")
    page.get_by_label("Baseline date").fill("2021-12-31")
    page.locator("#id_target_value").fill("80")
    page.get_by_label("Target date").fill("2026-12-31")
    page.get_by_role("button", name="Save").click()

    for date, value in (("2023-06-30", "35"), ("2024-06-30", "52")):
        page.get_by_role("link", name="Record a value").click()
        page.locator("#id_date").fill(date)
        page.locator("#id_value").fill(value)
        page.locator("#id_source").fill("MAMPU annual report")
        page.get_by_role("button", name="Save").click()

    chart = page.locator("svg.chart-svg")
    expect(chart).to_be_visible()
    expect(chart.locator("circle")).to_have_count(2)  # the two measured values
    expect(page.get_by_role("cell", name="52")).to_be_visible()
    expect(page.get_by_role("img", name="Government services on the cloud")).to_be_visible()
    shot("programmes-02-detail-chart")

    page.goto(f"{live_server.url}/programmes/?instrument=infrastructure")
    expect(page.get_by_role("link", name="Public sector cloud-first strategy")).to_be_visible()
    shot("programmes-03-registry")

    page.goto(f"{live_server.url}/")
    page.get_by_label("Language").select_option("ur")
    page.get_by_role("button", name="Change language").click()
    page.wait_for_load_state()
    page.goto(f"{live_server.url}{Programme.objects.get().get_absolute_url()}")
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    expect(page.get_by_role("heading", name="اشاریے")).to_be_visible()
    expect(page.locator("svg.chart-svg")).to_be_visible()
    shot("programmes-04-detail-urdu")
