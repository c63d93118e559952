"""Rows that name the moved models by their app follow them from ``secretariat`` to ``minutes``: their
``django_content_type`` rows (same ids, new ``app_label``) and the in-app notices about them (minutes
circulated, adopted). How, and why audit entries keep their label: ``concord/core/moved.py``."""

from django.db import migrations

from concord.core.moved import relabel

MOVED = ("minutes", "minutesversion", "amendment")


def forwards(apps, schema_editor):
    relabel(apps, MOVED, "secretariat", "minutes")


def backwards(apps, schema_editor):
    relabel(apps, MOVED, "minutes", "secretariat")


class Migration(migrations.Migration):
    dependencies = [
        ("minutes", "0001_initial"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("notices", "0003_peer_learning_notices"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
