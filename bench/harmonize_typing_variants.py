"""Type-model variants tried against the shipped learner, on the same held-out folds (not shipped).

Used by ``bench/harmonize.py --parts typing-variants``. Each variant is scored exactly as the shipped type
model is in ``bench/harmonize_typing.py``: the five folds of whole CIS controls (the bills stay in every
training part), hyper-parameters chosen by an inner grouped CV inside each training part, macro-F1 over
the three gold types with the gold pairs given, and in real use (the features `harmonize` computed for the
gold pairs it finds in its top 10, typed by each fold's model). Only run-time features are read.

- ``shipped``: the multinomial logistic model with its decision grid (a re-run of the shipped learner);
- ``superset boost``: the same, with a further decision setting that multiplies ``superset-of``'s
  probability (1, 1.5, 2, 3), one-vs-rest style, chosen in the inner CV;
- ``class-balanced``: the same, each type weighing the same among the CIS pairs when fitting;
- ``ordinal``: the three types as an order (subset < equivalent < superset) on one "which side is wider"
  score ``s`` from the signed features (odd under swapping the sides), with an equivalence band
  ``t = exp(a + v . symmetric features)``: P(subset) = sigmoid(-t - s), P(superset) = sigmoid(s - t);
- ``ordinal, fixed band``: the same with a band that does not depend on the pair.
"""

from __future__ import annotations

import itertools
import time
from typing import Any

import numpy as np
from harmonize_typing import (
    DECISION_GRID,
    FEATURE_SETS,
    FIT_GRID,
    LogisticModel,
    _bias,
    _fit_types,
    _weighted,
    type_folds,
)

from concord.engine.evaluate import macro_f1
from concord.engine.folds import Fold, cross_fit, group_folds
from concord.engine.relate import (
    _SWAP_NEGATE,
    _SWAP_PAIRS,
    FEATURES,
    MIRROR,
    TYPED_CLASSES,
    choose_type,
    fit_ordinal,
    swap_features,
)

CLASSES = list(TYPED_CLASSES)


def _sigmoid(x: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-np.clip(x, -40, 40)))


def _decide(
    probabilities: np.ndarray, bias: dict[str, float], items: list[dict], one_to_one: bool
) -> list[str]:
    return [
        choose_type(
            dict(zip(CLASSES, row.tolist())),
            bias,
            mutual=bool(it["features"].get("mutual")) or not one_to_one,
            abstain_below=0.0,
        )[0]
        for row, it in zip(probabilities, items)
    ]


class Multinomial:
    """The shipped learner (`harmonize_typing._fit_types`), optionally class-balanced or with a superset
    boost in the decision grid."""

    def __init__(self, *, balanced: bool = False, super_boost: tuple[float, ...] = (1.0,)) -> None:
        self.balanced = balanced
        # the shipped fit settings but the structure pairs' weight: these variants are fitted on the typed
        # pairs alone, so offering it would only repeat every fit
        self.fit_grid: dict[str, tuple[Any, ...]] = {
            k: v for k, v in FIT_GRID.items() if k != "structure_weight"
        }
        self.decision_grid: dict[str, tuple[Any, ...]] = {**DECISION_GRID, "super_boost": super_boost}

    def fit(self, train: list[dict], fp: dict[str, Any]) -> tuple[LogisticModel, dict[str, float]]:
        if not self.balanced:
            return _fit_types(train, fp["l2"], 1.0, fp["features"], fp["bills_weight"])
        train, w = _weighted(train, fp["bills_weight"], 0.0, copies=2)
        names = FEATURE_SETS[fp["features"]]
        full = np.array([[it["features"][f] for f in FEATURES] for it in train])
        cols = [FEATURES.index(f) for f in names]
        xs = np.vstack([full[:, cols], swap_features(full)[:, cols]])
        ys = [it["y"] for it in train] + [MIRROR.get(it["y"], it["y"]) for it in train]
        cis = np.array([it["dataset"] == "cis" for it in train] * 2)
        labels = np.array(ys)
        for c in CLASSES:  # each type weighs the same among the CIS pairs
            mask = cis & (labels == c)
            if mask.any():
                w[mask] = w[mask] / mask.sum() * cis.sum() / len(CLASSES)
        model = LogisticModel.fit(xs, ys, CLASSES, names, l2=fp["l2"], sample_weight=w)
        return model, {c: 1.0 for c in CLASSES}

    def predict(self, fitted: Any, d: dict[str, Any], items: list[dict]) -> list[str]:
        model, stored = fitted
        bias = _bias(stored, d["bias_power"])
        bias["superset-of"] *= d["super_boost"]
        x = np.array([[it["features"][f] for f in model.features] for it in items])
        p = model.predict_proba(x)
        order = [model.classes.index(c) for c in CLASSES]
        return [
            choose_type(
                dict(zip(CLASSES, row[order].tolist())),
                bias,
                mutual=bool(it["features"].get("mutual")) or not d["one_to_one"],
                abstain_below=d["abstain_below"],
            )[0]
            for row, it in zip(p, items)
        ]


