"""The ecosystem acceptance test: a Malaysian tech hub posts a technology request, the secretariat publishes
it, a Pakistani university sees it recommended with an explanation and expresses interest, the hub accepts,
and both find each other through search. Screenshots land in screenshots/ecosystem-*.png."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from concord.accounts.models import Organization
from concord.directory import actions
from tests.conftest import Personas
from tests.e2e.week import sign_in_as
from tests.factories import new_stakeholder

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_hub_request_to_accepted_interest_and_mutual_search(page, live_server, login, shot):
    p = Personas()
    hub = Organization.objects.create(
        name="Kuala Lumpur Demo Tech Hub",
        short_name="KLDTH",
        country="MY",
        party=p.my,
        kind="tech_hub",
        description="A demo tech hub for start-ups.",
    )
    uni = Organization.objects.create(
        name="Lahore Demo University",
        country="PK",
        party=p.pk,
        kind="university",
        description="A demo university with an Internet of things laboratory.",
    )
    hub_user = new_stakeholder(p, "hub@test.example", "Hub Stakeholder", hub)
    uni_user = new_stakeholder(p, "uni@test.example", "University Stakeholder", uni)
    actions.do_save_profile(
        actor=p.secretariat,
        organization=hub,
        themes=["iot", "innovation-startups"],
        capabilities=["start-up incubation", "industry pilots"],
        needs=["university research partners for sensor testing"],
    )
    actions.do_save_profile(
        actor=uni_user,
        organization=uni,
        themes=["iot", "research-collaboration"],
        capabilities=["sensor testing laboratory", "embedded systems research"],
        needs=["industry pilots for student projects"],
    )

    # 1. The hub posts a technology request and sends it for review.
    sign_in_as(page, login, hub_user)
    page.goto(f"{live_server.url}/directory/listings/new/")
    page.get_by_label("Organisation").select_option(str(hub.pk))
    page.get_by_label("Kind").select_option("technology_request")
    page.get_by_label("Title").fill("Partners to test low-power IoT sensors")
    page.get_by_label("Summary").fill(
        "We look for a university sensor testing laboratory to test and improve "
        "low-power Internet of things sensors with our start-ups."
    )
    page.get_by_label("Internet of Things").check()
    shot("ecosystem-01-hub-posts-request")
    page.get_by_role("button", name="Save and send for review").click()
    page.wait_for_load_state()
    expect(page.locator("#listing-status")).to_have_text("In review")
    shot("ecosystem-02-request-in-review")
    listing_url = page.url

    # 2. The secretariat publishes it.
    sign_in_as(page, login, p.secretariat)
    page.goto(f"{live_server.url}/directory/listings/review/")
    page.get_by_role("link", name="Partners to test low-power IoT sensors").click()
    shot("ecosystem-03-secretariat-reviews")
    page.get_by_role("button", name="Publish").click()
    page.wait_for_load_state()
    expect(page.locator("#listing-status")).to_have_text("Published")

    # 3. The Pakistani university sees it recommended, with an explanation, and expresses interest.
    sign_in_as(page, login, uni_user)
    page.goto(f"{live_server.url}/directory/organisations/{uni.pk}/recommendations/")
    card = page.locator(".recommendation", has_text="Partners to test low-power IoT sensors")
    expect(card).to_be_visible()
    expect(card.locator(".reasons li").first).to_be_visible()
    expect(card).to_contain_text("sensor testing laboratory")
    shot("ecosystem-04-university-recommendations")
    card.get_by_role("link", name="Partners to test low-power IoT sensors").click()
    page.get_by_label("Your message").fill(
        "Our sensor testing laboratory would like to work with your start-ups."
    )
    page.get_by_role("button", name="Send expression of interest").click()
    page.wait_for_load_state()
    expect(page.get_by_text("Your expression of interest was sent.")).to_be_visible()
    shot("ecosystem-05-interest-sent")

    # 4. The hub accepts it.
    sign_in_as(page, login, hub_user)
    page.goto(listing_url)
    page.get_by_label("Reply").fill("Welcome — let us meet.")
    page.get_by_role("button", name="Accept").click()
    page.wait_for_load_state()
    expect(page.locator(".badge.ok", has_text="Accepted")).to_be_visible()
    shot("ecosystem-06-hub-accepts")

    # 5. Both find each other through search.
    page.goto(f"{live_server.url}/search/?q=Lahore+university")
    expect(page.locator(".hit-title", has_text="Lahore Demo University")).to_be_visible()
    shot("ecosystem-07-hub-finds-university")
    sign_in_as(page, login, uni_user)
    page.goto(f"{live_server.url}/search/?q=tech+hub+IoT+sensors")
    expect(page.locator(".hit-title", has_text="Kuala Lumpur Demo Tech Hub")).to_be_visible()
    expect(page.locator(".hit-title", has_text="Partners to test low-power IoT sensors")).to_be_visible()
    expect(page.locator(".hit mark").first).to_be_visible()
    shot("ecosystem-08-university-finds-hub")

    # And the trends page draws its chart.
    page.goto(f"{live_server.url}/search/trends/")
    expect(page.locator("figure.chart-figure svg polyline").first).to_be_visible()
    shot("ecosystem-09-trends")
