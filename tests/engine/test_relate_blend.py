"""The blend of the logistic and ordinal type learners, and the limiting, enumeration and obligation cues."""

from __future__ import annotations

import json

import numpy as np
import pytest

from concord.engine.relate import (
    CUE_FEATURES,
    FEATURES,
    ORDINAL_BAND,
    ORDINAL_SIGNED,
    TYPED_CLASSES,
    BlendModel,
    LogisticModel,
    OrdinalModel,
    PairEvidence,
    load_model,
    pair_features,
    relate,
    swap_features,
)

from .test_relate import CONSENT, NOTIFY, RECORD, side
from .test_relate_ordinal import COLUMNS, hand_set, relation, rows


def blend(mix: float = 0.5) -> BlendModel:
    x, y = rows(200, seed=4)
    names = ["cover_diff", "cos"]
    logistic = LogisticModel.fit(
        x[:, [COLUMNS.index(n) for n in names]], y, list(TYPED_CLASSES), names, l2=1.0
    )
    return BlendModel(logistic, hand_set(), mix)


def columns(model: BlendModel, x: np.ndarray) -> np.ndarray:
    return x[:, [COLUMNS.index(f) for f in model.features]]


def test_the_blend_averages_the_two_learners_probabilities() -> None:
    x, _ = rows(60, seed=5)
    model = blend(0.25)
    p = model.predict_proba(columns(model, x))
    lo = model.logistic.predict_proba(x[:, [COLUMNS.index(f) for f in model.logistic.features]])
    od = model.ordinal.predict_proba(x[:, [COLUMNS.index(f) for f in model.ordinal.features]])
    assert np.allclose(p, 0.75 * lo + 0.25 * od)
    assert np.allclose(p.sum(axis=1), 1.0)
    # at the ends it is one learner or the other
    assert np.allclose(BlendModel(model.logistic, model.ordinal, 0.0).predict_proba(columns(model, x)), lo)
    assert np.allclose(BlendModel(model.logistic, model.ordinal, 1.0).predict_proba(columns(model, x)), od)


def test_a_blended_relation_model_saves_loads_and_types_both_ways_round(tmp_path) -> None:
    model = relation(blend(0.5))  # type: ignore[arg-type]
    path = tmp_path / "params.json"
    model.save(path)
    assert json.loads(path.read_text())["types"]["kind"] == "blend"
    again = load_model(path)
    assert isinstance(again.types, BlendModel) and again.types.mix == 0.5
    assert isinstance(again.types.ordinal, OrdinalModel)
    whole = f"{NOTIFY} {CONSENT} {RECORD}"
    evidence = PairEvidence(2.0, 2.0, 2.0, mutual=True)
    forward = relate(side(NOTIFY), side(whole), evidence, {}, model=again)
    backward = relate(side(whole), side(NOTIFY), evidence, {}, model=again)
    assert forward.relationship == "subset-of"
    assert backward.relationship == "superset-of"


def test_limiting_enumeration_and_obligation_cues_in_three_languages() -> None:
    def feats(a: str, b: str) -> dict[str, float]:
        return pair_features(side(a), side(b), PairEvidence(2.0, 2.0, 2.0), {})["features"]

    narrow = (
        "Data may be disclosed only to the Commissioner, except where (a) a court orders it; or (b) consent."
    )
    plain = "Data may be disclosed to the Commissioner."
    f = feats(narrow, plain)
    assert f["limit_src"] > 0 and f["limit_tgt"] == 0 and f["limit_diff"] > 0
    assert f["enum_src"] == pytest.approx(np.log1p(2)) and f["enum_tgt"] == 0
    assert f["duty_src"] == f["duty_tgt"] == pytest.approx(np.log1p(1))
    assert feats("Data boleh didedahkan hanya kepada Pesuruhjaya kecuali jika mahkamah.", plain)[
        "limit_src"
    ] == pytest.approx(np.log1p(2))
    assert feats("ڈیٹا صرف کمشنر کو دیا جائے گا", plain)["limit_src"] > 0


def test_the_cues_swap_with_the_sides_and_stay_out_of_the_ordinal_model() -> None:
    x = np.arange(len(FEATURES), dtype=float).reshape(1, -1) + 1.0
    swapped = swap_features(x)[0]
    idx = FEATURES.index
    assert swapped[idx("limit_src")] == x[0, idx("limit_tgt")]
    assert swapped[idx("enum_diff")] == -x[0, idx("enum_diff")]
    assert swapped[idx("duty_diff")] == -x[0, idx("duty_diff")]
    parts = {p for term in ORDINAL_BAND for p in term.split("+")} | set(ORDINAL_SIGNED)
    assert not parts & set(CUE_FEATURES)
