"""Writes with side effects for reports: requesting the round dossier, sending reminder e-mails."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from concord.accounts.models import Dialogue, Membership, Role
from concord.audit.log import record
from concord.commitments.models import Commitment, Completion, Milestone, SentReminder
from concord.commitments.reminders import Due, select_reminders
from concord.core import actions as core_actions
from concord.core import jobs
from concord.core.checks import require
from concord.core.models import Job
from concord.notices import hooks as notices
from concord.secretariat.models import Outcome

from . import rules


def do_request_dossier(*, actor, dialogue: Dialogue, language: str = "en") -> Job:
    """Start building the round dossier (PDF and XLSX) in the background; returns its job."""
    require(
        rules.can_request_dossier(actor, dialogue.pk),
        _("Only members of the dialogue can build its dossier."),
    )
    from .tasks import build_dossier

    job = core_actions.do_start_job(actor=actor, kind=rules.DOSSIER_KIND, label=_("Round dossier"), total=3)
    record(
        actor=actor, action="dossier.request", obj=job, dialogue_id=dialogue.pk, after={"language": language}
    )
    return jobs.enqueue(
        build_dossier, job=job, dialogue_id=dialogue.pk, user_id=actor.pk, language=(language or "en")[:2]
    )


def _site(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def due_items() -> list[Due]:
    """Everything that can fall due: open commitments, milestones not reached, open actions, review dates."""
    items: list[Due] = []
    secretariat: dict[int, tuple[str, ...]] = {}
    for m in Membership.objects.active().filter(role=Role.SECRETARIAT).select_related("user"):
        secretariat[m.dialogue_id] = (*secretariat.get(m.dialogue_id, ()), m.user.email)
    open_commitments = Commitment.objects.exclude(
        completion__in=[Completion.COMPLETE, Completion.WITHDRAWN]
    ).select_related("owner")
    for c in open_commitments.filter(end_date__isnull=False):
        to = (c.owner.email,) if c.owner_id else secretariat.get(c.dialogue_id, ())
        items.append(Due("commitment", c.pk, str(c), c.end_date, to, _site(c.get_absolute_url())))
    for m in Milestone.objects.filter(
        actual_date__isnull=True, planned_date__isnull=False, commitment__in=open_commitments
    ).select_related("commitment__owner"):
        c = m.commitment
        to = (c.owner.email,) if c.owner_id else secretariat.get(c.dialogue_id, ())
        items.append(
            Due("milestone", m.pk, f"{c.code}: {m.title}", m.planned_date, to, _site(c.get_absolute_url()))
        )
    outcomes = Outcome.objects.select_related("agenda_item", "action_owner")
    for o in outcomes.filter(kind="action", action_done=False, action_due__isnull=False).exclude(
        disposition__in=["withdrawn", "not_agreed"]
    ):
        to = (o.action_owner.email,) if o.action_owner_id else secretariat.get(o.agenda_item.dialogue_id, ())
        items.append(Due("action", o.pk, o.text[:120], o.action_due, to, _site(o.get_absolute_url())))
    for o in outcomes.filter(review_date__isnull=False):
        to = secretariat.get(o.agenda_item.dialogue_id, ())
        items.append(Due("review", o.pk, o.text[:120], o.review_date, to, _site(o.get_absolute_url())))
    return items


_DUE_MODELS = {"commitment": Commitment, "milestone": Milestone, "action": Outcome, "review": Outcome}


def do_send_reminders(*, actor, today: dt.date | None = None) -> int:
    """E-mail today's due-date and overdue reminders; each is sent once (see ``reminders``)."""
    today = today or timezone.localdate()
    sent = 0
    for reminder in select_reminders(due_items(), today):
        if SentReminder.objects.filter(key=reminder.key).exists():
            continue
        item = reminder.due
        with transaction.atomic():
            SentReminder.objects.create(key=reminder.key, recipient=reminder.recipient)
            # In the inbox, and by e-mail unless the person chose otherwise (``notices``).
            notices.due_reminder(reminder)
            record(
                actor=actor,
                action="reminder.send",
                object_type=_DUE_MODELS[item.kind]._meta.label_lower,
                object_id=str(item.id),
                object_repr=item.title[:300],
                about=_DUE_MODELS[item.kind].objects.filter(pk=item.id).first(),  # its entry is as private
                after={"to": reminder.recipient, "state": reminder.state, "due": item.due.isoformat()},
            )
        sent += 1
    return sent
