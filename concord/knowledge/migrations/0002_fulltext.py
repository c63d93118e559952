"""The full-text index beside knowledge_searchentry: FTS5 on SQLite, tsvector + GIN on PostgreSQL.

On SQLite the FTS5 table is an external-content index of (title, body, themes) kept in step by triggers
on the entry table, so every write path (single saves, bulk inserts, deletes) updates it. On PostgreSQL a
generated column holds the 'simple' configuration's tsvector (no stemming: English, Malay and Urdu alike),
title weighted above body.
"""

from django.db import migrations

SQLITE = [
    "CREATE VIRTUAL TABLE knowledge_fts USING fts5(title, body, themes, content='knowledge_searchentry', "
    "content_rowid='id', tokenize='unicode61 remove_diacritics 2')",
    "CREATE TRIGGER knowledge_fts_ai AFTER INSERT ON knowledge_searchentry BEGIN "
    "INSERT INTO knowledge_fts(rowid, title, body, themes) VALUES (new.id, new.title, new.body, new.themes); END",
    "CREATE TRIGGER knowledge_fts_ad AFTER DELETE ON knowledge_searchentry BEGIN "
    "INSERT INTO knowledge_fts(knowledge_fts, rowid, title, body, themes) "
    "VALUES ('delete', old.id, old.title, old.body, old.themes); END",
    "CREATE TRIGGER knowledge_fts_au AFTER UPDATE OF title, body, themes ON knowledge_searchentry BEGIN "
    "INSERT INTO knowledge_fts(knowledge_fts, rowid, title, body, themes) "
    "VALUES ('delete', old.id, old.title, old.body, old.themes); "
    "INSERT INTO knowledge_fts(rowid, title, body, themes) VALUES (new.id, new.title, new.body, new.themes); END",
]
SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS knowledge_fts_au",
    "DROP TRIGGER IF EXISTS knowledge_fts_ad",
    "DROP TRIGGER IF EXISTS knowledge_fts_ai",
    "DROP TABLE IF EXISTS knowledge_fts",
]
POSTGRES = [
    "ALTER TABLE knowledge_searchentry ADD COLUMN tsv tsvector GENERATED ALWAYS AS ("
    "setweight(to_tsvector('simple', coalesce(title, '')), 'A') || "
    "setweight(to_tsvector('simple', coalesce(themes, '')), 'B') || "
    "setweight(to_tsvector('simple', coalesce(body, '')), 'C')) STORED",
    "CREATE INDEX knowledge_entry_tsv ON knowledge_searchentry USING GIN (tsv)",
]
POSTGRES_DROP = [
    "DROP INDEX IF EXISTS knowledge_entry_tsv",
    "ALTER TABLE knowledge_searchentry DROP COLUMN IF EXISTS tsv",
]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        statements = statements_by_vendor.get(schema_editor.connection.vendor, [])
        for sql in statements:
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("knowledge", "0001_initial")]
    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE, "postgresql": POSTGRES}),
            _run({"sqlite": SQLITE_DROP, "postgresql": POSTGRES_DROP}),
        )
    ]
