"""Text that people write keeps its own direction: an English progress report in an Urdu page ends with its
full stop on the right and sits against the left edge, and an Urdu description in an English page reads right
to left from the right edge. Without it, a right-to-left page moves an English sentence's full stop to its
start."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from concord.commitments import actions as ca
from concord.library.actions import do_ingest_document
from tests.conftest import PASSWORD, Personas
from tests.secretariat.conftest import make_commitment
from tests.talent.conftest import import_esco, make_opportunity, make_profile

from .week import sign_in_as, switch

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

ENGLISH = "Draft notice template agreed."
URDU = "نوٹس کا مسودہ طے پا گیا۔"  # "The draft of the notice was settled." (written for this test)

# The x of the left edge of a text's first and last characters, as the browser lays them out.
EDGES = """el => {
  const text = el.firstChild;
  const box = i => { const r = document.createRange(); r.setStart(text, i); r.setEnd(text, i + 1);
                     return r.getBoundingClientRect().left; };
  return [box(0), box(text.length - 1)];
}"""


def test_written_text_keeps_its_own_direction_in_pages_of_either_direction(page, live_server, login, shot):
    p = Personas()
    commitment = make_commitment(p, "DP-2", title="Breach notices", description=URDU)
    ca.do_submit_progress(actor=p.delegate_my, commitment=commitment, text=ENGLISH, percent=40)
    login("delegate_pk@test.example", PASSWORD)
    page.goto(live_server.url + commitment.get_absolute_url())
    description = page.locator("div.prose", has_text=URDU)
    report = page.locator("p.prose", has_text=ENGLISH)
    expect(report).to_be_visible()

    first, last = description.evaluate(EDGES)
    assert last < first, "an Urdu description in an English page should end on the left"
    first, last = report.evaluate(EDGES)
    assert last > first, "an English report should end on the right"
    # each sits against the edge its own text starts from: English on the left, Urdu on the right
    assert report.bounding_box()["x"] < description.bounding_box()["x"]
    shot("prose-direction-en")

    switch(page, "ur")
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    first, last = report.evaluate(EDGES)
    assert last > first, "an English report in an Urdu page should still end on the right"
    first, last = description.evaluate(EDGES)
    assert last < first
    assert report.bounding_box()["x"] < description.bounding_box()["x"]
    shot("prose-direction-ur")


def test_a_row_of_chips_follows_the_page_and_each_chip_its_own_text(page, live_server, login, shot):
    """The skills a professional matches, shown as chips: in an Urdu page the row starts on the right (the
    first chip right of the second) and an English skill keeps its closing bracket at its end. Without it the
    definition took its first chip's English direction, and the row started on the left. An English value
    beside its term (the host country) sits at the right of its column too."""
    p = Personas()
    esco = import_esco(p.secretariat)
    opportunity = make_opportunity(p, esco, optional_skills=[])
    make_profile(p.outsider, esco, skills=("python", "ml"))
    sign_in_as(page, login, p.outsider)
    page.goto(live_server.url + opportunity.get_absolute_url())
    chips = page.locator("dl.match-parts dd").first.locator(".chip")
    expect(chips).to_have_count(2)
    python = chips.filter(has_text="Python (computer programming)")
    expect(python).to_have_count(1)
    assert chips.nth(0).bounding_box()["x"] < chips.nth(1).bounding_box()["x"]

    switch(page, "ur")
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    assert chips.nth(0).bounding_box()["x"] > chips.nth(1).bounding_box()["x"], "the row starts on the right"
    first, last = python.evaluate(EDGES)
    assert last > first, "an English skill reads left to right, its closing bracket at its end"
    # an English value ("MY") sits beside its term, at the right of its column, not at the far left
    host = page.locator("dl.facts dd").filter(has_text="MY")
    gap = host.evaluate(
        "el => { const r = document.createRange(); r.selectNodeContents(el);"
        " return el.getBoundingClientRect().right - r.getBoundingClientRect().right; }"
    )
    assert gap < 2, f"the value ends {gap:.0f} px short of its column's right edge"
    shot("chips-direction-ur")


def test_an_english_title_in_a_table_lines_up_with_its_heading_in_an_urdu_page(
    page, live_server, login, shot, settings, tmp_path
):
    """The library's list in Urdu: an English document title sits at the right of its cell, under the
    column's heading, not at the far left of a wide column."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.CONCORD_ENCODER = "hashing"
    p = Personas()
    act = b"# Data Protection Act\n\n## 1. Short title\n\nThis Act may be cited as the Data Protection Act.\n"
    do_ingest_document(
        actor=p.delegate_my,
        dialogue=p.dialogue,
        upload=act,
        filename="act.md",
        visibility="dialogue",
        party=p.my,
        title="Data Protection Act",
        kind="law",
    )
    sign_in_as(page, login, p.delegate_my)
    page.goto(live_server.url + "/library/")
    switch(page, "ur")
    title = page.locator("table td a", has_text="Data Protection Act")
    expect(title).to_be_visible()
    cell = title.locator("xpath=ancestor::td[1]")
    gap = (
        cell.bounding_box()["x"]
        + cell.bounding_box()["width"]
        - (title.bounding_box()["x"] + title.bounding_box()["width"])
    )
    # the cell's padding is about 10 px
    assert gap < 16, f"the title ends {gap:.0f} px short of its cell's right edge"
    shot("table-direction-ur")
