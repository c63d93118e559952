"""Writes to dialogue content and jobs. Views, the API, the CLI and tasks call these, never the ORM."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from concord.accounts.models import Dialogue, Party
from concord.audit.log import acting_user, delete_audited, record, save_audited, snapshot

from . import rules
from .checks import check_visibility
from .models import Job, JobStatus, Note, NoteKind, Visibility
from .text import clean_text

NOTE_FIELDS = ["kind", "title", "body", "visibility", "party"]


def do_create_note(
    *,
    actor,
    dialogue: Dialogue,
    title: str,
    body: str,
    kind: str = NoteKind.BRIEFING,
    visibility: str = Visibility.DIALOGUE,
    party: Party | None = None,
) -> Note:
    check_visibility(visibility, party)
    if kind not in NoteKind.values:
        raise ValidationError({"kind": _("Unknown kind of note “%(value)s”.") % {"value": kind}})
    if party is not None and not dialogue.parties.filter(pk=party.pk).exists():
        raise ValidationError({"party": _("This party does not take part in this dialogue.")})
    if not rules.can_create(actor, dialogue.pk, visibility, party.pk if party else None):
        raise PermissionDenied(_("You may not post this note here."))
    note = Note(
        dialogue=dialogue,
        title=clean_text(title, max_length=200, field="title"),
        body=clean_text(body, max_length=20000, field="body", multiline=True),
        kind=kind,
        visibility=visibility,
        party=party,
        created_by=actor,
    )
    note.full_clean()
    return save_audited(note, actor=actor, action="note.create", fields=NOTE_FIELDS)


def do_update_note(
    *,
    actor,
    note: Note,
    title: str | None = None,
    body: str | None = None,
    kind: str | None = None,
    visibility: str | None = None,
    party: Party | None | type[Ellipsis] = ...,
) -> Note:
    if not rules.can_edit(actor, note):
        raise PermissionDenied(_("You may not edit this note."))
    before = snapshot(note, fields=NOTE_FIELDS)
    if title is not None:
        note.title = clean_text(title, max_length=200, field="title")
    if body is not None:
        note.body = clean_text(body, max_length=20000, field="body", multiline=True)
    if kind is not None:
        if kind not in NoteKind.values:
            raise ValidationError({"kind": _("Unknown kind of note “%(value)s”.") % {"value": kind}})
        note.kind = kind
    if party is not ...:
        note.party = party  # type: ignore[assignment]
    if visibility is not None:
        note.visibility = visibility
    check_visibility(note.visibility, note.party)
    # Changing who may see it is a new "create" at that visibility: the actor must be allowed that too.
    if (note.visibility, note.party_id) != (before["visibility"], before["party"]) and not rules.can_create(
        actor, note.dialogue_id, note.visibility, note.party_id
    ):
        raise PermissionDenied(_("You may not give this note that visibility."))
    note.full_clean()
    return save_audited(note, actor=actor, action="note.update", fields=NOTE_FIELDS, before=before)


def do_delete_note(*, actor, note: Note) -> None:
    if not rules.can_delete(actor, note):
        raise PermissionDenied(_("You may not delete this note."))
    delete_audited(note, actor=actor, action="note.delete", fields=NOTE_FIELDS)


def do_start_job(*, actor, kind: str, label: str, total: int = 0) -> Job:
    with transaction.atomic():
        job = Job.objects.create(
            kind=kind,
            label=label[:250],
            owner=acting_user(actor),
            total=total,
        )
        record(actor=actor, action="job.start", obj=job, after={"kind": kind, "label": label})
    return job


def set_job_progress(
    job: Job, *, done: int | None = None, total: int | None = None, message: str | None = None
) -> None:
    """Progress ticks are bookkeeping, not user writes: they are not audited (the start and end are)."""
    fields = {"status": JobStatus.RUNNING}
    if job.started_at is None:
        job.started_at = fields["started_at"] = timezone.now()
    if done is not None:
        job.done = fields["done"] = done
    if total is not None:
        job.total = fields["total"] = total
    if message is not None:
        job.message = fields["message"] = message[:500]
    job.status = JobStatus.RUNNING
    Job.objects.filter(pk=job.pk).update(**fields)


def do_finish_job(*, job: Job, result=None, result_url: str = "", error: str = "") -> Job:
    job.status = JobStatus.FAILED if error else JobStatus.SUCCEEDED
    job.finished_at = timezone.now()
    job.error = error[:5000]
    job.result = result
    job.result_url = result_url
    if not error and job.total:
        job.done = job.total
    job.lease_expires_at = None
    with transaction.atomic():
        # Only what finishing changes: the lease, attempts and task fields belong to the worker and reaper.
        job.save(
            update_fields=[
                "status",
                "finished_at",
                "error",
                "result",
                "result_url",
                "done",
                "lease_expires_at",
            ]
        )
        record(
            actor=None,
            action="job.fail" if error else "job.finish",
            obj=job,
            after={"status": job.status, "error": job.error},
        )
    return job


def do_retry_job(*, actor, job: Job) -> Job:
    """Queue a failed job's task again, as a fresh run with a new count of attempts."""
    from django.utils.module_loading import import_string

    if not rules.can_retry_job(actor, job):
        raise PermissionDenied(_("You may not retry this job."))
    if not job.can_be_retried:
        raise ValidationError(_("Only a failed job that ran in the background can be retried."))
    task = import_string(job.task_path)
    with transaction.atomic():
        won = Job.objects.filter(pk=job.pk, status=JobStatus.FAILED).update(
            status=JobStatus.QUEUED,
            done=0,
            message="",
            error="",
            result=None,
            result_url="",
            attempts=0,
            worker_id="",
            lease_expires_at=None,
            started_at=None,
            finished_at=None,
        )
        if not won:
            raise ValidationError(_("This job is already queued again."))
        result = task.enqueue(job_id=str(job.pk), **(job.task_kwargs or {}))
        Job.objects.filter(pk=job.pk).update(task_id=str(getattr(result, "id", "")))
        record(
            actor=actor,
            action="job.retry",
            obj=job,
            before={"status": JobStatus.FAILED, "error": job.error},
            after={"status": JobStatus.QUEUED},
        )
    job.refresh_from_db()
    return job
