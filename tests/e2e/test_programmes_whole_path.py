"""The whole path of issue 12 in the browser. Pakistan's analyst records a programme with an indicator.
Malaysia's delegate finds it as the top comparable programme of Malaysia's own and asks a peer-learning
question (an empty question, and closing before any answer, are refused with their reasons). Pakistan's
delegate opens the notice and answers, citing the programme, and Malaysia closes the request. The idea
becomes a joint project that both parties appraise and approve, and its first workplan milestone is
reported by one party and verified by the other. Screenshots at 1366 px, at 390 px and in Urdu land in
screenshots/path-*.png; no page scrolls sideways on the phone."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from concord.programmes.models import PeerRequest, Programme
from tests.conftest import Personas
from tests.programmes.joint_fixtures import publish_criteria

from . import joint_steps
from .joint_steps import appraise, approve_with_a_milestone, on_a_phone_then_in_urdu
from .week import DESKTOP, sign_in_as

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_from_a_recorded_programme_to_a_verified_joint_milestone(page, live_server, login, shot):
    p = Personas()
    base = live_server.url
    mine = joint_steps.cyber_security_talent_plan(p)
    summary = "Connects public schools to fixed broadband."
    joint_steps.record_programme(
        p, "pk", "Broadband for schools", summary, ["infrastructure"], ["connectivity-infrastructure"]
    )
    criteria = publish_criteria(p)
    page.set_viewport_size(DESKTOP)

    # 1. Pakistan's contact point records a programme with an indicator.
    sign_in_as(page, login, p.analyst_pk)
    page.goto(f"{base}/programmes/")
    page.get_by_role("link", name="Record a programme").click()
    page.locator("#id_title").fill("Cyber security skills drive")
    page.locator("#id_summary").fill("Trains cyber security professionals in universities.")
    page.get_by_label("Skills", exact=True).check()
    page.locator("input[name=themes][value=cybersecurity]").check()
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Cyber security skills drive")
    page.get_by_role("link", name="Add an indicator").click()
    page.locator("#id_name").fill("People trained")
    page.locator("#id_unit").fill("people")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", name="People trained")).to_be_visible()
    theirs = Programme.objects.get(title="Cyber security skills drive")
    shot("path-01-programme-recorded-1366")

    # 2. Malaysia finds it as the top comparable programme of its own, and asks.
    sign_in_as(page, login, p.delegate_my)
    page.goto(f"{base}{mine.get_absolute_url()}")
    top = page.locator("#comparable + ol.item-list > li").first
    expect(top.get_by_role("link", name="Cyber security skills drive")).to_be_visible()
    shot("path-02-top-comparable-1366")
    top.get_by_role("link", name="Cyber security skills drive").click()
    page.locator("#ask summary").click()
    page.locator("#id_title").fill("How did you reach the universities?")
    page.get_by_role("button", name="Send the question").click()
    expect(page.get_by_text("Write your question.").first).to_be_visible()  # refused, nothing sent
    assert not PeerRequest.objects.exists()
    page.locator("#id_question").fill("Which universities took part first, and how were trainers found?")
    page.get_by_role("button", name="Send the question").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("How did you reach the universities?")
    page.locator("#close-request").click()
    expect(page.get_by_text("Nobody has answered yet")).to_be_visible()  # refused: no answer yet
    expect(page.locator("#request-state")).to_have_text("Open")
    shot("path-03-question-asked-1366")
    request_url = page.url

    # 3. Pakistan's delegate is notified, opens the request and answers, citing the programme.
    sign_in_as(page, login, p.delegate_pk)
    page.goto(f"{base}/notices/")
    page.get_by_role("link", name="How did you reach the universities?").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("How did you reach the universities?")
    page.locator("#id_text").fill(
        "Through the universities' computer science departments, one city at a time."
    )
    page.locator("#id_programmes").select_option(label="Cyber security skills drive (PK)")
    page.get_by_role("button", name="Post the answer").click()
    thread = page.locator("#thread")
    expect(thread.get_by_text("one city at a time")).to_be_visible()
    expect(thread.get_by_role("link", name="Cyber security skills drive")).to_be_visible()
    shot("path-04-answered-1366")

    # 4. Malaysia closes it as answered; answering it then is no longer offered.
    sign_in_as(page, login, p.delegate_my)
    page.goto(request_url)
    page.locator("#close-request").click()
    expect(page.locator("#request-state")).to_have_text("Answered")
    expect(page.get_by_text("This request is closed as answered.")).to_be_visible()
    page.goto(f"{base}{theirs.get_absolute_url()}")
    expect(page.locator("#requests + ul").get_by_text("Answered")).to_be_visible()

    # 5. The idea becomes a joint project, appraised and approved by both parties.
    page.goto(f"{base}/programmes/joint/new/")
    page.locator("#id_title").fill("Joint cyber skills exchange for universities")
    page.locator("#id_summary").fill(
        "Trainers from both countries' universities teach cyber security together."
    )
    page.locator("#id_programmes").select_option(label="Cyber security skills drive")
    page.get_by_role("button", name="Save").click()
    expect(page.locator("#project-stage")).to_have_text("Idea")
    url = page.url

    sign_in_as(page, login, p.delegate_pk)
    page.goto(url)
    page.get_by_role("button", name="Move to “Concept note”").click()
    page.get_by_role("link", name="Write the concept note").click()
    page.locator("#id_concept_note").fill("Aims: shared courses. Costs: shared. Risks: timetables.")
    page.get_by_role("button", name="Save").click()
    page.get_by_role("button", name="Move to “Joint appraisal”").click()
    expect(page.locator("#project-stage")).to_have_text("Joint appraisal")
    appraise(
        page, login, url, criteria, ((p.delegate_pk, "PK", ("4", "4")), (p.delegate_my, "MY", ("5", "3")))
    )
    approve_with_a_milestone(page, "First joint course taught")
    shot("path-05-approved-1366")

    # 6. Its first milestone: reported by Malaysia, verified by Pakistan.
    page.get_by_role("link", name="First joint course taught").click()
    milestone_url = page.url
    page.get_by_text("Report progress").click()
    page.locator("#id_text").fill("The first course was taught by trainers of both countries.")
    page.locator("#id_percent").fill("100")
    page.get_by_role("button", name="Submit for verification").click()
    expect(page.locator(".update-submitted")).to_be_visible()
    sign_in_as(page, login, p.delegate_pk)
    page.goto(milestone_url)
    page.get_by_role("button", name="Verify").click()
    expect(page.locator(".update-verified")).to_be_visible()
    shot("path-06-milestone-verified-1366")

    # On a phone, and in Urdu.
    on_a_phone_then_in_urdu(
        page,
        base,
        shot,
        ((request_url, "path-07-request-390"), (f"{base}/programmes/requests/", "path-08-requests-390")),
        (request_url, "path-09-request-urdu-390", "path-10-request-urdu-1366"),
    )
