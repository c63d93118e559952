"""Search sources of the secretariat and of talent, each with its own access rule, body and date.

The secretariat's records were indexed through a generic source: observers then found dialogue records the
secretariat's rules hide from them, a meeting's date was taken in UTC, agenda items had empty snippets, and
an item carried over to the next meeting was found twice. Talent opportunities had no source at all.
"""

from __future__ import annotations

import datetime as dt

from django.apps import apps
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from concord.core.zones import in_zone

from .registry import (
    Access,
    content_access,
    day,
    join,
    register,
    register_dependent,
    theme_slugs,
    trend_source,
)


# --- secretariat -----------------------------------------------------------------------------------------
def _secretariat_q(user, prefix: str = "") -> Q:
    from concord.secretariat import rules

    return rules.visible_q(user, prefix)


def _meeting_date(m) -> dt.date | None:
    return in_zone(m.starts_at, m.time_zone).date() if m.starts_at else None  # the day at the venue


def _meeting_body(m) -> str:
    agenda = [i.title for i in m.agenda.all()]
    return join(m.title_ms, m.title_ur, m.get_level_display(), m.venue, m.description, *agenda)


def _meetings():
    from concord.secretariat.models import Meeting

    return Meeting.objects.select_related("dialogue").prefetch_related("agenda")


def _item_access(item) -> Access | None:
    # Carried over: the item continues in the later meeting, whose copy is the one found (it links back).
    if item.carried_into.exists():
        return None
    return content_access(item)


def _item_body(item) -> str:
    history = []
    earlier = item.carried_over_from
    seen = {item.pk}
    while earlier is not None and earlier.pk not in seen:  # the outcomes of every earlier round
        seen.add(earlier.pk)
        history += [o.text for o in earlier.outcomes.all()]
        earlier = earlier.carried_over_from
    return join(
        item.section,
        item.description,
        item.meeting.title if item.meeting_id else _("Backlog"),
        item.presenter_name,
        *[join(o.text, o.text_ms, o.text_ur) for o in item.outcomes.all()],
        *history,
    )


def _item_date(item) -> dt.date | None:
    if item.meeting_id and item.meeting.starts_at:
        return _meeting_date(item.meeting)
    return item.created_at.date() if getattr(item, "created_at", None) else None


def _items():
    from concord.secretariat.models import AgendaItem

    return AgendaItem.objects.select_related("meeting", "dialogue", "carried_over_from").prefetch_related(
        "outcomes"
    )


def _commitment_body(c) -> str:
    return join(c.code, c.title_ms, c.title_ur, c.get_kind_display(), c.description)


def _commitments():
    from concord.commitments.models import Commitment

    return Commitment.objects.select_related("dialogue", "party").prefetch_related("themes")


def _core_q(user) -> Q:
    from concord.core import rules as core

    return core.visible_q(user)


# --- talent ----------------------------------------------------------------------------------------------
def _talent_access(o) -> Access | None:
    from concord.talent.models import OpportunityStatus

    return None if o.status == OpportunityStatus.DRAFT else content_access(o)


def _talent_q(user) -> Q:
    from concord.core import rules as core
    from concord.talent.models import OpportunityStatus

    return core.visible_q(user) & ~Q(status=OpportunityStatus.DRAFT)


def _talent_opportunities():
    from concord.talent.models import Opportunity

    return Opportunity.objects.select_related("provider", "party")


# --- programmes ------------------------------------------------------------------------------------------
def _programme_body(p) -> str:
    lessons = [join(x.title, x.what_worked, x.what_did_not, x.do_differently) for x in p.lessons.all()]
    return join(
        p.summary,
        p.objectives,
        *p.instrument_labels(),
        *(p.target_groups or []),
        p.lead_agency.name if p.lead_agency_id else "",
        *[i.name for i in p.indicators.all()],
        *lessons,
    )


def _programmes():
    from concord.programmes.models import Programme

    return Programme.objects.select_related("dialogue", "party", "lead_agency").prefetch_related(
        "themes", "lessons", "indicators"
    )


def _joint_body(j) -> str:
    return join(
        j.get_stage_display(),
        j.proposed_by.name if j.proposed_by_id else "",
        j.summary,
        j.concept_note,
        *[p.title for p in j.programmes.all()],
    )


def _joint_projects():
    from concord.programmes.models import JointProject

    return JointProject.objects.select_related("dialogue", "proposed_by").prefetch_related(
        "themes", "programmes"
    )


def register_more() -> None:
    _register_secretariat()
    _register_programmes()
    _register_talent()


def _register_secretariat() -> None:
    if apps.is_installed("concord.secretariat"):
        register(
            trend_source(
                "meeting",
                _("Meeting"),
                "secretariat.Meeting",
                body=_meeting_body,
                visible_q=_secretariat_q,
                date=_meeting_date,
                queryset=_meetings,
            )
        )
        register(
            trend_source(
                "agenda_item",
                _("Agenda item"),
                "secretariat.AgendaItem",
                body=_item_body,
                access=_item_access,
                visible_q=lambda user: _secretariat_q(user) & Q(carried_into__isnull=True),
                date=_item_date,
                queryset=_items,
            )
        )
        register(
            trend_source(
                "commitment",
                _("Commitment"),
                "commitments.Commitment",
                title=lambda c: f"{c.code} — {c.title}" if c.code else c.title,
                body=_commitment_body,
                visible_q=_secretariat_q,
                themes=theme_slugs,
                date=lambda c: c.start_date,
                queryset=_commitments,
            )
        )
        # An item's entry holds its outcomes, and an item carried over drops out: follow those writes.
        register_dependent(
            "secretariat.AgendaItem",
            lambda i: [("agenda_item", i.carried_over_from_id)] if i.carried_over_from_id else [],
        )
        register_dependent("secretariat.Outcome", lambda o: [("agenda_item", o.agenda_item_id)])


def _register_programmes() -> None:
    if apps.is_installed("concord.programmes"):
        register(
            trend_source(
                "programme",
                _("National programme"),
                "programmes.Programme",
                body=_programme_body,
                visible_q=lambda user: _core_q(user),
                themes=theme_slugs,
                date=lambda p: p.start_date,
                queryset=_programmes,
            )
        )
        # A programme's entry holds its lessons and indicators: follow their writes.
        register_dependent("programmes.Lesson", lambda x: [("programme", x.programme_id)])
        register_dependent("programmes.Indicator", lambda x: [("programme", x.programme_id)])
        # A joint project is both parties' (no owning party): public or dialogue-wide, as its rules say.
        register(
            trend_source(
                "joint_project",
                _("Joint project"),
                "programmes.JointProject",
                body=_joint_body,
                visible_q=lambda user: _core_q(user),
                themes=theme_slugs,
                date=lambda j: day(j.created_at),
                party_code=lambda j: j.proposed_by.code if j.proposed_by_id else "",
                queryset=_joint_projects,
            )
        )


def _register_talent() -> None:
    if apps.is_installed("concord.talent"):
        register(
            trend_source(
                "talent_opportunity",
                _("Training, fellowship or job"),
                "talent.Opportunity",
                body=lambda o: join(
                    o.get_kind_display(), o.provider.name if o.provider_id else "", o.description
                ),
                access=_talent_access,
                visible_q=_talent_q,
                date=lambda o: o.starts_on or o.created_at.date(),
                party_code=lambda o: o.host_country or (o.party.code if o.party_id else ""),
                queryset=_talent_opportunities,
            )
        )
