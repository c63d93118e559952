"""Notes (briefings, announcements, positions), job progress and retry, and the health of the task queue."""

from datetime import datetime
from uuid import UUID

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate
from ninja.responses import Status

from concord.api.auth import AUTH
from concord.api.common import Code, InDialogue, arguments, changes, containing, filter_by, public_read
from concord.api.errors import ERRORS
from concord.api.lookups import dialogue_or_404, party_in
from concord.api.pagination import Page
from concord.api.types import Id
from concord.core import actions, leases, rules
from concord.core.lookups import note_or_404
from concord.core.models import Job, Note, NoteKind, Visibility

router = Router(tags=["notes and jobs"])


class NoteOut(InDialogue):
    id: int
    dialogue: str
    kind: NoteKind
    title: str
    body: str
    visibility: Visibility
    party: str | None
    created_by: str | None
    created_at: datetime
    updated_at: datetime

    @staticmethod
    def resolve_created_by(obj):
        return obj.created_by.full_name if obj.created_by_id else None


class NoteIn(Schema):
    dialogue: str = Field(..., min_length=1, max_length=50)
    kind: NoteKind = NoteKind.BRIEFING
    title: str = Field(..., min_length=1, max_length=200)
    body: str = Field(..., min_length=1, max_length=20000)
    visibility: Visibility = Visibility.DIALOGUE
    party: str | None = Field(None, min_length=2, max_length=2, pattern=r"^[A-Za-z]{2}$")


class NotePatch(Schema):
    kind: NoteKind | None = None
    title: str | None = Field(None, min_length=1, max_length=200)
    body: str | None = Field(None, min_length=1, max_length=20000)
    visibility: Visibility | None = None
    party: str | None = Field(None, min_length=2, max_length=2, pattern=r"^[A-Za-z]{2}$")


class NoteFilters(Schema):
    dialogue: str | None = Field(None, max_length=50)
    party: str | None = Field(None, max_length=2)
    kind: NoteKind | None = None
    q: str | None = Field(None, max_length=200)


class JobOut(Schema):
    id: UUID
    kind: str
    label: str
    status: str
    done: int
    total: int
    percent: int
    message: str
    error: str
    result: dict | list | None
    result_url: str
    attempts: int
    can_be_retried: bool
    created_at: datetime
    finished_at: datetime | None


class QueueWorkerOut(Schema):
    worker_id: str
    hostname: str
    pid: int
    started_at: datetime
    last_seen: datetime
    tasks_run: int


class QueueHealthOut(Schema):
    queued: int
    running: int
    failed_last_day: int
    oldest_queued_at: datetime | None
    oldest_queued_seconds: int | None
    lease_seconds: int
    stalled: bool = Field(..., description="Work is queued and no worker has reported within a lease.")
    workers: list[QueueWorkerOut] = Field(..., description="Workers whose last heartbeat is within a lease.")


@public_read(router, "/notes", list[NoteOut])
@paginate(Page)
def list_notes(request, filters: Query[NoteFilters]):
    qs = rules.visible(request.user, Note.objects.select_related("dialogue", "party", "created_by"))
    qs = filter_by(qs, filters, dialogue="dialogue__slug", party=Code("party__code"), kind="kind")
    return containing(qs, filters.q, "title", "body")


@public_read(router, "/notes/{note_id}", NoteOut)
def get_note(request, note_id: Id):
    return note_or_404(request.user, note_id)


@router.post("/notes", response={201: NoteOut, **ERRORS}, auth=AUTH)
def create_note(request, payload: NoteIn):
    dialogue = dialogue_or_404(payload.dialogue)
    note = actions.do_create_note(
        actor=request.user,
        dialogue=dialogue,
        party=party_in(dialogue, payload.party),
        **arguments(payload, "title", "body", "kind", "visibility"),
    )
    return Status(201, note)


@router.patch("/notes/{note_id}", response={200: NoteOut, **ERRORS}, auth=AUTH)
def update_note(request, note_id: Id, payload: NotePatch):
    note = note_or_404(request.user, note_id)
    data = changes(payload, keep_none=("party",))
    if "party" in data:
        data["party"] = party_in(note.dialogue, data["party"])
    return actions.do_update_note(actor=request.user, note=note, **data)


@router.delete("/notes/{note_id}", response={204: None, **ERRORS}, auth=AUTH)
def delete_note(request, note_id: Id):
    note = note_or_404(request.user, note_id)
    actions.do_delete_note(actor=request.user, note=note)
    return Status(204, None)


@router.get("/jobs/{job_id}", response={200: JobOut, **ERRORS}, auth=AUTH)
def get_job(request, job_id: UUID):
    return get_object_or_404(Job, pk=job_id, owner=request.user)


@router.post("/jobs/{job_id}/retry", response={200: JobOut, **ERRORS}, auth=AUTH)
def retry_job(request, job_id: UUID):
    """Queue a failed job again. Its owner and the secretariat may; 400 if the job has not failed."""
    job = Job.objects.filter(pk=job_id).first()
    if job is None or not rules.can_retry_job(request.user, job):
        raise Http404(_("No such job, or you may not retry it."))
    return actions.do_retry_job(actor=request.user, job=job)


@router.get("/status/queue", response={200: QueueHealthOut, **ERRORS}, auth=AUTH, tags=["status"])
def queue_status(request):
    """Background work: queued, running, failed in the last day, the oldest queued, the workers alive."""
    if not rules.can_view_queue_health(request.user):
        raise PermissionDenied(_("Only the secretariat and administrators may see background work."))
    health = leases.queue_health()
    return {
        "queued": health.queued,
        "running": health.running,
        "failed_last_day": health.failed_last_day,
        "oldest_queued_at": health.oldest_queued_at,
        "oldest_queued_seconds": health.oldest_queued_seconds,
        "lease_seconds": health.lease_seconds,
        "stalled": health.stalled,
        "workers": [w.__dict__ for w in health.workers],
    }
