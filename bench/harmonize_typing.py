"""Relationship typing and link calibration, fitted and reported on held-out items only.

Used by ``bench/harmonize.py`` (``run`` and ``fit``).

- **Link calibrator** (P(a candidate is a gold link) from retrieval evidence): fitted on the engine's own
  top-10 candidates of CSF -> 800-53, CIS -> CSF and the five digital bills; reported leave one data set out.
- **Type model** (equivalent-to / subset-of / superset-of, or intersects-with when it abstains): fitted on
  the CIS v8 -> CSF 1.1 typed gold pairs (each also read the other way round) and on the digital bills'
  English-Malay section pairs, which are translations and so ``equivalent-to``. Every feature is one
  `harmonize` computes at run time. Reported by folds: CIS pairs grouped by CIS control (5 folds), the
  bills one bill at a time. The hyper-parameters (L2, feature set, the bills' weight, how balanced the
  decision rule is, when to abstain, whether equivalence must be one-to-one) are chosen inside each
  training part (nested), never on the fold being scored.
- **Typing in real use**: the type `harmonize` itself gives each gold pair that it finds among its
  top-10 candidates, with the fold's models; beside it the majority class and a word-coverage rule.
"""

from __future__ import annotations

import itertools
from collections import defaultdict
from dataclasses import replace
from typing import Any

import numpy as np
from harmonize_sets import Problem

from concord.engine.evaluate import expected_calibration_error, macro_f1
from concord.engine.folds import Fold, cross_fit, group_folds
from concord.engine.formats import GoldLink
from concord.engine.fusion import FusionParams
from concord.engine.harmonize import HarmonizeOptions, harmonize, relate_pairs
from concord.engine.relate import (
    CUE_FEATURES,
    FEATURES,
    LINK_FEATURES,
    MIRROR,
    QUERY_PASSAGE_FEATURES,
    TYPE_LEARNERS,
    TYPED_CLASSES,
    BlendModel,
    LogisticModel,
    OrdinalModel,
    RelationModel,
    TypeModel,
    choose_type,
    ordinal_columns,
    swap_features,
)
from concord.engine.types import Provision

