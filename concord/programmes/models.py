"""The registry of national programmes (the OECD.AI survey's shape): programmes, their indicators with dated
values, and lessons learned and evaluations with their files.

A programme is dialogue content (``VisibleContent``) owned by one party; its indicators, values and lessons
are seen by whoever may see the programme. Later parts of the app (experience exchange, peer learning,
joint projects) point at these models.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from concord.core.fields import user_or_none
from concord.core.models import VisibleContent, VisibleQuerySet


class Instrument(models.TextChoices):
    """How a programme acts (the OECD.AI survey's policy instruments, grouped)."""

    REGULATION = "regulation", _("Regulation")
    FUNDING = "funding", _("Funding")
    INFRASTRUCTURE = "infrastructure", _("Infrastructure")
    SKILLS = "skills", _("Skills")
    PROCUREMENT = "procurement", _("Procurement")
    STANDARDS = "standards", _("Standards")
    PUBLIC_SERVICES = "public_services", _("Public services")
    RESEARCH = "research", _("Research")
    INTERNATIONAL_COOPERATION = "international_cooperation", _("International cooperation")
    OTHER = "other", _("Other")


class ProgrammeStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    ACTIVE = "active", _("Active")
    COMPLETED = "completed", _("Completed")
    DISCONTINUED = "discontinued", _("Discontinued")


class ProgrammeQuerySet(VisibleQuerySet):
    """``visible_to(user)``: the programmes ``user`` may view (``concord.core.rules``: public, dialogue, one
    party); their indicators, values and lessons are seen by whoever may see the programme."""

    def for_list(self) -> ProgrammeQuerySet:
        """What a list shows, without the long text columns."""
        return (
            self.select_related("party", "lead_agency")
            .prefetch_related("themes")
            .defer("objectives", "summary_by", "source_url")
        )


class Programme(VisibleContent):
    """A national programme or initiative of one party, entered by that party's contact points."""

    title = models.CharField(_("title"), max_length=300)
    summary = models.TextField(_("summary"), max_length=4000)
    objectives = models.TextField(_("objectives"), max_length=10000, blank=True)
    instruments = models.JSONField(_("instruments"), default=list, blank=True)
    target_groups = models.JSONField(_("target groups"), default=list, blank=True)
    lead_agency = models.ForeignKey(
        "accounts.Organization",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="programmes_led",
        verbose_name=_("lead agency"),
    )
    partners = models.ManyToManyField(
        "accounts.Organization",
        blank=True,
        related_name="programmes_partnered",
        verbose_name=_("partner organisations"),
    )
    budget_amount = models.DecimalField(_("budget"), max_digits=18, decimal_places=2, null=True, blank=True)
    budget_currency = models.CharField(_("currency"), max_length=3, blank=True)
    start_date = models.DateField(_("start date"), null=True, blank=True)
    end_date = models.DateField(_("end date"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=ProgrammeStatus.choices, default=ProgrammeStatus.ACTIVE
    )
    themes = models.ManyToManyField(
        "library.Theme", blank=True, related_name="programmes", verbose_name=_("themes")
    )
    documents = models.ManyToManyField(
        "library.PolicyDocument",
        blank=True,
        related_name="programmes",
        verbose_name=_("policies it implements"),
    )
    source_url = models.URLField(_("source address"), max_length=500, blank=True)
    summary_by = models.CharField(
        _("summary written by"),
        max_length=200,
        blank=True,
        help_text=_("Who wrote this summary, when it is not the programme's own text."),
    )

    objects = ProgrammeQuerySet.as_manager()

    class Meta:
        verbose_name = _("programme")
        verbose_name_plural = _("programmes")
        ordering = ["party__code", "title", "id"]
        indexes = [models.Index(fields=["dialogue", "visibility"], name="programme_visibility")]
        constraints = [
            models.CheckConstraint(condition=models.Q(party__isnull=False), name="programme_names_party"),
            models.CheckConstraint(
                condition=models.Q(budget_amount__isnull=True) | models.Q(budget_amount__gte=0),
                name="programme_budget_not_negative",
            ),
            models.CheckConstraint(
                condition=models.Q(start_date__isnull=True)
                | models.Q(end_date__isnull=True)
                | models.Q(end_date__gte=models.F("start_date")),
                name="programme_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("programmes:detail", args=[self.pk])

    def instrument_labels(self) -> list[str]:
        labels = dict(Instrument.choices)
        return [str(labels.get(i, i)) for i in self.instruments]


class Measure(models.Model):
    """What a programme's indicator and a joint programme's indicator both hold: a name, a unit, a baseline
    and a target (with the date it is due)."""

    name = models.CharField(_("name"), max_length=200)
    unit = models.CharField(_("unit"), max_length=60)
    baseline_value = models.DecimalField(
        _("baseline"), max_digits=20, decimal_places=4, null=True, blank=True
    )
    target_value = models.DecimalField(_("target"), max_digits=20, decimal_places=4, null=True, blank=True)
    target_date = models.DateField(_("target date"), null=True, blank=True)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"{self.name} ({self.unit})"


class IndicatorQuerySet(VisibleQuerySet):
    visibility_path = "programme__"


class Indicator(Measure):
    """A measure of a programme's progress (``Measure``: name, unit, baseline, target), with the baseline's
    date and dated values."""

    programme = models.ForeignKey(
        Programme, on_delete=models.CASCADE, related_name="indicators", verbose_name=_("programme")
    )
    baseline_date = models.DateField(_("baseline date"), null=True, blank=True)
    created_by = user_or_none()
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    objects = IndicatorQuerySet.as_manager()

    class Meta:
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        ordering = ["programme_id", "id"]
        constraints = [models.CheckConstraint(condition=~models.Q(unit=""), name="indicator_has_unit")]

    def get_absolute_url(self) -> str:
        return self.programme.get_absolute_url() + f"#indicator-{self.pk}"


class IndicatorValueQuerySet(VisibleQuerySet):
    visibility_path = "indicator__programme__"


class IndicatorValue(models.Model):
    """One measured value of an indicator, on a date, with where it comes from."""

    indicator = models.ForeignKey(
        Indicator, on_delete=models.CASCADE, related_name="values", verbose_name=_("indicator")
    )
    date = models.DateField(_("date"))
    value = models.DecimalField(_("value"), max_digits=20, decimal_places=4)
    source = models.CharField(_("source"), max_length=500, blank=True)
    source_url = models.URLField(_("source address"), max_length=500, blank=True)
    created_by = user_or_none()
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    objects = IndicatorValueQuerySet.as_manager()

    class Meta:
        verbose_name = _("indicator value")
        verbose_name_plural = _("indicator values")
        ordering = ["indicator_id", "date", "id"]
        constraints = [
            models.UniqueConstraint(fields=["indicator", "date"], name="indicator_value_one_per_date")
        ]

    def __str__(self) -> str:
        return f"{self.indicator.name} {self.date}: {self.value}"


class LessonKind(models.TextChoices):
    LESSON = "lesson", _("Lesson learned")
    EVALUATION = "evaluation", _("Evaluation")


class LessonQuerySet(VisibleQuerySet):
    visibility_path = "programme__"


class Lesson(models.Model):
    """A lesson learned or an evaluation of a programme: what worked, what did not, what to do differently."""

    programme = models.ForeignKey(
        Programme, on_delete=models.CASCADE, related_name="lessons", verbose_name=_("programme")
    )
    kind = models.CharField(_("kind"), max_length=12, choices=LessonKind.choices, default=LessonKind.LESSON)
    title = models.CharField(_("title"), max_length=300)
    what_worked = models.TextField(_("what worked"), max_length=10000, blank=True)
    what_did_not = models.TextField(_("what did not work"), max_length=10000, blank=True)
    do_differently = models.TextField(_("what we would do differently"), max_length=10000, blank=True)
    date = models.DateField(_("date"))
    author = user_or_none(_("author"))
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    objects = LessonQuerySet.as_manager()

    class Meta:
        verbose_name = _("lesson or evaluation")
        verbose_name_plural = _("lessons and evaluations")
        ordering = ["programme_id", "-date", "-id"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return self.programme.get_absolute_url() + f"#lesson-{self.pk}"


def lesson_file_path(instance: LessonFile, filename: str) -> str:
    return f"programmes/lessons/{instance.lesson.programme_id}/{filename}"


class LessonFile(models.Model):
    """A document or image attached to a lesson, stored as uploaded (checked by its content first).

    Deleting the lesson removes this row but not the stored original."""

    lesson = models.ForeignKey(Lesson, on_delete=models.CASCADE, related_name="files")
    file = models.FileField(_("file"), upload_to=lesson_file_path, max_length=300)
    name = models.CharField(_("file name"), max_length=255)
    media_type = models.CharField(_("type"), max_length=100)
    size = models.PositiveBigIntegerField(_("size"))
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        verbose_name = _("lesson file")
        verbose_name_plural = _("lesson files")
        ordering = ["lesson_id", "id"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("programmes:lesson_file", args=[self.pk])


# --- joint projects: from idea to delivery ---------------------------------------------------------------
class Stage(models.TextChoices):
    """A joint project's pipeline, in order; ``closed`` ends it from any stage before completion."""

    IDEA = "idea", _("Idea")
    CONCEPT_NOTE = "concept_note", _("Concept note")
    APPRAISAL = "appraisal", _("Joint appraisal")
    APPROVED = "approved", _("Approved")
    DELIVERY = "delivery", _("In delivery")
    COMPLETED = "completed", _("Completed")
    CLOSED = "closed", _("Closed")


PIPELINE = [Stage.IDEA, Stage.CONCEPT_NOTE, Stage.APPRAISAL, Stage.APPROVED, Stage.DELIVERY, Stage.COMPLETED]
FINAL_STAGES = frozenset({Stage.COMPLETED, Stage.CLOSED})
# A project is a joint programme (workplan, shares, partners...) from its approval on.
PROGRAMME_STAGES = frozenset({Stage.APPROVED, Stage.DELIVERY, Stage.COMPLETED})


def next_stage(stage: str) -> str | None:
    if stage in FINAL_STAGES:
        return None
    return PIPELINE[PIPELINE.index(Stage(stage)) + 1]


class JointProjectQuerySet(VisibleQuerySet):
    def for_list(self) -> JointProjectQuerySet:
        return self.select_related("proposed_by").prefetch_related("themes").defer("concept_note", "summary")


class JointProject(VisibleContent):
    """A project both parties carry out together, moved through :class:`Stage` by each stage's owners.

    ``party`` (from ``VisibleContent``) stays empty: the project is both parties'. ``proposed_by`` says whose
    idea it was. Once approved it is a joint programme: its workplan's milestones are secretariat
    commitments, with partners, budget shares per party, indicators and talent opportunities."""

    title = models.CharField(_("title"), max_length=300)
    summary = models.TextField(_("summary"), max_length=4000)
    concept_note = models.TextField(_("concept note"), max_length=20000, blank=True)
    proposed_by = models.ForeignKey(
        "accounts.Party", on_delete=models.PROTECT, related_name="+", verbose_name=_("proposed by")
    )
    stage = models.CharField(_("stage"), max_length=14, choices=Stage.choices, default=Stage.IDEA)
    stage_changed_at = models.DateTimeField(_("in this stage since"), default=timezone.now)
    themes = models.ManyToManyField(
        "library.Theme", blank=True, related_name="joint_projects", verbose_name=_("themes")
    )
    programmes = models.ManyToManyField(
        Programme,
        blank=True,
        related_name="joint_projects",
        verbose_name=_("national programmes it builds on"),
    )
    partners = models.ManyToManyField(
        "accounts.Organization",
        blank=True,
        related_name="joint_projects",
        verbose_name=_("partner organisations"),
    )
    workplan = models.ManyToManyField(
        "commitments.Commitment",
        blank=True,
        related_name="joint_projects",
        verbose_name=_("workplan milestones"),
    )
    opportunities = models.ManyToManyField(
        "talent.Opportunity",
        blank=True,
        related_name="joint_projects",
        verbose_name=_("talent opportunities"),
    )

    objects = JointProjectQuerySet.as_manager()

    class Meta:
        verbose_name = _("joint project")
        verbose_name_plural = _("joint projects")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["dialogue", "stage"], name="jointproject_stage")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("programmes:joint_detail", args=[self.pk])

    @property
    def next_stage(self) -> str | None:
        return next_stage(self.stage)

    @property
    def is_programme(self) -> bool:
        return self.stage in PROGRAMME_STAGES


class StageOwner(models.Model):
    """Who carries a project through one stage for one party."""

    project = models.ForeignKey(JointProject, on_delete=models.CASCADE, related_name="owners")
    stage = models.CharField(_("stage"), max_length=14, choices=Stage.choices)
    party = models.ForeignKey("accounts.Party", on_delete=models.PROTECT, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("stage owner")
        verbose_name_plural = _("stage owners")
        ordering = ["project_id", "stage", "party_id"]
        constraints = [
            models.UniqueConstraint(fields=["project", "stage", "party"], name="stage_owner_one_per_party")
        ]

    def __str__(self) -> str:
        return f"{self.project} · {self.get_stage_display()} · {self.party}"


class AppraisalCriterion(models.Model):
    """A criterion the secretariat publishes, against which both parties score joint projects."""

    dialogue = models.ForeignKey("accounts.Dialogue", on_delete=models.CASCADE, related_name="+")
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), max_length=2000, blank=True)
    weight = models.PositiveSmallIntegerField(_("weight"), default=1)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("appraisal criterion")
        verbose_name_plural = _("appraisal criteria")
        ordering = ["dialogue_id", "position", "id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(weight__gte=1), name="criterion_weight_positive")
        ]

    def __str__(self) -> str:
        return self.title


SCORE_MIN, SCORE_MAX = 1, 5


class AppraisalScore(models.Model):
    """One party's score of a project on one criterion (1 to 5), with its reasoning."""

    project = models.ForeignKey(JointProject, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(AppraisalCriterion, on_delete=models.PROTECT, related_name="scores")
    party = models.ForeignKey("accounts.Party", on_delete=models.PROTECT, related_name="+")
    score = models.PositiveSmallIntegerField(_("score"))
    comment = models.TextField(_("comment"), max_length=4000, blank=True)
    scored_by = user_or_none(blank=False)
    scored_at = models.DateTimeField(_("scored"), default=timezone.now)

    class Meta:
        verbose_name = _("appraisal score")
        verbose_name_plural = _("appraisal scores")
        ordering = ["project_id", "criterion__position", "party_id"]
        constraints = [
            models.UniqueConstraint(fields=["project", "criterion", "party"], name="score_one_per_party"),
            models.CheckConstraint(
                condition=models.Q(score__gte=SCORE_MIN, score__lte=SCORE_MAX), name="score_in_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.project} · {self.criterion} · {self.party}: {self.score}"


class BudgetShare(models.Model):
    """What one party puts into a joint programme."""

    project = models.ForeignKey(JointProject, on_delete=models.CASCADE, related_name="budget_shares")
    party = models.ForeignKey("accounts.Party", on_delete=models.PROTECT, related_name="+")
    amount = models.DecimalField(_("amount"), max_digits=18, decimal_places=2)
    currency = models.CharField(_("currency"), max_length=3)

    class Meta:
        verbose_name = _("budget share")
        verbose_name_plural = _("budget shares")
        ordering = ["project_id", "party_id"]
        constraints = [
            models.UniqueConstraint(fields=["project", "party"], name="budget_share_one_per_party"),
            models.CheckConstraint(condition=models.Q(amount__gte=0), name="budget_share_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.party}: {self.amount} {self.currency}"


class ProjectIndicator(Measure):
    """A measure of a joint programme (``Measure``: name, unit, baseline and target)."""

    project = models.ForeignKey(JointProject, on_delete=models.CASCADE, related_name="indicators")

    class Meta:
        verbose_name = _("joint programme indicator")
        verbose_name_plural = _("joint programme indicators")
        ordering = ["project_id", "id"]
        constraints = [
            models.CheckConstraint(condition=~models.Q(unit=""), name="project_indicator_has_unit")
        ]


# --- peer learning: one party asks the other --------------------------------------------------------------
class RequestState(models.TextChoices):
    OPEN = "open", _("Open")
    ANSWERED = "answered", _("Answered")


class PeerRequestQuerySet(VisibleQuerySet):
    def for_list(self) -> PeerRequestQuerySet:
        return (
            self.select_related("party", "asked_party", "programme", "theme", "created_by")
            .annotate(answer_count=models.Count("answers"))
            .defer("question", "programme__summary", "programme__objectives")
            .order_by("-created_at", "-id")  # a grouped query drops Meta.ordering
        )


class PeerRequest(VisibleContent):
    """A peer-learning question one party (``party``, from ``VisibleContent``) asks another
    (``asked_party``), optionally about one of the asked party's programmes or a theme.

    Both parties must see it, so it is public or dialogue-wide, never one party's only. The asking party
    closes it as answered, and may reopen it."""

    asked_party = models.ForeignKey(
        "accounts.Party", on_delete=models.PROTECT, related_name="+", verbose_name=_("asked party")
    )
    title = models.CharField(_("subject"), max_length=300)
    question = models.TextField(_("question"), max_length=8000)
    programme = models.ForeignKey(
        Programme,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="peer_requests",
        verbose_name=_("about the programme"),
    )
    theme = models.ForeignKey(
        "library.Theme",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("about the theme"),
    )
    state = models.CharField(
        _("state"), max_length=10, choices=RequestState.choices, default=RequestState.OPEN
    )
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)

    objects = PeerRequestQuerySet.as_manager()

    class Meta:
        verbose_name = _("peer-learning request")
        verbose_name_plural = _("peer-learning requests")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["dialogue", "state"], name="peerrequest_state")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(party__isnull=False) & ~models.Q(visibility="party"),
                name="peerrequest_party_and_shared",
            ),
            models.CheckConstraint(
                condition=~models.Q(party=models.F("asked_party")), name="peerrequest_asks_another_party"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("programmes:request_detail", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.state == RequestState.OPEN


class PeerAnswer(models.Model):
    """One message in a request's thread (an answer, or the asker's follow-up), citing programmes and
    library documents its author could see."""

    request = models.ForeignKey(
        PeerRequest, on_delete=models.CASCADE, related_name="answers", verbose_name=_("request")
    )
    party = models.ForeignKey(
        "accounts.Party", null=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("party")
    )
    author = user_or_none(_("author"), blank=False)
    text = models.TextField(_("answer"), max_length=10000)
    programmes = models.ManyToManyField(
        Programme, blank=True, related_name="cited_in_answers", verbose_name=_("programmes cited")
    )
    documents = models.ManyToManyField(
        "library.PolicyDocument",
        blank=True,
        related_name="cited_in_answers",
        verbose_name=_("documents cited"),
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        ordering = ["request_id", "created_at", "id"]

    def __str__(self) -> str:
        return f"{self.request} · {self.created_at:%Y-%m-%d}"

    def get_absolute_url(self) -> str:
        return self.request.get_absolute_url() + f"#answer-{self.pk}"
