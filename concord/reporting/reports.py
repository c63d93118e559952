"""Read-side helpers: rolled-up progress for a set of commitments, the dashboard, reminders and the dossier.

Everything here reads; each function takes the user so that only what they may view is counted.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Prefetch, Q

from concord.commitments.models import ProgressUpdate, UpdateState
from concord.commitments.progress import action_is_overdue, mean_progress, milestone_state
from concord.commitments.rollup import completion_of, is_overdue, rollup, visible_commitments
from concord.minutes.models import Minutes, MinutesState
from concord.secretariat import rules
from concord.secretariat.models import (
    Meeting,
    MeetingLevel,
    MeetingState,
    Outcome,
    Participant,
)


@dataclass
class Group:
    label: str
    percent: float | None
    count: int
    href: str = ""


def dashboard(user, dialogue, today: dt.date) -> dict:
    """Progress by theme, party and working group; overdue commitments and milestones; open actions."""
    commitments = list(
        visible_commitments(user, dialogue.pk)
        .select_related("working_group", "party")
        .prefetch_related(
            "themes", "working_group__themes", "party_shares__party", "depends_on", "milestones"
        )
    )
    percent = rollup(commitments)
    by_wg: dict[str, list] = defaultdict(list)
    by_theme: dict[str, list] = defaultdict(list)
    by_party: dict[str, list] = defaultdict(list)
    wg_href: dict[str, str] = {}
    for c in commitments:
        p = percent.get(c.pk)
        if c.working_group_id:
            by_wg[str(c.working_group)].append(p)
            wg_href[str(c.working_group)] = c.working_group.get_absolute_url()
        # A commitment's own themes, else those of its working group.
        themes = list(c.themes.all()) or (list(c.working_group.themes.all()) if c.working_group_id else [])
        for theme in themes:
            by_theme[str(theme)].append(p)
        shares = c.party_shares.all()
        for share in shares:
            by_party[str(share.party)].append(p)
        if not shares and c.party_id:
            by_party[str(c.party)].append(p)

    def groups(d, hrefs=None):
        return [
            Group(label, mean_progress(values), len(values), (hrefs or {}).get(label, ""))
            for label, values in sorted(d.items())
        ]

    overdue = [c for c in commitments if is_overdue(c, percent.get(c.pk), today)]
    late_milestones = [
        (c, m)
        for c in commitments
        for m in c.milestones.all()
        if milestone_state(
            m.planned_date, m.actual_date, today, commitment_level=completion_of(c, percent.get(c.pk))
        )
        == "late"
    ]
    open_actions = (
        Outcome.objects.filter(kind="action", action_done=False)
        .exclude(disposition__in=["withdrawn", "not_agreed"])
        .filter(rules.visible_q(user, "agenda_item__"), agenda_item__dialogue=dialogue)
        .select_related("agenda_item__meeting", "action_owner")
        .order_by("action_due", "id")
    )
    actions = list(open_actions[:50])
    late_actions = [o for o in actions if action_is_overdue(o.action_due, o.action_done, today)]
    return {
        "commitments": commitments,
        "percent": percent,
        "overall": mean_progress(percent.get(c.pk) for c in commitments if c.parent_id is None),
        "by_working_group": groups(by_wg, wg_href),
        "by_theme": groups(by_theme),
        "by_party": groups(by_party),
        "overdue": overdue,
        "late_milestones": late_milestones,
        "open_actions": actions,
        "late_actions": late_actions,
        # One count for the figure and the list below it: every overdue commitment, milestone and action.
        "overdue_count": len(overdue) + len(late_milestones) + len(late_actions),
        "blocked": [c for c in commitments if c.is_blocked],
    }


def last_ministerial(dialogue, user) -> Meeting | None:
    return (
        Meeting.objects.filter(dialogue=dialogue, level=MeetingLevel.MINISTERIAL)
        .visible_to(user)
        .exclude(state__in=[MeetingState.CANCELLED, MeetingState.DRAFT, MeetingState.POSTPONED])
        .order_by("-starts_at", "-id")
        .first()
    )


def dossier_data(user, dialogue) -> dict:
    """Everything decided since the last ministerial meeting (included), and the status of commitments."""
    since = last_ministerial(dialogue, user)
    meetings = (
        Meeting.objects.filter(dialogue=dialogue)
        .visible_to(user)
        .exclude(state__in=[MeetingState.CANCELLED, MeetingState.DRAFT])
    )
    if since is not None and since.starts_at:
        meetings = meetings.filter(Q(starts_at__gte=since.starts_at) | Q(pk=since.pk))
    meetings = meetings.order_by("starts_at", "id").prefetch_related(
        Prefetch(
            "agenda__outcomes",
            queryset=Outcome.objects.select_related("referred_to", "action_owner").prefetch_related(
                "positions__party"
            ),
        ),
        Prefetch("participants", queryset=Participant.objects.select_related("user", "party")),
        Prefetch(
            "minutes",
            queryset=Minutes.objects.filter(state=MinutesState.ADOPTED).order_by("language"),
            to_attr="adopted_minutes",
        ),
    )
    meetings = list(meetings)
    commitments = list(
        visible_commitments(user, dialogue.pk)
        .select_related("working_group", "source_outcome")
        .prefetch_related(
            "party_shares__party",
            "party_shares__lead_agency",
            "milestones",
            # verified progress is evidence for everyone who may see the commitment (rules.can_view_evidence)
            Prefetch(
                "updates",
                queryset=ProgressUpdate.objects.filter(state=UpdateState.VERIFIED)
                .select_related("party")
                .prefetch_related("files")
                .order_by("created_at"),
                to_attr="verified_updates",
            ),
        )
    )
    percent = rollup(commitments)
    from .dossier import programmes_data

    return {
        "since": since,
        "meetings": meetings,
        "commitments": commitments,
        "percent": percent,
        **programmes_data(user, dialogue),
    }
