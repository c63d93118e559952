"""Quantities read from provisions: time limits, fines, ages, thresholds, each normalised for comparison.

:func:`extract_parameters` reads English, Malay and (as far as digits and common units go) Urdu wording:
"within 72 hours", "tujuh puluh dua jam", "RM1 juta", "ten million rupees", "lima peratus", "under eighteen
years of age", "penjara selama tempoh tidak melebihi tiga tahun", "۷۲ گھنٹوں کے اندر". Each quantity is
normalised so that two provisions can be compared whatever their language:

============  =================================================  ==========
kind          value                                              unit
============  =================================================  ==========
duration      hours (day 24, week 168, month 730.5, year 8766)   ``hour``
imprisonment  hours, as durations (a term of imprisonment)       ``hour``
money         units of its currency (sen and paisa are 1/100)    the ISO code
percentage    percent                                            ``percent``
age           years                                              ``year``
count         items ("five members")                             ``item``
============  =================================================  ==========

Time limits without a number ("without undue delay", "promptly", "dengan segera", "بلا تاخیر") come back as
``duration`` quantities with ``vague=True`` and a NaN value, so that a comparison can say one side sets a
number and the other does not.
"""

from __future__ import annotations

import math
import re
from dataclasses import asdict, dataclass
from typing import Any

from . import parameters_lexicon as lex
from .numbers import Number, find_numbers, normalise_digits

KINDS = ("duration", "imprisonment", "money", "percentage", "age", "count")

HOURS = {"minute": 1 / 60, "hour": 1.0, "day": 24.0, "week": 168.0, "month": 730.5, "year": 8766.0}


@dataclass(frozen=True, slots=True)
class Quantity:
    """One quantity read from a provision.

    ``text`` is ``input[start:end]``: the number with its unit and currency ("RM1 juta", "72 hours").
    ``qualifier`` is ``'max'`` ("not exceeding", "within", "tidak melebihi", "تک"), ``'min'`` ("at least",
    "sekurang-kurangnya", "کم از کم"), ``'exact'`` ("exactly") or None when the text says neither.
    ``amount`` and ``written_unit`` keep the number and unit as written (3, ``'working day'``);
    ``role`` says what money is for (``'fine'``, ``'compensation'``, ``'fee'``); ``subject`` is what a count
    counts, in English (``'member'``). ``scope`` sets a penalty apart from the main one of its offence:
    ``'daily'`` (a fine for every day the offence continues) or ``'subsequent'`` (for a second or subsequent
    offence); a daily fine is never compared with a lump sum. A vague quantity has ``vague=True`` and
    ``value`` NaN.
    """

    kind: str
    value: float
    unit: str
    currency: str | None
    text: str
    start: int
    end: int
    qualifier: str | None = None
    vague: bool = False
    amount: float | None = None
    written_unit: str | None = None
    role: str | None = None
    subject: str | None = None
    scope: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """A JSON-safe dict (NaN becomes None)."""
        data = asdict(self)
        if self.vague or math.isnan(self.value):
            data["value"] = None
        return data

    def describe(self) -> str:
        """Short English description for notes: "at most 72 hours", "MYR 1,000,000", "age 18"."""
        if self.vague:
            return f"no fixed limit ({self.text!r})"
        prefix = {"max": "at most ", "min": "at least ", "exact": "exactly "}.get(self.qualifier or "", "")
        amount = self.amount if self.amount is not None else self.value
        if self.kind == "money":
            body = f"{self.currency} {number_text(self.value)}"
        elif self.kind == "percentage":
            body = f"{number_text(self.value)}%"
        elif self.kind == "age":
            body = f"age {number_text(self.value)}"
        elif self.kind == "count":
            body = f"{number_text(self.value)} {self.subject or 'items'}"
        else:
            unit = self.written_unit or "hour"
            body = f"{number_text(amount)} {unit}{'' if amount == 1 else 's'}"
            if self.kind == "imprisonment":
                body += " of imprisonment"
        return prefix + body


def number_text(x: float) -> str:
    """A number as the notes write it: "1,000,000", "2.5"."""
    return f"{x:,.0f}" if float(x).is_integer() else f"{x:,.2f}".rstrip("0").rstrip(".")


