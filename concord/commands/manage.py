"""`concord manage ...`: Django's manage.py (handled directly in `concord.cli.main`)."""

import argparse

HELP = "run a Django management command (migrate, createsuperuser, ...)"
NEEDS_DJANGO = True


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("args", nargs=argparse.REMAINDER)


def run(args: argparse.Namespace) -> int:  # pragma: no cover - main() intercepts `manage`
    from django.core.management import execute_from_command_line

    execute_from_command_line(["concord manage", *args.args])
    return 0
