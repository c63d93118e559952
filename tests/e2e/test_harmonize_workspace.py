"""An analyst compares two parties' acts, reviews three mappings with the keyboard, both parties sign off,
and the brief is downloaded as a PDF (rendered to PNG pages to look at)."""

from __future__ import annotations

import shutil
import subprocess

import pytest
from playwright.sync_api import expect

from concord.harmonize.models import Comparison, Mapping
from tests.conftest import PASSWORD
from tests.e2e.conftest import SCREENSHOTS
from tests.harmonize.conftest import MY_ACT, PK_ACT

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _library(personas, embed: str = "skip"):
    """Both parties' personal-data acts read into the library (``embed`` "inline": their vectors stored too,
    as the library's background reading leaves them)."""
    from concord.library.actions import do_ingest_document

    for text, party, actor, title in (
        (MY_ACT, personas.my, personas.analyst_my, "Personal Data Act 2030"),
        (PK_ACT, personas.pk, personas.analyst_pk, "Personal Data Protection Act 2031"),
    ):
        do_ingest_document(
            actor=actor,
            dialogue=personas.dialogue,
            upload=text.encode(),
            filename=f"{party.code}.md",
            title=title,
            short_title=f"{party.code} act",
            kind="law",
            party=party,
            language="en",
            run="inline",
            embed=embed,
        )


def personal_data_comparison(personas):
    """Both parties' personal-data acts in the library, compared by Malaysia's analyst (run at once)."""
    from concord.harmonize.actions import do_run_comparison
    from concord.library.models import PolicyDocument
    from tests.harmonize.factories import compare

    _library(personas)
    my, pk = (PolicyDocument.objects.get(party=party) for party in (personas.my, personas.pk))
    title = "Malaysia and Pakistan: personal data"
    comparison = compare(personas, [my], [pk], title, options={"top_k": 2, "threshold": 0.05})
    do_run_comparison(actor=personas.analyst_my, comparison=comparison, run="inline")
    return comparison


def _sign_in(page, live_server, email):
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").last.click()
    page.wait_for_load_state()


def test_compare_review_sign_off_and_download_the_brief(page, live_server, workspace, tmp_path, shot):
    personas = workspace
    _library(personas)

    _sign_in(page, live_server, "analyst_my@test.example")
    page.get_by_role("link", name="Harmonize").click()
    page.get_by_role("link", name="New comparison").click()
    page.get_by_label("Title").fill("Malaysia and Pakistan: personal data")
    page.get_by_label("Source party").select_option(label="Malaysia")
    page.get_by_role("group", name="Source").get_by_label("MY act · Malaysia · English").check()
    page.get_by_label("Target party").select_option(label="Pakistan")
    page.get_by_role("group", name="Target").get_by_label("PK act · Pakistan · English").check()
    shot("harmonize-01-create")
    page.get_by_role("button", name="Create the comparison").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Malaysia and Pakistan: personal data")

    page.get_by_role("button", name="Run the comparison").click()
    # Tasks run at once in tests: the job is finished when the page comes back; the badge says so.
    expect(page.locator(".compare-meta .badge").first).to_have_text("Ready")
    expect(page.locator("svg.chart-svg").first).to_be_visible()
    shot("harmonize-02-overview")
    comparison = Comparison.objects.get()
    assert comparison.job.status == "succeeded" and comparison.job.percent == 100
    assert comparison.mappings.count() >= 3, "the hashing encoder should suggest at least three mappings"

    page.get_by_role("link", name="Review mappings").click()
    expect(page.locator("tr.queue-row").first).to_be_visible()
    shot("harmonize-03-queue")
    # Each decision is posted in the background: the row shows it, and the next row takes the focus.
    rows = page.locator("tr.queue-row")
    first = rows.nth(0)
    first_id = int(first.get_attribute("id").removeprefix("m-"))
    first.focus()
    page.keyboard.press("a")  # accept
    expect(first).to_have_attribute("data-decided", "accepted")
    second = rows.nth(1)
    expect(second).to_be_focused()
    second_id = int(second.get_attribute("id").removeprefix("m-"))
    page.keyboard.press("t")  # focus the relationship
    page.keyboard.press("Escape")
    second.locator("select").select_option("contrary-to")
    second.get_by_role("button", name="Change").click()
    expect(second).to_have_attribute("data-decided", "accepted")
    expect(second.locator("[data-relationship]")).to_have_text("Contrary to")
    third = rows.nth(2)
    expect(third).to_be_focused()
    third_id = int(third.get_attribute("id").removeprefix("m-"))
    page.keyboard.press("x")  # reject
    expect(third).to_have_attribute("data-decided", "rejected")
    shot("harmonize-04-queue-after-review")
    states = {m.pk: (m.review_status, m.relationship) for m in Mapping.objects.all()}
    assert states[first_id][0] == "accepted"
    assert states[second_id] == ("accepted", "contrary-to")
    assert states[third_id][0] == "rejected"

    page.goto(f"{live_server.url}/harmonize/{comparison.pk}/mappings/{first_id}/")
    expect(page.locator(".cited mark").first).to_be_visible()
    shot("harmonize-05-side-by-side")
    page.locator("#language-switch").select_option("ur")
    page.get_by_role("button", name="Change language").click()
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    shot("harmonize-06-side-by-side-urdu")
    page.locator("#language-switch").select_option("en")
    page.locator(".header-tools button.secondary").click()
    # The switch posts and redirects back; wait for it, or the next goto may cut the POST short.
    expect(page.locator("html")).to_have_attribute("lang", "en")

    for email in ("analyst_my@test.example", "delegate_pk@test.example"):
        if email.startswith("delegate"):
            page.get_by_role("button", name="Sign out").click()
            expect(page.get_by_role("banner").get_by_role("link", name="Sign in")).to_be_visible()
            _sign_in(page, live_server, email)
            expect(page.get_by_role("button", name="Sign out")).to_be_visible()
        page.goto(f"{live_server.url}{comparison.get_absolute_url()}")
        page.locator("table.matrix").get_by_role("button", name="Sign off theme").first.click()
        expect(page.locator(".messages")).to_contain_text("Signed off")
    shot("harmonize-07-signed-off")
    agreed = set(Mapping.objects.exclude(review_status="rejected").values_list("agreement", flat=True))
    assert "agreed" in agreed

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Harmonization brief (PDF)").click()
    pdf = tmp_path / "brief.pdf"
    download_info.value.save_as(pdf)
    assert pdf.read_bytes().startswith(b"%PDF")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    shutil.copy(pdf, SCREENSHOTS / "harmonize-08-brief.pdf")
    if shutil.which("pdftoppm"):
        subprocess.run(
            ["pdftoppm", "-png", "-r", "60", str(pdf), str(SCREENSHOTS / "harmonize-08-brief")], check=True
        )
