"""A secretariat officer's week in a browser: My work as home; prepare a meeting (agenda, a contested mapping
sent to it, an invitation that arrives by e-mail and opens the meeting); run it (outcome on the mapping);
close it (minutes circulated, then adopted). The mapping's page then says where it was discussed. Each page
at 1366 px and 390 px and in Urdu; minutes cannot be adopted while the meeting runs."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from concord.harmonize.models import Mapping
from concord.notices.models import Notice
from concord.secretariat.models import Meeting
from tests.conftest import PASSWORD, Personas
from tests.harmonize.factories import ready_comparison, saved_mapping

from .week import in_urdu, look, mailed_link

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _contested_mapping(p: Personas) -> Mapping:
    breach = ("PDA s. 2 Breach notification", "PDPA s. 2 Personal data breach")
    return saved_mapping(
        ready_comparison(p), *breach, "s2", relationship="intersects-with", agreement="contested"
    )


def test_a_secretariat_officer_prepares_runs_and_closes_a_meeting(page, live_server, login, shot, settings):
    base = live_server.url
    settings.SITE_URL = base
    p = Personas()
    mapping = _contested_mapping(p)
    login("secretariat@test.example", PASSWORD)

    # Monday: the home page is My work.
    expect(page.locator("#my-work")).to_be_visible()
    look(page, shot, "week-secretariat-01-my-work")

    # Prepare: a meeting.
    page.goto(f"{base}/secretariat/d/pk-my/meetings/new/")
    page.locator("#id_title").fill("Senior officials meeting on data")
    page.locator("#id_level").select_option("senior_officials")
    page.locator("#id_venue").fill("Kuala Lumpur")
    page.locator("#id_time_zone").fill("Asia/Kuala_Lumpur")
    page.locator("#id_starts_at").fill("2027-03-10T09:30")
    page.get_by_role("button", name="Create the meeting").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Senior officials meeting on data")
    meeting = Meeting.objects.get(title="Senior officials meeting on data")

    # Send the contested mapping to this meeting's agenda, from the mapping's page.
    page.goto(f"{base}{mapping.get_absolute_url()}")
    expect(page.locator("#discussed ~ ul")).to_contain_text("Not on any meeting's agenda yet.")
    page.locator("#to-meeting").select_option(str(meeting.pk))
    page.locator("#send-to-agenda").get_by_role("button", name="Send").click()
    expect(page.get_by_text("Sent to the agenda: Senior officials meeting on data.")).to_be_visible()
    item = meeting.agenda.get()
    assert list(item.mappings.all()) == [mapping]

    # Invite a delegate: the invitation arrives by e-mail, and its link opens the meeting.
    page.goto(f"{base}{meeting.get_absolute_url()}")
    page.locator("#invitee").select_option(label="Delegate Pk")
    page.locator("#invitee").locator("xpath=..").get_by_role("button", name="Invite").click()
    expect(page.locator("table").get_by_text("Delegate Pk")).to_be_visible()
    link = mailed_link(base, "delegate_pk@test.example", "invited")
    page.goto(base + link)
    expect(page.get_by_role("heading", level=1)).to_have_text("Senior officials meeting on data")
    expect(page.locator(f"#item-{item.pk}")).to_contain_text("Mapping: PDA s. 2 Breach notification")
    look(page, shot, "week-secretariat-03-meeting")
    in_urdu(page, shot, "week-secretariat-03-meeting")

    # Run: open and start the meeting, take attendance, record the decision on the mapping.
    page.get_by_role("button", name="Open the meeting").click()
    page.get_by_role("button", name="Start the meeting").click()
    expect(page.locator(".badge.state-in_progress").first).to_be_visible()
    page.locator("button[name=attended][value=yes]").first.click()
    page.wait_for_load_state()
    box = page.locator(f"#item-{item.pk}")
    box.get_by_text("Record an outcome").click()
    box.locator("select[name$='-kind']").select_option("decision")
    box.locator("select[name$='-disposition']").select_option("agreed")
    box.locator("textarea[name$='-text']").fill("Both parties notify a breach within 72 hours.")
    box.get_by_role("button", name="Record").click()
    expect(page.get_by_text("Both parties notify a breach within 72 hours.").first).to_be_visible()
    look(page, shot, "week-secretariat-04-outcome")

    # Minutes written and circulated during the meeting (by e-mail to the attendee) cannot be adopted yet.
    page.get_by_role("link", name="Minutes in English").click()
    page.get_by_role("button", name="Save the minutes").click()
    page.get_by_role("button", name="Circulate to attendees").click()
    expect(page.get_by_text("Minutes can be adopted only after the meeting is closed")).to_be_visible()
    expect(page.get_by_role("button", name="Adopt the minutes")).to_have_count(0)
    minutes = meeting.minutes.get(language="en")
    assert mailed_link(base, "delegate_pk@test.example", "circulated") == minutes.get_absolute_url()
    look(page, shot, "week-secretariat-05-adoption-refused")

    # Close the meeting, then adopt the minutes.
    page.goto(f"{base}{meeting.get_absolute_url()}")
    page.get_by_role("button", name="Close the meeting").click()
    expect(page.locator(".badge.state-closed").first).to_be_visible()
    page.goto(f"{base}{minutes.get_absolute_url()}")
    page.get_by_role("button", name="Adopt the minutes").click()
    expect(page.get_by_role("button", name="Adopt the minutes")).to_have_count(0)
    minutes.refresh_from_db()
    assert minutes.state == "adopted"
    assert Notice.objects.filter(recipient=p.delegate_pk, kind="minutes_adopted").exists()
    look(page, shot, "week-secretariat-06-minutes-adopted")
    in_urdu(page, shot, "week-secretariat-06-minutes-adopted")

    # The thread: the mapping's page shows where it was discussed, with the decision.
    page.goto(f"{base}{mapping.get_absolute_url()}")
    discussed = page.locator("section.discussed")
    expect(discussed).to_contain_text("Senior officials meeting on data")
    expect(discussed).to_contain_text("Both parties notify a breach within 72 hours.")
    look(page, shot, "week-secretariat-07-mapping-discussed")
    in_urdu(page, shot, "week-secretariat-07-mapping-discussed")