SIGNED = [f for f in FEATURES if f in _SWAP_NEGATE and f != "rel_diff"]


class Ordinal:
    """subset < equivalent < superset on one signed score, with an equivalence band (see the module)."""

    def __init__(self, *, band_features: bool = True) -> None:
        self.band_features = band_features
        self.fit_grid: dict[str, tuple[Any, ...]] = {
            "l2": (1.0, 10.0, 30.0, 100.0),
            "bills_weight": (0.2, 1.0),
        }
        self.decision_grid: dict[str, tuple[Any, ...]] = {
            "bias_power": (0.0, 0.5),
            "one_to_one": (True, False),
            "band_scale": (0.75, 1.0, 1.25),
        }

    def design(self, items: list[dict]) -> tuple[np.ndarray, np.ndarray]:
        signed = np.array([[it["features"][f] for f in SIGNED] for it in items])
        if not self.band_features:
            return signed, np.zeros((len(items), 0))
        symmetric = np.array(
            [
                [it["features"][f] for f in ("cos", "dense_z", "mutual")]
                + [it["features"][a] + it["features"][b] for a, b in _SWAP_PAIRS]
                for it in items
            ]
        )
        return signed, symmetric

    def fit(self, train: list[dict], fp: dict[str, Any], iterations: int = 3000, lr: float = 0.3) -> dict:
        train, sw = _weighted(train, fp["bills_weight"], 0.0)
        y = np.array([CLASSES.index(it["y"]) for it in train])  # 0 equivalent, 1 subset, 2 superset
        sw = sw / sw.sum()
        fit = fit_ordinal(*self.design(train), y, sw, l2=fp["l2"], iterations=iterations, lr=lr)
        prior = np.array([sw[y == k].sum() for k in range(3)])
        prior[1] = prior[2] = (prior[1] + prior[2]) / 2  # the model is symmetric: so is its prior
        return {"w": fit.w, "v": fit.v, "a": fit.a, "sa": fit.sa, "ms": fit.ms, "ss": fit.ss, "prior": prior}

    def predict(self, m: dict, d: dict[str, Any], items: list[dict]) -> list[str]:
        xa, xs = self.design(items)
        s = (xa / m["sa"]) @ m["w"]
        t = d["band_scale"] * np.exp(np.clip(m["a"] + ((xs - m["ms"]) / m["ss"]) @ m["v"], -10, 10))
        s1, s2 = _sigmoid(-t - s), _sigmoid(t - s)
        p = np.stack([s2 - s1, s1, 1 - s2], axis=1)
        bias = {
            c: float((1.0 / max(m["prior"][k], 1e-6) / 3) ** d["bias_power"]) for k, c in enumerate(CLASSES)
        }
        return _decide(p, bias, items, d["one_to_one"])


VARIANTS = {
    "shipped": lambda: Multinomial(),
    "superset boost": lambda: Multinomial(super_boost=(1.0, 1.5, 2.0, 3.0)),
    "class-balanced": lambda: Multinomial(balanced=True),
    "ordinal": lambda: Ordinal(),
    "ordinal, fixed band": lambda: Ordinal(band_features=False),
}


