"""Benchmark of talent mobility: skill linking quality and stable allocation speed, printed as tables.

    .venv/bin/python bench/talent.py                 # both tables
    .venv/bin/python bench/talent.py --only skills   # skill linking on ../shared/data/skills/, held out
    .venv/bin/python bench/talent.py --only skills --in-sample   # ... and the flattering in-sample figures
    .venv/bin/python bench/talent.py --only allocate # 20,000 applicants x 500 programmes
    .venv/bin/python bench/talent.py --only groups   # the same with a declared group besides the country
    .venv/bin/python bench/talent.py fit             # refit concord/engine/skills_params.json

Skill linking: R-Precision@5 (in %) on the TECH and HOUSE validation sentences against the 13,896 ESCO
preferred labels. Anything fitted is reported only on sentences its fit never saw: 5 folds of whole
sentences (over TECH + HOUSE), and cross-set (fit on TECH, score HOUSE, and back) as a proxy for an unseen
kind of sentence (`engine.folds.cross_fit`). Beside the engine, on the same sentences: TF-IDF, BM25 alone,
dense E5 cosine alone and RRF(BM25, dense), k=60, which fit nothing. ``fit`` picks the engine's parameters on
every sentence and writes them with their provenance; the linker loads them as its defaults. The label
vectors come from the real E5 model, cached in ``bench/out/skills-e5.sqlite`` (the first run encodes them,
as passages and as queries, about ten minutes each on two cores). The data is read in place, never copied.

Allocation: a synthetic market (popular and unpopular programmes, programmes ranking their applicants by a
common ability plus noise), timed as the best of three runs, checked with the engine's stability checker;
then the same market with reserves, and the welfare variant against deferred acceptance on a smaller one.
These are measurements, never assertions.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
import time
from collections import Counter
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from concord.engine.encoders import get_encoder  # noqa: E402
from concord.engine.folds import Provenance, group_folds  # noqa: E402
from concord.engine.match import (  # noqa: E402
    Applicant,
    Programme,
    blocking_pairs,
    deferred_acceptance,
    deferred_acceptance_prepared,
    prepare,
    summarise,
    welfare_allocation,
)
from concord.engine.skills import (  # noqa: E402
    HAND_SET,
    PARAMS_PATH,
    LinkerConfig,
    Signals,
    SkillLinker,
    read_labels,
    write_params,
)
from concord.engine.skills_fit import (  # noqa: E402
    BASELINES,
    HeldOut,
    LabelledSentence,
    TfidfIndex,
    best_point,
    default_grid,
    held_out_repeated,
    r_precision,
    score_grid,
    top_labels,
)

DATA = ROOT.parent / "shared" / "data" / "skills"
SETS = ("tech", "house")
LABEL_KINDS = ("passage", "query")  # both are scored; the engine is fitted over KIND only
KIND = "query"
REPEATS = 5  # 5-fold by sentence, under 5 seeds of the fold assignment
CACHE = ROOT / "bench" / "out" / "skills-e5.sqlite"


def table(title: str, header: list[str], rows: list[list[object]]) -> None:
    widths = [max(len(str(x)) for x in col) for col in zip(header, *rows)]
    print(f"\n{title}")
    print("  ".join(str(h).ljust(w) for h, w in zip(header, widths)))
    print("  ".join("-" * w for w in widths))
    for row in rows:
        print("  ".join(str(x).ljust(w) for x, w in zip(row, widths)))


# --- skill linking ----------------------------------------------------------------------------------------


def sentence_group(text: str) -> str:
    """The held-out unit of a sentence: a digest of its text (identical sentences are one group, and no
    development text is written into the shipped parameters file)."""
    return "s-" + hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def load_skill_sets() -> tuple[list, list[LabelledSentence]]:
    labels = read_labels(str(DATA / "esco_1.1.0_skill_preferred_labels.txt"))
    items = [
        LabelledSentence(name, row["sentence"], tuple(row["gold_esco_skills"]))
        for name in SETS
        for row in map(
            json.loads, (DATA / f"{name}_validation.jsonl").read_text(encoding="utf-8").splitlines()
        )
    ]
    return labels, items


class SkillRun:
    """Everything one skills benchmark needs: a linker per label kind, each sentence's cached signals, the
    grid's per-sentence scores, and the held-out results (5 folds by sentence; cross-set)."""

    def __init__(self) -> None:
        self.labels, self.items = load_skill_sets()
        encoder = get_encoder("e5", cache=CACHE)
        self.linkers: dict[str, tuple[SkillLinker, list[Signals]]] = {}
        self.build = self.signal_ms = 0.0
        for kind in LABEL_KINDS:
            started = time.perf_counter()
            linker = SkillLinker(
                self.labels,
                encoder,
                LinkerConfig(label_kind=kind),
                progress=lambda d, n: print(f"\rencoding labels {d}/{n}", end="", file=sys.stderr),
            )
            self.build += time.perf_counter() - started
            t0 = time.perf_counter()
            signals = linker.signals_many([x.sentence for x in self.items])
            self.signal_ms += 1000 * (time.perf_counter() - t0) / len(self.items)
            self.linkers[kind] = (linker, signals)
        self.skills = self.linkers["passage"][0].skills
        self.model_id = encoder.model_id
        self.rows = [i for i, x in enumerate(self.items) if x.gold]  # texts without gold are skipped
        self.rows_of = {name: [i for i in self.rows if self.items[i].source == name] for name in SETS}
        self.grid = default_grid(LABEL_KINDS)
        self.strata = [x.source for x in self.items]
        t0 = time.perf_counter()
        self.matrix = score_grid(
            self.linkers,
            self.items,
            self.grid,
            progress=lambda d, n: print(f"\rscoring grid {d}/{n}", end="", file=sys.stderr),
        )
        print(file=sys.stderr)
        self.grid_s = time.perf_counter() - t0
        groups = [sentence_group(self.items[i].sentence) for i in self.rows]
        self.sentence_folds = [group_folds(groups, k=5, seed=f"concord-{n}") for n in range(REPEATS)]
        self.by_sentence, self.cross_set = self.held_out_of(KIND)

    def fixed(self, point: dict) -> dict[int, float]:
        """Per-sentence scores of one fixed parameter point (nothing fitted, or fitted elsewhere)."""
        linker, signals = self.linkers[point.get("label_kind", "passage")]
        config = replace(linker.config, **point)
        return {r: r_precision(top_labels(linker, signals[r], config), self.items[r].gold) for r in self.rows}

    def tfidf(self) -> dict[int, float]:
        index = TfidfIndex(self.skills)
        out = {}
        for r in self.rows:
            scores = index.scores(self.items[r].sentence)
            top = np.argsort(-scores, kind="stable")[:5]
            out[r] = r_precision([self.skills[i].label for i in top], self.items[r].gold)
        return out

    def baselines(self) -> dict[str, dict[int, float]]:
        """The plain baselines' per-sentence scores: nothing fitted, so every figure is held out."""
        out = {"TF-IDF cosine": self.tfidf()}
        for name, point in BASELINES.items():
            if point["dense"] or point["dense_chunk"]:
                for kind in LABEL_KINDS:
                    out[f"{name}, labels as {kind}"] = self.fixed({**point, "label_kind": kind})
            else:
                out[name] = self.fixed(point)
        return out

    def mean(self, scores: dict[int, float], name: str) -> float:
        return 100.0 * float(np.mean([scores[r] for r in self.rows_of[name]]))

    def std_error(self, scores: dict[int, float], name: str) -> float:
        values = [scores[r] for r in self.rows_of[name]]
        return 100.0 * float(np.std(values, ddof=1)) / len(values) ** 0.5

    def fit(self, matrix: np.ndarray, rows: list[int]) -> int:
        """The fitting routine: the best grid point on ``rows``, each set weighing the same."""
        return best_point(matrix, rows, self.strata)

    def held_out_of(self, kind: str) -> tuple[HeldOut, HeldOut]:
        """5-fold and cross-set results when fitting may only choose points with labels as ``kind``; the
        fold results' ``params`` are columns of `matrix`."""
        cols = [j for j, p in enumerate(self.grid) if p["label_kind"] == kind]
        by_sentence, cross_set = (
            held_out_repeated(
                self.matrix, self.rows, group_of, fold_sets, lambda m, rows: cols[self.fit(m[:, cols], rows)]
            )
            for group_of, fold_sets in (
                (lambda r: sentence_group(self.items[r].sentence), self.sentence_folds),
                (lambda r: self.items[r].source, [group_folds(list(SETS))]),
            )
        )
        return by_sentence, cross_set

    def held_out_measures(self) -> dict[str, float]:
        return {
            f"{name}_5fold_by_sentence_x{REPEATS}": round(self.by_sentence.mean(self.rows_of[name]), 1)
            for name in SETS
        } | {f"{name}_cross_set": round(self.cross_set.mean(self.rows_of[name]), 1) for name in SETS}


