"""Talent mobility: skills taxonomies, profiles with consent, opportunities, applications, allocation rounds.

Personal data lives in `Profile` and the rows hanging from it (`ProfileSkill`, `Application`, `Placement`),
all deleted with the profile. Nothing personal is copied elsewhere: explanations store skill ids and labels,
and analytics count consenting profiles without naming them.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from concord.core.fields import localized, user_or_none
from concord.core.models import VisibleContent


class TaxonomyKind(models.TextChoices):
    ESCO = "esco", _("ESCO")
    NATIONAL = "national", _("National framework")


class SuggestionStatus(models.TextChoices):
    """A suggestion a person reviews: a skill suggested for a profile, a crosswalk link between skills."""

    SUGGESTED = "suggested", _("Suggested")
    ACCEPTED = "accepted", _("Accepted")
    REJECTED = "rejected", _("Rejected")


# A crosswalk link is reviewed as any suggestion is: the same three states.
CrosswalkStatus = SuggestionStatus


class Taxonomy(models.Model):
    """A skills taxonomy: ESCO, or a national framework imported as a local taxonomy."""

    slug = models.SlugField(_("short name"), unique=True)
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=12, choices=TaxonomyKind.choices, default=TaxonomyKind.ESCO)
    country = models.CharField(_("country (ISO code)"), max_length=2, blank=True)
    version = models.CharField(_("version"), max_length=40, blank=True)
    source = models.CharField(_("source"), max_length=300, blank=True)
    imported_at = models.DateTimeField(_("imported"), default=timezone.now)

    class Meta:
        verbose_name = _("taxonomy")
        verbose_name_plural = _("taxonomies")
        ordering = ["kind", "name"]

    def __str__(self) -> str:
        return self.name


class SkillType(models.TextChoices):
    SKILL = "skill", _("Skill or competence")
    KNOWLEDGE = "knowledge", _("Knowledge")
    GROUP = "group", _("Skill group")


class TaxonomyEntry(models.Model):
    """What a skill and an occupation of a taxonomy both hold: an identifier (its ESCO URI, or the national
    framework's code), a label in English, Malay and Urdu where we have them, and a description."""

    uri = models.CharField(_("identifier"), max_length=300)
    label = models.CharField(_("label"), max_length=300)
    label_ms = models.CharField(_("label (Malay)"), max_length=300, blank=True)
    label_ur = models.CharField(_("label (Urdu)"), max_length=300, blank=True)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.localized_label()

    def localized_label(self, language: str | None = None) -> str:
        return localized(self, "label", language)


class Skill(TaxonomyEntry):
    """A skill of a taxonomy (``TaxonomyEntry``: identifier, labels, description), with its alternative
    labels, its type and a broader skill."""

    taxonomy = models.ForeignKey(Taxonomy, on_delete=models.CASCADE, related_name="skills")
    alt_labels = models.JSONField(_("alternative labels"), default=list, blank=True)
    skill_type = models.CharField(
        _("type"), max_length=12, choices=SkillType.choices, default=SkillType.SKILL
    )
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="children",
        verbose_name=_("broader"),
    )

    class Meta:
        verbose_name = _("skill")
        verbose_name_plural = _("skills")
        ordering = ["label"]
        constraints = [models.UniqueConstraint(fields=["taxonomy", "uri"], name="talent_skill_unique_uri")]

    def get_absolute_url(self) -> str:
        return reverse("talent:skill", args=[self.pk])


class Occupation(TaxonomyEntry):
    """An occupation of a taxonomy (``TaxonomyEntry``: identifier, labels, description) and the skills it
    needs (essential or optional)."""

    taxonomy = models.ForeignKey(Taxonomy, on_delete=models.CASCADE, related_name="occupations")
    isco_group = models.CharField(_("ISCO group"), max_length=10, blank=True)
    skills = models.ManyToManyField(Skill, through="OccupationSkill", related_name="occupations")

    class Meta:
        verbose_name = _("occupation")
        verbose_name_plural = _("occupations")
        ordering = ["label"]
        constraints = [
            models.UniqueConstraint(fields=["taxonomy", "uri"], name="talent_occupation_unique_uri")
        ]


class Relation(models.TextChoices):
    ESSENTIAL = "essential", _("Essential")
    OPTIONAL = "optional", _("Optional")


class OccupationSkill(models.Model):
    occupation = models.ForeignKey(Occupation, on_delete=models.CASCADE, related_name="skill_links")
    skill = models.ForeignKey(Skill, on_delete=models.CASCADE, related_name="occupation_links")
    relation = models.CharField(_("relation"), max_length=10, choices=Relation.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["occupation", "skill"], name="talent_occupation_skill_unique")
        ]

    def __str__(self) -> str:
        return f"{self.occupation_id} → {self.skill_id} ({self.relation})"


