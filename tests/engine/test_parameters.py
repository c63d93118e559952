"""Quantities in provisions: extraction in English, Malay and Urdu, and divergence between two sides.

Every sentence here was written for these tests in the style of statutes and policies.
"""

from __future__ import annotations

import json
import math

import pytest

from concord.engine.errors import HarmonizationError
from concord.engine.numbers import find_numbers, parse_number
from concord.engine.parameters import (
    HOURS,
    Quantity,
    compare_parameters,
    compare_provisions,
    extract_parameters,
    sentence_similarity,
)
from concord.engine.subprovisions import SubProvision, align_subprovisions, split_subprovisions


def one(text: str, kind: str | None = None) -> Quantity:
    found = [q for q in extract_parameters(text) if kind is None or q.kind == kind]
    assert len(found) == 1, found
    q = found[0]
    assert text[q.start : q.end] == q.text
    return q


def assert_spans(text: str) -> list[Quantity]:
    found = extract_parameters(text)
    for q in found:
        assert text[q.start : q.end] == q.text
    return found


# --- numbers -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("72", 72),
        ("seventy-two", 72),
        ("seventy two", 72),
        ("tujuh puluh dua", 72),
        ("1,000,000", 1e6),
        ("1,000,000.50", 1000000.5),
        ("10,00,000", 1e6),
        ("1.000.000", 1e6),
        ("2.5", 2.5),
        ("one hundred and twenty", 120),
        ("two million five hundred thousand", 2.5e6),
        ("dua ratus lima puluh ribu", 250_000),
        ("seribu tiga ratus", 1300),
        ("lapan belas", 18),
        ("dua belas", 12),
        ("sebelas", 11),
        ("sepuluh", 10),
        ("seratus ribu", 100_000),
        ("sejuta", 1e6),
        ("satu juta", 1e6),
        ("1 juta", 1e6),
        ("5 million", 5e6),
        ("1.5 bilion", 1.5e9),
        ("50 lakh", 5e6),
        ("2 crore", 2e7),
        ("۷۲", 72),
        ("٧٢", 72),
        ("۱۰,۰۰۰", 10_000),
        ("اٹھارہ", 18),
        ("پانچ لاکھ", 500_000),
        ("fourteen (14)", 14),
        ("14 (fourteen)", 14),
    ],
)
def test_it_reads_numbers_in_digits_and_words(text, value):
    assert parse_number(text) == pytest.approx(value)


def test_it_keeps_separate_numbers_apart():
    found = find_numbers("sections 5,10 and 12 of the Act 2010")
    assert [n.value for n in found] == [5, 10, 12, 2010]


def test_it_does_not_join_numbers_across_a_plain_and():
    assert [n.value for n in find_numbers("ten and five")] == [10, 5]


# --- durations -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "span", "hours", "qualifier"),
    [
        (
            "The controller shall notify the Commissioner within 72 hours of becoming aware of the breach.",
            "72 hours",
            72,
            "max",
        ),
        (
            "The breach shall be reported no later than seventy-two hours after its discovery.",
            "seventy-two hours",
            72,
            "max",
        ),
        (
            "Pengawal hendaklah memaklumkan Pesuruhjaya dalam tempoh tujuh puluh dua jam.",
            "tujuh puluh dua jam",
            72,
            "max",
        ),
        ("The operator shall respond within three days.", "three days", 72, "max"),
        ("An appeal may be lodged within 14 days of the decision.", "14 days", 336, "max"),
        ("Rayuan hendaklah dibuat dalam tempoh 30 hari dari tarikh keputusan itu.", "30 hari", 720, "max"),
        ("The licence shall be renewed every six months.", "six months", 6 * 730.5, None),
        ("Lesen itu hendaklah diperbaharui setiap enam bulan.", "enam bulan", 6 * 730.5, None),
        ("The record shall be kept for at least seven years.", "seven years", 7 * 8766, "min"),
        (
            "Rekod itu hendaklah disimpan selama sekurang-kurangnya tujuh tahun.",
            "tujuh tahun",
            7 * 8766,
            "min",
        ),
        (
            "The notice shall be given not less than twenty-one days before the meeting.",
            "twenty-one days",
            21 * 24,
            "min",
        ),
        (
            "Notis hendaklah diberikan tidak kurang daripada dua puluh satu hari sebelum mesyuarat.",
            "dua puluh satu hari",
            21 * 24,
            "min",
        ),
        ("The retention period shall not exceed 90 days.", "90 days", 90 * 24, "max"),
        (
            "The Commission shall decide within a period of fourteen (14) days.",
            "fourteen (14) days",
            336,
            "max",
        ),
        ("A 72-hour window applies to every incident.", "72-hour", 72, None),
        ("Permohonan hendaklah diputuskan dalam tempoh sebulan.", "sebulan", 730.5, "max"),
    ],
)
def test_it_reads_durations_in_hours(text, span, hours, qualifier):
    q = one(text)
    assert (q.kind, q.text, q.unit, q.currency) == ("duration", span, "hour", None)
    assert q.value == pytest.approx(hours)
    assert q.qualifier == qualifier


def test_a_maximum_in_a_clause_of_its_own():
    q = one("A period of detention not exceeding 24 hours shall apply.")
    assert (q.value, q.qualifier) == (24, "max")


def test_it_marks_working_days_in_english_and_malay():
    english = one("The agency shall reply within 10 working days.")
    malay = one("Agensi itu hendaklah menjawab dalam tempoh 10 hari bekerja.")
    assert english.written_unit == malay.written_unit == "working day"
    assert english.value == malay.value == 240
    assert malay.text == "10 hari bekerja"


