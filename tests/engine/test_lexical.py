"""Tokenisation for English, Malay and Urdu, and BM25 against a textbook reference implementation."""

from __future__ import annotations

import numpy as np
import pytest

from concord.engine.errors import HarmonizationError
from concord.engine.lexical import (
    BM25_METHODS,
    BM25Index,
    BM25Params,
    bm25_reference,
    guess_language,
    normalise,
    stem_en,
    stem_ms,
    tokenize,
)

CORPUS = [
    "The controller shall notify the Commissioner of a personal data breach within 72 hours.",
    "Pengawal data hendaklah memaklumkan Pesuruhjaya mengenai pelanggaran data peribadi.",
    "Any person who commits an offence shall be liable to a fine not exceeding one million ringgit.",
    "Personal data shall not be transferred to a place outside Malaysia.",
    "ذاتی ڈیٹا کی منتقلی ملک سے باہر ممنوع ہے",
    "data data data breach",
]


def test_english_tokens_are_stemmed_and_stopwords_dropped():
    assert tokenize("The controller notified the Commission of breaches", "en") == [
        "controller",
        "notify",
        "commission",
        "breach",
    ]


def test_malay_affixes_are_stripped_consistently():
    assert stem_ms("memproses") == stem_ms("pemprosesan") == "proses"
    assert stem_ms("perlindungan") == stem_ms("dilindungi") == "lindung"
    assert stem_ms("peribadi").startswith("peribad")  # per- before a vowel belongs to the root


def test_english_stemmer_keeps_short_words():
    assert stem_en("data") == "data" and stem_en("access") == "access" and stem_en("notified") == "notify"


def test_urdu_letter_variants_and_diacritics_are_folded():
    assert normalise("كتاب") == normalise("کتاب")
    assert normalise("ذاتي") == normalise("ذاتی")
    assert tokenize("مُلک") == tokenize("ملک")


def test_numbers_are_kept_as_tokens():
    assert "72" in tokenize("within 72 hours") and "1950" in tokenize("Akta 1950", "ms")


def test_guess_language():
    assert guess_language("ذاتی ڈیٹا") == "ur"
    assert guess_language("data peribadi yang dan untuk") == "ms"
    assert guess_language("the data of the person") == "en"


@pytest.mark.parametrize("method", sorted(BM25_METHODS))
def test_bm25_matches_the_reference_implementation(method):
    docs = [tokenize(t) for t in CORPUS]
    params = BM25Params(method=method, k1=1.5, b=0.75, delta=0.5)
    index = BM25Index(docs, params)
    for query in (["data", "breach"], ["personal", "data", "transfer"], ["offence", "fine", "absent"], []):
        expected = bm25_reference(query, docs, params)
        assert np.allclose(index.scores(query), expected, atol=1e-5), (method, query)


def test_bm25_top_k_is_sorted_with_ties_by_index():
    index = BM25Index([["b"], ["a"], ["c", "d"], ["a"], ["a", "b", "c", "d", "e"]])
    ids, scores = index.top_k(["a"], 3)
    assert list(scores) == sorted(scores, reverse=True)
    assert list(ids) == [1, 3, 4]  # 1 and 3 tie; the longer 4 scores lower


def test_bm25_unknown_method_is_a_clear_error():
    with pytest.raises(HarmonizationError) as err:
        BM25Index([["a"]], BM25Params(method="bm99"))
    assert err.value.code == "E430" and "bm99" in err.value.message
