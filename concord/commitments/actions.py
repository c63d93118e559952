"""Writes for commitments, their shares, dependencies, milestones, progress updates and imports."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from concord.accounts.models import Dialogue, Organization, Party
from concord.audit.log import acting_user, record, save_audited, snapshot
from concord.core.checks import check_choice, check_known_fields, require
from concord.core.models import Visibility
from concord.core.text import clean_text
from concord.engine.errors import EngineError
from concord.engine.evidence import check_evidence
from concord.library.refusals import message_for
from concord.notices import hooks as notices
from concord.secretariat.models import Outcome, WorkingGroup

from . import rules
from .graph import cycle_if_added
from .importing import Context, RowResult, TableError, check_rows, group_keys, read_table
from .models import (
    Ambition,
    Commitment,
    CommitmentKind,
    CommitmentParty,
    Completion,
    EvidenceFile,
    Milestone,
    ProgressUpdate,
    UpdateState,
)

FIELDS = [
    "code",
    "title",
    "working_group",
    "source_outcome",
    "owner",
    "start_date",
    "end_date",
    "parent",
    "weight",
    "is_joint",
    "completion",
    "ambition",
    "is_blocked",
    "blocked_reason",
    "visibility",
]
MAX_EVIDENCE_BYTES = 20 * 1024 * 1024


def _check_dates(start: dt.date | None, end: dt.date | None) -> None:
    if start and end and end < start:
        raise ValidationError({"end_date": _("The end date comes before the start date.")})


def _check_parent(commitment: Commitment, parent: Commitment | None) -> None:
    node = parent
    while node is not None:
        if node.pk == commitment.pk and commitment.pk is not None:
            raise ValidationError({"parent": _("A commitment cannot be part of itself or of its own parts.")})
        node = node.parent
    if parent is not None and parent.dialogue_id != commitment.dialogue_id:
        raise ValidationError({"parent": _("The parent belongs to another dialogue.")})


def _check_choices(*, visibility: str, kind: str, completion: str, ambition: str) -> None:
    """Each choice is one of its vocabulary's values (an empty ambition is allowed)."""
    check_choice(visibility, Visibility.values, field="visibility", message=_("Unknown visibility."))
    check_choice(kind, CommitmentKind.values, field="kind", message=_("Unknown kind."))
    check_choice(completion, Completion.values, field="completion", message=_("Unknown completion level."))
    if ambition:
        check_choice(ambition, Ambition.values, field="ambition", message=_("Unknown ambition level."))


def _parties_of(
    dialogue: Dialogue, parties: list[Party] | None, *, is_joint: bool, party: Party | None
) -> list[Party]:
    """The parties that get a share: those given, else every party of the dialogue for a joint commitment,
    else the owning party. Each must take part in the dialogue."""
    dialogue_parties = list(dialogue.parties.all())
    if parties is None:
        parties = dialogue_parties if is_joint else ([party] if party else [])
    for p in parties:
        if p not in dialogue_parties:
            raise ValidationError({"parties": _("“%(p)s” does not take part in this dialogue.") % {"p": p}})
    return parties


def _check_in_dialogue(
    dialogue: Dialogue, *, source_outcome: Outcome | None, working_group: WorkingGroup | None
) -> None:
    if source_outcome is not None and source_outcome.agenda_item.dialogue_id != dialogue.pk:
        raise ValidationError({"source_outcome": _("This outcome belongs to another dialogue.")})
    if working_group is not None and working_group.dialogue_id != dialogue.pk:
        raise ValidationError({"working_group": _("This working group belongs to another dialogue.")})


def _cleaned_texts(
    *, title: str, title_ms: str, description: str, budget_currency: str, deliverables: str, kpis: str
) -> dict[str, str]:
    """The commitment's free texts, cleaned and bounded; a text too long, or required and empty, is named."""
    return {
        "title": clean_text(title, max_length=300, field="title"),
        "title_ms": clean_text(title_ms, max_length=300, field="title_ms", required=False),
        "description": clean_text(
            description, max_length=20000, field="description", multiline=True, required=False
        ),
        "budget_currency": clean_text(
            budget_currency, max_length=3, field="budget_currency", required=False
        ).upper(),
        "deliverables": clean_text(
            deliverables, max_length=10000, field="deliverables", multiline=True, required=False
        ),
        "kpis": clean_text(kpis, max_length=10000, field="kpis", multiline=True, required=False),
    }


