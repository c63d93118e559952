"""The ordinal type learner: subset-of < equivalent-to < superset-of on one signed score."""

from __future__ import annotations

import json
import math
from dataclasses import replace

import numpy as np
import pytest

from concord.engine.encoders import HashingEncoder
from concord.engine.relate import (
    FEATURES,
    PARAMS_PATH,
    TYPED_CLASSES,
    LogisticModel,
    OrdinalModel,
    PairEvidence,
    RelationModel,
    default_model,
    load_model,
    ordinal_columns,
    relate,
    swap_features,
    types_from_dict,
)

from .test_relate import CONSENT, NOTIFY, RECORD, side

COLUMNS = ordinal_columns()


def rows(n: int, seed: int = 0) -> tuple[np.ndarray, list[str]]:
    """Hand-made feature rows: the source is narrower (subset-of) when its sentences are covered much
    more than the target's, wider when much less, and equivalent in between."""
    rng = np.random.default_rng(seed)
    x = rng.normal(0.0, 0.3, size=(n, len(COLUMNS)))
    diff = rng.uniform(-1.0, 1.0, n)
    x[:, COLUMNS.index("cover_diff")] = diff
    y = ["subset-of" if d > 0.3 else "superset-of" if d < -0.3 else "equivalent-to" for d in diff]
    return x, y


def full_rows(x: np.ndarray) -> np.ndarray:
    """The same rows as every feature of `FEATURES` (those the model does not read are zero)."""
    out = np.zeros((len(x), len(FEATURES)))
    for k, name in enumerate(COLUMNS):
        out[:, FEATURES.index(name)] = x[:, k]
    return out


def hand_set() -> OrdinalModel:
    """Covered more than it covers: narrower. A band of 0.3 around a score of 8 x cover_diff."""
    return OrdinalModel(
        signed=["cover_diff"],
        band=["cos", "cover_src+cover_tgt"],
        scale=[1.0],
        weights=[-8.0],
        band_mean=[0.0, 0.0],
        band_std=[1.0, 1.0],
        band_weights=[0.0, 0.0],
        band_bias=math.log(0.3),
        prior={"equivalent-to": 0.4, "subset-of": 0.3, "superset-of": 0.3},
    )


def relation(types: OrdinalModel, **kw: object) -> RelationModel:
    return replace(default_model(), types=types, intersect_below=0.0, **kw)  # type: ignore[arg-type]


def test_the_order_is_respected_along_the_signed_score() -> None:
    x, y = rows(300)
    model = OrdinalModel.fit(x, y, l2=1.0)
    assert np.mean(np.array(model.classes)[model.predict_proba(x).argmax(axis=1)] == np.array(y)) > 0.9
    # walk cover_diff from "the target is covered far more" to "the source is": the types follow the
    # order superset-of -> equivalent-to -> subset-of, never jumping over equivalence
    line = np.zeros((41, len(COLUMNS)))
    line[:, COLUMNS.index("cover_diff")] = np.linspace(-1.0, 1.0, 41)
    p = model.predict_proba(line)
    sub, sup = model.classes.index("subset-of"), model.classes.index("superset-of")
    assert np.all(np.diff(p[:, sub]) >= 0) and np.all(np.diff(p[:, sup]) <= 0)
    said = [model.classes[k] for k in p.argmax(axis=1)]
    changes = [said[0]] + [b for a, b in zip(said, said[1:]) if a != b]
    assert changes == ["superset-of", "equivalent-to", "subset-of"]
    assert np.allclose(p.sum(axis=1), 1.0) and (p >= 0).all()


def test_swapping_source_and_target_mirrors_subset_and_superset() -> None:
    x, y = rows(200, seed=1)
    model = OrdinalModel.fit(x, y, l2=1.0)
    probe, _ = rows(50, seed=2)
    swapped_full = swap_features(full_rows(probe))
    swapped = swapped_full[:, [FEATURES.index(name) for name in COLUMNS]]
    p, q = model.predict_proba(probe), model.predict_proba(swapped)
    c = model.classes
    assert np.allclose(p[:, c.index("subset-of")], q[:, c.index("superset-of")])
    assert np.allclose(p[:, c.index("superset-of")], q[:, c.index("subset-of")])
    assert np.allclose(p[:, c.index("equivalent-to")], q[:, c.index("equivalent-to")])


