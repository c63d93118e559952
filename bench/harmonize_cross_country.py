"""Harmonize in real use across countries: a Pakistani act against Malaysian acts on the same subjects.

Run from the project root::

    .venv/bin/python bench/harmonize_cross_country.py      # about 4 minutes cold, 1 minute cached

The dialogue's real task is two *different* laws, written by two parliaments, often in two languages. No
public gold exists for that, so this bench holds a small hand-labelled truth of its own: the sections of
one act whose counterpart in the other is clear from the two texts (same subject, same legal function),
read by this project from the acts' headings and texts. Sections with no clear counterpart (a Malaysian
presumption, an abetment clause, Pakistan's SIM-card offence) are not scored. The labels are section
numbers only; the texts are read at run time from ``../shared/data/texts`` and never copied.

Pairs of documents (each Malaysian act in its English and in its Malay text)
    * Computer Crimes Act 1997 (MY, ``DR-3-1997``) against the Prevention of Electronic Crimes Act 2016
      (PK, noisy OCR): 6 sections.
    * PECA 2016 against the Communications and Multimedia Act 1998 (MY, ``DR-15-1998``, 1,300
      provisions: the real size): 15 sections.

What is run is what a user runs: ``concord segment`` of each file, then the engine as ``concord
harmonize`` calls it, with the bundled encoder and the shipped parameters. Nothing here was used to fit
or choose anything, and nothing may be: 21 labels are too few to tune on, and they are the only
cross-country truth there is.

Measures, per pair of documents
    *acc@1*: labelled sections whose best match is a labelled counterpart; *hit@3*: one among the three
    best; *suggested*: the labelled counterpart is among the mappings the engine suggests (above its
    threshold), which is what a user sees first. Beside the engine, on the same sections ranking the
    other act's sections: BM25, dense cosine with the same encoder, and their reciprocal-rank fusion
    (k = 60). Three diagnostics rerun the engine without its best-sentence score, without its hubness
    correction (the two parts of its dense score fitted on the framework crosswalks) and without its
    headings' cosine (``FusionParams.heading_weight``, fitted on the bills read with their headings), to
    show where a miss comes from; they are not candidates for shipping on this evidence.
    ``--heading-weight`` runs the engine with another weight of the headings' cosine. *by sentence* is
    the variant written after the first run (``FusionParams.sentence_mean_weight`` at the shipped
    sentence weight: a section of several sentences is scored against each section of a statute by each
    sentence's best answer there); it is not shipped, because a held-out crosswalk fell with it
    (docs/evaluation.md, "Across countries" and "Reading by sentence against statutes only").
"""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import functools
import os
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
TEXTS = ROOT.parent / "shared" / "data" / "texts"
OUT = ROOT / "bench" / "out"
sys.path.insert(0, str(ROOT))

from harmonize_whole_bills import _sections_above, sections  # noqa: E402

from concord import cli  # noqa: E402
from concord.engine import formats  # noqa: E402
from concord.engine import harmonize as engine  # noqa: E402
from concord.engine.encoders import CachedEncoder, E5Encoder  # noqa: E402
from concord.engine.fusion import FusionParams, load_fusion  # noqa: E402
from concord.engine.harmonize import HarmonizeOptions, provision_text  # noqa: E402
from concord.engine.lexical import BM25Index, tokenize  # noqa: E402
from concord.engine.types import Provision, mappable  # noqa: E402

PECA = ("PECA 2016", TEXTS / "pk" / "peca-2016.ocr.md", "en")

