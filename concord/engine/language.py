"""Language detection for provisions: English, Malay or Urdu, fast and without a model.

Two steps, both cheap enough for thousands of provisions a second:

1. **Script.** Letters are counted by Unicode script. Arabic script goes to step 2a; Latin script to step
   2b; any other script (Han, Cyrillic, Devanagari, ...) is not supported and raises
   :class:`~concord.engine.errors.UnsupportedLanguageError` naming the script.
2. a. **Arabic script**: Urdu is told from Arabic, Persian, Pashto and Sindhi by the letters only Urdu uses
      together (ٹ ڈ ڑ ں ے ھ ہ), the letters the others use (Arabic ة ي ك, Pashto ټ ډ ړ ښ, ...) and stopwords.
   b. **Latin script**: English against Malay against other Latin-script languages by stopwords (weighted),
      word shapes (Malay affixes *meN-*, *ber-*, *-kan*, *-nya*; English *-tion*, *-ment*, *th*) and a small
      lexicon of legal and policy words, so that one-word headings ("Interpretation", "Tafsiran") come out
      right. Text without spaces (old Malay scans glue words together) falls back on character n-grams.

Indonesian is reported as ``'ms'``: the two are close enough that Concord's Malay tools serve both, and
their few distinguishing words (*bahwa*/*bahawa*, *karena*/*kerana*, *pasal*/*seksyen*) are scored for
Malay. Quoted passages (for example English statutory text quoted in a Malay amending bill) weigh less
than the text around them: a provision's language is the language it is written in, not the one it quotes.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections import Counter

from .errors import LanguageError, NoLanguageError, UnsupportedLanguageError

SUPPORTED = ("en", "ms", "ur")

LANGUAGE_NAMES = {
    "en": "English",
    "ms": "Malay",
    "ur": "Urdu",
    "ar": "Arabic",
    "fa": "Persian",
    "ps": "Pashto",
    "sd": "Sindhi",
    "fr": "French",
    "de": "German",
    "es": "Spanish",
    "pt": "Portuguese",
    "it": "Italian",
    "nl": "Dutch",
    "tr": "Turkish",
    "vi": "Vietnamese",
    "tl": "Tagalog",
    "sw": "Swahili",
    "pl": "Polish",
}

# Unicode name prefix of a letter -> a human description of the script family.
SCRIPT_NAMES = {
    "CJK": "Chinese (Han script)",
    "HIRAGANA": "Japanese (kana)",
    "KATAKANA": "Japanese (kana)",
    "HANGUL": "Korean (Hangul script)",
    "CYRILLIC": "a Cyrillic-script language such as Russian",
    "GREEK": "Greek",
    "HEBREW": "Hebrew",
    "DEVANAGARI": "Hindi or another Devanagari-script language",
    "BENGALI": "Bengali",
    "GURMUKHI": "Punjabi (Gurmukhi script)",
    "GUJARATI": "Gujarati",
    "TAMIL": "Tamil",
    "TELUGU": "Telugu",
    "KANNADA": "Kannada",
    "MALAYALAM": "Malayalam",
    "SINHALA": "Sinhala",
    "THAI": "Thai",
    "LAO": "Lao",
    "KHMER": "Khmer",
    "MYANMAR": "Burmese (Myanmar script)",
    "GEORGIAN": "Georgian",
    "ARMENIAN": "Armenian",
    "ETHIOPIC": "Amharic or another Ethiopic-script language",
    "TIBETAN": "Tibetan",
    "THAANA": "Dhivehi (Thaana script)",
    "SYRIAC": "Syriac",
    "MONGOLIAN": "Mongolian",
}

_SUPPORTED_SENTENCE = "Concord supports English, Malay and Urdu"


def _words(text: str) -> list[str]:
    return text.split()


# --- Latin script -----------------------------------------------------------------------------------
# Stopwords and very common legal words, weight 1 unless given. Words shared by two languages score for
# both, so they cancel out rather than mislead.
_LATIN_WORDS: dict[str, str] = {
    "en": """the of and to in is be shall by for or any that this with which as on under such may an a from
        it its not are has have been where who whom person other if at than there into no these those all each
        upon within between whether section act means includes including provided made will would should
        must their they he she his her we our you your was were can also about more after before only but what
        when how does do being thereof therein hereby pursuant subsection paragraph minister commission
        interpretation application commencement short title amendment schedule part chapter regulations
        miscellaneous offence offences penalty penalties fine imprisonment liable information personal data
        protection processing user users service services provider providers communications government
        electronic digital signature certificate authority licence license agreement contract court order
        period days months years day month year power powers duty duties general principle principles
        rights right security notice notices purpose purposes consent record records public private exemption
        exemptions appeal appeals savings transitional repeal repealed definition definitions objects""",
    "ms": """yang dan di ke dari daripada pada untuk dengan dalam ini itu atau oleh bagi akan adalah ialah
        tidak boleh hendaklah mana apa seseorang sesuatu tersebut jika apabila sebagai kepada telah juga
        bahawa tetapi secara suatu satu semua setiap antara atas bawah melalui sebelum selepas hingga sehingga
        manakala iaitu ertinya termasuk menurut berkenaan seksyen akta menteri kerajaan orang perkara
        tertakluk subseksyen perenggan bahagian peruntukan ada mereka kami kita saya dia lain lagi sahaja
        hanya masa tempoh tahun bulan hari tafsiran pemakaian permulaan tajuk ringkas pindaan jadual bab
        peraturan pelbagai kesalahan penalti denda penjara dikenakan maklumat peribadi data perlindungan
        pemprosesan pengguna perkhidmatan pembekal komunikasi elektronik digital tandatangan perakuan pihak
        berkuasa lesen perjanjian kontrak mahkamah perintah kuasa tugas am prinsip hak keselamatan notis
        maksud tujuan persetujuan rekod awam swasta pengecualian rayuan kecualian peralihan pemansuhan
        dimansuhkan takrif suruhanjaya undang naskhah rang fasal susunan bernama diperbuat parlimen
        hendaklah dibaca disifatkan dinyatakan ditetapkan sebagaimana dikehendaki berhubung serta bahwa
        karena dapat pasal ayat yaitu merupakan dimaksud huruf pemerintah elaun minit tatacara tataamalan
        aduan daftar saksi asal salinan tulisan kumpulan wang akaun rizab meterai anggapan kandungan
        tempat pengiriman penerimaan penyimpanan dokumen bentuk penyampaian penyerahan lembaga ahli
        pengerusi setiausaha mesyuarat keputusan laporan belanjawan kewangan pinjaman cukai yuran bayaran
        pegawai pekerja jawatan gaji kontrak syarat kebenaran permohonan pendaftaran pembatalan penggantungan
        siasatan penyiasatan penguatkuasaan penggeledahan penyitaan pelucuthakan perlucuthakan pendakwaan
        keterangan saman waran tangkap bukti rahsia kerahsiaan akses pendedahan pemindahan pemberhentian
        pelantikan tanggungjawab kewajipan kelayakan syarikat pertubuhan perbadanan badan agensi jabatan
        negeri persekutuan negara rakyat warganegara kanak pendidikan latihan kemahiran penyelidikan
        pelaburan perdagangan ekonomi teknologi maklum balas sistem rangkaian kemudahan frekuensi spektrum
        penyiaran kandungan siaran kod amalan garis panduan dasar strategi pelan pesuruhjaya jawatankuasa
        penasihat anggota fungsi resit timbalan ketua pengarah ketua""",
    "fr": """le la les des et est une un dans pour qui que du au aux sur par ne pas sont ce cette ces être
        avec leur ou été article loi""",
    "de": """der die das und ist nicht mit von zu den dem ein eine für auf werden sich des im wird oder nach
        bei gesetz aus""",
    "es": """el la los las del y que en por con para una se es al como su sus lo ley artículo o sobre este
        esta""",
    "pt": """o os as do da dos das e em para com uma não por são ao pela pelo lei artigo ou que""",
    "it": """il di e che per un una del della dei delle è non sono con gli nel nella al alla legge
        articolo""",
    "nl": """de het een en van is dat op te voor niet met zijn worden wordt door bij aan ook wet artikel""",
    "tr": """ve bir bu için ile da de olarak olan veya gibi kanun madde ise""",
    "vi": """của và các là có được những trong cho không một này với người""",
    "tl": """ang ng mga sa na at ay ito para kung hindi siya""",
    "sw": """na ya wa za kwa katika ni la kama hii sheria""",
    "pl": """i w na z do że się nie jest to przez dla oraz ustawa""",
}

# Words ignored for scoring because every language borrows them (or they are too short to tell).
_NEUTRAL = frozenset(_words("data digital internet media bank status radio video online"))

# Extra weight for words that are almost never anything but their language.
_STRONG = {
    "en": {"the": 2.0, "shall": 2.0, "of": 1.5, "and": 1.5, "which": 1.5, "any": 1.2},
    "ms": {
        "yang": 2.0,
        "dan": 1.5,
        "hendaklah": 2.0,
        "daripada": 2.0,
        "tidak": 1.5,
        "dalam": 1.5,
        "bagi": 1.5,
        "ertinya": 2.0,
        "mana": 1.2,
        "apa": 1.2,
    },
}

_WORD_TABLE: dict[str, dict[str, float]] = {}
for _lang, _wordlist in _LATIN_WORDS.items():
    for _w in _wordlist.split():
        if _w in _NEUTRAL:
            continue
        _WORD_TABLE.setdefault(_w, {})[_lang] = _STRONG.get(_lang, {}).get(_w, 1.0)

_MS_AFFIX = re.compile(
    r"^(?:meng|meny|mem|men|me|ber|ter|di|peng|pem|pen|pe|per|ke|se)[a-z]{3,}(?:kan|an|nya|lah|i)$"
    r"|^[a-z]{3,}(?:kan|nya)$|^(?:memper|diper|keber|ketidak|pember|penge)[a-z]{3,}$"
)
_EN_AFFIX = re.compile(
    r"(?:tion|tions|sion|sions|ment|ments|ness|ity|ities|ance|ence|ship|ical|ally|ize|ized|ise|ised|"
    r"ised|ous|ive|able|ible|ing|ed|ly|ies|ful|less|ward|ure|ures|ery)$"
)
_EN_SHAPE = re.compile(r"th|wh|ph|ck|ee|oo|ou|qu|[xvz]|ght|[^aeiou]y$|w[^aeiou]|[^aeiou]e$|ed$|y[^aeiou]")
_MS_SHAPE = re.compile(r"ng|ny|kh|sy|^ber|^ter|^meng|^peng|kan$|nya$|ah$|[^ie]an$|uan$|aan$|^ke[^e]")
# Character n-grams for text whose words run together ("TiadaapapundalamAktaini").
_MS_GLUED = re.compile(r"yang|dalam|kan|nya|ng|apa|akta|ber|men|hendak|daripada")
_EN_GLUED = re.compile(r"the|tion|and|ing|th|ould|shall|which|ment")
_LATIN_TOKEN = re.compile(r"[^\W\d_]+")
_ANY_QUOTE = re.compile(r"[\"“”'‘’]")
_QUOTE_FAMILY = {'"': '"', "“": '"', "”": '"', "'": "'", "‘": "'", "’": "'"}

# Accented letters that point at a particular European language.
_ACCENTS = {
    "fr": "éèêàçùœëîï",
    "de": "äöüß",
    "es": "ñáíóú¿¡",
    "pt": "ãõçáâ",
    "tr": "şğıİ",
    "vi": "ăâđơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ",
    "pl": "łąęśźżńć",
}

# --- Arabic script ----------------------------------------------------------------------------------
_ARABIC_LETTERS = {
    "ur": "ٹڈڑںےھہۓ",
    "ar": "ةيكىأإؤ",
    "fa": "ژ",
    "ps": "ټډړښځڅږۍې",
    "sd": "ٻڄڇڃڀٺٽڦڪڳڱڍڌڏ",
}
_ARABIC_WORDS = {
    "ur": _words(
        "کے کی کا میں ہے اور سے کو پر یہ نہیں ہیں گا جو کہ بھی ایک وہ گی جائے کسی اس ان قانون حکومت"
    ),
    "ar": _words("في من على إلى أن التي الذي هذا عن مع هذه كان أو قانون المادة"),
    "fa": _words("است و در به از که این را با برای می شود آن یک قانون"),
    "ps": _words("د او په چې له دا کې هم"),
    "sd": _words("جي جو ۾ ۽ کي تي"),
}
_ARABIC_WORD_TABLE: dict[str, dict[str, float]] = {}
for _lang, _list in _ARABIC_WORDS.items():
    for _w in _list:
        _ARABIC_WORD_TABLE.setdefault(_w, {})[_lang] = 1.0
_ARABIC_TOKEN = re.compile(r"[\u0600-\u06FF\u0750-\u077F\uFB50-\uFDFF\uFE70-\uFEFF]+")
_ARABIC_RANGE = re.compile(r"[\u0600-\u06FF\u0750-\u077F\u08A0-\u08FF\uFB50-\uFDFF\uFE70-\uFEFF]")
# Letters only: no digits (٠-٩ ۰-۹), punctuation (، ؛ ؟ ۔ ٪) or vowel marks.
_ARABIC_LETTER = re.compile(
    r"[\u0620-\u064A\u066E-\u06D3\u06D5\u06EE\u06EF\u06FA-\u06FF\u0750-\u077F\u08A0-\u08C9"
    r"\uFB50-\uFDFF\uFE70-\uFEFC]"
)

_NON_ASCII = re.compile(r"[^\x00-\x7f]")
_ASCII_LETTER = re.compile(r"[A-Za-z]")

# How sure the Latin scorer must be before it overrules the caller's default (share of the evidence).
_MIN_EVIDENCE = 1.0
_MIN_MARGIN = 0.15


def _script_counts(text: str) -> Counter[str]:
    """Letters per script: ``LATIN``, ``ARABIC`` or the first word of the letter's Unicode name."""
    counts: Counter[str] = Counter()
    counts["LATIN"] = len(_ASCII_LETTER.findall(text))
    if text.isascii():
        return +counts
    counts["ARABIC"] = len(_ARABIC_LETTER.findall(text))
    for ch in _NON_ASCII.findall(text):
        if not ch.isalpha() or _ARABIC_RANGE.match(ch):
            continue
        name = unicodedata.name(ch, "")
        counts[name.split(" ", 1)[0] if name else "UNKNOWN"] += 1
    return +counts


