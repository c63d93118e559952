"""Lexical matching: Unicode tokenisation for English, Malay and Urdu, light stemming, and BM25.

Tokens are case-folded, accent- and diacritic-free runs of letters and digits; Arabic-script letter variants
are folded to their Urdu forms, so ``ي``/``ی`` and ``ك``/``ک`` match. English and Malay words get a light
suffix (and, for Malay, prefix) stripper: enough to make ``notify``/``notified`` and
``memproses``/``pemprosesan`` meet, never a full morphological analysis.

BM25 comes in the usual variants, each a pair of plain functions (an IDF and a term-frequency component)
picked by name, as in bm25s: ``robertson``, ``lucene`` (the default), ``atire``, ``bm25l`` and ``bm25+``.
`BM25Index` precomputes each posting's weight, so scoring a query is a sum of a few posting lists.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass

import numpy as np

from .errors import HarmonizationError

_TOKEN = re.compile(r"[^\W_]+", re.UNICODE)
_ARABIC = re.compile(r"[\u0600-\u06FF]")
# Arabic code points that Urdu writes with its own letters.
_URDU_FOLD = str.maketrans(
    {"ي": "ی", "ى": "ی", "ك": "ک", "ه": "ہ", "ۀ": "ہ", "ة": "ہ", "\u200c": "", "\u200d": ""}
)


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


STOPWORDS: dict[str, frozenset[str]] = {
    "en": _words(
        """a an and are as at be been being by for from has have having he her his i if in into is it its
        of on or our she such than that the their them then there these they this those to was we were
        which while who whom will with within without would any all each other shall may must should can
        under upon where when whether also not no nor so only same being do does did out over more most
        per via"""
    ),
    "ms": _words(
        """dan atau yang di ke dari pada untuk dalam dengan oleh ini itu adalah ialah bagi secara tersebut
        akan telah tidak boleh hendaklah mana apa apabila jika jikalau sebagai serta sesuatu suatu tiap
        setiap mana-mana lain kepada daripada antara atas bawah seperti juga hanya lagi sahaja kerana
        maka bahawa ia mereka kami kita"""
    ),
    "ur": _words(
        """کا کی کے کو میں سے پر اور یا ہے ہیں تھا تھی تھے ہو گا گی گے یہ وہ جو جس جن کہ بھی نہ نہیں تو
        ایک کر کیا کیے کرنا کرے اس ان لیے لئے ساتھ تک بعد"""
    ),
}
ALL_STOPWORDS = frozenset().union(*STOPWORDS.values())


def normalise(text: str) -> str:
    """Case-fold, drop accents and Arabic-script diacritics, fold Urdu letter variants (NFC output)."""
    decomposed = unicodedata.normalize("NFKD", text.translate(_URDU_FOLD).casefold())
    stripped = "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")
    return unicodedata.normalize("NFC", stripped)


def guess_language(text: str) -> str:
    """A cheap en/ms/ur guess for choosing a stemmer (``language.detect_language`` is the real one)."""
    if _ARABIC.search(text):
        return "ur"
    words = _TOKEN.findall(text.casefold())
    en = sum(w in STOPWORDS["en"] for w in words)
    ms = sum(w in STOPWORDS["ms"] for w in words)
    return "ms" if ms > en else "en"


_EN_SUFFIXES = (
    ("ational", "ate"), ("ization", "ize"), ("isation", "ize"), ("ations", "ate"), ("ation", "ate"),
    ("ements", ""), ("ement", ""), ("ments", ""), ("ment", ""), ("nesses", ""), ("ness", ""),
    ("ities", ""), ("ity", ""), ("ingly", ""), ("ings", ""), ("ing", ""), ("ied", "y"), ("ies", "y"),
    ("edly", ""), ("ed", ""), ("ly", ""), ("sses", "ss"), ("es", "e"), ("s", ""),
)  # fmt: skip


def stem_en(word: str) -> str:
    """Strip one common English suffix, keeping a stem of at least three letters."""
    if len(word) <= 3 or not word.isalpha() or word.endswith(("ss", "us", "is")):
        return word
    for suffix, repl in _EN_SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            stem = word[: -len(suffix)] + repl
            return stem[:-1] if stem.endswith("e") and len(stem) > 4 else stem
    return word


_MS_PARTICLES = ("lah", "kah", "tah", "nya")
_MS_SUFFIXES = ("kan", "an", "i")
_MS_PREFIXES = (
    ("memper", ""), ("menye", "s"), ("meny", "s"), ("meng", ""), ("mem", ""), ("men", ""), ("me", ""),
    ("penye", "s"), ("peny", "s"), ("peng", ""), ("pem", ""), ("pen", ""), ("per", ""), ("pe", ""),
    ("ber", ""), ("be", ""), ("ter", ""), ("di", ""), ("ke", ""), ("se", ""),
)  # fmt: skip


def stem_ms(word: str) -> str:
    """Strip Malay particles, one prefix (with the usual sound changes) and up to two suffixes.

    Without a dictionary this cannot always find the root (``pengawal`` gives ``awal``), but the same
    root in different affixations mostly meets: ``memproses``/``pemprosesan`` -> ``proses``.
    """
    if len(word) <= 4 or not word.isalpha():
        return word
    for particle in _MS_PARTICLES:
        if word.endswith(particle) and len(word) - len(particle) >= 4:
            word = word[: -len(particle)]
            break
    for prefix, repl in _MS_PREFIXES:
        if not word.startswith(prefix) or len(word) - len(prefix) < 4:
            continue
        rest = word[len(prefix) :]
        if rest[0] in "aeiou":
            if repl:
                word = repl + rest
                break
            if prefix in ("meng", "peng", "men", "pen", "mem", "pem", "di", "ke", "se"):
                word = rest
                break
            break  # ber-/ter-/per-/pe-/me- before a vowel is usually part of the root (peribadi)
        word = rest
        break
    for _ in range(2):
        for suffix in _MS_SUFFIXES:
            if word.endswith(suffix) and len(word) - len(suffix) >= 4:
                word = word[: -len(suffix)]
                break
        else:
            break
    return word


def tokenize(
    text: str, language: str | None = None, *, stem: bool = True, stopwords: bool = True
) -> list[str]:
    """Split ``text`` into normalised tokens; ``language`` (en/ms/ur, guessed if None) picks the stemmer.

    Stop words of all three languages are dropped (provisions mix languages in names and quotes).
    Numbers are kept: section numbers, years and amounts are strong anchors, even across languages.
    """
    lang = language or guess_language(text)
    tokens = _TOKEN.findall(normalise(text))
    if stopwords:
        tokens = [t for t in tokens if t not in ALL_STOPWORDS]
    if stem and lang == "en":
        tokens = [stem_en(t) for t in tokens]
    elif stem and lang == "ms":
        tokens = [stem_ms(t) for t in tokens]
    return tokens


# --- BM25 variants: an IDF and a term-frequency component each ---------------------------------------


def _idf_robertson(df: np.ndarray, n_docs: int) -> np.ndarray:
    return np.log((n_docs - df + 0.5) / (df + 0.5))


def _idf_lucene(df: np.ndarray, n_docs: int) -> np.ndarray:
    return np.log(1.0 + (n_docs - df + 0.5) / (df + 0.5))


def _idf_atire(df: np.ndarray, n_docs: int) -> np.ndarray:
    return np.log(n_docs / df)


def _idf_bm25l(df: np.ndarray, n_docs: int) -> np.ndarray:
    return np.log((n_docs + 1) / (df + 0.5))


def _idf_bm25plus(df: np.ndarray, n_docs: int) -> np.ndarray:
    return np.log((n_docs + 1) / df)


def _tfc_classic(tf: np.ndarray, norm: np.ndarray, k1: float, delta: float) -> np.ndarray:
    return tf * (k1 + 1) / (tf + k1 * norm)


def _tfc_bm25l(tf: np.ndarray, norm: np.ndarray, k1: float, delta: float) -> np.ndarray:
    c = tf / norm
    return (k1 + 1) * (c + delta) / (k1 + c + delta)


def _tfc_bm25plus(tf: np.ndarray, norm: np.ndarray, k1: float, delta: float) -> np.ndarray:
    return tf * (k1 + 1) / (tf + k1 * norm) + delta


IdfFn = Callable[[np.ndarray, int], np.ndarray]
TfcFn = Callable[[np.ndarray, np.ndarray, float, float], np.ndarray]
BM25_METHODS: dict[str, tuple[IdfFn, TfcFn]] = {
    "robertson": (_idf_robertson, _tfc_classic),
    "lucene": (_idf_lucene, _tfc_classic),
    "atire": (_idf_atire, _tfc_classic),
    "bm25l": (_idf_bm25l, _tfc_bm25l),
    "bm25+": (_idf_bm25plus, _tfc_bm25plus),
}


@dataclass(frozen=True, slots=True)
class BM25Params:
    """BM25 settings: the variant's name, ``k1``, ``b`` and ``delta`` (used by bm25l and bm25+)."""

    method: str = "lucene"
    k1: float = 1.2
    b: float = 0.75
    delta: float = 0.5