FEATURE_SETS = {
    # everything harmonize computes at run time, but BM25, which means nothing across languages
    "all": [f for f in FEATURES if f != "lexical_z" and f not in CUE_FEATURES + QUERY_PASSAGE_FEATURES],
    # how distinct the pair is and how the two sides crowd round each other, plus length and coverage
    "compact": [
        "dense_z",
        "mutual",
        "log_rank_src",
        "log_rank_tgt",
        "rank_diff",
        "log_len_ratio",
        "log_sent_ratio",
        "cover_diff",
        "words_diff",
        "rel_src",
        "rel_tgt",
        "log_crowd_src",
        "log_crowd_tgt",
        "crowd_diff",
        "log_deg_src",
        "log_deg_tgt",
        "deg_diff",
        "log_chosen_src",
        "log_chosen_tgt",
        "chosen_diff",
        # which side is wider: the share of each side's sentences with a close counterpart, plain word
        # coverage, length in words, specificity, scope and detail cues
        "share_diff",
        "terms_diff",
        "log_word_ratio",
        "spec_diff",
        "scope_diff",
        "detail_src",
        "detail_tgt",
        "detail_diff",
    ],
}
# Tried: the same two sets with the limiting, enumeration and obligation cues (``--type-features cues``).
CUE_FEATURE_SETS = {
    "all": FEATURE_SETS["all"] + list(CUE_FEATURES),
    "compact": FEATURE_SETS["compact"] + ["limit_diff", "enum_diff", "duty_diff"],
}
# Tried: the same two sets with the query/passage asymmetry (``--type-features query-passage``).
QUERY_PASSAGE_FEATURE_SETS = {
    "all": FEATURE_SETS["all"] + list(QUERY_PASSAGE_FEATURES),
    "compact": FEATURE_SETS["compact"] + ["qp_diff"],
}
FEATURE_VARIANTS = {
    "shipped": dict(FEATURE_SETS),
    "cues": CUE_FEATURE_SETS,
    "query-passage": QUERY_PASSAGE_FEATURE_SETS,
}
# Hyper-parameters of the fit (each combination is one fit per training part)...
FIT_GRID: dict[str, tuple[Any, ...]] = {
    "l2": (10.0, 30.0, 100.0),
    "features": tuple(FEATURE_SETS),
    "bills_weight": (0.2, 1.0),  # how much the translated bills weigh against the CIS pairs
    # how much the pairs read from the documents' own hierarchy weigh in the ordinal model's fit
    # (`structure_items`; 0: none). Offered since the nested-CV run of 2026-12-06 won held out on both
    # measures (docs/evaluation.md); ``--type-structure 0`` gives the model of before
    "structure_weight": (0.0, 0.1, 0.25),
}
# ... and of the decision made with a fitted model (no refit): how balanced the decision rule is, when
# to abstain (intersects-with), and whether equivalence must be one-to-one (mutual best counterparts).
DECISION_GRID = {
    "bias_power": (0.0, 0.5),
    "abstain_below": (0.0, 0.45),
    "one_to_one": (True, False),
}
GRID = {**FIT_GRID, **DECISION_GRID}
# The ordinal learner (`relate.OrdinalModel`) has no feature-set choice (it reads the signed and the
# swap-invariant features) and one more decision setting: how wide the equivalence band is.
ORDINAL_FIT_GRID = {
    "l2": (1.0, 10.0, 30.0, 100.0),
    "bills_weight": (0.2, 1.0),
    "structure_weight": FIT_GRID["structure_weight"],
}
ORDINAL_DECISION_GRID = {**DECISION_GRID, "band_scale": (0.75, 1.0, 1.25)}
# The blend (`relate.BlendModel`) fits both with the logistic model's fit settings (the ordinal one
# sharing its L2 and the bills' weight) and chooses how much the ordinal model weighs with the decision.
# The blend's decision may also be made in two stages (`relate.choose_type`'s ``equivalent_at``:
# ``equivalent-to`` when its probability reaches the threshold, else the likelier direction; None: one
# stage). The inner CV chooses among these thresholds and the one-stage rule: the nested-CV run of
# 2026-12-06 won held out on both measures (docs/evaluation.md); ``--equivalent-at none`` gives the
# one-stage blend of before.
EQUIVALENT_AT: tuple[float | None, ...] = (None, 0.2, 0.3, 0.4)
BLEND_DECISION_GRID: dict[str, tuple[Any, ...]] = {
    **DECISION_GRID,
    "mix": (0.25, 0.5, 0.75),
    "equivalent_at": EQUIVALENT_AT,
}
GRIDS = {
    "logistic": (FIT_GRID, DECISION_GRID),
    "ordinal": (ORDINAL_FIT_GRID, ORDINAL_DECISION_GRID),
    "blend": (FIT_GRID, BLEND_DECISION_GRID),
}
# Which learners the inner CV chooses among. The shipped default is the blend of the logistic and the
# ordinal models: it held out better than the logistic model alone on both measures, and the ordinal
# one alone did not (docs/evaluation.md); ``--type-learners logistic,ordinal,...`` offers others.
LEARNERS: tuple[str, ...] = ("blend",)
TYPE_FOLDS = 5


# --- link calibration ---------------------------------------------------------------------------------


def harmonize_problem(p: Problem, encoder, model, fusion: FusionParams):
    """``harmonize`` on a benchmark problem as the engine runs it in real use (top 10, the problem's
    context)."""
    return harmonize(
        p.source,
        p.target,
        encoder,
        HarmonizeOptions(top_k=10),
        model=model,
        fusion=fusion,
        source_context=p.source_context,
        target_context=p.target_context,
    )


def candidate_rows(
    problems: list[Problem], encoder: Any, model: RelationModel, fusion: FusionParams
) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """Link features of the engine's top-10 candidates and whether each is gold, per problem group."""
    out: dict[str, tuple[list[list[float]], list[bool]]] = defaultdict(lambda: ([], []))
    for p in problems:
        gold = {(g.a_id, g.b_id) for g in p.gold}
        result = harmonize_problem(p, encoder, model, fusion)
        key = p.group if p.dataset == "crosswalk" else p.dataset
        for m in result.mappings:
            assert m.relation is not None
            out[key][0].append([m.relation.link_features[f] for f in LINK_FEATURES])
            out[key][1].append((m.source_id, m.target_id) in gold)
    return {k: (np.array(x), np.array(y)) for k, (x, y) in out.items()}


