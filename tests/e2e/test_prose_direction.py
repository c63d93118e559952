"""Text that people write keeps its own direction: an English progress report in an Urdu page ends with its
full stop on the right and sits against the left edge, and an Urdu description in an English page reads right
to left from the right edge. Without it, a right-to-left page moves an English sentence's full stop to its
start."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from concord.commitments import actions as ca
from tests.conftest import PASSWORD, Personas
from tests.secretariat.conftest import make_commitment

from .week import switch

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