def do_create_commitment(
    *,
    actor,
    dialogue: Dialogue,
    code: str,
    title: str,
    description: str = "",
    title_ms: str = "",
    kind: str = CommitmentKind.COMMITMENT,
    working_group: WorkingGroup | None = None,
    source_outcome: Outcome | None = None,
    owner=None,
    start_date: dt.date | None = None,
    end_date: dt.date | None = None,
    parent: Commitment | None = None,
    weight: int = 1,
    is_joint: bool = False,
    parties: list[Party] | None = None,
    lead_agencies: dict[int, Organization | None] | None = None,
    completion: str = Completion.NOT_STARTED,
    ambition: str = "",
    visibility: str = Visibility.DIALOGUE,
    party: Party | None = None,
    themes=(),
    partners=(),
    budget_amount: Decimal | None = None,
    budget_currency: str = "",
    deliverables: str = "",
    kpis: str = "",
) -> Commitment:
    """A new commitment. ``parties`` get a share each (both when joint); ``lead_agencies`` maps party id to
    its lead agency."""
    require(
        rules.can_create_commitment(actor, dialogue.pk, visibility, party.pk if party else None),
        _("You may not record commitments here."),
    )
    _check_choices(visibility=visibility, kind=kind, completion=completion, ambition=ambition)
    code = clean_text(code, max_length=40, field="code")
    if Commitment.objects.filter(dialogue=dialogue, code=code).exists():
        raise ValidationError(
            {"code": _("A commitment with the code “%(code)s” exists already.") % {"code": code}}
        )
    parties = _parties_of(dialogue, parties, is_joint=is_joint, party=party)
    _check_in_dialogue(dialogue, source_outcome=source_outcome, working_group=working_group)
    _check_dates(start_date, end_date)
    commitment = Commitment(
        dialogue=dialogue,
        code=code,
        kind=kind,
        working_group=working_group,
        source_outcome=source_outcome,
        owner=owner,
        start_date=start_date,
        end_date=end_date,
        parent=parent,
        weight=weight,
        is_joint=is_joint,
        completion=completion,
        ambition=ambition,
        visibility=visibility,
        party=party,
        budget_amount=budget_amount,
        created_by=acting_user(actor),
        **_cleaned_texts(
            title=title,
            title_ms=title_ms,
            description=description,
            budget_currency=budget_currency,
            deliverables=deliverables,
            kpis=kpis,
        ),
    )
    _check_parent(commitment, parent)
    commitment.full_clean()
    _save_new(actor, commitment, parties, lead_agencies or {}, themes=themes, partners=partners)
    return commitment


def _save_new(
    actor, commitment: Commitment, parties: list[Party], lead_agencies: dict, *, themes, partners
) -> None:
    """Save a checked new commitment with its parties' shares, themes and partners, and audit it: all or
    nothing."""
    with transaction.atomic():
        commitment.save()
        for p in parties:
            CommitmentParty.objects.create(
                commitment=commitment, party=p, lead_agency=lead_agencies.get(p.pk)
            )
        commitment.themes.set(themes)
        commitment.partners.set(partners)
        record(
            actor=actor, action="commitment.create", obj=commitment, after=snapshot(commitment, fields=FIELDS)
        )


UPDATABLE = {
    "title",
    "title_ms",
    "description",
    "working_group",
    "owner",
    "start_date",
    "end_date",
    "parent",
    "weight",
    "completion",
    "ambition",
    "is_blocked",
    "blocked_reason",
    "deliverables",
    "kpis",
}


