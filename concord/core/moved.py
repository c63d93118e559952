"""Rows that name a model by its app, moved with it to another app (used by the migrations that move models
between apps: ``commitments.0002_relabel_content_types``, ``minutes.0002_relabel_content_types``).

- ``django_content_type``: the models' rows change their ``app_label``, so their ids (and any permissions or
  admin log entries pointing at them) stay the same. Where a database already has a row for the new label
  (made by a ``migrate`` that ran before the move), the old row is left for Django's
  ``remove_stale_contenttypes``.
- in-app notices (``notices_notice.object_type``) about them.

Audit entries keep the label they were written with: the log is append-only, and
``AuditEntry.objects.for_object`` also reads the former label (``concord/audit/models.py``).
"""

from __future__ import annotations


def relabel(apps, models: tuple[str, ...], old: str, new: str) -> None:
    """Move ``models`` (lower-case model names) from app label ``old`` to ``new``, with the historical
    ``apps`` of a migration."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    taken = set(ContentType.objects.filter(app_label=new, model__in=models).values_list("model", flat=True))
    ContentType.objects.filter(app_label=old, model__in=[m for m in models if m not in taken]).update(
        app_label=new
    )
    Notice = apps.get_model("notices", "Notice")
    for model in models:
        Notice.objects.filter(object_type=f"{old}.{model}").update(object_type=f"{new}.{model}")
