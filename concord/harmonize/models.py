"""Comparisons of two parties' provisions, the mappings the engine suggests, analysts' reviews and sign-off.

A mapping is keyed by the stable keys of its two provisions (``<document id>:<provision key>``), so a
re-run, or a new version of a document, finds the same mapping again and keeps every human decision.
"""

from __future__ import annotations

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from concord.core.fields import user_or_none
from concord.core.models import VisibleContent, party_only_names_party


class Relationship(models.TextChoices):
    """OSCAL 1.2 / NIST IR 8477 set-theory relationships (source relative to target), plus contrary-to."""

    EQUAL = "equal-to", _("Equal to")
    EQUIVALENT = "equivalent-to", _("Equivalent to")
    SUBSET = "subset-of", _("Subset of")
    SUPERSET = "superset-of", _("Superset of")
    INTERSECTS = "intersects-with", _("Intersects with")
    CONTRARY = "contrary-to", _("Contrary to")
    NONE = "no-relationship", _("No relationship")


class Rationale(models.TextChoices):
    SYNTACTIC = "syntactic", _("Syntactic")
    SEMANTIC = "semantic", _("Semantic")
    FUNCTIONAL = "functional", _("Functional")


class Provenance(models.TextChoices):
    AUTOMATION = "automation", _("Automation")
    HUMAN = "human", _("Human")
    HYBRID = "hybrid", _("Hybrid")


class ComparisonStatus(models.TextChoices):
    DRAFT = "draft", _("Not run yet")
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    READY = "ready", _("Ready")
    FAILED = "failed", _("Failed")


