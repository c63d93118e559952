"""Writes for working groups, meetings, participants, agendas, outcomes and positions.

Minutes are in ``minutes.actions``, commitments in ``commitments.actions``. Views, the API, the CLI and the
demo call these."""

from __future__ import annotations

import datetime as dt
import zoneinfo

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from concord.accounts.models import Dialogue, Party
from concord.audit.log import acting_user, record, save_audited, snapshot, upsert_audited
from concord.core.checks import check_choice, check_known_fields, check_visibility, require
from concord.core.models import Visibility
from concord.core.text import clean_text
from concord.notices import hooks as notices

from . import rules
from .agenda.links import target_of
from .carryover import ItemFact, OutcomeFact, select_carry_over
from .models import (
    AgendaItem,
    Disposition,
    ItemKind,
    Meeting,
    MeetingLevel,
    MeetingMode,
    MeetingState,
    Outcome,
    OutcomeKind,
    Participant,
    PartyPosition,
    Position,
    Rsvp,
    Stance,
    WorkingGroup,
    WorkingGroupMember,
)

MEETING_FIELDS = [
    "title",
    "level",
    "mode",
    "venue",
    "starts_at",
    "ends_at",
    "time_zone",
    "state",
    "visibility",
]
ITEM_FIELDS = ["meeting", "section", "order", "title", "kind", "duration_minutes", "carried_over_from"]
CARRIED_SECTION = "Matters carried over"
# What an item carried over to the next meeting keeps of the item it continues: its fields and its links.
CARRIED_FIELDS = (
    "dialogue_id",
    "visibility",
    "party_id",
    "title",
    "description",
    "kind",
    "presenter_id",
    "presenter_name",
    "duration_minutes",
    "comparison_url",
)
CARRIED_LINKS = ("documents", "provisions", "commitments")


def _visibility(dialogue: Dialogue, visibility: str, party: Party | None) -> None:
    # An unknown visibility is an unknown value here, as any other choice of the secretariat's.
    check_visibility(
        visibility, party, dialogue, unknown=_("Unknown value “%(value)s”.") % {"value": visibility}
    )


# --- working groups -------------------------------------------------------------------------------------
def do_create_working_group(
    *,
    actor,
    dialogue: Dialogue,
    slug: str,
    name: str,
    name_ms: str = "",
    name_ur: str = "",
    terms_of_reference: str = "",
    themes=(),
    visibility: str = Visibility.PUBLIC,
) -> WorkingGroup:
    require(
        rules.can_run_meetings(actor, dialogue.pk),
        _("Only the secretariat can set up working groups."),
    )
    _visibility(dialogue, visibility, None)
    group = WorkingGroup(
        dialogue=dialogue,
        slug=slug,
        name=clean_text(name, max_length=200, field="name"),
        name_ms=clean_text(name_ms, max_length=200, field="name_ms", required=False),
        name_ur=clean_text(name_ur, max_length=200, field="name_ur", required=False),
        terms_of_reference=clean_text(
            terms_of_reference, max_length=20000, field="terms_of_reference", multiline=True, required=False
        ),
        visibility=visibility,
        created_by=acting_user(actor),
    )
    group.full_clean()
    with transaction.atomic():
        group.save()
        group.themes.set(themes)
        record(actor=actor, action="working_group.create", obj=group, after=snapshot(group))
    return group


def do_add_working_group_member(
    *,
    actor,
    working_group: WorkingGroup,
    user,
    position: str = Position.MEMBER,
    party: Party | None = None,
) -> WorkingGroupMember:
    require(
        rules.can_run_meetings(actor, working_group.dialogue_id),
        _("Only the secretariat can change working groups."),
    )
    check_choice(position, Position.values, field="position")
    if not user.memberships.filter(dialogue_id=working_group.dialogue_id, is_active=True).exists():
        raise ValidationError({"user": _("This person is not a member of the dialogue.")})
    return upsert_audited(
        WorkingGroupMember,
        {"working_group": working_group, "user": user},
        {"position": position, "party": party},
        actor=actor,
        action="working_group.member",
        subject=working_group,
        after={"user": user.email, "position": position, "party": party.code if party else None},
    )


