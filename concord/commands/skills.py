"""`concord skills`: link free text to taxonomy skills (on files alone) and import ESCO into the database.

- ``concord skills link --taxonomy LABELS.txt --input SENTENCES.jsonl --out OUT.jsonl [--top-k 10]``:
  LABELS.txt holds one skill label a line; input lines are ``{"sentence": ...}``; output has one line per
  input line, in order: ``{"sentence", "skills": [ranked labels], "evidence": [...]}``. No database.
- ``concord skills import-esco DIR [--as EMAIL]``: import ESCO CSV files (skills, occupations, their relations
  and the skill hierarchy) into the talent app, as a person through talent's rules (the secretariat of a
  dialogue, or an administrator: see ``concord/commands/_actor.py`` for the default). Needs the database.

Errors print ``concord: error: [E5xx] ...`` and exit 2.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

from . import fail, succeed
from ._actor import ActorError, add_actor_argument, resolve_actor

HELP = "link text to taxonomy skills (link, no database); import ESCO CSV files (import-esco)"
NEEDS_DJANGO = False  # `link` needs none; `import-esco` sets Django up itself


def default_cache() -> str:
    """Where label vectors are kept between runs: $CONCORD_VECTOR_CACHE or ~/.cache/concord/vectors.sqlite."""
    return os.environ.get("CONCORD_VECTOR_CACHE") or str(
        Path.home() / ".cache" / "concord" / "vectors.sqlite"
    )


def add_arguments(parser: argparse.ArgumentParser) -> None:
    sub = parser.add_subparsers(dest="skills_command", metavar="ACTION", required=True)
    link = sub.add_parser("link", help="link sentences to ranked taxonomy skills, without a database")
    link.add_argument("--taxonomy", required=True, metavar="LABELS.txt", help="one skill label a line")
    link.add_argument("--input", required=True, metavar="SENTENCES.jsonl", help='lines {"sentence": ...}')
    link.add_argument("--out", required=True, metavar="OUT.jsonl", help="where to write the ranked skills")
    link.add_argument("--top-k", type=int, default=10, help="skills per sentence (default 10)")
    link.add_argument(
        "--encoder", choices=("e5", "hashing", "none"), default="e5", help="dense encoder (default e5)"
    )
    link.add_argument(
        "--cache",
        default=None,
        help="SQLite file caching label vectors (default $CONCORD_VECTOR_CACHE or "
        "~/.cache/concord/vectors.sqlite); 'none' disables it",
    )
    link.add_argument("--quiet", action="store_true", help="no progress on stderr")
    esco = sub.add_parser("import-esco", help="import ESCO CSV files (skills, occupations, relations)")
    esco.add_argument("dir", metavar="DIR", help="folder with the ESCO CSV files")
    esco.add_argument("--language", default="en", help="the language of the labels in these files")
    add_actor_argument(esco)


def read_sentences(path: str) -> list[str]:
    """Read ``{"sentence": ...}`` lines; every problem raises `MatchingError` naming the line."""
    from concord.engine.allocation import read_json_lines
    from concord.engine.errors import MatchingError

    out = []
    for n, row in read_json_lines(path, shape='{"sentence": "..."}'):
        if not isinstance(row.get("sentence"), str):
            raise MatchingError(f'{path}:{n}: each line must be {{"sentence": "..."}}', code="E508")
        if not row["sentence"].strip():
            raise MatchingError(f"{path}:{n}: the sentence is empty", code="E511")
        out.append(row["sentence"])
    return out


def run_link(args: argparse.Namespace) -> int:
    from concord.engine.encoders import get_encoder
    from concord.engine.errors import EngineError, MatchingError
    from concord.engine.skills import SkillLinker, read_labels

    def progress(what: str):
        def report(done: int, total: int) -> None:
            if not args.quiet:
                print(f"\rconcord: {what} {done}/{total}", end="" if done < total else "\n", file=sys.stderr)

        return report

    try:
        if args.top_k < 1:
            raise MatchingError(f"--top-k must be at least 1, not {args.top_k}", code="E509")
        skills = read_labels(args.taxonomy)
        sentences = read_sentences(args.input)
        encoder = None
        if args.encoder != "none":
            cache = None if args.cache == "none" else (args.cache or default_cache())
            encoder = get_encoder(args.encoder, cache=cache)
        linker = SkillLinker(skills, encoder, progress=progress("encoding labels"))
        results = linker.link_many(sentences, args.top_k, progress=progress("linking")) if sentences else []
        try:
            with open(args.out, "w", encoding="utf-8") as fh:
                for sentence, linked in zip(sentences, results):
                    row = {
                        "sentence": sentence,
                        "skills": [s.label for s in linked],
                        "evidence": [s.evidence.text if s.evidence else None for s in linked],
                    }
                    fh.write(json.dumps(row, ensure_ascii=False) + "\n")
        except OSError as exc:
            raise MatchingError(f"cannot write {args.out}: {exc.strerror}", code="E510") from exc
    except EngineError as exc:
        return fail(exc)
    return succeed(f"linked {len(sentences)} sentences; wrote {args.out}", quiet=args.quiet)


def run_import(args: argparse.Namespace) -> int:
    from concord.cli import setup_django

    setup_django()
    from django.core.exceptions import PermissionDenied, ValidationError

    from concord.engine.errors import EngineError
    from concord.talent.actions import do_import_esco

    try:
        actor = resolve_actor(args.actor)
    except ActorError as exc:
        return fail(exc)
    try:
        report = do_import_esco(actor=actor, directory=Path(args.dir), language=args.language)
    except EngineError as exc:
        return fail(exc)
    except PermissionDenied as exc:
        return fail(f"{actor.email}: {exc} Act as a member of a dialogue's secretariat: --as EMAIL.")
    except ValidationError as exc:
        return fail(f"[E513] {'; '.join(exc.messages)}")
    return succeed(str(report))


def run(args: argparse.Namespace) -> int:
    if args.skills_command == "link":
        return run_link(args)
    return run_import(args)