# Counterparts, by section number, read by this project from both texts. A set holds every section that
# is a right answer (PECA s.1 holds short title, extent, application and commencement, which the CMA
# splits over three sections; any of its rule-making powers answers PECA's "Power to make rules").
CCA_TO_PECA: dict[str, set[str]] = {
    "1": {"1"},  # short title and commencement
    "2": {"2"},  # interpretation / definitions
    "3": {"3"},  # unauthorised access to computer material / to an information system or data
    "5": {"5"},  # unauthorised modification of contents / interference with an information system or data
    "9": {"1"},  # territorial scope / application to acts outside Pakistan (s.1(4))
    "10": {"30", "32"},  # powers of search, seizure and arrest / warrant for search; officer's powers
}
PECA_TO_CMA: dict[str, set[str]] = {
    "1": {"1", "2", "4"},  # short title, commencement, territorial application
    "2": {"6"},  # definitions / interpretation
    "17": {"234"},  # unauthorised interception / interception and disclosure of communications
    "18": {"233"},  # false information harming a person / improper use of network facilities
    "21": {"233"},  # cyber stalking (to coerce, intimidate or harass) / improper use (to annoy, harass)
    "27": {"246"},  # power to investigate
    "30": {"247"},  # warrant for search or seizure / search by warrant
    "32": {"248", "249", "254"},  # powers of an authorised officer / access to computerised data
    "33": {"250", "251"},  # dealing with seized data / list and release of things seized
    "36": {"252"},  # real-time collection of information / power to intercept communications
    "40": {"243"},  # offences compoundable / compounding of offences
    "41": {"261"},  # cognizance and trial / jurisdiction to try offences
    "45": {"263"},  # directions to prevent offences / licensees' duty to prevent offences
    "47": {"271"},  # relation with other laws / this Act prevails over other Acts
    "48": {"16", "144", "158", "230", "268"},  # power to make rules / the Minister's rule-making powers
}


def cca(language: str) -> tuple[str, Path, str]:
    return (f"CCA 1997 ({language})", TEXTS / "my-digital-bills" / f"DR-3-1997.{language}.md", language)


def cma(language: str) -> tuple[str, Path, str]:
    return (f"CMA 1998 ({language})", TEXTS / "my-digital-bills" / f"DR-15-1998.{language}.md", language)


PAIRS = (
    (cca("en"), PECA, CCA_TO_PECA),
    (cca("ms"), PECA, CCA_TO_PECA),
    (PECA, cma("en"), PECA_TO_CMA),
    (PECA, cma("ms"), PECA_TO_CMA),
)


def read(document: tuple[str, Path, str]) -> list[Provision]:
    """The file's provisions as the two commands pass them (``concord segment``, JSON Lines, mappable);
    each file is segmented once per run, however many pairs and tables read it."""
    return list(_segmented(document))


@functools.cache
def _segmented(document: tuple[str, Path, str]) -> tuple[Provision, ...]:
    _, path, _ = document
    out = OUT / "cross-country" / f"{path.stem}.jsonl"
    out.parent.mkdir(parents=True, exist_ok=True)
    with out.open("w", encoding="utf-8") as fh, contextlib.redirect_stdout(fh):
        if cli.main(["segment", str(path)]) != 0:
            raise SystemExit(f"bench: concord segment failed on {path.name}")
    return tuple(mappable(formats.read_provisions(out)))


def baseline_rankings(
    queries: list[Provision], targets: list[Provision], encoder: Any, languages: tuple[str, str]
) -> dict[str, list[list[int]]]:
    """For each query, the targets' indices best first by BM25, dense cosine and their RRF (k = 60)."""
    index = BM25Index([tokenize(provision_text(t), languages[1]) for t in targets])
    t_vec = encoder.encode([provision_text(t) for t in targets], kind="query")
    q_vec = encoder.encode([provision_text(q) for q in queries], kind="query")
    order = np.arange(len(targets))
    out: dict[str, list[list[int]]] = {"bm25": [], "dense": [], "rrf": []}
    for k, query in enumerate(queries):
        rrf = np.zeros(len(targets))
        for name, score in (
            ("bm25", index.scores(tokenize(provision_text(query), languages[0]))),
            ("dense", t_vec @ q_vec[k]),
        ):
            ranking = np.lexsort((order, -score))
            out[name].append(ranking.tolist())
            rank = np.empty(len(targets))
            rank[ranking] = np.arange(1, len(targets) + 1)
            rrf += 1 / (60 + rank)
        out["rrf"].append(np.lexsort((order, -rrf)).tolist())
    return out