def extract_parameters(text: str, language: str | None = None) -> list[Quantity]:
    """Find the quantities in ``text``, in the order they appear.

    ``language`` ('en', 'ms', 'ur') is a hint only: the vocabularies of all three are always used, since
    laws quote each other's wording. A number counts only with a unit, a currency or an age word around it,
    so section numbers and years ("Act 2010") are never quantities. Deterministic.
    """
    norm = _normalise(text)
    found: list[Quantity] = []
    for number in find_numbers(text):
        quantity = _read_quantity(text, norm, number)
        if quantity is not None:
            found.append(quantity)
    for match in lex.VAGUE.finditer(norm):
        found.append(
            Quantity(
                "duration",
                math.nan,
                "hour",
                None,
                text[match.start() : match.end()],
                match.start(),
                match.end(),
                "max",
                vague=True,
            )
        )
    for match in re.finditer(r"(?<![^\W\d_])(sejam|sehari|seminggu|sebulan|setahun)(?![^\W\d_])", norm):
        if lex.RATE_BEFORE.search(norm[max(0, match.start() - 20) : match.start()]):
            continue
        unit = lex.SE_UNITS[match.group(1)]
        found.append(_duration_like(text, norm, 1.0, unit, match.start(), match.end(), match.start()))
    found.sort(key=lambda q: (q.start, q.end))
    return _drop_repeats(text, found)


def _normalise(text: str) -> str:
    norm = normalise_digits(text)
    lowered = norm.lower()
    return lowered if len(lowered) == len(norm) else norm


def _next_word(norm: str, pos: int) -> tuple[str, int, int] | None:
    match = lex.WORD.search(norm, pos)
    if match is None or norm[pos : match.start()].strip(" -\u00a0'’#*"):
        return None
    return match.group(), match.start(), match.end()


def _read_quantity(text: str, norm: str, number: Number) -> Quantity | None:
    start, end, value = number.start, number.end, number.value
    before = norm[max(0, start - 12) : start]
    prefix = lex.CURRENCY_PREFIX.search(before)
    nxt = _next_word(norm, end)
    if prefix:
        code = lex.PREFIX_CODES[re.sub(r"\s+", " ", prefix.group("cur"))]
        return _money(text, norm, value, code, start - (len(before) - prefix.start("cur")), end)
    if nxt and nxt[0] in lex.CURRENCY_WORDS:
        code, factor = lex.CURRENCY_WORDS[nxt[0]]
        return _money(text, norm, value * factor, code, start, nxt[2])
    percent = lex.PERCENT.match(norm, end)
    if percent:
        return _make(text, norm, "percentage", value, "percent", start, percent.end(), start)
    age_before = lex.AGE_BEFORE.search(norm[max(0, start - 40) : start])
    adjective = None
    if nxt and nxt[0] in lex.DAY_ADJECTIVES:  # "14 working days", "7 clear days"
        after = _next_word(norm, nxt[2])
        if after and after[0] in lex.DURATION_UNITS:
            adjective, nxt = lex.DAY_ADJECTIVES[nxt[0]], after
    if nxt and nxt[0] in lex.DURATION_UNITS:
        unit_end = nxt[2]
        if lex.DATE_AFTER.match(norm, unit_end):
            return None
        malay_adjective = lex.WORKING_AFTER.match(norm, unit_end)  # "14 hari bekerja"
        if malay_adjective:
            adjective, unit_end = lex.DAY_ADJECTIVES[malay_adjective.group(1)], malay_adjective.end()
        return _duration_like(
            text,
            norm,
            value,
            lex.DURATION_UNITS[nxt[0]],
            start,
            unit_end,
            start,
            age=bool(age_before),
            adjective=adjective,
        )
    if age_before:
        return _make(text, norm, "age", value, "year", start, end, start, written_unit="year")
    if nxt and nxt[0] == "orang":  # Malay classifier: "tiga orang ahli"
        after = _next_word(norm, nxt[2])
        if after and after[0] in lex.COUNT_NOUNS:
            nxt = after
        elif value == 1:
            return None
        else:
            return _make(text, norm, "count", value, "item", start, nxt[2], start, subject="person")
    or_more = lex.OR_MORE.match(norm, end)  # "three or more persons"
    if or_more and nxt and nxt[0] in ("or", "atau"):
        nxt = _next_word(norm, or_more.end())
    if nxt and nxt[0] in lex.COUNT_ADJECTIVES:  # "eleven other members"
        after = _next_word(norm, nxt[2])
        if after and after[0] in lex.COUNT_NOUNS:
            nxt = after
    if nxt and nxt[0] in lex.COUNT_NOUNS and value != 1:
        return _make(
            text, norm, "count", value, "item", start, nxt[2], start, subject=lex.COUNT_NOUNS[nxt[0]]
        )
    return None


