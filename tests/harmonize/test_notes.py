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
from concord.harmonize.notes import MESSAGES, describe_quantity, divergence_note, kind_label


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
            # the quantity is described in the reader's language (not in the engine's English), isolated
            # so that its direction cannot spill over
            described = describe_quantity(d["source"] or d["target"])
            assert d["reasons"][0]["args"]["value"] not in shown or d["kind"] == "money"
            assert f"<bdi>{described}</bdi>" in shown
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
    described = {
        "ms": ("tidak melebihi 30 hari", "tidak melebihi 14 hari"),
        "ur": ("زیادہ سے زیادہ 30 دن", "زیادہ سے زیادہ 14 دن"),
    }
    for value in ("(3)", *described[language]):  # both values in the reader's language, isolated
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


@pytest.mark.parametrize(
    ("reading", "english", "malay", "urdu"),
    [
        (
            {
                "kind": "imprisonment",
                "value": 26298.0,
                "amount": 3.0,
                "written_unit": "year",
                "qualifier": "max",
            },
            "at most 3 years of imprisonment",
            "tidak melebihi 3 tahun penjara",
            "زیادہ سے زیادہ 3 سال قید",
        ),
        (
            {
                "kind": "duration",
                "value": 24.0,
                "amount": 1.0,
                "written_unit": "working day",
                "qualifier": "min",
            },
            "at least 1 working day",
            "sekurang-kurangnya 1 hari bekerja",
            "کم از کم 1 کاروباری دن",
        ),
        ({"kind": "money", "value": 50000.0, "currency": "MYR"}, "MYR 50,000", "MYR 50,000", "MYR 50,000"),
        (
            {"kind": "age", "value": 18.0, "qualifier": "exact"},
            "exactly age 18",
            "tepat umur 18",
            "ٹھیک عمر 18",
        ),
        (
            {"kind": "duration", "value": None, "vague": True, "text": "forthwith"},
            "no fixed limit ('forthwith')",
            "tiada had tetap ('forthwith')",
            "کوئی مقررہ حد نہیں ('forthwith')",
        ),
    ],
)
def test_a_quantity_is_described_in_the_readers_language(reading, english, malay, urdu):
    for language, expected in (("en", english), ("ms", malay), ("ur", urdu)):
        with translation.override(language):
            assert describe_quantity(reading) == expected


def test_an_unknown_stored_quantity_keeps_the_engines_words():
    assert describe_quantity({"kind": "duration", "value": 5.0, "written_unit": "fortnight"}) is None
    assert describe_quantity({"kind": "count", "value": 3.0, "subject": "members"}) is None
    assert describe_quantity(None) is None
    args = {
        "side": "source",
        "other": "target",
        "kind": "duration",
        "role": "",
        "value": "at most 2 fortnights",
    }
    d = {
        "reasons": [{"code": "only-one-sets", "args": args}],
        "source": {"kind": "duration", "value": 5.0, "written_unit": "fortnight"},
    }
    with translation.override("ur"):
        assert "<bdi>at most 2 fortnights</bdi>" in str(divergence_note(d))


def test_in_english_every_kind_of_note_reads_as_the_engine_wrote_it():
    cases = [
        (
            "liable to imprisonment for a term not exceeding three years",
            "imprisonment not exceeding one year",
        ),
        ("a fine not exceeding fifty thousand ringgit", "a fine not exceeding five hundred thousand rupees"),
        ("within fourteen working days", "within ten days"),
    ]
    with translation.override("en"):
        for a, b in cases:
            for d in _divergences(a, b):
                assert _plain(divergence_note(d)) == d["note"]
    source = (
        "(1) Whoever harasses a person commits an offence. (2) The Minister shall publish within thirty days."
    )
    target = (
        "(1) A person who annoys another commits an offence. (2) Records are kept. (3) Decide within 14 days."
    )
    same = lambda a, b: 1.0 if a.label == b.label else 0.0  # noqa: E731
    (d,) = [x.to_dict() for x in compare_provisions(source, "en", target, "en", similarity=same).divergences]
    assert d["reasons"][0]["code"] == "other-part-reads"
    with translation.override("en"):
        assert _plain(divergence_note(d)) == d["note"]
