"""The query/passage asymmetry features and the two-stage decision (tried variants, off by default).

E5 reads "query: " -> "passage: " as relevance, so a narrow provision read as a query may match the wider
one read as a passage better than the reverse. `relate.query_passage` reads both cosines; harmonize
encodes each provision both ways only when the relation model reads them (or when asked).
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from concord.engine.encoders import HashingEncoder, Kind
from concord.engine.harmonize import HarmonizeOptions, harmonize, relate_pairs
from concord.engine.lexical import tokenize
from concord.engine.relate import (
    FEATURES,
    QUERY_PASSAGE_FEATURES,
    LogisticModel,
    PairEvidence,
    Side,
    choose_type,
    default_model,
    pair_features,
    split_sentences,
    swap_features,
)
from concord.engine.types import Provision


class KindEncoder:
    """The hashing encoder, with a passage read differently from a query (E5's prefixes do the same),
    and a record of what it was asked to encode as which kind."""

    name = "kind-hashing"
    model_id = "kind-hashing-v1"
    dim = 256

    def __init__(self) -> None:
        self.inner = HashingEncoder(self.dim)
        self.kinds: list[str] = []

    def encode(self, texts: list[str], *, kind: Kind = "passage") -> np.ndarray:
        self.kinds += [kind] * len(texts)
        prefix = "passage marker " if kind == "passage" else ""
        return self.inner.encode([prefix + t for t in texts], kind=kind)


def side(text: str, enc: KindEncoder | None = None) -> Side:
    hashing = HashingEncoder(256)
    sentences = split_sentences(text)
    vector = hashing.encode([text])[0]
    query = passage = None
    if enc is not None:
        query, passage = enc.encode([text], kind="query")[0], enc.encode([text], kind="passage")[0]
    return Side(
        text, vector, sentences, hashing.encode([s.text for s in sentences]), frozenset(tokenize(text, "en")),
        "en", query, passage,
    )  # fmt: skip


NARROW = "The controller shall notify the Commissioner of a personal data breach within 72 hours."
WIDE = (
    "The controller shall notify the Commissioner of a personal data breach within 72 hours. The "
    "controller shall also inform each data subject concerned and keep a register of every breach."
)


def test_query_passage_features_read_each_side_as_query_against_the_other_as_passage() -> None:
    enc = KindEncoder()
    a, b = side(NARROW, enc), side(WIDE, enc)
    feats = pair_features(a, b, PairEvidence(1.0, 1.0, 0.0), {})["features"]
    assert a.query_vector is not None and b.passage_vector is not None
    assert feats["qp_src"] == pytest.approx(float(a.query_vector @ b.passage_vector))
    assert feats["qp_tgt"] == pytest.approx(float(b.query_vector @ a.passage_vector))
    assert feats["qp_diff"] == pytest.approx(feats["qp_src"] - feats["qp_tgt"])
    assert feats["qp_diff"] != 0.0  # the two readings differ when query and passage vectors do
    back = pair_features(b, a, PairEvidence(1.0, 1.0, 0.0), {})["features"]
    assert back["qp_src"] == pytest.approx(feats["qp_tgt"])
    assert back["qp_diff"] == pytest.approx(-feats["qp_diff"])
    row = np.array([[feats[f] for f in FEATURES]])
    swapped = dict(zip(FEATURES, swap_features(row)[0]))
    for name in QUERY_PASSAGE_FEATURES:
        assert swapped[name] == pytest.approx(back[name])


def test_without_both_vectors_the_features_measure_no_asymmetry() -> None:
    a, b = side(NARROW), side(WIDE)  # no query or passage vectors: the plain cosine both ways
    feats = pair_features(a, b, PairEvidence(1.0, 1.0, 0.0), {})["features"]
    assert feats["qp_src"] == feats["qp_tgt"] == pytest.approx(feats["cos"])
    assert feats["qp_diff"] == 0.0


def prov(pid: str, text: str) -> Provision:
    return Provision(id=pid, number="", heading="", text=text, level="section", language="en")


SOURCE = [
    prov("s-narrow", NARROW),
    prov("s-other", "Every organisation shall keep an inventory of its assets."),
]
TARGET = [
    prov("t-wide", WIDE),
    prov("t-assets", "Inventories of hardware, software and systems are maintained and reviewed yearly."),
]


def qp_model():
    base = default_model()
    names = ["cover_diff", "log_len_ratio", "qp_diff"]
    types = LogisticModel(
        ["equivalent-to", "subset-of", "superset-of"], names, [0.0] * 3, [1.0] * 3,
        [[0.0, 0.0, 0.0], [8.0, -1.0, 5.0], [-8.0, 1.0, -5.0]], [0.3, 0.0, 0.0],
    )  # fmt: skip
    return replace(base, types=types)


def test_harmonize_encodes_passages_only_for_a_model_that_reads_them() -> None:
    plain = KindEncoder()
    harmonize(SOURCE, TARGET, plain, HarmonizeOptions(top_k=2), model=default_model())
    assert set(plain.kinds) == {"query"}
    reading = KindEncoder()
    harmonize(SOURCE, TARGET, reading, HarmonizeOptions(top_k=2), model=qp_model())
    assert reading.kinds.count("passage") == len(SOURCE) + len(TARGET)
    asked = KindEncoder()
    harmonize(SOURCE, TARGET, asked, HarmonizeOptions(top_k=2, query_passage=True), model=default_model())
    assert asked.kinds.count("passage") == len(SOURCE) + len(TARGET)


def test_harmonize_and_relate_pairs_read_the_same_query_passage_features() -> None:
    model = qp_model()
    found = harmonize(SOURCE, TARGET, KindEncoder(), HarmonizeOptions(top_k=2), model=model)
    pairs = [(m.source_id, m.target_id) for m in found.mappings]
    given = relate_pairs(SOURCE, TARGET, pairs, KindEncoder(), HarmonizeOptions(top_k=2), model=model)
    assert len(given) == len(found.mappings) == 4
    for a, b in zip(found.mappings, given):
        assert a.relation is not None and b.relation is not None
        for name in QUERY_PASSAGE_FEATURES:
            assert b.relation.features[name] == pytest.approx(a.relation.features[name], abs=1e-6)
        assert a.relation.features["qp_diff"] != 0.0


def test_the_deterministic_test_encoder_gives_the_features_without_asymmetry() -> None:
    found = harmonize(SOURCE, TARGET, HashingEncoder(), HarmonizeOptions(top_k=2, query_passage=True))
    for m in found.mappings:
        assert m.relation is not None
        assert m.relation.features["qp_diff"] == pytest.approx(0.0, abs=1e-6)  # it ignores the kind


PROBS = {"equivalent-to": 0.35, "subset-of": 0.45, "superset-of": 0.20}


def test_the_two_stage_decision_says_equivalent_once_its_probability_reaches_the_threshold() -> None:
    ones = {c: 1.0 for c in PROBS}
    assert choose_type(PROBS, ones, mutual=True, abstain_below=0.0) == ("subset-of", 0.45)
    assert choose_type(PROBS, ones, mutual=True, abstain_below=0.0, equivalent_at=0.3) == (
        "equivalent-to",
        0.35,
    )
    # below the threshold the likelier direction is said, even where equivalence is the likeliest type
    likely_equal = {"equivalent-to": 0.5, "subset-of": 0.2, "superset-of": 0.3}
    assert (
        choose_type(likely_equal, ones, mutual=True, abstain_below=0.0, equivalent_at=0.6)[0] == "superset-of"
    )
    # a pair that is not one-to-one is never equivalent, whatever the threshold
    assert choose_type(PROBS, ones, mutual=False, abstain_below=0.0, equivalent_at=0.3)[0] == "subset-of"
    # the class bias weighs the direction; abstention still applies to what is said
    tilt = {**ones, "superset-of": 3.0}
    assert choose_type(PROBS, tilt, mutual=True, abstain_below=0.0, equivalent_at=0.4)[0] == "superset-of"
    assert choose_type(PROBS, ones, mutual=True, abstain_below=0.4, equivalent_at=0.3) == (
        "intersects-with",
        0.65,
    )


def test_the_two_stage_setting_saves_and_loads(tmp_path) -> None:
    from concord.engine.relate import load_model

    model = replace(default_model(), equivalent_at=0.3)
    model.save(tmp_path / "relate.json")
    assert load_model(tmp_path / "relate.json").equivalent_at == 0.3
    model = default_model()
    model.save(tmp_path / "plain.json")
    assert load_model(tmp_path / "plain.json").equivalent_at is None
