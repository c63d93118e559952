"""`concord demo`: set up the local demo (SQLite under var/, demo data) and serve it on 127.0.0.1:8000."""

from __future__ import annotations

import argparse
import os
import secrets
import sys
from pathlib import Path

HELP = "load the Pakistan–Malaysia demo and serve it (web + worker) on 127.0.0.1:8000"
NEEDS_DJANGO = False  # the environment is prepared before Django starts


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--no-serve", action="store_true", help="load the demo into the configured database and exit"
    )
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8000)


def prepare_environment() -> Path:
    """Demo defaults: a persistent secret key under var/, plain HTTP on loopback, 2FA not enforced."""
    base = Path(__file__).resolve().parents[2]
    var = Path(os.environ.get("CONCORD_VAR_DIR", base / "var"))
    var.mkdir(parents=True, exist_ok=True)
    key_file = var / "secret_key"
    if not os.environ.get("SECRET_KEY"):
        if not key_file.exists():
            key_file.write_text(secrets.token_urlsafe(50))
            key_file.chmod(0o600)
        os.environ["SECRET_KEY"] = key_file.read_text().strip()
    os.environ.setdefault("HTTPS", "0")
    os.environ.setdefault("CONCORD_REQUIRE_2FA", "0")
    return var


def run(args: argparse.Namespace) -> int:
    prepare_environment()
    from concord.cli import setup_django

    setup_django()
    from django.core.management import call_command

    from concord.demo.load import demo_logins, load_demo

    call_command("migrate", interactive=False, verbosity=0)
    load_demo(sys.stdout)
    if args.no_serve:
        print("Demo data loaded.")
        return 0
    print()
    print(f"Concord is starting on http://{args.host}:{args.port}/")
    print("Demo logins (two-factor authentication is not enforced in the local demo):")
    for email, password, name in demo_logins():
        print(f"  {email:32} {password}   {name}")
    print(f"API docs: http://{args.host}:{args.port}/api/docs")
    from concord.commands.serve import serve

    return serve(host=args.host, port=args.port, with_worker=True)