def do_remove_working_group_member(*, actor, member: WorkingGroupMember) -> None:
    group = member.working_group
    require(
        rules.can_run_meetings(actor, group.dialogue_id), _("Only the secretariat can change working groups.")
    )
    with transaction.atomic():
        email, position = member.user.email, member.position
        member.delete()
        record(
            actor=actor,
            action="working_group.member_remove",
            obj=group,
            before={"user": email, "position": position},
        )


# --- meetings -------------------------------------------------------------------------------------
def _check_times(time_zone: str, starts_at: dt.datetime | None, ends_at: dt.datetime | None) -> None:
    try:
        zoneinfo.ZoneInfo(time_zone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError) as exc:
        raise ValidationError(
            {"time_zone": _("Unknown time zone “%(value)s”.") % {"value": time_zone}}
        ) from exc
    for name, value in (("starts_at", starts_at), ("ends_at", ends_at)):
        if value is not None and timezone.is_naive(value):
            raise ValidationError({name: _("Give the time with its time zone.")})
    if starts_at and ends_at and ends_at <= starts_at:
        raise ValidationError({"ends_at": _("The meeting must end after it starts.")})


def do_create_meeting(
    *,
    actor,
    dialogue: Dialogue,
    title: str,
    level: str,
    mode: str = MeetingMode.IN_PERSON,
    venue: str = "",
    starts_at: dt.datetime | None = None,
    ends_at: dt.datetime | None = None,
    time_zone: str = "Asia/Kuala_Lumpur",
    working_group: WorkingGroup | None = None,
    previous: Meeting | None = None,
    description: str = "",
    title_ms: str = "",
    title_ur: str = "",
    visibility: str = Visibility.DIALOGUE,
    party: Party | None = None,
    is_illustrative: bool = False,
) -> Meeting:
    require(
        rules.can_run_meetings(actor, dialogue.pk),
        _("Only the secretariat can convene meetings."),
    )
    check_choice(level, MeetingLevel.values, field="level")
    check_choice(mode, MeetingMode.values, field="mode")
    _visibility(dialogue, visibility, party)
    _check_times(time_zone, starts_at, ends_at)
    if level == MeetingLevel.WORKING_GROUP and working_group is None:
        raise ValidationError({"working_group": _("A working-group meeting names its working group.")})
    for obj, field in ((working_group, "working_group"), (previous, "previous")):
        if obj is not None and obj.dialogue_id != dialogue.pk:
            raise ValidationError({field: _("This belongs to another dialogue.")})
    meeting = Meeting(
        dialogue=dialogue,
        title=clean_text(title, max_length=250, field="title"),
        title_ms=clean_text(title_ms, max_length=250, field="title_ms", required=False),
        title_ur=clean_text(title_ur, max_length=250, field="title_ur", required=False),
        level=level,
        mode=mode,
        venue=clean_text(venue, max_length=300, field="venue", required=False),
        starts_at=starts_at,
        ends_at=ends_at,
        time_zone=time_zone,
        working_group=working_group,
        previous=previous,
        description=clean_text(
            description, max_length=20000, field="description", multiline=True, required=False
        ),
        visibility=visibility,
        party=party,
        is_illustrative=is_illustrative,
        created_by=acting_user(actor),
    )
    meeting.full_clean()
    with transaction.atomic():
        meeting.save()
        record(
            actor=actor, action="meeting.create", obj=meeting, after=snapshot(meeting, fields=MEETING_FIELDS)
        )
        if previous is not None:
            # Items carried from the previous meeting while no next meeting existed wait in the backlog.
            waiting = AgendaItem.objects.filter(meeting=None, carried_over_from__meeting=previous)
            for item in waiting:
                _place(actor, item, meeting)
    return meeting