def _latin_scores(text: str) -> dict[str, float]:
    """Evidence per Latin-script language: weighted stopwords, affixes, word shapes, accents."""
    lowered = text.lower()
    own, quoted = _split_quotes(lowered)
    scores: dict[str, float] = dict.fromkeys(_LATIN_WORDS, 0.0)
    _score_tokens(_LATIN_TOKEN.findall(own), scores, 1.0)
    if quoted:
        # Quotations weigh little when the text around them says enough on its own.
        weight = 0.2 if max(scores.values()) >= 2.0 else 1.0
        _score_tokens(_LATIN_TOKEN.findall(quoted), scores, weight)
    if not lowered.isascii():
        for lang, letters in _ACCENTS.items():
            n = sum(lowered.count(ch) for ch in letters)
            if n:
                scores[lang] += 1.5 * n
    return scores


def _split_quotes(text: str) -> tuple[str, str]:
    """Split ``text`` into what it says itself and what it quotes (between quotation marks).

    Quotations nest ('"term" means ...'): a mark closes the quotation only when it matches the one that
    opened it. A single quote inside a word is an apostrophe ("Minister's"), and one after a word with
    nothing open is a possessive ("years' "). An unclosed quotation runs to the end of the text.
    """
    if not _ANY_QUOTE.search(text):
        return text, ""
    own: list[str] = []
    quoted: list[str] = []
    stack: list[str] = []
    start = 0
    n = len(text)
    for match in _ANY_QUOTE.finditer(text):
        i = match.start()
        mark = _QUOTE_FAMILY[text[i]]
        if mark == "'":
            before = text[i - 1].isalnum() if i else False
            after = text[i + 1].isalnum() if i + 1 < n else False
            if before and after:
                continue  # an apostrophe inside a word
            closing = bool(stack) and stack[-1] == "'" and text[i] != "‘"
            if not closing and (before or text[i] == "’"):
                continue  # a possessive such as "years' ", or a stray closing mark
        else:
            closing = bool(stack) and stack[-1] == '"' and text[i] != "“"
            if text[i] == "”" and not closing:
                continue  # a stray closing mark
        (quoted if stack else own).append(text[start:i])
        if closing:
            stack.pop()
        else:
            stack.append(mark)
        start = i + 1
    (quoted if stack else own).append(text[start:])
    return " ".join(own), " ".join(quoted)


