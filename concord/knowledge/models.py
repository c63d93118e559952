"""The search index (one row per searchable object, with who may see it) and the monthly digest log.

Lexical search runs on a full-text index the database keeps next to ``knowledge_searchentry``: an FTS5
virtual table on SQLite, a generated ``tsvector`` column with a GIN index on PostgreSQL. Both are created
by migration 0002 and are not declared here, so the ORM never writes them.
"""

from __future__ import annotations

import numpy as np
from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class SearchEntry(models.Model):
    """A searchable object, copied with its access: ``dialogue``/``visibility``/``party`` as content has.

    Search filters by these columns and then checks each hit against the live object, so a stale row can
    lose a result but never show one the caller may not see.
    """

    kind = models.CharField(_("type"), max_length=40)
    object_id = models.PositiveBigIntegerField()
    title = models.CharField(_("title"), max_length=300)
    body = models.TextField(_("text"), blank=True)
    url = models.CharField(max_length=500)
    dialogue_id = models.BigIntegerField(null=True, blank=True)
    visibility = models.CharField(max_length=10)
    party_id = models.BigIntegerField(null=True, blank=True)
    party_code = models.CharField(_("party or country"), max_length=2, blank=True)
    themes = models.CharField(_("themes"), max_length=1000, blank=True, help_text="' slug slug ' for LIKE")
    date = models.DateField(_("date"), null=True, blank=True)
    language = models.CharField(_("language"), max_length=2, blank=True)
    embedding = models.BinaryField(null=True, blank=True, editable=False)
    embedding_model = models.CharField(max_length=120, blank=True)
    updated_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("search entry")
        verbose_name_plural = _("search entries")
        constraints = [
            models.UniqueConstraint(fields=["kind", "object_id"], name="searchentry_unique_object")
        ]
        # No index on the access columns: search always narrows by id (from the full-text or the vector
        # pass) first, and such an index tempts SQLite's planner (without statistics) into scanning every
        # public row through it instead of looking the ids up: 50 ms instead of 3 at 100k entries.
        indexes = [models.Index(fields=["kind", "date"], name="knowledge_entry_kind_date")]

    def __str__(self) -> str:
        return f"{self.kind}:{self.object_id} {self.title}"

    def get_absolute_url(self) -> str:
        return self.url

    def theme_list(self) -> list[str]:
        return self.themes.split()

    def vector(self) -> np.ndarray | None:
        if self.embedding is None:
            return None
        return np.frombuffer(bytes(self.embedding), dtype=np.float32)


class DigestLog(models.Model):
    """One monthly digest sent to one user (so sending again for the same month does nothing)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    period = models.CharField(_("month"), max_length=7)
    items = models.PositiveIntegerField(_("items"), default=0)
    sent_at = models.DateTimeField(_("sent"), default=timezone.now)

    class Meta:
        verbose_name = _("digest sent")
        verbose_name_plural = _("digests sent")
        ordering = ["-sent_at"]
        constraints = [models.UniqueConstraint(fields=["user", "period"], name="digestlog_unique")]

    def __str__(self) -> str:
        return f"{self.user} {self.period}"
