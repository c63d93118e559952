"""No action has a switch that skips its permission check, and the one way in (the bootstrap of
``concord/accounts/rules.py``) is the only way in: an administrator appoints a secretariat, the secretariat
adds everyone else."""

from __future__ import annotations

import ast
import importlib
import inspect
import re
import textwrap

import pytest
from django.core.exceptions import PermissionDenied

from concord.accounts import actions as account_actions
from concord.accounts import rules as account_rules
from concord.accounts.models import Membership, Role
from tests.audit.test_every_write_is_audited import _all_actions

BYPASS = re.compile(
    r"(check|skip|bypass|ignore|without|no)_?(permission|perm|rule|auth|check)s?|"
    r"^(unchecked|force|sudo|as_system|trusted|system|privileged)$",
    re.IGNORECASE,
)


def _action(dotted: str):
    module, _, name = dotted.rpartition(".")
    return getattr(importlib.import_module(f"concord.{module}"), name)


def _parameters(dotted: str) -> list[str]:
    return list(inspect.signature(_action(dotted)).parameters)


def _is_actor_test(node: ast.AST, op: type[ast.cmpop]) -> bool:
    """``actor is not None`` (op ``IsNot``) or ``actor is None`` (op ``Is``)."""
    return (
        isinstance(node, ast.Compare)
        and isinstance(node.left, ast.Name)
        and node.left.id == "actor"
        and len(node.ops) == 1
        and isinstance(node.ops[0], op)
        and isinstance(node.comparators[0], ast.Constant)
        and node.comparators[0].value is None
    )


def _asks_the_rules(node: ast.AST) -> bool:
    """The expression calls a permission rule: ``rules.anything(...)`` or ``can_*``/``may_*``."""
    for call in ast.walk(node):
        if not isinstance(call, ast.Call):
            continue
        func = call.func
        name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
        of_rules = isinstance(func, ast.Attribute) and getattr(func.value, "id", "").endswith("rules")
        if of_rules or name.startswith(("can_", "may_")):
            return True
    return False


def skips_its_check_without_an_actor(source: str) -> list[str]:
    """Conditions that ask the rules only when there is an actor: ``actor is not None and not can_x(actor)``
    or ``actor is None or can_x(actor)``, i.e. a call without an actor passes unchecked."""
    found = []
    for node in ast.walk(ast.parse(textwrap.dedent(source))):
        if not isinstance(node, ast.BoolOp):
            continue
        guard = ast.IsNot if isinstance(node.op, ast.And) else ast.Is
        if any(_is_actor_test(v, guard) for v in node.values) and any(
            _asks_the_rules(v) for v in node.values if not _is_actor_test(v, guard)
        ):
            found.append(ast.unparse(node))
    return found


def test_no_action_has_a_parameter_that_skips_its_permission_check():
    actions = sorted(_all_actions())
    assert len(actions) > 100  # the scan sees every app's actions
    offences = [f"{a}({p}=...)" for a in actions for p in _parameters(a) if BYPASS.search(p)]
    assert offences == []


def test_no_action_asks_its_rules_only_when_there_is_an_actor():
    """A call with ``actor=None`` is checked like anyone's: the rules refuse an anonymous caller. The demo,
    the CLI and the tests act as a real user of the right role."""
    actions = sorted(_all_actions())
    offences = {
        a: found
        for a in actions
        if (found := skips_its_check_without_an_actor(inspect.getsource(_action(a))))
    }
    assert offences == {}


@pytest.mark.parametrize(
    "guard",
    [
        "if actor is not None and not rules.can_import_taxonomy(actor):\n    raise PermissionDenied",
        "if actor is not None and not can_edit(actor, obj):\n    raise PermissionDenied",
        "if not (actor is None or rules.can_edit(actor, obj)):\n    raise PermissionDenied",
        "allowed = actor is None or core_rules.is_secretariat(actor)",
    ],
)
def test_the_scan_recognises_a_check_skipped_without_an_actor(guard):
    assert skips_its_check_without_an_actor(guard)