def fit_link(rows: dict[str, tuple[np.ndarray, np.ndarray]], names: list[str]) -> LogisticModel:
    x = np.vstack([rows[n][0] for n in names])
    y = np.concatenate([rows[n][1] for n in names])
    # each data set weighs the same, whatever its size
    w = np.concatenate([np.full(len(rows[n][1]), 1.0 / len(rows[n][1])) for n in names])
    return LogisticModel.fit(
        x, ["yes" if v else "no" for v in y], ["no", "yes"], list(LINK_FEATURES), l2=1.0, sample_weight=w
    )


def link_held_out(rows: dict[str, tuple[np.ndarray, np.ndarray]]) -> dict[str, dict[str, float]]:
    """Leave one data set out: ECE, Brier, and precision/recall at 0.5 of the calibrator on it."""
    report = {}
    for held in rows:
        model = fit_link(rows, [n for n in rows if n != held])
        p = model.predict_proba(rows[held][0])[:, 1]
        y = rows[held][1]
        cal = expected_calibration_error(p, y)
        tp = int(((p >= 0.5) & y).sum())
        report[held] = {
            "ece": round(cal.ece, 4),
            "brier": round(cal.brier, 4),
            "n": cal.samples,
            "precision@0.5": round(tp / max(int((p >= 0.5).sum()), 1), 4),
            "recall@0.5": round(tp / max(int(y.sum()), 1), 4),
        }
    return report


# --- type rows -----------------------------------------------------------------------------------------


def type_items(
    problems: list[Problem], encoder: Any, model: RelationModel, fusion: FusionParams
) -> list[dict]:
    """One item per typed gold pair, with its run-time features (read as `relate_pairs` computes them)
    and its fold group: ``cis:<control>`` or ``bill:<id>``."""
    items = []
    for p in problems:
        label = {(g.a_id, g.b_id): g.relationship or "equivalent-to" for g in p.gold}
        mappings = relate_pairs(
            p.source,
            p.target,
            list(label),
            encoder,
            HarmonizeOptions(query_passage=True),  # every feature, whether or not the shipped model reads it
            model=model,
            fusion=fusion,
            source_context=p.source_context,
            target_context=p.target_context,
        )
        for m in mappings:
            assert m.relation is not None
            group = f"cis:{m.source_id.split('.')[0]}" if p.group == "cis" else p.group
            items.append(
                {
                    "y": label[(m.source_id, m.target_id)],
                    "group": group,
                    "pair": (m.source_id, m.target_id),
                    "dataset": p.group,
                    "features": m.relation.features,
                }
            )
    return items


STRUCTURE_SETS = ("cis", "csf")  # which hierarchies give structure pairs (``--type-structure-sets``)


def structure_problems(cis: Problem, catalogue: list[Provision] | None = None) -> list[Problem]:
    """A parent provision against its children, from the documents' own hierarchy (ids and context,
    never gold links): the CIS v8 controls against their safeguards, and the CSF 1.1 categories against
    their subcategories. ``cis`` is the CIS v8 -> CSF 1.1 problem, whose source is the safeguards, whose
    context is the controls, and whose target and target context are the subcategories and categories.
    With ``catalogue`` (the SP 800-53 controls in force) and ``sp80053`` in `STRUCTURE_SETS`, also each
    base control against its enhancements (``AC-2`` holds ``AC-2(1)``), the variant tried 2026-12-07."""
    bases = [replace(c, parent=None) for c in catalogue or () if "(" not in c.id]
    enhancements = [c for c in catalogue or () if "(" in c.id]
    out = []
    for name, group, parents, children, parent_of in (
        ("CIS v8 controls -> safeguards", "cis", cis.source_context, cis.source, lambda i: i.split(".")[0]),
        (
            "CSF 1.1 categories -> subcategories",
            "csf",
            cis.target_context,
            cis.target,
            lambda i: i.rsplit("-", 1)[0],
        ),
        (
            "SP 800-53 base controls -> enhancements",
            "sp80053",
            bases,
            enhancements,
            lambda i: i.split("(")[0],
        ),
    ):
        if group not in STRUCTURE_SETS:
            continue
        ids = {p.id for p in parents}
        pairs = [GoldLink(parent_of(c.id), c.id, "superset-of") for c in children if parent_of(c.id) in ids]
        out.append(Problem(name, "structure", group, list(parents), list(children), pairs))
    return out