def test_it_reads_urdu_durations_with_postposed_within():
    text = "کنٹرولر ۷۲ گھنٹوں کے اندر کمشنر کو مطلع کرے گا۔"
    q = one(text)
    assert (q.kind, q.value, q.text, q.qualifier) == ("duration", 72, "۷۲ گھنٹوں", "max")


def test_it_reads_urdu_days_in_words():
    q = one("درخواست پر تیس دن میں فیصلہ کیا جائے گا۔")
    assert (q.kind, q.value, q.written_unit) == ("duration", 720, "day")


# --- vague time limits ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "phrase"),
    [
        ("The controller shall notify the authority without undue delay.", "without undue delay"),
        ("The provider shall promptly remove the content.", "promptly"),
        ("The notice shall be given as soon as practicable after the request.", "as soon as practicable"),
        ("The licensee shall forthwith inform the Commission.", "forthwith"),
        ("Pengawal hendaklah memaklumkan Pesuruhjaya dengan segera.", "dengan segera"),
        (
            "Pemberitahuan hendaklah dibuat tanpa kelewatan yang tidak wajar.",
            "tanpa kelewatan yang tidak wajar",
        ),
        (
            "Notis itu hendaklah diberikan dengan secepat yang dapat dilaksanakan.",
            "dengan secepat yang dapat dilaksanakan",
        ),
        ("کنٹرولر بلا تاخیر اتھارٹی کو مطلع کرے گا۔", "بلا تاخیر"),
    ],
)
def test_it_flags_vague_time_limits(text, phrase):
    q = one(text)
    assert q.vague and q.kind == "duration" and q.text == phrase
    assert math.isnan(q.value)
    assert q.to_dict()["value"] is None
    json.dumps(q.to_dict(), allow_nan=False)


def test_immediately_before_is_a_place_not_a_deadline():
    text = 'by inserting, immediately before the definition of "data", the following'
    assert extract_parameters(text) == []


# --- money ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "span", "currency", "value"),
    [
        ("shall be liable to a fine not exceeding RM1 juta", "RM1 juta", "MYR", 1e6),
        ("shall be liable to a fine not exceeding RM 1,000,000", "RM 1,000,000", "MYR", 1e6),
        ("to a fine not exceeding one million ringgit", "one million ringgit", "MYR", 1e6),
        ("didenda tidak melebihi satu juta ringgit", "satu juta ringgit", "MYR", 1e6),
        ("with a paid-up capital of MYR 500,000", "MYR 500,000", "MYR", 5e5),
        ("with fine which may extend to PKR 5 million", "PKR 5 million", "PKR", 5e6),
        ("with fine which may extend to Rs. 10 million", "Rs. 10 million", "PKR", 1e7),
        ("with fine which may extend to ten million rupees", "ten million rupees", "PKR", 1e7),
        ("a grant of USD 2 million for research", "USD 2 million", "USD", 2e6),
        ("a grant of US$2 million for research", "US$2 million", "USD", 2e6),
        ("a fee of RM1,500.50 for each application", "RM1,500.50", "MYR", 1500.5),
        ("Rs. 10,00,000 shall be paid as compensation", "Rs. 10,00,000", "PKR", 1e6),
        ("satu fi sebanyak lima puluh sen", "lima puluh sen", "MYR", 0.5),
        ("پچاس لاکھ روپے تک جرمانہ", "پچاس لاکھ روپے", "PKR", 5e6),
        ("a fund of RM1.5m for start-ups", "RM1.5m", "MYR", 1.5e6),
    ],
)
def test_it_reads_money_with_its_currency(text, span, currency, value):
    q = one(text, "money")
    assert (q.text, q.currency, q.unit) == (span, currency, currency)
    assert q.value == pytest.approx(value)


def test_fines_carry_their_role_and_qualifier():
    q = one("Any person who contravenes this section shall be liable to a fine not exceeding RM 500,000.")
    assert (q.role, q.qualifier) == ("fine", "max")
    urdu = one("پچاس لاکھ روپے تک جرمانہ")
    assert (urdu.role, urdu.qualifier) == ("fine", "max")


def test_a_word_ending_in_rm_is_not_ringgit():
    assert extract_parameters("Use form 5 for the application.") == []


def test_a_bracketed_repeat_counts_once():
    found = assert_spans("a fine of RM1,000,000 (one million ringgit)")
    assert [(q.kind, q.value) for q in found] == [("money", 1e6)]


# --- percentages, ages, counts --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "span", "value"),
    [
        ("a levy of 5% of the annual turnover", "5%", 5),
        ("a levy of 5 per cent", "5 per cent", 5),
        ("levi sebanyak lima peratus daripada perolehan", "lima peratus", 5),
        ("levi sebanyak 2.5 peratus", "2.5 peratus", 2.5),
        ("محصول ۵ فیصد ہوگا", "۵ فیصد", 5),
        ("at least 30 percent of the board", "30 percent", 30),
    ],
)
def test_it_reads_percentages(text, span, value):
    q = one(text)
    assert (q.kind, q.text, q.value, q.unit) == ("percentage", span, value, "percent")


