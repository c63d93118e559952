"""The append-only audit log: every write, who made it, what changed, when and from where."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist
from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditLogIsAppendOnly(Exception):
    """Raised on any attempt to change or remove an audit entry."""


# Models that moved to another app. The log is append-only: entries written before a move keep the label
# they were written with, and an object's history reads both labels.
MOVED_FROM_SECRETARIAT = {
    "commitments": (
        "commitment",
        "commitmentparty",
        "milestone",
        "progressupdate",
        "evidencefile",
        "sentreminder",
    ),
    "minutes": ("minutes", "minutesversion", "amendment"),
}
FORMER_LABELS: dict[str, tuple[str, ...]] = {
    f"{app}.{model}": (f"secretariat.{model}",)
    for app, models_moved in MOVED_FROM_SECRETARIAT.items()
    for model in models_moved
}


def labels_of(object_type: str) -> tuple[str, ...]:
    """``object_type`` and the labels the same model had before it moved."""
    return (object_type, *FORMER_LABELS.get(object_type, ()))


class AuditEntryQuerySet(models.QuerySet["AuditEntry"]):
    def update(self, **kwargs):  # noqa: ARG002 - the log is append-only
        raise AuditLogIsAppendOnly("Audit entries cannot be changed.")

    def delete(self):
        raise AuditLogIsAppendOnly("Audit entries cannot be deleted.")

    def for_object(self, obj: models.Model) -> AuditEntryQuerySet:
        return self.filter(object_type__in=labels_of(obj._meta.label_lower), object_id=str(obj.pk))

    def visible_to(self, user) -> AuditEntryQuerySet:
        """The entries ``user`` may read: see ``concord.audit.rules``."""
        from .rules import visible_q

        return self.filter(visible_q(user))


class AuditEntry(models.Model):
    """One write. Entries are never updated or deleted (enforced here and by database triggers)."""

    created_at = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        # A deleted user's entries stay, pointing at an id that no longer exists: shown as "#<id>".
        on_delete=models.DO_NOTHING,
        related_name="+",
        verbose_name=_("actor"),
        db_constraint=False,
    )
    # "#<id>" for a signed-in actor (a pseudonym that outlives the account), else "anonymous".
    actor_label = models.CharField(_("actor"), max_length=254, blank=True)
    action = models.CharField(_("action"), max_length=80, db_index=True)
    object_type = models.CharField(_("object type"), max_length=100, blank=True, db_index=True)
    object_id = models.CharField(_("object id"), max_length=64, blank=True)
    object_repr = models.CharField(_("object"), max_length=300, blank=True)
    before = models.JSONField(_("before"), null=True, blank=True)
    after = models.JSONField(_("after"), null=True, blank=True)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    via = models.CharField(_("via"), max_length=20, blank=True)  # web, api, cli, task, admin
    dialogue_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    party_code = models.CharField(max_length=2, blank=True)
    # The visibility of the recorded content at write time (see scope.py); "" for what is not content.
    visibility = models.CharField(_("visibility"), max_length=10, blank=True, default="")
    party_id = models.BigIntegerField(null=True, blank=True)  # the owning party of that content

    objects = AuditEntryQuerySet.as_manager()

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["object_type", "object_id"])]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.actor_display} {self.action} {self.object_repr}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise AuditLogIsAppendOnly("Audit entries cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AuditLogIsAppendOnly("Audit entries cannot be deleted.")

    @property
    def actor_display(self) -> str:
        """The actor's e-mail address while the account exists, its pseudonym "#<id>" once deleted."""
        if self.actor_id is None:
            return self.actor_label
        try:
            actor = self.actor
        except ObjectDoesNotExist:
            actor = None
        return actor.email if actor is not None else f"#{self.actor_id}"

    def changed_fields(self) -> list[str]:
        before, after = self.before or {}, self.after or {}
        return sorted(k for k in set(before) | set(after) if before.get(k) != after.get(k))
