"""Quantities in provisions: extraction in English, Malay and Urdu, and divergence between two sides.

Every sentence here was written for these tests in the style of statutes and policies.
"""

from __future__ import annotations

import json
import math

import pytest

from concord.engine.errors import HarmonizationError
from concord.engine.numbers import find_numbers, parse_number
from concord.engine.parameters import HOURS, Quantity, compare_parameters, extract_parameters


def one(text: str, kind: str | None = None) -> Quantity:
    found = [q for q in extract_parameters(text) if kind is None or q.kind == kind]
    assert len(found) == 1, found
    q = found[0]
    assert text[q.start:q.end] == q.text
    return q


def assert_spans(text: str) -> list[Quantity]:
    found = extract_parameters(text)
    for q in found:
        assert text[q.start:q.end] == q.text
    return found


# --- numbers -------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("text", "value"), [
    ("72", 72), ("seventy-two", 72), ("seventy two", 72), ("tujuh puluh dua", 72), ("1,000,000", 1e6),
    ("1,000,000.50", 1000000.5), ("10,00,000", 1e6), ("1.000.000", 1e6), ("2.5", 2.5),
    ("one hundred and twenty", 120), ("two million five hundred thousand", 2.5e6),
    ("dua ratus lima puluh ribu", 250_000), ("seribu tiga ratus", 1300), ("lapan belas", 18),
    ("dua belas", 12), ("sebelas", 11), ("sepuluh", 10), ("seratus ribu", 100_000), ("sejuta", 1e6),
    ("satu juta", 1e6), ("1 juta", 1e6), ("5 million", 5e6), ("1.5 bilion", 1.5e9), ("50 lakh", 5e6),
    ("2 crore", 2e7), ("۷۲", 72), ("٧٢", 72), ("۱۰,۰۰۰", 10_000), ("اٹھارہ", 18), ("پانچ لاکھ", 500_000),
    ("fourteen (14)", 14), ("14 (fourteen)", 14),
])
def test_it_reads_numbers_in_digits_and_words(text, value):
    assert parse_number(text) == pytest.approx(value)


def test_it_keeps_separate_numbers_apart():
    found = find_numbers("sections 5,10 and 12 of the Act 2010")
    assert [n.value for n in found] == [5, 10, 12, 2010]


def test_it_does_not_join_numbers_across_a_plain_and():
    assert [n.value for n in find_numbers("ten and five")] == [10, 5]


# --- durations -----------------------------------------------------------------------------------------

@pytest.mark.parametrize(("text", "span", "hours", "qualifier"), [
    ("The controller shall notify the Commissioner within 72 hours of becoming aware of the breach.",
     "72 hours", 72, "max"),
    ("The breach shall be reported no later than seventy-two hours after its discovery.",
     "seventy-two hours", 72, "max"),
    ("Pengawal hendaklah memaklumkan Pesuruhjaya dalam tempoh tujuh puluh dua jam.",
     "tujuh puluh dua jam", 72, "max"),
    ("The operator shall respond within three days.", "three days", 72, "max"),
    ("An appeal may be lodged within 14 days of the decision.", "14 days", 336, "max"),
    ("Rayuan hendaklah dibuat dalam tempoh 30 hari dari tarikh keputusan itu.", "30 hari", 720, "max"),
    ("The licence shall be renewed every six months.", "six months", 6 * 730.5, None),
    ("Lesen itu hendaklah diperbaharui setiap enam bulan.", "enam bulan", 6 * 730.5, None),
    ("The record shall be kept for at least seven years.", "seven years", 7 * 8766, "min"),
    ("Rekod itu hendaklah disimpan selama sekurang-kurangnya tujuh tahun.", "tujuh tahun", 7 * 8766, "min"),
    ("The notice shall be given not less than twenty-one days before the meeting.",
     "twenty-one days", 21 * 24, "min"),
    ("Notis hendaklah diberikan tidak kurang daripada dua puluh satu hari sebelum mesyuarat.",
     "dua puluh satu hari", 21 * 24, "min"),
    ("The retention period shall not exceed 90 days.", "90 days", 90 * 24, "max"),
    ("The Commission shall decide within a period of fourteen (14) days.", "fourteen (14) days", 336, "max"),
    ("A 72-hour window applies to every incident.", "72-hour", 72, None),
    ("Permohonan hendaklah diputuskan dalam tempoh sebulan.", "sebulan", 730.5, "max"),
])
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

@pytest.mark.parametrize(("text", "phrase"), [
    ("The controller shall notify the authority without undue delay.", "without undue delay"),
    ("The provider shall promptly remove the content.", "promptly"),
    ("The notice shall be given as soon as practicable after the request.", "as soon as practicable"),
    ("The licensee shall forthwith inform the Commission.", "forthwith"),
    ("Pengawal hendaklah memaklumkan Pesuruhjaya dengan segera.", "dengan segera"),
    ("Pemberitahuan hendaklah dibuat tanpa kelewatan yang tidak wajar.", "tanpa kelewatan yang tidak wajar"),
    ("Notis itu hendaklah diberikan dengan secepat yang dapat dilaksanakan.",
     "dengan secepat yang dapat dilaksanakan"),
    ("کنٹرولر بلا تاخیر اتھارٹی کو مطلع کرے گا۔", "بلا تاخیر"),
])
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

@pytest.mark.parametrize(("text", "span", "currency", "value"), [
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
])
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

