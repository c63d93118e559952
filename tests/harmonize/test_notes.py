"""Explanations of diverging parameters come from the engine as codes, shown in the reader's language."""

from __future__ import annotations

import re

import pytest
from django.utils import translation

from concord.engine.parameters import (
    NOTE_MESSAGES,
    compare_parameters,
    compare_provisions,
    extract_parameters,
)
from concord.harmonize.notes import MESSAGES, divergence_note, kind_label


def _plain(html: str) -> str:
    return re.sub(r"<[^>]+>", "", str(html))


def _divergences(a: str, b: str) -> list[dict]:
    return [d.to_dict() for d in compare_parameters(extract_parameters(a), extract_parameters(b))]


def test_every_engine_note_code_has_a_translatable_wording():
    assert set(MESSAGES) == set(NOTE_MESSAGES)


def test_the_engine_gives_each_clause_as_a_code_with_its_arguments():
    (d,) = _divergences(
        "The controller shall notify within 72 hours.", "The controller shall notify within 5 days."
    )
    assert d["diverges"]
    assert [r["code"] for r in d["reasons"]] == ["values-differ-ratio"]
    args = d["reasons"][0]["args"]
    assert "72 hours" in args["a"] and "5 days" in args["b"] and args["ratio"] == "1.67"
    assert d["note"] == f"the values differ ({args['a']} vs {args['b']}, target/source = 1.67)"


def test_in_english_the_note_reads_as_the_engine_wrote_it():
    with translation.override("en"):
        for a, b in (
            ("within 72 hours", "within 5 days"),
            ("within 72 hours", "at least 18 years of age"),
        ):
            for d in _divergences(a, b):
                assert _plain(divergence_note(d)) == d["note"]


@pytest.mark.parametrize("language", ["ms", "ur"])
def test_notes_and_kinds_are_translated_and_values_isolated(language):
    divergences = _divergences("within 72 hours", "a fine not exceeding RM 500,000")
    assert {r["code"] for d in divergences for r in d["reasons"]} == {"only-one-sets"}
    with translation.override(language):
        for d in divergences:
            shown = str(divergence_note(d))
            assert "only the" not in shown and "sets none" not in shown
            # the quantity as read stays as written, isolated so that its direction cannot spill over
            value = d["reasons"][0]["args"]["value"]
            assert f"<bdi>{value}</bdi>" in shown
        assert kind_label("duration") != "time limit"


@pytest.mark.parametrize("language", ["ms", "ur"])
def test_a_value_stated_in_a_part_that_does_not_correspond_is_said_in_each_language(language):
    source = (
        "(1) Whoever harasses a person commits an offence. (2) The Minister shall publish within thirty days."
    )
    target = (
        "(1) A person who annoys another person commits an offence. (2) The records shall be kept. "
        "(3) The Commission shall decide within fourteen days."
    )
    same = lambda a, b: 1.0 if a.label == b.label else 0.0  # noqa: E731 - the parts that correspond
    (d,) = [x.to_dict() for x in compare_provisions(source, "en", target, "en", similarity=same).divergences]
    assert [r["code"] for r in d["reasons"]] == ["other-part-reads"]
    with translation.override(language):
        shown = str(divergence_note(d))
    assert "not compared" not in shown and shown != d["note"]
    for value in ("(3)", "at most 30 days", "at most 14 days"):
        assert f"<bdi>{value}</bdi>" in shown


def test_a_note_stored_before_the_engine_gave_codes_is_shown_in_english():
    assert divergence_note({"note": "the values differ (1 vs 2)"}) == "the values differ (1 vs 2)"
    assert divergence_note({"note": "old", "reasons": [{"code": "no-such-code", "args": {}}]}) == "old"


def test_user_text_in_a_note_is_escaped():
    d = {"reasons": [{"code": "neither-sets-number", "args": {"text_a": "<b>soon</b>", "text_b": "later"}}]}
    shown = str(divergence_note(d))
    assert "<b>" not in shown and "&lt;b&gt;soon&lt;/b&gt;" in shown


def test_the_mapping_page_shows_the_note_in_urdu(personas, ran, as_user):
    mapping = ran.mappings.first()
    mapping.parameters = {"divergences": _divergences("within 72 hours", "within 5 days")}
    mapping.save(update_fields=["parameters"])
    client = as_user(personas.analyst_pk)
    client.cookies["django_language"] = "ur"
    body = client.get(mapping.get_absolute_url()).content.decode()
    assert "قدریں مختلف ہیں" in body and "the values differ" not in body
    assert "وقت کی حد" in body
