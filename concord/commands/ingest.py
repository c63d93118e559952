"""`concord ingest FILE [--as EMAIL]`: add a document to the library, reading it now with a progress bar.

The command acts as a person, through the library's rules (see ``concord/commands/_actor.py``)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from . import fail
from ._actor import ActorError, add_actor_argument, resolve_actor

HELP = "add a document (PDF, DOCX, HTML, Markdown, text) to the policy library and read its provisions"
NEEDS_DJANGO = True


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("file", metavar="FILE", help="the document's file")
    parser.add_argument("--title", help="the document's title (required for a new document)")
    parser.add_argument("--party", help="the owning party's ISO code, e.g. MY or PK")
    parser.add_argument("--country", default="", help="ISO code of a country that is not a party")
    parser.add_argument(
        "--kind",
        default="law",
        choices=("strategy", "policy", "law", "regulation", "guideline", "standard", "framework"),
    )
    parser.add_argument(
        "--language",
        default="",
        choices=("", "en", "ms", "ur"),
        help="the document's language (default: detect it per provision)",
    )
    parser.add_argument("--short-title", default="")
    parser.add_argument("--issuer", default="")
    parser.add_argument(
        "--status", default="in_force", choices=("draft", "in_force", "amended", "repealed", "superseded")
    )
    parser.add_argument("--year", type=int)
    parser.add_argument("--summary", action="store_true", help="the text is a summary, not the official text")
    parser.add_argument("--visibility", default="dialogue", choices=("public", "dialogue", "party"))
    parser.add_argument("--amends", type=int, metavar="ID", help="id of the document this one amends")
    parser.add_argument(
        "--new-version-of",
        type=int,
        metavar="ID",
        help="add the file as a new version of document ID (it supersedes the current one)",
    )
    parser.add_argument("--dialogue", help="the dialogue's slug (default: the first one)")
    add_actor_argument(parser)
    parser.add_argument(
        "--embed",
        choices=("queue", "now", "skip"),
        default="queue",
        help="embed the provisions: queue it for the worker (default), now, or skip",
    )


def _bar(desc: str):
    from tqdm import tqdm

    return tqdm(total=5, desc=desc, unit="step", file=sys.stderr, leave=True)


class _Refusal(Exception):
    """A target the command line names does not exist; the message says which."""


def run(args: argparse.Namespace) -> int:
    from django.core.exceptions import PermissionDenied, ValidationError

    path = Path(args.file)
    if not path.is_file():
        return fail(f"{args.file}: no such file.")
    try:
        actor = resolve_actor(args.actor)
    except ActorError as exc:
        return fail(str(exc))
    embed = {"queue": "queue", "now": "inline", "skip": "skip"}[args.embed]
    bar = _bar(path.name)
    try:
        result = _ingest(args, actor=actor, path=path, embed=embed, on_progress=_progress_to(bar))
    except _Refusal as exc:
        return fail(str(exc))
    except ValidationError as exc:
        bar.close()
        return fail(_validation_message(exc))
    except PermissionDenied as exc:
        bar.close()
        return fail(
            f"{actor.email}: {exc} Act as a member of the dialogue's secretariat or delegation: --as EMAIL."
        )
    bar.close()
    return _report(result, embed=embed)


def _progress_to(bar):
    def on_progress(done: int, total: int, message: str) -> None:
        bar.total = total
        bar.n = done
        bar.set_postfix_str(message)
        bar.refresh()

    return on_progress


def _ingest(args: argparse.Namespace, *, actor, path: Path, embed: str, on_progress):
    """Add the file as a new version of ``--new-version-of`` or as a new document; ``_Refusal`` names
    a missing target."""
    from concord.library import actions
    from concord.library.models import PolicyDocument

    common = dict(
        actor=actor,
        upload=path,
        filename=path.name,
        run="inline",
        embed=embed,
        on_progress=on_progress,
    )
    if args.new_version_of:
        document = PolicyDocument.objects.filter(pk=args.new_version_of).first()
        if document is None:
            raise _Refusal(f"there is no document {args.new_version_of}.")
        return actions.do_ingest_version(document=document, language=args.language or None, **common)
    if not args.title:
        raise _Refusal("give the document's --title.")
    dialogue, party, amends = _new_document_targets(args)
    return actions.do_ingest_document(
        dialogue=dialogue,
        title=args.title,
        kind=args.kind,
        party=party,
        country=args.country,
        visibility=args.visibility,
        short_title=args.short_title,
        issuer=args.issuer,
        status=args.status,
        year=args.year,
        is_summary=args.summary,
        language=args.language,
        amends=amends,
        **common,
    )


def _new_document_targets(args: argparse.Namespace):
    """The dialogue, owning party and amended document a new document names, or ``_Refusal``."""
    from concord.accounts.models import Dialogue
    from concord.library.models import PolicyDocument

    dialogue = (
        Dialogue.objects.filter(slug=args.dialogue).first()
        if args.dialogue
        else Dialogue.objects.order_by("pk").first()
    )
    if dialogue is None:
        raise _Refusal("no such dialogue: create one first (concord demo --no-serve loads the demo).")
    party = dialogue.parties.filter(code=args.party.upper()).first() if args.party else None
    if args.party and party is None:
        raise _Refusal(f"{args.party} is not a party to the dialogue {dialogue.slug}.")
    amends = PolicyDocument.objects.filter(pk=args.amends).first() if args.amends else None
    if args.amends and amends is None:
        raise _Refusal(f"there is no document {args.amends} to amend.")
    return dialogue, party, amends


def _validation_message(exc) -> str:
    """The error's messages, led by its catalogue code when the file itself was refused."""
    errors = exc.error_dict.get("file", []) if hasattr(exc, "error_dict") else []
    code = next((e.code for e in errors if (e.code or "").startswith("E1")), None)
    prefix = f"[{code}] " if code else ""
    return prefix + "; ".join(exc.messages) + (" Nothing was stored." if code else "")


def _report(result, *, embed: str) -> int:
    version = result.version
    if result.duplicate:
        print(
            f"Already in the library: document {result.document.pk} “{result.document}”, "
            f"version {version.pk} (same SHA-256). Nothing was added."
        )
        return 0
    if result.failed:
        return fail(
            f"[{version.error_code}] {version.error} (the original is kept as version {version.pk} "
            f"of document {result.document.pk})."
        )
    n = version.provisions.count()
    print(
        f"Document {result.document.pk} “{result.document}”, version {version.pk}: {n} provisions, "
        f"language {version.language}."
    )
    if version.diff_summary:
        s = version.diff_summary
        print(
            f"Changes against version {s['base']}: {s['added']} added, {s['changed']} changed, "
            f"{s['removed']} removed."
        )
    if embed == "queue":
        print("Embeddings are queued for the worker (concord worker).")
    return 0
