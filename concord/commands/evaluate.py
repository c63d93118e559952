"""`concord evaluate MAPPINGS.jsonl GOLD.jsonl`: score mappings against gold links.

Prints Recall@1/5/10, MRR, MAP, pairwise precision/recall/F1 at the engine's threshold, calibration
(ECE and a reliability table) and, when gold is typed, relationship macro-F1 with a confusion matrix.
``--json`` prints the same as one JSON object. Needs no database.
"""

from __future__ import annotations

import argparse
import json

from . import fail

HELP = "score mappings against gold links (Recall@k, MRR, MAP, F1, macro-F1, ECE)"
NEEDS_DJANGO = False


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("mappings", help="mapping lines written by `concord harmonize` or `concord relate`")
    parser.add_argument("gold", help='gold lines {"a_id", "b_id", "relationship"?}')
    parser.add_argument(
        "--threshold",
        type=float,
        default=0.3,
        help="confidence threshold when lines carry no `suggested` flag (default 0.3, the engine's)",
    )
    parser.add_argument("--json", action="store_true", help="print the report as JSON")


def run(args: argparse.Namespace) -> int:
    from concord.engine.errors import EngineError
    from concord.engine.evaluate import evaluate_mappings, format_report
    from concord.engine.formats import read_gold, read_mappings

    try:
        report = evaluate_mappings(
            read_mappings(args.mappings), read_gold(args.gold), threshold=args.threshold
        )
    except EngineError as exc:
        return fail(exc)
    print(json.dumps(report.to_dict(), indent=2) if args.json else format_report(report))
    return 0
