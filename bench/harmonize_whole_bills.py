"""Harmonize in real use on whole bills: a bill's English text against its Malay text, read from the files.

Run from the project root::

    .venv/bin/python bench/harmonize_whole_bills.py            # the 8 bills (about 50 minutes cold)
    .venv/bin/python bench/harmonize_whole_bills.py --only DR-21-2007

This is what a user runs: ``concord segment`` of each file, then ``concord harmonize`` (the workspace does
the same on the library's provisions), with the bundled encoder and the shipped parameters. It reads the
shared development data at ``../shared/data`` at run time; nothing from it is copied into the repository.
Vectors are cached in ``CONCORD_BENCH_CACHE`` (default ``bench/out/embeddings.sqlite``).

Documents
    The 8 Malaysian bills of ``texts/my-digital-bills`` with both languages, split as in
    ``bench/segment.py``: DR-1-1991, DR-3-1997, DR-17-2006 and DR-35-2009 are *development* bills (the
    rule below was written after reading DR-35-2009's output); DR-2-1997, DR-15-1998, DR-16-1998 and
    DR-21-2007 are *held out*.

Truth
    The two texts are translations, so section N of one is section N of the other (the sections'
    numbers as the segmenter reads them; a section whose number is missing on either side is not
    scored), and every diverging parameter is false.

Measures, per split
    *sections acc@1*: English sections whose best match is the Malay section of the same number, for the
    engine (its roll-up sends a subsection onto its section) and, on the same sections against the Malay
    sections only, BM25, dense cosine with the same encoder, and their reciprocal-rank fusion (k = 60).
    *equiv.*: true section pairs typed ``equivalent-to``. *parts*: mappings of a part of English section N
    (a subsection, paragraph, definition ...) onto Malay section N, and *subset* the share of them typed
    ``subset-of``, which is their truth. *suggested*: mappings above the threshold, per
    source provision. *contrary*: suggested mappings typed ``contrary-to``. *flagged diverging*: suggested
    mappings whose parameters are said to diverge (all false here), with the counterpart rule (the
    shipped engine: values are compared only when the target is the source's best match or the source
    the target's) and without it (the same run with the rule switched off).
"""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data" / "texts" / "my-digital-bills"
OUT = ROOT / "bench" / "out"
sys.path.insert(0, str(ROOT))

from concord import cli  # noqa: E402
from concord.engine import formats  # noqa: E402
from concord.engine import harmonize as engine  # noqa: E402
from concord.engine.encoders import CachedEncoder, E5Encoder  # noqa: E402
from concord.engine.harmonize import HarmonizeOptions, provision_text  # noqa: E402
from concord.engine.lexical import BM25Index, tokenize  # noqa: E402
from concord.engine.types import Provision, mappable  # noqa: E402

DEV = ("DR-1-1991", "DR-3-1997", "DR-17-2006", "DR-35-2009")
HELD_OUT = ("DR-2-1997", "DR-15-1998", "DR-16-1998", "DR-21-2007")


def read(bill: str, language: str) -> list[Provision]:
    """The bill's provisions as the two commands pass them: ``concord segment FILE`` writes JSON Lines
    (language and kind detected), which ``concord harmonize`` reads and keeps the mappable ones of."""
    out = OUT / "whole-bills" / f"{bill}.{language}.jsonl"
    out.parent.mkdir(parents=True, exist_ok=True)
    with out.open("w", encoding="utf-8") as fh, contextlib.redirect_stdout(fh):
        if cli.main(["segment", str(DATA / f"{bill}.{language}.md")]) != 0:
            raise SystemExit(f"bench: concord segment failed on {bill}.{language}")
    return mappable(formats.read_provisions(out))


def sections(provisions: list[Provision]) -> dict[str, Provision]:
    """Section number -> section, for numbers that occur once."""
    seen: dict[str, list[Provision]] = {}
    for p in provisions:
        if p.level == "section" and p.number:
            seen.setdefault(p.number, []).append(p)
    return {number: ps[0] for number, ps in seen.items() if len(ps) == 1}


def _sections_above(provisions: list[Provision]) -> dict[str, str]:
    """Provision id -> the number of the section it is part of, for provisions below a section."""
    by_id = {p.id: p for p in provisions}
    out: dict[str, str] = {}
    for p in provisions:
        above = by_id.get(p.parent or "")
        while above is not None and above.level != "section":
            above = by_id.get(above.parent or "")
        if p.level != "section" and above is not None and above.number:
            out[p.id] = above.number
    return out


def baselines(en: dict[str, Provision], ms: dict[str, Provision], encoder: Any) -> dict[str, int]:
    """Hits at 1 of BM25, dense cosine and their RRF, English sections against the Malay sections."""
    numbers = sorted(set(en) & set(ms), key=lambda n: (len(n), n))
    targets = [ms[n] for n in sorted(ms, key=lambda n: (len(n), n))]
    t_numbers = [t.number for t in targets]
    index = BM25Index([tokenize(provision_text(t), "ms") for t in targets])
    t_vec = encoder.encode([provision_text(t) for t in targets], kind="query")
    s_vec = encoder.encode([provision_text(en[n]) for n in numbers], kind="query")
    hits = {"bm25": 0, "dense": 0, "rrf": 0}
    order = np.arange(len(targets))
    for k, number in enumerate(numbers):
        lexical = index.scores(tokenize(provision_text(en[number]), "en"))
        dense = t_vec @ s_vec[k]
        rrf = np.zeros(len(targets))
        for name, score in (("bm25", lexical), ("dense", dense)):
            ranking = np.lexsort((order, -score))
            hits[name] += t_numbers[ranking[0]] == number
            rank = np.empty(len(targets))
            rank[ranking] = np.arange(1, len(targets) + 1)
            rrf += 1 / (60 + rank)
        hits["rrf"] += t_numbers[int(np.lexsort((order, -rrf))[0])] == number
    return hits


