"""The search index follows every save and delete of every registered kind of content.

Search entries are derived data, like a cache, so they are kept in step where every write passes: the
model signals of each registered source's model (views, API, CLI, tasks, demo and admin alike), not a call
to remember in each app's actions. The style guide prefers actions to signals for writes with side
effects; this one only mirrors rows into the index, and a missed call here was the defect (issue 14,
item 2: talent opportunities, meetings and commitments were found only after a rebuild).

* **Save**: the entry's words are written at once, in the same transaction (found by their words
  immediately; gone again if the transaction rolls back). After the commit, the object is read again
  (its themes and other many-to-many links are set after the save itself) and its vector is computed by a
  background task, off the request path: the default model takes a noticeable time per object.
* **Delete**: the entry goes in the same transaction.
"""

from __future__ import annotations

import logging
import threading

from django.db import transaction
from django.db.models.signals import post_delete, post_save

from . import index, registry

log = logging.getLogger(__name__)
_state = threading.local()


def _pending() -> dict[str, set[int]]:
    if not hasattr(_state, "pending"):
        _state.pending = {}
    return _state.pending


def _saved(sender, instance, raw=False, **kwargs) -> None:
    if raw:
        return  # loading a fixture: the rebuild indexes it
    if not _live_model(sender):
        return
    source = registry.source_for(instance)
    keys = [(source.kind, instance.pk)] if source is not None else []
    keys += registry.dependents_of(instance)
    if keys:
        _follow(keys)


def _deleted(sender, instance, **kwargs) -> None:
    if not _live_model(sender):
        return
    source = registry.source_for(instance)
    if source is not None:
        index.remove_ids(source.kind, [instance.pk])
    keys = registry.dependents_of(instance)
    if keys:
        _follow(keys)


def _live_model(sender) -> bool:
    """Not a migration's historical model (rows a migration writes reach the index at the next rebuild)."""
    from django.apps import apps

    try:
        return apps.get_model(sender._meta.label) is sender
    except LookupError:
        return False


def _follow(keys: list[tuple[str, int]]) -> None:
    for kind, pk in keys:
        index.refresh_ids(kind, [pk], embed=False)
        _pending().setdefault(kind, set()).add(pk)
    # One callback per transaction. (After a rollback Django drops the callbacks; what was pending then is
    # handled by the next commit, which reads each object afresh: a row that is gone loses its entry.)
    connection = transaction.get_connection()
    if not any(item[1] is _after_commit for item in connection.run_on_commit):
        transaction.on_commit(_after_commit)


def _after_commit() -> None:
    pending = dict(_pending())
    _pending().clear()
    for kind, ids in pending.items():
        index.refresh_ids(kind, sorted(ids), embed=False)  # the final state, with its many-to-many links
    if pending:
        from .tasks import embed_missing

        try:
            embed_missing.enqueue()
        except Exception:  # noqa: BLE001 - no task queue: the next rebuild computes the vectors
            log.exception("search: could not queue the vectors of new entries")


def connect() -> None:
    """Follow every model's saves and deletes; those of models no source registers are ignored at once.
    (Connected for all models, so a source registered later, by another app, is followed too.)"""
    post_save.connect(_saved, dispatch_uid="knowledge-index-save")
    post_delete.connect(_deleted, dispatch_uid="knowledge-index-delete")
