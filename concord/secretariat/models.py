"""Working groups, meetings, participants, agenda items, outcomes and positions (minutes: concord.minutes)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from concord.core.fields import localized, user_or_none
from concord.core.models import VisibleContent, VisibleQuerySet, party_only_names_party

LANGUAGES = [("en", _("English")), ("ms", _("Malay")), ("ur", _("Urdu"))]


class SecretariatQuerySet(VisibleQuerySet):
    """``visible_to(user)``: the records ``user`` may view, as ``concord/secretariat/rules.py`` decides (like
    any content, but observers see only public records). Shared by working groups, meetings, agenda items
    and commitments."""

    @staticmethod
    def visible_q(user, prefix: str = "") -> models.Q:
        from concord.secretariat import rules

        return rules.visible_q(user, prefix)


class WorkingGroup(VisibleContent):
    """A standing group of both parties' officials on one theme of the dialogue."""

    slug = models.SlugField(_("short name in addresses"), max_length=80)
    name = models.CharField(_("name"), max_length=200)
    name_ms = models.CharField(_("name (Malay)"), max_length=200, blank=True)
    name_ur = models.CharField(_("name (Urdu)"), max_length=200, blank=True)
    terms_of_reference = models.TextField(_("terms of reference"), blank=True, max_length=20000)
    themes = models.ManyToManyField(
        "library.Theme", blank=True, related_name="working_groups", verbose_name=_("themes")
    )
    is_active = models.BooleanField(_("active"), default=True)

    objects = SecretariatQuerySet.as_manager()

    class Meta:
        verbose_name = _("working group")
        verbose_name_plural = _("working groups")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["dialogue", "slug"], name="workinggroup_unique_slug"),
            party_only_names_party("workinggroup"),
        ]

    def __str__(self) -> str:
        return self.localized("name")

    def get_absolute_url(self) -> str:
        return reverse("secretariat:working_group", args=[self.pk])

    def localized(self, field: str, language: str | None = None) -> str:
        return localized(self, field, language)


class Position(models.TextChoices):
    CO_CHAIR = "co_chair", _("Co-chair")
    VICE_CHAIR = "vice_chair", _("Vice-chair")
    SECRETARY = "secretary", _("Secretary")
    FOCAL_POINT = "focal_point", _("Focal point")
    MEMBER = "member", _("Member")