def _cis_macro_f1(items: list[dict], predicted: list[str]) -> float:
    pairs = [(it["y"], p) for it, p in zip(items, predicted) if it["dataset"] == "cis"]
    return macro_f1([a for a, _ in pairs], [b for _, b in pairs], CLASSES).macro_f1


def choose(learner: Any, train: list[dict]) -> tuple[dict[str, Any], dict[str, Any]]:
    """Fit and decision settings by an inner grouped CV on ``train`` (CIS macro-F1), as `harmonize_typing`."""
    folds = group_folds([it["group"] for it in train], 4, seed="inner")
    decisions = [
        dict(zip(learner.decision_grid, v)) for v in itertools.product(*learner.decision_grid.values())
    ]
    best: tuple[dict[str, Any], dict[str, Any]] = ({}, {})
    best_score = -1.0
    for values in itertools.product(*learner.fit_grid.values()):
        fp = dict(zip(learner.fit_grid, values))
        results = cross_fit(
            train,
            lambda it: it["group"],
            lambda tr, fp=fp: learner.fit(tr, fp),
            lambda m, te: (te, [learner.predict(m, d, te) for d in decisions]),
            folds,
        )
        scored = [it for r in results for it in r.result[0]]
        for k, d in enumerate(decisions):
            value = _cis_macro_f1(scored, [p for r in results for p in r.result[1][k]])
            if value > best_score + 1e-9:
                best, best_score = (fp, d), value
    return best


def run_variants(items: list[dict], real: list[dict]) -> None:
    """Print each variant's held-out macro-F1, gold pairs given and in real use.

    ``items``: `harmonize_typing.type_items`; ``real``: the same kind of dicts for the CIS gold pairs
    `harmonize` found, with ``override`` set where `relate` decided before the type model (equal-to,
    contrary-to)."""
    folds = [f for f in type_folds(items) if any(g.startswith("cis:") for g in f.test)]
    # only the CIS pairs are scored; the translated bills are in every training part, as in the shipped fit
    cis = [it for it in items if it["dataset"] == "cis"]
    bills = [it for it in items if it["dataset"] != "cis"]
    groups = frozenset(it["group"] for it in cis)
    print("\n# Type-model variants, held out (folds of whole CIS controls; nested hyper-parameters)")
    print(f"{'variant':<22}{'given':>8}{'real use':>10}{'superset-of right, given / real':>34}{'s':>6}")
    for name, make in VARIANTS.items():
        start = time.perf_counter()
        learner = make()

        def fit(train: list[dict], learner: Any = learner) -> Any:
            fp, d = choose(learner, train + bills)
            return learner.fit(train + bills, fp), d

        def score(fitted: Any, test: list[dict], learner: Any = learner) -> Any:
            model, d = fitted
            groups = {it["group"] for it in test}
            found = [it for it in real if it["group"] in groups]
            typed = learner.predict(model, d, found) if found else []
            return (
                test,
                learner.predict(model, d, test),
                found,
                [it.get("override") or p for it, p in zip(found, typed)],
            )

        cis_folds = [Fold(f.name, f.train & groups, f.test) for f in folds]
        results = cross_fit(cis, lambda it: it["group"], fit, score, cis_folds)
        gold = [it["y"] for r in results for it in r.result[0]]
        given = macro_f1(gold, [p for r in results for p in r.result[1]], CLASSES)
        real_gold = [it["y"] for r in results for it in r.result[2]]
        in_use = macro_f1(real_gold, [p for r in results for p in r.result[3]], CLASSES)
        sup = "superset-of"
        right = (
            f"{given.confusion[sup][sup]}/{sum(given.confusion[sup].values())} / "
            f"{in_use.confusion[sup][sup]}/{sum(in_use.confusion[sup].values())}"
        )
        print(
            f"{name:<22}{given.macro_f1:>8.3f}{in_use.macro_f1:>10.3f}{right:>34}"
            f"{time.perf_counter() - start:>6.0f}",
            flush=True,
        )
