"""`concord relate SOURCE.jsonl TARGET.jsonl --pairs PAIRS.jsonl --out OUT.jsonl`: type given pairs.

PAIRS lines are ``{"source_id", "target_id"}``; one mapping line is written per pair, in the same format as
``concord harmonize``. Needs no database.
"""

from __future__ import annotations

import argparse

from concord.commands.harmonize import add_common, run_relate

HELP = "type given pairs of provisions (relationship, confidence, cited sentences)"
NEEDS_DJANGO = False


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_common(parser)
    parser.add_argument("--pairs", required=True, help="{source_id, target_id} lines to type")


def run(args: argparse.Namespace) -> int:
    return run_relate(args)