@pytest.mark.parametrize(
    ("text", "span", "years", "qualifier"),
    [
        ("a child means a person under eighteen years of age", "eighteen years of age", 18, "max"),
        ("consent of a person who is 18 years of age or older", "18 years of age", 18, "min"),
        ("a person below the age of 16 shall not register an account", "16", 16, "max"),
        ("no person under the age of 18 may hold the licence", "18", 18, "max"),
        (
            "kanak-kanak ertinya seseorang yang di bawah umur lapan belas tahun",
            "lapan belas tahun",
            18,
            "max",
        ),
        ("seseorang yang berumur lapan belas tahun ke atas", "lapan belas tahun", 18, "min"),
        ("a person aged 21 or over", "21", 21, "min"),
        ("اٹھارہ سال سے کم عمر کا بچہ", "اٹھارہ سال", 18, "max"),
    ],
)
def test_it_reads_ages_in_years(text, span, years, qualifier):
    q = one(text)
    assert (q.kind, q.text, q.value, q.unit, q.qualifier) == ("age", span, years, "year", qualifier)


@pytest.mark.parametrize(
    ("text", "span", "value", "subject", "qualifier"),
    [
        ("The Board shall consist of not more than 9 members.", "9 members", 9, "member", "max"),
        (
            "at least seven but not more than eleven other members",
            "eleven other members",
            11,
            "member",
            "max",
        ),
        (
            "Lembaga itu hendaklah terdiri daripada sekurang-kurangnya tiga orang ahli.",
            "tiga orang ahli",
            3,
            "member",
            "min",
        ),
        ("The application shall be filed in two copies.", "two copies", 2, "copy", None),
    ],
)
def test_it_reads_counts_of_things(text, span, value, subject, qualifier):
    q = one(text)
    assert (q.kind, q.text, q.value, q.unit) == ("count", span, value, "item")
    assert (q.subject, q.qualifier) == (subject, qualifier)


# --- imprisonment --------------------------------------------------------------------------------------


def test_a_penalty_clause_gives_a_fine_and_a_term_of_imprisonment():
    text = (
        "Any person who contravenes subsection (1) commits an offence and shall, on conviction, be "
        "liable to a fine not exceeding five hundred thousand ringgit or to imprisonment for a term not "
        "exceeding three years or to both."
    )
    fine, term = assert_spans(text)
    assert (fine.kind, fine.value, fine.currency, fine.role, fine.qualifier) == (
        "money",
        5e5,
        "MYR",
        "fine",
        "max",
    )
    assert (term.kind, term.value, term.text) == ("imprisonment", 3 * 8766, "three years")
    assert term.qualifier == "max"


def test_a_malay_penalty_clause_gives_the_same():
    text = (
        "Mana-mana orang yang melanggar subseksyen (1) melakukan suatu kesalahan dan hendaklah, "
        "apabila disabitkan, didenda tidak melebihi lima ratus ribu ringgit atau dipenjarakan selama "
        "tempoh tidak melebihi tiga tahun atau kedua-duanya."
    )
    fine, term = assert_spans(text)
    assert (fine.kind, fine.value, fine.role) == ("money", 5e5, "fine")
    assert (term.kind, term.value, term.text) == ("imprisonment", 3 * 8766, "tiga tahun")
    assert term.qualifier == "max"


@pytest.mark.parametrize(
    "text",
    [
        "imprisonment for a term not exceeding three years",
        "penjara selama tempoh tidak melebihi tiga tahun",
        "pemenjaraan selama tempoh tidak melebihi tiga tahun",
        "shall be punished with imprisonment for a term which may extend to three years",
        "تین سال تک قید",
    ],
)
def test_imprisonment_is_its_own_kind(text):
    q = one(text)
    assert (q.kind, q.value, q.qualifier) == ("imprisonment", 3 * HOURS["year"], "max")


def test_a_deadline_after_a_penalty_clause_stays_a_duration():
    text = (
        "liable to imprisonment for a term not exceeding two years; and the record shall be destroyed "
        "within 30 days."
    )
    kinds = [(q.kind, q.text) for q in assert_spans(text)]
    assert kinds == [("imprisonment", "two years"), ("duration", "30 days")]


def test_section_numbers_and_years_are_not_quantities():
    assert extract_parameters("Section 5 of the Personal Data Protection Act 2010 [Act 709] applies.") == []
    assert extract_parameters("Seksyen 12 Akta 2010 dipinda.") == []


def test_extraction_is_deterministic_and_in_text_order():
    text = "within 7 days, a fine of RM10,000 and a levy of 2%"
    first = extract_parameters(text)
    assert first == extract_parameters(text)
    assert [q.kind for q in first] == ["duration", "money", "percentage"]
    assert [q.start for q in first] == sorted(q.start for q in first)


def test_describe_speaks_plainly():
    assert one("within 72 hours").describe() == "at most 72 hours"
    assert one("a fine not exceeding RM 1,000,000").describe() == "at most MYR 1,000,000"
    assert one("without undue delay").describe() == "no fixed limit ('without undue delay')"


# --- divergence ----------------------------------------------------------------------------------------


def compare(a: str, b: str, **kwargs):
    return compare_parameters(extract_parameters(a), extract_parameters(b), **kwargs)


def test_72_hours_against_without_undue_delay_diverges_with_a_note():
    (d,) = compare(
        "The controller shall notify the Commissioner within 72 hours.",
        "The controller shall notify the authority without undue delay.",
    )
    assert d.kind == "duration" and d.diverges and d.ratio is None
    assert "72 hours" in d.note and "without undue delay" in d.note and "no number" in d.note


def test_rm1_juta_against_rm_1000000_does_not_diverge():
    (d,) = compare("denda tidak melebihi RM1 juta", "a fine not exceeding RM 1,000,000")
    assert (d.kind, d.diverges, d.ratio) == ("money", False, 1.0)
    assert d.note.startswith("same")