def point_name(point: dict) -> str:
    keys = ("dense", "dense_chunk", "lexical", "gazetteer") + (
        ("rrf_k", "candidates") if point["fusion"] == "rrf" else ()
    )
    weights = " ".join(f"{k}={point[k]:g}" for k in keys)
    return f"{point['fusion']} {weights} labels as {point.get('label_kind', 'passage')}"


def bench_skills(in_sample: bool = False) -> None:
    if not DATA.is_dir():
        print(f"skills: {DATA} not found; skipped")
        return
    run = SkillRun()
    header = ["method", "TECH 5-fold", "HOUSE 5-fold", "TECH cross-set", "HOUSE cross-set"]
    rows: list[list[object]] = []
    engines = {f"engine, fitted per fold (labels as {KIND})": (run.by_sentence, run.cross_set)}
    for kind in LABEL_KINDS:
        if kind != KIND:
            engines[f"  the same with labels as {kind}"] = run.held_out_of(kind)
    for name, (by_sentence, cross_set) in engines.items():
        rows.append(
            [name]
            + [f"{by_sentence.mean(run.rows_of[n]):.1f}" for n in SETS]
            + [f"{cross_set.mean(run.rows_of[n]):.1f}" for n in SETS]
        )
    baselines = run.baselines()
    for name, scores in baselines.items():
        rows.append([f"{name} (nothing fitted)"] + [f"{run.mean(scores, n):.1f}" for n in (*SETS, *SETS)])
    table(
        f"Skill linking, R-Precision@5 (%) on held-out sentences only, {len(run.labels)} ESCO labels "
        "(targets on unseen sentences: TECH >= 62, HOUSE >= 46, a third kind >= 45)",
        header,
        rows,
    )
    se = [f"{n.upper()} {run.std_error(run.by_sentence.scores, n):.1f}" for n in SETS]
    print(
        "5-fold: folds of whole sentences (group = the sentence text), fitted on TECH + HOUSE training "
        f"sentences, each sentence scored by a fold that never saw it; mean of {REPEATS} fold assignments."
        "\ncross-set: fitted on the other "
        "set only (proxy for an unseen kind of sentence). "
        f"Fitting picks 1 of {len(run.grid) // len(LABEL_KINDS)} grid points.\n"
        f"One standard error of the engine's mean is about {' / '.join(se)} points: smaller gaps are noise."
    )
    print(
        f"({len(run.rows)} sentences with gold: "
        + ", ".join(f"{n.upper()} {len(run.rows_of[n])}" for n in SETS)
        + f"; label indexes {run.build:.1f} s; signals {run.signal_ms:.0f} ms/sentence; "
        f"grid {run.grid_s:.0f} s)"
    )
    for name, result in (("5-fold", run.by_sentence), ("cross-set", run.cross_set)):
        chosen = Counter(point_name(run.grid[f.params]) for f in result.folds)
        print(f"points chosen, {name}: " + "; ".join(f"{p} x{c}" for p, c in chosen.most_common()))
    shipped = LinkerConfig().fitted_values()
    print(f"shipped parameters: {point_name(shipped)}")
    if in_sample:
        rows = []
        for name, point in (("shipped (fitted on all these)", shipped), ("old hand-set defaults", HAND_SET)):
            scores = run.fixed(point)
            rows.append([name] + [f"{run.mean(scores, n):.1f}" for n in SETS])
        table("IN-SAMPLE (flattering: tuned on these very sentences)", ["parameters", "TECH", "HOUSE"], rows)


