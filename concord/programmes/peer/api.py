"""The API of peer-learning requests (tag ``programmes``, mounted by ``programmes/api.py``): list and read
the requests the caller may see, ask, answer citing programmes and documents, close and reopen. Writes go
through the actions, whose refusals name the problem."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db.models import Prefetch, Q
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate
from ninja.responses import Status

from concord.api.auth import AUTH
from concord.api.common import InDialogue, arguments, filter_by, public_read
from concord.api.errors import ERRORS
from concord.api.lookups import dialogue_or_404, party_or_404, theme_named
from concord.api.pagination import Page
from concord.api.types import Id
from concord.library import rules as library_rules
from concord.library.models import PolicyDocument

from ..models import PeerAnswer, PeerRequest, Programme, RequestState
from . import actions

router = Router(tags=["programmes"])

CODE = {"min_length": 2, "max_length": 2, "pattern": r"^[A-Za-z]{2}$"}


class PeerAnswerOut(InDialogue):
    id: int
    party: str | None
    author: int | None
    text: str
    programmes: list[int]
    documents: list[int]
    created_at: dt.datetime

    @staticmethod
    def resolve_author(obj):
        return obj.author_id

    @staticmethod
    def resolve_programmes(obj):
        return sorted(p.pk for p in obj.programmes.all())

    @staticmethod
    def resolve_documents(obj):
        return sorted(d.pk for d in obj.documents.all())


class PeerRequestOut(InDialogue):
    id: int
    dialogue: str
    visibility: str
    party: str
    asked_party: str
    title: str
    question: str
    programme: int | None
    theme: str | None
    state: RequestState
    created_at: dt.datetime
    closed_at: dt.datetime | None
    answers: list[PeerAnswerOut]

    @staticmethod
    def resolve_asked_party(obj):
        return obj.asked_party.code

    @staticmethod
    def resolve_programme(obj):
        return obj.programme_id if getattr(obj, "programme_visible", True) else None

    @staticmethod
    def resolve_theme(obj):
        return obj.theme.slug if obj.theme_id else None

    @staticmethod
    def resolve_answers(obj):
        return list(obj.answers.all())


class PeerRequestIn(Schema):
    dialogue: str = Field(..., min_length=1, max_length=80)
    party: str = Field(..., **CODE)
    asked_party: str = Field(..., **CODE)
    title: str = Field(..., min_length=1, max_length=300)
    question: str = Field(..., min_length=1, max_length=8000)
    programme: Id | None = None
    theme: str | None = Field(None, max_length=80)
    visibility: str = Field("dialogue", pattern=r"^(dialogue|public)$")


class PeerAnswerIn(Schema):
    text: str = Field(..., min_length=1, max_length=10000)
    programmes: list[Id] = Field(default_factory=list, max_length=20)
    documents: list[Id] = Field(default_factory=list, max_length=20)


class PeerRequestFilters(Schema):
    state: RequestState | None = None
    party: str | None = Field(None, max_length=2)


def _requests(request):
    user = request.user
    return (
        PeerRequest.objects.visible_to(user)
        .select_related("dialogue", "party", "asked_party", "theme")
        .prefetch_related(
            Prefetch(
                "answers",
                PeerAnswer.objects.select_related("party").prefetch_related(
                    Prefetch("programmes", Programme.objects.visible_to(user).only("id")),
                    Prefetch(
                        "documents", PolicyDocument.objects.filter(library_rules.visible_q(user)).only("id")
                    ),
                ),
            )
        )
    )


def _request(request, request_id: int) -> PeerRequest:
    found = _requests(request).filter(pk=request_id).first()
    if found is None:
        raise Http404(_("No such request, or you do not have access to it."))
    found.programme_visible = bool(  # type: ignore[attr-defined]
        found.programme_id
        and Programme.objects.visible_to(request.user).filter(pk=found.programme_id).exists()
    )
    return found


def _found(model, ids: list[int], field: str, message: str) -> list:
    """The rows with ``ids``; a missing one is refused like an unseen one (the action checks those)."""
    rows = {row.pk: row for row in model.objects.filter(pk__in=ids)}
    missing = [i for i in ids if i not in rows]
    if missing:
        raise ValidationError({field: message % {"id": missing[0]}})
    return [rows[i] for i in ids]


@public_read(router, "/peer-requests", list[PeerRequestOut])
@paginate(Page)
def list_peer_requests(request, filters: Query[PeerRequestFilters]):
    qs = filter_by(_requests(request), filters, state="state")
    if filters.party:
        code = filters.party.upper()
        qs = qs.filter(Q(party__code=code) | Q(asked_party__code=code))
    visible = set(Programme.objects.visible_to(request.user).values_list("pk", flat=True))
    out = list(qs)
    for item in out:
        item.programme_visible = item.programme_id in visible  # type: ignore[attr-defined]
    return out


@public_read(router, "/peer-requests/{request_id}", PeerRequestOut)
def get_peer_request(request, request_id: Id):
    return _request(request, request_id)


@router.post("/peer-requests", response={201: PeerRequestOut, **ERRORS}, auth=AUTH)
def ask_peer_question(request, payload: PeerRequestIn):
    dialogue = dialogue_or_404(payload.dialogue)
    programme = None
    if payload.programme is not None:
        programme = _found(Programme, [payload.programme], "programme", _("No programme with id %(id)s."))[0]
    theme = theme_named(payload.theme) if payload.theme else None
    asked = actions.do_ask_question(
        actor=request.user,
        dialogue=dialogue,
        party=party_or_404(payload.party),
        asked_party=party_or_404(payload.asked_party),
        programme=programme,
        theme=theme,
        **arguments(payload, "title", "question", "visibility"),
    )
    return Status(201, _request(request, asked.pk))


@router.post("/peer-requests/{request_id}/answers", response={201: PeerRequestOut, **ERRORS}, auth=AUTH)
def answer_peer_request(request, request_id: Id, payload: PeerAnswerIn):
    peer = _request(request, request_id)
    actions.do_answer_request(
        actor=request.user,
        request=peer,
        text=payload.text,
        programmes=_found(Programme, payload.programmes, "programmes", _("No programme with id %(id)s.")),
        documents=_found(PolicyDocument, payload.documents, "documents", _("No document with id %(id)s.")),
    )
    return Status(201, _request(request, request_id))


@router.post("/peer-requests/{request_id}/close", response={200: PeerRequestOut, **ERRORS}, auth=AUTH)
def close_peer_request(request, request_id: Id):
    actions.do_close_request(actor=request.user, request=_request(request, request_id))
    return _request(request, request_id)


@router.post("/peer-requests/{request_id}/reopen", response={200: PeerRequestOut, **ERRORS}, auth=AUTH)
def reopen_peer_request(request, request_id: Id):
    actions.do_reopen_request(actor=request.user, request=_request(request, request_id))
    return _request(request, request_id)
