"""`concord search`: rebuild the search index, run a query, send the monthly digests, expire old listings."""

from __future__ import annotations

import argparse
import sys

HELP = "search and ecosystem: concord search reindex | query WORDS | digest [--period YYYY-MM] | expire"
NEEDS_DJANGO = True


def add_arguments(parser: argparse.ArgumentParser) -> None:
    sub = parser.add_subparsers(dest="search_command", metavar="ACTION", required=True)
    re_ = sub.add_parser("reindex", help="rebuild the search index (all types, or --type T ...)")
    re_.add_argument("--type", action="append", dest="kinds", help="only this type (repeatable)")
    q = sub.add_parser("query", help="search as an anonymous visitor (public items only) and print the hits")
    q.add_argument("words", nargs="+")
    d = sub.add_parser("digest", help="e-mail every member the digest of a month (default: last month)")
    d.add_argument("--period", help="YYYY-MM")
    sub.add_parser("expire", help="expire published offers and requests past their date")


def run(args: argparse.Namespace) -> int:
    from django.contrib.auth.models import AnonymousUser

    from concord.knowledge import index, registry, search

    if args.search_command == "reindex":
        known = {s.kind for s in registry.sources()}
        unknown = sorted(set(args.kinds or []) - known)
        if unknown:
            print(
                f"concord: error: unknown type {', '.join(unknown)}; known: {', '.join(sorted(known))}",
                file=sys.stderr,
            )
            return 2

        def progress(done: int, total: int, kind: str = "") -> None:
            width = 30
            filled = int(width * done / total) if total else width
            print(f"\r[{'#' * filled}{'.' * (width - filled)}] {done}/{total} {kind:12}", end="", flush=True)

        counts = index.rebuild(args.kinds, progress=progress)
        print()
        for kind, n in counts.items():
            print(f"{kind:14} {n}")
        return 0
    if args.search_command == "query":
        results = search.search(AnonymousUser(), " ".join(args.words))
        print(f"{results.total} results")
        for hit in results.hits:
            print(f"[{hit.kind}] {hit.title}  {hit.url}  ({hit.via})")
        return 0
    if args.search_command == "digest":
        from concord.knowledge import digest, tasks

        period = args.period or digest.previous_month()
        try:
            digest.month_bounds(period)
        except ValueError:
            print("concord: error: give the month as YYYY-MM", file=sys.stderr)
            return 2
        job = tasks.start_digests(actor=None, period=period)
        job.refresh_from_db()
        print(f"Digest {period}: {job.get_status_display()} {job.result or ''}")
        return 0
    from concord.directory.actions import do_expire_listings

    print(f"{do_expire_listings(actor=None)} listings expired")
    return 0
