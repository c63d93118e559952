"""Who may do what with the search index, the trends and the monthly digests: one place for the app.

- **Search and trends** are open to everyone, signed in or not. The index never decides what a person sees:
  every candidate is checked again against its own content's rules (each source's ``visible_ids``), and
  counts in the trends come only from entries the reader may open (``entries_q``).
- **Rebuilding the index** starts a background job that reads everything: the secretariat only.
- **Digests**: a signed-in person previews their own (the page asks for sign-in). The monthly chore (no
  actor) sends each member theirs; a person may send their own; only the secretariat sends one to someone
  else.
"""

from __future__ import annotations

from django.db.models import Q

from concord.core import rules as core


def entries_q(user) -> Q:
    """The index entries whose visibility and party let ``user`` see them (re-checked per object later)."""
    return core.visible_q(user)


def can_rebuild_index(user) -> bool:
    return core.is_secretariat(user)


def can_send_digest(actor, recipient) -> bool:
    """``actor`` None is the monthly chore, which sends every member their own."""
    if actor is None or actor == recipient:
        return True
    return core.is_secretariat(actor)
