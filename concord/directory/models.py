"""The ecosystem directory: organisation profiles, offers and requests, expressions of interest, meeting
slots, opportunities with alerts, and feedback on partner recommendations."""

from __future__ import annotations

from datetime import timedelta

from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from concord.core.fields import user_or_none
from concord.core.models import VisibleContent, party_only_names_party


class OrgSize(models.TextChoices):
    MICRO = "micro", _("Fewer than 10 people")
    SMALL = "small", _("10 to 49 people")
    MEDIUM = "medium", _("50 to 249 people")
    LARGE = "large", _("250 people or more")


class OrganizationProfile(models.Model):
    """What an organisation offers and looks for; one per `accounts.Organization`.

    Its stakeholders (members of the dialogue who represent it) and the secretariat may edit it.
    """

    organization = models.OneToOneField(
        "accounts.Organization",
        on_delete=models.CASCADE,
        related_name="profile",
        verbose_name=_("organisation"),
    )
    themes = models.JSONField(_("themes"), default=list, blank=True)
    sectors = models.JSONField(_("sectors"), default=list, blank=True)
    capabilities = models.JSONField(_("capabilities"), default=list, blank=True)
    needs = models.JSONField(_("needs"), default=list, blank=True)
    size = models.CharField(_("size"), max_length=10, choices=OrgSize.choices, blank=True)
    contact_name = models.CharField(_("contact person"), max_length=200, blank=True)
    contact_email = models.EmailField(_("contact email"), blank=True)
    contacts_public = models.BooleanField(
        _("show the contact to all members"),
        default=False,
        help_text=_("Without this, only the secretariat and your own colleagues see the contact."),
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("organisation profile")
        verbose_name_plural = _("organisation profiles")

    def __str__(self) -> str:
        return str(self.organization)

    def get_absolute_url(self) -> str:
        return reverse("directory:organization", args=[self.organization_id])

    COMPLETENESS_FIELDS = (
        "description",
        "website",
        "themes",
        "sectors",
        "capabilities",
        "needs",
        "size",
        "contact",
    )

    def missing_fields(self) -> list[str]:
        org = self.organization
        present = {
            "description": bool(org.description),
            "website": bool(org.website),
            "themes": bool(self.themes),
            "sectors": bool(self.sectors),
            "capabilities": bool(self.capabilities),
            "needs": bool(self.needs),
            "size": bool(self.size),
            "contact": bool(self.contact_name and self.contact_email),
        }
        return [f for f in self.COMPLETENESS_FIELDS if not present[f]]

    @property
    def completeness(self) -> int:
        """Percentage of the profile's eight parts that are filled in."""
        total = len(self.COMPLETENESS_FIELDS)
        return round(100 * (total - len(self.missing_fields())) / total)


class ListingKind(models.TextChoices):
    """The Enterprise Europe Network profile types."""

    TECHNOLOGY_OFFER = "technology_offer", _("Technology offer")
    TECHNOLOGY_REQUEST = "technology_request", _("Technology request")
    BUSINESS_OFFER = "business_offer", _("Business offer")
    BUSINESS_REQUEST = "business_request", _("Business request")
    RD_REQUEST = "rd_request", _("Research and development request")


class ListingStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    IN_REVIEW = "in_review", _("In review")
    PUBLISHED = "published", _("Published")
    EXPIRED = "expired", _("Expired")


LISTING_VALIDITY = timedelta(days=365)


class Posting(VisibleContent):
    """What the directory's offers and requests (``Listing``) and its opportunities both say: a title, a
    one-line summary, a description and themes; the demo's examples are marked as such."""

    title = models.CharField(_("title"), max_length=200)
    summary = models.CharField(_("summary"), max_length=500)
    description = models.TextField(_("description"), max_length=10000, blank=True)
    themes = models.JSONField(_("themes"), default=list, blank=True)
    is_demo = models.BooleanField(_("demo example"), default=False)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.title


class ListingQuerySet(models.QuerySet["Listing"]):
    def published(self) -> ListingQuerySet:
        return self.filter(status=ListingStatus.PUBLISHED)


class Listing(Posting):
    """An offer or request of an organisation (``Posting``: title, summary, description, themes): written as
    a draft, reviewed by the secretariat, published for a year, then expired unless renewed."""

    organization = models.ForeignKey(
        "accounts.Organization",
        on_delete=models.CASCADE,
        related_name="listings",
        verbose_name=_("organisation"),
    )
    kind = models.CharField(_("kind"), max_length=24, choices=ListingKind.choices)
    status = models.CharField(
        _("status"), max_length=12, choices=ListingStatus.choices, default=ListingStatus.DRAFT
    )
    review_note = models.TextField(_("note from the review"), max_length=2000, blank=True)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    expires_at = models.DateTimeField(_("expires"), null=True, blank=True)
    reviewed_by = user_or_none()

    objects = ListingQuerySet.as_manager()

    class Meta:
        verbose_name = _("offer or request")
        verbose_name_plural = _("offers and requests")
        ordering = ["-published_at", "-created_at", "-id"]
        indexes = [models.Index(fields=["status", "kind"], name="directory_listing_status")]
        constraints = [party_only_names_party("listing")]

    def get_absolute_url(self) -> str:
        return reverse("directory:listing", args=[self.pk])

    @property
    def is_offer(self) -> bool:
        return self.kind in (ListingKind.TECHNOLOGY_OFFER, ListingKind.BUSINESS_OFFER)

    def is_due_to_expire(self, now=None) -> bool:
        now = now or timezone.now()
        return (
            self.status == ListingStatus.PUBLISHED and self.expires_at is not None and self.expires_at <= now
        )


class InterestStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")


class Interest(models.Model):
    """An expression of interest in a listing, sent by another organisation."""

    listing = models.ForeignKey(Listing, on_delete=models.CASCADE, related_name="interests")
    organization = models.ForeignKey(
        "accounts.Organization",
        on_delete=models.CASCADE,
        related_name="interests_sent",
        verbose_name=_("from"),
    )
    message = models.TextField(_("message"), max_length=4000)
    status = models.CharField(
        _("status"), max_length=10, choices=InterestStatus.choices, default=InterestStatus.SUBMITTED
    )
    reply = models.TextField(_("reply"), max_length=2000, blank=True)
    created_by = user_or_none(blank=False)
    created_at = models.DateTimeField(_("sent"), default=timezone.now)
    decided_by = user_or_none()
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)

    class Meta:
        verbose_name = _("expression of interest")
        verbose_name_plural = _("expressions of interest")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["listing", "organization"], name="interest_one_per_organization")
        ]

    def __str__(self) -> str:
        return f"{self.organization} → {self.listing}"

    def get_absolute_url(self) -> str:
        return reverse("directory:listing", args=[self.listing_id]) + f"#interest-{self.pk}"


