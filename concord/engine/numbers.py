"""Numbers as laws write them: digits, and number words in English, Malay and Urdu.

Used by :mod:`concord.engine.parameters`. :func:`find_numbers` returns each number with its character span
in the input, so that callers can cite exactly what they read.

- Digits: ``72``, ``1,000,000``, ``1,000,000.00``, the South Asian grouping ``10,00,000``, the Indonesian
  ``1.000.000``, decimals, and Urdu/Arabic-Indic digits (۰-۹, ٠-٩).
- Words: "seventy-two" (also "seventy two", "seventytwo"), "one hundred and twenty", "tujuh puluh dua",
  "lapan belas", "seratus ribu", "بہتر",
  with scales (thousand/ribu/ہزار, lakh/لاکھ, million/juta/ملین, crore/کروڑ, billion/bilion/ارب).
- Digits followed by a scale: "5 million", "RM1 juta", "Rs 50 lakh", "1.5m".
- A number repeated in brackets counts once: "fourteen (14) days", "14 (fourteen) days".
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# Digits of other scripts, mapped one to one so that character offsets survive.
_DIGITS = str.maketrans("۰۱۲۳۴۵۶۷۸۹٠١٢٣٤٥٦٧٨٩٫٬", "01234567890123456789.,")
_OTHER_DIGITS = re.compile("[۰-۹٠-٩٫٬]")

# word -> (role, value). Roles: "n" a number, "hundred", "tens" (Malay puluh), "teen" (Malay belas),
# "scale" (thousand and up).
NUMBER_WORDS: dict[str, tuple[str, float]] = {}


def _add(role: str, words: str, values: list[float] | None = None, start: int = 0) -> None:
    for i, word in enumerate(words.split()):
        NUMBER_WORDS[word] = (role, values[i] if values else float(start + i))


_add(
    "n",
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen "
    "sixteen seventeen eighteen nineteen",
)
_add("n", "twenty thirty forty fifty sixty seventy eighty ninety", [20, 30, 40, 50, 60, 70, 80, 90])
# Compounds written as one word, as older and OCR'd texts do ("twentyfive"): a spelling of "twenty-five".
_TENS = ["twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]
_UNITS = ["one", "two", "three", "four", "five", "six", "seven", "eight", "nine"]
for _t, _tens in enumerate(_TENS, 2):
    for _u, _unit in enumerate(_UNITS, 1):
        NUMBER_WORDS[_tens + _unit] = ("n", float(10 * _t + _u))
_add("n", "kosong satu dua tiga empat lima enam tujuh lapan sembilan sepuluh sebelas")
_add("n", "delapan seratus seribu sejuta", [8, 100, 1000, 1e6])  # delapan: Indonesian eight
_add(
    "n", "ایک دو تین چار پانچ چھ سات آٹھ نو دس گیارہ بارہ تیرہ چودہ پندرہ سولہ سترہ اٹھارہ انیس بیس", start=1
)
# Urdu has a word for every number up to a hundred. "اسی" (80) is left out: written without its shadda it
# is the everyday "that very" ("اسی دن", that same day); "اسّی" and digits still read as 80.
_add(
    "n",
    "اکیس بائیس تئیس چوبیس پچیس چھبیس ستائیس اٹھائیس انتیس تیس اکتیس بتیس تینتیس چونتیس پینتیس چھتیس "
    "سینتیس اڑتیس انتالیس چالیس اکتالیس بیالیس تینتالیس چوالیس پینتالیس چھیالیس سینتالیس اڑتالیس انچاس "
    "پچاس اکاون باون ترپن چون پچپن چھپن ستاون اٹھاون انسٹھ ساٹھ اکسٹھ باسٹھ ترسٹھ چونسٹھ پینسٹھ چھیاسٹھ "
    "سڑسٹھ اڑسٹھ انہتر ستر اکہتر بہتر تہتر چوہتر پچہتر چھہتر ستتر اٹھہتر اناسی",
    start=21,
)
_add(
    "n",
    "اسّی اکیاسی بیاسی تراسی چوراسی پچاسی چھیاسی ستاسی اٹھاسی نواسی نوے اکانوے بانوے ترانوے چورانوے "
    "پچانوے چھیانوے ستانوے اٹھانوے ننانوے",
    start=80,
)
_add("n", "چھے ڈیڑھ ڈھائی", [6, 1.5, 2.5])  # a spelling of six; one and a half; two and a half
_add("hundred", "hundred ratus سو", [100, 100, 100])
_add("tens", "puluh", [10])
_add("teen", "belas", [10])
_add(
    "scale",
    "thousand ribu ہزار lakh lakhs lac lacs لاکھ million juta ملین crore crores کروڑ "
    "billion bilion miliar ارب بلین trillion trilion",
    [
        1e3,
        1e3,
        1e3,
        1e5,
        1e5,
        1e5,
        1e5,
        1e5,
        1e6,
        1e6,
        1e6,
        1e7,
        1e7,
        1e7,
        1e9,
        1e9,
        1e9,
        1e9,
        1e9,
        1e12,
        1e12,
    ],
)
# Abbreviated scales, only when glued to digits ("RM1.5m", "USD2bn").
_GLUED_SCALES = {"m": 1e6, "mil": 1e6, "mn": 1e6, "bn": 1e9, "b": 1e9, "k": 1e3}

# Only digits and the words that can be part of a number are tokens; whatever else lies between two
# tokens shows in the gap between them, and a gap with letters in it ends a number.
_TOKEN = re.compile(
    r"(?P<num>\d{1,3}(?:,\d{2})*(?:,\d{3})+(?:\.\d+)?(?!\d)|\d{1,3}(?:\.\d{3}){2,}(?![\d.])|\d+(?:\.\d+)?)"
    r"|(?<![^\W\d_])(?P<word>"
    + "|".join(sorted(map(re.escape, [*NUMBER_WORDS, *_GLUED_SCALES, "and"]), key=lambda w: (-len(w), w)))
    + r")(?![^\W\d_])"
)


@dataclass(frozen=True, slots=True)
class Number:
    """A number found in text: its value and the span ``text[start:end]`` it was read from."""

    value: float
    start: int
    end: int
    words: bool  # written in words (at least in part)


def normalise_digits(text: str) -> str:
    """Map Urdu and Arabic-Indic digits and separators to ASCII, keeping every character's offset."""
    return text if text.isascii() or not _OTHER_DIGITS.search(text) else text.translate(_DIGITS)


