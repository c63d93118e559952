"""The secretariat's API for the weekly edits: cancel a meeting, invite a working group, remove a participant,
manage working-group members, edit, move and delete agenda items. The same actions as the web pages, so the
same rules and the same audit."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from ninja import Router, Schema
from ninja.responses import Status
from pydantic import Field

from concord.api.auth import AUTH
from concord.api.common import OfMember
from concord.api.errors import ERRORS
from concord.api.lookups import party_in
from concord.api.types import Id
from concord.commitments.models import Commitment
from concord.core import rules as core_rules
from concord.core.shortcuts import first_or_404
from concord.library.models import PolicyDocument

from . import actions, rules
from .agenda import actions as agenda_actions
from .api import _item, _meeting, _member_by_email
from .api_schemas import ID, AgendaItemOut, MeetingOut, ParticipantOut, safe_pk
from .lookups import visible_group
from .models import ItemKind, Participant, Position, WorkingGroup, WorkingGroupMember

router = Router(tags=["secretariat: edits"])


class MeetingCancelIn(Schema):
    reason: str = Field(..., min_length=1, max_length=2000)


@router.post("/secretariat/meetings/{meeting_id}/cancel", response={200: MeetingOut, **ERRORS}, auth=AUTH)
def cancel_meeting(request, meeting_id: Id, payload: MeetingCancelIn):
    """Cancel the meeting, saying why; it stays listed, and its calendar entry becomes CANCELLED."""
    meeting = _meeting(request, meeting_id)
    return actions.do_cancel_meeting(actor=request.user, meeting=meeting, reason=payload.reason)


class InviteGroupIn(Schema):
    working_group: int = Field(..., **ID)


@router.post(
    "/secretariat/meetings/{meeting_id}/invite-group",
    response={201: list[ParticipantOut], **ERRORS},
    auth=AUTH,
)
def invite_group(request, meeting_id: Id, payload: InviteGroupIn):
    """Invite every member of a working group not invited yet; returns those newly invited."""
    meeting = _meeting(request, meeting_id)
    group = WorkingGroup.objects.filter(pk=payload.working_group, dialogue_id=meeting.dialogue_id).first()
    if group is None or not rules.can_view(request.user, group):
        raise ValidationError({"working_group": _("No such working group in this dialogue.")})
    added = actions.do_invite_working_group(actor=request.user, meeting=meeting, working_group=group)
    return Status(201, added)


@router.delete("/secretariat/participants/{participant_id}", response={204: None, **ERRORS}, auth=AUTH)
def remove_participant(request, participant_id: Id):
    participant = first_or_404(
        Participant.objects.select_related("meeting", "user"),
        _("No such participant, or you do not have access to the meeting."),
        visible=lambda participant: rules.can_view(request.user, participant.meeting),
        pk=safe_pk(participant_id),
    )
    actions.do_remove_participant(actor=request.user, participant=participant)
    return Status(204, None)


class WorkingGroupMemberIn(Schema):
    email: str = Field(..., min_length=3, max_length=254)
    position: Position = Position.MEMBER
    party: str | None = Field(None, min_length=1, max_length=10, description="the party's code, e.g. MY")


class WorkingGroupMemberOut(OfMember):
    id: int
    user: str
    email: str
    position: Position
    party: str | None


def _group(request, group_id: int) -> WorkingGroup:
    return visible_group(request.user, safe_pk(group_id))


@router.get(
    "/secretariat/working-groups/{group_id}/members", response={200: list[WorkingGroupMemberOut], **ERRORS}
)
def list_members(request, group_id: Id):
    return _group(request, group_id).members.select_related("user", "party")


@router.post(
    "/secretariat/working-groups/{group_id}/members",
    response={200: WorkingGroupMemberOut, **ERRORS},
    auth=AUTH,
)
def add_member(request, group_id: Id, payload: WorkingGroupMemberIn):
    """Add a member, or change the position of one already there."""
    group = _group(request, group_id)
    user = _member_by_email(group.dialogue_id, payload.email, "email")
    party = party_in(group.dialogue, payload.party)
    return actions.do_add_working_group_member(
        actor=request.user, working_group=group, user=user, position=payload.position, party=party
    )


@router.delete("/secretariat/working-group-members/{member_id}", response={204: None, **ERRORS}, auth=AUTH)
def remove_member(request, member_id: Id):
    member = first_or_404(
        WorkingGroupMember.objects.select_related("user"),
        _("No such working-group member."),
        pk=safe_pk(member_id),
    )
    _group(request, member.working_group_id)
    actions.do_remove_working_group_member(actor=request.user, member=member)
    return Status(204, None)


class AgendaItemPatch(Schema):
    title: str | None = Field(None, min_length=1, max_length=300)
    kind: ItemKind | None = None
    section: str | None = Field(None, max_length=200)
    description: str | None = Field(None, max_length=20000)
    presenter_name: str | None = Field(None, max_length=200)
    duration_minutes: int | None = Field(None, ge=1, le=1440)
    documents: list[Id] | None = Field(None, max_length=50)
    commitments: list[Id] | None = Field(None, max_length=50)


@router.patch("/secretariat/agenda-items/{item_id}", response={200: AgendaItemOut, **ERRORS}, auth=AUTH)
def update_item(request, item_id: Id, payload: AgendaItemPatch):
    item = _item(request, item_id)
    data = payload.dict(exclude_unset=True)
    if "title" in data and data["title"] is None:
        raise ValidationError({"title": _("An agenda item needs a title.")})
    if "kind" in data and data["kind"] is None:
        raise ValidationError({"kind": _("Choose the kind of item.")})
    if data.get("documents") is not None:
        ids = set(data["documents"])
        docs = core_rules.visible(
            request.user, PolicyDocument.objects.filter(dialogue=item.dialogue, pk__in=ids)
        )
        data["documents"] = list(docs)
        if len(data["documents"]) != len(ids):
            raise ValidationError({"documents": _("Some linked documents do not exist in this dialogue.")})
    if data.get("commitments") is not None:
        ids = set(data["commitments"])
        found = Commitment.objects.filter(dialogue=item.dialogue, pk__in=ids).visible_to(request.user)
        data["commitments"] = list(found)
        if len(data["commitments"]) != len(ids):
            raise ValidationError(
                {"commitments": _("Some linked commitments do not exist in this dialogue.")}
            )
    return agenda_actions.do_update_agenda_item(actor=request.user, item=item, **data)


class AgendaMoveIn(Schema):
    direction: str = Field(..., pattern=r"^(up|down)$", description="up or down")


@router.post("/secretariat/agenda-items/{item_id}/move", response={200: AgendaItemOut, **ERRORS}, auth=AUTH)
def move_item(request, item_id: Id, payload: AgendaMoveIn):
    """Swap the item with its neighbour above or below."""
    item = _item(request, item_id)
    return agenda_actions.do_move_agenda_item(actor=request.user, item=item, direction=payload.direction)


@router.delete("/secretariat/agenda-items/{item_id}", response={204: None, **ERRORS}, auth=AUTH)
def delete_item(request, item_id: Id):
    agenda_actions.do_delete_agenda_item(actor=request.user, item=_item(request, item_id))
    return Status(204, None)
