"""Quantities in provisions (time limits, fines, ages, thresholds) and where two provisions' differ.

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

:func:`compare_parameters` pairs the quantities of two provisions kind by kind and says which diverge.
Money in different currencies is never converted with invented rates: pass ``rates`` to compare them.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from functools import lru_cache
from typing import Any

import numpy as np

from .errors import HarmonizationError
from .numbers import Number, find_numbers, normalise_digits
from .subprovisions import (
    SubProvision,
    align_subprovisions,
    group_subprovisions,
    split_subprovisions,
)

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
            body = f"{self.currency} {_fmt(self.value)}"
        elif self.kind == "percentage":
            body = f"{_fmt(self.value)}%"
        elif self.kind == "age":
            body = f"age {_fmt(self.value)}"
        elif self.kind == "count":
            body = f"{_fmt(self.value)} {self.subject or 'items'}"
        else:
            unit = self.written_unit or "hour"
            body = f"{_fmt(amount)} {unit}{'' if amount == 1 else 's'}"
            if self.kind == "imprisonment":
                body += " of imprisonment"
        return prefix + body


@dataclass(slots=True)
class ParameterDivergence:
    """How one quantity of the source compares with its counterpart in the target.

    ``ratio`` is target / source in the normalised unit (None when one side is missing or vague, or the
    currencies differ without rates). ``diverges`` is True when the values differ beyond the tolerance, the
    qualifiers disagree (at most vs at least), one side sets no number, or one side lacks the quantity.
    ``comparable`` is False when the two cannot be set against each other (different currencies, no rates):
    that is information, not a divergence. ``source_part`` and ``target_part`` name the sub-provisions
    compared ("(2)", "(1)(a)", "s2" for a sentence, "" for the whole provision) when
    :func:`compare_provisions` made the comparison.
    """

    kind: str
    source: Quantity | None
    target: Quantity | None
    diverges: bool
    ratio: float | None
    note: str
    comparable: bool = True
    source_part: str | None = None
    target_part: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "source": self.source.to_dict() if self.source else None,
            "target": self.target.to_dict() if self.target else None,
            "diverges": self.diverges,
            "ratio": self.ratio,
            "note": self.note,
            "comparable": self.comparable,
            "source_part": self.source_part,
            "target_part": self.target_part,
        }


def _words(text: str) -> list[str]:
    return text.split()


def _fmt(x: float) -> str:
    return f"{x:,.0f}" if float(x).is_integer() else f"{x:,.2f}".rstrip("0").rstrip(".")


# --- vocabulary -------------------------------------------------------------------------------------
# word -> (canonical unit, plural-aware). Durations as written; normalised through HOURS.
_DURATION_UNITS = {
    **dict.fromkeys(_words("hour hours hr hrs jam گھنٹے گھنٹہ گھنٹوں گھنٹا"), "hour"),
    **dict.fromkeys(_words("minute minutes mins minit منٹ منٹوں"), "minute"),
    **dict.fromkeys(_words("day days hari دن دنوں یوم ایام"), "day"),
    **dict.fromkeys(_words("week weeks minggu ہفتے ہفتہ ہفتوں"), "week"),
    **dict.fromkeys(_words("month months bulan مہینے مہینہ مہینوں ماہ"), "month"),
    **dict.fromkeys(_words("year years tahun سال سالوں برس"), "year"),
}
# One-word Malay forms that carry their own "one": sehari, sebulan...
_SE_UNITS = {"sejam": "hour", "sehari": "day", "seminggu": "week", "sebulan": "month", "setahun": "year"}
# Words that qualify days: working days are not calendar days, and notes say so.
_DAY_ADJECTIVES = {
    "working": "working",
    "business": "working",
    "bekerja": "working",
    "kerja": "working",
    "clear": "clear",
    "calendar": "",
    "consecutive": "",
    "kalendar": "",
    "berturut-turut": "",
}
_WORKING_AFTER = re.compile(r"\s+(bekerja|kerja|kalendar|berturut-turut)(?![^\W\d_])")
_CURRENCY_WORDS = {
    **dict.fromkeys(_words("ringgit رنگٹ"), ("MYR", 1.0)),
    "sen": ("MYR", 0.01),
    **dict.fromkeys(_words("rupees rupee روپے روپیہ روپوں روپئے"), ("PKR", 1.0)),
    **dict.fromkeys(_words("paisa paise پیسے"), ("PKR", 0.01)),
    **dict.fromkeys(_words("dollars dollar ڈالر"), ("USD", 1.0)),
}
_CURRENCY_PREFIX = re.compile(
    r"(?<![^\W\d_])(?P<cur>rm|myr|pkr|rs\.?|inr|usd|us\s?\$|\$|sgd|s\$|eur|€|gbp|£|idr|rp\.?|rupees|ringgit)"
    r"\s*$"
)
_PREFIX_CODES = {
    "rm": "MYR",
    "myr": "MYR",
    "ringgit": "MYR",
    "pkr": "PKR",
    "rs": "PKR",
    "rs.": "PKR",
    "rupees": "PKR",
    "inr": "INR",
    "usd": "USD",
    "us$": "USD",
    "us $": "USD",
    "$": "USD",
    "sgd": "SGD",
    "s$": "SGD",
    "eur": "EUR",
    "€": "EUR",
    "gbp": "GBP",
    "£": "GBP",
    "idr": "IDR",
    "rp": "IDR",
    "rp.": "IDR",
}
_PERCENT = re.compile(r"\s*(?:%|٪|per\s*cent(?:um)?\b|percent\b|peratus\b|فیصد)")
_COUNT_NOUNS = {
    **dict.fromkeys(_words("member members ahli anggota رکن ارکان اراکین"), "member"),
    **dict.fromkeys(_words("person persons people individuals orang افراد اشخاص"), "person"),
    **dict.fromkeys(_words("director directors pengarah"), "director"),
    **dict.fromkeys(_words("employee employees workers pekerja"), "employee"),
    **dict.fromkeys(_words("officer officers pegawai"), "officer"),
    **dict.fromkeys(_words("representative representatives wakil"), "representative"),
    **dict.fromkeys(_words("commissioner commissioners pesuruhjaya"), "commissioner"),
    **dict.fromkeys(_words("copy copies salinan"), "copy"),
    **dict.fromkeys(_words("times occasions kali مرتبہ بار"), "time"),
    **dict.fromkeys(_words("subscribers pelanggan"), "subscriber"),
    **dict.fromkeys(_words("users pengguna"), "user"),
    **dict.fromkeys(_words("meetings mesyuarat اجلاس"), "meeting"),
}

_OR_MORE = re.compile(r"\s+(?:or|atau)\s+(?:more|fewer|less|lebih|kurang)(?![^\W\d_])")
_COUNT_ADJECTIVES = frozenset(_words("other additional further independent consecutive"))
_Q = r"(?<![^\W\d_])"  # phrase starts at a word edge
_FILLER = (
    r"(?:\s+(?:a|an|the|period|term|total|sum|amount|maximum|minimum|age|of|tempoh|masa|umur|usia|"
    r"berumur|berusia|selama|jumlah|sebanyak|sejumlah|amaun|wang|denda|fine))*\s*"
)
_MAX_BEFORE = re.compile(
    _Q + r"(?:not\s+exceeding|not\s+to\s+exceed|not\s+exceed|shall\s+not\s+exceed|not\s+more\s+than|"
    r"no\s+more\s+than|not\s+longer\s+than|no\s+longer\s+than|up\s+to|upto|maximum\s+of|at\s+most|"
    r"within|not\s+(?:be\s+)?(?:more|longer|later)\s+than|no\s+later\s+than|(?<!not\s)(?<!no\s)less\s+than|under|below|(?:may\s+)?extend(?:ing)?\s+to|"
    r"tidak(?:lah)?\s+(?:boleh\s+|akan\s+)?(?:melebihi|lebih\s+(?:daripada|dari))|tidak\s+lewat\s+(?:daripada|dari)|"
    r"selewat-lewatnya|dalam\s+(?:tempoh|masa|jangka\s+masa)|sehingga|hingga|maksimum|paling\s+lama|paling\s+banyak|sebanyak-banyaknya|"
    r"(?<!tidak\s)kurang\s+(?:daripada|dari)|di\s+bawah|bawah|زیادہ\s+سے\s+زیادہ)" + _FILLER + "$"
)
_MIN_BEFORE = re.compile(
    _Q + r"(?:at\s+least|not\s+(?:be\s+)?(?:less|fewer)\s+than|no\s+(?:less|fewer)\s+than|"
    r"minimum\s+of|(?<!not\s)(?<!no\s)more\s+than|(?<!not\s)exceeding|over|above|sekurang-kurangnya|"
    r"tidak(?:lah)?\s+(?:boleh\s+|akan\s+)?kurang\s+(?:daripada|dari)|minimum|(?<!tidak\s)lebih\s+(?:daripada|dari)|(?<!tidak\s)melebihi|"
    r"di\s+atas|کم\s+از\s+کم|کم\s+سے\s+کم)" + _FILLER + "$"
)
_EXACT_BEFORE = re.compile(_Q + r"(?:exactly|precisely|tepat|genap)" + _FILLER + "$")
_MAX_AFTER = re.compile(
    r"\s*(?:or\s+less|or\s+under|or\s+younger|atau\s+kurang|سے\s+زیادہ\s+نہ|تک|"
    r"سے\s+کم(?!\s+نہ)|کے\s+اندر|میں\s+اندر|اندر)"
)
_MIN_AFTER = re.compile(
    r"\s*(?:or\s+more|or\s+over|or\s+above|or\s+older|and\s+above|and\s+over|"
    r"atau\s+lebih|dan\s+ke\s+atas|ke\s+atas|سے\s+کم\s+نہ|سے\s+زیادہ(?!\s+نہ))"
)

# "tahun 1965", "tahun seribu sembilan ratus ...", "hari bulan Ogos": a date, not a duration.
_DATE_AFTER = re.compile(r"\s+(?:\d{4}(?!\d)|seribu\s|dua\s+ribu|bulan(?![^\W\d_]))")
# "empat peratus setahun", "kadar sebulan", "sekali setahun": a rate per year or month, not a time limit.
_RATE_BEFORE = re.compile(r"(?:peratus|%|kadar|sekali|kali)\s*$")
_DAILY_AFTER = re.compile(
    r"[^.;]{0,40}?(?:for\s+(?:every|each)\s+day|bagi\s+(?:setiap|tiap-tiap)\s+hari|"
    r"untuk\s+(?:setiap|tiap-tiap)\s+hari|ہر\s+(?:ایک\s+)?دن|یومیہ)"
)
_SUBSEQUENT = re.compile(
    r"second\s+or\s+subsequent|subsequent\s+(?:offence|conviction)|kali\s+kedua|yang\s+berikutnya|"
    r"kesalahan\s+berikutnya|دوسری\s+(?:بار|مرتبہ)|دوبارہ\s+جرم"
)
_SENTENCE_END = re.compile(r"[.;!?۔؛](?=\s)|[.;!?۔؛]$")

_IMPRISONMENT = re.compile(r"imprison\w*|jail|gaol|penjara\w*|pemenjaraan|memenjarakan|قید")
_IMPRISONMENT_AFTER = re.compile(r"['’]?\s*(?:imprisonment|penjara|(?:تک\s+)?(?:کی\s+)?(?:سزائے\s+)?قید)")
_AGE_BEFORE = re.compile(
    _Q + r"(?:age|aged|umur|berumur|berusia|usia|عمر)(?:\s+(?:of|is|not|less|than|below|under|above|"
    r"at|least|exceeding|more|sekurang-kurangnya|bawah|tidak|kurang|daripada|dari|lebih|melebihi))*\s*$"
)
_AGE_AFTER = re.compile(r"\s*(?:of\s+age|old\b|umur\b|کی\s+عمر|سے\s+کم\s+عمر|سے\s+زیادہ\s+عمر|عمر)")
_ROLES = (
    ("fine", re.compile(r"fine|denda|جرمانہ|جرمانے")),
    ("compensation", re.compile(r"compensation|pampasan|damages|معاوضہ")),
    ("fee", re.compile(r"\bfees?\b|\bfi\b|yuran|فیس")),
)
_CLAUSE_END = re.compile(r"[.;:!?۔؛]|\bor\s+to\b|\batau\s+kepada\b|\band\b|\bdan\b")

_VAGUE = re.compile(
    _Q + r"(?:without\s+(?:undue\s+|unreasonable\s+|unnecessary\s+)?delay|promptly|forthwith|"
    r"immediately(?!\s+(?:before|after|preceding|following|succeeding|prior))|"
    r"as\s+soon\s+as\s+(?:is\s+)?(?:reasonably\s+)?(?:practicable|possible|feasible)|"
    r"within\s+a\s+reasonable\s+(?:time|period)|in\s+a\s+timely\s+(?:manner|fashion)|"
    r"dengan\s+segera|dengan\s+kadar\s+segera|(?:dengan\s+)?serta-\s*merta|"
    r"tanpa\s+(?:kelewatan|kelengahan)(?:\s+yang\s+tidak\s+(?:wajar|munasabah|perlu))?|tanpa\s+berlengah|"
    r"(?:dengan\s+)?(?:secepat|seberapa\s+segera)\s+(?:mungkin|yang\s+(?:boleh|mungkin|praktik|dapat)"
    r"(?:\s+(?:dilaksanakan|dipraktikkan))?)|"
    r"dalam\s+(?:suatu\s+)?(?:tempoh|masa)\s+yang\s+munasabah|فوری\s+طور\s+پر|فوراً|بلا\s*تاخیر|بغیر\s+کسی\s+تاخیر|"
    r"غیر\s+ضروری\s+تاخیر\s+کے\s+بغیر|جلد\s+از\s+جلد)"
)

_WORD = re.compile(r"[^\W\d_]+|%|٪")


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
    for match in _VAGUE.finditer(norm):
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
        if _RATE_BEFORE.search(norm[max(0, match.start() - 20) : match.start()]):
            continue
        unit = _SE_UNITS[match.group(1)]
        found.append(_duration_like(text, norm, 1.0, unit, match.start(), match.end(), match.start()))
    found.sort(key=lambda q: (q.start, q.end))
    return _drop_repeats(text, found)


def _normalise(text: str) -> str:
    norm = normalise_digits(text)
    lowered = norm.lower()
    return lowered if len(lowered) == len(norm) else norm


def _next_word(norm: str, pos: int) -> tuple[str, int, int] | None:
    match = _WORD.search(norm, pos)
    if match is None or norm[pos : match.start()].strip(" -\u00a0'’#*"):
        return None
    return match.group(), match.start(), match.end()


def _read_quantity(text: str, norm: str, number: Number) -> Quantity | None:
    start, end, value = number.start, number.end, number.value
    before = norm[max(0, start - 12) : start]
    prefix = _CURRENCY_PREFIX.search(before)
    nxt = _next_word(norm, end)
    if prefix:
        code = _PREFIX_CODES[re.sub(r"\s+", " ", prefix.group("cur"))]
        return _money(text, norm, value, code, start - (len(before) - prefix.start("cur")), end)
    if nxt and nxt[0] in _CURRENCY_WORDS:
        code, factor = _CURRENCY_WORDS[nxt[0]]
        return _money(text, norm, value * factor, code, start, nxt[2])
    percent = _PERCENT.match(norm, end)
    if percent:
        return _make(text, norm, "percentage", value, "percent", start, percent.end(), start)
    age_before = _AGE_BEFORE.search(norm[max(0, start - 40) : start])
    adjective = None
    if nxt and nxt[0] in _DAY_ADJECTIVES:  # "14 working days", "7 clear days"
        after = _next_word(norm, nxt[2])
        if after and after[0] in _DURATION_UNITS:
            adjective, nxt = _DAY_ADJECTIVES[nxt[0]], after
    if nxt and nxt[0] in _DURATION_UNITS:
        unit_end = nxt[2]
        if _DATE_AFTER.match(norm, unit_end):
            return None
        malay_adjective = _WORKING_AFTER.match(norm, unit_end)  # "14 hari bekerja"
        if malay_adjective:
            adjective, unit_end = _DAY_ADJECTIVES[malay_adjective.group(1)], malay_adjective.end()
        return _duration_like(
            text,
            norm,
            value,
            _DURATION_UNITS[nxt[0]],
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
        if after and after[0] in _COUNT_NOUNS:
            nxt = after
        elif value == 1:
            return None
        else:
            return _make(text, norm, "count", value, "item", start, nxt[2], start, subject="person")
    or_more = _OR_MORE.match(norm, end)  # "three or more persons"
    if or_more and nxt and nxt[0] in ("or", "atau"):
        nxt = _next_word(norm, or_more.end())
    if nxt and nxt[0] in _COUNT_ADJECTIVES:  # "eleven other members"
        after = _next_word(norm, nxt[2])
        if after and after[0] in _COUNT_NOUNS:
            nxt = after
    if nxt and nxt[0] in _COUNT_NOUNS and value != 1:
        return _make(text, norm, "count", value, "item", start, nxt[2], start, subject=_COUNT_NOUNS[nxt[0]])
    return None


def _money(text: str, norm: str, value: float, code: str, start: int, end: int) -> Quantity:
    window = _clause_before(norm, start, 60)
    role = next((name for name, pattern in _ROLES if pattern.search(window)), None)
    if role is None:  # Urdu puts the noun after the amount: "پچاس لاکھ روپے تک جرمانہ"
        after = norm[end : end + 16]
        if not after.isascii():
            role = next((name for name, pattern in _ROLES if pattern.search(after)), None)
    scope = _scope(norm, start, end) if role == "fine" else None
    return _make(text, norm, "money", value, code, start, end, start, currency=code, role=role, scope=scope)


def _scope(norm: str, start: int, end: int) -> str | None:
    """'daily' for a fine per day of a continuing offence, 'subsequent' for a repeat offence, else None."""
    if _DAILY_AFTER.match(norm, end):
        return "daily"
    cuts = [m.end() for m in _SENTENCE_END.finditer(norm, max(0, start - 300), start)]
    sentence = norm[cuts[-1] if cuts else max(0, start - 300) : start]
    return "subsequent" if _SUBSEQUENT.search(sentence) else None


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
    if age or (unit in ("year", "month") and _AGE_AFTER.match(after)):
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
    if _IMPRISONMENT.search(_clause_before(norm, start, 120)) or _IMPRISONMENT_AFTER.match(after):
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
    cuts = [m.end() for m in _CLAUSE_END.finditer(window)]
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
        for name, pattern in (("exact", _EXACT_BEFORE), ("min", _MIN_BEFORE), ("max", _MAX_BEFORE))
        if (m := pattern.search(before))
    ]
    if matches:
        return min(matches)[1]
    if _MIN_AFTER.match(norm, end):
        return "min"
    if _MAX_AFTER.match(norm, end):
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


# --- comparison -------------------------------------------------------------------------------------


def compare_parameters(
    a: list[Quantity], b: list[Quantity], *, rates: dict[str, float] | None = None, rel_tol: float = 0.02
) -> list[ParameterDivergence]:
    """Pair the quantities of a source provision (``a``) with those of a target (``b``) and compare them.

    Quantities pair only within a kind (a count only with a count of the same thing), closest values
    first, so that "72 hours" meets "three days" rather than "30 days". A quantity left without a partner
    is a divergence ("only the source sets ..."). A precise value against a vague one diverges; two vague
    ones do not. Values within ``rel_tol`` agree (a month is 730.5 hours, so "one month" and "30 days"
    agree at the default 2%). Opposite qualifiers (at most against at least) diverge even at equal values,
    and so do working days against calendar days.

    Money in different currencies is compared only through ``rates``, a mapping from ISO code to the value
    of one unit of that currency in any one common unit (``{"USD": 1.0, "MYR": 0.21, "PKR": 0.0036}``);
    without a rate for both, the pair is marked ``comparable=False``, with a note naming both
    currencies (information, not a divergence). Results are ordered by kind, then by position in the
    source, then in the target.
    """
    if rates is not None:
        bad = [code for code, rate in rates.items() if not (isinstance(rate, int | float) and rate > 0)]
        if bad:
            raise HarmonizationError(
                f"exchange rates must be positive numbers; check {', '.join(bad)}", code="E407"
            )
    candidates = []
    for i, qa in enumerate(a):
        for j, qb in enumerate(b):
            cost = _pair_cost(qa, qb, rates)
            if cost is not None:
                candidates.append((cost, i, j))
    candidates.sort()
    used_a: set[int] = set()
    used_b: set[int] = set()
    results: list[tuple[int, int, int, ParameterDivergence]] = []
    for _, i, j in candidates:
        if i in used_a or j in used_b:
            continue
        used_a.add(i)
        used_b.add(j)
        results.append((KINDS.index(a[i].kind), i, j, _compare_pair(a[i], b[j], rates, rel_tol)))
    for i, qa in enumerate(a):
        if i not in used_a:
            note = f"only the source sets {_kind_phrase(qa)}: {qa.describe()}; the target sets none"
            results.append(
                (KINDS.index(qa.kind), i, -1, ParameterDivergence(qa.kind, qa, None, _counts(qa), None, note))
            )
    for j, qb in enumerate(b):
        if j not in used_b:
            note = f"only the target sets {_kind_phrase(qb)}: {qb.describe()}; the source sets none"
            divergence = ParameterDivergence(qb.kind, None, qb, _counts(qb), None, note)
            results.append((KINDS.index(qb.kind), len(a), j, divergence))
    results.sort(key=lambda r: r[:3])
    return [r[3] for r in results]


def _counts(q: Quantity) -> bool:
    """Whether a quantity the other side lacks is a divergence: not "one day" or "setahun" in words, which
    the other language often writes with an article ("a day", "a year") that carries no number."""
    return not (q.amount == 1 and not any(ch.isdigit() for ch in normalise_digits(q.text)))


def _kind_phrase(q: Quantity) -> str:
    if q.kind == "money" and q.role:
        return f"a {q.role}"
    return {
        "duration": "a time limit",
        "imprisonment": "a term of imprisonment",
        "money": "an amount",
        "percentage": "a percentage",
        "age": "an age",
        "count": "a number",
    }[q.kind]


def _pair_cost(qa: Quantity, qb: Quantity, rates: dict[str, float] | None) -> float | None:
    """How badly two quantities fit as counterparts (None: never pair them)."""
    if qa.kind != qb.kind:
        return None
    if qa.kind == "count" and qa.subject != qb.subject:
        return None
    if (qa.role and qb.role and qa.role != qb.role) or qa.scope != qb.scope:
        return None  # a fine is not a fee; a daily fine is not the fine for the offence itself
    cost = 0.0
    if qa.vague or qb.vague:
        cost += 0.0 if qa.vague and qb.vague else 2.0
    else:
        va, vb = _comparable_values(qa, qb, rates)
        if va is None or vb is None:
            cost += 1.5
        elif va > 0 and vb > 0:
            cost += min(abs(math.log(vb / va)), 3.0)
        elif va != vb:
            cost += 3.0
    if {qa.qualifier, qb.qualifier} == {"max", "min"}:
        cost += 0.5
    return cost


def _comparable_values(
    qa: Quantity, qb: Quantity, rates: dict[str, float] | None
) -> tuple[float | None, float | None]:
    if qa.kind != "money" or qa.currency == qb.currency:
        return qa.value, qb.value
    if rates and qa.currency in rates and qb.currency in rates:
        return qa.value * rates[qa.currency or ""], qb.value * rates[qb.currency or ""]
    return None, None


def _compare_pair(
    qa: Quantity, qb: Quantity, rates: dict[str, float] | None, rel_tol: float
) -> ParameterDivergence:
    kind = qa.kind
    if qa.vague and qb.vague:
        return ParameterDivergence(
            kind, qa, qb, False, None, f"neither side sets a number: {qa.text!r} and {qb.text!r}"
        )
    if qa.vague or qb.vague:
        precise, vague, side = (qb, qa, "target") if qa.vague else (qa, qb, "source")
        other = "source" if side == "target" else "target"
        return ParameterDivergence(
            kind,
            qa,
            qb,
            True,
            None,
            f"the {side} sets {precise.describe()}; the {other} sets no number ({vague.text!r})",
        )
    va, vb = _comparable_values(qa, qb, rates)
    if va is None or vb is None:
        return ParameterDivergence(
            kind,
            qa,
            qb,
            False,
            None,
            f"different currencies ({qa.currency} vs {qb.currency}): "
            f"{qa.describe()} vs {qb.describe()}; not converted, give exchange "
            "rates to compare them",
            comparable=False,
        )
    ratio = vb / va if va else (1.0 if vb == 0 else None)
    reasons = []
    if ratio is None or not math.isclose(ratio, 1.0, rel_tol=rel_tol):
        reasons.append(
            f"the values differ ({qa.describe()} vs {qb.describe()}"
            + (f", target/source = {ratio:.3g})" if ratio is not None else ")")
        )
    if {qa.qualifier, qb.qualifier} == {"max", "min"} or (
        "exact" in (qa.qualifier, qb.qualifier)
        and qa.qualifier
        and qb.qualifier
        and qa.qualifier != qb.qualifier
    ):
        reasons.append(f"the qualifiers differ ({qa.qualifier} vs {qb.qualifier})")
    working_a = "working" in (qa.written_unit or "")
    working_b = "working" in (qb.written_unit or "")
    if working_a != working_b:
        reasons.append(f"{qa.written_unit} vs {qb.written_unit}: working days are not calendar days")
    if qa.currency != qb.currency:
        reasons.append(f"compared at the given exchange rates ({qa.currency}, {qb.currency})")
        diverges = len(reasons) > 1
    else:
        diverges = bool(reasons)
    if not diverges and not reasons:
        reasons.append(f"same: {qa.describe()} and {qb.describe()}")
    return ParameterDivergence(kind, qa, qb, diverges, ratio, "; ".join(reasons))


# --- provisions: compare within corresponding sub-provisions --------------------------------------------

PartSimilarity = Callable[[SubProvision, SubProvision], float]


@dataclass(slots=True)
class ProvisionComparison:
    """The quantities of two provisions and how those of corresponding sub-provisions compare.

    ``parts`` lists the aligned sub-provisions as (source label, target label) pairs. ``to_dict`` gives
    the shape stored on a mapping and read by the app: ``source``, ``target``, ``divergences`` and
    ``diverging`` (True when some value differs between two quantities both sides set), plus ``parts``.
    """

    source: list[Quantity]
    target: list[Quantity]
    divergences: list[ParameterDivergence]
    parts: list[tuple[str, str]]

    @property
    def diverging(self) -> bool:
        return any(d.diverges and d.source is not None and d.target is not None for d in self.divergences)

    def to_dict(self) -> dict[str, Any]:
        return {
            "source": [q.to_dict() for q in self.source],
            "target": [q.to_dict() for q in self.target],
            "divergences": [d.to_dict() for d in self.divergences],
            "diverging": self.diverging,
            "parts": [list(p) for p in self.parts],
        }


def compare_provisions(
    source_text: str,
    source_language: str | None,
    target_text: str,
    target_language: str | None,
    *,
    similarity: PartSimilarity | None = None,
    rates: dict[str, float] | None = None,
    rel_tol: float = 0.02,
) -> ProvisionComparison:
    """Compare the quantities of two provisions, only between sub-provisions that correspond.

    Both texts are cut into sub-provisions (:func:`~concord.engine.subprovisions.split_subprovisions`:
    subsections, paragraphs, or sentences) and the parts are aligned
    (:func:`~concord.engine.subprovisions.align_subprovisions`) with ``similarity`` (e.g. the cosine of
    the parts' embeddings; see :func:`sentence_similarity`) or, without it, with the label, the kinds of
    quantity the parts hold, shared digits and position. Quantities are then paired and compared as in
    :func:`compare_parameters`, but only inside an aligned pair of parts, so a time limit in one
    subsection never meets a fine in another, and a penalty meets only a penalty of the corresponding
    offence (its part states the offence). Quantities of parts with no counterpart are listed, not
    compared. Each divergence names the two parts (``source_part``, ``target_part``).
    """
    parts_a, per_part_a = _read_parts(source_text, source_language)
    parts_b, per_part_b = _read_parts(target_text, target_language)
    groups_a, groups_b = group_subprovisions(parts_a, source_text), group_subprovisions(parts_b, target_text)
    in_group_a = [[k for k, p in enumerate(parts_a) if g.start <= p.start < g.end] for g in groups_a]
    in_group_b = [[k for k, p in enumerate(parts_b) if g.start <= p.start < g.end] for g in groups_b]

    def signature(per_part: list[tuple[Quantity, ...]], members: list[int]) -> frozenset[tuple[Any, ...]]:
        return frozenset((q.kind, q.role, q.scope) for k in members for q in per_part[k])

    def evidence_from(x: list[frozenset[tuple[Any, ...]]], y: list[frozenset[tuple[Any, ...]]]) -> Any:
        return lambda i, j: len(x[i] & y[j]) / len(x[i] | y[j]) if x[i] and y[j] else 0.0

    def similarity_of(a: list[SubProvision], b: list[SubProvision]) -> Any:
        return None if similarity is None else (lambda i, j: similarity(a[i], b[j]))

    if len(groups_a) == 1 or len(groups_b) == 1:
        # One side is a single part, so it corresponds to the whole of the other (the provisions matched):
        # compare the two whole provisions, paragraph by paragraph where the paragraphs align.
        groups_a, groups_b = groups_a[:1], groups_b[:1]
        in_group_a, in_group_b = [list(range(len(parts_a)))], [list(range(len(parts_b)))]
        group_pairs = [(0, 0)]
    else:
        evidence = evidence_from(
            [signature(per_part_a, m) for m in in_group_a], [signature(per_part_b, m) for m in in_group_b]
        )
        group_pairs = [
            (p.source, p.target)
            for p in align_subprovisions(
                groups_a, groups_b, similarity=similarity_of(groups_a, groups_b), evidence=evidence
            )
        ]
    label_a = {id(q): parts_a[k].label for k, qs in enumerate(per_part_a) for q in qs}
    label_b = {id(q): parts_b[k].label for k, qs in enumerate(per_part_b) for q in qs}

    def labelled(d: ParameterDivergence) -> ParameterDivergence:
        d.source_part = label_a[id(d.source)] if d.source is not None else None
        d.target_part = label_b[id(d.target)] if d.target is not None else None
        return d

    compared: list[ParameterDivergence] = []  # both sides set the quantity
    alone: list[ParameterDivergence] = []  # one side only, in parts that correspond
    parts_compared: list[tuple[str, str]] = []
    for gi, gj in group_pairs:
        la = [parts_a[k] for k in in_group_a[gi]]
        lb = [parts_b[k] for k in in_group_b[gj]]
        qa_of = [per_part_a[k] for k in in_group_a[gi]]
        qb_of = [per_part_b[k] for k in in_group_b[gj]]
        leaf_pairs = align_subprovisions(
            la,
            lb,
            similarity=similarity_of(la, lb),
            evidence=evidence_from([_signature(q) for q in qa_of], [_signature(q) for q in qb_of]),
        )
        # Pass 1: quantities of corresponding paragraphs; pass 2: what is left, within the subsection.
        used: set[int] = set()
        for pair in leaf_pairs:
            parts_compared.append((la[pair.source].label, lb[pair.target].label))
            for d in compare_parameters(
                list(qa_of[pair.source]), list(qb_of[pair.target]), rates=rates, rel_tol=rel_tol
            ):
                if d.source is not None and d.target is not None:
                    compared.append(labelled(d))
                    used |= {id(d.source), id(d.target)}
        left_a = [q for qs in qa_of for q in qs if id(q) not in used]
        left_b = [q for qs in qb_of for q in qs if id(q) not in used]
        for d in compare_parameters(left_a, left_b, rates=rates, rel_tol=rel_tol):
            (compared if d.source is not None and d.target is not None else alone).append(labelled(d))
    # Pass 3: a quantity left alone may have a same-valued twin in a part that did not align (converted
    # text moves marginal notes and "Penalty:" lines about). An equal value there is agreement; a
    # different one is not compared at all, since the parts do not correspond.
    used = {id(q) for d in compared for q in (d.source, d.target) if q is not None}
    spare_a = [q for qs in per_part_a for q in qs if id(q) not in used]
    spare_b = [q for qs in per_part_b for q in qs if id(q) not in used]
    for d in compare_parameters(spare_a, spare_b, rates=rates, rel_tol=rel_tol):
        if d.source is not None and d.target is not None and not d.diverges:
            compared.append(labelled(d))
            used |= {id(d.source), id(d.target)}
    alone = [d for d in alone if id(d.source if d.source is not None else d.target) not in used]
    return ProvisionComparison(
        [q for qs in per_part_a for q in qs],
        [q for qs in per_part_b for q in qs],
        sorted(compared + alone, key=_order),
        parts_compared,
    )


def _order(d: ParameterDivergence) -> tuple[int, float, float]:
    return (
        KINDS.index(d.kind),
        d.source.start if d.source is not None else math.inf,
        d.target.start if d.target is not None else math.inf,
    )


@lru_cache(maxsize=2048)
def _read_parts(text: str, language: str | None) -> tuple[list[SubProvision], list[tuple[Quantity, ...]]]:
    """The sub-provisions of ``text`` and the quantities in each (a quantity belongs to the part it starts
    in). Cached: harmonize compares one provision with several candidates."""
    parts = split_subprovisions(text) or [SubProvision("", 0, len(text), text, False, 0.5)]
    quantities = extract_parameters(text, language)
    per_part = [
        tuple(q for q in quantities if p.start <= q.start < p.end or (k == 0 and q.start < p.start))
        for k, p in enumerate(parts)
    ]
    return parts, per_part


def _signature(quantities: tuple[Quantity, ...]) -> frozenset[tuple[str, str | None, str | None]]:
    return frozenset((q.kind, q.role, q.scope) for q in quantities)


def sentence_similarity(
    source_sentences: Sequence[Any],
    source_vectors: Any,
    target_sentences: Sequence[Any],
    target_vectors: Any,
) -> PartSimilarity | None:
    """A part similarity from sentence embeddings the caller already has (harmonize encodes every sentence).

    ``*_sentences`` have ``start`` and ``end`` offsets into the provision; ``*_vectors`` holds one
    normalised row per sentence. A part's vector is the mean of the sentences it overlaps; the similarity
    is the cosine of the two. None when the vectors do not match the sentences one to one.
    """
    va, vb = np.asarray(source_vectors, dtype=float), np.asarray(target_vectors, dtype=float)
    if va.ndim != 2 or vb.ndim != 2 or len(va) != len(source_sentences) or len(vb) != len(target_sentences):
        return None
    if not len(va) or not len(vb):
        return None

    def pooled(part: SubProvision, sentences: Sequence[Any], vectors: np.ndarray) -> np.ndarray:
        rows = [k for k, s in enumerate(sentences) if s.start < part.end and part.start < s.end]
        vector = vectors[rows].mean(axis=0) if rows else vectors.mean(axis=0)
        norm = float(np.linalg.norm(vector))
        return vector / norm if norm else vector

    def similarity(a: SubProvision, b: SubProvision) -> float:
        return float(pooled(a, source_sentences, va) @ pooled(b, target_sentences, vb))

    return similarity
