"""Harmonization quality on documents the engine was not tuned on, beside plain baselines; and top-k speed.

    .venv/bin/python bench/harmonize.py                      # every table (held-out figures only)
    .venv/bin/python bench/harmonize.py --parts retrieval    # one part: retrieval, typing, sentences, topk,
                                                             # typing-variants (learners tried, not shipped),
                                                             # typing-signals (single-feature AUCs),
                                                             # sparse (the encoder's latent terms, tried)
                                                             # diverse (a diverse top ten, tried)
                                                             # adapter (a learned weighting of the
                                                             # encoder's dimensions, tried)
                                                             # lexical-context (the parent's words in
                                                             # the source's BM25 query, tried)
    .venv/bin/python bench/harmonize.py fit                  # the same, then refit and save the shipped
                                                             # fusion_params.json and relate_params.json
    .venv/bin/python bench/harmonize.py --parts retrieval --sets crosswalk,ntrex   # some sets only
    .venv/bin/python bench/harmonize.py --parts typing --type-learners logistic,ordinal
                                                             # the inner CV chooses the type learner too
    .venv/bin/python bench/harmonize.py fit --keep-base --parts retrieval --sets crosswalk,ntrex
                                                             # refit only the context weights (stage 2)

Anything tuned is reported only on items its parameters never saw (`concord.engine.folds.cross_fit`):

- **retrieval** (the fusion of dense and BM25 evidence, `concord.engine.fusion`): folds are each crosswalk
  (leave one data set out), five folds of whole bills (each with its bills pooled for the across-bills
  problem), and each pool of 300 NTREX sentences. A fold's settings are chosen on every *other* fold's
  problems (each kind of data weighing the same), then the engine itself ranks the fold's problems.
  Beside it, on the same items: BM25 alone, dense cosine with the same encoder alone, and their
  reciprocal-rank fusion.
- **typing** and **link calibration**: see ``bench/harmonize_typing.py``.
- **sentences**: sentence pooling variants held out one crosswalk at a time, and how the CSF figures
  depend on the roll-up onto base controls (``bench/harmonize_sentences.py``; not part of the default run).
- **topk**: 10k x 10k exact top-k against the numpy floor (speed, not quality).

The sets (``bench/harmonize_sets.py``) are read from ``../shared/data`` at run time, never copied. E5
vectors are cached in ``bench/out/embeddings.sqlite``: a first run encodes about 60,000 texts (an hour or
more on two cores); later runs take minutes. ``CONCORD_BENCH_CACHE`` names another file for them (for
example one outside the checkout, shared by several worktrees). Nothing here asserts: it prints.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
import time
import tracemalloc
from collections import defaultdict
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import harmonize_adapter as had  # noqa: E402
import harmonize_diversity as hdv  # noqa: E402
import harmonize_lexical_context as hlc  # noqa: E402
import harmonize_retrieval as hr  # noqa: E402
import harmonize_retrieval_variants as hv_retrieval  # noqa: E402
import harmonize_sentences as hs  # noqa: E402
import harmonize_sparse as hsp  # noqa: E402
import harmonize_typing as ht  # noqa: E402
import harmonize_typing_signals as hsig  # noqa: E402
import harmonize_typing_variants as hv  # noqa: E402
from harmonize_sets import DATA, Problem, all_problems, crosswalks, folds_for  # noqa: E402

from concord.engine.encoders import CachedEncoder, E5Encoder  # noqa: E402
from concord.engine.evaluate import retrieval_metrics  # noqa: E402
from concord.engine.folds import Provenance, cross_fit  # noqa: E402
from concord.engine.fusion import PARAMS_PATH as FUSION_PATH  # noqa: E402
from concord.engine.fusion import FusionParams, load_fusion  # noqa: E402
from concord.engine.harmonize import HarmonizeOptions, harmonize  # noqa: E402
from concord.engine.relate import PARAMS_PATH as RELATE_PATH  # noqa: E402
from concord.engine.relate import RelationModel, load_model  # noqa: E402
from concord.engine.retrieve import topk_dense  # noqa: E402

OUT = ROOT / "bench" / "out"
TARGETS = {
    "crosswalk": "MRR >= 0.50 and R@10 >= 0.65 on a crosswalk left out of all tuning",
    "bills-within": "acc@1 >= 0.98",
    "bills-across": "acc@1 >= 0.90",
    "ntrex-en-ms": "acc@1 >= 0.99 among 300",
    "ntrex-en-ur": "acc@1 >= 0.99 among 300",
    "ntrex-ms-ur": "never below the encoder alone",
}
COMMAND = ".venv/bin/python bench/harmonize.py fit"


def measured_time(fn: Callable[[], Any]) -> tuple[Any, float]:
    """Run ``fn``; return its result and seconds."""
    start = time.perf_counter()
    return fn(), time.perf_counter() - start


def measured(fn: Callable[[], Any]) -> tuple[Any, float, float]:
    """Run ``fn``; return its result, seconds and peak traced memory in MiB."""
    tracemalloc.start()
    start = time.perf_counter()
    result = fn()
    seconds = time.perf_counter() - start
    peak = tracemalloc.get_traced_memory()[1] / 2**20
    tracemalloc.stop()
    return result, seconds, peak


# --- retrieval ------------------------------------------------------------------------------------------


def run_retrieval(
    encoder: Any,
    background: Any,
    save: bool,
    sets: set[str] | None = None,
    keep_base: bool = False,
    diverse: bool = False,
    headings: bool = False,
    variants: bool = True,
) -> FusionParams:
    problems = all_problems(sets, headings=headings)
    start = time.perf_counter()
    for n, p in enumerate(problems):
        # best-sentence scores need the targets' sentences; the English sides never need theirs
        hr.prepare(p, encoder, sentences=True)
        if n % 25 == 0:
            print(
                f"prepared {n + 1}/{len(problems)} problems ({time.perf_counter() - start:.0f} s)", flush=True
            )
    folds = folds_for(problems)
    results = hr.held_out(problems, folds, encoder, background)
    table = hr.metrics_table(results)
    print(
        "\n# Retrieval, held out (each fold ranked with settings fitted on the other folds; settings chosen "
        f"by {hr.SELECT}; sentence-by-sentence weights {hr.GRID_DENSE['sentence_mean_weight']})"
    )
    for dataset, methods in table.items():
        lo, hi = methods.pop("lexical weight")
        print(
            f"\n## {dataset}   target: {TARGETS.get(dataset, '-')}   "
            f"(planned lexical weight {lo:.2f}-{hi:.2f})"
        )
        print(f"{'method':<10}{'acc@1':>9}{'R@10':>9}{'MRR':>9}")
        for method in ("bm25", "dense", "rrf", "engine"):
            m = methods[method]
            print(f"{method:<10}{m['acc@1']:>9.4f}{m['R@10']:>9.4f}{m['MRR']:>9.4f}")
    print("\nper crosswalk (left out of all tuning):")
    for r in results:
        for name, item in r.result.items():
            if item["problem"].dataset == "crosswalk":
                p: Problem = item["problem"]
                line = []
                for method in ("bm25", "dense", "rrf", "engine"):
                    m = retrieval_metrics(item[method], p.relevant)
                    line.append(f"{method} MRR {m.mrr:.3f} R@10 {m.recall[10]:.3f}")
                print(f"  {name}: " + "; ".join(line))
                # the same fold's settings with one piece taken away, to show what each piece is worth
                for label, params, options in (
                    (
                        "without context",
                        replace(r.params, context_weight=0.0, target_context_weight=0.0),
                        None,
                    ),
                    ("without roll-up", r.params, HarmonizeOptions(top_k=10, rollup=False)),
                    ("without siblings", replace(r.params, sibling_weight=0.0), None),
                ):
                    if label == "without siblings" and not r.params.sibling_weight:
                        continue
                    if label == "without roll-up" and not p.hierarchical_target:
                        continue
                    ranked, _ = hr.engine_ranked(p, encoder, params, background, options)
                    m = retrieval_metrics(ranked, p.relevant)
                    print(f"    engine {label}: MRR {m.mrr:.3f} R@10 {m.recall[10]:.3f}")
    for line in without_headings(results, encoder, background):
        print(line)
    print("\nsettings chosen per fold:")
    for r in results:
        p = r.params
        print(
            f"  {r.fold:<16} hub {p.hub_weight} sentence {p.sentence_weight} by sentence "
            f"{p.sentence_mean_weight} lexical max {p.lexical_max} "
            f"agreement {p.agree_low}-{p.agree_high} context {p.context_weight} "
            f"target context {p.target_context_weight} siblings {p.sibling_weight} "
            f"heading {r.params.heading_weight}"
        )
    for line in hv_retrieval.report(problems, results, encoder, background) if variants else ():
        print(line)
    if diverse:  # a variant tried: its second step reads the folds' settings
        for line in hdv.one_to_one(problems, results, background):
            print(line, flush=True)
    shipped = load_fusion() if keep_base else None
    final, seconds = measured_time(lambda: hr.fit_fusion(problems, background, base=shipped))
    print(
        f"\nfit on {'the given' if sets else 'all'} development problems: {seconds:.0f} s "
        f"({0 if keep_base else len(hr.grid())} + {len(hr.context_grid(final))} settings)"
    )
    if save:
        held = {
            d: {m: {k: round(v, 4) for k, v in s.items()} for m, s in ms.items()} for d, ms in table.items()
        }
        provenance = Provenance(
            command=COMMAND,
            data="CSF 1.1 -> SP 800-53 r5, CIS v8 -> CSF 1.1, English-Malay sections of 105 bills "
            "(within and across bills), NTREX en/ms/ur sentences (pools of 300)",
            fitted=dt.date.today().isoformat(),
            fitted_on=sorted({p.group for p in problems}),
            held_out=held,
            notes="two-stage grid search (dense and lexical settings, then the context weights); each data "
            f"kind weighs the same; settings chosen by {hr.SELECT}; held_out is cross-fitted "
            "(see bench/harmonize.py)",
        ).to_dict()
        if shipped is not None:  # stage 1 kept from the shipped fit; its held-out figures stand beside ours
            old = shipped.provenance
            provenance = {
                **provenance,
                "command": f"{COMMAND} --keep-base --sets {','.join(sorted(sets or ()))}",
                "fitted_on": sorted(set(old.get("fitted_on", [])) | set(provenance["fitted_on"])),
                "held_out": {**old.get("held_out", {}), **held},
                "notes": "stage 1 (dense and lexical settings) kept from the fit of "
                f"{old.get('fitted', '?')} on all development data; stage 2 (context weights) refitted on "
                f"{', '.join(sorted(sets or ('every set',)))}: only problems with document structure (the "
                "crosswalks) change under it, so it is the stage 2 a full fit would choose. held_out: "
                f"{', '.join(sorted(held))} cross-fitted in this run (folds fitted on these sets only), the "
                "rest from the full run of the base fit, which context cannot change",
            }
        final = FusionParams(**{**final.to_dict(), "provenance": provenance})
        final.save(FUSION_PATH)
        print(
            f"\nwrote {FUSION_PATH}: {final.hub_weight=} {final.sentence_weight=} {final.lexical_max=} "
            f"{final.agree_low=} {final.agree_high=} {final.context_weight=} {final.target_context_weight=}"
        )
    return final


def without_headings(results: list[Any], encoder: Any, background: Any) -> list[str]:
    """The bills read with their headings, ranked by the engine with each fold's settings but no heading
    score (the same texts, the same folds): what the heading score itself adds, held out."""
    ranked: dict[str, dict[str, list[str]]] = defaultdict(dict)
    relevant: dict[str, dict[str, set[str]]] = defaultdict(dict)
    for r in results:
        for item in r.result.values():
            p: Problem = item["problem"]
            if p.headed:
                found, _ = hr.engine_ranked(p, encoder, replace(r.params, heading_weight=0.0), background)
                ranked[p.dataset].update(found)
                relevant[p.dataset].update(p.relevant)
    lines = (
        ["\nthe bills read with headings, engine with each fold's settings and no heading score:"]
        if ranked
        else []
    )
    for dataset, lists in sorted(ranked.items()):
        m = retrieval_metrics(lists, relevant[dataset])
        lines.append(f"  {dataset}: acc@1 {m.recall[1]:.4f} R@10 {m.recall[10]:.4f} MRR {m.mrr:.4f}")
    return lines


# --- typing and links -----------------------------------------------------------------------------------


def typed_problems() -> list[Problem]:
    cis = [p for p in crosswalks() if p.group == "cis"]
    from harmonize_sets import _bill_rows, _bill_sides

    from concord.engine.formats import GoldLink

    digital = {
        r["bill_id"] for r in __import__("harmonize_sets").rows("crosslingual/en-ms-digital-bills.jsonl")
    }
    bills = []
    for bill, items in _bill_rows().items():
        if bill in digital:
            en, ms = _bill_sides(bill, items)
            bills.append(
                Problem(
                    f"bill {bill}",
                    "bills-within",
                    f"bill:{bill}",
                    en,
                    ms,
                    [GoldLink(a.id, b.id, "equivalent-to") for a, b in zip(en, ms)],
                )
            )
    return cis + bills


def run_typing(encoder: Any, fusion: FusionParams, save: bool) -> None:
    base = load_model()
    base = RelationModel.from_dict(
        {**base.to_dict(), "background": {encoder.model_id: list(_background(encoder))}}
    )
    link_sets = crosswalks() + [p for p in typed_problems() if p.group != "cis"]
    rows = ht.candidate_rows(link_sets, encoder, base, fusion)
    link_report = ht.link_held_out(rows)
    print("\n# Link calibration, leave one data set out")
    for name, r in link_report.items():
        print(
            f"  {name:<14} ECE {r['ece']:.4f}  Brier {r['brier']:.4f}  P@0.5 {r['precision@0.5']:.3f}  "
            f"R@0.5 {r['recall@0.5']:.3f}  (n {r['n']})"
        )
    link_final = ht.fit_link(rows, list(rows))
    link_cis = ht.fit_link(rows, [n for n in rows if n != "cis"])  # CIS is typed without its own links

    problems = typed_problems()
    items = ht.type_items(problems, encoder, base, fusion)
    if any(ht.FIT_GRID["structure_weight"]):
        catalogue = link_sets[0].target if "sp80053" in ht.STRUCTURE_SETS else None  # SP 800-53, loaded above
        structure = ht.structure_items(ht.structure_problems(problems[0], catalogue), encoder, base, fusion)
        print(
            f"\npairs read from document structure (parent superset-of child; fitted on, never scored): "
            f"{len(structure)}"
        )
        items += structure
    folds = ht.type_folds(items)
    results = cross_fit(
        items,
        lambda it: it["group"],
        ht.fit_types,
        lambda f, te: (te, ht.predict_fitted(f, te)),
        folds,
    )
    for r in results:
        print(f"  {r.fold}: " + ", ".join(f"{k} {v}" for k, v in ht.hyper_parameters(r.params).items()))
    cis_items = [(it, p) for r in results for it, p in zip(*r.result) if it["dataset"] == "cis"]
    gold = [it["y"] for it, _ in cis_items]
    ht.typing_table(
        "Typing, gold pairs given: CIS v8 -> CSF 1.1 (folds of whole CIS controls; nested hyper-parameters)",
        gold,
        {
            "engine": [p for _, p in cis_items],
            "always subset-of": ["subset-of"] * len(gold),
            "word-coverage rule": [ht.word_coverage_rule(it["features"]) for it, _ in cis_items],
        },
    )
    bill_items = [
        (it, p) for r in results for it, p in zip(*r.result) if it["dataset"] not in ("cis", "structure")
    ]
    share = np.mean([p == "equivalent-to" for _, p in bill_items]) if bill_items else float("nan")
    print(
        "\nTranslated bill sections typed equivalent-to (each bill held out): "
        f"{share:.3f} of {len(bill_items)}"
    )

    # real use: harmonize CIS -> CSF with each fold's models, the types it gives the gold pairs it finds
    cis = problems[0]
    label = {(g.a_id, g.b_id): g.relationship for g in cis.gold}
    gold_real, engine_real, rule_real = [], [], []
    for r in results:
        test_groups = {g for g in r.scored_on if g.startswith("cis:")}
        if not test_groups:
            continue
        model = ht.relation_model_for(base, r.params, link_cis)
        result = ht.harmonize_problem(cis, encoder, model, fusion)
        for m in result.mappings:
            if (m.source_id, m.target_id) in label and f"cis:{m.source_id.split('.')[0]}" in test_groups:
                gold_real.append(str(label[(m.source_id, m.target_id)]))
                engine_real.append(m.relationship)
                assert m.relation is not None
                rule_real.append(ht.word_coverage_rule(m.relation.features))
    # real use on the translated bills: the types harmonize gives the correct section pairs it finds,
    # each bill typed by the models of the fold that held it out
    bill_types: dict[str, int] = {}
    for r in results:
        for bill in problems[1:]:
            if bill.group not in r.scored_on:
                continue
            model = ht.relation_model_for(base, r.params, link_cis)
            found = harmonize(
                bill.source, bill.target, encoder, HarmonizeOptions(top_k=10), model=model, fusion=fusion
            )
            right = {(g.a_id, g.b_id) for g in bill.gold}
            for m in found.mappings:
                if (m.source_id, m.target_id) in right:
                    bill_types[m.relationship] = bill_types.get(m.relationship, 0) + 1
    bills_found = sum(bill_types.values())
    bills_equivalent_real = bill_types.get("equivalent-to", 0) / max(bills_found, 1)
    print(
        f"Translated bill sections in real use (the correct pairs harmonize finds, {bills_found} of "
        f"{sum(len(b.gold) for b in problems[1:])}), by type: "
        + ", ".join(f"{k} {v}" for k, v in sorted(bill_types.items(), key=lambda kv: -kv[1]))
    )
    ht.typing_table(
        f"Typing in real use: the type harmonize gives the {len(gold_real)} of {len(label)} CIS gold "
        "pairs it finds in its top 10 (held-out folds)",
        gold_real,
        {
            "engine": engine_real,
            "always subset-of": ["subset-of"] * len(gold_real),
            "word-coverage rule": rule_real,
        },
    )
    if save:
        fitted = ht.fit_types(items)
        model = ht.relation_model_for(base, fitted, link_final)
        model.provenance = Provenance(
            command=COMMAND,
            data="links: engine top-10 candidates of CSF 1.1 -> SP 800-53 r5, CIS v8 -> CSF 1.1 and the five "
            "digital bills (EN -> MS); types: CIS v8 -> CSF 1.1 typed gold pairs (each also read swapped) "
            "and the digital bills' section pairs as equivalent-to; for the ordinal model also parent "
            "superset-of child pairs read from the CIS v8 and CSF 1.1 hierarchies (structure, no gold)",
            fitted=dt.date.today().isoformat(),
            fitted_on=sorted({it["group"] for it in items} | set(rows)),
            held_out={
                "link_leave_one_set_out": link_report,
                "types_given_cis_macro_f1": round(
                    ht.macro_f1(gold, [p for _, p in cis_items], list(ht.TYPED_CLASSES)).macro_f1, 4
                ),
                "types_real_use_cis_macro_f1": round(
                    ht.macro_f1(gold_real, engine_real, list(ht.TYPED_CLASSES)).macro_f1, 4
                ),
                "bills_typed_equivalent": round(float(share), 4),
                "bills_real_use_typed_equivalent": round(float(bills_equivalent_real), 4),
                "hyper_parameters": ht.hyper_parameters(fitted),
                "learners_considered": list(ht.LEARNERS),
            },
            notes="features are only those harmonize computes at run time; hyper-parameters chosen by an "
            "inner grouped CV inside each training part",
        ).to_dict()
        model.save(RELATE_PATH)
        print(f"\nwrote {RELATE_PATH}")


def run_typing_variants(encoder: Any, fusion: FusionParams) -> None:
    """Type-model variants beside the shipped learner, on the same held-out folds (nothing is saved)."""
    base = load_model()
    base = RelationModel.from_dict(
        {**base.to_dict(), "background": {encoder.model_id: list(_background(encoder))}}
    )
    problems = typed_problems()
    items = ht.type_items(problems, encoder, base, fusion)
    # real use: the features harmonize computes for the CIS gold pairs it finds, with the link calibrator
    # fitted without CIS (as `run_typing`); these do not depend on the type model
    rows = ht.candidate_rows(crosswalks() + [p for p in problems if p.group != "cis"], encoder, base, fusion)
    link_cis = ht.fit_link(rows, [n for n in rows if n != "cis"])
    model = replace(base, link=link_cis, intersect_below=0.0, no_relationship_below=0.0)
    cis = problems[0]
    label = {(g.a_id, g.b_id): str(g.relationship) for g in cis.gold}
    result = ht.harmonize_problem(cis, encoder, model, fusion)
    real = []
    for m in result.mappings:
        if (m.source_id, m.target_id) in label:
            assert m.relation is not None
            real.append(
                {
                    "y": label[(m.source_id, m.target_id)],
                    "group": f"cis:{m.source_id.split('.')[0]}",
                    "dataset": "cis",
                    "features": m.relation.features,
                    "override": m.relationship if m.relationship in ("equal-to", "contrary-to") else None,
                }
            )
    hv.run_variants(items, real)


def _background(encoder: Any) -> tuple[float, float]:
    """The encoder's typical similarity between a provision and the provisions of another document: the
    mean over the crosswalks' and digital bills' source rows of each row's mean and standard deviation.
    Unsupervised (no gold is read)."""
    from concord.engine.harmonize import provision_text

    means, stds = [], []
    for p in typed_problems()[1:] + crosswalks():
        s = encoder.encode([provision_text(x) for x in p.source], kind="query")
        t = encoder.encode([provision_text(x) for x in p.target], kind="query")
        sims = s @ t.T
        means += sims.mean(axis=1).tolist()
        stds += sims.std(axis=1).tolist()
    return round(float(np.mean(means)), 4), round(float(np.mean(stds)), 4)


# --- speed ----------------------------------------------------------------------------------------------


def run_topk() -> None:
    rng = np.random.default_rng(0)
    q = rng.standard_normal((10_000, 384), dtype=np.float32)
    c = rng.standard_normal((10_000, 384), dtype=np.float32)
    q /= np.linalg.norm(q, axis=1, keepdims=True)
    c /= np.linalg.norm(c, axis=1, keepdims=True)

    def floor() -> np.ndarray:
        s = q @ c.T
        return np.argpartition(-s, 9, axis=1)[:, :10]

    lines = []
    for name, fn in (("numpy floor", floor), ("engine", lambda: topk_dense(q, c, 10, memory_mb=256))):
        best = None
        for _ in range(3):
            _, seconds, peak = measured(fn)
            best = (seconds, peak) if best is None or seconds < best[0] else best
        assert best is not None
        lines.append((name, best[0], best[1]))
    print("\n# top-10 of 10k x 10k float32 vectors (best of 3); target: within 2x the numpy floor")
    for name, seconds, peak in lines:
        print(f"  {name:<12} {seconds:>7.2f} s {peak:>8.1f} MiB")
    print(f"  engine / floor time: {lines[1][1] / lines[0][1]:.2f}x")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("command", nargs="?", default="run", choices=("run", "fit"))
    parser.add_argument("--parts", default="retrieval,typing,topk")
    parser.add_argument(
        "--recompute-background",
        action="store_true",
        help="recompute the encoder's background similarity instead of reading the shipped model's",
    )
    parser.add_argument(
        "--keep-base",
        action="store_true",
        help="fit: keep the shipped dense and lexical settings, refit only the context weights (with "
        "--sets crosswalk,...: context changes only the sets with document structure)",
    )
    parser.add_argument(
        "--sets",
        default="",
        help="retrieval on some sets only, for a quick look: crosswalk, bills, ntrex (comma-separated; "
        "default all). Folds are then fitted on those sets alone, so `fit` refuses it",
    )
    parser.add_argument(
        "--type-learners",
        default=",".join(ht.LEARNERS),
        help="typing: the type learners the inner CV chooses among (logistic, ordinal, blend; "
        f"comma-separated, default {','.join(ht.LEARNERS)})",
    )
    parser.add_argument(
        "--type-features",
        default="shipped",
        choices=tuple(ht.FEATURE_VARIANTS),
        help="typing: the logistic model's feature sets (shipped; or the tried variants: cues, "
        "query-passage)",
    )
    parser.add_argument(
        "--equivalent-at",
        default="none,0.2,0.3,0.4",
        help="typing: the two-stage thresholds the blend's inner CV chooses among (none: one stage; "
        "default none,0.2,0.3,0.4, the shipped grid; none alone gives the one-stage blend of before)",
    )
    parser.add_argument(
        "--type-structure",
        default="0,0.1,0.25",
        help="typing: the weights the inner CV chooses among for the pairs read from document structure "
        "(a parent superset-of each child), which only the ordinal model reads (default 0,0.1,0.25, the "
        "shipped grid; 0 alone gives the model of before)",
    )
    parser.add_argument(
        "--type-structure-sets",
        default=",".join(ht.STRUCTURE_SETS),
        help="typing: the hierarchies that give structure pairs: cis (controls -> safeguards), csf "
        "(categories -> subcategories), sp80053 (base controls -> enhancements; tried 2026-12-07); "
        f"default {','.join(ht.STRUCTURE_SETS)}",
    )
    parser.add_argument(
        "--sentence-mean",
        default="none",
        help="retrieval: the grid's weights for a query of several sentences read sentence by sentence "
        "against a document of passages (FusionParams.sentence_mean_weight; none: every query read whole; "
        "comma-separated, default none)",
    )
    parser.add_argument(
        "--headings",
        action="store_true",
        help="retrieval: also the bills read with their headings, and the fit's third stage, the weight of "
        "the headings' cosine (FusionParams.heading_weight), fitted on them only",
    )
    parser.add_argument(
        "--no-variants",
        action="store_true",
        help="retrieval: leave out the variants tried for R@10 (they encode SP 800-53's discussions and "
        "the targets as passages, about 30 minutes the first time)",
    )
    parser.add_argument(
        "--select",
        default=hr.SELECT,
        choices=("argmax", "smooth", "bagged"),
        help="retrieval: how each fit chooses its settings: argmax (the best objective), smooth (the "
        "best objective averaged with the grid's neighbours') or bagged (the setting that wins most often "
        "over resamples of the training sources)",
    )
    args = parser.parse_args(argv)
    hr.SELECT = args.select
    hr.GRID_DENSE["sentence_mean_weight"] = tuple(
        None if v.strip() == "none" else float(v) for v in args.sentence_mean.split(",") if v.strip()
    ) or (None,)
    structure_sets = tuple(s.strip() for s in args.type_structure_sets.split(",") if s.strip())
    if not set(structure_sets) <= {"cis", "csf", "sp80053"}:
        print(
            f"bench: --type-structure-sets {args.type_structure_sets!r}: give cis, csf, sp80053",
            file=sys.stderr,
        )
        return 2
    ht.STRUCTURE_SETS = structure_sets
    ht.FIT_GRID["structure_weight"] = ht.ORDINAL_FIT_GRID["structure_weight"] = tuple(
        float(v) for v in args.type_structure.split(",") if v.strip()
    ) or (0.0,)
    ht.BLEND_DECISION_GRID["equivalent_at"] = tuple(
        None if v.strip() == "none" else float(v) for v in args.equivalent_at.split(",") if v.strip()
    )
    ht.FEATURE_SETS.update(ht.FEATURE_VARIANTS[args.type_features])
    learners = tuple(s.strip() for s in args.type_learners.split(",") if s.strip())
    if not learners or not set(learners) <= set(ht.GRIDS):
        print(
            f"bench: --type-learners {args.type_learners!r}: give logistic, ordinal, blend or several",
            file=sys.stderr,
        )
        return 2
    ht.LEARNERS = learners
    sets = {s.strip() for s in args.sets.split(",") if s.strip()} or None
    if sets is not None and (
        (args.command == "fit" and not args.keep_base) or not sets <= {"crosswalk", "bills", "ntrex"}
    ):
        print(
            f"bench: --sets {args.sets!r}: give crosswalk, bills or ntrex, and only with run or with "
            "fit --keep-base (a full fit uses every set)",
            file=sys.stderr,
        )
        return 2
    if args.keep_base and (args.command != "fit" or "crosswalk" not in (sets or {"crosswalk"})):
        print(
            "bench: --keep-base refits the context weights: use it with fit, on the crosswalks",
            file=sys.stderr,
        )
        return 2
    if not DATA.is_dir():
        print(
            f"bench: the development data is missing: expected {DATA} (../shared/data from the project root)",
            file=sys.stderr,
        )
        return 2
    OUT.mkdir(parents=True, exist_ok=True)
    encoder = CachedEncoder(E5Encoder(), os.environ.get("CONCORD_BENCH_CACHE") or OUT / "embeddings.sqlite")
    parts = set(args.parts.split(","))
    save = args.command == "fit"
    # the shipped relation model stores the background this same function computed at its fit (the data
    # has not changed, and no gold goes into it): reuse it unless asked to recompute
    shipped = None if args.recompute_background else load_model().background_for(encoder.model_id)
    background = shipped or _background(encoder)
    print(
        f"encoder {encoder.model_id}: background similarity mean {background[0]}, std {background[1]} "
        f"({'as stored with the shipped relation model' if shipped else 'computed'})"
    )
    fusion: FusionParams | None = None  # the shipped settings unless retrieval is refitted in this run
    if "retrieval" in parts:
        fusion = run_retrieval(
            encoder,
            background,
            save,
            sets,
            args.keep_base,
            "diverse" in parts,
            args.headings,
            not args.no_variants,
        )
    if "typing" in parts:
        from concord.engine.fusion import load_fusion

        run_typing(encoder, fusion or load_fusion(), save)
    if "typing-variants" in parts:
        from concord.engine.fusion import load_fusion

        run_typing_variants(encoder, fusion or load_fusion())
    if "typing-signals" in parts:
        hsig.run_signals(next(p for p in crosswalks() if p.group == "cis"), encoder)
    if "sentences" in parts:
        from concord.engine.fusion import load_fusion

        hs.run_sentences(crosswalks(), encoder, fusion or load_fusion(), background)
    if "sparse" in parts:
        for line in hsp.run_sparse(crosswalks(), encoder, background):
            print(line, flush=True)
    if "diverse" in parts:
        for line in hdv.run_diverse(crosswalks(), encoder, background):
            print(line, flush=True)
    if "lexical-context" in parts:
        for line in hlc.run_lexical_context(crosswalks(), encoder, background):
            print(line, flush=True)
    if "adapter" in parts:
        for line in had.run_adapter(crosswalks(), encoder, background, _background):
            print(line, flush=True)
    if "topk" in parts:
        run_topk()
    return 0


if __name__ == "__main__":
    sys.exit(main())
