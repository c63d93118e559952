"""A tech hub's week in a browser: it posts a technology offer (a first try without a title is refused,
naming the field) and sends it for review; once the secretariat publishes it, the hub books a meeting slot on
a university's request that accepted its interest. The university gets the booking in its inbox and by e-mail
with a calendar file, and the e-mail's link opens the listing. Each page at 1366 px and 390 px and in Urdu."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from playwright.sync_api import expect

from concord.accounts.models import Organization
from concord.directory import actions
from concord.directory.models import Listing
from concord.notices.models import Notice
from tests.conftest import PASSWORD, Personas
from tests.factories import new_stakeholder

from .week import in_urdu, look, mailed_link

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_a_hub_publishes_an_offer_and_books_a_slot(page, live_server, login, shot, settings):
    base = live_server.url
    settings.SITE_URL = base
    p = Personas()
    hub = Organization.objects.create(
        name="Kuala Lumpur Demo Tech Hub", country="MY", party=p.my, kind="tech_hub"
    )
    uni = Organization.objects.create(
        name="Lahore Demo University", country="PK", party=p.pk, kind="university"
    )
    hub_user = new_stakeholder(p, "hub@test.example", "Hub Stakeholder", hub)
    uni_user = new_stakeholder(p, "uni@test.example", "University Stakeholder", uni)
    request = actions.do_create_listing(
        actor=uni_user,
        organization=uni,
        dialogue=p.dialogue,
        kind="technology_request",
        title="Industry pilots for student IoT projects",
        summary="Our Internet of things laboratory looks for industry pilots for final-year projects.",
        themes=["iot"],
    )
    actions.do_submit_listing(actor=uni_user, listing=request)
    actions.do_publish_listing(actor=p.secretariat, listing=request)
    interest = actions.do_express_interest(
        actor=hub_user, listing=request, organization=hub, message="Our start-ups can host two pilots."
    )
    actions.do_decide_interest(actor=uni_user, interest=interest, accept=True, reply="Welcome.")
    slot = actions.do_add_slot(
        actor=uni_user,
        listing=request,
        starts_at=dt.datetime(2027, 4, 14, 15, 0, tzinfo=ZoneInfo("Asia/Karachi")),
        minutes=45,
        place="Video call",
        time_zone="Asia/Karachi",
    )
    login("hub@test.example", PASSWORD)
    look(page, shot, "week-hub-01-my-work")

    # Post a technology offer: without a title it is refused, naming the field.
    page.goto(f"{base}/directory/listings/new/")
    page.get_by_label("Organisation").select_option(str(hub.pk))
    page.get_by_label("Kind").select_option("technology_offer")
    page.get_by_label("Summary").fill(
        "Start-up incubation and industry pilots for Internet of things sensors."
    )
    page.get_by_label("Internet of Things").check()
    page.locator("#id_title").evaluate("el => el.removeAttribute('required')")  # as an old browser would
    page.get_by_role("button", name="Save and send for review").click()
    expect(page.locator(".errorlist").first).to_be_visible()
    assert not Listing.objects.filter(organization=hub).exists()
    look(page, shot, "week-hub-02-offer-refused")
    page.get_by_label("Title").fill("Industry pilots for IoT sensors")
    page.get_by_role("button", name="Save and send for review").click()
    expect(page.locator("#listing-status")).to_have_text("In review")
    offer = Listing.objects.get(organization=hub)
    actions.do_publish_listing(actor=p.secretariat, listing=offer)
    page.reload()
    expect(page.locator("#listing-status")).to_have_text("Published")
    look(page, shot, "week-hub-03-offer-published")
    in_urdu(page, shot, "week-hub-03-offer-published")

    # Book the university's slot, shown in its own zone.
    page.goto(f"{base}{request.get_absolute_url()}")
    mail.outbox.clear()
    page.get_by_role("button", name="Book").first.click()
    page.wait_for_load_state()
    slot.refresh_from_db()
    assert slot.booked_by == interest
    expect(page.get_by_text("Booked by Kuala Lumpur Demo Tech Hub").first).to_be_visible()
    expect(page.locator("time").first).to_contain_text("Asia/Karachi")
    look(page, shot, "week-hub-04-slot-booked")
    in_urdu(page, shot, "week-hub-04-slot-booked")

    # The university hears of it in the inbox and by e-mail, with a calendar file; the link opens the listing.
    assert Notice.objects.filter(recipient=uni_user, kind="slot_booked").exists()
    link = mailed_link(base, "uni@test.example", "booked")
    [message] = [m for m in mail.outbox if "uni@test.example" in m.to]
    assert any(name == "meeting.ics" for name, _content, _type in message.attachments)
    page.goto(base + link)
    expect(page.get_by_role("heading", level=1)).to_have_text("Industry pilots for student IoT projects")
