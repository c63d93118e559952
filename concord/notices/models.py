"""A notice in a person's inbox, and their choice of which kinds also come by e-mail."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from concord.core.zones import format_time

from .kinds import OVERDUE, SPECS, Kind, email_by_default


class NoticeQuerySet(models.QuerySet["Notice"]):
    def for_user(self, user) -> NoticeQuerySet:
        """The user's own inbox: a notice is only ever read by its recipient."""
        if user is None or not user.is_authenticated:
            return self.none()
        return self.filter(recipient=user)

    def unread(self) -> NoticeQuerySet:
        return self.filter(read_at__isnull=True)


class Notice(models.Model):
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notices",
        verbose_name=_lazy("recipient"),
    )
    kind = models.CharField(_lazy("kind"), max_length=32, choices=Kind.choices)
    params = models.JSONField(_lazy("details"), default=dict, blank=True)
    url = models.CharField(_lazy("page"), max_length=500)
    # Sending the same notice twice (a reminder on the same day, a second agenda change that day) is
    # refused by this key; empty means "always new".
    key = models.CharField(max_length=200, blank=True, default="")
    object_type = models.CharField(max_length=100, blank=True)
    object_id = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(_lazy("sent"), auto_now_add=True, db_index=True)
    read_at = models.DateTimeField(_lazy("read"), null=True, blank=True)
    emailed_at = models.DateTimeField(_lazy("e-mailed"), null=True, blank=True)

    objects = NoticeQuerySet.as_manager()

    class Meta:
        verbose_name = _lazy("notice")
        verbose_name_plural = _lazy("notices")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["recipient", "read_at"], name="notice_inbox")]
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "key"], condition=~models.Q(key=""), name="notice_unique_key"
            )
        ]

    def __str__(self) -> str:
        return self.text()

    def get_absolute_url(self) -> str:
        return self.url

    @property
    def is_read(self) -> bool:
        return self.read_at is not None

    def text(self) -> str:
        """The notice's sentence in the active language, with any time in its own zone."""
        return self._sentence(dict(self.params))

    def html(self) -> str:
        """The sentence for a page: the names and titles it quotes isolated with ``<bdi>``, so that a Latin
        title keeps its punctuation in an Urdu sentence (and the reverse)."""
        values = {k: format_html("<bdi>{}</bdi>", v) for k, v in self.params.items()}
        values.update({k: v for k, v in self.params.items() if k in ("when_iso", "zone", "state")})
        return mark_safe(self._sentence(values, html=True))  # noqa: S308 - the sentence is ours; values escaped

    def _sentence(self, values: dict, *, html: bool = False) -> str:
        if "when_iso" in values:  # a time is stated in its own zone, or said to be unknown
            iso = values["when_iso"]
            when = (
                format_time(dt.datetime.fromisoformat(iso), values.get("zone") or None)
                if iso
                else _("date not set")
            )
            values["when"] = format_html("<bdi>{}</bdi>", when) if html else when
        overdue = self.kind == Kind.DUE and self.params.get("state") == "overdue"
        sentence = str(OVERDUE if overdue else SPECS[self.kind].sentence)
        try:
            return (conditional_escape(sentence) if html else sentence) % values
        except (KeyError, ValueError, TypeError):
            return str(Kind(self.kind).label)


class NoticePreference(models.Model):
    """Whether a kind of notice also comes by e-mail. Without a row, the kind's default holds."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notice_preferences"
    )
    kind = models.CharField(_lazy("kind"), max_length=32, choices=Kind.choices)
    email = models.BooleanField(_lazy("e-mail too"))

    class Meta:
        verbose_name = _lazy("notice preference")
        verbose_name_plural = _lazy("notice preferences")
        constraints = [models.UniqueConstraint(fields=["user", "kind"], name="notice_preference_unique")]

    def __str__(self) -> str:
        return f"{self.user_id} {self.kind} {self.email}"


def email_choices(user) -> dict[str, bool]:
    """Kind → whether it comes by e-mail, for ``user`` (their choices over the defaults)."""
    chosen = dict(NoticePreference.objects.filter(user=user).values_list("kind", "email"))
    return {k: chosen.get(k, email_by_default(k)) for k in Kind.values}
