"""Shared pieces of the permission-matrix tests (``tests/<app>/test_rules_matrix.py``): the personas as the
rows of a matrix, the usual groups of them, the parametrization over its cells (``over``, or ``over_cells``
for a table keyed by action and visibility), signing in as a row, and the check that a hand-written matrix
leaves no cell out.

Each app still writes its own EXPECTED table by hand from its rules; only the scaffolding is shared."""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Mapping

import pytest
from django.contrib.auth.models import AnonymousUser

# One row per persona of tests/conftest.py, and the anonymous visitor.
ROLES = [
    "anonymous",
    "outsider",
    "observer",
    "stakeholder",
    "analyst_my",
    "analyst_pk",
    "delegate_my",
    "delegate_pk",
    "secretariat",
]
VISIBILITIES = ["public", "dialogue", "party"]
MEMBERS = set(ROLES) - {"anonymous", "outsider"}
MY_DELEGATION = {"analyst_my", "delegate_my"}
MY_WRITERS = {"secretariat", "delegate_my", "analyst_my"}


def user_of(personas, role: str):
    """The user a matrix row stands for: a persona, or an anonymous visitor."""
    return AnonymousUser() if role == "anonymous" else personas.users[role]


def assert_complete(expected: Mapping, actions: Iterable, columns: Iterable, *also: Iterable) -> None:
    """``expected[action][column]`` is written out for every action and every column (and the ``also``
    tables name the same actions), so no cell of the matrix goes untested."""
    actions = set(actions)
    assert set(expected) == actions
    for other in also:
        assert set(other) == actions
    for action in actions:
        assert set(expected[action]) == set(columns), action


def assert_row(check: Mapping[str, Callable], user, obj, allowed: Mapping[str, Collection[str]], role: str):
    """One row of a matrix cell by cell: the rules in ``check`` let ``user`` (the row ``role``) do to ``obj``
    exactly the actions whose ``allowed`` roles include ``role``."""
    got = {action for action in allowed if check[action](user, obj)}
    want = {action for action in allowed if role in allowed[action]}
    assert got == want


def assert_page_shown(client, url: str, allowed: bool, secret: bytes) -> None:
    """The page at ``url`` answers 200 to a row ``allowed`` to see it, and 404 to the others without naming
    ``secret`` (not even in the error message)."""
    page = client.get(url)
    assert page.status_code == (200 if allowed else 404)
    if not allowed:
        assert secret not in page.content


def over(**axes: Iterable):
    """Parametrize a matrix test over its axes, e.g. ``@over(role=ROLES, visibility=VISIBILITIES)``: every
    combination is a test, named by the axes in the order given."""

    def mark(test):
        for name, values in axes.items():
            test = pytest.mark.parametrize(name, values)(test)
        return test

    return mark


def over_cells(expected: Mapping[tuple[str, str], Collection[str]]):
    """Parametrize a matrix test over a table keyed by ``(action, visibility)``: every row (``role``) for
    every key, as ``role``, ``action`` and ``visibility``."""
    cells = [(role, action, visibility) for (action, visibility) in expected for role in ROLES]
    return pytest.mark.parametrize(("role", "action", "visibility"), cells)


def sign_in(client, personas, role: str, settings):
    """The test client as a matrix row's user: anonymous, or the persona signed in (the second factor off, so
    the rules are what decide)."""
    settings.CONCORD_REQUIRE_2FA = False
    if role != "anonymous":
        client.force_login(personas.users[role])
    return client
