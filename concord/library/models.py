"""The policy library: themes, documents, their versions (original files kept untouched) and provisions."""

from __future__ import annotations

import re
from typing import Any

import numpy as np
from django.db import models
from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce, Substr
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from concord.core.fields import localized, user_or_none
from concord.core.models import VisibleContent, VisibleQuerySet, party_only_names_party

LANGUAGE_CHOICES = [("en", _("English")), ("ms", _("Malay")), ("ur", _("Urdu"))]


class Theme(models.Model):
    """A theme of the taxonomy, imported from a file (``concord themes import FILE``)."""

    slug = models.SlugField(_("identifier"), max_length=80, unique=True)
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="children",
        verbose_name=_("parent"),
    )
    label_en = models.CharField(_("label (English)"), max_length=200)
    label_ms = models.CharField(_("label (Malay)"), max_length=200)
    label_ur = models.CharField(_("label (Urdu)"), max_length=200)
    description_en = models.TextField(_("description (English)"), blank=True)
    description_ms = models.TextField(_("description (Malay)"), blank=True)
    description_ur = models.TextField(_("description (Urdu)"), blank=True)
    # Keyword lists per language, as in the taxonomy file: the tagger is rebuilt from these rows.
    keywords = models.JSONField(_("keywords"), default=dict, blank=True)
    order = models.PositiveIntegerField(_("order"), default=0)
    taxonomy = models.CharField(_("taxonomy"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("theme")
        verbose_name_plural = _("themes")
        ordering = ["order", "slug"]

    def __str__(self) -> str:
        return self.label()

    def label(self, language: str | None = None) -> str:
        return localized(self, "label", language, english="label_en")

    def description(self, language: str | None = None) -> str:
        """The description in ``language`` (the active one by default), else the English one."""
        return localized(self, "description", language, english="description_en")

    def as_taxonomy_entry(self) -> dict:
        return {
            "id": self.slug,
            "parent": self.parent.slug if self.parent_id else None,
            "labels": {"en": self.label_en, "ms": self.label_ms, "ur": self.label_ur},
            "descriptions": {
                lang: getattr(self, f"description_{lang}") or getattr(self, f"label_{lang}")
                for lang in ("en", "ms", "ur")
            },
            "keywords": self.keywords or {},
        }


class DocumentKind(models.TextChoices):
    STRATEGY = "strategy", _("Strategy")
    POLICY = "policy", _("Policy")
    LAW = "law", _("Law")
    REGULATION = "regulation", _("Regulation")
    GUIDELINE = "guideline", _("Guideline")
    STANDARD = "standard", _("Standard")
    FRAMEWORK = "framework", _("Framework")


class DocumentStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    IN_FORCE = "in_force", _("In force")
    AMENDED = "amended", _("Amended")
    REPEALED = "repealed", _("Repealed")
    SUPERSEDED = "superseded", _("Superseded")


class LibraryQuerySet(VisibleQuerySet):
    """``visible_to(user)``: what ``user`` may view of the library, as ``concord/library/rules.py`` decides
    (failed uploads too), for the document at ``visibility_path``."""

    @staticmethod
    def visible_q(user, prefix: str = "") -> models.Q:
        from . import rules

        return rules.visible_q(user, prefix)


class PolicyDocument(VisibleContent):
    """A strategy, policy, law or regulation of a party (or of another country)."""

    country = models.CharField(
        _("country (ISO code)"),
        max_length=2,
        blank=True,
        help_text=_("For documents of a country that is not a party to the dialogue."),
    )
    title = models.CharField(_("title"), max_length=300)
    short_title = models.CharField(_("short title"), max_length=120, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=DocumentKind.choices)
    issuer = models.CharField(_("issuer"), max_length=200, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=DocumentStatus.choices, default=DocumentStatus.IN_FORCE
    )
    year = models.PositiveSmallIntegerField(_("year"), null=True, blank=True)
    issued_on = models.DateField(_("issued on"), null=True, blank=True)
    in_force_on = models.DateField(_("in force from"), null=True, blank=True)
    source_url = models.URLField(_("source address"), max_length=500, blank=True)
    is_summary = models.BooleanField(
        _("is a summary"),
        default=False,
        help_text=_("The text is a summary written for Concord, not the official text."),
    )
    language = models.CharField(_("language"), max_length=2, choices=LANGUAGE_CHOICES, blank=True)
    current_version = models.ForeignKey(
        "DocumentVersion",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("current version"),
    )
    themes = models.ManyToManyField(Theme, blank=True, related_name="documents", verbose_name=_("themes"))

    objects = LibraryQuerySet.as_manager()

    class Meta:
        verbose_name = _("policy document")
        verbose_name_plural = _("policy documents")
        ordering = ["-year", "title", "id"]
        indexes = [
            models.Index(fields=["kind"], name="library_doc_kind"),
            models.Index(fields=["status"], name="library_doc_status"),
            models.Index(fields=["language"], name="library_doc_language"),
            models.Index(fields=["country"], name="library_doc_country"),
            models.Index(fields=["dialogue", "visibility"], name="library_doc_visibility"),
        ]
        constraints = [party_only_names_party("policydocument")]

    def __str__(self) -> str:
        return self.short_title or self.title

    def audit_scope(self) -> dict[str, Any]:
        """The dialogue and party under which an audit entry about one of this document's versions or
        provisions is filed (``record(obj=version, **document.audit_scope())``); ``record`` reads them from
        the document itself when the entry is about the document."""
        return {"dialogue_id": self.dialogue_id, "party_code": self.party.code if self.party_id else ""}

    def get_absolute_url(self) -> str:
        return reverse("library:document", args=[self.pk])

    @property
    def country_code(self) -> str:
        return self.party.code if self.party_id else self.country


class IngestionStatus(models.TextChoices):
    PENDING = "pending", _("Waiting")
    PROCESSING = "processing", _("Processing")
    READY = "ready", _("Ready")
    FAILED = "failed", _("Failed")


# Columns that can hold megabytes (a whole act's text): never loaded unless asked for by name.
LARGE_VERSION_FIELDS = ("extracted_text",)


class DocumentVersionQuerySet(LibraryQuerySet):
    visibility_path = "document__"

    def amending(self, document: PolicyDocument) -> DocumentVersionQuerySet:
        """Versions (of other documents) that amend ``document``, oldest first."""
        return self.filter(amends__document=document).select_related("document").order_by("created_at")

    def with_text(self) -> DocumentVersionQuerySet:
        """Also load the extracted text (deferred by default: it can weigh megabytes)."""
        return self.defer(None)

    def text_head(self, pk: int, chars: int) -> str:
        """The first ``chars`` characters of a version's text, cut by the database, not in Python."""
        head = (
            self.filter(pk=pk)
            .annotate(head=Substr("extracted_text", 1, chars))
            .values_list("head", flat=True)
        )
        return next(iter(head), None) or ""


class DocumentVersionManager(models.Manager["DocumentVersion"]):
    """Every query, related lookups included (it is also the base manager), leaves the large columns out."""

    def get_queryset(self) -> DocumentVersionQuerySet:
        return DocumentVersionQuerySet(self.model, using=self._db).defer(*LARGE_VERSION_FIELDS)

    def with_text(self) -> DocumentVersionQuerySet:
        return self.get_queryset().with_text()

    def visible_to(self, user) -> DocumentVersionQuerySet:
        return self.get_queryset().visible_to(user)

    def text_head(self, pk: int, chars: int) -> str:
        return self.get_queryset().text_head(pk, chars)


def original_upload_to(instance: DocumentVersion, filename: str) -> str:
    return f"library/originals/{instance.sha256[:2]}/{instance.sha256}/{filename}"


class DocumentVersion(models.Model):
    """One version of a document: the original file, untouched, and what was read from it."""

    document = models.ForeignKey(
        PolicyDocument, on_delete=models.CASCADE, related_name="versions", verbose_name=_("document")
    )
    label = models.CharField(_("version"), max_length=100, blank=True)
    original = models.FileField(_("original file"), upload_to=original_upload_to, max_length=400)
    original_filename = models.CharField(_("file name"), max_length=255)
    media_type = models.CharField(_("media type"), max_length=120, blank=True)
    declared_type = models.CharField(_("declared type"), max_length=120, blank=True)
    size = models.PositiveBigIntegerField(_("size in bytes"))
    sha256 = models.CharField(_("SHA-256"), max_length=64, db_index=True)
    status = models.CharField(
        _("ingestion"), max_length=12, choices=IngestionStatus.choices, default=IngestionStatus.PENDING
    )
    error_code = models.CharField(_("error code"), max_length=10, blank=True)
    error = models.TextField(_("error"), blank=True)
    warnings = models.JSONField(_("warnings"), default=list, blank=True)
    extracted_text = models.TextField(_("extracted text"), blank=True)
    page_count = models.PositiveIntegerField(_("pages"), default=0)
    ocr = models.BooleanField(_("read by OCR"), default=False)
    language = models.CharField(_("language"), max_length=2, choices=LANGUAGE_CHOICES, blank=True)
    declared_language = models.CharField(
        _("declared language"),
        max_length=2,
        choices=LANGUAGE_CHOICES,
        blank=True,
        help_text=_("Set by the uploader; otherwise detected per provision."),
    )
    amends = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="amendments",
        verbose_name=_("amends"),
    )
    supersedes = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="superseded_by",
        verbose_name=_("supersedes"),
    )
    diff_summary = models.JSONField(_("changes"), null=True, blank=True)
    job = models.ForeignKey("core.Job", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_by = user_or_none(_("uploaded by"))
    created_at = models.DateTimeField(_("uploaded"), default=timezone.now)
    processed_at = models.DateTimeField(_("processed"), null=True, blank=True)

    objects = DocumentVersionManager()

    class Meta:
        base_manager_name = "objects"
        verbose_name = _("document version")
        verbose_name_plural = _("document versions")
        ordering = ["document", "-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["document", "sha256"], name="documentversion_unique_file_per_document"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.document} — {self.label or self.original_filename}"

    def get_absolute_url(self) -> str:
        return reverse("library:document", args=[self.document_id]) + f"?version={self.pk}"

    def refresh_from_db(self, using=None, fields=None, from_queryset=None) -> None:
        # The base manager defers the large columns, and Django's only() respects an earlier defer(): so
        # loading a deferred column (``version.extracted_text``) must start from a queryset without it.
        if from_queryset is None:
            from_queryset = type(self)._base_manager.db_manager(using, hints={"instance": self}).with_text()
        super().refresh_from_db(using=using, fields=fields, from_queryset=from_queryset)

    @property
    def diff_base(self) -> DocumentVersion | None:
        return self.supersedes or self.amends

    @property
    def is_finished(self) -> bool:
        return self.status in (IngestionStatus.READY, IngestionStatus.FAILED)

    @property
    def error_message(self) -> str:
        """Why reading failed, in the reader's language where the message is in the catalogue."""
        from .refusals import error_message

        return error_message(self.error_code, self.error)


class DeletedOriginal(models.Model):
    """The stored original of a deleted document's version, kept for the retention period
    (``CONCORD_ORIGINAL_RETENTION_DAYS``) and then removed by the daily chore."""

    path = models.CharField(_("stored file"), max_length=400)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    size = models.PositiveBigIntegerField(_("size in bytes"), default=0)
    deleted_at = models.DateTimeField(_("deleted"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("original of a deleted document")
        verbose_name_plural = _("originals of deleted documents")
        ordering = ["deleted_at", "pk"]

    def __str__(self) -> str:
        return self.path


class ProvisionQuerySet(LibraryQuerySet):
    visibility_path = "version__document__"

    def for_reading(self) -> ProvisionQuerySet:
        """The columns a document page shows, in reading order, with each provision's shown themes."""
        return (
            self.order_by("order", "pk")
            .prefetch_related(
                models.Prefetch(
                    "theme_links",
                    queryset=ProvisionTheme.objects.shown().select_related("theme").order_by("theme__order"),
                    to_attr="shown_themes",
                )
            )
            .only(
                "id",
                "version_id",
                "parent_id",
                "key",
                "number",
                "heading",
                "text",
                "level",
                "depth",
                "language",
                "page",
            )
        )

    def mappable(self) -> ProvisionQuerySet:
        """The provisions a comparison maps: as `concord.engine.types.mappable`, all but Parts, Chapters
        and documents that arrange other provisions or have no text of their own."""
        from concord.engine.types import STRUCTURE_LEVELS

        has_children = models.Exists(Provision.objects.filter(parent=models.OuterRef("pk")))
        arranging = models.Q(level__in=STRUCTURE_LEVELS) & (models.Q(has_children) | models.Q(text=""))
        return self.exclude(arranging)

    def matching(self, q: str = "", theme: str = "") -> ProvisionQuerySet:
        """Provisions containing ``q`` (or numbered ``q``) that carry the theme ``theme`` (not rejected)."""
        qs = self
        if q:
            qs = qs.filter(
                models.Q(text__icontains=q) | models.Q(heading__icontains=q) | models.Q(number__iexact=q)
            )
        if theme:
            qs = qs.filter(theme_links__theme__slug=theme, theme_links__rejected=False)
        return qs

    def lead_ins(self, parents: list[Provision], chars: int = 80) -> dict[int, str]:
        """The opening ``chars`` characters of each parent's first child, cut by the database."""
        found: dict[int, str] = {}
        heads = (
            self.filter(parent_id__in=[p.pk for p in parents])
            .order_by("parent_id", "order")
            .values_list("parent_id", Substr("text", 1, chars))
        )
        for parent_id, head in heads:
            found.setdefault(parent_id, head)
        return found


class Provision(models.Model):
    """A node of a version's provision tree: a part, chapter, section, subsection, paragraph..."""

    version = models.ForeignKey(
        DocumentVersion, on_delete=models.CASCADE, related_name="provisions", verbose_name=_("version")
    )
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="children",
        verbose_name=_("parent"),
    )
    key = models.CharField(_("stable id"), max_length=120)
    number = models.CharField(_("number"), max_length=60, blank=True)
    heading = models.CharField(_("heading"), max_length=500, blank=True)
    text = models.TextField(_("text"), blank=True)
    level = models.CharField(_("level"), max_length=20)
    depth = models.PositiveSmallIntegerField(_("depth"), default=0)
    order = models.PositiveIntegerField(_("order"))
    language = models.CharField(_("language"), max_length=2, choices=LANGUAGE_CHOICES, blank=True)
    page = models.PositiveIntegerField(_("page"), null=True, blank=True)
    themes = models.ManyToManyField(Theme, through="ProvisionTheme", related_name="provisions", blank=True)
    # The embedding: float32 bytes, with the model that made it. On PostgreSQL with pgvector the same vector
    # is also written to a `embedding_vec` column that is not declared here (see concord.library.pgvector).
    embedding = models.BinaryField(null=True, blank=True, editable=False)
    embedding_model = models.CharField(max_length=120, blank=True)
    embedding_dim = models.PositiveIntegerField(null=True, blank=True)
    embedding_hash = models.CharField(max_length=64, blank=True)

    objects = ProvisionQuerySet.as_manager()

    class Meta:
        verbose_name = _("provision")
        verbose_name_plural = _("provisions")
        ordering = ["version", "order"]
        constraints = [
            models.UniqueConstraint(fields=["version", "key"], name="provision_unique_key_per_version")
        ]
        indexes = [models.Index(fields=["version", "order"], name="library_provision_order")]

    def __str__(self) -> str:
        return " ".join(x for x in (self.number, self.heading) if x) or self.key

    def get_absolute_url(self) -> str:
        return (
            reverse("library:document", args=[self.version.document_id])
            + f"?{urlencode({'version': self.version_id, 'provision': self.key})}#{self.anchor}"
        )

    @property
    def anchor(self) -> str:
        return f"p-{self.key}"

    def vector(self) -> np.ndarray | None:
        if self.embedding is None:
            return None
        return np.frombuffer(bytes(self.embedding), dtype=np.float32)


def provision_count(version: str = "current_version") -> Subquery:
    """The number of provisions of the version at ``version`` (from the outer row), as a subquery: a
    join with a GROUP BY would make the database carry every grouped column, large ones included."""
    counted = (
        Provision.objects.filter(version=OuterRef(version))
        .order_by()
        .values("version")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(counted, output_field=models.IntegerField()), 0)


_TRAILING_MARKER = re.compile(r"(?:\(\s*[0-9A-Za-z]{1,5}\s*\)|\b[0-9]{1,3}[A-Z]?\.)\s*$")


def intro_text(text: str, first_child_text: str | None) -> str:
    """What a provision says before its first child: a section's text spans its subsections, so a tree
    shows only this lead-in (``In this Act, unless the context otherwise requires—``) above the children."""
    if not first_child_text:
        return text
    at = text.find(first_child_text[:80].strip())
    if at < 0:
        return text
    return _TRAILING_MARKER.sub("", text[:at].rstrip()).rstrip()


class ThemeSource(models.TextChoices):
    AUTO = "auto", _("Automatic")
    HUMAN = "human", _("Analyst")


class ProvisionThemeQuerySet(models.QuerySet["ProvisionTheme"]):
    def shown(self) -> ProvisionThemeQuerySet:
        return self.filter(rejected=False)


class ProvisionTheme(models.Model):
    """A theme on a provision, found by the tagger (auto) or set by an analyst (human).

    A human removal is kept as a rejected row, so re-running the tagger does not bring the theme back.
    """

    provision = models.ForeignKey(Provision, on_delete=models.CASCADE, related_name="theme_links")
    theme = models.ForeignKey(Theme, on_delete=models.CASCADE, related_name="provision_links")
    score = models.FloatField(_("score"), null=True, blank=True)
    source = models.CharField(
        _("source"), max_length=8, choices=ThemeSource.choices, default=ThemeSource.AUTO
    )
    rejected = models.BooleanField(_("removed by an analyst"), default=False)
    evidence = models.JSONField(default=list, blank=True)
    decided_by = user_or_none()
    decided_at = models.DateTimeField(null=True, blank=True)

    objects = ProvisionThemeQuerySet.as_manager()

    class Meta:
        verbose_name = _("provision theme")
        verbose_name_plural = _("provision themes")
        ordering = ["-score", "theme__order"]
        constraints = [models.UniqueConstraint(fields=["provision", "theme"], name="provisiontheme_unique")]
        indexes = [models.Index(fields=["theme", "rejected"], name="library_pt_theme")]

    def __str__(self) -> str:
        return f"{self.provision} — {self.theme}"


class EmbeddingCache(models.Model):
    """Vectors by text hash and model id, so unchanged text is never embedded twice (even across re-runs)."""

    text_hash = models.CharField(max_length=64)
    model_id = models.CharField(max_length=120)
    dim = models.PositiveIntegerField()
    vector = models.BinaryField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("cached embedding")
        verbose_name_plural = _("cached embeddings")
        constraints = [
            models.UniqueConstraint(fields=["text_hash", "model_id"], name="embeddingcache_unique")
        ]

    def __str__(self) -> str:
        return f"{self.model_id}:{self.text_hash[:12]}"
