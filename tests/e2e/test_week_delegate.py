"""A delegate's week in a browser: Malaysia reports progress on a joint commitment; the Pakistani delegate
gets the notice in the inbox and by e-mail, opens it from either, tries to return the update without a reason
(refused, naming the problem), verifies it, and puts the commitment in the backlog for the next meeting. Each
page at 1366 px and 390 px and in Urdu."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from concord.commitments import actions as ca
from concord.secretariat.models import AgendaItem
from tests.conftest import PASSWORD, Personas
from tests.secretariat.conftest import make_commitment

from .week import follow_notice, in_urdu, look, mailed_link

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_a_delegate_verifies_progress_reported_by_the_other_party(page, live_server, login, shot, settings):
    base = live_server.url
    settings.SITE_URL = base
    p = Personas()
    commitment = make_commitment(p, "DP-1", title="Mutual recognition of data breach notices")
    update = ca.do_submit_progress(
        actor=p.delegate_my, commitment=commitment, text="Draft notice template agreed.", percent=40
    )
    login("delegate_pk@test.example", PASSWORD)

    # Home is My work: the update waits there.
    expect(page.locator("#my-work")).to_contain_text("Verify progress on")
    look(page, shot, "week-delegate-01-my-work")

    # The notice is in the inbox and in the e-mail outbox; both lead to the commitment.
    assert mailed_link(base, "delegate_pk@test.example", "verification") == commitment.get_absolute_url()
    follow_notice(page, base, "waits for your verification")
    assert page.url.split("#")[0] == base + commitment.get_absolute_url()
    look(page, shot, "week-delegate-02-commitment")
    in_urdu(page, shot, "week-delegate-02-commitment")

    # Returning without a reason is refused with a message; verifying works.
    page.get_by_role("button", name="Return").click()
    expect(page.get_by_text("Say why the update is returned.").first).to_be_visible()
    update.refresh_from_db()
    assert update.state == "submitted"
    look(page, shot, "week-delegate-03-return-refused")
    page.get_by_role("button", name="Verify").click()
    expect(page.locator(".update-verified")).to_be_visible()
    update.refresh_from_db()
    assert update.state == "verified" and update.reviewed_by == p.delegate_pk

    # The commitment goes to the backlog, for the secretariat to schedule.
    page.locator("#to-meeting").select_option("")
    page.locator("#send-to-agenda").get_by_role("button", name="Send").click()
    expect(page.get_by_text("Sent to the agenda: the backlog.")).to_be_visible()
    assert list(AgendaItem.objects.get(meeting=None).commitments.all()) == [commitment]
    look(page, shot, "week-delegate-04-verified")

    page.goto(f"{base}/")
    expect(page.locator("#my-work")).not_to_contain_text("Verify progress on")
