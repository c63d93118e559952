"""The words quantities are read by (:mod:`concord.engine.quantities`): units, currencies, count nouns and
the cue phrases around a number (qualifiers, ages, imprisonment, daily and repeat-offence fines, vague time
limits), in English, Malay and Urdu.

Only data and compiled patterns live here, so that a word can be added without reading the extraction code.
"""

from __future__ import annotations

import re


def words(text: str) -> list[str]:
    return text.split()


# --- units and currencies ---------------------------------------------------------------------------
# word -> (canonical unit, plural-aware). Durations as written; normalised through HOURS.
DURATION_UNITS = {
    **dict.fromkeys(words("hour hours hr hrs jam گھنٹے گھنٹہ گھنٹوں گھنٹا"), "hour"),
    **dict.fromkeys(words("minute minutes mins minit منٹ منٹوں"), "minute"),
    **dict.fromkeys(words("day days hari دن دنوں یوم ایام"), "day"),
    **dict.fromkeys(words("week weeks minggu ہفتے ہفتہ ہفتوں"), "week"),
    **dict.fromkeys(words("month months bulan مہینے مہینہ مہینوں ماہ"), "month"),
    **dict.fromkeys(words("year years tahun سال سالوں برس"), "year"),
}
# One-word Malay forms that carry their own "one": sehari, sebulan...
SE_UNITS = {"sejam": "hour", "sehari": "day", "seminggu": "week", "sebulan": "month", "setahun": "year"}
# Words that qualify days: working days are not calendar days, and notes say so.
DAY_ADJECTIVES = {
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
WORKING_AFTER = re.compile(r"\s+(bekerja|kerja|kalendar|berturut-turut)(?![^\W\d_])")
CURRENCY_WORDS = {
    **dict.fromkeys(words("ringgit رنگٹ"), ("MYR", 1.0)),
    "sen": ("MYR", 0.01),
    **dict.fromkeys(words("rupees rupee روپے روپیہ روپوں روپئے"), ("PKR", 1.0)),
    **dict.fromkeys(words("paisa paise پیسے"), ("PKR", 0.01)),
    **dict.fromkeys(words("dollars dollar dolar ڈالر"), ("USD", 1.0)),
}
CURRENCY_PREFIX = re.compile(
    r"(?<![^\W\d_])(?P<cur>rm|myr|pkr|rs\.?|inr|usd|us\s?\$|\$|sgd|s\$|eur|€|gbp|£|idr|rp\.?|rupees|ringgit)"
    r"\s*$"
)
PREFIX_CODES = {
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
PERCENT = re.compile(r"\s*(?:%|٪|per\s*cent(?:um)?\b|percent\b|peratus\b|فیصد)")
COUNT_NOUNS = {
    **dict.fromkeys(words("member members ahli anggota رکن ارکان اراکین"), "member"),
    **dict.fromkeys(words("person persons people individuals orang افراد اشخاص"), "person"),
    **dict.fromkeys(words("director directors pengarah"), "director"),
    **dict.fromkeys(words("employee employees workers pekerja"), "employee"),
    **dict.fromkeys(words("officer officers pegawai"), "officer"),
    **dict.fromkeys(words("representative representatives wakil"), "representative"),
    **dict.fromkeys(words("commissioner commissioners pesuruhjaya"), "commissioner"),
    **dict.fromkeys(words("copy copies salinan"), "copy"),
    **dict.fromkeys(words("times occasions kali مرتبہ بار"), "time"),
    **dict.fromkeys(words("subscribers pelanggan"), "subscriber"),
    **dict.fromkeys(words("users pengguna"), "user"),
    **dict.fromkeys(words("meetings mesyuarat اجلاس"), "meeting"),
}

OR_MORE = re.compile(r"\s+(?:or|atau)\s+(?:more|fewer|less|lebih|kurang)(?![^\W\d_])")
COUNT_ADJECTIVES = frozenset(words("other additional further independent consecutive"))
Q = r"(?<![^\W\d_])"  # phrase starts at a word edge
FILLER = (
    r"(?:\s+(?:a|an|the|period|term|total|sum|amount|maximum|minimum|age|of|tempoh|masa|umur|usia|"
    r"berumur|berusia|selama|jumlah|sebanyak|sejumlah|amaun|wang|denda|fine))*\s*"
)
MAX_BEFORE = re.compile(
    Q + r"(?:not\s+exceeding|not\s+to\s+exceed|not\s+exceed|shall\s+not\s+exceed|not\s+more\s+than|"
    r"no\s+more\s+than|not\s+longer\s+than|no\s+longer\s+than|up\s+to|upto|maximum\s+of|at\s+most|"
    r"within|not\s+(?:be(?:ing)?\s+)?(?:more|longer|later)\s+than|no\s+later\s+than|(?<!not\s)(?<!no\s)less\s+than|under|below|(?:may\s+)?extend(?:ing)?\s+to|"
    r"tidak(?:lah)?\s+(?:boleh\s+|akan\s+)?(?:melebihi|lebih\s+(?:daripada|dari))|tidak\s+lewat\s+(?:daripada|dari)|"
    r"selewat-lewatnya|dalam\s+(?:tempoh|masa|jangka\s+masa)|sehingga|hingga|maksimum|paling\s+lama|paling\s+banyak|sebanyak-banyaknya|"
    r"(?<!tidak\s)kurang\s+(?:daripada|dari)|di\s+bawah|bawah|زیادہ\s+سے\s+زیادہ)" + FILLER + "$"
)
MIN_BEFORE = re.compile(
    Q + r"(?:at\s+least|not\s+(?:be(?:ing)?\s+)?(?:less|fewer)\s+than|no\s+(?:less|fewer)\s+than|"
    r"minimum\s+of|(?<!not\s)(?<!no\s)more\s+than|(?<!not\s)exceeding|over|above|sekurang-kurangnya|"
    r"tidak(?:lah)?\s+(?:boleh\s+|akan\s+)?kurang\s+(?:daripada|dari)|minimum|(?<!tidak\s)lebih\s+(?:daripada|dari)|(?<!tidak\s)melebihi|"
    r"di\s+atas|کم\s+از\s+کم|کم\s+سے\s+کم)" + FILLER + "$"
)
EXACT_BEFORE = re.compile(Q + r"(?:exactly|precisely|tepat|genap)" + FILLER + "$")
MAX_AFTER = re.compile(
    r"\s*(?:or\s+less|or\s+under|or\s+younger|atau\s+kurang|سے\s+زیادہ\s+نہ|تک|"
    r"سے\s+کم(?!\s+نہ)|کے\s+اندر|میں\s+اندر|اندر)"
)
MIN_AFTER = re.compile(
    r"\s*(?:or\s+more|or\s+over|or\s+above|or\s+older|and\s+above|and\s+over|"
    r"atau\s+lebih|dan\s+ke\s+atas|ke\s+atas|سے\s+کم\s+نہ|سے\s+زیادہ(?!\s+نہ))"
)

# "tahun 1965", "tahun seribu sembilan ratus ...", "hari bulan Ogos": a date, not a duration.
DATE_AFTER = re.compile(r"\s+(?:\d{4}(?!\d)|seribu\s|dua\s+ribu|bulan(?![^\W\d_]))")
# "empat peratus setahun", "kadar sebulan", "sekali setahun": a rate per year or month, not a time limit.
RATE_BEFORE = re.compile(r"(?:peratus|%|kadar|sekali|kali)\s*$")
# "... for every day the offence continues" after an amount, with no other amount or fine in between.
DAILY_AFTER = re.compile(
    r"(?:(?!fine|denda|\d)[^.;]){0,40}?(?:for\s+(?:every|each)\s+day|bagi\s+(?:setiap|tiap-?\s*tiap)\s+hari|"
    r"untuk\s+(?:setiap|tiap-?\s*tiap)\s+hari|ہر\s+(?:ایک\s+)?دن|یومیہ)"
)
SUBSEQUENT = re.compile(
    r"second\s+or\s+subsequent|subsequent\s+(?:offence|conviction)|kali\s+kedua|yang\s+berikutnya|"
    r"kesalahan\s+berikutnya|دوسری\s+(?:بار|مرتبہ)|دوبارہ\s+جرم"
)
SENTENCE_END = re.compile(r"[.;!?۔؛](?=\s)|[.;!?۔؛]$")

IMPRISONMENT = re.compile(r"(?:im)?prison\w*|jail|gaol|penjara\w*|pemenjaraan|memenjarakan|قید")
IMPRISONMENT_AFTER = re.compile(r"['’]?\s*(?:imprisonment|penjara|(?:تک\s+)?(?:کی\s+)?(?:سزائے\s+)?قید)")
AGE_BEFORE = re.compile(
    Q + r"(?:age|aged|umur|berumur|berusia|usia|عمر)(?:\s+(?:of|is|not|less|than|below|under|above|"
    r"at|least|exceeding|more|sekurang-kurangnya|di|atas|bawah|tidak|kurang|daripada|dari|lebih|melebihi))*\s*$"
)
AGE_AFTER = re.compile(r"\s*(?:of\s+age|old\b|umur\b|کی\s+عمر|سے\s+کم\s+عمر|سے\s+زیادہ\s+عمر|عمر)")
ROLES = (
    ("fine", re.compile(r"fine|denda|جرمانہ|جرمانے")),
    ("compensation", re.compile(r"compensation|pampasan|damages|معاوضہ")),
    ("fee", re.compile(r"\bfees?\b|\bfi\b|yuran|فیس")),
)
CLAUSE_END = re.compile(r"[.;:!?۔؛]|\bor\s+to\b|\batau\s+kepada\b|\band\b|\bdan\b")

VAGUE = re.compile(
    Q + r"(?:without\s+(?:undue\s+|unreasonable\s+|unnecessary\s+)?delay|promptly|forthwith|"
    r"immediately(?!\s+(?:before|after|preceding|following|succeeding|prior))|"
    r"as\s+soon\s+as\s+(?:is\s+)?(?:reasonably\s+)?(?:practicable|possible|feasible|may\s+be)|"
    r"within\s+a\s+reasonable\s+(?:time|period)|in\s+a\s+timely\s+(?:manner|fashion)|"
    r"dengan\s+segera|dengan\s+kadar\s+segera|(?:dengan\s+)?serta-\s*merta|"
    r"tanpa\s+(?:kelewatan|kelengahan)(?:\s+yang\s+tidak\s+(?:wajar|munasabah|perlu))?|tanpa\s+berlengah|"
    r"(?:dengan\s+)?(?:secepat|seberapa\s+segera)\s+(?:mungkin|yang\s+(?:boleh|mungkin|praktik|dapat)"
    r"(?:\s+(?:dilaksanakan|dipraktikkan))?)|"
    r"dalam\s+(?:suatu\s+)?(?:tempoh|masa)\s+yang\s+munasabah|فوری\s+طور\s+پر|فوراً|بلا\s*تاخیر|بغیر\s+کسی\s+تاخیر|"
    r"غیر\s+ضروری\s+تاخیر\s+کے\s+بغیر|جلد\s+از\s+جلد)"
)

WORD = re.compile(r"[^\W\d_]+|%|٪")