def test_relate_types_with_the_ordinal_model_both_ways_round() -> None:
    model = relation(hand_set())
    whole = f"{NOTIFY} {CONSENT} {RECORD}"
    forward = relate(side(NOTIFY), side(whole), PairEvidence(2.0, 2.0, 2.0, mutual=True), {}, model=model)
    backward = relate(side(whole), side(NOTIFY), PairEvidence(2.0, 2.0, 2.0, mutual=True), {}, model=model)
    assert forward.relationship == "subset-of"
    assert backward.relationship == "superset-of"
    assert forward.probabilities["subset-of"] == pytest.approx(backward.probabilities["superset-of"])
    assert forward.relationship_confidence > 0.9


def test_weak_evidence_abstains_as_intersects_with() -> None:
    # two texts that cover each other about as much: the score sits at the band's edge, no type is sure
    a = side("The controller shall keep records of processing.")
    b = side("The controller shall keep records of processing and appoint an officer.")
    evidence = PairEvidence(2.0, 2.0, 2.0, mutual=True)
    wide_band = replace(hand_set(), band_bias=math.log(4.0))
    sure = relate(a, b, evidence, {}, model=relation(wide_band))
    assert sure.relationship == "equivalent-to"
    edge = relate(a, b, evidence, {}, model=relation(hand_set()))
    assert max(edge.probabilities.values()) < 0.8
    abstaining = relate(a, b, evidence, {}, model=relation(hand_set(), abstain_below=0.8))
    assert abstaining.relationship == "intersects-with"
    # and a pair neither of whose sides the other covers is still said intersects-with before typing
    partial = relate(
        side(f"{NOTIFY} Football clubs must register players."),
        side(f"{NOTIFY} Rivers are measured in kilometres."),
        evidence,
        {},
        model=replace(relation(wide_band), intersect_below=0.8),
    )
    assert partial.relationship == "intersects-with"


def test_an_ordinal_relation_model_saves_and_loads_with_its_kind(tmp_path) -> None:
    x, y = rows(120, seed=3)
    types = replace(OrdinalModel.fit(x, y, l2=10.0), band_scale=1.25)
    model = relation(types, provenance={"command": "test"})
    path = tmp_path / "params.json"
    model.save(path)
    assert json.loads(path.read_text())["types"]["kind"] == "ordinal"
    again = load_model(path)
    assert isinstance(again.types, OrdinalModel) and again.types.band_scale == 1.25
    assert np.allclose(again.types.predict_proba(x), types.predict_proba(x))
    assert again.types.features == COLUMNS


def test_parameters_written_before_the_ordinal_learner_still_load() -> None:
    shipped = json.loads(PARAMS_PATH.read_text(encoding="utf-8"))
    # a logistic type model as files held it before model kinds existed (the shipped blend holds one)
    logistic = shipped["types"].get("logistic", shipped["types"])
    old = {**shipped, "types": {k: v for k, v in logistic.items() if k != "kind"}}
    model = RelationModel.from_dict(old)
    assert isinstance(model.types, LogisticModel)
    assert set(model.types.classes) == set(TYPED_CLASSES)
    x = np.zeros((1, len(model.types.features)))
    assert np.allclose(model.types.predict_proba(x), LogisticModel.from_dict(logistic).predict_proba(x))
    assert isinstance(types_from_dict(default_model().types.to_dict()), LogisticModel)
    with pytest.raises(ValueError, match="unknown type model kind 'forest'"):
        types_from_dict({**shipped["types"], "kind": "forest"})


def test_the_ordinal_learner_refuses_types_it_cannot_order() -> None:
    x, _ = rows(4)
    with pytest.raises(ValueError, match="intersects-with"):
        OrdinalModel.fit(x, ["subset-of", "intersects-with", "equivalent-to", "superset-of"])
    with pytest.raises(ValueError, match="at least one"):
        OrdinalModel.fit(x[:0], [])


def test_harmonize_types_its_candidates_with_an_ordinal_model() -> None:
    from concord.engine.harmonize import HarmonizeOptions, harmonize
    from concord.engine.types import Provision

    def provision(pid: str, text: str) -> Provision:
        return Provision(id=pid, number="", heading="", text=text, level="section", language="en")

    model = relation(hand_set())
    found = harmonize(
        [provision("notify", NOTIFY)],
        [provision("whole", f"{NOTIFY} {CONSENT} {RECORD}")],
        HashingEncoder(),
        HarmonizeOptions(top_k=1),
        model=model,
    )
    (mapping,) = found.mappings
    assert mapping.relation is not None
    assert mapping.relationship == "subset-of"
    x = np.array([[mapping.relation.features[f] for f in model.types.features]])
    expected = dict(zip(model.types.classes, model.types.predict_proba(x)[0].tolist()))
    assert mapping.relation.probabilities == pytest.approx(expected)