def do_update_commitment(*, actor, commitment: Commitment, **fields) -> Commitment:
    require(rules.can_edit_commitment(actor, commitment), _("You may not change this commitment."))
    check_known_fields(fields, UPDATABLE, editable=True)
    before = snapshot(commitment, fields=FIELDS)
    if fields.get("owner") is not None:
        _check_member(fields["owner"], commitment.dialogue_id, "owner")
    for name, value in fields.items():
        if name == "completion":
            check_choice(value, Completion.values, field="completion", message=_("Unknown completion level."))
        if name == "ambition" and value:
            check_choice(value, Ambition.values, field="ambition", message=_("Unknown ambition level."))
        if name == "title":
            value = clean_text(value, max_length=300, field="title")
        elif name in ("description", "blocked_reason", "deliverables", "kpis", "title_ms"):
            value = clean_text(value or "", max_length=20000, field=name, multiline=True, required=False)
        setattr(commitment, name, value)
    if commitment.is_blocked and not commitment.blocked_reason:
        raise ValidationError({"blocked_reason": _("Say why the commitment is blocked.")})
    if not commitment.is_blocked:
        commitment.blocked_reason = ""
    _check_dates(commitment.start_date, commitment.end_date)
    _check_parent(commitment, commitment.parent)
    commitment.full_clean()
    return save_audited(commitment, actor=actor, action="commitment.update", fields=FIELDS, before=before)


def do_set_party_completion(
    *, actor, commitment: Commitment, party: Party, completion: str
) -> CommitmentParty:
    require(rules.can_edit_commitment(actor, commitment), _("You may not change this commitment."))
    check_choice(completion, Completion.values, field="completion", message=_("Unknown completion level."))
    share = commitment.party_shares.filter(party=party).first()
    if share is None:
        raise ValidationError({"party": _("This party has no share in the commitment.")})
    with transaction.atomic():
        before = share.completion
        share.completion = completion
        share.save(update_fields=["completion"])
        record(
            actor=actor,
            action="commitment.party_completion",
            obj=commitment,
            party_code=party.code,
            before={"completion": before},
            after={"party": party.code, "completion": completion},
        )
    return share


def do_add_dependency(*, actor, commitment: Commitment, depends_on: Commitment) -> None:
    """Record that ``commitment`` depends on ``depends_on``; a circular dependency is refused."""
    require(rules.can_edit_commitment(actor, commitment), _("You may not change this commitment."))
    if depends_on.dialogue_id != commitment.dialogue_id or not rules.can_view(actor, depends_on):
        raise ValidationError({"depends_on": _("No such commitment in this dialogue.")})
    edges = list(
        Commitment.depends_on.through.objects.filter(
            from_commitment__dialogue_id=commitment.dialogue_id
        ).values_list("from_commitment_id", "to_commitment_id")
    )
    cycle = cycle_if_added(edges, (commitment.pk, depends_on.pk))
    if cycle:
        codes = dict(Commitment.objects.filter(pk__in=cycle).values_list("pk", "code"))
        raise ValidationError(
            {
                "depends_on": _("This would make a circular dependency: %(chain)s.")
                % {"chain": " → ".join(codes.get(pk, str(pk)) for pk in cycle)}
            }
        )
    with transaction.atomic():
        commitment.depends_on.add(depends_on)
        record(actor=actor, action="commitment.depend", obj=commitment, after={"depends_on": depends_on.code})


def do_remove_dependency(*, actor, commitment: Commitment, depends_on: Commitment) -> None:
    require(rules.can_edit_commitment(actor, commitment), _("You may not change this commitment."))
    with transaction.atomic():
        commitment.depends_on.remove(depends_on)
        record(
            actor=actor, action="commitment.undepend", obj=commitment, before={"depends_on": depends_on.code}
        )


def do_add_milestone(
    *,
    actor,
    commitment: Commitment,
    title: str,
    planned_date: dt.date | None = None,
    weight: int = 1,
    evidence: str = "",
) -> Milestone:
    require(rules.can_add_milestone(actor, commitment), _("You may not add milestones here."))
    milestone = Milestone(
        commitment=commitment,
        title=clean_text(title, max_length=300, field="title"),
        planned_date=planned_date,
        weight=weight,
        evidence=clean_text(evidence, max_length=5000, field="evidence", multiline=True, required=False),
        order=commitment.milestones.count(),
    )
    milestone.full_clean()
    return save_audited(
        milestone, actor=actor, action="milestone.create", fields=None, dialogue_id=commitment.dialogue_id
    )


