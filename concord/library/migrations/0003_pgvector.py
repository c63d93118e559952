"""On PostgreSQL with the pgvector extension available, add the `embedding_vec vector` column.

Does nothing on SQLite or where pgvector is not installed; never fails for its absence.
"""

from django.db import migrations


def add_vector_column(apps, schema_editor):
    from concord.library.pgvector import ensure_column

    ensure_column(schema_editor.connection.alias)


class Migration(migrations.Migration):
    dependencies = [("library", "0002_default_themes")]
    operations = [migrations.RunPython(add_vector_column, migrations.RunPython.noop)]
