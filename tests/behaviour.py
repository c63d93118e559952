"""Helpers for behaviour tests of actions: a refused call writes nothing, an accepted one is audited once.

``refused(PermissionDenied, "Only the secretariat", Meeting, objects=[meeting])`` expects the block to raise
with a message containing the text a user is shown, and then proves the call wrote nothing: no audit entry,
no row added to or removed from the named models, and the named objects unchanged in the database.
``writes_nothing(...)`` is the same proof for a call that declines without raising (a second reminder run).
``audited("meeting.create")`` proves an accepted call recorded exactly one entry of that action (and, by
default, no other entry but the notices it sends).

``tests/<app>/test_actions_behaviour.py`` uses these blocks; ``calls_in_blocks`` reads such a file by AST so
that a collection test can require, for every public action, a test that refuses it and one that accepts it.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms.models import model_to_dict

from concord.audit.models import AuditEntry

ROOT = Path(__file__).resolve().parents[1]


def message_of(exc: BaseException) -> str:
    """What a user is shown: every message of a ValidationError, or the text of any other refusal."""
    if isinstance(exc, ValidationError):
        return " ".join(exc.messages)
    return str(exc)


def _state(models: Iterable, objects: Iterable) -> tuple:
    counts = {m.__name__: m._default_manager.count() for m in models}
    rows = {
        f"{type(o).__name__}:{o.pk}": (
            model_to_dict(type(o)._default_manager.get(pk=o.pk))
            if type(o)._default_manager.filter(pk=o.pk).exists()
            else None
        )
        for o in objects
    }
    return AuditEntry.objects.count(), counts, rows


@contextmanager
def writes_nothing(*models, objects: Iterable = ()) -> Iterator[None]:
    """The block leaves the audit log, the row counts of ``models`` and ``objects`` as they were."""
    objects = list(objects)
    before = _state(models, objects)
    yield
    after = _state(models, objects)
    assert after[0] == before[0], f"audit entries written: {list(AuditEntry.objects.order_by('-id')[:3])}"
    assert after[1] == before[1], f"rows changed: {before[1]} → {after[1]}"
    assert after[2] == before[2], f"objects changed: {before[2]} → {after[2]}"


@contextmanager
def refused(
    error: type[Exception], says: str, *models, objects: Iterable = ()
) -> Iterator[pytest.ExceptionInfo]:
    """The block raises ``error`` whose message contains ``says`` and writes nothing (see writes_nothing)."""
    with writes_nothing(*models, objects=objects), pytest.raises(error) as info:
        yield info
    assert says in message_of(info.value), message_of(info.value)


def denied(says: str, *models, objects: Iterable = ()):
    return refused(PermissionDenied, says, *models, objects=objects)


def invalid(says: str, *models, objects: Iterable = ()):
    return refused(ValidationError, says, *models, objects=objects)


class Audited:
    """The entries an accepted call recorded (filled when the block ends)."""

    entries: list[AuditEntry]

    @property
    def entry(self) -> AuditEntry:
        return self.entries[0]


NOTICE = "notice."  # a notice sent to someone is audited on its own; it rides along with the action


@contextmanager
def audited(action: str, *, alone: bool = True) -> Iterator[Audited]:
    """The block records exactly one audit entry of ``action`` and, when ``alone``, no other entry but the
    notices it sends."""
    last = AuditEntry.objects.order_by("-id").values_list("id", flat=True).first() or 0
    result = Audited()
    yield result
    new = list(AuditEntry.objects.filter(id__gt=last).order_by("id"))
    result.entries = [e for e in new if e.action == action]
    assert len(result.entries) == 1, f"expected one {action}, got {[e.action for e in new]}"
    if alone:
        others = [e.action for e in new if e.action != action and not e.action.startswith(NOTICE)]
        assert not others, f"expected only {action}, got {[e.action for e in new]}"


# --- which actions the behaviour tests exercise ---------------------------------------------------------
REFUSING = {"refused", "denied", "invalid", "writes_nothing"}
ACCEPTING = {"audited"}


def public_actions(*packages: str) -> set[str]:
    """The ``do_*`` functions defined at the top of every ``actions.py`` under the given packages."""
    found = set()
    for package in packages:
        for path in (ROOT / package.replace(".", "/")).rglob("actions.py"):
            tree = ast.parse(path.read_text(encoding="utf-8"))
            found |= {
                n.name for n in tree.body if isinstance(n, ast.FunctionDef) and n.name.startswith("do_")
            }
    return found


def _called(node: ast.AST) -> set[str]:
    names = set()
    for sub in ast.walk(node):
        if isinstance(sub, ast.Call):
            fn = sub.func
            name = fn.attr if isinstance(fn, ast.Attribute) else getattr(fn, "id", "")
            if name.startswith("do_"):
                names.add(name)
    return names


def calls_in_blocks(path: Path) -> tuple[set[str], set[str]]:
    """(actions called inside a refusing block, actions called inside an accepting block) in test
    functions of ``path``: the ``with`` statements that name a helper of this module."""
    refusing: set[str] = set()
    accepting: set[str] = set()
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for fn in ast.walk(tree):
        if not (isinstance(fn, ast.FunctionDef) and fn.name.startswith("test_")):
            continue
        for node in ast.walk(fn):
            if not isinstance(node, ast.With):
                continue
            helpers = {
                getattr(item.context_expr.func, "id", "")
                for item in node.items
                if isinstance(item.context_expr, ast.Call)
            }
            called = set().union(*(_called(stmt) for stmt in node.body))
            if helpers & REFUSING:
                refusing |= called
            if helpers & ACCEPTING:
                accepting |= called
    return refusing, accepting


def missing_behaviour_tests(packages: Iterable[str], test_files: Iterable[Path]) -> dict[str, list[str]]:
    """Public actions of ``packages`` that no test in ``test_files`` refuses, and that none accepts."""
    refusing: set[str] = set()
    accepting: set[str] = set()
    for path in test_files:
        r, a = calls_in_blocks(path)
        refusing |= r
        accepting |= a
    actions = public_actions(*packages)
    return {
        "no refusal test": sorted(actions - refusing),
        "no accepted test": sorted(actions - accepting),
    }
