"""`concord allocate`: stable allocation of applicants to capacity-limited programmes, on files alone.

Applicant lines ``{"id", "preferences": [programme ids], "group"?}``; programme lines ``{"id", "capacity",
"ranking": [applicant ids], "reserves"?: {"group": seats}}``. Writes one line per applicant, in input order:
``{"applicant_id", "programme_id" | null}``. Errors print ``concord: error: [E5xx] ...`` and exit 2.
"""

from __future__ import annotations

import argparse
import sys

from . import fail

HELP = "allocate applicants to programmes by stable deferred acceptance (with reserves), without a database"
NEEDS_DJANGO = False


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--applicants", required=True, metavar="A.jsonl", help="applicant lines")
    parser.add_argument("--programmes", required=True, metavar="P.jsonl", help="programme lines")
    parser.add_argument("--out", required=True, metavar="OUT.jsonl", help="where to write the allocation")
    parser.add_argument(
        "--method",
        choices=("stable", "welfare"),
        default="stable",
        help="stable: applicant-proposing deferred acceptance (default); welfare: maximise total utility",
    )
    parser.add_argument("--check", action="store_true", help="count blocking pairs and report them on stderr")


def run(args: argparse.Namespace) -> int:
    from concord.engine.errors import EngineError, MatchingError
    from concord.engine.match import (
        blocking_pairs,
        deferred_acceptance,
        read_applicants,
        read_programmes,
        welfare_allocation,
    )

    try:
        applicants = read_applicants(args.applicants)
        programmes = read_programmes(args.programmes)
        allocate = welfare_allocation if args.method == "welfare" else deferred_acceptance
        result = allocate(applicants, programmes)
        blocking = blocking_pairs(applicants, programmes, result.assignment) if args.check else []
        try:
            lines = _jsonl(applicants, result.assignment)
            with open(args.out, "w", encoding="utf-8") as fh:
                fh.writelines(lines)
        except OSError as exc:
            raise MatchingError(f"cannot write {args.out}: {exc.strerror}", code="E510") from exc
    except EngineError as exc:
        return fail(exc)
    placed = sum(p is not None for p in result.assignment.values())
    print(f"concord: placed {placed} of {len(applicants)} applicants; wrote {args.out}", file=sys.stderr)
    if args.check:
        print(f"concord: {len(blocking)} blocking pairs", file=sys.stderr)
    return 0


def _jsonl(applicants, assignment: dict) -> list[str]:
    """The output lines, each id JSON-escaped once (C speed): ``{"applicant_id", "programme_id"}``."""
    from json.encoder import encode_basestring

    programme_json = {p: encode_basestring(p) for p in set(assignment.values()) if p is not None}
    programme_json[None] = "null"
    return [
        f'{{"applicant_id": {encode_basestring(a.id)}, "programme_id": {programme_json[assignment[a.id]]}}}\n'
        for a in applicants
    ]