def do_update_meeting(*, actor, meeting: Meeting, **fields) -> Meeting:
    require(rules.can_manage_meeting(actor, meeting), _("Only the secretariat can change this meeting."))
    if meeting.state in (MeetingState.CLOSED, MeetingState.CANCELLED):
        raise ValidationError(_("A closed or cancelled meeting cannot be changed."))
    before = snapshot(meeting, fields=MEETING_FIELDS)
    allowed = {
        "title",
        "title_ms",
        "title_ur",
        "mode",
        "venue",
        "starts_at",
        "ends_at",
        "time_zone",
        "description",
    }
    check_known_fields(fields, allowed, editable=True)
    for name, value in fields.items():
        if name in ("title",):
            value = clean_text(value, max_length=250, field=name)
        elif name in ("title_ms", "title_ur", "venue"):
            value = clean_text(value, max_length=300, field=name, required=False)
        elif name == "description":
            value = clean_text(value, max_length=20000, field=name, multiline=True, required=False)
        elif name == "mode":
            check_choice(value, MeetingMode.values, field="mode")
        setattr(meeting, name, value)
    _check_times(meeting.time_zone, meeting.starts_at, meeting.ends_at)
    meeting.sequence += 1
    meeting.full_clean()
    after = snapshot(meeting, fields=MEETING_FIELDS)
    with transaction.atomic():
        meeting.save()
        record(actor=actor, action="meeting.update", obj=meeting, before=before, after=after)
        if any(before.get(f) != after.get(f) for f in ("starts_at", "ends_at", "time_zone", "venue", "mode")):
            notices.meeting_moved(meeting)
    return meeting


def do_transition_meeting(*, actor, meeting: Meeting, to: str) -> Meeting:
    """Move the meeting to state ``to``; closing it carries open actions and undecided items over."""
    require(rules.can_manage_meeting(actor, meeting), _("Only the secretariat can change this meeting."))
    check_choice(to, MeetingState.values, field="state")
    if to == MeetingState.CANCELLED:
        # A cancelled meeting says why: cancelling goes through do_cancel_meeting, which asks for the reason.
        raise ValidationError({"reason": _("Say why the meeting is cancelled.")})
    if to not in meeting.allowed_transitions():
        raise ValidationError(
            {
                "state": _("A meeting that is “%(from)s” cannot become “%(to)s”.")
                % {"from": meeting.get_state_display(), "to": MeetingState(to).label}
            }
        )
    before = meeting.state
    meeting.state = to
    meeting.sequence += 1
    with transaction.atomic():
        meeting.save(update_fields=["state", "sequence", "updated_at"])
        record(
            actor=actor,
            action="meeting.transition",
            obj=meeting,
            before={"state": before},
            after={"state": to},
        )
        if to == MeetingState.CLOSED:
            carry_over(actor=actor, meeting=meeting)
    return meeting


def do_cancel_meeting(*, actor, meeting: Meeting, reason: str) -> Meeting:
    """Cancel the meeting, saying why. It stays listed, marked cancelled with its reason, and its calendar
    entry becomes CANCELLED (a higher SEQUENCE, so calendar applications replace the entry they hold)."""
    require(rules.can_manage_meeting(actor, meeting), _("Only the secretariat can change this meeting."))
    reason = clean_text(reason, max_length=2000, field="reason", multiline=True, required=False)
    if not reason:
        raise ValidationError({"reason": _("Say why the meeting is cancelled.")})
    if MeetingState.CANCELLED not in meeting.allowed_transitions():
        raise ValidationError(
            {
                "reason": _("A meeting that is “%(from)s” cannot be cancelled.")
                % {"from": meeting.get_state_display()}
            }
        )
    before = meeting.state
    meeting.state = MeetingState.CANCELLED
    meeting.cancellation_reason = reason
    meeting.sequence += 1
    with transaction.atomic():
        meeting.save(update_fields=["state", "cancellation_reason", "sequence", "updated_at"])
        record(
            actor=actor,
            action="meeting.cancel",
            obj=meeting,
            before={"state": before},
            after={"state": MeetingState.CANCELLED, "reason": reason},
        )
        notices.meeting_cancelled(meeting)
    return meeting