def run_bill(bill: str, encoder: Any) -> dict[str, Any]:
    en, ms = read(bill, "en"), read(bill, "ms")
    en_sections, ms_sections = sections(en), sections(ms)
    scored = set(en_sections) & set(ms_sections)
    options = HarmonizeOptions()
    started = time.monotonic()
    result = engine.harmonize(en, ms, encoder, options)
    seconds = time.monotonic() - started
    shipped_rule = engine._counterparts_only
    engine._counterparts_only = lambda params, *_: params  # the same run without the counterpart rule
    try:
        without = engine.harmonize(en, ms, encoder, options)
    finally:
        engine._counterparts_only = shipped_rule
    number_of = {p.id: p.number for p in ms}
    best = {m.source_id: m.target_id for m in result.mappings if m.rank == 1}
    hits = sum(number_of.get(best.get(en_sections[n].id, ""), "") == n for n in scored)
    typed = {(m.source_id, m.target_id): m.relationship for m in result.mappings}
    equivalent = sum(typed.get((en_sections[n].id, ms_sections[n].id)) == "equivalent-to" for n in scored)
    # a sub-provision of English section N mapped onto Malay section N is a part of it
    section_of = _sections_above(en)
    parts = [
        rel
        for (sid, tid), rel in typed.items()
        if section_of.get(sid) in scored and tid == ms_sections[section_of[sid]].id
    ]
    suggested = [m for m in result.mappings if m.suggested]
    return {
        "bill": bill,
        "sources": len(en),
        "targets": len(ms),
        "sections": len(scored),
        "engine": hits,
        **baselines({n: en_sections[n] for n in scored}, ms_sections, encoder),
        "equivalent": equivalent,
        "parts": len(parts),
        "parts_subset": sum(rel == "subset-of" for rel in parts),
        "suggested": len(suggested),
        "contrary": sum(m.relationship == "contrary-to" for m in suggested),
        "flagged": sum(m.diverging for m in suggested),
        "flagged_without": sum(m.diverging for m in without.mappings if m.suggested),
        "seconds": seconds,
    }


def table(rows: list[dict[str, Any]], label: str) -> None:
    print(
        f"{'bill':<12} {'EN':>5} {'MS':>5} {'sect.':>5}  {'engine':>7} {'BM25':>7} {'dense':>7} {'RRF':>7}  "
        f"{'equiv.':>6} {'parts':>5} {'subset':>6}  {'suggested':>9} {'/source':>7} {'contrary':>8}  "
        f"{'flagged':>7} {'without':>7}  {'secs':>6}"
    )
    total: dict[str, float] = {}
    for r in rows:
        for key, value in r.items():
            if key != "bill":
                total[key] = total.get(key, 0) + value
    for r in [*rows, {"bill": label, **total}]:
        n = max(r["sections"], 1)
        print(
            f"{r['bill']:<12} {r['sources']:>5} {r['targets']:>5} {r['sections']:>5}  "
            f"{r['engine'] / n:>7.3f} {r['bm25'] / n:>7.3f} {r['dense'] / n:>7.3f} {r['rrf'] / n:>7.3f}  "
            f"{r['equivalent'] / n:>6.3f} {r['parts']:>5} {r['parts_subset'] / max(r['parts'], 1):>6.3f}  "
            f"{r['suggested']:>9} {r['suggested'] / max(r['sources'], 1):>7.2f} {r['contrary']:>8}  "
            f"{r['flagged']:>7} {r['flagged_without']:>7}  {r['seconds']:>6.1f}"
        )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--only", default="", help="only bills whose id contains this")
    args = parser.parse_args(argv)
    if not DATA.is_dir():
        print(f"bench: the development data is missing: expected {DATA}", file=sys.stderr)
        return 2
    OUT.mkdir(parents=True, exist_ok=True)
    encoder = CachedEncoder(E5Encoder(), os.environ.get("CONCORD_BENCH_CACHE") or OUT / "embeddings.sqlite")
    for label, bills in (("dev", DEV), ("held-out", HELD_OUT)):
        chosen = [b for b in bills if args.only in b]
        if chosen:
            print(f"\n{label}: English text against Malay text, whole bills, as `concord harmonize` runs")
            table([run_bill(bill, encoder) for bill in chosen], label)
    print(
        "\nsect. = sections numbered once on both sides; engine/BM25/dense/RRF = acc@1 of English sections "
        "(the baselines rank the Malay sections only); equiv. = true section pairs typed equivalent-to; "
        "parts = mappings of a part of English section N onto Malay section N, subset = the share typed "
        "subset-of; "
        "contrary = suggested mappings typed contrary-to; flagged = suggested mappings whose parameters "
        "diverge. The texts are translations, so every contrary-to and every divergence is false; flagged is "
        "given with the counterpart rule and without it."
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