def _score_tokens(tokens: list[str], scores: dict[str, float], weight: float) -> None:
    table = _WORD_TABLE
    for tok in tokens:
        hit = table.get(tok)
        if hit is not None:
            for lang, w in hit.items():
                scores[lang] += w * weight
            continue
        n = len(tok)
        if n > 20:  # words run together: fall back on character n-grams
            scores["ms"] += 0.3 * weight * len(_MS_GLUED.findall(tok))
            scores["en"] += 0.3 * weight * len(_EN_GLUED.findall(tok))
            continue
        if n < 4 or not tok.isascii():
            continue
        en, ms = _word_shape(tok)
        scores["ms"] += ms * weight
        scores["en"] += en * weight


@functools.lru_cache(maxsize=1 << 16)
def _word_shape(tok: str) -> tuple[float, float]:
    """(English, Malay) evidence from the shape of a word the lexicon does not know."""
    ms = 0.6 if _MS_AFFIX.search(tok) else 0.0
    en = 0.6 if _EN_AFFIX.search(tok) else 0.0
    ms += 0.15 * len(_MS_SHAPE.findall(tok))
    en += 0.2 * len(_EN_SHAPE.findall(tok))
    return en, ms


def _arabic_scores(text: str) -> dict[str, float]:
    """Evidence per Arabic-script language: distinctive letters and stopwords."""
    scores = dict.fromkeys(_ARABIC_LETTERS, 0.0)
    for lang, letters in _ARABIC_LETTERS.items():
        scores[lang] += 0.5 * sum(text.count(ch) for ch in letters)
    for tok in _ARABIC_TOKEN.findall(text):
        hit = _ARABIC_WORD_TABLE.get(tok)
        if hit:
            for lang, w in hit.items():
                scores[lang] += 2.0 * w
    # Urdu writes Persian-style yeh and keheh (ی ک); Arabic writes ي ك. Both are common, so they are weak.
    persian_style = text.count("ی") + text.count("ک")
    scores["ur"] += 0.1 * persian_style
    scores["fa"] += 0.1 * persian_style
    return scores


