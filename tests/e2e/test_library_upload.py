"""An analyst uploads a PDF statute, watches it being read, opens it and reads a provision."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import expect

from concord.library.models import PolicyDocument
from tests.conftest import PASSWORD

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

SCREENSHOTS = Path(__file__).resolve().parents[2] / "screenshots"

STATUTE_HTML = """<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><style>
body { font-family: serif; font-size: 12pt; margin: 0 2cm; }
h1, h2 { text-align: center; font-size: 13pt; } .new-page { break-before: page; }
</style></head><body>
<h1>DIGITAL SAFETY ACT 2031</h1>
<h2>PART I</h2><h2>PRELIMINARY</h2>
<p><b>1. Short title and commencement</b></p>
<p>(1) This Act may be cited as the Digital Safety Act 2031.</p>
<p>(2) This Act comes into operation on a date appointed by the Minister by notification in the Gazette.</p>
<p><b>2. Interpretation</b></p>
<p>In this Act, "service provider" means a person who provides an online service to users in Malaysia.</p>
<h2 class="new-page">PART II</h2><h2>DUTIES OF SERVICE PROVIDERS</h2>
<p><b>3. Duty to protect children</b></p>
<p>(1) A service provider shall take reasonable steps to protect children from harmful content.</p>
<p>(2) A service provider shall report a cyber security incident to the Commission within
twenty-four hours.</p>
<p><b>4. Personal data of users</b></p>
<p>A service provider shall not disclose the personal data of a user without the consent of the user.</p>
</body></html>"""


def _shot(page, name: str) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"library-{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def _statute_pdf(
    page, tmp_path: Path, html: str = STATUTE_HTML, name: str = "digital-safety-act-2031"
) -> Path:
    page.set_content(html)
    path = tmp_path / f"{name}.pdf"
    # Chromium's print-to-PDF with a running header and footer, as users' PDFs have.
    page.pdf(
        path=str(path),
        format="A4",
        display_header_footer=True,
        margin={"top": "2cm", "bottom": "2cm"},
        header_template='<div style="font-size:8px;width:100%;text-align:center">Laws of Malaysia</div>',
        footer_template='<div style="font-size:8px;width:100%;text-align:center">'
        '<span class="pageNumber"></span></div>',
    )
    return path


def test_analyst_uploads_a_pdf_watches_progress_and_reads_a_provision(page, live_server, workspace, tmp_path):
    pdf = _statute_pdf(page, tmp_path)
    amended = _statute_pdf(
        page, tmp_path, STATUTE_HTML.replace("twenty-four hours", "twelve hours"), "dsa-2032"
    )

    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Email address").fill("analyst_my@test.example")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").last.click()
    page.wait_for_load_state()

    page.get_by_role("link", name="Library").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Policy library")
    page.get_by_role("link", name="Add a document").click()
    page.get_by_label("File").set_input_files(str(pdf))
    page.get_by_role("textbox", name="Title", exact=True).fill("Digital Safety Act 2031")
    page.get_by_label("Kind").select_option("law")
    page.get_by_label("Party").select_option(label="Malaysia")
    _shot(page, "01-upload-form")
    page.get_by_role("button", name="Upload and read").click()

    expect(page.get_by_role("heading", level=1)).to_contain_text("Reading")
    open_link = page.get_by_role("link", name="Open the document")
    expect(open_link).to_be_visible(timeout=30_000)
    expect(page.locator("#upload-progress")).to_contain_text("provisions found")
    _shot(page, "02-upload-done")

    open_link.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Digital Safety Act 2031")
    section = page.locator("#p-s3")
    expect(section).to_contain_text("Duty to protect children")
    expect(page.locator("#p-s3\\.2")).to_contain_text("within twenty-four hours")
    # The running header and footer are not provisions.
    expect(page.locator(".provisions")).not_to_contain_text("Laws of Malaysia")
    _shot(page, "03-document")

    page.get_by_label("Search in this document").fill("personal data")
    page.get_by_role("button", name="Search").click()
    expect(page.locator("#p-s4")).to_be_visible()
    expect(page.locator("#p-s1")).to_have_count(0)
    _shot(page, "04-search")

    page.get_by_role("link", name="Upload a new version").click()
    page.get_by_label("File").set_input_files(str(amended))
    page.get_by_label("Version label").fill("As amended in 2032")
    page.get_by_role("button", name="Upload and read").click()
    page.get_by_role("link", name="See what changed").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("What changed")
    expect(page.locator("table.diff ins")).to_contain_text(["twelve"])
    expect(page.locator("table.diff del")).to_contain_text(["twenty-four"])
    _shot(page, "05-diff")

    document = PolicyDocument.objects.get()
    page.goto(f"{live_server.url}{document.get_absolute_url()}#p-s3.1")
    expect(page.locator("#p-s3\\.1")).to_contain_text("harmful content")
    page.get_by_label("Language", exact=True).select_option("ur")
    page.get_by_role("button", name="Change language").click()
    page.wait_for_load_state()
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    _shot(page, "06-document-rtl")
    page.goto(f"{live_server.url}/library/")
    _shot(page, "07-list-rtl")
