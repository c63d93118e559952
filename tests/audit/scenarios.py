"""Table-driven audit scenarios for `tests/<app>/audit_scenarios.py` (run by
tests/audit/test_every_write_is_audited.py).

An app's file lists one row per write: ``action(do_verb, "prefix", arg=value, ...)`` for an action, and
``call("METHOD /api/path/{param}", "prefix", maker, body)`` for an API operation (a ``body`` that is a
callable is called with the personas and what ``maker`` made). A value that is a
callable is called with the personas first (``programme=make_programme``, ``org=persona("university")``),
so each row says only what is particular to its write.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from operator import attrgetter
from typing import Any


def persona(name: str) -> Callable:
    """A value taken from the personas (``persona("university")`` stands for ``p.university``)."""
    return attrgetter(name)


def _resolve(p, value: Any) -> Any:
    return value(p) if callable(value) else value


def action(
    fn: Callable, prefix: str, actor: str | None = "secretariat", *, via: Callable | None = None, **kw
):
    """A scenario running ``fn(actor=p.<actor>, **kw)`` (or ``via(p)``, a helper that runs it), which must
    record an entry whose action starts with ``prefix``."""

    def run(p) -> str:
        if via is not None:
            via(p)
        else:
            fn(
                **({} if actor is None else {"actor": getattr(p, actor)}),
                **{k: _resolve(p, v) for k, v in kw.items()},
            )
        return prefix

    run.key = f"{fn.__module__.removeprefix('concord.')}.{fn.__name__}"  # type: ignore[attr-defined]
    return run


def call(operation: str, prefix: str, target: Any = None, body: Any = None, *, as_user: str | None = None):
    """A scenario sending ``operation`` ("METHOD /api/path/{param}") with a JSON ``body`` (none when None);
    the path's one parameter is the primary key of what ``target`` makes (``target`` is None for a path
    without one). ``as_user`` signs in as that
    persona first, and names them as the write's expected actor."""
    method, path = operation.split(" ", 1)
    params = re.findall(r"{(\w+)}", path)
    assert len(params) == (0 if target is None else 1), operation

    def run(p, client):
        made = _resolve(p, target)
        url = path.format(**dict.fromkeys(params, getattr(made, "pk", made)))
        if as_user is not None:
            client.force_login(getattr(p, as_user))
        send = getattr(client, method.lower())
        content = body(p, made) if callable(body) else body
        response = (
            send(url) if content is None else send(url, json.dumps(content), content_type="application/json")
        )
        return (response, prefix, getattr(p, as_user)) if as_user else (response, prefix)

    run.key = (method, path)  # type: ignore[attr-defined]
    return run


def scenarios(*rows: Callable) -> dict:
    """An app's ``ACTIONS`` or ``API``: its rows keyed by the action's dotted name or by (method, path)."""
    return {row.key: row for row in rows}  # type: ignore[attr-defined]