def _normalise(scores: dict[str, float]) -> dict[str, float]:
    total = sum(scores.values())
    for lang in SUPPORTED:
        scores.setdefault(lang, 0.0)
    if total <= 0:
        return {lang: (1.0 / len(SUPPORTED) if lang in SUPPORTED else 0.0) for lang in scores}
    ordered = sorted(scores.items(), key=lambda kv: (-kv[1], kv[0]))
    return {lang: round(v / total, 6) for lang, v in ordered}


def _dominant_script(counts: Counter[str]) -> str:
    # Ties go to Latin, then Arabic, so that a stray foreign letter never decides.
    best = max(counts.items(), key=lambda kv: (kv[1], kv[0] == "LATIN", kv[0] == "ARABIC"))
    return best[0]


def detect_language_scores(text: str) -> dict[str, float]:
    """Return the share of the evidence for each language, highest first, summing to 1.

    Keys are ISO 639-1 codes; ``en``, ``ms`` and ``ur`` are always present, other languages only when the
    text's script makes them candidates (for Latin script: ``fr``, ``de``, ``es``...; for Arabic script:
    ``ar``, ``fa``, ``ps``, ``sd``). Text in a script Concord does not handle at all gets ``{"xx": 1.0}``
    plus zeros for the supported languages. Text with no letters gets equal shares of the three.
    """
    counts = _script_counts(text)
    if not counts:
        return _normalise({})
    script = _dominant_script(counts)
    if script == "LATIN":
        return _normalise(_latin_scores(text))
    if script == "ARABIC":
        return _normalise(_arabic_scores(text))
    return _normalise({"xx": 1.0})