def test_age_18_against_16_diverges():
    (d,) = compare("a person under eighteen years of age", "a person below the age of 16")
    assert d.kind == "age" and d.diverges
    assert d.ratio == pytest.approx(16 / 18)


def test_different_currencies_are_information_not_a_divergence():
    (d,) = compare("a fine not exceeding RM 1,000,000", "fine which may extend to PKR 5 million")
    assert d.kind == "money" and not d.diverges and d.ratio is None and not d.comparable
    assert "MYR" in d.note and "PKR" in d.note and "different currencies" in d.note


def test_given_rates_let_currencies_be_compared():
    (d,) = compare("a fine of USD 1,000", "a fine of RM 4,000", rates={"USD": 1.0, "MYR": 0.25})
    assert d.comparable and not d.diverges and d.ratio == pytest.approx(1.0)
    assert "exchange rates" in d.note


def test_bad_rates_are_rejected_with_a_clear_message():
    with pytest.raises(HarmonizationError) as err:
        compare("RM 5", "PKR 5", rates={"MYR": 0.0, "PKR": 1.0})
    assert err.value.code == "E407" and "MYR" in err.value.message


def test_english_and_malay_versions_of_a_penalty_clause_agree():
    english = (
        "liable to a fine not exceeding three hundred thousand ringgit or to imprisonment for a term "
        "not exceeding two years or to both"
    )
    malay = (
        "didenda tidak melebihi tiga ratus ribu ringgit atau dipenjarakan selama tempoh tidak melebihi "
        "dua tahun atau kedua-duanya"
    )
    results = compare(english, malay)
    assert [(d.kind, d.diverges) for d in results] == [("imprisonment", False), ("money", False)]


def test_a_quantity_missing_on_one_side_diverges():
    results = compare("within 30 days, and a fine of RM 5,000", "a fine of RM 5,000")
    missing = [d for d in results if d.kind == "duration"]
    assert len(missing) == 1 and missing[0].target is None and missing[0].diverges
    assert "only the source" in missing[0].note


def test_pairs_go_to_the_closest_value_of_the_same_kind():
    results = compare(
        "within 72 hours, and appeal within 30 days", "dalam tempoh 30 hari; dalam tempoh 3 hari"
    )
    assert [(d.source.text, d.target.text, d.diverges) for d in results] == [
        ("72 hours", "3 hari", False),
        ("30 days", "30 hari", False),
    ]


def test_one_month_and_thirty_days_agree_within_tolerance():
    (d,) = compare("within one month", "within 30 days")
    assert not d.diverges


def test_working_days_against_calendar_days_diverge():
    (d,) = compare("within 14 working days", "dalam tempoh 14 hari")
    assert d.diverges and "working" in d.note


def test_opposite_qualifiers_diverge_at_equal_values():
    (d,) = compare("not more than 5 members", "tidak kurang daripada lima orang ahli")
    assert d.diverges and "qualifiers" in d.note


def test_two_vague_limits_do_not_diverge():
    (d,) = compare("shall act promptly", "hendaklah bertindak dengan segera")
    assert not d.diverges and "neither side" in d.note


def test_counts_of_different_things_are_not_paired():
    results = compare("three members", "three copies")
    assert [(d.source is None, d.target is None) for d in results] == [(False, True), (True, False)]


def test_divergences_serialise_to_json():
    results = compare("within 72 hours", "without undue delay")
    json.dumps([d.to_dict() for d in results], allow_nan=False)


# --- number words and units in three languages ------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("one hundred and fifty", 150),
        ("ninety-nine", 99),
        ("twenty-one", 21),
        ("three thousand", 3000),
        ("dua puluh satu", 21),
        ("sembilan puluh sembilan", 99),
        ("seribu", 1000),
        ("sepuluh ribu", 10_000),
        ("ایک", 1),
        ("اکیس", 21),
        ("چھتیس", 36),
        ("ننانوے", 99),
        ("ایک سو پچاس", 150),
        ("دو ہزار", 2000),
        ("دس لاکھ", 1e6),
        ("ایک کروڑ", 1e7),
        ("ڈیڑھ", 1.5),
        ("٢١", 21),
        ("۳۶", 36),
    ],
)
def test_it_reads_number_words_in_english_malay_and_urdu(text, value):
    assert parse_number(text) == pytest.approx(value)


def test_that_very_day_in_urdu_is_not_eighty_days():
    assert extract_parameters("درخواست اسی دن جمع کرائی جائے گی۔") == []


@pytest.mark.parametrize(
    ("text", "kind", "value", "currency"),
    [
        ("dalam tempoh dua puluh satu hari", "duration", 21 * 24, None),
        ("within twenty-one days", "duration", 21 * 24, None),
        ("اکیس دن کے اندر", "duration", 21 * 24, None),
        ("for three years", "duration", 3 * 8766, None),
        ("selama tiga tahun", "duration", 3 * 8766, None),
        ("تین سال کے لیے", "duration", 3 * 8766, None),
        ("within six months", "duration", 6 * 730.5, None),
        ("dalam tempoh enam bulan", "duration", 6 * 730.5, None),
        ("چھ ماہ کے اندر", "duration", 6 * 730.5, None),
        ("چھ مہینے کے اندر", "duration", 6 * 730.5, None),
        ("within 48 hours", "duration", 48, None),
        ("dalam tempoh empat puluh lapan jam", "duration", 48, None),
        ("اڑتالیس گھنٹے کے اندر", "duration", 48, None),
        ("a fine of sepuluh ribu ringgit", "money", 10_000, "MYR"),
        ("a fine of RM10,000", "money", 10_000, "MYR"),
        ("a fine of Rs. 500,000", "money", 500_000, "PKR"),
        ("دس لاکھ روپے جرمانہ", "money", 1e6, "PKR"),
        ("lima peratus", "percentage", 5, None),
        ("پانچ فیصد", "percentage", 5, None),
        ("under the age of eighteen years", "age", 18, None),
        ("di bawah umur lapan belas tahun", "age", 18, None),
        ("اٹھارہ سال سے کم عمر", "age", 18, None),
    ],
)
def test_it_finds_the_unit_of_a_quantity_in_each_language(text, kind, value, currency):
    q = one(text)
    assert (q.kind, q.currency) == (kind, currency)
    assert q.value == pytest.approx(value)