@pytest.mark.parametrize(
    "condition",
    [
        "if not rules.can_import_taxonomy(actor):\n    raise PermissionDenied",
        "profile = Profile.objects.get(user=actor) if actor is not None and actor.is_authenticated else None",
        "if actor is None or not actor.is_authenticated:\n    raise PermissionDenied",
        "if actor is not None and actor.pk == obj.author_id:\n    notify(obj)",
    ],
)
def test_the_scan_leaves_ordinary_conditions_alone(condition):
    assert not skips_its_check_without_an_actor(condition)


@pytest.mark.parametrize("name", ["check_permission", "skip_permissions", "bypass_rules", "force", "sudo"])
def test_the_scan_recognises_a_bypass_parameter(name):
    assert BYPASS.search(name)


@pytest.mark.parametrize("name", ["actor", "party", "visibility", "check_only", "permission", "run"])
def test_the_scan_leaves_ordinary_parameters_alone(name):
    assert not BYPASS.search(name)


@pytest.mark.django_db
def test_an_administrator_appoints_the_secretariat_and_no_other_role(personas):
    newcomer = account_actions.do_create_user(
        actor=None, email="n@test.example", full_name="N", password=None
    )
    for role in (Role.DELEGATE, Role.ANALYST, Role.OBSERVER, Role.STAKEHOLDER):
        with pytest.raises(PermissionDenied):
            account_actions.do_add_membership(
                actor=personas.administrator, user=newcomer, dialogue=personas.dialogue, role=role, party=None
            )
    assert not Membership.objects.filter(user=newcomer).exists()
    account_actions.do_add_membership(
        actor=personas.administrator, user=newcomer, dialogue=personas.dialogue, role=Role.SECRETARIAT
    )
    assert Membership.objects.filter(user=newcomer, role=Role.SECRETARIAT).exists()


@pytest.mark.django_db
@pytest.mark.parametrize("actor", ["delegate_my", "analyst_my", "stakeholder", "observer", "outsider", None])
def test_only_the_secretariat_or_an_administrator_adds_members(personas, actor):
    newcomer = account_actions.do_create_user(
        actor=None, email="n@test.example", full_name="N", password=None
    )
    who = getattr(personas, actor) if actor else None
    for role in (Role.SECRETARIAT, Role.OBSERVER):
        with pytest.raises(PermissionDenied):
            account_actions.do_add_membership(actor=who, user=newcomer, dialogue=personas.dialogue, role=role)
    assert not Membership.objects.filter(user=newcomer).exists()


@pytest.mark.django_db
def test_the_first_administrator_comes_from_the_console_and_later_ones_from_an_administrator(db):
    assert account_rules.can_create_administrator(None)  # a fresh site: the operator at the console
    first = account_actions.do_create_administrator(
        actor=None, email="first@test.example", full_name="First", password=None
    )
    assert first.is_superuser and first.is_staff
    with pytest.raises(PermissionDenied):  # the console is no way in any more
        account_actions.do_create_administrator(
            actor=None, email="second@test.example", full_name="Second", password=None
        )
    member = account_actions.do_create_user(actor=first, email="m@test.example", full_name="M", password=None)
    with pytest.raises(PermissionDenied):
        account_actions.do_create_administrator(
            actor=member, email="second@test.example", full_name="Second", password=None
        )
    second = account_actions.do_create_administrator(
        actor=first, email="second@test.example", full_name="Second", password=None
    )
    assert second.is_superuser


@pytest.mark.django_db
def test_a_deactivated_administrator_appoints_no_one(personas):
    personas.administrator.is_active = False
    personas.administrator.save(update_fields=["is_active"])
    assert not account_rules.can_add_member(personas.administrator, personas.dialogue.pk, Role.SECRETARIAT)
