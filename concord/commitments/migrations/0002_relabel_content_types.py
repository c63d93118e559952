"""Rows that name the moved models by their app follow them from ``secretariat`` to ``commitments``:

- ``django_content_type``: the six models' rows change their ``app_label``, so their ids (and any
  permissions or admin log entries pointing at them) stay the same. Where a database already has a row for
  the new label (made by a ``migrate`` that ran before this one), the old row is left for Django's
  ``remove_stale_contenttypes``.
- in-app notices (``notices_notice.object_type``) about commitments, milestones and progress updates.

Audit entries keep the label they were written with: the log is append-only, and
``AuditEntry.objects.for_object`` also reads the former label (``concord/audit/models.py``).
"""

from django.db import migrations

from concord.core.moved import relabel

MOVED = ("commitment", "commitmentparty", "milestone", "progressupdate", "evidencefile", "sentreminder")


def forwards(apps, schema_editor):
    relabel(apps, MOVED, "secretariat", "commitments")


def backwards(apps, schema_editor):
    relabel(apps, MOVED, "commitments", "secretariat")


class Migration(migrations.Migration):
    dependencies = [
        ("commitments", "0001_initial"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("notices", "0003_peer_learning_notices"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
