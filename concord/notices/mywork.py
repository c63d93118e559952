""" "My work": what waits for one person across the four jobs, each line linking to where it is done.

Every section is one or two queries whatever the number of lines; rules that need the object (may this
person verify this update?) run in Python on rows already loaded, over the user's cached seats.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from concord.core import rules as core


@dataclass(frozen=True)
class Line:
    text: str
    url: str
    detail: str = ""
    when: dt.datetime | None = None
    zone: str = ""
    due: dt.date | None = None


@dataclass
class Section:
    key: str
    title: str
    lines: list[Line] = field(default_factory=list)


def _verifications(user) -> list[Line]:
    from concord.commitments import rules
    from concord.commitments.models import ProgressUpdate, UpdateState

    dialogues = {s.dialogue_id for s in core.seats(user)}
    updates = (
        ProgressUpdate.objects.filter(state=UpdateState.SUBMITTED, commitment__dialogue_id__in=dialogues)
        .exclude(submitted_by=user)
        .select_related("commitment", "party")
        .defer("text")
        .order_by("created_at")
    )
    return [
        Line(
            _("Verify progress on %(title)s (%(percent)s%%)") % {"title": u.commitment, "percent": u.percent},
            u.commitment.get_absolute_url(),
            detail=u.party.code if u.party_id else "",
        )
        for u in updates
        if rules.can_verify(user, u)
    ]


def _due(user, today: dt.date) -> list[Line]:
    from concord.commitments.models import Commitment, Completion, Milestone

    horizon = today + dt.timedelta(days=14)
    open_ = Commitment.objects.exclude(completion__in=[Completion.COMPLETE, Completion.WITHDRAWN]).filter(
        owner=user
    )
    open_ = open_.visible_to(user)
    lines = [
        Line(
            _("Report progress on %(title)s") % {"title": c},
            c.get_absolute_url(),
            due=c.end_date,
        )
        for c in open_.filter(end_date__lte=horizon)
        .only("id", "code", "title", "end_date")
        .order_by("end_date")
    ]
    milestones = (
        Milestone.objects.filter(commitment__in=open_, actual_date__isnull=True, planned_date__lte=horizon)
        .select_related("commitment")
        .order_by("planned_date")
    )
    lines += [
        Line(
            _("Milestone %(title)s of %(commitment)s") % {"title": m.title, "commitment": m.commitment.code},
            m.commitment.get_absolute_url(),
            due=m.planned_date,
        )
        for m in milestones
    ]
    return lines


def _harmonize(user) -> list[Line]:
    from concord.harmonize import rules
    from concord.harmonize.models import Comparison, Mapping, ReviewStatus

    if not any(s.role in rules.REVIEWER_ROLES for s in core.seats(user)):
        return []
    comparisons = list(
        rules.visible_comparisons(user, Comparison.objects.all())
        .filter(dialogue_id__in={s.dialogue_id for s in core.seats(user)})
        .annotate(pending=Count("mappings", filter=Q(mappings__review_status=ReviewStatus.PENDING)))
        .only("id", "title", "dialogue_id", "visibility", "party_id", "source_party_id", "target_party_id")
        .order_by("title")
    )
    lines = [
        Line(
            _("Review %(count)s mappings in %(title)s") % {"count": c.pending, "title": c.title},
            reverse("harmonize:review", args=[c.pk]),
        )
        for c in comparisons
        if c.pending and rules.can_review(user, c)
    ]
    signing = {c.pk: rules.signing_parties(user, c) for c in comparisons}
    parties = sorted({p for ps in signing.values() for p in ps})
    if parties:
        unsigned = dict(
            Mapping.objects.filter(
                comparison_id__in=[pk for pk, ps in signing.items() if ps],
                review_status=ReviewStatus.ACCEPTED,
            )
            .exclude(signoffs__party_id__in=parties)
            .values("comparison_id")
            .annotate(n=Count("id"))
            .values_list("comparison_id", "n")
        )
        lines += [
            Line(
                _("Sign off %(count)s accepted mappings in %(title)s")
                % {"count": unsigned[c.pk], "title": c.title},
                c.get_absolute_url(),
            )
            for c in comparisons
            if unsigned.get(c.pk)
        ]
    return lines


def _minutes(user) -> list[Line]:
    from concord.minutes import rules
    from concord.minutes.models import Minutes, MinutesState

    found = (
        Minutes.objects.filter(state=MinutesState.CIRCULATED, meeting__participants__user=user)
        .select_related("meeting")
        .defer("body")
        .distinct()
    )
    return [
        Line(
            _("Comment on the minutes of %(title)s") % {"title": m.meeting.title},
            m.get_absolute_url(),
            detail=m.get_language_display(),
        )
        for m in found
        if rules.can_view(user, m)
    ]


def _talent(user) -> list[Line]:
    from concord.talent import rules
    from concord.talent.models import Application, Opportunity, OpportunityStatus, Placement

    lines = [
        Line(
            _("Your placement: %(title)s")
            % {"title": p.opportunity.title if p.opportunity else p.round.title},
            p.round.get_absolute_url(),
        )
        for p in Placement.objects.filter(profile__user=user, opportunity__isnull=False).select_related(
            "round", "opportunity"
        )
    ]
    mine = Application.objects.filter(profile__user=user, opportunity__status=OpportunityStatus.PUBLISHED)
    count = mine.count()
    if count:
        lines.append(
            Line(
                _("Rank your %(count)s applications in order of preference") % {"count": count},
                reverse("talent:my_profile"),
            )
        )
    dialogues = {s.dialogue_id for s in core.seats(user)}
    managed = (
        Opportunity.objects.filter(dialogue_id__in=dialogues, status=OpportunityStatus.PUBLISHED)
        .annotate(n=Count("applications"))
        .filter(n__gt=0)
        .only(
            "id", "title", "dialogue_id", "visibility", "party_id", "provider_id", "created_by_id", "status"
        )
    )
    lines += [
        Line(
            _("%(count)s applications to %(title)s") % {"count": o.n, "title": o.title},
            o.get_absolute_url(),
        )
        for o in managed
        if rules.can_manage_opportunity(user, o)
    ]
    return lines


def _directory(user, now: dt.datetime) -> list[Line]:
    from concord.directory import rules
    from concord.directory.models import Interest, InterestStatus, MeetingSlot

    orgs = rules.editable_org_ids(user)
    if not orgs:
        return []
    lines = [
        Line(
            _("Answer %(org)s about %(title)s") % {"org": i.organization.name, "title": i.listing.title},
            i.get_absolute_url(),
        )
        for i in Interest.objects.filter(status=InterestStatus.SUBMITTED, listing__organization_id__in=orgs)
        .select_related("organization", "listing")
        .defer("listing__description")
    ]
    slots = (
        MeetingSlot.objects.filter(starts_at__gte=now, booked_by__isnull=False)
        .filter(Q(listing__organization_id__in=orgs) | Q(booked_by__organization_id__in=orgs))
        .select_related("listing", "booked_by__organization")
        .defer("listing__description")
        .order_by("starts_at")
    )
    lines += [
        Line(
            _("Meeting with %(org)s about %(title)s")
            % {"org": s.booked_by.organization.name, "title": s.listing.title},
            s.booked_by.get_absolute_url(),
            when=s.starts_at,
            zone=s.time_zone,
        )
        for s in slots
    ]
    return lines


def my_work(user, *, now: dt.datetime | None = None) -> list[Section]:
    now = now or timezone.now()
    today = timezone.localdate(now)
    sections = [
        Section("verify", _("Progress to verify"), _verifications(user)),
        Section("due", _("Updates and milestones due"), _due(user, today)),
        Section("harmonize", _("Mappings to review or sign off"), _harmonize(user)),
        Section("minutes", _("Minutes to comment on"), _minutes(user)),
        Section("talent", _("Applications and placements"), _talent(user)),
        Section("directory", _("Interest to answer and bookings"), _directory(user, now)),
    ]
    return sections
