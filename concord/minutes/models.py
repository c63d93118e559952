"""A meeting's minutes in each language, their frozen versions, and the amendments proposed to them.

These models moved here from the secretariat app; their tables keep the names they had there
(``secretariat_*``), so databases made by earlier releases keep their rows (migrations/0001_initial.py)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from concord.core.fields import user_or_none
from concord.secretariat.models import LANGUAGES, Meeting


class MinutesState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    CIRCULATED = "circulated", _("Circulated")
    ADOPTED = "adopted", _("Adopted")


class Minutes(models.Model):
    """A meeting's minutes in one language. Adopted minutes are locked; every stage is kept as a version."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="minutes")
    language = models.CharField(_("language"), max_length=2, choices=LANGUAGES)
    state = models.CharField(
        _("state"), max_length=12, choices=MinutesState.choices, default=MinutesState.DRAFT
    )
    body = models.TextField(_("text"), max_length=100000)
    version = models.PositiveIntegerField(_("version"), default=1)
    adopted_at = models.DateTimeField(_("adopted"), null=True, blank=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        db_table = "secretariat_minutes"
        verbose_name = _("minutes")
        verbose_name_plural = _("minutes")
        ordering = ["meeting", "language"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "language"], name="minutes_unique_language")
        ]

    def __str__(self) -> str:
        return f"{self.meeting} ({self.get_language_display()})"

    def get_absolute_url(self) -> str:
        return reverse("secretariat:minutes", args=[self.pk])

    @property
    def is_locked(self) -> bool:
        return self.state == MinutesState.ADOPTED


class MinutesVersion(models.Model):
    """A frozen copy of the minutes' text at one version."""

    minutes = models.ForeignKey(Minutes, on_delete=models.CASCADE, related_name="versions")
    version = models.PositiveIntegerField()
    state = models.CharField(max_length=12, choices=MinutesState.choices)
    body = models.TextField()
    created_by = user_or_none()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        db_table = "secretariat_minutesversion"
        ordering = ["minutes", "version"]
        constraints = [models.UniqueConstraint(fields=["minutes", "version"], name="minutesversion_unique")]

    def __str__(self) -> str:
        return f"{self.minutes} v{self.version}"


class AmendmentState(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    ACCEPTED = "accepted", _("Accepted")
    REJECTED = "rejected", _("Rejected")


class Amendment(models.Model):
    """A change to circulated minutes proposed by an attendee: replace ``original`` with ``replacement``."""

    minutes = models.ForeignKey(Minutes, on_delete=models.CASCADE, related_name="amendments")
    proposed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    original = models.TextField(_("text to replace"), blank=True, max_length=5000)
    replacement = models.TextField(_("proposed text"), max_length=5000)
    rationale = models.TextField(_("reason"), blank=True, max_length=2000)
    state = models.CharField(
        _("state"), max_length=10, choices=AmendmentState.choices, default=AmendmentState.PROPOSED
    )
    decided_by = user_or_none()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        db_table = "secretariat_amendment"
        verbose_name = _("amendment")
        verbose_name_plural = _("amendments")
        ordering = ["minutes", "created_at", "id"]

    def __str__(self) -> str:
        return self.replacement[:80]