def test_a_year_after_tahun_is_a_date_not_a_duration():
    assert extract_parameters("Kanun Tanah Negara [Akta No. 56 tahun 1965] dipinda.") == []
    assert extract_parameters("bertarikh enam belas hari bulan September") == []


def test_a_rate_per_year_is_not_a_time_limit():
    found = extract_parameters("faedah kompaun sebanyak empat peratus setahun")
    assert [q.kind for q in found] == ["percentage"]


def test_tidaklah_boleh_melebihi_is_a_maximum():
    assert one("tempoh itu tidaklah boleh melebihi tujuh tahun.").qualifier == "max"


def test_a_count_of_one_is_an_article_not_a_parameter():
    assert extract_parameters("hendaklah menyerahkan satu salinan permohonan itu") == []


def test_a_daily_fine_and_a_repeat_offence_fine_are_set_apart():
    text = (
        "shall be liable to a fine not exceeding ten thousand ringgit and, for a second or subsequent "
        "offence, to a fine not exceeding twenty thousand ringgit and to a further fine not exceeding "
        "one hundred ringgit for every day during which the offence continues."
    )
    fines = [q for q in extract_parameters(text) if q.kind == "money"]
    assert [(q.value, q.scope) for q in fines] == [(10_000, None), (20_000, "subsequent"), (100, "daily")]


# --- provisions: only corresponding sub-provisions are compared ---------------------------------------


def test_sub_provisions_are_split_by_numbering_and_references_are_not_markers():
    text = (
        "(1) A licensee shall notify the Commission within 30 days. (2) A person who contravenes "
        "subsection (1) commits an offence— (a) in the first case, ...; and (b) in any other case, ..."
    )
    parts = split_subprovisions(text)
    assert [p.label for p in parts] == ["(1)", "(2)", "(2)(a)", "(2)(b)"]
    assert all(text[p.start : p.end] == p.text for p in parts)


def test_unnumbered_text_is_split_into_sentences():
    text = (
        "Whoever gains unauthorised access to an information system shall be punished with "
        "imprisonment for a term which may extend to three months. Whoever interferes with critical "
        "infrastructure data shall be punished with imprisonment which may extend to seven years."
    )
    assert [p.label for p in split_subprovisions(text)] == ["s1", "s2"]


def test_the_aligner_follows_a_given_similarity_and_leaves_poor_matches_unpaired():
    a = [SubProvision(f"s{k}", 0, 1, "x", False, k / 3) for k in range(3)]
    b = [SubProvision(f"s{k}", 0, 1, "x", False, k / 2) for k in range(2)]
    matrix = [[0.1, 0.9], [0.2, 0.1], [0.15, 0.1]]  # a0 ~ b1; nothing fits a1, a2 or b0
    pairs = align_subprovisions(a, b, similarity=matrix)
    assert [(p.source, p.target) for p in pairs] == [(0, 1)]


EN_SECTION = (
    "(1) An applicant may appeal to the Minister within thirty days after the decision. "
    "(2) A licensee shall keep the records for two years. "
    "(3) A person who contravenes subsection (2) commits an offence and shall, on conviction, be liable to "
    "a fine not exceeding fifty thousand ringgit."
)
MS_SECTION = (
    "(1) Pemohon boleh merayu kepada Menteri dalam tempoh dua puluh satu hari selepas keputusan itu. "
    "(2) Pemegang lesen hendaklah menyimpan rekod itu selama dua tahun. "
    "(3) Seseorang yang melanggar subseksyen (2) melakukan suatu kesalahan dan hendaklah, apabila "
    "disabitkan, didenda tidak melebihi lima puluh ribu ringgit."
)


def test_malay_twenty_one_days_meets_thirty_days_in_its_own_subsection_not_two_years():
    result = compare_provisions(EN_SECTION, "en", MS_SECTION, "ms")
    durations = [d for d in result.divergences if d.kind == "duration"]
    assert [(d.source_part, d.target_part, d.diverges) for d in durations] == [
        ("(1)", "(1)", True),  # 30 days against 21 hari: a real divergence, with the parts compared
        ("(2)", "(2)", False),  # two years against dua tahun
    ]
    assert durations[0].source.text == "thirty days" and durations[0].target.text == "dua puluh satu hari"
    fine = next(d for d in result.divergences if d.kind == "money")
    assert (fine.source_part, fine.target_part, fine.diverges) == ("(3)", "(3)", False)
    assert result.diverging
    data = json.loads(json.dumps(result.to_dict()))
    assert set(data) >= {"source", "target", "divergences", "diverging"}
    assert data["divergences"][0]["source_part"] == "(1)"