class MeetingSlot(models.Model):
    """A time the listing's organisation offers for a meeting; an accepted interest may book it."""

    listing = models.ForeignKey(Listing, on_delete=models.CASCADE, related_name="slots")
    starts_at = models.DateTimeField(_("starts"))
    minutes = models.PositiveSmallIntegerField(_("length in minutes"), default=30)
    place = models.CharField(_("place or link"), max_length=300, blank=True)
    # The zone the slot was offered in: its time is shown in it, with the zone stated, to both sides.
    time_zone = models.CharField(_("time zone"), max_length=64, default="Asia/Kuala_Lumpur")
    booked_by = models.OneToOneField(
        Interest,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="slot",
        verbose_name=_("booked by"),
    )

    class Meta:
        verbose_name = _("meeting slot")
        verbose_name_plural = _("meeting slots")
        ordering = ["starts_at", "id"]

    def __str__(self) -> str:
        return f"{self.listing}: {self.starts_at:%Y-%m-%d %H:%M}"


class EcosystemOpportunityKind(models.TextChoices):
    INVESTMENT = "investment", _("Investment opportunity")
    RESEARCH_CALL = "research_call", _("Call for joint research")


class Opportunity(Posting):
    """An investment opportunity or a call for joint research (``Posting``: title, summary, description,
    themes), with a deadline and who may apply."""

    kind = models.CharField(_("kind"), max_length=20, choices=EcosystemOpportunityKind.choices)
    organization = models.ForeignKey(
        "accounts.Organization",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="opportunities",
        verbose_name=_("offered by"),
    )
    deadline = models.DateField(_("deadline"), null=True, blank=True)
    eligible_countries = models.JSONField(_("eligible countries"), default=list, blank=True)
    amount_min = models.DecimalField(_("amount from"), max_digits=14, decimal_places=2, null=True, blank=True)
    amount_max = models.DecimalField(
        _("amount up to"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    currency = models.CharField(_("currency"), max_length=3, blank=True)
    url = models.URLField(_("address"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("opportunity")
        verbose_name_plural = _("opportunities")
        ordering = ["deadline", "-created_at", "-id"]
        constraints = [party_only_names_party("opportunity")]

    def get_absolute_url(self) -> str:
        return reverse("directory:opportunity", args=[self.pk])

    def is_open(self, today=None) -> bool:
        today = today or timezone.localdate()
        return self.deadline is None or self.deadline >= today


class Alert(models.Model):
    """An opportunity sent to an organisation whose profile fits it."""

    opportunity = models.ForeignKey(Opportunity, on_delete=models.CASCADE, related_name="alerts")
    organization = models.ForeignKey("accounts.Organization", on_delete=models.CASCADE, related_name="alerts")
    score = models.FloatField(_("fit"))
    reasons = models.JSONField(_("why"), default=list)
    emailed = models.PositiveIntegerField(_("emails sent"), default=0)
    created_at = models.DateTimeField(_("sent"), default=timezone.now)

    class Meta:
        verbose_name = _("alert")
        verbose_name_plural = _("alerts")
        ordering = ["-created_at", "-score"]
        constraints = [models.UniqueConstraint(fields=["opportunity", "organization"], name="alert_unique")]

    def __str__(self) -> str:
        return f"{self.opportunity} → {self.organization}"


class FeedbackTarget(models.TextChoices):
    ORGANIZATION = "organization", _("Organisation")
    LISTING = "listing", _("Offer or request")


class RecommendationFeedback(models.Model):
    """Whether a recommendation was useful to an organisation; the latest judgement counts."""

    organization = models.ForeignKey("accounts.Organization", on_delete=models.CASCADE, related_name="+")
    target = models.CharField(max_length=12, choices=FeedbackTarget.choices)
    target_id = models.PositiveBigIntegerField()
    target_org = models.ForeignKey(
        "accounts.Organization", null=True, on_delete=models.CASCADE, related_name="+"
    )
    useful = models.BooleanField(_("useful"))
    user = user_or_none(blank=False)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("recommendation feedback")
        verbose_name_plural = _("recommendation feedback")
        constraints = [
            models.UniqueConstraint(fields=["organization", "target", "target_id"], name="feedback_unique")
        ]

    def __str__(self) -> str:
        return f"{self.organization}: {self.target} {self.target_id} {'+' if self.useful else '-'}"