def detect_language(text: str, *, default: str | None = None) -> str:
    """Return the language of ``text``: ``'en'``, ``'ms'`` or ``'ur'``.

    ``default`` is returned when the text gives too little evidence to tell English from Malay (a lone
    "Data" or "Internet"), and an Arabic-script text too short to tell Urdu from its neighbours counts as
    Urdu. Without a default, the best guess wins and ties go to English.

    Raises :class:`~concord.engine.errors.NoLanguageError` (E301) for text without letters and
    :class:`~concord.engine.errors.UnsupportedLanguageError` (E302) for a script or language Concord does
    not support, with a message naming what was found. Indonesian comes back as ``'ms'``.
    """
    if default is not None and default not in SUPPORTED:
        raise LanguageError(f"default language {default!r} is not one of {', '.join(SUPPORTED)}", code="E303")
    counts = _script_counts(text)
    if not counts:
        snippet = text.strip()[:40]
        raise NoLanguageError(
            f"the text has no letters, so its language cannot be told ({snippet!r}); {_SUPPORTED_SENTENCE}"
            if snippet
            else f"the text is empty; {_SUPPORTED_SENTENCE}"
        )
    script = _dominant_script(counts)
    if script == "ARABIC":
        return _decide_arabic(_arabic_scores(text))
    if script != "LATIN":
        family = SCRIPT_NAMES.get(script, f"a language in the {script.title()} script")
        if script == "CJK" and (counts.get("HIRAGANA") or counts.get("KATAKANA")):
            family = "Japanese"
        raise UnsupportedLanguageError(f"this text looks like {family}; {_SUPPORTED_SENTENCE}")
    return _decide_latin(_latin_scores(text), default)


