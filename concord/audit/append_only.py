"""Database triggers that keep the audit log append-only, whatever code or SQL tries to change it.

Both SQLite and PostgreSQL refuse UPDATE and DELETE of an audit row. The triggers are installed by
migrations and re-installed by any migration that rebuilds the table (SQLite drops a table's triggers
when Django remakes it to add a column).

Emptying a whole database is still possible, on purpose and only through two doors: ``manage.py flush``
(the test runner empties databases between tests with it; PostgreSQL's TRUNCATE fires no row trigger,
and on SQLite our ``flush`` lifts the triggers for the length of the flush) and ``concord restore --force``.
"""

from __future__ import annotations

from contextlib import contextmanager

TABLE = "audit_auditentry"
MESSAGE = "the audit log is append-only"

_SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS audit_entry_no_update",
    "DROP TRIGGER IF EXISTS audit_entry_no_delete",
]
_SQLITE_CREATE = [
    f"CREATE TRIGGER audit_entry_no_{verb.lower()} BEFORE {verb} ON {TABLE} "
    f"BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END"
    for verb in ("UPDATE", "DELETE")
]
_PG_DROP = [f"DROP TRIGGER IF EXISTS audit_entry_no_update_delete ON {TABLE}"]
_PG_CREATE = [
    "CREATE OR REPLACE FUNCTION audit_entry_append_only() RETURNS trigger AS $$ "
    f"BEGIN RAISE EXCEPTION '{MESSAGE}'; END; $$ LANGUAGE plpgsql",
    f"CREATE TRIGGER audit_entry_no_update_delete BEFORE UPDATE OR DELETE ON {TABLE} "
    "FOR EACH ROW EXECUTE FUNCTION audit_entry_append_only()",
]


def _run(connection, statements: list[str]) -> None:
    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)


def drop_triggers(connection) -> None:
    if connection.vendor == "sqlite":
        _run(connection, _SQLITE_DROP)
    elif connection.vendor == "postgresql":
        _run(connection, _PG_DROP)


def install_triggers(connection) -> None:
    """(Re)create the triggers; safe to call when they exist."""
    drop_triggers(connection)
    if connection.vendor == "sqlite":
        _run(connection, _SQLITE_CREATE)
    elif connection.vendor == "postgresql":
        _run(connection, _PG_CREATE)


def installed_triggers(connection) -> set[str]:
    """Names of the append-only triggers present on the audit table."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = %s", [TABLE])
        elif connection.vendor == "postgresql":
            cursor.execute(
                "SELECT tgname FROM pg_trigger WHERE tgrelid = %s::regclass AND NOT tgisinternal", [TABLE]
            )
        else:
            return set()
        return {row[0] for row in cursor.fetchall()}


@contextmanager
def lifted(connection):
    """Lift the triggers while a whole database is emptied or replaced, and put them back, even on error."""
    drop_triggers(connection)
    try:
        yield
    finally:
        install_triggers(connection)
