"""The secretariat's JSON API: working groups, meetings, agendas, outcomes and positions here; minutes and
amendments in ``concord/minutes/api.py``, commitments in ``concord/commitments/api.py``."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema
from ninja.pagination import paginate
from ninja.responses import Status
from pydantic import Field

from concord.accounts.models import Dialogue, User
from concord.api.auth import AUTH
from concord.api.common import arguments, changes, filter_by, public_read
from concord.api.errors import ERRORS
from concord.api.lookups import dialogue_or_404, party_in
from concord.api.pagination import Page
from concord.api.types import Id
from concord.commitments.models import Commitment
from concord.core import rules as core_rules
from concord.library.models import PolicyDocument

from . import actions, rules
from .api_schemas import (
    AgendaItemIn,
    AgendaItemOut,
    MeetingDetailOut,
    MeetingIn,
    MeetingOut,
    MeetingPatch,
    OutcomeIn,
    OutcomeOut,
    ParticipantIn,
    ParticipantOut,
    PositionIn,
    RsvpIn,
    TransitionIn,
    WorkingGroupOut,
    parse_date,
    parse_datetime,
    safe_pk,
)
from .lookups import visible_item, visible_meeting, visible_outcome
from .models import (
    AgendaItem,
    Meeting,
    MeetingLevel,
    MeetingState,
    Outcome,
    Participant,
    WorkingGroup,
)

router = Router(tags=["secretariat"])


def _meeting(request, meeting_id: Id) -> Meeting:
    return visible_meeting(request.user, safe_pk(meeting_id))


def _item(request, item_id: Id) -> AgendaItem:
    return visible_item(request.user, safe_pk(item_id))


def _outcome(request, outcome_id: Id) -> Outcome:
    return visible_outcome(request.user, safe_pk(outcome_id))


def _member(dialogue: Dialogue, email: str | None) -> User | None:
    return _member_by_email(
        dialogue.pk, email, "email", refusal=f"“{email}” is not a member of this dialogue."
    )


def _in_dialogue(model, dialogue: Dialogue, pk: int | None, field: str):
    if pk is None:
        return None
    obj = model.objects.filter(pk=pk, dialogue=dialogue).first()
    if obj is None:
        raise ValidationError({field: f"No {field.replace('_', ' ')} {pk} in this dialogue."})
    return obj


class WorkingGroupFilters(Schema):
    dialogue: str | None = Field(None, max_length=50)


class MeetingFilters(Schema):
    dialogue: str | None = Field(None, max_length=50)
    state: MeetingState | None = None
    level: MeetingLevel | None = None


@public_read(router, "/secretariat/working-groups", list[WorkingGroupOut])
@paginate(Page)
def list_working_groups(request, filters: Query[WorkingGroupFilters]):
    qs = WorkingGroup.objects.select_related("dialogue").visible_to(request.user)
    return filter_by(qs, filters, dialogue="dialogue__slug")


@public_read(router, "/secretariat/meetings", list[MeetingOut])
@paginate(Page)
def list_meetings(request, filters: Query[MeetingFilters]):
    qs = Meeting.objects.select_related("dialogue").visible_to(request.user)
    return filter_by(qs, filters, dialogue="dialogue__slug", state="state", level="level")


def _detail(meeting: Meeting) -> Meeting:
    meeting.agenda_list = list(
        meeting.agenda.prefetch_related(
            "documents",
            "commitments",
            Prefetch("outcomes", queryset=Outcome.objects.prefetch_related("positions__party")),
        )
    )
    meeting.participant_list = list(meeting.participants.select_related("user", "party"))
    return meeting


class _DetailOut(MeetingDetailOut):
    @staticmethod
    def resolve_agenda(obj):
        return obj.agenda_list

    @staticmethod
    def resolve_participants(obj):
        return obj.participant_list


@public_read(router, "/secretariat/meetings/{meeting_id}", _DetailOut)
def get_meeting(request, meeting_id: Id):
    return _detail(_meeting(request, meeting_id))


@router.post("/secretariat/meetings", response={201: MeetingOut, **ERRORS}, auth=AUTH)
def create_meeting(request, payload: MeetingIn):
    dialogue = dialogue_or_404(payload.dialogue)
    meeting = actions.do_create_meeting(
        actor=request.user,
        dialogue=dialogue,
        starts_at=parse_datetime(payload.starts_at),
        ends_at=parse_datetime(payload.ends_at),
        working_group=_in_dialogue(WorkingGroup, dialogue, payload.working_group, "working_group"),
        previous=_in_dialogue(Meeting, dialogue, payload.previous, "previous"),
        **arguments(
            payload, "title", "title_ms", "level", "mode", "venue", "time_zone", "visibility", "description"
        ),
    )
    return Status(201, meeting)


@router.patch("/secretariat/meetings/{meeting_id}", response={200: MeetingOut, **ERRORS}, auth=AUTH)
def update_meeting(request, meeting_id: Id, payload: MeetingPatch):
    meeting = _meeting(request, meeting_id)
    data = changes(payload)
    for key in ("starts_at", "ends_at"):
        if key in data:
            data[key] = parse_datetime(data[key])
    return actions.do_update_meeting(actor=request.user, meeting=meeting, **data)


@router.post("/secretariat/meetings/{meeting_id}/transition", response={200: MeetingOut, **ERRORS}, auth=AUTH)
def transition_meeting(request, meeting_id: Id, payload: TransitionIn):
    meeting = _meeting(request, meeting_id)
    return actions.do_transition_meeting(actor=request.user, meeting=meeting, to=payload.to)


@router.post(
    "/secretariat/meetings/{meeting_id}/participants", response={201: ParticipantOut, **ERRORS}, auth=AUTH
)
def add_participant(request, meeting_id: Id, payload: ParticipantIn):
    meeting = _meeting(request, meeting_id)
    if not rules.can_manage_meeting(request.user, meeting):
        raise PermissionDenied("Only the secretariat can invite participants.")
    user = _member(meeting.dialogue, payload.email)
    return Status(201, actions.do_add_participant(actor=request.user, meeting=meeting, user=user))


@router.post("/secretariat/meetings/{meeting_id}/rsvp", response={200: ParticipantOut, **ERRORS}, auth=AUTH)
def reply(request, meeting_id: Id, payload: RsvpIn):
    meeting = _meeting(request, meeting_id)
    participant = (
        Participant.objects.filter(meeting=meeting, user=request.user).select_related("user").first()
    )
    if participant is None:
        raise Http404(_("You are not invited to this meeting."))
    return actions.do_set_rsvp(actor=request.user, participant=participant, rsvp=payload.rsvp)


def _item_fields(payload: AgendaItemIn) -> dict:
    """What an agenda item says, as the payload gives it (what it links to is looked up apart)."""
    return arguments(payload, "title", "kind", "section", "description", "presenter_name", "duration_minutes")


@router.post("/secretariat/meetings/{meeting_id}/agenda", response={201: AgendaItemOut, **ERRORS}, auth=AUTH)
def add_agenda_item(request, meeting_id: Id, payload: AgendaItemIn):
    meeting = _meeting(request, meeting_id)
    dialogue = meeting.dialogue
    documents = list(
        core_rules.visible(
            request.user, PolicyDocument.objects.filter(dialogue=dialogue, pk__in=payload.documents)
        )
    )
    commitments = list(
        Commitment.objects.filter(dialogue=dialogue, pk__in=payload.commitments).visible_to(request.user)
    )
    if len(documents) != len(set(payload.documents)) or len(commitments) != len(set(payload.commitments)):
        raise ValidationError("Some linked documents or commitments do not exist in this dialogue.")
    item = actions.do_add_agenda_item(
        actor=request.user,
        dialogue=dialogue,
        meeting=meeting,
        documents=documents,
        commitments=commitments,
        **_item_fields(payload),
    )
    return Status(201, item)


@router.post("/secretariat/agenda-items/{item_id}/outcomes", response={201: OutcomeOut, **ERRORS}, auth=AUTH)
def record_outcome(request, item_id: Id, payload: OutcomeIn):
    item = _item(request, item_id)
    outcome = actions.do_record_outcome(
        actor=request.user,
        item=item,
        **arguments(payload, "kind", "disposition", "text", "text_ms"),
        referred_to=_in_dialogue(WorkingGroup, item.dialogue, payload.referred_to, "referred_to"),
        review_date=parse_date(payload.review_date),
        action_owner=_member(item.dialogue, payload.action_owner),
        action_due=parse_date(payload.action_due),
    )
    return Status(201, outcome)


@router.post("/secretariat/outcomes/{outcome_id}/positions", response={200: OutcomeOut, **ERRORS}, auth=AUTH)
def state_position(request, outcome_id: Id, payload: PositionIn):
    outcome = _outcome(request, outcome_id)
    party = party_in(outcome.agenda_item.dialogue, payload.party)
    actions.do_state_position(
        actor=request.user, outcome=outcome, party=party, stance=payload.stance, statement=payload.statement
    )
    return outcome


class WorkingGroupIn(Schema):
    dialogue: str = Field(..., min_length=1, max_length=50)
    slug: str = Field(..., min_length=1, max_length=80, pattern=r"^[-a-z0-9]+$")
    name: str = Field(..., min_length=1, max_length=200)
    name_ms: str = Field("", max_length=200)
    terms_of_reference: str = Field("", max_length=20000)


@router.post("/secretariat/working-groups", response={201: WorkingGroupOut, **ERRORS}, auth=AUTH)
def create_working_group(request, payload: WorkingGroupIn):
    dialogue = dialogue_or_404(payload.dialogue)
    if WorkingGroup.objects.filter(dialogue=dialogue, slug=payload.slug).exists():
        raise ValidationError({"slug": f"A working group “{payload.slug}” exists already."})
    group = actions.do_create_working_group(
        actor=request.user,
        dialogue=dialogue,
        **arguments(payload, "slug", "name", "name_ms", "terms_of_reference"),
    )
    return Status(201, group)


class BacklogIn(AgendaItemIn):
    dialogue: str = Field(..., min_length=1, max_length=50)


@router.post("/secretariat/backlog", response={201: AgendaItemOut, **ERRORS}, auth=AUTH)
def add_backlog_item(request, payload: BacklogIn):
    """An item waiting for a meeting; the secretariat schedules it with ``/meetings/{id}/schedule``."""
    dialogue = dialogue_or_404(payload.dialogue)
    item = actions.do_add_agenda_item(actor=request.user, dialogue=dialogue, **_item_fields(payload))
    return Status(201, item)


class ScheduleIn(Schema):
    item: int = Field(..., ge=1, le=2**53 - 1)


@router.post(
    "/secretariat/meetings/{meeting_id}/schedule", response={200: AgendaItemOut, **ERRORS}, auth=AUTH
)
def schedule_item(request, meeting_id: Id, payload: ScheduleIn):
    meeting = _meeting(request, meeting_id)
    item = _item(request, payload.item)
    return actions.do_schedule_item(actor=request.user, item=item, meeting=meeting)


class AttendanceIn(Schema):
    email: str = Field(..., min_length=3, max_length=254)
    attended: bool = Field(..., strict=True)


@router.post(
    "/secretariat/meetings/{meeting_id}/attendance", response={200: ParticipantOut, **ERRORS}, auth=AUTH
)
def record_attendance(request, meeting_id: Id, payload: AttendanceIn):
    meeting = _meeting(request, meeting_id)
    participant = (
        Participant.objects.filter(meeting=meeting, user__email=payload.email.lower())
        .select_related("user")
        .first()
    )
    if participant is None:
        raise ValidationError({"email": f"“{payload.email}” is not invited to this meeting."})
    return actions.do_record_attendance(
        actor=request.user, participant=participant, attended=payload.attended
    )


class DoneIn(Schema):
    done: bool = Field(True, strict=True)


@router.post("/secretariat/outcomes/{outcome_id}/done", response={200: OutcomeOut, **ERRORS}, auth=AUTH)
def complete_action(request, outcome_id: Id, payload: DoneIn):
    outcome = _outcome(request, outcome_id)
    return actions.do_complete_action(actor=request.user, outcome=outcome, done=payload.done)


def _member_by_email(
    dialogue_id: int, email: str | None, field: str, *, refusal: str | None = None
) -> User | None:
    """The dialogue's member with this e-mail (None for an empty one); a 400 naming ``field`` otherwise,
    saying ``refusal`` (by default, that no member has the e-mail)."""
    if not email:
        return None
    user = User.objects.filter(
        email=email.lower(), memberships__dialogue_id=dialogue_id, memberships__is_active=True
    ).first()
    if user is None:
        raise ValidationError(
            {field: refusal or _("No member of the dialogue has the e-mail “%(email)s”.") % {"email": email}}
        )
    return user


def _register() -> None:
    from . import api_edit

    router.add_router("", api_edit.router)


_register()