class Crosswalk(models.Model):
    """A national skill mapped to an ESCO skill (SKOS match), suggested, then reviewed by analysts."""

    class Match(models.TextChoices):
        EXACT = "exact", _("Exact match")
        CLOSE = "close", _("Close match")
        BROAD = "broad", _("Broader match")
        NARROW = "narrow", _("Narrower match")

    local_skill = models.ForeignKey(Skill, on_delete=models.CASCADE, related_name="crosswalks")
    esco_skill = models.ForeignKey(Skill, on_delete=models.CASCADE, related_name="crosswalked_from")
    match = models.CharField(_("match"), max_length=10, choices=Match.choices, default=Match.CLOSE)
    score = models.FloatField(_("score"), default=0.0)
    status = models.CharField(
        _("status"), max_length=10, choices=CrosswalkStatus.choices, default=CrosswalkStatus.SUGGESTED
    )
    reviewed_by = user_or_none()
    reviewed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("crosswalk link")
        verbose_name_plural = _("crosswalk links")
        ordering = ["local_skill__label", "-score"]
        constraints = [
            models.UniqueConstraint(fields=["local_skill", "esco_skill"], name="talent_crosswalk_unique")
        ]

    def __str__(self) -> str:
        return f"{self.local_skill.label} → {self.esco_skill.label}"


# --- people -------------------------------------------------------------------------------------------------


class Level(models.IntegerChoices):
    BASIC = 1, _("Basic")
    INTERMEDIATE = 2, _("Intermediate")
    ADVANCED = 3, _("Advanced")
    EXPERT = 4, _("Expert")


class ReserveGroup(models.TextChoices):
    """Groups a person may declare on their profile, for which an opportunity may reserve seats besides
    countries. Declared by the person only; used only to fill such seats, never shown to others."""

    WOMEN = "women", _("Women")
    DISABILITY = "disability", _("People with disabilities")


def ordered_reserves(reserves: dict[str, int]) -> dict[str, int]:
    """Reserves in the order the allocation fills them: declared groups first (in ReserveGroup's order),
    then countries (alphabetical). A Malaysian woman then counts for the women's seat, and the Malaysian
    seat goes to another Malaysian, so both reserves are met where they can be."""
    groups = [(g, reserves[g]) for g in ReserveGroup.values if g in reserves]
    return dict(groups + sorted((k, v) for k, v in reserves.items() if k not in ReserveGroup.values))


RETENTION_NOTE = _(
    "Concord keeps your profile only to match you with opportunities and, if you allow it, to show it to the "
    "managers of programmes you apply to. You can export it or delete it at any time; deletion removes it, "
    "your skills, applications and placements. Profiles not updated for two years are deleted."
)


