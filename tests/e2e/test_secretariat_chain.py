"""The secretariat's chain in a browser: meeting → agenda → decision and action → commitment → milestone →
progress submitted by one party, verified by the other → meeting closed, action carried over → dossier."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from concord.commitments.models import Commitment
from concord.secretariat.models import AgendaItem, Meeting
from tests.conftest import PASSWORD, Personas
from tests.e2e.week import sign_out

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _new_meeting(page, base, title, starts, previous=None):
    page.goto(f"{base}/secretariat/d/pk-my/meetings/new/")
    page.locator("#id_title").fill(title)
    page.locator("#id_level").select_option("senior_officials")
    page.locator("#id_mode").select_option("hybrid")
    page.locator("#id_venue").fill("Kuala Lumpur")
    page.locator("#id_time_zone").fill("Asia/Kuala_Lumpur")
    page.locator("#id_starts_at").fill(starts)
    if previous:
        page.locator("#id_previous").select_option(label=previous)
    page.get_by_role("button", name="Create the meeting").click()
    page.wait_for_load_state()
    expect(page.get_by_role("heading", level=1)).to_have_text(title)


def test_the_secretariat_chain_from_meeting_to_dossier(page, live_server, login, shot, tmp_path):
    Personas()
    base = live_server.url

    # 1. Create a meeting and build its agenda.
    login("secretariat@test.example", PASSWORD)
    _new_meeting(page, base, "Senior officials meeting", "2026-03-10T09:30")
    for title, kind, section in (
        ("Adoption of the work plan", "decision", "Opening"),
        ("Exchanges in artificial intelligence", "discussion", "Talent and skills"),
    ):
        form = page.locator("form[action$='/items/']")
        if not form.is_visible():
            page.get_by_text("Add an agenda item").click()
        form.locator("#id_section").fill(section)
        form.locator("#id_title").fill(title)
        form.locator("#id_kind").select_option(kind)
        form.locator("#id_duration_minutes").fill("30")
        form.get_by_role("button", name="Add to the agenda").click()
        page.wait_for_load_state()
    meeting = Meeting.objects.get(title="Senior officials meeting")
    page.get_by_role("button", name="Open the meeting").click()
    page.get_by_role("button", name="Start the meeting").click()
    expect(page.locator(".badge.state-in_progress").first).to_be_visible()
    shot("secretariat-1-agenda")

    # Record a decision on the first item and an action on the second.
    items = list(meeting.agenda.order_by("order"))
    for item, kind, disposition, text in (
        (items[0], "decision", "agreed", "The work plan was adopted."),
        (items[1], "action", "agreed", "Both delegations to draft an exchange programme in AI."),
    ):
        box = page.locator(f"#item-{item.pk}")
        box.get_by_text("Record an outcome").click()
        box.locator("select[name$='-kind']").select_option(kind)
        box.locator("select[name$='-disposition']").select_option(disposition)
        box.locator("textarea[name$='-text']").fill(text)
        box.get_by_role("button", name="Record").click()
        page.wait_for_load_state()
    expect(page.get_by_text("Both delegations to draft an exchange programme in AI.")).to_be_visible()
    shot("secretariat-2-outcomes")

    # 2. Create a commitment from the action and add a milestone.
    page.get_by_role("link", name="Create a commitment from this action").click()
    page.locator("#id_code").fill("TM-AI-1")
    page.locator("#id_end_date").fill("2026-12-31")
    page.get_by_role("button", name="Record the commitment").click()
    page.wait_for_load_state()
    commitment = Commitment.objects.get(code="TM-AI-1")
    assert commitment.source_outcome.text.startswith("Both delegations")
    page.get_by_text("Add a milestone").click()
    page.locator("#id_title").fill("Programme outline shared")
    page.locator("#id_planned_date").fill("2026-06-30")
    page.get_by_role("button", name="Add the milestone").click()
    expect(page.get_by_text("Programme outline shared")).to_be_visible()
    shot("secretariat-3-commitment")
    sign_out(page)

    # 3. Submit progress as Malaysia ...
    login("delegate_my@test.example", PASSWORD)
    page.goto(f"{base}{commitment.get_absolute_url()}")
    page.get_by_text("Report progress").click()
    page.locator("#id_text").fill("Outline drafted with the universities.")
    page.locator("#id_percent").fill("40")
    evidence = tmp_path / "outline.txt"
    evidence.write_text("Outline of the exchange programme.")
    page.locator("#id_files").set_input_files(str(evidence))
    page.get_by_role("button", name="Submit for verification").click()
    expect(page.locator(".update-submitted")).to_be_visible()
    expect(page.get_by_role("button", name="Verify")).to_have_count(0)  # not its own update
    shot("secretariat-4-submitted")
    sign_out(page)

    # ... and verify it as Pakistan.
    login("delegate_pk@test.example", PASSWORD)
    page.goto(f"{base}{commitment.get_absolute_url()}")
    page.get_by_role("button", name="Verify").click()
    expect(page.locator(".update-verified")).to_be_visible()
    expect(page.get_by_role("link", name="outline.txt")).to_be_visible()
    shot("secretariat-5-verified")
    sign_out(page)

    # 4. Close the meeting and see the open action carried into the next agenda.
    login("secretariat@test.example", PASSWORD)
    _new_meeting(
        page, base, "Second senior officials meeting", "2026-09-15T09:30", previous="Senior officials meeting"
    )
    page.goto(f"{base}{meeting.get_absolute_url()}")
    page.get_by_role("button", name="Close the meeting").click()
    expect(page.get_by_text("Carried over to Second senior officials meeting")).to_be_visible()
    following = Meeting.objects.get(title="Second senior officials meeting")
    carried = AgendaItem.objects.get(meeting=following)
    assert carried.carried_over_from == items[1]
    page.goto(f"{base}{following.get_absolute_url()}")
    expect(page.locator(".carried")).to_contain_text("Carried over from")
    expect(page.get_by_text("Exchanges in artificial intelligence")).to_be_visible()
    shot("secretariat-6-carried-over")

    # 5. The dashboard, then the dossier.
    page.goto(f"{base}/secretariat/d/pk-my/dashboard/")
    expect(page.locator("svg.chart-svg").first).to_be_visible()
    shot("secretariat-7-dashboard")
    page.get_by_role("button", name="Build the round dossier (PDF and XLSX)").click()
    page.get_by_role("link", name="Open the result").click()
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download the PDF").click()
    path = download_info.value.path()
    with open(path, "rb") as fh:
        assert fh.read(4) == b"%PDF"
    shot("secretariat-8-dossier")