def _check_member(user, dialogue_id: int, field: str) -> None:
    if not user.memberships.filter(dialogue_id=dialogue_id, is_active=True).exists():
        raise ValidationError({field: _("%(name)s is not a member of the dialogue.") % {"name": user}})


MILESTONE_EDITABLE = {"title", "planned_date", "owner", "weight"}


def _save_milestone(actor, milestone: Milestone, before: dict | None) -> Milestone:
    """Save a changed milestone and record the change (in its commitment's dialogue), in one transaction."""
    milestone.full_clean()
    return save_audited(
        milestone,
        actor=actor,
        action="milestone.update",
        fields=None,
        before=before,
        dialogue_id=milestone.commitment.dialogue_id,
    )


def do_update_milestone(*, actor, milestone: Milestone, **fields) -> Milestone:
    """Change a milestone's title, planned date, weight or owner (who answers for reaching it)."""
    commitment = milestone.commitment
    require(rules.can_edit_milestone(actor, commitment), _("You may not change this milestone."))
    check_known_fields(fields, MILESTONE_EDITABLE, editable=True)
    if fields.get("owner") is not None:
        _check_member(fields["owner"], commitment.dialogue_id, "owner")
    if "weight" in fields and not (isinstance(fields["weight"], int) and 1 <= fields["weight"] <= 1000):
        raise ValidationError({"weight": _("Give a weight from 1 to 1000.")})
    before = snapshot(milestone)
    for name, value in fields.items():
        if name == "title":
            value = clean_text(value, max_length=300, field="title")
        setattr(milestone, name, value)
    return _save_milestone(actor, milestone, before)


def do_reach_milestone(
    *, actor, milestone: Milestone, actual_date: dt.date | None, evidence: str = "", evidence_url: str = ""
) -> Milestone:
    """Record the date a milestone was reached (``None`` reopens it), with its evidence."""
    require(rules.can_add_milestone(actor, milestone.commitment), _("You may not change this milestone."))
    if actual_date and actual_date > timezone.localdate():
        raise ValidationError({"actual_date": _("A milestone cannot be reached in the future.")})
    before = snapshot(milestone)
    milestone.actual_date = actual_date
    if evidence:
        milestone.evidence = clean_text(evidence, max_length=5000, field="evidence", multiline=True)
    if evidence_url:
        milestone.evidence_url = evidence_url
    return _save_milestone(actor, milestone, before)


def do_submit_progress(*, actor, commitment: Commitment, text: str, percent: int, files=()) -> ProgressUpdate:
    require(
        rules.can_submit_progress(actor, commitment), _("You may not report progress on this commitment.")
    )
    if not isinstance(percent, int) or not 0 <= percent <= 100:
        raise ValidationError({"percent": _("Give a whole percentage from 0 to 100.")})
    checked = [(f, check_evidence_file(f)) for f in files]
    party_id = rules.submitting_party_id(actor, commitment)
    update = ProgressUpdate(
        commitment=commitment,
        party_id=party_id,
        submitted_by=actor,
        text=clean_text(text, max_length=10000, field="text", multiline=True),
        percent=percent,
    )
    update.full_clean()
    with transaction.atomic():
        update.save()
        for f, media_type in checked:
            EvidenceFile.objects.create(
                update=update, file=f, name=evidence_name(f), size=f.size, media_type=media_type
            )
        record(
            actor=actor,
            action="progress.submit",
            obj=update,
            dialogue_id=commitment.dialogue_id,
            party_code=update.party.code if update.party_id else "",
            after={"percent": percent, "files": len(files)},
        )
        notices.progress_to_verify(update)
    return update


def evidence_name(upload) -> str:
    return clean_text(str(upload.name).rsplit("/", 1)[-1], max_length=200, field="files") or "evidence"


