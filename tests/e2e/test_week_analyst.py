"""An analyst's week in a browser: Malaysia accepts and signs a mapping; the Pakistani analyst (who chose to
get mapping reviews by e-mail) finds it in My work, the inbox and the e-mail, objects without a reason
(refused, naming the problem), objects with one (the mapping is now contested), sends it to the agenda's
backlog, and works through the review queue. Each page at 1366 px and 390 px and in Urdu."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from concord.harmonize import actions
from concord.notices import actions as notice_actions
from concord.secretariat.models import AgendaItem
from tests.conftest import PASSWORD, Personas
from tests.e2e.test_harmonize_workspace import personal_data_comparison

from .week import follow_notice, in_urdu, look, mailed_link

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_an_analyst_reviews_mappings_and_contests_one(page, live_server, login, shot, settings, tmp_path):
    base = live_server.url
    settings.SITE_URL = base
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.CONCORD_ENCODER = "hashing"
    p = Personas()
    comparison = personal_data_comparison(p)
    notice_actions.do_set_email_choices(
        actor=p.analyst_pk, user=p.analyst_pk, email_kinds=["mapping_to_review", "sign_off_requested"]
    )
    mapping = comparison.mappings.order_by("pk").first()
    mapping.comparison = comparison
    actions.do_review_mapping(actor=p.analyst_my, mapping=mapping, decision="accept")
    actions.do_sign_off(actor=p.analyst_my, mapping=mapping)
    login("analyst_pk@test.example", PASSWORD)

    expect(page.locator("#my-work")).to_contain_text("Malaysia and Pakistan: personal data")
    look(page, shot, "week-analyst-01-my-work")

    # The e-mail and the inbox both open the mapping Malaysia reviewed.
    assert mailed_link(base, "analyst_pk@test.example", "review") == mapping.get_absolute_url()
    follow_notice(page, base, "wait for your party")
    assert page.url.split("?")[0].split("#")[0] == base + mapping.get_absolute_url()
    look(page, shot, "week-analyst-02-mapping")
    in_urdu(page, shot, "week-analyst-02-mapping")

    # An objection needs a reason; with one, the mapping is contested.
    page.get_by_role("button", name="Object").click()
    expect(page.get_by_text("Say why you object, so the other party can answer.").first).to_be_visible()
    look(page, shot, "week-analyst-03-objection-refused")
    page.locator("#s-reason").fill("Our act has no fixed deadline; 72 hours is not equivalent.")
    page.get_by_role("button", name="Object").click()
    expect(page.locator(".mapping-head .badge.bad").last).to_have_text("Agreement: Contested")
    mapping.refresh_from_db()
    assert mapping.agreement == "contested"

    # The contested mapping goes to the dialogue's backlog, for a meeting to settle.
    page.locator("#to-meeting").select_option("")
    page.locator("#send-to-agenda").get_by_role("button", name="Send").click()
    expect(page.get_by_text("Sent to the agenda: the backlog.")).to_be_visible()
    assert list(AgendaItem.objects.get(meeting=None).mappings.all()) == [mapping]

    # The review queue: accept the first suggestion waiting.
    page.goto(f"{base}/harmonize/{comparison.pk}/review/")
    expect(page.locator("tr.queue-row").first).to_be_visible()
    look(page, shot, "week-analyst-04-queue")
    in_urdu(page, shot, "week-analyst-04-queue")
    before = comparison.mappings.filter(review_status="pending").count()
    page.locator("tr.queue-row").first.get_by_role("link").first.click()
    page.wait_for_load_state()
    page.get_by_role("button", name="Accept").click()
    page.wait_for_load_state()
    assert comparison.mappings.filter(review_status="pending").count() == before - 1