def structure_items(
    problems: list[Problem], encoder: Any, model: RelationModel, fusion: FusionParams
) -> list[dict]:
    """One item per parent and child (`structure_problems`), typed ``superset-of`` (the parent's scope
    holds the child's), with the features `relate_pairs` computes at run time. A pair from a CIS control
    is grouped with that control's typed pairs (``cis:<control>``), so it is held out with them; the CSF
    pairs are grouped by category (``structure:csf:<category>``). They are fitted on, never scored."""
    items = []
    for p in problems:
        mappings = relate_pairs(
            p.source,
            p.target,
            [(g.a_id, g.b_id) for g in p.gold],
            encoder,
            HarmonizeOptions(query_passage=True),
            model=model,
            fusion=fusion,
        )
        for m in mappings:
            assert m.relation is not None
            items.append(
                {
                    "y": "superset-of",
                    "group": f"cis:{m.source_id}"
                    if p.group == "cis"
                    else f"structure:{p.group}:{m.source_id}",
                    "pair": (m.source_id, m.target_id),
                    "dataset": "structure",
                    "features": m.relation.features,
                }
            )
    return items


def _kind(item: dict) -> str:
    return item["dataset"] if item["dataset"] in ("cis", "structure") else "bills"


def _weighted(
    items: list[dict], bills_weight: float, structure_weight: float, copies: int = 1
) -> tuple[list[dict], np.ndarray]:
    """The rows a fit reads, and each one's weight: the CIS pairs weigh 1 in all, the bills ``bills_weight``
    and the pairs read from document structure ``structure_weight``. A kind that weighs 0 is left out
    altogether, since even at weight 0 its rows would move the standardisation and the L2 term. ``copies``
    repeats the weights (the pairs read swapped)."""
    totals = {"cis": 1.0, "bills": bills_weight, "structure": structure_weight}
    kept = [it for it in items if totals[_kind(it)]]
    kinds = np.array([_kind(it) for it in kept] * copies)
    w = np.zeros(len(kinds))
    for kind, total in totals.items():
        mask = kinds == kind
        w[mask] = total / max(int(mask.sum()), 1)
    return kept, w


def _fit_types(
    items: list[dict],
    l2: float,
    bias_power: float,
    features: str = "all",
    bills_weight: float = 1.0,
    learner: str = "logistic",
    structure_weight: float = 0.0,
) -> tuple[TypeModel, dict[str, float]]:
    if learner == "ordinal":
        return _fit_ordinal(items, l2, bias_power, bills_weight, structure_weight)
    if learner == "blend":
        logistic, bias = _fit_types(items, l2, bias_power, features, bills_weight)
        ordinal, _ = _fit_ordinal(items, l2, bias_power, bills_weight, structure_weight)
        assert isinstance(logistic, LogisticModel)
        return BlendModel(logistic, ordinal), bias
    if learner != "logistic":
        raise ValueError(f"unknown type learner {learner!r}; choose among {', '.join(TYPE_LEARNERS)}")
    # the pairs read from document structure teach the logistic model that a close pair is not equivalent
    # (explored 2026-12-06: at any weight they cost it most of its equivalents), so only the ordinal model
    # reads them (``structure_weight``): here they weigh 0, which leaves them out
    items, w = _weighted(items, bills_weight, 0.0, copies=2)
    names = FEATURE_SETS[features]
    full = np.array([[it["features"][f] for f in FEATURES] for it in items])
    cols = [FEATURES.index(f) for f in names]
    xs = np.vstack([full[:, cols], swap_features(full)[:, cols]])
    y = [it["y"] for it in items]
    ys = y + [MIRROR.get(label, label) for label in y]
    model = LogisticModel.fit(xs, ys, list(TYPED_CLASSES), names, l2=l2, sample_weight=w)
    prior = {c: float(w[[label == c for label in ys]].sum() / w.sum()) for c in TYPED_CLASSES}
    bias = {c: round((1.0 / max(prior[c], 1e-6) / 3) ** bias_power, 4) for c in TYPED_CLASSES}
    return model, bias


