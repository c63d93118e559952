"""Provision-level diffs: matching by number and title, key, number and text; word-level changes; amendment
mode; printings of one text that differ only in page furniture."""

from __future__ import annotations

from concord.engine.segment import segment
from concord.library.diff import Side, diff_provisions, normalise, summarize, word_diff
from concord.library.models import intro_text


def _side(key, text, number=None, level="section"):
    return Side(key, number or key.lstrip("s"), "", text, level)


def test_word_diff_marks_only_the_changed_words():
    old, new = word_diff("notify within seventy-two hours", "notify within forty-eight hours")
    assert [(s.kind, s.text) for s in old] == [
        ("same", "notify within "),
        ("del", "seventy-two"),
        ("same", " hours"),
    ]
    assert [(s.kind, s.text) for s in new] == [
        ("same", "notify within "),
        ("ins", "forty-eight"),
        ("same", " hours"),
    ]


def test_added_removed_changed_and_unchanged_in_document_order():
    old = [_side("s1", "One."), _side("s2", "Two."), _side("s3", "Three.")]
    new = [_side("s1", "One."), _side("s3", "Three, amended."), _side("s4", "Four.")]
    rows = diff_provisions(old, new)
    assert [(r.op, r.key) for r in rows] == [
        ("unchanged", "s1"),
        ("removed", "s2"),
        ("changed", "s3"),
        ("added", "s4"),
    ]
    assert summarize(rows) == {"added": 1, "removed": 1, "changed": 1, "unchanged": 1}


def test_a_provision_whose_key_moved_is_matched_by_its_number():
    old = [_side("s5", "Text.", number="5")]
    new = [_side("p1.s5", "Text.", number="5")]
    assert [r.op for r in diff_provisions(old, new)] == ["unchanged"]


def test_an_amending_act_removes_nothing_it_does_not_mention():
    old = [_side("s1", "One."), _side("s2", "Two.")]
    new = [_side("s2", "Two, amended.")]
    assert [r.op for r in diff_provisions(old, new, mode="amendment")] == ["changed"]


def test_intro_text_is_what_comes_before_the_first_child():
    text = 'In this Act, unless the context otherwise requires—\n(a) "data" means information;'
    assert (
        intro_text(text, '"data" means information;') == "In this Act, unless the context otherwise requires—"
    )
    assert intro_text("Whole text.", None) == "Whole text."
    assert intro_text("Unrelated.", "not inside") == "Unrelated."


# --- printings of the same text ---------------------------------------------------------------------------

_PRINTED = """\
DATA SHARING BILL 2031

ENACTED by the Parliament of Malaysia as follows:

1. This Act may be cited as the Data Sharing Act 2031.

2. (1) An agency shall share the data it holds with another agency
{break_a}that asks for it.

(2) The agency shall keep a record of every request for
{break_b}{period} years.

3. (1) A person who shares data in breach of this Act commits an
offence.

(2) A person who commits an offence under subsection (1) shall on
{break_c}conviction be liable to a fine.
"""
_HEAD = "\n-----\n\n_{n} Bill_\n\n"


def _printing(period: str, pages: tuple[int, ...]) -> list[Side]:
    breaks = {f"break_{k}": (_HEAD.format(n=n) if n else "") for k, n in zip("abc", pages)}
    provisions = segment(_PRINTED.format(period=period, **breaks))
    return [Side(p.id, p.number, p.heading, p.text, p.level) for p in provisions]


def test_a_running_head_that_moved_changes_nothing_but_the_real_change():
    old = _printing("six", (2, 0, 4))
    new = _printing("seven", (0, 3, 0))
    rows = diff_provisions(old, new)
    assert summarize(rows) == {"added": 0, "removed": 0, "changed": 2, "unchanged": 5}
    assert {r.key for r in rows if r.op == "changed"} == {"s2", "s2.2"}  # the subsection and its section


def test_whitespace_quote_forms_and_furniture_lines_are_not_changes():
    printed = "“data” means information—\nheld by an agency;\n12 Bill"
    old = [Side("s2", "2", "Interpretation", printed, "section")]
    new = [Side("s2", "2", "Interpretation", '"data" means information-  held by an agency;', "section")]
    assert [r.op for r in diff_provisions(old, new)] == ["unchanged"]
    assert normalise("(a) one;\n(b) two") == "(a) one; (b) two"


def test_provisions_are_matched_by_number_and_title_before_their_key():
    old = [_side("s3", "Old offence text.", number="3"), _side("s4", "Penalty text.", number="4")]
    old = [Side(s.key, s.number, title, s.text, s.level) for s, title in zip(old, ("Offences", "Penalty"))]
    # the new reading gave the keys out differently (one junk provision fewer before them)
    new = [
        Side("s4", "3", "Offences", "Old offence text.", "section"),
        Side("s5", "4", "Penalty", "Penalty text, amended.", "section"),
    ]
    rows = diff_provisions(old, new)
    assert [(r.op, r.old.key if r.old else None) for r in rows] == [("unchanged", "s3"), ("changed", "s4")]


def test_a_provision_without_number_is_matched_by_its_text():
    old = [_side("s1-x1", "A lost section.", number=""), _side("s2", "Two.")]
    new = [_side("s2", "Two."), _side("s2-x1", "A lost section.", number="")]
    assert sorted(r.op for r in diff_provisions(old, new)) == ["unchanged", "unchanged"]