def next_meeting(meeting: Meeting) -> Meeting | None:
    """The draft meeting after ``meeting``: one that names it as previous, else the next of its kind."""
    following = meeting.following.filter(state=MeetingState.DRAFT).order_by("starts_at", "id").first()
    if following:
        return following
    qs = Meeting.objects.filter(
        dialogue_id=meeting.dialogue_id,
        level=meeting.level,
        working_group_id=meeting.working_group_id,
        state=MeetingState.DRAFT,
    ).exclude(pk=meeting.pk)
    if meeting.starts_at:
        qs = qs.filter(starts_at__gt=meeting.starts_at)
    return qs.order_by("starts_at", "id").first()


def carry_over(*, actor, meeting: Meeting) -> list[AgendaItem]:
    """Copy the meeting's open actions and undecided items into the next draft agenda (or the backlog)."""
    items = list(
        meeting.agenda.prefetch_related("outcomes", "carried_into", "documents", "provisions", "commitments")
    )
    facts = [
        ItemFact(
            id=i.pk,
            kind=i.kind,
            outcomes=[OutcomeFact(o.kind, o.disposition, o.action_done) for o in i.outcomes.all()],
            already_carried=bool(i.carried_into.all()),
        )
        for i in items
    ]
    by_id = {i.pk: i for i in items}
    target = next_meeting(meeting)
    carried = []
    for carry in select_carry_over(facts):
        old = by_id[carry.item_id]
        new = AgendaItem(
            **{name: getattr(old, name) for name in CARRIED_FIELDS},
            section=CARRIED_SECTION,
            carried_over_from=old,
            created_by=acting_user(actor),
        )
        new.save()
        for name in CARRIED_LINKS:
            getattr(new, name).set(getattr(old, name).all())
        record(
            actor=actor,
            action="agenda_item.carry_over",
            obj=new,
            after={"from_item": old.pk, "from_meeting": meeting.pk, "reason": carry.reason.value},
        )
        if target is not None:
            _place(actor, new, target, audit=False)
        carried.append(new)
    return carried


def _place(actor, item: AgendaItem, meeting: Meeting, *, audit: bool = True) -> None:
    last = meeting.agenda.aggregate(m=Max("order"))["m"] or 0
    item.meeting = meeting
    item.order = last + 10
    if item.visibility != meeting.visibility or item.party_id != meeting.party_id:
        item.visibility, item.party_id = meeting.visibility, meeting.party_id
    item.save()
    if audit:
        record(actor=actor, action="agenda_item.schedule", obj=item, after={"meeting": meeting.pk})


# --- participants ---------------------------------------------------------------------------------
def do_add_participant(*, actor, meeting: Meeting, user, party: Party | None = None) -> Participant:
    require(rules.can_manage_meeting(actor, meeting), _("Only the secretariat can invite participants."))
    if not user.memberships.filter(dialogue_id=meeting.dialogue_id, is_active=True).exists():
        raise ValidationError({"user": _("This person is not a member of the dialogue.")})
    if party is None:
        seat = user.memberships.filter(dialogue_id=meeting.dialogue_id, party__isnull=False).first()
        party = seat.party if seat else None
    with transaction.atomic():
        participant, created = Participant.objects.get_or_create(
            meeting=meeting, user=user, defaults={"party": party}
        )
        record(actor=actor, action="participant.add", obj=meeting, after={"user": user.email})
        if created:
            notices.meeting_invitation(meeting, user)
    return participant


def do_invite_working_group(*, actor, meeting: Meeting, working_group: WorkingGroup) -> list[Participant]:
    """Invite every member of ``working_group`` who is not invited yet; returns the new participants.
    Members whose seat in the dialogue has ended are left out (they are no longer members)."""
    require(rules.can_manage_meeting(actor, meeting), _("Only the secretariat can invite participants."))
    if working_group.dialogue_id != meeting.dialogue_id:
        raise ValidationError({"working_group": _("This working group belongs to another dialogue.")})
    if meeting.state in (MeetingState.CLOSED, MeetingState.CANCELLED):
        raise ValidationError(_("A closed or cancelled meeting takes no more participants."))
    invited = set(meeting.participants.values_list("user_id", flat=True))
    members = [
        m
        for m in working_group.members.select_related("user", "party")
        if m.user_id not in invited
        and m.user.memberships.filter(dialogue_id=meeting.dialogue_id, is_active=True).exists()
    ]
    added = []
    with transaction.atomic():
        for m in members:
            party = m.party
            if party is None:
                seat = m.user.memberships.filter(dialogue_id=meeting.dialogue_id, party__isnull=False).first()
                party = seat.party if seat else None
            added.append(Participant.objects.create(meeting=meeting, user=m.user, party=party))
        record(
            actor=actor,
            action="participant.invite_group",
            obj=meeting,
            after={"working_group": working_group.slug, "users": [p.user.email for p in added]},
        )
        for p in added:
            notices.meeting_invitation(meeting, p.user)
    return added


