"""Audit entries carry the visibility of what they record, and outlive the accounts of their actors.

- ``visibility`` and ``party_id``: the scope of the recorded content (concord/audit/scope.py), so the log
  shows party-only entries only to that party. Existing rows are filled in from the content when it still
  exists; for deleted content, from the visibility its own entries recorded in their before/after
  snapshots; failing that, an owning party makes the entry that party's, and otherwise it stays within
  its dialogue.
- ``actor``: deleting a user no longer touches their entries (DO_NOTHING, no database constraint).
  ``actor_label`` becomes the pseudonym "#<id>" instead of the e-mail address.
- The append-only triggers are lifted for the backfill and installed again, now refusing DELETE on
  SQLite as well (SQLite also drops a table's triggers when a column is added by rebuilding it).
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

from concord.audit import append_only
from concord.audit.scope import Scope, scope_of

CONTENT_VISIBILITIES = ("public", "dialogue", "party")


def lift_triggers(apps, schema_editor):
    append_only.drop_triggers(schema_editor.connection)


def install_triggers(apps, schema_editor):
    append_only.install_triggers(schema_editor.connection)


def _model(apps, label: str):
    try:
        return apps.get_model(label)
    except (LookupError, ValueError):
        return None


def _snapshot_scopes(AuditEntry) -> dict[tuple[str, str], Scope]:
    """What the entries' own snapshots say of each object's visibility (the narrowest over time)."""
    found: dict[tuple[str, str], Scope] = {}
    rows = AuditEntry.objects.exclude(object_id="").values_list(
        "object_type", "object_id", "dialogue_id", "before", "after"
    )
    for object_type, object_id, dialogue_id, before, after in rows.iterator():
        for snap in (before, after):
            if isinstance(snap, dict) and snap.get("visibility") in CONTENT_VISIBILITIES:
                party = snap.get("party")
                scope = Scope(
                    snap["visibility"],
                    snap.get("dialogue") or dialogue_id,
                    party if isinstance(party, int) else None,
                )
                key = (object_type, object_id)
                found[key] = found[key].narrowed(scope) if key in found else scope
    return found


def backfill(apps, schema_editor):
    AuditEntry = apps.get_model("audit", "AuditEntry")
    Party = apps.get_model("accounts", "Party")
    party_by_code = dict(Party.objects.values_list("code", "pk"))
    from_snapshots = _snapshot_scopes(AuditEntry)
    scopes: dict[tuple[str, str], Scope | None] = {}

    def live_scope(object_type: str, object_id: str) -> Scope | None:
        key = (object_type, object_id)
        if key not in scopes:
            model = _model(apps, object_type) if object_type and object_id else None
            obj = None
            if model is not None:
                try:
                    obj = model._default_manager.filter(pk=object_id).first()
                except (ValueError, TypeError):
                    obj = None
            scopes[key] = scope_of(obj) if obj is not None else None
        return scopes[key]

    rows = AuditEntry.objects.order_by("pk").values_list(
        "pk", "actor_id", "object_type", "object_id", "dialogue_id", "party_code"
    )
    for pk, actor_id, object_type, object_id, dialogue_id, party_code in rows.iterator():
        scope = live_scope(object_type, object_id)
        if scope is None:
            scope = from_snapshots.get((object_type, object_id))
        if scope is None and dialogue_id is not None:
            party_id = party_by_code.get(party_code) if party_code else None
            scope = Scope("party", dialogue_id, party_id) if party_id else Scope("dialogue", dialogue_id, None)
        scope = scope or Scope()
        AuditEntry.objects.filter(pk=pk).update(
            visibility=scope.visibility,
            party_id=scope.party_id,
            dialogue_id=dialogue_id if dialogue_id is not None else scope.dialogue_id,
            actor_label=f"#{actor_id}" if actor_id is not None else "anonymous",
        )


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0002_append_only_triggers"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
        # The content whose visibility the backfill reads.
        ("accounts", "0001_initial"),
        ("core", "0001_initial"),
        ("library", "0004_deleted_originals"),
        ("harmonize", "0001_initial"),
        ("secretariat", "0001_initial"),
        ("talent", "0001_initial"),
        ("directory", "0001_initial"),
        ("knowledge", "0003_drop_access_index"),
    ]

    operations = [
        migrations.RunPython(lift_triggers, install_triggers, elidable=False),
        migrations.AddField(
            model_name="auditentry",
            name="party_id",
            field=models.BigIntegerField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="auditentry",
            name="visibility",
            field=models.CharField(blank=True, default="", max_length=10, verbose_name="visibility"),
        ),
        migrations.AlterField(
            model_name="auditentry",
            name="actor",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
                verbose_name="actor",
            ),
        ),
        migrations.RunPython(backfill, migrations.RunPython.noop, elidable=False),
        migrations.RunPython(install_triggers, lift_triggers, elidable=False),
    ]