def _digit_value(token: str) -> float:
    if token.count(".") >= 2:  # 1.000.000
        return float(token.replace(".", ""))
    return float(token.replace(",", ""))


def _combine(parts: list[tuple[str, float]]) -> float:
    """Value of a run of number parts, e.g. [("n", 7), ("tens", 10), ("n", 2)] -> 72.

    ``last`` is the last single number read, the one a following "puluh", "ratus" or "hundred" multiplies:
    "seribu tiga ratus" is 1000 + 3 x 100, "dua ratus lima puluh" is 2 x 100 + 5 x 10.
    """
    total = current = last = 0.0
    for role, value in parts:
        if role == "n":
            current += value
            last = value
        elif role == "tens":
            current += last * 9 if last else 10
            last = 0.0
        elif role == "teen":
            current += 10
            last = 0.0
        elif role == "hundred":
            current = current + last * 99 if last else (current or 1) * 100
            last = 0.0
        else:  # a scale: thousand, lakh, juta, crore, billion
            total += (current or 1) * value
            current = last = 0.0
    return total + current


def find_numbers(text: str) -> list[Number]:
    """Find the numbers in ``text``, written in digits, in words or both, with their spans."""
    norm = normalise_digits(text).lower() if len(text.lower()) == len(text) else normalise_digits(text)
    tokens = [(m.lastgroup or "", m.group(), m.start(), m.end()) for m in _TOKEN.finditer(norm)]
    found: list[Number] = []
    i = 0
    while i < len(tokens):
        kind, tok, start, end = tokens[i]
        parts: list[tuple[str, float]] = []
        words = False
        j = i
        if kind == "num":
            parts.append(("n", _digit_value(tok)))
            j = i + 1
            # a scale right after the digits: "5 million", "1juta", "1.5m"
            if j < len(tokens) and tokens[j][0] == "word" and _gap_ok(norm, end, tokens[j][2], digits=True):
                word = tokens[j][1]
                if NUMBER_WORDS.get(word, ("", 0))[0] == "scale":
                    parts.append(("scale", NUMBER_WORDS[word][1]))
                    end = tokens[j][3]
                    words = True
                    j += 1
                elif word in _GLUED_SCALES and tokens[j][2] == end:
                    parts.append(("scale", _GLUED_SCALES[word]))
                    end = tokens[j][3]
                    j += 1
        elif kind == "word" and tok in NUMBER_WORDS:
            words = True
            cursor = start
            while j < len(tokens):
                jkind, jtok, jstart, jend = tokens[j]
                if jkind != "word" or (j > i and not _gap_ok(norm, cursor, jstart)):
                    break
                if jtok in NUMBER_WORDS:
                    role = NUMBER_WORDS[jtok][0]
                    if j == i and role in ("tens", "teen"):
                        break  # "puluh" alone is not a number
                    parts.append(NUMBER_WORDS[jtok])
                    end = cursor = jend
                    j += 1
                elif (
                    jtok == "and"
                    and j + 1 < len(tokens)
                    and tokens[j + 1][1] in NUMBER_WORDS
                    and parts
                    and parts[-1][0] in ("hundred", "scale")
                ):
                    cursor = jend  # "one hundred and twenty"
                    j += 1
                else:
                    break
        if not parts:
            i += 1
            continue
        value = _combine(parts)
        end = _skip_repeat(norm, end, value)
        found.append(Number(value, start, end, words))
        while j < len(tokens) and tokens[j][2] < end:
            j += 1
        i = max(j, i + 1)
    return found


def _gap_ok(norm: str, end: int, start: int, *, digits: bool = False) -> bool:
    gap = norm[end:start]
    return gap.strip() in ("", "-") and len(gap) <= 3 and (not digits or "-" not in gap)


_REPEAT = re.compile(r"\s*\(([^()]{1,60})\)")


def _skip_repeat(norm: str, end: int, value: float) -> int:
    """Extend ``end`` over a bracketed repeat of the same number: "fourteen (14)", "14 (fourteen)"."""
    match = _REPEAT.match(norm, end)
    if not match:
        return end
    inner = find_numbers(match.group(1))
    if len(inner) == 1 and inner[0].value == value and not match.group(1)[inner[0].end :].strip(" -"):
        return match.end()
    return end


def parse_number(text: str) -> float | None:
    """The value of ``text`` if it is exactly one number ("seventy-two", "RM"-less "1,000"), else None."""
    found = find_numbers(text)
    if len(found) == 1 and not text[: found[0].start].strip() and not text[found[0].end :].strip():
        return found[0].value
    return None
