"""One refusal per job, in the browser: the user sees the message that names the problem, and nothing changed.

- harmonize: a Windows program uploaded as a new version of a statute is refused; the original stays;
- dialogue: an ``.exe`` attached as evidence of progress is refused; no update is recorded;
- talent: applying to an opportunity that closed while the page was open is refused;
- ecosystem: booking a meeting slot that another organisation took meanwhile is refused.

Screenshots land in screenshots/refusal-*.png.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from concord.accounts.models import Organization
from concord.audit.models import AuditEntry
from concord.commitments import actions as commitment_actions
from concord.directory import actions as directory_actions
from concord.directory.models import MeetingSlot
from concord.talent import actions as talent_actions
from concord.talent.models import Application
from tests.commitments.test_evidence import EXE
from tests.conftest import PASSWORD, Personas
from tests.directory.conftest import make_listing
from tests.factories import ingest_act, new_stakeholder
from tests.library.conftest import STATUTE
from tests.talent.conftest import SAMPLE, make_opportunity, make_profile

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _entries() -> int:
    return AuditEntry.objects.count()


def test_harmonize_a_program_uploaded_as_a_new_version_is_refused_and_the_original_kept(
    page, live_server, login, shot, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path / "media"
    p = Personas()
    document = ingest_act(p, STATUTE.encode(), visibility="dialogue", party=p.my).document
    program = tmp_path / "act-2031.pdf"
    program.write_bytes(EXE)

    login("delegate_my@test.example", PASSWORD)
    before = _entries()
    page.goto(f"{live_server.url}/library/{document.pk}/versions/new/")
    page.get_by_label("File").set_input_files(str(program))
    page.get_by_role("button", name="Upload and read").click()
    refusal = page.locator(".errorlist li", has_text="Windows program")
    expect(refusal.first).to_be_visible()
    expect(refusal.first).to_contain_text("says it is a PDF")
    shot("refusal-harmonize-program-as-version")

    assert document.versions.count() == 1 and _entries() == before
    page.goto(f"{live_server.url}/library/{document.pk}/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Data Protection Act 2030")


def test_dialogue_an_exe_as_evidence_is_refused_and_no_progress_recorded(
    page, live_server, login, shot, tmp_path
):
    p = Personas()
    commitment = commitment_actions.do_create_commitment(
        actor=p.secretariat, dialogue=p.dialogue, code="C-7", title="Cross-border data flows", is_joint=True
    )
    exe = tmp_path / "signed-mou.exe"
    exe.write_bytes(EXE)

    login("delegate_my@test.example", PASSWORD)
    before = _entries()
    page.goto(f"{live_server.url}{commitment.get_absolute_url()}")
    page.get_by_text("Report progress").click()
    page.get_by_label("What was done").fill("The memorandum was signed.")
    page.get_by_label("Percent complete").fill("40")
    page.get_by_label("Evidence files").set_input_files(str(exe))
    page.get_by_role("button", name="Submit for verification").click()
    expect(page.get_by_text("“signed-mou.exe”")).to_be_visible()
    expect(page.get_by_text("not accepted as evidence")).to_be_visible()
    shot("refusal-dialogue-exe-evidence")

    assert not commitment.updates.exists() and _entries() == before
    expect(page.get_by_text("No progress reported yet.")).to_be_visible()


def test_talent_applying_to_an_opportunity_closed_meanwhile_is_refused(page, live_server, login, shot):
    p = Personas()
    talent_actions.do_import_esco(actor=p.secretariat, directory=SAMPLE)
    from concord.talent.models import Skill

    esco = {s.uri.split("skill:")[-1]: s for s in Skill.objects.all()}
    opportunity = make_opportunity(p, esco, title="Applied machine learning fellowship")
    make_profile(p.outsider, esco)

    login("outsider@test.example", PASSWORD)
    page.goto(f"{live_server.url}{opportunity.get_absolute_url()}")
    apply = page.get_by_role("button", name="Apply")
    expect(apply).to_be_visible()
    # The manager closes the call while the page is open.
    talent_actions.do_set_opportunity_status(actor=p.delegate_my, opportunity=opportunity, status="closed")
    before = _entries()
    apply.click()
    expect(page.get_by_text("This opportunity is not open for applications.")).to_be_visible()
    shot("refusal-talent-closed-opportunity")

    assert not Application.objects.exists() and _entries() == before
    expect(page.get_by_role("button", name="Apply")).to_have_count(0)


def test_ecosystem_booking_a_slot_taken_meanwhile_is_refused(page, live_server, login, shot):
    p = Personas()
    lums = Organization.objects.create(name="Lahore Data Lab", country="PK", party=p.pk, kind="university")
    nust = Organization.objects.create(name="Islamabad AI Centre", country="PK", party=p.pk, kind="company")
    new_stakeholder(p, "ayesha@test.example", "Ayesha Khan", lums)
    listing = make_listing(
        p,
        "published",
        kind="technology_offer",
        title="Federated learning platform",
        summary="A platform for training models across hospitals without moving data.",
        themes=["ai"],
    )
    ours, theirs = (
        directory_actions.do_express_interest(
            actor=p.secretariat, listing=listing, organization=org, message="We would like to pilot it."
        )
        for org in (lums, nust)
    )
    for interest in (ours, theirs):
        directory_actions.do_decide_interest(actor=p.secretariat, interest=interest, accept=True)
    slot = directory_actions.do_add_slot(
        actor=p.secretariat, listing=listing, starts_at=timezone.now() + dt.timedelta(days=3), place="Online"
    )

    login("ayesha@test.example", PASSWORD)
    page.goto(f"{live_server.url}{listing.get_absolute_url()}")
    book = page.get_by_role("button", name="Book")
    expect(book).to_have_count(1)
    # Another organisation books the same slot while the page is open.
    directory_actions.do_book_slot(actor=p.secretariat, interest=theirs, slot=slot)
    before = _entries()
    book.click()
    expect(page.get_by_text("This slot is already booked.")).to_be_visible()
    shot("refusal-ecosystem-slot-taken")

    slot = MeetingSlot.objects.get(pk=slot.pk)
    assert slot.booked_by == theirs and _entries() == before
    expect(page.get_by_text("Booked by Islamabad AI Centre")).to_be_visible()