class BM25Index:
    """An inverted index of tokenised documents with precomputed BM25 posting weights.

    >>> index = BM25Index([["data", "breach"], ["fine"]])
    >>> index.scores(["breach"]).argmax()
    0
    """

    def __init__(self, docs: list[list[str]], params: BM25Params | None = None) -> None:
        self.params = params or BM25Params()
        if self.params.method not in BM25_METHODS:
            raise HarmonizationError(
                f"unknown BM25 method {self.params.method!r}; choose one of: {', '.join(BM25_METHODS)}",
                code="E430",
            )
        idf_fn, tfc_fn = BM25_METHODS[self.params.method]
        self.n_docs = len(docs)
        self.doc_len = np.array([len(d) for d in docs], dtype=np.float32)
        avgdl = float(self.doc_len.mean()) if self.n_docs and self.doc_len.sum() else 1.0
        self.vocab: dict[str, int] = {}
        postings: dict[int, tuple[list[int], list[int]]] = {}
        for doc_id, doc in enumerate(docs):
            for term, count in sorted(Counter(doc).items()):
                term_id = self.vocab.setdefault(term, len(self.vocab))
                doc_ids, counts = postings.setdefault(term_id, ([], []))
                doc_ids.append(doc_id)
                counts.append(count)
        df = np.array([len(postings[t][0]) for t in range(len(self.vocab))], dtype=np.float64)
        self.idf = idf_fn(df, max(self.n_docs, 1)).astype(np.float32)
        norm_of_doc = (1 - self.params.b + self.params.b * self.doc_len / max(avgdl, 1e-9)).astype(np.float64)
        self._ids: list[np.ndarray] = []
        self._weights: list[np.ndarray] = []
        for term_id in range(len(self.vocab)):
            ids = np.array(postings[term_id][0], dtype=np.int64)
            tf = np.array(postings[term_id][1], dtype=np.float64)
            weight = self.idf[term_id] * tfc_fn(tf, norm_of_doc[ids], self.params.k1, self.params.delta)
            self._ids.append(ids)
            self._weights.append(weight.astype(np.float32))

    def scores(self, query: Iterable[str]) -> np.ndarray:
        """BM25 score of every document for the (unique) terms of ``query``: float32 of length n_docs."""
        out = np.zeros(self.n_docs, dtype=np.float32)
        for term in dict.fromkeys(query):
            term_id = self.vocab.get(term)
            if term_id is not None:
                out[self._ids[term_id]] += self._weights[term_id]  # ids are unique within a posting list
        return out

    def top_k(self, query: Iterable[str], k: int) -> tuple[np.ndarray, np.ndarray]:
        """The ``k`` best documents for ``query`` as (indices, scores), best first, ties by index."""
        scores = self.scores(query)
        k = min(k, self.n_docs)
        if k <= 0:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32)
        part = np.argpartition(-scores, k - 1)[:k] if k < self.n_docs else np.arange(self.n_docs)
        order = np.lexsort((part, -scores[part]))
        return part[order].astype(np.int64), scores[part[order]]