def fit_skills() -> None:
    """Fit the linker's parameters on every development sentence and ship them with their provenance."""
    run = SkillRun()
    cols = [j for j, p in enumerate(run.grid) if p["label_kind"] == KIND]
    point = run.grid[cols[run.fit(run.matrix[:, cols], run.rows)]]
    params = {**HAND_SET, **point}
    baselines = {
        name: {n: round(run.mean(scores, n), 1) for n in SETS} for name, scores in run.baselines().items()
    }
    provenance = Provenance(
        command="bench/talent.py fit",
        data="../shared/data/skills/{tech,house}_validation.jsonl (sentences with gold), "
        f"esco_1.1.0_skill_preferred_labels.txt; encoder {run.model_id}",
        fitted=datetime.now(UTC).isoformat(timespec="seconds"),
        fitted_on=sorted({sentence_group(run.items[r].sentence) for r in run.rows}),
        held_out={
            "metric": "R-Precision@5 (%)",
            **run.held_out_measures(),
            "grid_points": len(cols),
            "baselines_nothing_fitted": baselines,
        },
        notes="fitted_on lists sha256 digests of the sentences (sentence_group); the text is never copied. "
        "held_out: 5 folds by sentence over TECH + HOUSE, and fit on one set / score the other.",
    )
    write_params(PARAMS_PATH, params, provenance)
    print(f"wrote {PARAMS_PATH.relative_to(ROOT)}: {point_name(params)}")
    print(json.dumps(provenance.held_out, indent=2))


