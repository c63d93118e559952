"""`concord harmonize SOURCE.jsonl TARGET.jsonl --out OUT.jsonl`: map two provision files onto each other.

Reads provision lines ``{"id", "text", "title"?, "language"?, "theme"?}``, writes one line per proposed
mapping (up to ``--top-k`` per source, ranked), the gaps with ``--gaps`` and the harmonization index with
``--index``. ``--pairs PAIRS.jsonl`` types the given pairs instead (the same as ``concord relate``).
Needs no database. Progress goes to stderr; errors print ``concord: error: [E4xx] ...`` and exit 2.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from collections.abc import Callable
from dataclasses import asdict
from pathlib import Path
from typing import Any

from . import fail, succeed

HELP = "map the provisions of two files onto each other (typed, cited mappings; gaps; index)"
NEEDS_DJANGO = False
FORMATS = ("jsonl", "csv", "oscal")


def default_cache() -> Path:
    """Where embeddings are cached unless ``--cache``/``--no-cache`` say otherwise."""
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "concord" / "embeddings.sqlite"


def add_common(parser: argparse.ArgumentParser) -> None:
    """Arguments shared by ``harmonize`` and ``relate``."""
    parser.add_argument("source", help="source provisions (JSON Lines)")
    parser.add_argument("target", help="target provisions (JSON Lines)")
    parser.add_argument("--out", required=True, help="where to write the mappings")
    parser.add_argument("--format", choices=FORMATS, default="jsonl", help="output format (default jsonl)")
    parser.add_argument("--encoder", default="e5", help="encoder: e5 (default) or hashing")
    parser.add_argument("--cache", help="SQLite file caching embeddings (default: ~/.cache/concord/...)")
    parser.add_argument("--no-cache", action="store_true", help="do not cache embeddings on disk")
    parser.add_argument(
        "--threshold", type=float, default=0.3, help="link confidence to suggest a mapping (default 0.3)"
    )
    parser.add_argument("--quiet", action="store_true", help="no progress on stderr")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_common(parser)
    parser.add_argument("--top-k", type=int, default=10, help="candidates per source (default 10)")
    parser.add_argument("--gaps", help="write the gaps of both sides here (JSON Lines)")
    parser.add_argument("--index", help="write the harmonization index per theme here (JSON)")
    parser.add_argument("--pairs", help="type these {source_id, target_id} pairs instead of searching")


def progress_printer(quiet: bool) -> Callable[[str, int, int], None]:
    """A progress callback that writes ``stage done/total`` lines to stderr."""
    start = time.monotonic()

    def report(stage: str, done: int, total: int) -> None:
        if not quiet:
            print(f"concord: {stage} {done}/{total} ({time.monotonic() - start:.1f}s)", file=sys.stderr)

    return report


def make_encoder(args: argparse.Namespace) -> Any:
    from concord.engine.encoders import get_encoder

    cache = None if args.no_cache else (args.cache or (default_cache() if args.encoder == "e5" else None))
    return get_encoder(args.encoder, cache=cache)


def write_mappings(args: argparse.Namespace, mappings: list[Any], result: Any = None) -> int:
    """Write ``mappings`` (or the whole ``result`` for OSCAL) in ``args.format``; return the count."""
    from concord.engine import formats

    if args.format == "csv":
        return formats.write_csv(args.out, mappings)
    if args.format == "oscal":
        document = formats.oscal_mapping_collection(
            result if result is not None else mappings,
            source_href=Path(args.source).name,
            target_href=Path(args.target).name,
        )
        formats.write_json(args.out, document)
        return len(document["mapping-collection"]["mappings"][0]["maps"])
    return formats.write_jsonl(args.out, (m.to_dict() for m in mappings))


def run_relate(args: argparse.Namespace) -> int:
    """Type the pairs of ``args.pairs`` (shared by ``concord relate`` and ``harmonize --pairs``)."""
    from concord.engine import formats
    from concord.engine.errors import EngineError
    from concord.engine.harmonize import HarmonizeOptions, relate_pairs

    try:
        source = formats.read_provisions(args.source)
        target = formats.read_provisions(args.target)
        pairs = formats.read_pairs(args.pairs)
        encoder = make_encoder(args)
        report = progress_printer(args.quiet)
        report("typing pairs", 0, len(pairs))
        mappings = relate_pairs(source, target, pairs, encoder, HarmonizeOptions(threshold=args.threshold))
        count = write_mappings(args, mappings)
        report("typing pairs", len(pairs), len(pairs))
    except EngineError as exc:
        return fail(exc)
    return succeed(f"wrote {count} mappings to {args.out}", quiet=args.quiet)


def _mapped(provisions: list[Any], side: str, quiet: bool) -> list[Any]:
    """The provisions a comparison maps (`concord.engine.types.mappable`, as in the workspace): a Part or
    Chapter arranges the provisions under it and is left out, and the count is said."""
    from concord.engine.types import mappable

    kept = mappable(provisions)
    if len(kept) < len(provisions) and not quiet:
        print(
            f"concord: note: {len(provisions) - len(kept)} {side} parts and chapters arrange the document "
            "and are not mapped; the provisions under them are",
            file=sys.stderr,
        )
    return kept


def run(args: argparse.Namespace) -> int:
    if args.pairs:
        return run_relate(args)
    from concord.engine import formats
    from concord.engine.errors import EngineError
    from concord.engine.harmonize import HarmonizeOptions, harmonize

    try:
        source = _mapped(formats.read_provisions(args.source), "source", args.quiet)
        target = _mapped(formats.read_provisions(args.target), "target", args.quiet)
        options = HarmonizeOptions(top_k=args.top_k, threshold=args.threshold)
        options.check()
        result = harmonize(source, target, make_encoder(args), options, progress=progress_printer(args.quiet))
        count = write_mappings(args, result.mappings, result)
        if args.gaps:
            formats.write_jsonl(args.gaps, (g.to_dict() for g in [*result.source_gaps, *result.target_gaps]))
        if args.index:
            formats.write_json(args.index, {
                "model_id": result.model_id, "dim": result.dim,
                "themes": [asdict(t) for t in result.themes],
                "source_gaps": len(result.source_gaps), "target_gaps": len(result.target_gaps),
                "suggested": len(result.suggested),
            })  # fmt: skip
    except EngineError as exc:
        return fail(exc)
    if not args.quiet:
        summary = {
            "mappings": count,
            "suggested": len(result.suggested),
            "source_gaps": len(result.source_gaps),
            "target_gaps": len(result.target_gaps),
            "index": result.themes[0].index,
        }
        print(f"concord: wrote {args.out}: {json.dumps(summary)}", file=sys.stderr)
    return 0