@pytest.mark.parametrize(("text", "span", "value"), [
    ("a levy of 5% of the annual turnover", "5%", 5), ("a levy of 5 per cent", "5 per cent", 5),
    ("levi sebanyak lima peratus daripada perolehan", "lima peratus", 5),
    ("levi sebanyak 2.5 peratus", "2.5 peratus", 2.5), ("محصول ۵ فیصد ہوگا", "۵ فیصد", 5),
    ("at least 30 percent of the board", "30 percent", 30),
])
def test_it_reads_percentages(text, span, value):
    q = one(text)
    assert (q.kind, q.text, q.value, q.unit) == ("percentage", span, value, "percent")


@pytest.mark.parametrize(("text", "span", "years", "qualifier"), [
    ("a child means a person under eighteen years of age", "eighteen years of age", 18, "max"),
    ("consent of a person who is 18 years of age or older", "18 years of age", 18, "min"),
    ("a person below the age of 16 shall not register an account", "16", 16, "max"),
    ("no person under the age of 18 may hold the licence", "18", 18, "max"),
    ("kanak-kanak ertinya seseorang yang di bawah umur lapan belas tahun", "lapan belas tahun", 18, "max"),
    ("seseorang yang berumur lapan belas tahun ke atas", "lapan belas tahun", 18, "min"),
    ("a person aged 21 or over", "21", 21, "min"),
    ("اٹھارہ سال سے کم عمر کا بچہ", "اٹھارہ سال", 18, "max"),
])
def test_it_reads_ages_in_years(text, span, years, qualifier):
    q = one(text)
    assert (q.kind, q.text, q.value, q.unit, q.qualifier) == ("age", span, years, "year", qualifier)


@pytest.mark.parametrize(("text", "span", "value", "subject", "qualifier"), [
    ("The Board shall consist of not more than 9 members.", "9 members", 9, "member", "max"),
    ("at least seven but not more than eleven other members", "eleven other members", 11, "member", "max"),
    ("Lembaga itu hendaklah terdiri daripada sekurang-kurangnya tiga orang ahli.", "tiga orang ahli", 3,
     "member", "min"),
    ("The application shall be filed in two copies.", "two copies", 2, "copy", None),
])
def test_it_reads_counts_of_things(text, span, value, subject, qualifier):
    q = one(text)
    assert (q.kind, q.text, q.value, q.unit) == ("count", span, value, "item")
    assert (q.subject, q.qualifier) == (subject, qualifier)


# --- imprisonment --------------------------------------------------------------------------------------

def test_a_penalty_clause_gives_a_fine_and_a_term_of_imprisonment():
    text = ("Any person who contravenes subsection (1) commits an offence and shall, on conviction, be "
            "liable to a fine not exceeding five hundred thousand ringgit or to imprisonment for a term not "
            "exceeding three years or to both.")
    fine, term = assert_spans(text)
    assert (fine.kind, fine.value, fine.currency, fine.role, fine.qualifier) == ("money", 5e5, "MYR", "fine",
                                                                                  "max")
    assert (term.kind, term.value, term.text) == ("imprisonment", 3 * 8766, "three years")
    assert term.qualifier == "max"


def test_a_malay_penalty_clause_gives_the_same():
    text = ("Mana-mana orang yang melanggar subseksyen (1) melakukan suatu kesalahan dan hendaklah, "
            "apabila disabitkan, didenda tidak melebihi lima ratus ribu ringgit atau dipenjarakan selama "
            "tempoh tidak melebihi tiga tahun atau kedua-duanya.")
    fine, term = assert_spans(text)
    assert (fine.kind, fine.value, fine.role) == ("money", 5e5, "fine")
    assert (term.kind, term.value, term.text) == ("imprisonment", 3 * 8766, "tiga tahun")
    assert term.qualifier == "max"


@pytest.mark.parametrize("text", [
    "imprisonment for a term not exceeding three years",
    "penjara selama tempoh tidak melebihi tiga tahun",
    "pemenjaraan selama tempoh tidak melebihi tiga tahun",
    "shall be punished with imprisonment for a term which may extend to three years",
    "تین سال تک قید",
])
def test_imprisonment_is_its_own_kind(text):
    q = one(text)
    assert (q.kind, q.value, q.qualifier) == ("imprisonment", 3 * HOURS["year"], "max")


def test_a_deadline_after_a_penalty_clause_stays_a_duration():
    text = ("liable to imprisonment for a term not exceeding two years; and the record shall be destroyed "
            "within 30 days.")
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
    (d,) = compare("The controller shall notify the Commissioner within 72 hours.",
                   "The controller shall notify the authority without undue delay.")
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
    english = ("liable to a fine not exceeding three hundred thousand ringgit or to imprisonment for a term "
               "not exceeding two years or to both")
    malay = ("didenda tidak melebihi tiga ratus ribu ringgit atau dipenjarakan selama tempoh tidak melebihi "
             "dua tahun atau kedua-duanya")
    results = compare(english, malay)
    assert [(d.kind, d.diverges) for d in results] == [("imprisonment", False), ("money", False)]


def test_a_quantity_missing_on_one_side_diverges():
    results = compare("within 30 days, and a fine of RM 5,000", "a fine of RM 5,000")
    missing = [d for d in results if d.kind == "duration"]
    assert len(missing) == 1 and missing[0].target is None and missing[0].diverges
    assert "only the source" in missing[0].note


def test_pairs_go_to_the_closest_value_of_the_same_kind():
    results = compare("within 72 hours, and appeal within 30 days",
                      "dalam tempoh 30 hari; dalam tempoh 3 hari")
    assert [(d.source.text, d.target.text, d.diverges) for d in results] == [
        ("72 hours", "3 hari", False), ("30 days", "30 hari", False)]


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