def do_remove_participant(*, actor, participant: Participant) -> None:
    """Take a person off the meeting's list. Once attendance was recorded the list is the record: refused."""
    meeting = participant.meeting
    require(rules.can_manage_meeting(actor, meeting), _("Only the secretariat can remove participants."))
    if participant.attended is not None or meeting.state == MeetingState.CLOSED:
        raise ValidationError(
            _("%(name)s's attendance is on record; a participant who attended or was absent stays listed.")
            % {"name": participant.user}
        )
    with transaction.atomic():
        email = participant.user.email
        participant.delete()
        record(actor=actor, action="participant.remove", obj=meeting, before={"user": email})


def do_set_rsvp(*, actor, participant: Participant, rsvp: str) -> Participant:
    require(actor.is_authenticated and participant.user_id == actor.pk, _("Only the invitee can reply."))
    check_choice(rsvp, Rsvp.values, field="rsvp")
    with transaction.atomic():
        before = participant.rsvp
        participant.rsvp = rsvp
        participant.save(update_fields=["rsvp"])
        record(
            actor=actor,
            action="participant.rsvp",
            obj=participant.meeting,
            before={"rsvp": before},
            after={"rsvp": rsvp, "user": actor.email},
        )
    return participant


def do_record_attendance(*, actor, participant: Participant, attended: bool) -> Participant:
    require(
        rules.can_manage_meeting(actor, participant.meeting), _("Only the secretariat records attendance.")
    )
    with transaction.atomic():
        participant.attended = attended
        participant.save(update_fields=["attended"])
        record(
            actor=actor,
            action="participant.attendance",
            obj=participant.meeting,
            after={"user": participant.user.email, "attended": attended},
        )
    return participant


# --- agenda ---------------------------------------------------------------------------------------
def _check_item_links(actor, dialogue: Dialogue, *, documents, provisions, commitments, links: dict) -> None:
    """Everything an agenda item links to is in its dialogue and visible to whoever adds it; a link field
    (``links``) holds only the objects that field is for."""
    for obj in list(documents) + list(commitments):
        if obj.dialogue_id != dialogue.pk or not rules.can_view(actor, obj):
            raise ValidationError(_("“%(obj)s” cannot be linked here.") % {"obj": obj})
    for prov in provisions:
        if not rules.can_view(actor, prov.version.document):
            raise ValidationError(_("“%(obj)s” cannot be linked here.") % {"obj": prov})
    for field, objs in links.items():
        for obj in objs:
            target = target_of(obj, dialogue.pk)
            if (
                target is None
                or target.field != field
                or target.dialogue_id != dialogue.pk
                or not rules.can_view_linked(actor, obj)
            ):
                raise ValidationError(_("“%(obj)s” cannot be linked here.") % {"obj": obj})