def engine_rankings(
    source: list[Provision],
    target: list[Provision],
    encoder: Any,
    fusion: FusionParams,
    options: HarmonizeOptions | None = None,
) -> tuple[dict[str, list[str]], set[tuple[str, str]], float, dict[str, list[str]]]:
    """Source id -> target ids best first, the suggested pairs, the seconds `harmonize` took, and target id
    -> source ids best first (the engine's ranking the other way round, which the pages list too)."""
    started = time.monotonic()
    result = engine.harmonize(source, target, encoder, options or HarmonizeOptions(), fusion=fusion)
    seconds = time.monotonic() - started
    ranked: dict[str, list[tuple[int, str]]] = {}
    for m in result.mappings:
        ranked.setdefault(m.source_id, []).append((m.rank, m.target_id))
    suggested = {(m.source_id, m.target_id) for m in result.mappings if m.suggested}
    back = {t: [s for s, _ in r] for t, r in result.target_candidates.items()}
    return {s: [t for _, t in sorted(r)] for s, r in ranked.items()}, suggested, seconds, back


def run_pair(
    source_doc: tuple[str, Path, str],
    target_doc: tuple[str, Path, str],
    truth: dict[str, set[str]],
    encoder: Any,
) -> dict[str, Any]:
    source, target = read(source_doc), read(target_doc)
    s_sections, t_sections = sections(source), sections(target)
    scored = [n for n in truth if n in s_sections]
    number_of = {p.id: p.number for p in target}
    row: dict[str, Any] = {"pair": f"{source_doc[0]} -> {target_doc[0]}", "sections": len(scored)}
    row["provisions"] = f"{len(source)} x {len(target)}"
    shipped = (
        load_fusion()
        if HEADING_WEIGHT is None
        else dataclasses.replace(load_fusion(), heading_weight=HEADING_WEIGHT)
    )
    variants = {
        "engine": (shipped, None),
        "no best sentence": (dataclasses.replace(shipped, sentence_weight=0.0), None),
        "no hubness": (dataclasses.replace(shipped, hub_weight=0.0), None),
        "no headings": (dataclasses.replace(shipped, heading_weight=0.0), None),
        "by sentence": (dataclasses.replace(shipped, sentence_mean_weight=shipped.sentence_weight), None),
    }
    for name, (fusion, options) in variants.items():
        ranked, suggested, seconds, back = engine_rankings(source, target, encoder, fusion, options)
        tops = [[number_of.get(t) for t in ranked.get(s_sections[n].id, [])] for n in scored]
        row[name] = _hits(tops, [truth[n] for n in scored])
        if name == "engine":
            row["seconds"] = seconds
            found = [
                any((s_sections[n].id, t_sections[t].id) in suggested for t in truth[n] if t in t_sections)
                for n in scored
            ]
            row["suggested"] = sum(found)
            engine_back = back  # the later variants rebind ``back``
            t_section = _section_numbers(target)
            engine_five = [{t_section.get(t) for t in ranked.get(s_sections[n].id, [])[:5]} for n in scored]
            row["misses"] = [
                f"{n}->{top[0] if top else '-'}"
                for n, top in zip(scored, tops)
                if top[:1] != [] and top[0] not in truth[n]
            ]
    targets = list(t_sections.values())
    rankings = baseline_rankings(
        [s_sections[n] for n in scored], targets, encoder, (source_doc[2], target_doc[2])
    )
    for name, lists in rankings.items():
        tops = [[targets[j].number for j in ranking[:3]] for ranking in lists]
        row[name] = _hits(tops, [truth[n] for n in scored])
    # What a reviewer reaches on the pages: the engine's suggestions, or one of the five candidates that a
    # mapping's or a gap's page lists: the engine's five best (since 2026-12-08), or the five closest by
    # cosine (before, and still for a provision the last run did not rank). The pages list every mappable
    # provision, so here too: a candidate counts for the section it is part of.
    row["on the pages"] = sum(f or bool(c & truth[n]) for f, c, n in zip(found, engine_five, scored))
    closest = _closest_by_cosine(
        [s_sections[n] for n in scored], target, encoder, (source_doc[2], target_doc[2])
    )
    row[COSINE_FIVE] = sum(f or bool(c & truth[n]) for f, c, n in zip(found, closest, scored))
    # the other list, the sources closest to a mapping's target: labelled (source, target) section pairs
    pairs = [(n, t) for n in scored for t in sorted(truth[n]) if t in t_sections]
    section = _section_numbers(source)
    by_engine = [{section.get(s) for s in engine_back.get(t_sections[t].id, [])[:5]} for _, t in pairs]
    by_cosine = _closest_by_cosine(
        [t_sections[t] for _, t in pairs], source, encoder, (target_doc[2], source_doc[2])
    )
    row[BACK] = (len(pairs), sum(n in c for (n, _), c in zip(pairs, by_engine)))
    row[BACK_COSINE] = (len(pairs), sum(n in c for (n, _), c in zip(pairs, by_cosine)))
    return row


