"""`concord segment FILE`: a document's provisions, one per line, without a database or a server."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from concord.engine.errors import EngineError

from . import fail

HELP = "split a document (PDF, DOCX, HTML, Markdown, text) into provisions, without a database"
NEEDS_DJANGO = False

FIELDS = ("id", "number", "heading", "text", "level", "parent", "page", "language")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    from concord.engine.constants import DEFAULT_MAX_BYTES
    from concord.engine.constants import SEGMENT_KINDS as KINDS

    parser.add_argument("file", metavar="FILE", help="the document; '-' reads standard input")
    parser.add_argument(
        "--language",
        default="auto",
        choices=("auto", "en", "ms", "ur"),
        help="the provisions' language (default: detect per provision)",
    )
    parser.add_argument(
        "--kind",
        default="auto",
        choices=KINDS,
        help="document kind: law, regulation, bill (statute) or strategy, policy, ... (default: auto)",
    )
    parser.add_argument(
        "--type",
        dest="declared_type",
        default=None,
        help="declared type (pdf, docx, html, md, txt or a media type); checked against the content",
    )
    parser.add_argument(
        "--format",
        default="jsonl",
        choices=("jsonl", "json", "text"),
        help="jsonl: one JSON object a line (default); json: one array; text: an indented outline",
    )
    parser.add_argument("--max-bytes", type=int, default=DEFAULT_MAX_BYTES, help=argparse.SUPPRESS)


def run(args: argparse.Namespace) -> int:
    from concord.engine.extract import extract
    from concord.engine.segment import segment

    try:
        if args.file == "-":
            data, name = sys.stdin.buffer.read(), None
        else:
            path = Path(args.file)
            if not path.is_file():
                return fail(f"[E100] {args.file}: no such file.")
            data, name = path.read_bytes(), path.name
        extracted = extract(data, filename=name, declared_type=args.declared_type, max_bytes=args.max_bytes)
        provisions = segment(extracted, language=args.language, kind=args.kind)
    except EngineError as exc:
        return fail(str(exc))
    rows = [{field: getattr(p, field) for field in FIELDS} for p in provisions]
    out = sys.stdout
    if args.format == "json":
        json.dump(rows, out, ensure_ascii=False, indent=1)
        out.write("\n")
    elif args.format == "text":
        depth: dict[str, int] = {}
        for p in provisions:
            depth[p.id] = depth[p.parent] + 1 if p.parent in depth else 0
            label = " ".join(x for x in (p.number, p.heading) if x)
            text = " ".join(p.text.split())
            out.write(f"{'  ' * depth[p.id]}[{p.id}] {label}: {text[:100]}\n")
    else:
        for row in rows:
            out.write(json.dumps(row, ensure_ascii=False) + "\n")
    for warning in extracted.warnings:
        print(f"concord: note: {warning}", file=sys.stderr)
    return 0
