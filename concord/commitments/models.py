"""Commitments (and joint programmes), their parties, milestones, progress updates, evidence, reminders.

These models moved here from the secretariat app; their tables keep the names they had there
(``secretariat_*``), so databases made by earlier releases keep their rows (migrations/0001_initial.py)."""

from __future__ import annotations

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from concord.core.fields import localized, user_or_none
from concord.core.models import VisibleContent, party_only_names_party
from concord.secretariat.models import Outcome, SecretariatQuerySet, WorkingGroup


class Completion(models.TextChoices):
    """The Open Government Partnership's completion levels."""

    NOT_STARTED = "not_started", _("Not started")
    LIMITED = "limited", _("Limited")
    SUBSTANTIAL = "substantial", _("Substantial")
    COMPLETE = "complete", _("Complete")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class Ambition(models.TextChoices):
    """The Independent Reporting Mechanism's assessment of ambition."""

    UNCLEAR = "unclear", _("Unclear")
    MODEST = "modest", _("Modest")
    SUBSTANTIAL = "substantial", _("Substantial")


class CommitmentKind(models.TextChoices):
    COMMITMENT = "commitment", _("Commitment")
    JOINT_PROGRAMME = "joint_programme", _("Joint programme")


class Commitment(VisibleContent):
    """Something the parties undertook to do, followed to completion with verified evidence."""

    code = models.CharField(_("code"), max_length=40)
    kind = models.CharField(
        _("kind"), max_length=20, choices=CommitmentKind.choices, default=CommitmentKind.COMMITMENT
    )
    title = models.CharField(_("title"), max_length=300)
    title_ms = models.CharField(_("title (Malay)"), max_length=300, blank=True)
    title_ur = models.CharField(_("title (Urdu)"), max_length=300, blank=True)
    description = models.TextField(_("description"), blank=True, max_length=20000)
    working_group = models.ForeignKey(
        WorkingGroup,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="commitments",
        verbose_name=_("working group"),
    )
    source_outcome = models.ForeignKey(
        Outcome,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="commitments",
        verbose_name=_("from the outcome"),
    )
    themes = models.ManyToManyField(
        "library.Theme", blank=True, related_name="commitments", db_table="secretariat_commitment_themes"
    )
    owner = user_or_none(_("owner"))
    start_date = models.DateField(_("start"), null=True, blank=True)
    end_date = models.DateField(_("end"), null=True, blank=True)
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="children",
        verbose_name=_("part of"),
    )
    weight = models.PositiveSmallIntegerField(
        _("weight in its parent"), default=1, validators=[MinValueValidator(1), MaxValueValidator(1000)]
    )
    is_joint = models.BooleanField(_("joint (both parties)"), default=False)
    completion = models.CharField(
        _("completion"), max_length=12, choices=Completion.choices, default=Completion.NOT_STARTED
    )
    ambition = models.CharField(_("ambition"), max_length=12, choices=Ambition.choices, blank=True)
    is_blocked = models.BooleanField(_("blocked"), default=False)
    blocked_reason = models.TextField(_("why it is blocked"), blank=True, max_length=2000)
    depends_on = models.ManyToManyField(
        "self",
        symmetrical=False,
        blank=True,
        related_name="dependents",
        verbose_name=_("depends on"),
        db_table="secretariat_commitment_depends_on",
    )
    # Joint programmes
    partners = models.ManyToManyField(
        "accounts.Organization",
        blank=True,
        related_name="programmes",
        verbose_name=_("partner organisations"),
        db_table="secretariat_commitment_partners",
    )
    budget_amount = models.DecimalField(_("budget"), max_digits=16, decimal_places=2, null=True, blank=True)
    budget_currency = models.CharField(_("currency"), max_length=3, blank=True)
    deliverables = models.TextField(_("deliverables"), blank=True, max_length=10000)
    kpis = models.TextField(_("key performance indicators"), blank=True, max_length=10000)

    objects = SecretariatQuerySet.as_manager()

    class Meta:
        db_table = "secretariat_commitment"
        verbose_name = _("commitment")
        verbose_name_plural = _("commitments")
        ordering = ["code"]
        constraints = [
            models.UniqueConstraint(fields=["dialogue", "code"], name="commitment_unique_code"),
            party_only_names_party("commitment"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.localized('title')}"

    def get_absolute_url(self) -> str:
        return reverse("secretariat:commitment", args=[self.pk])

    def localized(self, field: str, language: str | None = None) -> str:
        return localized(self, field, language)

    @property
    def localized_title(self) -> str:
        return self.localized("title")


class CommitmentParty(models.Model):
    """One party's share of a commitment: its lead agency and (for joint ones) its own completion."""

    commitment = models.ForeignKey(Commitment, on_delete=models.CASCADE, related_name="party_shares")
    party = models.ForeignKey("accounts.Party", on_delete=models.PROTECT, related_name="+")
    lead_agency = models.ForeignKey(
        "accounts.Organization", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    completion = models.CharField(
        _("completion"), max_length=12, choices=Completion.choices, default=Completion.NOT_STARTED
    )

    class Meta:
        db_table = "secretariat_commitmentparty"
        ordering = ["commitment", "party__code"]
        constraints = [models.UniqueConstraint(fields=["commitment", "party"], name="commitmentparty_unique")]

    def __str__(self) -> str:
        return f"{self.commitment.code} / {self.party.code}"


class Milestone(models.Model):
    commitment = models.ForeignKey(Commitment, on_delete=models.CASCADE, related_name="milestones")
    title = models.CharField(_("title"), max_length=300)
    planned_date = models.DateField(_("planned"), null=True, blank=True)
    owner = user_or_none(_("owner"))
    actual_date = models.DateField(_("reached"), null=True, blank=True)
    weight = models.PositiveSmallIntegerField(
        _("weight"), default=1, validators=[MinValueValidator(1), MaxValueValidator(1000)]
    )
    evidence = models.TextField(_("evidence"), blank=True, max_length=5000)
    evidence_url = models.URLField(_("evidence address"), blank=True, max_length=500)
    order = models.PositiveIntegerField(default=0)

    class Meta:
        db_table = "secretariat_milestone"
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")
        ordering = ["commitment", "planned_date", "order", "id"]

    def __str__(self) -> str:
        return self.title

    @property
    def is_done(self) -> bool:
        return self.actual_date is not None


class UpdateState(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted")
    VERIFIED = "verified", _("Verified")
    RETURNED = "returned", _("Returned")


class ProgressUpdate(models.Model):
    """A party's report of progress; the other party or the secretariat verifies or returns it."""

    commitment = models.ForeignKey(Commitment, on_delete=models.CASCADE, related_name="updates")
    party = models.ForeignKey(
        "accounts.Party", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    submitted_by = user_or_none(blank=False)
    text = models.TextField(_("what was done"), max_length=10000)
    percent = models.PositiveSmallIntegerField(
        _("percent complete"), validators=[MinValueValidator(0), MaxValueValidator(100)]
    )
    state = models.CharField(
        _("state"), max_length=10, choices=UpdateState.choices, default=UpdateState.SUBMITTED
    )
    reviewed_by = user_or_none()
    reviewed_at = models.DateTimeField(null=True, blank=True)
    review_note = models.TextField(_("reviewer's note"), blank=True, max_length=5000)
    created_at = models.DateTimeField(_("submitted"), auto_now_add=True)

    class Meta:
        db_table = "secretariat_progressupdate"
        verbose_name = _("progress update")
        verbose_name_plural = _("progress updates")
        ordering = ["commitment", "-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.commitment.code}: {self.percent}%"


def evidence_path(instance: EvidenceFile, filename: str) -> str:
    return f"secretariat/evidence/{instance.update.commitment_id}/{filename}"


class EvidenceFile(models.Model):
    update = models.ForeignKey(ProgressUpdate, on_delete=models.CASCADE, related_name="files")
    file = models.FileField(upload_to=evidence_path, max_length=300)
    name = models.CharField(max_length=255)
    size = models.PositiveIntegerField(default=0)
    # The type read from the file's bytes when attached (``concord.engine.evidence``), sent on download.
    media_type = models.CharField(max_length=100, blank=True)

    class Meta:
        db_table = "secretariat_evidencefile"
        ordering = ["update", "id"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("secretariat:evidence", args=[self.pk])


class SentReminder(models.Model):
    """One reminder e-mail sent, so that running the reminders twice a day sends nothing twice."""

    key = models.CharField(max_length=200, unique=True)
    recipient = models.EmailField()
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        db_table = "secretariat_sentreminder"
        ordering = ["-sent_at"]

    def __str__(self) -> str:
        return self.key