def _fit_ordinal(
    items: list[dict], l2: float, bias_power: float, bills_weight: float, structure_weight: float = 0.0
) -> tuple[OrdinalModel, dict[str, float]]:
    """The ordinal model, weighted as `_fit_types` weighs the logistic one. It is symmetric by
    construction, so the pairs read swapped would add nothing."""
    items, w = _weighted(items, bills_weight, structure_weight)
    columns = ordinal_columns()
    x = np.array([[it["features"][f] for f in columns] for it in items])
    model = OrdinalModel.fit(x, [it["y"] for it in items], l2=l2, sample_weight=w)
    bias = {c: round((1.0 / max(model.prior[c], 1e-6) / 3) ** bias_power, 4) for c in TYPED_CLASSES}
    return model, bias


def predict(
    model: TypeModel,
    bias: dict[str, float],
    abstain: float,
    items: list[dict],
    one_to_one: bool = True,
    band_scale: float | None = None,
    mix: float | None = None,
    equivalent_at: float | None = None,
) -> list[str]:
    """The decision `relate` makes for a typed pair (`relate.choose_type`); ``band_scale`` sets the
    ordinal model's equivalence band and ``mix`` the blend's share of the ordinal model (each ignored
    by the models without it); ``equivalent_at`` the two-stage threshold (None: one stage)."""
    if band_scale is not None and isinstance(model, OrdinalModel):
        model = replace(model, band_scale=band_scale)
    if mix is not None and isinstance(model, BlendModel):
        model = replace(model, mix=mix)
    p = model.predict_proba(np.array([[it["features"][f] for f in model.features] for it in items]))
    return [
        choose_type(
            dict(zip(model.classes, row.tolist())),
            bias,
            mutual=bool(it["features"].get("mutual")) or not one_to_one,
            abstain_below=abstain,
            equivalent_at=equivalent_at,
        )[0]
        for row, it in zip(p, items)
    ]


def _bias(model_bias: dict[str, float], bias_power: float) -> dict[str, float]:
    """The class bias for ``bias_power``, from the inverse priors stored by `_fit_types` at power 1."""
    return {c: round(v**bias_power, 4) for c, v in model_bias.items()}


def _score(items: list[dict], predicted: list[str]) -> float:
    cis = [(it["y"], p) for it, p in zip(items, predicted) if it["dataset"] == "cis"]
    if not cis:
        return float(np.mean([p == it["y"] for it, p in zip(items, predicted)]))
    return macro_f1([a for a, _ in cis], [b for _, b in cis], list(TYPED_CLASSES)).macro_f1


def choose(items: list[dict], learners: tuple[str, ...] | None = None) -> dict[str, Any]:
    """The learner (among ``learners``, default `LEARNERS`) and its hyper-parameters by an inner grouped
    CV on ``items`` (CIS macro-F1): the caller passes only a training part, so the choice never sees the
    fold being scored. Each fit setting is fitted once per inner fold; every decision setting is scored
    on that same fit. On a tie the learner listed first (the shipped one) is kept."""
    folds = group_folds([it["group"] for it in items], 4, seed="inner")
    best: dict[str, Any] = {}
    best_score = -1.0
    for learner in learners or LEARNERS:
        fit_grid, decision_grid = GRIDS[learner]
        decisions = [dict(zip(decision_grid, v)) for v in itertools.product(*decision_grid.values())]
        for values in itertools.product(*fit_grid.values()):
            fp = {"learner": learner, "features": "all", **dict(zip(fit_grid, values))}

            def fit(train: list[dict], fp: dict[str, Any] = fp) -> Any:
                return _fit_types(
                    train,
                    fp["l2"],
                    1.0,
                    fp["features"],
                    fp["bills_weight"],
                    fp["learner"],
                    fp.get("structure_weight", 0.0),
                )

            def score(mb: Any, test: list[dict], decisions: list[dict[str, Any]] = decisions) -> Any:
                return test, [
                    predict(
                        mb[0],
                        _bias(mb[1], d["bias_power"]),
                        d["abstain_below"],
                        test,
                        d["one_to_one"],
                        d.get("band_scale"),
                        d.get("mix"),
                        d.get("equivalent_at"),
                    )
                    for d in decisions
                ]

            results = cross_fit(items, lambda it: it["group"], fit, score, folds)
            te = [it for r in results for it in r.result[0]]
            for k, d in enumerate(decisions):
                value = _score(te, [p for r in results for p in r.result[1][k]])
                if value > best_score + 1e-9:
                    best, best_score = {**fp, **d}, value
    return best


