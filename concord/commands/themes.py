"""`concord themes import FILE [--as EMAIL]`: load or update the theme taxonomy from a JSON file, as the
secretariat or an administrator (see ``concord/commands/_actor.py`` for the default)."""

from __future__ import annotations

import argparse

from . import fail
from ._actor import ActorError, add_actor_argument, resolve_actor

HELP = "manage the theme taxonomy: concord themes import FILE, concord themes list"
NEEDS_DJANGO = True


def add_arguments(parser: argparse.ArgumentParser) -> None:
    sub = parser.add_subparsers(dest="themes_command", metavar="ACTION", required=True)
    imp = sub.add_parser("import", help="create or update themes from a taxonomy file (JSON)")
    imp.add_argument("file", metavar="FILE", nargs="?", help="the taxonomy file (default: the one shipped)")
    add_actor_argument(imp)
    sub.add_parser("list", help="print the themes")


def run(args: argparse.Namespace) -> int:
    from django.core.exceptions import PermissionDenied

    from concord.engine.errors import TaxonomyError
    from concord.engine.themes import load_taxonomy
    from concord.library.actions import do_import_themes
    from concord.library.models import Theme

    if args.themes_command == "list":
        for theme in Theme.objects.select_related("parent"):
            parent = f"  (in {theme.parent.slug})" if theme.parent_id else ""
            print(f"{theme.slug:36} {theme.label_en}{parent}")
        return 0
    try:
        taxonomy = load_taxonomy(args.file)
    except TaxonomyError as exc:
        return fail(exc)
    try:
        actor = resolve_actor(args.actor)
        counts = do_import_themes(actor=actor, taxonomy=taxonomy)
    except ActorError as exc:
        return fail(exc)
    except PermissionDenied as exc:
        return fail(f"{actor.email}: {exc}")
    print(
        f"Themes of {taxonomy.id} v{taxonomy.version}: "
        f"{counts['created']} created, {counts['updated']} updated."
    )
    return 0
