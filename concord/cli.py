"""The `concord` command.

Each sub-command lives in `concord/commands/<name>.py` and declares:

- ``HELP``: one line shown in ``concord --help``;
- ``NEEDS_DJANGO``: whether Django must be set up first (engine commands such as ``segment`` need
  neither a database nor a server);
- ``add_arguments(parser)`` and ``run(args) -> int``.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from types import ModuleType

# Order is the order shown in --help.
COMMANDS = (
    "demo",
    "serve",
    "worker",
    "segment",
    "ingest",
    "themes",
    "harmonize",
    "relate",
    "evaluate",
    "skills",
    "allocate",
    "search",
    "backup",
    "restore",
    "manage",
)


def setup_django() -> None:
    """Configure Django for commands that use the database."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "concord.settings")
    import django

    django.setup()


def _load(name: str) -> ModuleType | None:
    try:
        return importlib.import_module(f"concord.commands.{name}")
    except ModuleNotFoundError as exc:
        if exc.name == f"concord.commands.{name}":
            return None  # not built yet
        raise


def build_parser() -> tuple[argparse.ArgumentParser, dict[str, ModuleType]]:
    parser = argparse.ArgumentParser(
        prog="concord", description="Concord: the digital-policy dialogue platform"
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    modules: dict[str, ModuleType] = {}
    for name in COMMANDS:
        module = _load(name)
        if module is None:
            continue
        modules[name] = module
        p = sub.add_parser(name, help=module.HELP, description=module.HELP)
        module.add_arguments(p)
    return parser, modules


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    # `concord manage ...` hands everything after it to Django's manage.py untouched.
    if argv[:1] == ["manage"]:
        setup_django()
        from django.core.management import execute_from_command_line

        execute_from_command_line(["concord manage", *argv[1:]])
        return 0
    parser, modules = build_parser()
    args = parser.parse_args(argv)
    if not args.command:
        parser.print_help()
        return 2
    module = modules[args.command]
    if getattr(module, "NEEDS_DJANGO", True):
        setup_django()
    return int(module.run(args) or 0)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
