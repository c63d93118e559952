"""A notice as an e-mail: in the recipient's language, with the absolute address of its page, and for a
booked slot a calendar file (.ics) to add it to one's calendar."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.mail import EmailMessage
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from .kinds import Kind
from .models import Notice


def absolute(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def render(notice: Notice) -> tuple[str, str]:
    """Subject and body, in the recipient's language."""
    with translation.override(notice.recipient.language or "en"):
        text = notice.text()
        subject = f"[{_('Concord')}] {text}"[:200]
        body = "\n".join(
            [
                text,
                "",
                absolute(notice.url),
                "",
                _("Choose which notices also come by e-mail: %(url)s")
                % {"url": absolute(reverse("notices:preferences"))},
            ]
        )
    return subject, body + "\n"


def slot_calendar(notice: Notice) -> str:
    from concord.secretariat.ical import Event, calendar

    p = notice.params
    starts = dt.datetime.fromisoformat(p["when_iso"])
    event = Event(
        uid=f"slot-{notice.object_id}@concord",
        summary=p.get("title", ""),
        starts_at=starts,
        ends_at=starts + dt.timedelta(minutes=int(p.get("minutes") or 30)),
        location=p.get("place", ""),
        url=absolute(notice.url),
        time_zone=p.get("zone", ""),
    )
    return calendar([event], name=p.get("title", ""), now=timezone.now())


def send_notice_email(notice: Notice) -> int:
    subject, body = render(notice)
    message = EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, [notice.recipient.email])
    if notice.kind == Kind.SLOT_BOOKED and notice.params.get("when_iso"):
        message.attach("meeting.ics", slot_calendar(notice), "text/calendar")
    sent = message.send()
    Notice.objects.filter(pk=notice.pk).update(emailed_at=timezone.now())
    return sent
