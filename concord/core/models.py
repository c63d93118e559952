"""What every content object shares (dialogue, visibility, owner party), briefing notes, and job progress."""

from __future__ import annotations

import uuid
from typing import Self

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .fields import user_or_none


class Visibility(models.TextChoices):
    PUBLIC = "public", _("Public")
    DIALOGUE = "dialogue", _("Dialogue members")
    PARTY = "party", _("One party only")


class VisibleContent(models.Model):
    """Abstract base of every content object: it belongs to a dialogue and carries a visibility.

    ``party`` is the owning party. It is required when the visibility is "one party only", and may be set
    on other content to say which delegation wrote it.
    """

    dialogue = models.ForeignKey(
        "accounts.Dialogue", on_delete=models.CASCADE, related_name="+", verbose_name=_("dialogue")
    )
    visibility = models.CharField(
        _("visibility"), max_length=10, choices=Visibility.choices, default=Visibility.DIALOGUE
    )
    party = models.ForeignKey(
        "accounts.Party",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("owning party"),
    )
    created_by = user_or_none(_("created by"))
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        abstract = True

    def clean(self) -> None:
        if self.visibility == Visibility.PARTY and not self.party_id:
            raise ValidationError({"party": _("Content visible to one party only must name that party.")})


def party_only_names_party(model_name: str) -> models.CheckConstraint:
    """The database's side of ``VisibleContent.clean``, for a content model's ``Meta.constraints``:
    content visible to one party only names that party (``<model_name>_party_visibility_names_party``)."""
    return models.CheckConstraint(
        condition=~models.Q(visibility="party") | models.Q(party__isnull=False),
        name=f"{model_name}_party_visibility_names_party",
    )


class VisibleQuerySet(models.QuerySet):
    """A queryset with ``visible_to(user)``: the rows ``user`` may view.

    The row's access is that of the content at ``visibility_path`` (``""``: the row itself, a
    ``VisibleContent``; ``"programme__"``: the programme an indicator measures). ``visible_q`` is the filter
    builder of the app's ``rules.py``: ``concord.core.rules.visible_q`` unless the app decides more.
    """

    visibility_path = ""

    def visible_to(self, user) -> Self:
        return self.filter(self.visible_q(user, self.visibility_path))

    @staticmethod
    def visible_q(user, prefix: str = "") -> models.Q:
        from concord.core import rules

        return rules.visible_q(user, prefix)


class NoteKind(models.TextChoices):
    ANNOUNCEMENT = "announcement", _("Announcement")
    BRIEFING = "briefing", _("Briefing")
    POSITION = "position", _("Position")


class Note(VisibleContent):
    """A briefing note, announcement or party position posted to a dialogue."""

    kind = models.CharField(_("kind"), max_length=20, choices=NoteKind.choices, default=NoteKind.BRIEFING)
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text"), max_length=20000)

    class Meta:
        verbose_name = _("note")
        verbose_name_plural = _("notes")
        ordering = ["-created_at", "-id"]
        constraints = [party_only_names_party("note")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("core:note", args=[self.pk])


class JobStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    SUCCEEDED = "succeeded", _("Done")
    FAILED = "failed", _("Failed")


class JobQuerySet(models.QuerySet["Job"]):
    def for_user(self, user) -> JobQuerySet:
        return self.filter(owner=user) if user.is_authenticated else self.none()


class Job(models.Model):
    """The progress of one long piece of work run as a background task.

    Pages poll it (htmx) and the CLI draws it as a progress bar. The task updates ``done``/``total``.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    kind = models.CharField(_("kind"), max_length=60)
    label = models.CharField(_("label"), max_length=250)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="jobs"
    )
    status = models.CharField(_("status"), max_length=12, choices=JobStatus.choices, default=JobStatus.QUEUED)
    done = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(default=0)
    message = models.CharField(_("message"), max_length=500, blank=True)
    error = models.TextField(_("error"), blank=True)
    result = models.JSONField(_("result"), null=True, blank=True)
    result_url = models.CharField(max_length=300, blank=True)
    task_id = models.CharField(max_length=64, blank=True)
    # What to queue again on a retry: the task's dotted path and its arguments (besides job_id).
    task_path = models.CharField(max_length=200, blank=True)
    task_kwargs = models.JSONField(default=dict, blank=True)
    # The lease: the worker running the task renews it while it lives; the reaper takes back an expired one.
    worker_id = models.CharField(max_length=64, blank=True)
    lease_expires_at = models.DateTimeField(null=True, blank=True, db_index=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    objects = JobQuerySet.as_manager()

    class Meta:
        verbose_name = _("job")
        verbose_name_plural = _("jobs")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.label} ({self.get_status_display()})"

    def get_absolute_url(self) -> str:
        return reverse("core:job", args=[self.pk])

    @property
    def percent(self) -> int:
        if self.status == JobStatus.SUCCEEDED:
            return 100
        if not self.total:
            return 0
        return min(100, int(100 * self.done / self.total))

    @property
    def is_finished(self) -> bool:
        return self.status in (JobStatus.SUCCEEDED, JobStatus.FAILED)

    @property
    def can_be_retried(self) -> bool:
        """A failed job whose task is known can be queued again (work run inline has no task to queue)."""
        return self.status == JobStatus.FAILED and bool(self.task_path)

    def seconds_left(self, now=None) -> int | None:
        """An estimate of the time left, from the pace so far (None until some work is done)."""
        if self.status != JobStatus.RUNNING or not self.started_at or not self.total or not self.done:
            return None
        elapsed = ((now or timezone.now()) - self.started_at).total_seconds()
        return max(0, round(elapsed * (self.total - self.done) / self.done))

    @property
    def minutes_left(self) -> int | None:
        """`seconds_left` rounded up to whole minutes, for pages."""
        seconds = self.seconds_left()
        return None if seconds is None else -(-seconds // 60)

    @property
    def queue_position(self) -> int | None:
        """1 when this queued job is next in line; None once it runs. Jobs queued before it go first."""
        if self.status != JobStatus.QUEUED:
            return None
        ahead = Job.objects.filter(status=JobStatus.QUEUED, created_at__lt=self.created_at).count()
        return ahead + 1


class WorkerHeartbeat(models.Model):
    """One background worker process, as it last reported itself. A worker is alive while it beats."""

    worker_id = models.CharField(max_length=64, unique=True)
    hostname = models.CharField(max_length=255, blank=True)
    pid = models.PositiveIntegerField(default=0)
    started_at = models.DateTimeField(default=timezone.now)
    last_seen = models.DateTimeField(default=timezone.now, db_index=True)
    stopped_at = models.DateTimeField(null=True, blank=True)
    tasks_run = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("worker heartbeat")
        verbose_name_plural = _("worker heartbeats")
        ordering = ["-last_seen"]

    def __str__(self) -> str:
        return f"{self.hostname}:{self.pid} ({self.worker_id[:8]})"