class Profile(models.Model):
    """A professional's own profile. Matched only with consent; shown to managers only with consent."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="talent_profile"
    )
    headline = models.CharField(_("headline"), max_length=200, blank=True)
    summary = models.TextField(_("summary"), max_length=5000, blank=True)
    country = models.CharField(_("country (ISO code)"), max_length=2, blank=True)
    languages = models.JSONField(_("languages"), default=list, blank=True)
    level = models.PositiveSmallIntegerField(
        _("career level"), choices=Level.choices, default=Level.INTERMEDIATE
    )
    interests = models.CharField(_("interests"), max_length=500, blank=True)
    # ReserveGroup values the person declares (for seats reserved for a group); empty = none declared.
    declared_groups = models.JSONField(_("groups declared for reserved seats"), default=list, blank=True)
    availability = models.CharField(_("availability"), max_length=200, blank=True)
    consent_matching = models.BooleanField(_("match me with opportunities"), default=False)
    consent_matching_at = models.DateTimeField(null=True, blank=True)
    consent_sharing = models.BooleanField(
        _("show my profile to managers of programmes I apply to"), default=False
    )
    consent_sharing_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("profile")
        verbose_name_plural = _("profiles")
        ordering = ["-updated_at"]

    def __str__(self) -> str:
        return self.headline or str(_("Profile"))

    def get_absolute_url(self) -> str:
        return reverse("talent:profile", args=[self.pk])


class ProfileSkill(models.Model):
    """A skill on a profile: suggested from text (with its evidence) or added; accepted or rejected by the
    person. Rejections are kept so the same suggestion is not made again."""

    profile = models.ForeignKey(Profile, on_delete=models.CASCADE, related_name="skills")
    skill = models.ForeignKey(Skill, on_delete=models.CASCADE, related_name="+")
    level = models.PositiveSmallIntegerField(_("level"), choices=Level.choices, default=Level.INTERMEDIATE)
    status = models.CharField(
        _("status"), max_length=10, choices=SuggestionStatus.choices, default=SuggestionStatus.SUGGESTED
    )
    evidence = models.CharField(_("evidence"), max_length=500, blank=True)
    score = models.FloatField(default=0.0)

    class Meta:
        ordering = ["status", "-score", "skill__label"]
        constraints = [
            models.UniqueConstraint(fields=["profile", "skill"], name="talent_profile_skill_unique")
        ]

    def __str__(self) -> str:
        return f"{self.skill_id} ({self.status})"


# --- opportunities ------------------------------------------------------------------------------------------


class OpportunityKind(models.TextChoices):
    TRAINING = "training", _("Training course")
    FELLOWSHIP = "fellowship", _("Fellowship")
    EXCHANGE = "exchange", _("Exchange placement")
    INTERNSHIP = "internship", _("Internship")
    JOB = "job", _("Job")


class OpportunityStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")
    CLOSED = "closed", _("Closed")


class OpportunityQuerySet(models.QuerySet["Opportunity"]):
    def with_related(self) -> OpportunityQuerySet:
        return self.select_related("provider", "dialogue", "party").prefetch_related("skill_links__skill")


class Opportunity(VisibleContent):
    """A training course, fellowship, exchange placement, internship or job that people apply to."""

    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), max_length=10000, blank=True)
    provider = models.ForeignKey(
        "accounts.Organization",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("provider"),
    )
    kind = models.CharField(_("kind"), max_length=12, choices=OpportunityKind.choices)
    host_country = models.CharField(_("host country (ISO code)"), max_length=2)
    seats = models.PositiveIntegerField(_("seats"), default=1)
    starts_on = models.DateField(_("starts"), null=True, blank=True)
    ends_on = models.DateField(_("ends"), null=True, blank=True)
    eligible_countries = models.JSONField(_("eligible countries"), default=list, blank=True)
    languages = models.JSONField(_("languages"), default=list, blank=True)
    min_level = models.PositiveSmallIntegerField(
        _("minimum level"), choices=Level.choices, null=True, blank=True
    )
    # Seats reserved per country code (MY) or ReserveGroup value (women); groups are filled first.
    reserves = models.JSONField(_("seats reserved per country or group"), default=dict, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=OpportunityStatus.choices, default=OpportunityStatus.DRAFT
    )
    is_demo = models.BooleanField(_("demo opportunity"), default=False)

    objects = OpportunityQuerySet.as_manager()

    class Meta:
        verbose_name = _("opportunity")
        verbose_name_plural = _("opportunities")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("talent:opportunity", args=[self.pk])


class OpportunitySkill(models.Model):
    opportunity = models.ForeignKey(Opportunity, on_delete=models.CASCADE, related_name="skill_links")
    skill = models.ForeignKey(Skill, on_delete=models.CASCADE, related_name="+")
    essential = models.BooleanField(_("essential"), default=True)
    level = models.PositiveSmallIntegerField(_("level"), choices=Level.choices, null=True, blank=True)

    class Meta:
        ordering = ["-essential", "skill__label"]
        constraints = [
            models.UniqueConstraint(fields=["opportunity", "skill"], name="talent_opportunity_skill_unique")
        ]

    def __str__(self) -> str:
        return f"{self.opportunity_id} → {self.skill_id}"


class Application(models.Model):
    """A person's application to an opportunity; ``rank`` orders their applications (1 = most wanted)."""

    profile = models.ForeignKey(Profile, on_delete=models.CASCADE, related_name="applications")
    opportunity = models.ForeignKey(Opportunity, on_delete=models.CASCADE, related_name="applications")
    rank = models.PositiveSmallIntegerField(_("preference"), default=1)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["profile", "rank"]
        constraints = [
            models.UniqueConstraint(fields=["profile", "opportunity"], name="talent_application_unique")
        ]

    def __str__(self) -> str:
        return f"application {self.pk} (preference {self.rank})"


# --- allocation ---------------------------------------------------------------------------------------------


class RoundStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    RUNNING = "running", _("Running")
    FINISHED = "finished", _("Finished")
    FAILED = "failed", _("Failed")


class AllocationRound(VisibleContent):
    """One allocation of applicants to a set of capacity-limited opportunities."""

    title = models.CharField(_("title"), max_length=200)
    opportunities = models.ManyToManyField(
        Opportunity, related_name="rounds", verbose_name=_("opportunities")
    )
    status = models.CharField(
        _("status"), max_length=10, choices=RoundStatus.choices, default=RoundStatus.DRAFT
    )
    summary = models.JSONField(_("summary"), default=dict, blank=True)
    job = models.ForeignKey("core.Job", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("allocation round")
        verbose_name_plural = _("allocation rounds")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("talent:round", args=[self.pk])


class PlacementResponse(models.TextChoices):
    PENDING = "pending", _("Waiting for your answer")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")


class Placement(models.Model):
    """One applicant's outcome in a round, with the explanation shown to them, and their answer to a seat."""

    round = models.ForeignKey(AllocationRound, on_delete=models.CASCADE, related_name="placements")
    profile = models.ForeignKey(Profile, on_delete=models.CASCADE, related_name="placements")
    opportunity = models.ForeignKey(
        Opportunity, null=True, blank=True, on_delete=models.SET_NULL, related_name="placements"
    )
    explanation = models.JSONField(default=dict)
    response = models.CharField(
        _("answer"), max_length=10, choices=PlacementResponse.choices, default=PlacementResponse.PENDING
    )
    responded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["round", "profile"]
        constraints = [models.UniqueConstraint(fields=["round", "profile"], name="talent_placement_unique")]

    def __str__(self) -> str:
        return f"placement {self.pk}"