def test_a_time_limit_is_never_compared_with_another_subsection_time_limit():
    en = (
        "(1) The licensee shall notify the Commission within 72 hours. "
        "(2) The licence is valid for five years."
    )
    ms = (
        "(1) Pemegang lesen hendaklah memaklumkan Suruhanjaya dalam tempoh tiga hari. "
        "(2) Lesen itu sah selama lima tahun."
    )
    result = compare_provisions(en, "en", ms, "ms")
    assert [(d.source_part, d.target_part, d.diverges) for d in result.divergences] == [
        ("(1)", "(1)", False),  # 72 hours against three days: equal
        ("(2)", "(2)", False),
    ]
    assert not result.diverging


def test_penalties_are_compared_only_between_aligned_offences():
    en = (
        "Whoever gains unauthorised access to any information system shall be punished with imprisonment "
        "for a term which may extend to three months or with fine which may extend to fifty thousand "
        "rupees. "
        "Whoever interferes with critical infrastructure shall be punished with imprisonment which may "
        "extend to seven years or with fine which may extend to ten million rupees."
    )
    ur = (
        "جو کوئی کسی انفارمیشن سسٹم تک غیر مجاز رسائی حاصل کرے اسے تین ماہ تک قید یا پچاس ہزار روپے تک "
        "جرمانہ کی سزا دی جائے گی۔ جو کوئی اہم انفراسٹرکچر میں مداخلت کرے اسے سات سال تک قید یا ایک کروڑ "
        "روپے تک جرمانہ کی سزا دی جائے گی۔"
    )

    def similarity(a: SubProvision, b: SubProvision) -> float:  # an oracle: the offences in the same order
        return 1.0 if a.label[-1] == b.label[-1] else 0.0

    result = compare_provisions(en, "en", ur, "ur", similarity=similarity)
    assert {(d.source_part, d.target_part) for d in result.divergences} == {("s1", "s1"), ("s2", "s2")}
    assert [d.kind for d in result.divergences] == ["imprisonment", "imprisonment", "money", "money"]
    assert not any(d.diverges for d in result.divergences)


def test_three_years_in_english_equals_teen_saal_tak_qaid_in_urdu():
    en = "shall be liable to imprisonment for a term which may extend to three years"
    ur = "اسے تین سال تک قید کی سزا دی جائے گی"
    (d,) = compare_provisions(en, "en", ur, "ur").divergences
    assert (d.kind, d.diverges, d.source.value, d.target.value) == ("imprisonment", False, 3 * 8766, 3 * 8766)


def test_three_years_and_thirty_six_months_are_equal():
    result = compare_provisions("within three years", "en", "dalam tempoh tiga puluh enam bulan", "ms")
    (d,) = result.divergences
    assert not d.diverges


def test_a_daily_fine_is_not_compared_with_the_fine_for_the_offence():
    en = "liable to a fine not exceeding RM1,000 for every day during which the offence continues."
    ms = "didenda tidak melebihi RM50,000."
    result = compare_provisions(en, "en", ms, "ms")
    assert all(d.source is None or d.target is None for d in result.divergences)
    assert not result.diverging


def test_ringgit_against_rupees_is_information_not_a_divergence():
    en = "liable to a fine not exceeding fifty thousand ringgit"
    ur = "پچاس ہزار روپے تک جرمانہ"
    (d,) = compare_provisions(en, "en", ur, "ur").divergences
    assert not d.comparable and not d.diverges and "different currencies" in d.note


def test_a_lone_quantity_with_an_equal_twin_in_another_part_is_agreement():
    en = "(1) A licensee shall pay the fee. Penalty: One million ringgit. (2) The Bank may inspect."
    ms = "(1) Pemegang lesen hendaklah membayar fi. (2) Bank boleh memeriksa. Penalti: Satu juta ringgit."
    result = compare_provisions(en, "en", ms, "ms")
    assert not any(d.diverges for d in result.divergences)
    assert len(result.divergences) == 1


def test_sentence_similarity_pools_the_sentences_of_each_part():
    class S:
        def __init__(self, start: int, end: int) -> None:
            self.start, self.end = start, end

    text = "(1) First part here. (2) Second part here."
    parts = split_subprovisions(text)
    similarity = sentence_similarity(
        [S(0, 20), S(21, 42)], [[1.0, 0.0], [0.0, 1.0]], [S(0, 20), S(21, 42)], [[0.0, 1.0], [1.0, 0.0]]
    )
    assert similarity is not None
    assert similarity(parts[0], parts[1]) == pytest.approx(1.0)
    assert similarity(parts[0], parts[0]) == pytest.approx(0.0)
    assert sentence_similarity([S(0, 20)], [[1.0, 0.0], [0.0, 1.0]], [S(0, 20)], [[1.0, 0.0]]) is None


# --- strict pairing: only what can be paired with confidence is compared --------------------------------


def test_unequal_counts_of_a_kind_are_unmatched_not_a_divergence():
    # The Malay side words its first time limit in a way not read, so it reads one time limit against two:
    # pairing 21 hari with either English value would report a divergence between different limits.
    en = "(1) The Minister shall decide within fourteen days and publish the decision within 30 days."
    ms = "(1) Menteri hendaklah memutuskan dalam masa yang ditetapkan dan menyiarkannya dalam tempoh 21 hari."
    result = compare_provisions(en, "en", ms, "ms")
    assert not any(d.diverges for d in result.divergences)
    assert not result.diverging
    assert sorted((d.unmatched, d.source is not None, d.target is not None) for d in result.divergences) == [
        (True, False, True),
        (True, True, False),
        (True, True, False),
    ]
    assert all("not compared" in d.note for d in result.divergences)
    assert json.loads(json.dumps(result.to_dict()))["divergences"][0]["unmatched"] is True