# --- allocation ---------------------------------------------------------------------------------------------


def market(
    n_a: int = 20_000, n_p: int = 500, seats: int = 30, k: int = 10, seed: int = 7, reserves: bool = False
) -> tuple[list[Applicant], list[Programme]]:
    """A synthetic market: skewed programme popularity; programmes rank applicants by ability plus noise."""
    rng = np.random.default_rng(seed)
    popularity = rng.gamma(2.0, 1.0, n_p)
    popularity /= popularity.sum()
    ability = rng.normal(size=n_a)
    applied: list[list[int]] = [[] for _ in range(n_p)]
    applicants = []
    for i in range(n_a):
        prefs = rng.choice(n_p, size=k, replace=False, p=popularity)
        for j in prefs:
            applied[j].append(i)
        group = ("MY" if i % 3 == 0 else "PK") if reserves else None
        applicants.append(Applicant(f"a{i}", tuple(f"p{j}" for j in prefs), group))
    programmes = []
    for j in range(n_p):
        ids = np.array(applied[j], dtype=np.int64)
        order = ids[np.argsort(-(ability[ids] + rng.normal(scale=0.5, size=len(ids))))]
        programmes.append(
            Programme(f"p{j}", seats, tuple(f"a{i}" for i in order), {"MY": seats // 6} if reserves else {})
        )
    return applicants, programmes


def best_of(fn, runs: int = 3):
    best, result = float("inf"), None
    for _ in range(runs):
        t0 = time.perf_counter()
        result = fn()
        best = min(best, time.perf_counter() - t0)
    return best, result


def bench_allocate() -> None:
    rows = []
    for label, with_reserves in (("no reserves", False), ("reserves MY 5/30", True)):
        applicants, programmes = market(reserves=with_reserves)
        t_prep, inst = best_of(lambda a=applicants, p=programmes: prepare(a, p))
        t_core, result = best_of(lambda i=inst: deferred_acceptance_prepared(i))
        t_total, _ = best_of(lambda a=applicants, p=programmes: deferred_acceptance(a, p))
        t_check, pairs = best_of(
            lambda a=applicants, p=programmes, r=result: blocking_pairs(a, p, r.assignment), runs=1
        )
        placed = sum(p is not None for p in result.assignment.values())
        rows.append(
            [
                label,
                f"{t_core:.3f}",
                f"{t_prep:.3f}",
                f"{t_total:.3f}",
                result.rounds,
                result.proposals,
                placed,
                len(pairs),
                f"{t_check:.2f}",
            ]
        )
    table(
        "Stable allocation, 20,000 applicants x 500 programmes x 30 seats x 10 preferences "
        "(best of 3, seconds; "
        "target: DA <= 0.3 s, 0 blocking pairs)",
        ["market", "DA", "index ids", "DA from ids", "rounds", "proposals", "placed", "blocking", "check s"],
        rows,
    )
    applicants, programmes = market(n_a=600, n_p=20, seats=20, k=5, seed=11)
    rows = []
    for name, fn in (
        ("deferred acceptance", deferred_acceptance),
        ("welfare (min-cost flow)", welfare_allocation),
    ):
        t, allocation = best_of(lambda f=fn: f(applicants, programmes), runs=1)
        s = summarise(applicants, programmes, allocation)
        rows.append(
            [
                name,
                f"{t:.2f}",
                s.placed,
                s.first_choice,
                f"{s.mean_position:.2f}",
                f"{s.utility:.0f}",
                s.blocking_pairs,
            ]
        )
    table(
        "Stable vs welfare-maximising, 600 applicants x 20 programmes x 20 seats x 5 preferences",
        ["method", "seconds", "placed", "1st choice", "mean choice", "utility", "blocking"],
        rows,
    )


def bench_groups(sizes=((2_000, 50), (20_000, 500))) -> None:
    """Markets where a third of applicants also declare a group (women) with a seat reserved for it besides
    the country reserve: applicants in two groups go through the plain applicant-by-applicant loop."""
    from dataclasses import replace as with_fields

    rows = []
    for n_a, n_p in sizes:
        applicants, programmes = market(n_a=n_a, n_p=n_p, reserves=True)
        applicants = [
            with_fields(a, groups=frozenset({"women"}) if i % 3 != 1 else frozenset())
            for i, a in enumerate(applicants)
        ]
        programmes = [with_fields(p, reserves={"women": 5, **p.reserves}) for p in programmes]
        t_da, result = best_of(lambda a=applicants, p=programmes: deferred_acceptance(a, p), runs=1)
        t_check, pairs = best_of(
            lambda a=applicants, p=programmes, r=result: blocking_pairs(a, p, r.assignment), runs=1
        )
        placed = sum(p is not None for p in result.assignment.values())
        rows.append([f"{n_a:,} x {n_p}", f"{t_da:.2f}", result.rounds, placed, len(pairs), f"{t_check:.1f}"])
    table(
        "Stable allocation with overlapping groups (country + declared 'women', reserves women 5 and MY 5 "
        "of 30 seats, 10 preferences; one run, seconds; no target: a talent round has hundreds of "
        "applicants)",
        ["market", "DA", "rounds", "placed", "blocking", "check s"],
        rows,
    )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("action", nargs="?", choices=("fit",), help="fit: refit and write skills_params.json")
    parser.add_argument("--only", choices=("skills", "allocate", "groups"))
    parser.add_argument(
        "--in-sample", action="store_true", help="also print the flattering in-sample figures"
    )
    args = parser.parse_args()
    if args.action == "fit":
        fit_skills()
        return
    if args.only in (None, "allocate"):
        bench_allocate()
    if args.only in (None, "groups"):
        bench_groups()
    if args.only in (None, "skills"):
        bench_skills(args.in_sample)


if __name__ == "__main__":
    main()