def hyper_parameters(fitted: dict[str, Any]) -> dict[str, Any]:
    """The chosen learner and settings of a `fit_types` result (what a report prints)."""
    return {k: v for k, v in fitted.items() if k not in ("model", "bias")}


def fit_types(items: list[dict], learners: tuple[str, ...] | None = None) -> dict[str, Any]:
    """Choose the learner and hyper-parameters on ``items`` and fit on all of them."""
    hp = choose(items, learners)
    model, bias = _fit_types(
        items,
        hp["l2"],
        hp["bias_power"],
        hp["features"],
        hp["bills_weight"],
        hp["learner"],
        hp.get("structure_weight", 0.0),
    )
    if isinstance(model, OrdinalModel):
        model = replace(model, band_scale=hp["band_scale"])
    if isinstance(model, BlendModel):
        model = replace(model, mix=hp["mix"])
    return {"model": model, "bias": bias, **hp}


def predict_fitted(fitted: dict[str, Any], items: list[dict]) -> list[str]:
    """`predict` with a `fit_types` result."""
    return predict(
        fitted["model"],
        fitted["bias"],
        fitted["abstain_below"],
        items,
        fitted["one_to_one"],
        equivalent_at=fitted.get("equivalent_at"),
    )


def type_folds(items: list[dict]) -> list[Fold]:
    """CIS pairs in 5 folds of whole CIS controls; each bill a fold of its own. Pairs read from document
    structure (`structure_items`) are held out with their CIS control, or only ever fitted on."""
    groups = sorted({it["group"] for it in items})
    cis = [g for g in groups if g.startswith("cis:")]
    cis_units = [set(f.test) for f in group_folds(cis, TYPE_FOLDS)]
    # the CSF categories' structure pairs are never scored; each category is held out with one CIS unit
    # (every group must be in some fold's test part), so no fold needs them
    for n, g in enumerate(g for g in groups if g.startswith("structure:")):
        cis_units[n % len(cis_units)].add(g)
    units = cis_units + [{g} for g in groups if g.startswith("bill:")]
    everything = frozenset(groups)
    return [Fold(f"types fold {n + 1}", everything - frozenset(u), frozenset(u)) for n, u in enumerate(units)]


def relation_model_for(
    base: RelationModel, fitted: dict[str, Any], link: LogisticModel | None = None
) -> RelationModel:
    return replace(
        base,
        types=fitted["model"],
        class_bias=fitted["bias"],
        abstain_below=fitted["abstain_below"],
        one_to_one=fitted["one_to_one"],
        equivalent_at=fitted.get("equivalent_at"),
        link=link or base.link,
        intersect_below=0.0,
        no_relationship_below=0.0,
    )


# --- baselines -----------------------------------------------------------------------------------------


def word_coverage_rule(features: dict[str, float]) -> str:
    """The plain rule: the side whose words the other covers more is the narrower; near-equal coverage
    both ways is equivalence."""
    a, b = features["words_src"], features["words_tgt"]
    if min(a, b) >= 0.8 * max(a, b, 1e-9) and min(a, b) > 0.3:
        return "equivalent-to"
    return "subset-of" if a >= b else "superset-of"


def typing_table(title: str, gold: list[str], predicted: dict[str, list[str]]) -> dict[str, Any]:
    print(f"\n## {title}")
    print(f"{'method':<22}{'macro-F1':>10}{'accuracy':>10}{'pairs':>8}")
    out = {}
    for name, pred in predicted.items():
        m = macro_f1(gold, pred, list(TYPED_CLASSES))
        out[name] = m
        print(f"{name:<22}{m.macro_f1:>10.4f}{m.accuracy:>10.4f}{m.pairs:>8}")
    engine = out["engine"]
    cols = list(next(iter(engine.confusion.values())))
    print("engine confusion (rows gold, columns predicted):")
    print(" " * 16 + "".join(f"{c[:14]:>16}" for c in cols))
    for g, row in engine.confusion.items():
        print(f"{g:<16}" + "".join(f"{row[c]:>16}" for c in cols))
    return out