def _money(text: str, norm: str, value: float, code: str, start: int, end: int) -> Quantity:
    window = _clause_before(norm, start, 60)
    role = next((name for name, pattern in lex.ROLES if pattern.search(window)), None)
    if role is None:  # Urdu puts the noun after the amount: "پچاس لاکھ روپے تک جرمانہ"
        after = norm[end : end + 16]
        if not after.isascii():
            role = next((name for name, pattern in lex.ROLES if pattern.search(after)), None)
    scope = _scope(norm, start, end) if role == "fine" else None
    return _make(text, norm, "money", value, code, start, end, start, currency=code, role=role, scope=scope)


def _scope(norm: str, start: int, end: int) -> str | None:
    """'daily' for a fine per day of a continuing offence, 'subsequent' for a repeat offence, else None."""
    if lex.DAILY_AFTER.match(norm, end):
        return "daily"
    cuts = [m.end() for m in lex.SENTENCE_END.finditer(norm, max(0, start - 300), start)]
    sentence = norm[cuts[-1] if cuts else max(0, start - 300) : start]
    return "subsequent" if lex.SUBSEQUENT.search(sentence) else None


def _duration_like(
    text: str,
    norm: str,
    amount: float,
    unit: str,
    start: int,
    end: int,
    qual_at: int,
    *,
    age: bool = False,
    adjective: str | None = None,
) -> Quantity:
    """A number with a time unit: an age, a term of imprisonment, or a duration."""
    after = norm[end : end + 30]
    if age or (unit in ("year", "month") and lex.AGE_AFTER.match(after)):
        tail = re.match(r"\s+of\s+age|\s+old\b", after)
        return _make(
            text,
            norm,
            "age",
            amount if unit == "year" else amount / 12,
            "year",
            start,
            end + tail.end() if tail else end,
            qual_at,
            amount=amount,
            written_unit=unit,
        )
    kind = "duration"
    scope = None
    if lex.IMPRISONMENT.search(_clause_before(norm, start, 120)) or lex.IMPRISONMENT_AFTER.match(after):
        kind = "imprisonment"
        scope = _scope(norm, start, end)
    written = f"{adjective} {unit}" if adjective else unit  # "" (calendar) adds nothing
    return _make(
        text,
        norm,
        kind,
        amount * HOURS[unit],
        "hour",
        start,
        end,
        qual_at,
        amount=amount,
        written_unit=written,
        scope=scope,
    )


def _clause_before(norm: str, start: int, width: int) -> str:
    """The text before ``start`` back to the last clause boundary, at most ``width`` characters."""
    window = norm[max(0, start - width) : start]
    cuts = [m.end() for m in lex.CLAUSE_END.finditer(window)]
    return window[cuts[-1] :] if cuts else window


def _make(
    text: str,
    norm: str,
    kind: str,
    value: float,
    unit: str,
    start: int,
    end: int,
    qual_at: int,
    *,
    currency: str | None = None,
    role: str | None = None,
    subject: str | None = None,
    amount: float | None = None,
    written_unit: str | None = None,
    scope: str | None = None,
) -> Quantity:
    return Quantity(
        kind,
        float(value),
        unit,
        currency,
        text[start:end],
        start,
        end,
        _qualifier(norm, qual_at, end),
        amount=amount if amount is not None else float(value),
        written_unit=written_unit,
        role=role,
        subject=subject,
        scope=scope,
    )


def _qualifier(norm: str, start: int, end: int) -> str | None:
    """'max', 'min' or 'exact' from the words just before the quantity, else just after it (Urdu "تک")."""
    before = norm[max(0, start - 60) : start]
    # The longest phrase wins: "not be more than" (max) over "more than" (min).
    matches = [
        (m.start(), name)
        for name, pattern in (("exact", lex.EXACT_BEFORE), ("min", lex.MIN_BEFORE), ("max", lex.MAX_BEFORE))
        if (m := pattern.search(before))
    ]
    if matches:
        return min(matches)[1]
    if lex.MIN_AFTER.match(norm, end):
        return "min"
    if lex.MAX_AFTER.match(norm, end):
        return "max"
    return None


def _drop_repeats(text: str, found: list[Quantity]) -> list[Quantity]:
    """Drop a quantity that only repeats the one before it in brackets: "RM1,000 (one thousand ringgit)"."""
    kept: list[Quantity] = []
    for q in found:
        prev = kept[-1] if kept else None
        if prev and q.start < prev.end:
            continue  # overlapping reads of the same words
        if (
            prev
            and prev.kind == q.kind
            and prev.value == q.value
            and re.fullmatch(r"\s*\(\s*", text[prev.end : q.start])
        ):
            continue
        kept.append(q)
    return kept