class WorkingGroupMember(models.Model):
    """A person on a working group; co-chairs of each party are the group's co-leads."""

    working_group = models.ForeignKey(WorkingGroup, on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    party = models.ForeignKey(
        "accounts.Party", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    position = models.CharField(
        _("position"), max_length=20, choices=Position.choices, default=Position.MEMBER
    )

    class Meta:
        verbose_name = _("working group member")
        verbose_name_plural = _("working group members")
        ordering = ["working_group", "position", "party__code"]
        constraints = [models.UniqueConstraint(fields=["working_group", "user"], name="wgmember_unique_user")]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_position_display()}"


class MeetingLevel(models.TextChoices):
    MINISTERIAL = "ministerial", _("Ministerial")
    SENIOR_OFFICIALS = "senior_officials", _("Senior officials")
    WORKING_GROUP = "working_group", _("Working group")


class MeetingMode(models.TextChoices):
    IN_PERSON = "in_person", _("In person")
    ONLINE = "online", _("Online")
    HYBRID = "hybrid", _("Hybrid")


class MeetingState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    OPEN = "open", _("Open")
    IN_PROGRESS = "in_progress", _("In progress")
    CLOSED = "closed", _("Closed")
    POSTPONED = "postponed", _("Postponed")
    CANCELLED = "cancelled", _("Cancelled")


# The state machine: which states a meeting may move to from each state.
MEETING_TRANSITIONS: dict[str, tuple[str, ...]] = {
    MeetingState.DRAFT: (MeetingState.OPEN, MeetingState.POSTPONED, MeetingState.CANCELLED),
    MeetingState.OPEN: (
        MeetingState.IN_PROGRESS,
        MeetingState.DRAFT,
        MeetingState.POSTPONED,
        MeetingState.CANCELLED,
    ),
    MeetingState.IN_PROGRESS: (MeetingState.CLOSED,),
    MeetingState.POSTPONED: (MeetingState.DRAFT, MeetingState.OPEN, MeetingState.CANCELLED),
    MeetingState.CLOSED: (),
    MeetingState.CANCELLED: (),
}


class Meeting(VisibleContent):
    """A meeting of the dialogue: ministerial, senior officials or a working group."""

    title = models.CharField(_("title"), max_length=250)
    title_ms = models.CharField(_("title (Malay)"), max_length=250, blank=True)
    title_ur = models.CharField(_("title (Urdu)"), max_length=250, blank=True)
    level = models.CharField(_("level"), max_length=20, choices=MeetingLevel.choices)
    working_group = models.ForeignKey(
        WorkingGroup,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="meetings",
        verbose_name=_("working group"),
    )
    mode = models.CharField(
        _("mode"), max_length=12, choices=MeetingMode.choices, default=MeetingMode.IN_PERSON
    )
    venue = models.CharField(_("venue"), max_length=300, blank=True)
    starts_at = models.DateTimeField(_("starts"), null=True, blank=True)
    ends_at = models.DateTimeField(_("ends"), null=True, blank=True)
    time_zone = models.CharField(
        _("time zone"),
        max_length=64,
        default="Asia/Kuala_Lumpur",
        help_text=_("IANA name, e.g. Asia/Karachi."),
    )
    state = models.CharField(
        _("state"), max_length=12, choices=MeetingState.choices, default=MeetingState.DRAFT
    )
    previous = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="following",
        verbose_name=_("follows the meeting"),
    )
    description = models.TextField(_("description"), blank=True, max_length=20000)
    is_illustrative = models.BooleanField(
        _("illustrative demo record"),
        default=False,
        help_text=_("Demo content written to show how Concord works, not a record of a real meeting."),
    )
    sequence = models.PositiveIntegerField(default=0, editable=False)  # iCalendar SEQUENCE
    cancellation_reason = models.TextField(_("why it was cancelled"), blank=True, max_length=2000)

    objects = SecretariatQuerySet.as_manager()

    class Meta:
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        ordering = ["-starts_at", "-id"]
        constraints = [
            party_only_names_party("meeting"),
        ]

    def __str__(self) -> str:
        return self.localized("title")

    def get_absolute_url(self) -> str:
        return reverse("secretariat:meeting", args=[self.pk])

    def localized(self, field: str, language: str | None = None) -> str:
        return localized(self, field, language)

    def allowed_transitions(self) -> tuple[str, ...]:
        return MEETING_TRANSITIONS.get(self.state, ())


class Rsvp(models.TextChoices):
    PENDING = "pending", _("No reply yet")
    ACCEPTED = "accepted", _("Attending")
    TENTATIVE = "tentative", _("Maybe")
    DECLINED = "declined", _("Not attending")