def bm25_reference(query: list[str], docs: list[list[str]], params: BM25Params | None = None) -> list[float]:
    """BM25 written out term by term from the textbook formulas: the oracle `BM25Index` is tested against."""
    p = params or BM25Params()
    n_docs = len(docs)
    avgdl = sum(len(d) for d in docs) / n_docs
    out = []
    for doc in docs:
        total = 0.0
        for term in dict.fromkeys(query):
            tf = doc.count(term)
            if tf == 0:
                continue
            df = sum(term in d for d in docs)
            norm = 1 - p.b + p.b * len(doc) / avgdl
            if p.method == "robertson":
                idf = math.log((n_docs - df + 0.5) / (df + 0.5))
            elif p.method == "lucene":
                idf = math.log(1 + (n_docs - df + 0.5) / (df + 0.5))
            elif p.method == "atire":
                idf = math.log(n_docs / df)
            elif p.method == "bm25l":
                idf = math.log((n_docs + 1) / (df + 0.5))
            else:
                idf = math.log((n_docs + 1) / df)
            if p.method == "bm25l":
                c = tf / norm
                tfc = (p.k1 + 1) * (c + p.delta) / (p.k1 + c + p.delta)
            else:
                tfc = tf * (p.k1 + 1) / (tf + p.k1 * norm) + (p.delta if p.method == "bm25+" else 0.0)
            total += idf * tfc
        out.append(total)
    return out
