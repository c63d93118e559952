"""Who a command acts as. The operator's commands (``concord ingest``, ``concord themes import``) call the
same actions as the web, as a person, through the same rules: ``--as EMAIL`` names that person.

Without ``--as``, a command acts as the site's administrator when the site has exactly one; with none or
several, ``--as`` is required. The rules then decide, as for anyone: an administrator imports the theme
taxonomy, but adds documents to a dialogue's library only if they also sit in it (act as a member of its
secretariat or delegation instead).
"""

from __future__ import annotations

import argparse


class ActorError(Exception):
    """The command cannot tell who acts; the message says what to give."""


def add_actor_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--as",
        dest="actor",
        metavar="EMAIL",
        help="act as this person (e-mail address); default: the site administrator, when there is one only",
    )


def resolve_actor(email: str | None):
    """The active account the command acts as (see the module's docstring)."""
    from concord.accounts.models import User

    if email:
        user = User.objects.filter(email__iexact=email.strip()).first()
        if user is None:
            raise ActorError(f"--as {email}: there is no account with this e-mail address.")
        if not user.is_active:
            raise ActorError(f"--as {email}: this account is deactivated.")
        return user
    administrators = list(User.objects.filter(is_superuser=True, is_active=True).order_by("pk")[:2])
    if len(administrators) == 1:
        return administrators[0]
    if not administrators:
        raise ActorError(
            "say who acts with --as EMAIL: the site has no administrator to act as by default "
            "(create one with `concord manage createsuperuser`)."
        )
    raise ActorError(
        "say who acts with --as EMAIL: the site has several administrators, so none is the default."
    )