class Participant(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="participants")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    party = models.ForeignKey(
        "accounts.Party", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    rsvp = models.CharField(_("reply"), max_length=10, choices=Rsvp.choices, default=Rsvp.PENDING)
    attended = models.BooleanField(_("attended"), null=True, blank=True)

    class Meta:
        verbose_name = _("participant")
        verbose_name_plural = _("participants")
        ordering = ["meeting", "party__code", "user__full_name"]
        constraints = [models.UniqueConstraint(fields=["meeting", "user"], name="participant_unique_user")]

    def __str__(self) -> str:
        return str(self.user)


class ItemKind(models.TextChoices):
    DECISION = "decision", _("For decision")
    DISCUSSION = "discussion", _("For discussion")
    INFORMATION = "information", _("For information")


class AgendaItem(VisibleContent):
    """An item on a meeting's agenda, or in the dialogue's backlog when it has no meeting yet."""

    meeting = models.ForeignKey(
        Meeting,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="agenda",
        verbose_name=_("meeting"),
    )
    section = models.CharField(_("section"), max_length=200, blank=True)
    order = models.PositiveIntegerField(_("order"), default=0)
    title = models.CharField(_("title"), max_length=300)
    description = models.TextField(_("description"), blank=True, max_length=20000)
    kind = models.CharField(_("kind"), max_length=12, choices=ItemKind.choices, default=ItemKind.DISCUSSION)
    presenter = user_or_none()
    presenter_name = models.CharField(_("presenter"), max_length=200, blank=True)
    duration_minutes = models.PositiveSmallIntegerField(_("duration (minutes)"), null=True, blank=True)
    documents = models.ManyToManyField("library.PolicyDocument", blank=True, related_name="agenda_items")
    provisions = models.ManyToManyField("library.Provision", blank=True, related_name="agenda_items")
    commitments = models.ManyToManyField("commitments.Commitment", blank=True, related_name="agenda_items")
    # What was sent to the agenda from elsewhere in the dialogue ("send to the agenda"): each object's page
    # lists the items that link to it, with their meetings and outcomes ("Discussed at").
    mappings = models.ManyToManyField("harmonize.Mapping", blank=True, related_name="agenda_items")
    gaps = models.ManyToManyField("harmonize.Gap", blank=True, related_name="agenda_items")
    themes = models.ManyToManyField("library.Theme", blank=True, related_name="agenda_items")
    listings = models.ManyToManyField("directory.Listing", blank=True, related_name="agenda_items")
    # HOOK(harmonize): when concord.harmonize ships its Comparison model, add
    #   comparison = models.ForeignKey("harmonize.Comparison", null=True, blank=True, on_delete=SET_NULL)
    # here (a nullable field, one migration). Until then a comparison is linked by its address:
    comparison_url = models.CharField(_("comparison (address)"), max_length=300, blank=True)
    carried_over_from = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="carried_into",
        verbose_name=_("carried over from"),
    )

    objects = SecretariatQuerySet.as_manager()

    class Meta:
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda items")
        ordering = ["meeting", "order", "id"]
        constraints = [
            party_only_names_party("agendaitem"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        if self.meeting_id:
            return reverse("secretariat:meeting", args=[self.meeting_id]) + f"#item-{self.pk}"
        return reverse("secretariat:backlog", args=[self.dialogue.slug]) + f"#item-{self.pk}"


class OutcomeKind(models.TextChoices):
    INFORMATION = "information", _("Information")
    DECISION = "decision", _("Decision")
    ACTION = "action", _("Action")


class Disposition(models.TextChoices):
    AGREED = "agreed", _("Agreed")
    AGREED_AS_AMENDED = "agreed_as_amended", _("Agreed as amended")
    DEFERRED = "deferred", _("Deferred")
    REFERRED = "referred", _("Referred to a working group")
    NOTED = "noted", _("Noted")
    NOT_AGREED = "not_agreed", _("Not agreed")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class Outcome(models.Model):
    """What came of an agenda item: information noted, a decision taken, or an action assigned."""

    agenda_item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, related_name="outcomes")
    kind = models.CharField(_("kind"), max_length=12, choices=OutcomeKind.choices)
    disposition = models.CharField(_("disposition"), max_length=20, choices=Disposition.choices)
    text = models.TextField(_("text"), max_length=20000)
    text_ms = models.TextField(_("text (Malay)"), blank=True, max_length=20000)
    text_ur = models.TextField(_("text (Urdu)"), blank=True, max_length=20000)
    referred_to = models.ForeignKey(
        WorkingGroup, null=True, blank=True, on_delete=models.SET_NULL, related_name="referrals"
    )
    review_date = models.DateField(_("review date"), null=True, blank=True)
    action_owner = user_or_none()
    action_due = models.DateField(_("action due"), null=True, blank=True)
    action_done = models.BooleanField(_("action done"), default=False)
    created_by = user_or_none()
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("outcome")
        verbose_name_plural = _("outcomes")
        ordering = ["agenda_item", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.text[:80]}"

    def get_absolute_url(self) -> str:
        return self.agenda_item.get_absolute_url()

    def localized(self, field: str, language: str | None = None) -> str:
        return localized(self, field, language)

    @property
    def is_open_action(self) -> bool:
        return (
            self.kind == OutcomeKind.ACTION
            and not self.action_done
            and self.disposition not in (Disposition.WITHDRAWN, Disposition.NOT_AGREED)
        )


class Stance(models.TextChoices):
    SUPPORTS = "supports", _("Supports")
    RESERVATIONS = "reservations", _("Supports with reservations")
    OPPOSES = "opposes", _("Opposes")
    ABSTAINS = "abstains", _("Abstains")
    NO_POSITION = "no_position", _("No position yet")


class PartyPosition(models.Model):
    outcome = models.ForeignKey(Outcome, on_delete=models.CASCADE, related_name="positions")
    party = models.ForeignKey("accounts.Party", on_delete=models.PROTECT, related_name="+")
    stance = models.CharField(_("position"), max_length=14, choices=Stance.choices)
    statement = models.TextField(_("statement"), blank=True, max_length=5000)

    class Meta:
        verbose_name = _("party position")
        verbose_name_plural = _("party positions")
        ordering = ["outcome", "party__code"]
        constraints = [models.UniqueConstraint(fields=["outcome", "party"], name="position_unique_party")]

    def __str__(self) -> str:
        return f"{self.party.code}: {self.get_stance_display()}"
