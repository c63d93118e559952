"""The talent acceptance test: a professional builds a profile from pasted text and accepts suggested
skills, a manager publishes an opportunity, the professional applies, the manager runs an allocation round,
and both see the explanation. Screenshots land in screenshots/talent-*.png."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from concord.talent import actions
from tests.conftest import Personas
from tests.e2e.week import sign_in_as
from tests.talent.conftest import SAMPLE

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_profile_to_published_opportunity_to_allocation_with_explanations(page, live_server, login, shot):
    p = Personas()
    actions.do_import_esco(actor=p.secretariat, directory=SAMPLE)
    base = live_server.url

    # 1. The professional pastes text; Concord suggests skills with evidence; they accept two.
    sign_in_as(page, login, p.outsider)
    page.goto(f"{base}/talent/profile/")
    page.get_by_label("About your work").fill(
        "I am a data scientist in Lahore. I build machine learning models in Python and run statistics "
        "on survey data."
    )
    page.get_by_label("Country").select_option("PK")
    page.get_by_label("English").check()
    page.get_by_label("Match me with opportunities").check()
    page.get_by_role("button", name="Save and suggest skills from my text").click()
    expect(page.get_by_text("skills suggested from your text")).to_be_visible()
    shot("talent-1-suggested-skills")
    page.get_by_role("button", name="Accept Python (computer programming)").click()
    page.get_by_role("button", name="Accept machine learning").click()
    expect(page.locator(".skill-review .badge.ok")).to_have_count(2)
    shot("talent-2-accepted-skills")

    # 2. A programme manager (the university's stakeholder) publishes an opportunity.
    sign_in_as(page, login, p.stakeholder)
    page.goto(f"{base}/talent/opportunities/new/")
    page.get_by_label("Title").fill("Machine learning fellowship in Kuala Lumpur")
    page.get_by_label("Description").fill("Six months in a Malaysian lab applying machine learning.")
    page.get_by_label("Provider").select_option(label="Test University")
    page.get_by_label("Kind").select_option("fellowship")
    page.get_by_label("Host country").select_option("MY")
    page.locator("#id_seats").fill("1")
    page.get_by_label("Essential skills").select_option(label="machine learning")
    page.get_by_label("Optional skills").select_option(label="Python (computer programming)")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", name="Machine learning fellowship in Kuala Lumpur")).to_be_visible()
    shot("talent-3-published-opportunity")
    url = page.url
    # ... and corrects it: the edit form comes back filled in, skills included.
    page.get_by_role("link", name="Edit").click()
    expect(page.get_by_label("Title")).to_have_value("Machine learning fellowship in Kuala Lumpur")
    page.get_by_label("Title").fill("Machine learning fellowship, Kuala Lumpur")
    shot("talent-3b-edit-opportunity")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", name="Machine learning fellowship, Kuala Lumpur")).to_be_visible()

    # 3. The professional sees how they match, and applies.
    sign_in_as(page, login, p.outsider)
    page.goto(url)
    expect(page.get_by_text("How you match")).to_be_visible()
    page.get_by_role("button", name="Apply").click()
    expect(page.get_by_text("You applied (your preference no. 1).")).to_be_visible()
    shot("talent-4-applied")

    # 4. The manager runs an allocation round.
    sign_in_as(page, login, p.stakeholder)
    page.goto(f"{base}/talent/rounds/new/")
    page.get_by_label("Title").fill("Autumn fellowship round")
    page.get_by_label("Machine learning fellowship, Kuala Lumpur").check()
    page.get_by_role("button", name="Create the round").click()
    # The run posts and redirects; wait for that page before reloading it, or the
    # reload races the navigation and finds no page to reload.
    with page.expect_navigation():
        page.get_by_role("button", name="Run the allocation").click()
    page.reload()
    expect(page.get_by_text(re.compile("Placed: Machine learning fellowship"))).to_be_visible()
    expect(page.get_by_text("Blocking pairs")).to_be_visible()
    shot("talent-5-manager-round")
    round_url = page.url
    page.goto(f"{base}/talent/gaps/")
    expect(page.locator("svg.chart-svg").first).to_be_visible()
    shot("talent-7-skills-gaps")

    # 5. The professional sees their result and why.
    sign_in_as(page, login, p.outsider)
    page.goto(round_url)
    expect(page.get_by_text("Your result and why")).to_be_visible()
    expect(page.get_by_text("Placed here")).to_be_visible()
    expect(page.get_by_text("Matched skills")).to_be_visible()
    shot("talent-6-applicant-explanation")


def test_the_demo_round_and_gap_charts_render(page, live_server, login, shot):
    import io

    from concord.demo.load import DEMO_DOMAIN, DEMO_PASSWORD, load_foundation
    from concord.talent.demo import TITLE_OF_ROUND, load_talent
    from concord.talent.models import AllocationRound

    load_foundation(io.StringIO())
    load_talent(io.StringIO())
    rnd = AllocationRound.objects.get(title=TITLE_OF_ROUND)
    login(f"secretariat@{DEMO_DOMAIN}", DEMO_PASSWORD)
    page.goto(f"{live_server.url}{rnd.get_absolute_url()}")
    expect(page.get_by_text("Placements and explanations")).to_be_visible()
    shot("talent-8-demo-round")
    page.goto(f"{live_server.url}/talent/gaps/")
    expect(page.locator("svg.chart-svg")).to_have_count(4)
    shot("talent-9-demo-gaps")
    page.goto(f"{live_server.url}/talent/")
    shot("talent-10-demo-opportunities")