def test_a_quantity_only_one_side_reads_is_information_not_a_divergence():
    en = "(1) The licensee shall notify the Commission within a week."  # "a week": no number to read
    ms = "(1) Pemegang lesen hendaklah memaklumkan Suruhanjaya dalam tempoh tujuh hari."
    (d,) = compare_provisions(en, "en", ms, "ms").divergences
    assert (d.source, d.diverges, d.unmatched) == (None, False, True)
    assert d.note.startswith("only the target reads a time limit here")


def test_a_different_fine_in_aligned_subsections_is_still_a_divergence():
    en = (
        "(1) A licensee shall keep records. (2) A person who contravenes subsection (1) commits an offence "
        "and shall, on conviction, be liable to a fine not exceeding RM50,000."
    )
    ms = (
        "(1) Pemegang lesen hendaklah menyimpan rekod. (2) Seseorang yang melanggar subseksyen (1) "
        "melakukan suatu kesalahan dan boleh, apabila disabitkan, didenda tidak melebihi RM100,000."
    )
    result = compare_provisions(en, "en", ms, "ms")
    (d,) = result.divergences
    assert (d.kind, d.diverges, d.unmatched) == ("money", True, False)
    assert (d.source_part, d.target_part) == ("(2)", "(2)")
    assert d.ratio == pytest.approx(2.0)
    assert result.diverging


def test_equal_counts_pair_in_order_of_appearance_after_equal_twins():
    en = (
        "(1) Notice shall be given within 30 days, an objection made within 10 days and a reply within "
        "40 days."
    )
    ms = (
        "(1) Notis hendaklah diberikan dalam tempoh 12 hari, bantahan dibuat dalam tempoh 30 hari dan "
        "jawapan dalam tempoh 35 hari."
    )
    result = compare_provisions(en, "en", ms, "ms")
    pairs = [(d.source.amount, d.target.amount, d.diverges) for d in result.divergences]
    # 30 meets its twin; 10 and 40 pair with 12 and 35 in the order they are written.
    assert sorted(pairs) == [(10, 12, True), (30, 30, False), (40, 35, True)]


def test_a_value_with_an_equal_twin_anywhere_in_the_part_is_agreement():
    en = "(1) The first report is due within 7 days and the second within 60 days."
    ms = "(1) Laporan kedua hendaklah diberikan dalam tempoh 60 hari dan laporan pertama dalam tempoh 7 hari."
    result = compare_provisions(en, "en", ms, "ms")
    assert not any(d.diverges for d in result.divergences)
    assert len(result.divergences) == 2


def test_a_term_of_imprisonment_read_as_a_plain_duration_still_meets_its_twin():
    en = "(1) liable to imprisonment for a term not exceeding two years."
    ms = "(1) boleh dikenakan hukuman selama tempoh tidak melebihi dua tahun."  # no word for prison
    (d,) = compare_provisions(en, "en", ms, "ms").divergences
    assert not d.diverges and not d.unmatched


def test_quantities_of_different_families_never_pair():
    en = "(1) The committee of five members shall meet within 5 days."
    ms = "(1) Jawatankuasa lima orang ahli itu hendaklah bermesyuarat dalam tempoh 5 hari."
    result = compare_provisions(en, "en", ms, "ms")
    assert sorted((d.kind, d.diverges) for d in result.divergences) == [("count", False), ("duration", False)]


def test_money_of_another_currency_is_not_a_twin():
    en = "(1) liable to a fine not exceeding fifty thousand ringgit"
    ms = "(1) didenda tidak melebihi lima puluh ribu dolar"  # dollars
    (d,) = compare_provisions(en, "en", ms, "ms").divergences
    assert not d.diverges and not d.comparable


# --- readers: general rules of each language -----------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("twentyfive", 25),
        ("ninetynine", 99),
        ("thirtyone", 31),
        ("twentyfive million", 25e6),
        ("one hundred and fortytwo", 142),
    ],
)
def test_it_reads_english_compound_number_words_written_as_one_word(text, value):
    assert parse_number(text) == value


def test_twentyfive_million_ringgit_without_a_hyphen_agrees_with_dua_puluh_lima_juta():
    en = "(1) The Fund shall have a capital of twentyfive million ringgit."
    ms = "(1) Kumpulan Wang hendaklah mempunyai modal sebanyak dua puluh lima juta ringgit."
    (d,) = compare_provisions(en, "en", ms, "ms").divergences
    assert (d.source.value, d.diverges) == (25e6, False)


@pytest.mark.parametrize(
    ("text", "value", "subject"),
    [
        ("dua orang pegawai selama tiga tahun", 2, "officer"),
        ("three persons for two years", 3, "person"),
        ("hadir tiga kali berturut-turut dalam tempoh setahun", 3, "time"),
        ("absent on three occasions within a year", 3, "time"),
    ],
)
def test_counts_of_persons_or_times_are_counts_not_durations(text, value, subject):
    found = extract_parameters(text)
    counts = [q for q in found if q.kind == "count"]
    assert [(q.value, q.subject) for q in counts] == [(value, subject)]
    assert all(q.value != value * 8766 for q in found if q.kind == "duration")


def test_a_count_of_persons_is_never_compared_with_a_duration():
    en = "(1) Two officers shall serve for three years."
    ms = "(1) Dua orang pegawai hendaklah berkhidmat selama tiga tahun."
    result = compare_provisions(en, "en", ms, "ms")
    assert not any(d.diverges or d.unmatched for d in result.divergences)
    assert sorted((d.kind, d.source.amount, d.target.amount) for d in result.divergences) == [
        ("count", 2, 2),
        ("duration", 3, 3),
    ]