class Comparison(VisibleContent):
    """Source documents and themes of one party compared with target documents and themes of the other.

    The two parties may be the same: two versions of one law, or its English and Malay texts."""

    title = models.CharField(_("title"), max_length=200)
    source_party = models.ForeignKey(
        "accounts.Party", on_delete=models.PROTECT, related_name="+", verbose_name=_("source party")
    )
    target_party = models.ForeignKey(
        "accounts.Party", on_delete=models.PROTECT, related_name="+", verbose_name=_("target party")
    )
    source_documents = models.ManyToManyField(
        "library.PolicyDocument", related_name="+", verbose_name=_("source documents")
    )
    target_documents = models.ManyToManyField(
        "library.PolicyDocument", related_name="+", verbose_name=_("target documents")
    )
    source_themes = models.ManyToManyField(
        "library.Theme", blank=True, related_name="+", verbose_name=_("source themes")
    )
    target_themes = models.ManyToManyField(
        "library.Theme", blank=True, related_name="+", verbose_name=_("target themes")
    )
    status = models.CharField(
        _("status"), max_length=10, choices=ComparisonStatus.choices, default=ComparisonStatus.DRAFT
    )
    error = models.TextField(_("error"), blank=True)
    job = models.ForeignKey("core.Job", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    options = models.JSONField(_("engine options"), default=dict, blank=True)
    model_id = models.CharField(_("encoder"), max_length=120, blank=True)
    engine_index = models.JSONField(_("index found by the engine"), default=list, blank=True)
    versions = models.JSONField(_("document versions compared"), default=dict, blank=True)
    run_count = models.PositiveIntegerField(_("runs"), default=0)
    ran_at = models.DateTimeField(_("last run"), null=True, blank=True)

    class Meta:
        verbose_name = _("comparison")
        verbose_name_plural = _("comparisons")
        ordering = ["-created_at", "-id"]
        constraints = [
            party_only_names_party("comparison"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("harmonize:overview", args=[self.pk])

    def parties(self) -> tuple[int, int]:
        return (self.source_party_id, self.target_party_id)

    @property
    def one_party(self) -> bool:
        """Both sides are documents of one party (versions or language texts of one law)."""
        return self.source_party_id == self.target_party_id


class ReviewStatus(models.TextChoices):
    PENDING = "pending", _("To review")
    ACCEPTED = "accepted", _("Accepted")
    REJECTED = "rejected", _("Rejected")


class Agreement(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    AGREED = "agreed", _("Agreed")
    CONTESTED = "contested", _("Contested")


class Mapping(models.Model):
    """One correspondence from a source provision to a target provision.

    ``relationship``/``confidence`` are the current values (after review); ``engine_*`` keep what the
    engine said on its last run. The provisions may disappear (a deleted document): the keys and labels stay.
    """

    comparison = models.ForeignKey(Comparison, on_delete=models.CASCADE, related_name="mappings")
    source_key = models.CharField(max_length=200)
    target_key = models.CharField(max_length=200)
    source_provision = models.ForeignKey(
        "library.Provision", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    target_provision = models.ForeignKey(
        "library.Provision", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    source_document = models.ForeignKey(
        "library.PolicyDocument", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    target_document = models.ForeignKey(
        "library.PolicyDocument", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    source_version_id = models.BigIntegerField(null=True, blank=True)
    target_version_id = models.BigIntegerField(null=True, blank=True)
    source_label = models.CharField(max_length=300, blank=True)
    target_label = models.CharField(max_length=300, blank=True)
    relationship = models.CharField(_("relationship"), max_length=20, choices=Relationship.choices)
    rationale = models.CharField(
        _("rationale"), max_length=12, choices=Rationale.choices, default=Rationale.SEMANTIC
    )
    confidence = models.FloatField(_("confidence"), default=0.0)
    certainty = models.FloatField(default=0.5, help_text="|confidence − ½|: the review queue's order")
    score = models.FloatField(_("score"), default=0.0)
    rank = models.PositiveIntegerField(_("rank"), default=0)
    engine_relationship = models.CharField(max_length=20, blank=True)
    engine_confidence = models.FloatField(null=True, blank=True)
    cited_source = models.JSONField(default=list, blank=True)
    cited_target = models.JSONField(default=list, blank=True)
    parameters = models.JSONField(default=dict, blank=True)
    diverging = models.BooleanField(_("parameters diverge"), default=False)
    provenance = models.CharField(
        _("made by"), max_length=10, choices=Provenance.choices, default=Provenance.AUTOMATION
    )
    review_status = models.CharField(
        _("review"), max_length=10, choices=ReviewStatus.choices, default=ReviewStatus.PENDING
    )
    decided_by = user_or_none()
    decided_at = models.DateTimeField(null=True, blank=True)
    agreement = models.CharField(
        _("agreement"), max_length=10, choices=Agreement.choices, default=Agreement.PROPOSED
    )
    in_last_run = models.BooleanField(default=True)
    drift = models.JSONField(_("changed since review"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("mapping")
        verbose_name_plural = _("mappings")
        ordering = ["comparison", "certainty", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["comparison", "source_key", "target_key"], name="mapping_unique_pair"
            )
        ]
        indexes = [
            models.Index(fields=["comparison", "review_status", "certainty"], name="harmonize_queue"),
        ]

    def __str__(self) -> str:
        return f"{self.source_label} → {self.target_label} ({self.relationship})"

    def get_absolute_url(self) -> str:
        return reverse("harmonize:mapping", args=[self.comparison_id, self.pk])

    @property
    def has_human_decision(self) -> bool:
        return self.provenance != Provenance.AUTOMATION or self.review_status != ReviewStatus.PENDING

    @property
    def counts(self) -> bool:
        """Whether the mapping counts as a correspondence (for coverage, exports and sign-off)."""
        return self.review_status != ReviewStatus.REJECTED and self.relationship != Relationship.NONE


class Gap(models.Model):
    """A provision of one side with no suggested counterpart on the other, with its nearest miss."""

    SIDES = [("source", _("source")), ("target", _("target"))]

    comparison = models.ForeignKey(Comparison, on_delete=models.CASCADE, related_name="gaps")
    side = models.CharField(max_length=6, choices=SIDES)
    key = models.CharField(max_length=200)
    provision = models.ForeignKey(
        "library.Provision", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    document = models.ForeignKey(
        "library.PolicyDocument", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    label = models.CharField(max_length=300, blank=True)
    nearest_key = models.CharField(max_length=200, blank=True)
    nearest_provision = models.ForeignKey(
        "library.Provision", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    nearest_document = models.ForeignKey(
        "library.PolicyDocument", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    nearest_label = models.CharField(max_length=300, blank=True)
    nearest_score = models.FloatField(null=True, blank=True)
    nearest_confidence = models.FloatField(null=True, blank=True)

    class Meta:
        verbose_name = _("gap")
        verbose_name_plural = _("gaps")
        ordering = ["comparison", "side", "id"]

    def __str__(self) -> str:
        return f"{self.side}: {self.label}"

    def get_absolute_url(self) -> str:
        return reverse("harmonize:gap", args=[self.comparison_id, self.pk])

    @property
    def anchor(self) -> str:
        """The provision's anchor on its document page (``p-<provision key>``)."""
        return "p-" + self.provision_key

    @property
    def provision_key(self) -> str:
        return self.key.split(":", 1)[-1]


class Candidate(models.Model):
    """One of the engine's candidates for a provision in the comparison's last run, suggested or not: the
    next counterparts a reviewer weighs, in the engine's order (its fused scores read headings, best
    sentences and words, which cosine alone does not). ``side`` is the side of ``provision``; ``other``
    is on the other side. A run replaces them all; nobody edits them."""

    comparison = models.ForeignKey(Comparison, on_delete=models.CASCADE, related_name="candidates")
    side = models.CharField(max_length=6, choices=Gap.SIDES)
    provision = models.ForeignKey("library.Provision", on_delete=models.CASCADE, related_name="+")
    other = models.ForeignKey("library.Provision", on_delete=models.CASCADE, related_name="+")
    rank = models.PositiveSmallIntegerField()
    score = models.FloatField()

    class Meta:
        verbose_name = _("candidate")
        verbose_name_plural = _("candidates")
        ordering = ["comparison", "side", "provision", "rank"]
        indexes = [models.Index(fields=["comparison", "side", "provision"], name="candidate_of_provision")]

    def __str__(self) -> str:
        return f"{self.side} {self.provision_id} -> {self.other_id} (#{self.rank})"


class ReviewKind(models.TextChoices):
    ACCEPT = "accept", _("Accepted")
    RETYPE = "retype", _("Changed the relationship")
    REJECT = "reject", _("Rejected")
    ADD = "add", _("Added by hand")
    COMMENT = "comment", _("Comment")
    REOPEN = "reopen", _("Reopened")


class Review(models.Model):
    """One analyst's decision or comment on a mapping (the history shown beside it)."""

    mapping = models.ForeignKey(Mapping, on_delete=models.CASCADE, related_name="reviews")
    kind = models.CharField(max_length=10, choices=ReviewKind.choices)
    actor = user_or_none()
    party = models.ForeignKey(
        "accounts.Party", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    from_relationship = models.CharField(max_length=20, blank=True)
    to_relationship = models.CharField(max_length=20, blank=True)
    comment = models.TextField(blank=True, max_length=4000)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("review")
        verbose_name_plural = _("reviews")
        ordering = ["mapping", "created_at", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} — {self.mapping_id}"


class SignOffDecision(models.TextChoices):
    APPROVE = "approve", _("Signed off")
    OBJECT = "object", _("Objected")


class SignOff(models.Model):
    """One party's sign-off on (or objection to) a mapping as it stood: its relationship and review."""

    mapping = models.ForeignKey(Mapping, on_delete=models.CASCADE, related_name="signoffs")
    party = models.ForeignKey("accounts.Party", on_delete=models.PROTECT, related_name="+")
    decision = models.CharField(max_length=8, choices=SignOffDecision.choices)
    relationship = models.CharField(max_length=20)
    review_status = models.CharField(max_length=10)
    reason = models.TextField(blank=True, max_length=4000)
    signed_by = user_or_none()
    signed_at = models.DateTimeField()

    class Meta:
        verbose_name = _("sign-off")
        verbose_name_plural = _("sign-offs")
        ordering = ["mapping", "party"]
        constraints = [models.UniqueConstraint(fields=["mapping", "party"], name="signoff_one_per_party")]

    def __str__(self) -> str:
        return f"{self.party_id}: {self.decision} — {self.mapping_id}"

    def applies_to(self, mapping: Mapping) -> bool:
        """A sign-off holds while the mapping still says what was signed."""
        return self.relationship == mapping.relationship and self.review_status == mapping.review_status


def compute_agreement(mapping: Mapping, signoffs: list[SignOff], parties: tuple[int, int]) -> str:
    """``contested`` when a party objects to the mapping as it stands, ``agreed`` when both parties have
    signed it as it stands, ``proposed`` otherwise (sign-offs of an earlier state no longer count)."""
    current = [s for s in signoffs if s.applies_to(mapping) and s.party_id in parties]
    if any(s.decision == SignOffDecision.OBJECT for s in current):
        return Agreement.CONTESTED
    if {s.party_id for s in current if s.decision == SignOffDecision.APPROVE} >= set(parties):
        return Agreement.AGREED
    return Agreement.PROPOSED
