"""Builders shared by the tests of several apps: each makes one piece of the Pakistan–Malaysia world of
tests/conftest.py (``p`` is its ``Personas``) with the values most tests take, so that a test names only
what it is about. Writes go through the same actions a user calls; a note that is only the object of a
permission check is saved on the model, as the tests did before.

An app's own builders stay in its ``tests/<app>/conftest.py`` (``make_meeting``, ``make_listing``, …)."""

from __future__ import annotations

from concord.accounts import actions as account_actions
from concord.core.models import Note
from concord.library.actions import do_ingest_document
from tests.conftest import PASSWORD


def make_note(
    p, title: str = "N", *, by=None, party=None, visibility: str = "party", body: str = "B"
) -> Note:
    """A note of the dialogue written by ``by`` (the Malaysian delegate) for ``party`` (Malaysia), saved on
    the model without an audit entry."""
    return Note.objects.create(
        dialogue=p.dialogue,
        title=title,
        body=body,
        visibility=visibility,
        party=party or p.my,
        created_by=by or p.delegate_my,
    )


def add_member(p, user, role: str, **kw):
    """``user`` made a member of the dialogue with ``role`` by the secretariat (``kw``: party,
    organization)."""
    return account_actions.do_add_membership(
        actor=p.secretariat, user=user, dialogue=p.dialogue, role=role, **kw
    )


def new_member(p, email: str, full_name: str, role: str, *, password: str = PASSWORD, **kw):
    """A new user who signs in with ``password``, made a member of the dialogue with ``role``."""
    user = account_actions.do_create_user(actor=None, email=email, full_name=full_name, password=password)
    add_member(p, user, role, **kw)
    return user


def ingest_act(p, upload, *, by=None, title: str = "Data Protection Act 2030", **kw):
    """``upload`` added to the dialogue's library as a law in ``act.md`` by ``by`` (the Malaysian delegate);
    ``kw`` names the rest (party, visibility, run, embed, or another filename or kind)."""
    kw.setdefault("filename", "act.md")
    kw.setdefault("kind", "law")
    return do_ingest_document(
        actor=by or p.delegate_my, dialogue=p.dialogue, upload=upload, title=title, **kw
    )


def new_stakeholder(p, email: str, full_name: str, organization, **kw):
    """A new person who speaks for ``organization`` in the dialogue (a stakeholder)."""
    return new_member(p, email, full_name, "stakeholder", organization=organization, **kw)


def record_outcome(p, item, kind: str, text: str, *, disposition: str = "agreed", **kw):
    """The secretariat records an outcome of agenda ``item`` (``kw``: action_owner, action_due, …)."""
    from concord.secretariat import actions

    return actions.do_record_outcome(
        actor=p.secretariat, item=item, kind=kind, disposition=disposition, text=text, **kw
    )