def _decide_arabic(scores: dict[str, float]) -> str:
    best = max(scores.items(), key=lambda kv: (kv[1], kv[0] == "ur"))
    # Urdu wins ties and near-ties: it is the only Arabic-script language Concord expects.
    if best[0] == "ur" or best[1] < 2.0 or best[1] < 1.5 * scores["ur"]:
        return "ur"
    name = LANGUAGE_NAMES[best[0]]
    raise UnsupportedLanguageError(
        f"this text looks like {name} (Arabic script) rather than Urdu; {_SUPPORTED_SENTENCE}"
    )


def _decide_latin(scores: dict[str, float], default: str | None) -> str:
    en, ms = scores["en"], scores["ms"]
    other_lang, other = max(
        ((k, v) for k, v in scores.items() if k not in SUPPORTED), key=lambda kv: (kv[1], kv[0])
    )
    total = sum(scores.values())
    if other >= 3.0 and other > 1.5 * max(en, ms):
        raise UnsupportedLanguageError(
            f"this text looks like {LANGUAGE_NAMES[other_lang]}; {_SUPPORTED_SENTENCE}"
        )
    top = max(en, ms)
    margin = abs(en - ms) / total if total else 0.0
    if default is not None and (top < _MIN_EVIDENCE or margin < _MIN_MARGIN):
        return default
    return "ms" if ms > en else "en"