@pytest.mark.parametrize(
    "text",
    [
        "denda tidak melebihi RM100 bagi tiap-tiap hari kesalahan itu diteruskan",
        "denda tidak melebihi RM100 bagi tiaptiap hari kesalahan itu diteruskan",
        "denda tidak melebihi RM100 bagi tiap tiap hari kesalahan itu diteruskan",
    ],
)
def test_malay_reduplicated_tiap_tiap_marks_a_daily_fine(text):
    assert one(text, "money").scope == "daily"


def test_a_daily_phrase_belongs_to_the_amount_just_before_it():
    text = "a fine not exceeding RM1,000 and a further fine of RM100 for every day the offence continues"
    fine, daily = extract_parameters(text)
    assert (fine.value, fine.scope, daily.value, daily.scope) == (1000, None, 100, "daily")


def test_other_general_cues_of_each_language():
    assert one("a period not being less than thirty days").qualifier == "min"
    age = one("kanak-kanak yang berumur di bawah lapan belas tahun")
    assert (age.kind, age.value, age.qualifier) == ("age", 18, "max")
    assert one("may commit him to prison for a term not exceeding six months").kind == "imprisonment"
    assert one("shall as soon as may be notify the Minister").vague


# --- the penalty of each offence, stated in a subsection of its own -----------------------------------

# Two acts of two countries, written for these tests: one offence each, defined in (1), with the
# penalty in a subsection of its own that the other act numbers differently and words differently.
OFFENCE_PK = (
    "(1) Whoever sends a message to harass a person through an information system commits the offence of "
    "online harassment. "
    "(2) Whoever commits the offence specified in subsection (1) shall be punished with imprisonment for "
    "a term which may extend to three years or with fine which may extend to one million rupees or with "
    "both."
)
OFFENCE_MY = (
    "(1) A person who by means of a network service makes a communication which is offensive in "
    "character with intent to annoy another person commits an offence. "
    "(2) For the purposes of this section, a communication includes a picture. "
    "(3) A person who commits an offence under this section shall, on conviction, be liable to a fine not "
    "exceeding fifty thousand ringgit or to imprisonment for a term not exceeding one year or to both."
)


def _oracle(a: SubProvision, b: SubProvision) -> float:
    """The offences' definitions correspond; the penalty subsections do not align by their wording."""
    return 1.0 if (a.label, b.label) == ("(1)", "(1)") else 0.0


def test_the_penalties_of_two_offences_are_compared_across_differently_numbered_subsections():
    result = compare_provisions(OFFENCE_PK, "en", OFFENCE_MY, "en", similarity=_oracle)
    (prison,) = [d for d in result.divergences if d.kind == "imprisonment"]
    assert (prison.source_part, prison.target_part) == ("(2)", "(3)")
    assert prison.diverges and prison.ratio == pytest.approx(1 / 3)
    (fine,) = [d for d in result.divergences if d.kind == "money"]
    assert (fine.source_part, fine.target_part, fine.comparable) == ("(2)", "(3)", False)  # PKR vs MYR
    assert result.diverging


def test_equal_penalties_in_differently_numbered_subsections_agree():
    same = OFFENCE_MY.replace("fifty thousand ringgit", "one million rupees").replace(
        "one year", "three years"
    )
    result = compare_provisions(OFFENCE_PK, "en", same, "en", similarity=_oracle)
    assert [(d.kind, d.diverges) for d in result.divergences] == [("imprisonment", False), ("money", False)]
    assert not result.diverging


def test_penalties_of_two_offences_in_one_act_are_not_set_against_the_others_one():
    # The Malaysian side punishes two offences, in (2) and (3): which one answers the Pakistani offence is
    # not known from the numbers, so nothing is compared and nothing diverges.
    two = (
        "(1) A person who sends an offensive message commits an offence. "
        "(2) A person who commits an offence under subsection (1) shall be liable to imprisonment for a "
        "term not exceeding one year. "
        "(3) A person who publishes the message commits an offence and shall be liable to imprisonment for "
        "a term not exceeding five years."
    )
    result = compare_provisions(OFFENCE_PK, "en", two, "en", similarity=_oracle)
    assert not result.diverging
    assert all(d.source is None or d.target is None for d in result.divergences)


def test_a_value_the_other_side_states_in_a_part_that_does_not_correspond_is_said_so():
    # (2) corresponds to (2); the target sets its time limit in (3), which has no counterpart. The note
    # says where the target states one, not that it sets none.
    source = (
        "(1) Whoever harasses a person commits an offence. (2) The Minister shall publish the order within "
        "thirty days."
    )
    target = (
        "(1) A person who annoys another person commits an offence. (2) The records shall be kept by the "
        "Commission. (3) The Commission shall decide the appeal within fourteen days."
    )

    def same_number(a: SubProvision, b: SubProvision) -> float:
        return 1.0 if a.label == b.label else 0.0

    (d,) = compare_provisions(source, "en", target, "en", similarity=same_number).divergences
    assert (d.source_part, d.target, d.diverges, d.unmatched) == ("(2)", None, False, True)
    assert d.reasons[0][0] == "other-part-reads" and d.reasons[0][1]["part"] == "(3)"
    assert d.note == (
        "not compared: the source reads a time limit here (at most 30 days), and the target one in (3) "
        "(at most 14 days), a part that does not correspond"
    )