def check_evidence_file(upload) -> str:
    """The media type of an evidence upload, read from its bytes; a ValidationError on ``files`` naming
    the file and the problem for anything but a document or an image (see ``concord.engine.evidence``)."""
    name = evidence_name(upload)
    limit = min(MAX_EVIDENCE_BYTES, settings.CONCORD_MAX_UPLOAD_BYTES)
    if upload.size is not None and upload.size > limit:
        raise ValidationError({"files": _("“%(name)s” is larger than the limit.") % {"name": name}})
    upload.seek(0)
    data = upload.read(limit + 1)
    upload.seek(0)
    try:
        return check_evidence(
            data, filename=name, declared_type=getattr(upload, "content_type", None), max_bytes=limit
        )
    except EngineError as exc:
        message = message_for(exc.code, exc.params, default=exc.message)
        problem = ValidationError(f"“{name}”: {message}", code=exc.code)
        raise ValidationError({"files": problem}) from None


def do_review_progress(*, actor, update: ProgressUpdate, verify: bool, note: str = "") -> ProgressUpdate:
    """Verify or return an update. Only the other party or the secretariat may, never the submitter."""
    if update.state != UpdateState.SUBMITTED:
        raise ValidationError(_("This update was reviewed already."))
    require(
        rules.can_verify(actor, update),
        _("A party cannot verify its own progress update; the other party or the secretariat does."),
    )
    note = clean_text(note, max_length=5000, field="note", multiline=True, required=False)
    if not verify and not note:
        raise ValidationError({"note": _("Say why the update is returned.")})
    update.state = UpdateState.VERIFIED if verify else UpdateState.RETURNED
    update.reviewed_by = actor
    update.reviewed_at = timezone.now()
    update.review_note = note
    return save_audited(
        update,
        actor=actor,
        action="progress.verify" if verify else "progress.return",
        after={"state": update.state, "note": note},
        dialogue_id=update.commitment.dialogue_id,
    )


@dataclass
class BulkReview:
    """What a bulk review did: the updates it verified or returned, and each refused one with the reason."""

    done: list[ProgressUpdate] = field(default_factory=list)
    refused: list[tuple[ProgressUpdate, str]] = field(default_factory=list)


def do_review_many(*, actor, updates, verify: bool = True, note: str = "") -> BulkReview:
    """Verify (or return) several updates, each by the same rule as one at a time. A refused update is named
    with its reason; the others go through, each in its own transaction and with its own audit entry."""
    result = BulkReview()
    for update in updates:
        try:
            with transaction.atomic():
                do_review_progress(actor=actor, update=update, verify=verify, note=note)
        except (ValidationError, PermissionDenied) as exc:
            reason = " ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)
            result.refused.append((update, reason))
            update.refresh_from_db()
        else:
            result.done.append(update)
    return result


# --- import ---------------------------------------------------------------------------------------
@dataclass
class ImportReport:
    rows: list[RowResult] = field(default_factory=list)
    imported: list[str] = field(default_factory=list)
    error: str = ""

    @property
    def failed(self) -> list[RowResult]:
        return [r for r in self.rows if not r.ok]


def _truthy(value: str) -> bool:
    return value.strip().lower() in ("yes", "true", "1")


