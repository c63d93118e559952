"""Shared pieces of the tests that migrate a database back to where an earlier release left it, write rows
there and migrate it forward again (``tests/<app>/test_migration.py``)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor


def leaves(executor: MigrationExecutor):
    """Today's state: the last migration of every app."""
    return executor.loader.graph.leaf_nodes()


def migrate_forward(executor: MigrationExecutor) -> None:
    executor.loader.build_graph()
    executor.migrate(leaves(executor))


@pytest.fixture
def executor():
    executor = MigrationExecutor(connection)
    yield executor
    # Whatever the test did, leave the database as the other tests expect it.
    migrate_forward(executor)


def old_dialogue(apps):
    """A dialogue with Malaysia in it, and a user, written through the historical ``apps``."""
    my = apps.get_model("accounts", "Party").objects.create(code="MY", name="Malaysia")
    dialogue = apps.get_model("accounts", "Dialogue").objects.create(slug="old", name="Old dialogue")
    dialogue.parties.add(my)
    user = apps.get_model("accounts", "User").objects.create(email="old@test.example", full_name="Old")
    return dialogue, my, user