def do_add_agenda_item(
    *,
    actor,
    dialogue: Dialogue,
    title: str,
    meeting: Meeting | None = None,
    kind: str = ItemKind.DISCUSSION,
    section: str = "",
    description: str = "",
    presenter=None,
    presenter_name: str = "",
    duration_minutes: int | None = None,
    documents=(),
    provisions=(),
    commitments=(),
    comparison_url: str = "",
    visibility: str = Visibility.DIALOGUE,
    party: Party | None = None,
    links: dict[str, list] | None = None,
) -> AgendaItem:
    """An item on ``meeting``'s agenda (secretariat), or in the backlog when ``meeting`` is None.
    ``links`` maps a link field (``mappings``, ``gaps``, ``themes``, ``listings``) to the objects it links."""
    if meeting is not None:
        require(rules.can_manage_meeting(actor, meeting), _("Only the secretariat builds the agenda."))
        if meeting.state in (MeetingState.CLOSED, MeetingState.CANCELLED):
            raise ValidationError(_("A closed or cancelled meeting's agenda cannot change."))
        visibility, party = meeting.visibility, meeting.party
        dialogue = meeting.dialogue
    else:
        _visibility(dialogue, visibility, party)
        require(
            rules.can_propose_item(actor, dialogue.pk, visibility, party.pk if party else None),
            _("You may not add items to this backlog."),
        )
    check_choice(kind, ItemKind.values, field="kind")
    if duration_minutes is not None and not (0 < duration_minutes <= 1440):
        raise ValidationError({"duration_minutes": _("Give the duration in minutes, from 1 to 1440.")})
    if comparison_url and not comparison_url.startswith("/"):
        raise ValidationError(
            {"comparison_url": _("Give the comparison's address on this site, starting with /.")}
        )
    links = links or {}
    _check_item_links(
        actor, dialogue, documents=documents, provisions=provisions, commitments=commitments, links=links
    )
    order = (meeting.agenda.aggregate(m=Max("order"))["m"] or 0) + 10 if meeting else 0
    item = AgendaItem(
        dialogue=dialogue,
        meeting=meeting,
        section=clean_text(section, max_length=200, field="section", required=False),
        order=order,
        title=clean_text(title, max_length=300, field="title"),
        description=clean_text(
            description, max_length=20000, field="description", multiline=True, required=False
        ),
        kind=kind,
        presenter=presenter,
        presenter_name=clean_text(presenter_name, max_length=200, field="presenter_name", required=False),
        duration_minutes=duration_minutes,
        comparison_url=comparison_url,
        visibility=visibility,
        party=party,
        created_by=acting_user(actor),
    )
    item.full_clean()
    with transaction.atomic():
        item.save()
        item.documents.set(documents)
        item.provisions.set(provisions)
        item.commitments.set(commitments)
        after = snapshot(item, fields=ITEM_FIELDS)
        for field, objs in links.items():
            getattr(item, field).set(objs)
            after[field] = [obj.pk for obj in objs]
        record(actor=actor, action="agenda_item.create", obj=item, after=after)
    notices.agenda_changed(item)
    return item


def do_send_to_agenda(
    *, actor, obj, meeting: Meeting | None = None, dialogue: Dialogue | None = None
) -> AgendaItem:
    """Send ``obj`` (a commitment, mapping, gap, theme or directory listing) to the agenda: an item linked to
    it on ``meeting``, a coming meeting of its dialogue, or in the backlog when ``meeting`` is None. A theme
    belongs to no dialogue: ``dialogue`` (or the meeting's) says where it goes."""
    dialogue_id = meeting.dialogue_id if meeting else (dialogue.pk if dialogue else None)
    target = target_of(obj, dialogue_id)
    if target is None:
        raise ValidationError(_("Only a commitment, a mapping, a gap, a theme or a listing can be sent."))
    if meeting is not None and meeting.dialogue_id != target.dialogue_id:
        raise ValidationError(_("Choose a meeting of the dialogue this belongs to."))
    if meeting is not None and meeting.state not in (MeetingState.DRAFT, MeetingState.OPEN):
        raise ValidationError(
            _("Choose a coming meeting: this one is “%(state)s”.") % {"state": meeting.get_state_display()}
        )
    require(
        rules.can_send_to_agenda(actor, obj, meeting=meeting, dialogue_id=target.dialogue_id),
        _("You may not send this to the agenda."),
    )
    party = Party.objects.get(pk=target.party_id) if target.party_id else None
    linked = {"commitments": [obj]} if target.field == "commitments" else {"links": {target.field: [obj]}}
    return do_add_agenda_item(
        actor=actor,
        dialogue=meeting.dialogue if meeting else Dialogue.objects.get(pk=target.dialogue_id),
        meeting=meeting,
        title=target.title,
        visibility=target.visibility,
        party=party,
        **linked,
    )


