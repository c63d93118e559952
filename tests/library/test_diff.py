"""Provision-level diffs: matching by key then number, word-level changes, amendment mode."""

from __future__ import annotations

from concord.library.diff import Side, diff_provisions, summarize, word_diff
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