def _section_numbers(provisions: list[Provision]) -> dict[str, str]:
    """Provision id -> the number of its section (its own, for a section)."""
    return {p.id: p.number for p in provisions if p.level == "section"} | _sections_above(provisions)


def _closest_by_cosine(
    queries: list[Provision], others: list[Provision], encoder: Any, languages: tuple[str, str]
) -> list[set[str | None]]:
    """For each query, the sections of the five provisions of ``others`` closest to it by cosine, as a
    page lists them (every mappable provision)."""
    section = _section_numbers(others)
    dense = baseline_rankings(queries, others, encoder, languages)["dense"]
    return [{section.get(others[j].id) for j in ranking[:5]} for ranking in dense]


def _hits(tops: list[list[str | None]], accepted: list[set[str]]) -> tuple[int, int]:
    """(right at 1, right among the first 3)."""
    at1 = sum(bool(top) and top[0] in ok for top, ok in zip(tops, accepted))
    at3 = sum(any(t in ok for t in top[:3]) for top, ok in zip(tops, accepted))
    return at1, at3


COLUMNS = ("engine", "bm25", "dense", "rrf", "no best sentence", "no hubness", "no headings", "by sentence")
# ``--heading-weight``: the engine's weight of the headings' cosine for this run, in place of the shipped one
HEADING_WEIGHT: float | None = None
# what a reviewer reached when the pages listed the five closest by cosine (a diagnostic since 2026-12-08)
COSINE_FIVE = "cosine's five"
# the other way round: labelled target sections, and those whose source is among the engine's / cosine's five
BACK, BACK_COSINE = "back, engine's five", "back, cosine's five"


def table(rows: list[dict[str, Any]]) -> None:
    head = "  ".join(f"{c[:16]:>16}" for c in COLUMNS)
    print(
        f"{'pair':<34} {'provisions':>11} {'sect.':>5}  {head}  "
        f"{'suggested':>9}  {'on pages':>8}  {'cosine 5':>8}  {'secs':>6}"
    )
    totals = {c: [0, 0] for c in COLUMNS}
    for r in rows:
        for c in COLUMNS:
            totals[c][0] += r[c][0]
            totals[c][1] += r[c][1]
    n_all = sum(r["sections"] for r in rows)
    total = {
        "pair": "all",
        "provisions": "",
        "sections": n_all,
        "suggested": sum(r["suggested"] for r in rows),
        "on the pages": sum(r["on the pages"] for r in rows),
        COSINE_FIVE: sum(r[COSINE_FIVE] for r in rows),
    }
    total |= {c: tuple(v) for c, v in totals.items()} | {"seconds": sum(r["seconds"] for r in rows)}
    for r in [*rows, total]:
        n = max(r["sections"], 1)
        cells = "  ".join(f"{f'{r[c][0] / n:.2f} / {r[c][1] / n:.2f}':>16}" for c in COLUMNS)
        print(
            f"{r['pair']:<34} {r['provisions']:>11} {r['sections']:>5}  {cells}  "
            f"{r['suggested'] / n:>9.2f}  {r['on the pages'] / n:>8.2f}  {r[COSINE_FIVE] / n:>8.2f}  "
            f"{r['seconds']:>6.1f}"
        )
    for r in rows:
        if r["misses"]:
            print(f"  {r['pair']}: engine's best match wrong for {', '.join(r['misses'])}")
    print(
        "\nThe pages' other list, the sources closest to a mapping's target: labelled target sections whose"
    )
    print("labelled source section is among the five listed")
    print(f"{'pair':<34} {'targets':>8} {'engine 5':>9} {'cosine 5':>9}")
    both = [sum(r[key][i] for r in rows) for key in (BACK, BACK_COSINE) for i in (0, 1)]
    for name, (n, by_engine), (_, by_cosine) in [
        *((r["pair"], r[BACK], r[BACK_COSINE]) for r in rows),
        ("all", both[:2], both[2:]),
    ]:
        print(f"{name:<34} {n:>8} {by_engine / max(n, 1):>9.2f} {by_cosine / max(n, 1):>9.2f}")