def do_schedule_item(*, actor, item: AgendaItem, meeting: Meeting) -> AgendaItem:
    """Move a backlog item onto a meeting's agenda."""
    require(rules.can_manage_meeting(actor, meeting), _("Only the secretariat builds the agenda."))
    if item.meeting_id is not None or item.dialogue_id != meeting.dialogue_id:
        raise ValidationError(_("Only an item of this dialogue's backlog can be scheduled."))
    if meeting.state in (MeetingState.CLOSED, MeetingState.CANCELLED):
        raise ValidationError(_("A closed or cancelled meeting's agenda cannot change."))
    with transaction.atomic():
        _place(actor, item, meeting)
    return item


# --- outcomes and positions -----------------------------------------------------------------------------
def do_record_outcome(
    *,
    actor,
    item: AgendaItem,
    kind: str,
    disposition: str,
    text: str,
    text_ms: str = "",
    referred_to: WorkingGroup | None = None,
    review_date: dt.date | None = None,
    action_owner=None,
    action_due: dt.date | None = None,
) -> Outcome:
    if item.meeting is None:
        raise ValidationError(_("Outcomes are recorded on a meeting's agenda items, not in the backlog."))
    require(rules.can_manage_meeting(actor, item.meeting), _("Only the secretariat records outcomes."))
    if item.meeting.state not in (MeetingState.IN_PROGRESS, MeetingState.OPEN, MeetingState.CLOSED):
        raise ValidationError(_("Outcomes are recorded once the meeting is open."))
    check_choice(kind, OutcomeKind.values, field="kind")
    check_choice(disposition, Disposition.values, field="disposition")
    if disposition == Disposition.REFERRED and referred_to is None:
        raise ValidationError({"referred_to": _("Name the working group it is referred to.")})
    if referred_to is not None and referred_to.dialogue_id != item.dialogue_id:
        raise ValidationError({"referred_to": _("This working group belongs to another dialogue.")})
    outcome = Outcome(
        agenda_item=item,
        kind=kind,
        disposition=disposition,
        text=clean_text(text, max_length=20000, field="text", multiline=True),
        text_ms=clean_text(text_ms, max_length=20000, field="text_ms", multiline=True, required=False),
        referred_to=referred_to,
        review_date=review_date,
        action_owner=action_owner if kind == OutcomeKind.ACTION else None,
        action_due=action_due if kind == OutcomeKind.ACTION else None,
        created_by=actor,
    )
    outcome.full_clean()
    return save_audited(
        outcome,
        actor=actor,
        action="outcome.create",
        fields=["kind", "disposition", "text", "review_date", "action_due"],
        dialogue_id=item.dialogue_id,
    )


def do_complete_action(*, actor, outcome: Outcome, done: bool = True) -> Outcome:
    item = outcome.agenda_item
    allowed = (item.meeting and rules.can_manage_meeting(actor, item.meeting)) or (
        outcome.action_owner_id == getattr(actor, "pk", None) and rules.can_view(actor, item)
    )
    require(bool(allowed), _("Only the secretariat or the action's owner can close it."))
    if outcome.kind != OutcomeKind.ACTION:
        raise ValidationError(_("Only an action can be marked done."))
    outcome.action_done = done
    return save_audited(
        outcome,
        actor=actor,
        action="outcome.action_done",
        update_fields=["action_done"],
        after={"action_done": done},
        dialogue_id=item.dialogue_id,
    )


def do_state_position(
    *, actor, outcome: Outcome, party: Party, stance: str, statement: str = ""
) -> PartyPosition:
    require(rules.can_state_position(actor, outcome, party.pk), _("You may not state this party's position."))
    check_choice(stance, Stance.values, field="stance")
    dialogue = outcome.agenda_item.dialogue
    if not dialogue.parties.filter(pk=party.pk).exists():
        raise ValidationError({"party": _("This party does not take part in this dialogue.")})
    statement = clean_text(statement, max_length=5000, field="statement", multiline=True, required=False)
    return upsert_audited(
        PartyPosition,
        {"outcome": outcome, "party": party},
        {"stance": stance, "statement": statement},
        actor=actor,
        action="outcome.position",
        subject=outcome,
        dialogue_id=dialogue.pk,
        party_code=party.code,
        after={"party": party.code, "stance": stance},
    )