@dataclass
class _Known:
    """What an import's rows may name in a dialogue: organisations (by name or short name, lower case), its
    parties (by code) and its working groups (by slug)."""

    dialogue: Dialogue
    orgs: dict[str, Organization]
    parties: dict[str, Party]
    groups: dict[str, WorkingGroup]

    @classmethod
    def of(cls, dialogue: Dialogue) -> _Known:
        orgs = {}
        for o in Organization.objects.all():
            for key in (o.name, o.short_name):
                if key:
                    orgs[key.lower()] = o
        return cls(
            dialogue=dialogue,
            orgs=orgs,
            parties={p.code: p for p in dialogue.parties.all()},
            groups={g.slug: g for g in WorkingGroup.objects.filter(dialogue=dialogue)},
        )

    def context(self) -> Context:
        """What the row checks read."""
        groups = self.groups.values()
        return Context(
            existing_codes=frozenset(
                Commitment.objects.filter(dialogue=self.dialogue).values_list("code", flat=True)
            ),
            working_groups=group_keys([(g.slug, (g.name, g.name_ms, g.name_ur)) for g in groups]),
            organizations={k: (o.party.code if o.party_id else o.country) for k, o in self.orgs.items()},
            parties=frozenset(self.parties),
        )

    def commitment_of(self, v: dict[str, str], created: dict[str, Commitment], *, own: set | None) -> dict:
        """``do_create_commitment``'s arguments for a checked row. ``own``: the importer's parties, when not
        the secretariat (a row naming no party is then the importer's); a parent is a row imported before
        or a commitment already there."""
        parties = self.parties
        party = parties.get(v.get("party", "").upper()) if v.get("party") else None
        if own and party is None:
            party = next(p for p in parties.values() if p.pk in own)
        joint = _truthy(v.get("joint", ""))
        leads = {}
        for code in parties:
            org = self.orgs.get(v.get(f"lead_agency_{code.lower()}", "").lower())
            if org:
                leads[parties[code].pk] = org
        share_parties = list(parties.values()) if joint else [p for p in parties.values() if p.pk in leads]
        if party and party not in share_parties:
            share_parties.append(party)
        parent_code = v.get("parent", "")
        parent = created.get(parent_code) or (
            Commitment.objects.filter(dialogue=self.dialogue, code=parent_code).first()
            if parent_code
            else None
        )
        return {
            "code": v["code"],
            "title": v["title"],
            "title_ms": v.get("title_ms", ""),
            "description": v.get("description", ""),
            "working_group": self.groups.get(v.get("working_group", "")),
            "start_date": dt.date.fromisoformat(v["start_date"]) if v.get("start_date") else None,
            "end_date": dt.date.fromisoformat(v["end_date"]) if v.get("end_date") else None,
            "parent": parent,
            "weight": int(v["weight"]) if v.get("weight") else 1,
            "is_joint": joint,
            "parties": share_parties,
            "lead_agencies": leads,
            "completion": v.get("completion") or Completion.NOT_STARTED,
            "ambition": v.get("ambition", ""),
            "party": party,
        }


def do_import_commitments(
    *, actor, dialogue: Dialogue, data: bytes, filename: str, partial: bool = False
) -> ImportReport:
    """Import commitments from a CSV or XLSX file. Nothing is imported if any row has an error, unless
    ``partial`` is set; then the valid rows are imported and the report lists the others."""
    require(rules.can_import(actor, dialogue.pk), _("You may not import commitments here."))
    report = ImportReport()
    try:
        header, rows = read_table(data, filename)
    except TableError as exc:
        report.error = str(exc)
        return report
    known = _Known.of(dialogue)
    report.rows = check_rows(header, rows, known.context())
    if report.failed and not partial:
        return report
    secretariat = rules.is_secretariat(actor, dialogue.pk)
    own = rules.party_ids_of(actor, dialogue.pk) if not secretariat else set()
    with transaction.atomic():
        created: dict[str, Commitment] = {}
        for row in report.rows:
            if not row.ok:
                continue
            try:
                commitment = do_create_commitment(
                    actor=actor,
                    dialogue=dialogue,
                    **known.commitment_of(row.values, created, own=None if secretariat else own),
                )
            except (ValidationError, PermissionDenied) as exc:
                messages = exc.messages if isinstance(exc, ValidationError) else [str(exc)]
                row.errors.extend(messages)
                if not partial:
                    transaction.set_rollback(True)
                    report.imported = []
                    return report
                continue
            created[commitment.code] = commitment
            report.imported.append(commitment.code)
        record(
            actor=actor,
            action="commitment.import",
            obj=None,
            object_type="commitments.commitment",
            dialogue_id=dialogue.pk,
            after={
                "file": filename,
                "imported": len(report.imported),
                "failed": len(report.failed),
                "partial": partial,
            },
        )
    return report