PENALTY_KINDS = ("imprisonment", "money")


def penalties_compared(pairs: Any, encoder: Any) -> None:
    """The labelled counterparts whose two sections both state a penalty: how many have one compared
    (a term of imprisonment or a fine set against the other's), each comparison printed to check by
    hand. The parameters are those `harmonize` gives a mapping (`relate_pairs` on the labelled pairs)."""
    print("\nPenalties of labelled counterparts (both sections state one): compared / pairs")
    total = compared = 0
    for source_doc, target_doc, truth in pairs:
        source, target = read(source_doc), read(target_doc)
        s_sections, t_sections = sections(source), sections(target)
        number = {p.id: n for n, p in s_sections.items()} | {p.id: n for n, p in t_sections.items()}
        wanted = [
            (s_sections[a].id, t_sections[b].id)
            for a, bs in truth.items()
            for b in sorted(bs)
            if a in s_sections and b in t_sections
        ]
        for m in engine.relate_pairs(source, target, wanted, encoder):
            found = [d for d in m.parameters.get("divergences", []) if d["kind"] in PENALTY_KINDS]
            sides = {side for d in found for side in ("source", "target") if d[side]}
            if sides != {"source", "target"}:
                continue
            both = [d for d in found if d["source"] and d["target"]]
            total, compared = total + 1, compared + bool(both)
            print(f"  {source_doc[0]} s.{number[m.source_id]} -> {target_doc[0]} s.{number[m.target_id]}")
            for d in found:
                parts = f"{d['source_part'] or '-'} ~ {d['target_part'] or '-'}"
                print(f"    {d['kind']:<12} {parts:<12} {d['note']}")
    print(f"  compared: {compared} of {total}")


def main(argv: list[str] | None = None) -> int:
    global HEADING_WEIGHT
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--heading-weight",
        type=float,
        default=None,
        help="the weight of the headings' cosine (FusionParams.heading_weight) for every column of the "
        "engine, in place of the shipped one",
    )
    HEADING_WEIGHT = parser.parse_args(argv).heading_weight
    if not TEXTS.is_dir():
        print(f"bench: the development data is missing: expected {TEXTS}", file=sys.stderr)
        return 2
    OUT.mkdir(parents=True, exist_ok=True)
    encoder = CachedEncoder(E5Encoder(), os.environ.get("CONCORD_BENCH_CACHE") or OUT / "embeddings.sqlite")
    print("Harmonize across countries: labelled sections, acc@1 / hit@3 (the baselines rank sections only)\n")
    table([run_pair(s, t, truth, encoder) for s, t, truth in PAIRS])
    print(
        "\nsect. = labelled sections found by number on both sides; suggested = share whose labelled "
        "counterpart the engine suggests; on pages = share whose counterpart a reviewer reaches on the "
        "pages: suggested, or among the engine's five best candidates that a mapping's or a gap's page "
        "lists; cosine 5 = the same with the five closest by cosine the pages listed before (every "
        "mappable provision, as a page lists them, credited to its section). 'no best sentence', "
        "'no hubness' and 'no headings' are diagnostics "
        "of the engine's dense score, not fitted or chosen here; 'by sentence' is a variant written after "
        "the first run, so its figure here is not held-out evidence."
    )
    penalties_compared(PAIRS, encoder)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
