"""The inbox over the API: one's own notices (never another's), the unread count, marking read."""

import datetime as dt

from django.shortcuts import get_object_or_404
from ninja import Query, Router, Schema
from ninja.pagination import paginate

from concord.api.auth import AUTH
from concord.api.common import filter_by
from concord.api.errors import ERRORS
from concord.api.pagination import Page
from concord.api.types import Id

from . import actions
from .kinds import Kind
from .models import Notice

router = Router(tags=["notices"])


class NoticeOut(Schema):
    id: int
    kind: Kind
    text: str
    url: str
    created_at: dt.datetime
    read_at: dt.datetime | None

    @staticmethod
    def resolve_text(obj):
        return obj.text()


class NoticeFilters(Schema):
    kind: Kind | None = None
    unread: bool = False


class UnreadOut(Schema):
    unread: int


class MarkedOut(Schema):
    marked: int


@router.get("/notices", response={200: list[NoticeOut], **ERRORS}, auth=AUTH)
@paginate(Page)
def list_notices(request, filters: Query[NoticeFilters]):
    qs = filter_by(Notice.objects.for_user(request.user), filters, kind="kind")
    if filters.unread:
        qs = qs.unread()
    return qs


@router.get("/notices/unread", response={200: UnreadOut, **ERRORS}, auth=AUTH)
def unread_count(request):
    return {"unread": Notice.objects.for_user(request.user).unread().count()}


@router.post("/notices/read-all", response={200: MarkedOut, **ERRORS}, auth=AUTH)
def mark_all_read(request):
    return {"marked": actions.do_mark_all_read(actor=request.user)}


@router.post("/notices/{notice_id}/read", response={200: NoticeOut, **ERRORS}, auth=AUTH)
def mark_read(request, notice_id: Id):
    notice = get_object_or_404(Notice.objects.for_user(request.user), pk=notice_id)
    return actions.do_mark_read(actor=request.user, notice=notice)
