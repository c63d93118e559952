"""When may the vector pass answer alone? Measured on real cross-language queries and on made-up names.

    .venv/bin/python bench/search_nothing_found.py [--encoder e5|hashing] [--data ../shared/data]

Search fuses words (full text) and vectors. When no word of a query occurs in anything the caller may see,
only the vectors can answer: that is how a Malay query finds an English provision, and also how a made-up
name used to bring back unrelated items (issue 14, item 2). This bench puts the English sections of the
Malaysian digital bills (``crosslingual/en-ms-digital-bills.jsonl``, development data, read in place) in a
vector index, then asks

* **cross-language queries**: the first 12 words of each section's Malay text; the right answer is the
  paired English section (a query whose words occur nowhere in the English index, so vectors answer alone);
* **names that match nothing**: 40 made-up people, firms and places written for this bench.

For each rule it prints how often the paired English section is still returned (higher is better) and how
often a made-up name returns anything (lower is better). The rule's one threshold is chosen on the bills of
fold A and the names of fold A, and reported on fold B (held out), beside the plain z-score rule search used
before.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

NAMES = [
    "Zubair Qwertyani",
    "Marlowe Tinkerbeck",
    "Oskarina Plumtree",
    "Feroza Lindqvist-Baig",
    "Tobiah Quenneville",
    "Zorbex Quantum Holdings",
    "Bluefinch Orchard Partners",
    "Kestrelmoor Ventures",
    "Pallasite Widget Works",
    "Nimbleroot Foundry",
    "Snargle Bay",
    "Port Vellamo",
    "Qasimabad Heights",
    "Upper Thrushwick",
    "Lake Ombrella",
    "Hafsa Dunmore",
    "Ignatius Perrywhistle",
    "Yusra Valdemarsdottir",
    "Crispin Okonkwo-Hale",
    "Delphine Achterberg",
    "Glimmerfox Studios",
    "Harrowgate Pickle Co",
    "Vexmoor Analytics",
    "Tumbleweed Kite Club",
    "Saffron Owl Bakery",
    "zzqx blorp",
    "wibble frobnicate",
    "quixotic marmalade",
    "xylophone giraffe",
    "plinth sprocket",
    "Rafiq Bellweather",
    "Anouk Szymanski",
    "Bartholomew Nakagawa",
    "Cordelia Mbeki-Frost",
    "Ezekiel Raghunathan",
    "Moonbarrow",
    "Fennick Lane",
    "Ossory Quay",
    "Brambleton Green",
    "Wrenfield Mews",
]


def _texts(data: Path):
    rows = [json.loads(line) for line in (data / "crosslingual" / "en-ms-digital-bills.jsonl").open()]
    rows = [r for r in rows if r.get("en_text") and r.get("ms_text")]
    docs = [((r.get("en_heading") or "") + ". " + r["en_text"])[:1500] for r in rows]
    queries = [" ".join(r["ms_text"].split()[:12]) for r in rows]
    bills = sorted({r["bill_id"] for r in rows})
    fold = [bills.index(r["bill_id"]) % 2 for r in rows]
    return docs, queries, fold


def _stats(qv: np.ndarray, dv: np.ndarray):
    sims = dv @ qv
    mean, std = float(sims.mean()), float(sims.std()) or 1.0
    return sims, mean, std


def returned(sims, mean, std, n, gap_min: float) -> np.ndarray:
    """Indices the vector pass returns alone: the old z-score rule, plus a minimum ``gap``: how far above
    the typical item a hit stands, as a share of the distance from the typical item to a perfect match."""
    z_min = min(2.5, 0.75 * math.sqrt(n - 1))
    z = (sims - mean) / std
    gap = (sims - mean) / max(1e-6, 1.0 - mean)
    return np.flatnonzero((z >= z_min) & (sims > 0) & (gap >= gap_min))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--encoder", default="e5", choices=["e5", "hashing"])
    parser.add_argument("--data", default=str(ROOT.parent / "shared" / "data"))
    args = parser.parse_args()
    from concord.engine.encoders import E5Encoder, HashingEncoder

    enc = E5Encoder() if args.encoder == "e5" else HashingEncoder()
    docs, queries, fold = _texts(Path(args.data))
    dv = np.asarray(enc.encode(docs, kind="passage"), dtype=np.float32)
    qv = np.asarray(enc.encode(queries, kind="query"), dtype=np.float32)
    nv = np.asarray(enc.encode(NAMES, kind="query"), dtype=np.float32)
    n = len(docs)
    cross = [(i, _stats(qv[i], dv)) for i in range(len(queries))]
    names = [(j, _stats(nv[j], dv)) for j in range(len(NAMES))]

    def score(gap_min: float, f: int) -> tuple[float, float, int, int]:
        cq = [(i, s) for i, s in cross if fold[i] == f]
        nq = [(j, s) for j, s in names if j % 2 == f]
        found = sum(i in set(returned(*s, n, gap_min)) for i, s in cq)
        noise = sum(len(returned(*s, n, gap_min)) > 0 for _j, s in nq)
        return found / len(cq), noise / len(nq), len(cq), len(nq)

    grid = [round(x, 3) for x in np.arange(0.0, 0.61, 0.025)]
    best = max(grid, key=lambda g: (lambda r: r[0] - r[1])(score(g, 0)))
    print(f"encoder {enc.model_id}; {n} English sections indexed; gap threshold chosen on fold A: {best}")
    print(f"{'rule':<34} {'fold':<12} {'paired section returned':>24} {'made-up name returns items':>28}")
    for label, g in (("z-score only (before)", 0.0), (f"z-score and gap >= {best}", best)):
        for f, fname in ((0, "A (tuning)"), (1, "B (held out)")):
            found, noise, nc, nn = score(g, f)
            print(f"{label:<34} {fname:<12} {found:>17.1%} of {nc:<4} {noise:>21.1%} of {nn:<4}")


if __name__ == "__main__":
    main()
