"""A joint project in the browser, from idea to approval: Malaysia's analyst proposes it, Pakistan's delegate
moves it to the concept note (a skipped stage is refused), writes the note and sends it to appraisal; both
parties' delegates score it against the published criteria and Malaysia's delegate approves it; the
approved project gets its first workplan milestone. Screenshots at 1366 px, at 390 px and in Urdu land in
screenshots/joint-*.png; no page scrolls sideways on the phone."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.conftest import Personas
from tests.programmes.joint_fixtures import publish_criteria

from . import joint_steps
from .joint_steps import appraise, approve_with_a_milestone, on_a_phone_then_in_urdu
from .week import DESKTOP, PHONE, no_sideways_scroll, sign_in_as

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_a_joint_project_goes_from_idea_to_approved(page, live_server, login, shot):
    p = Personas()
    criteria = publish_criteria(p)
    page.set_viewport_size(DESKTOP)
    sign_in_as(page, login, p.analyst_my)
    page.goto(f"{live_server.url}/programmes/joint/")
    page.get_by_role("link", name="Propose a joint project").click()
    page.locator("#id_title").fill("Joint cyber range for CERT staff")
    page.locator("#id_summary").fill("Both national CERTs train their staff on one shared cyber range.")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Joint cyber range for CERT staff")
    expect(page.locator("#project-stage")).to_have_text("Idea")
    shot("joint-01-idea-1366")
    url = page.url

    sign_in_as(page, login, p.delegate_pk)
    page.goto(url)
    page.get_by_role("button", name="Move to “Concept note”").click()
    expect(page.locator("#project-stage")).to_have_text("Concept note")
    page.get_by_role("link", name="Write the concept note").click()
    page.locator("#id_concept_note").fill(
        "Aims: a shared range. Costs: shared. Risks: scheduling across time zones."
    )
    page.get_by_role("button", name="Save").click()
    page.get_by_role("button", name="Move to “Joint appraisal”").click()
    expect(page.locator("#project-stage")).to_have_text("Joint appraisal")

    appraise(
        page,
        login,
        url,
        criteria,
        ((p.delegate_pk, "PK", ("4", "3")), (p.delegate_my, "MY", ("5", "4"))),
        comment="Both CERTs gain.",
    )
    shot("joint-02-appraisal-1366")
    approve_with_a_milestone(page, "Range opens to both CERTs")
    shot("joint-03-approved-1366")

    page.goto(f"{live_server.url}/programmes/joint/")
    expect(page.locator("svg.chart-svg")).to_be_visible()
    shot("joint-04-portfolio-1366")

    on_a_phone_then_in_urdu(
        page,
        live_server.url,
        shot,
        ((url, "joint-05-approved-390"), (f"{live_server.url}/programmes/joint/", "joint-06-portfolio-390")),
        (url, "joint-07-approved-urdu-390", "joint-08-approved-urdu-1366"),
    )


def test_the_other_partys_comparable_programme_opens_side_by_side(page, live_server, login, shot):
    import datetime as dt

    from concord.programmes import actions as registry

    p = Personas()
    mine = joint_steps.cyber_security_talent_plan(p)
    summary = "Trains cyber security professionals in universities."
    theirs = joint_steps.record_programme(
        p, "pk", "Cyber security skills drive", summary, ["skills"], ["cybersecurity"]
    )
    for programme, actor, values in ((mine, p.analyst_my, (120, 300)), (theirs, p.analyst_pk, (80, 260))):
        indicator = registry.do_add_indicator(
            actor=actor, programme=programme, name="People trained", unit="people"
        )
        for year, value in zip((2023, 2024), values, strict=True):
            registry.do_record_value(actor=actor, indicator=indicator, date=dt.date(year, 6, 30), value=value)
    page.set_viewport_size(DESKTOP)
    sign_in_as(page, login, p.delegate_pk)
    page.goto(f"{live_server.url}{mine.get_absolute_url()}")
    section = page.locator("ol.item-list").first
    expect(section.get_by_role("link", name="Cyber security skills drive")).to_be_visible()
    expect(section.get_by_text("Shared instruments: Skills")).to_be_visible()
    shot("exchange-01-comparable-1366")
    page.get_by_role("link", name="Compare side by side").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Two programmes side by side")
    expect(page.locator("svg.chart-svg circle")).to_have_count(4)
    shot("exchange-02-side-by-side-1366")
    page.set_viewport_size(PHONE)
    no_sideways_scroll(page)
    shot("exchange-03-side-by-side-390")
