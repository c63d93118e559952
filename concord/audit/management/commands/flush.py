"""Django's ``flush``, able to empty the append-only audit table on SQLite too.

The test runner empties the database between transactional tests with ``flush``. SQLite deletes rows one
by one, which the audit log's DELETE trigger refuses, so the triggers are lifted for the length of the
flush and put back after it (PostgreSQL truncates, which fires no row trigger).
"""

from django.core.management.commands.flush import Command as DjangoFlush
from django.db import connections

from concord.audit import append_only


class Command(DjangoFlush):
    def handle(self, **options):
        connection = connections[options["database"]]
        if connection.vendor != "sqlite" or append_only.TABLE not in connection.introspection.table_names():
            return super().handle(**options)
        with append_only.lifted(connection):
            return super().handle(**options)
