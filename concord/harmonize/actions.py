"""Writes of the harmonization workspace: comparisons, runs, review decisions, sign-off and drift flags.

Every function checks permission, validates, writes in one transaction and records an audit entry.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable, Sequence

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from concord.accounts.models import Dialogue, Party
from concord.audit.log import acting_user, delete_audited, record, snapshot
from concord.core import actions as core_actions
from concord.core import jobs
from concord.core.models import Job, Visibility
from concord.core.text import clean_text
from concord.library import rules as library_rules
from concord.library.models import PolicyDocument, Provision, Theme
from concord.notices import hooks as notices

from . import rules
from .models import (
    Comparison,
    ComparisonStatus,
    Mapping,
    Provenance,
    Rationale,
    Relationship,
    Review,
    ReviewKind,
    ReviewStatus,
    SignOff,
    SignOffDecision,
)
from .pipeline import provision_label, refresh_agreement, stable_key

COMPARISON_FIELDS = ["title", "visibility", "party", "source_party", "target_party", "status"]
MAPPING_FIELDS = ["relationship", "rationale", "confidence", "provenance", "review_status", "agreement"]
DECISIONS = ("accept", "retype", "reject", "reopen")


def _party_code(comparison: Comparison) -> str:
    return comparison.party.code if comparison.party_id else ""


# --- comparisons --------------------------------------------------------------------------------------
def _check_side(actor, dialogue: Dialogue, party: Party, documents: Sequence[PolicyDocument], side: str):
    if not documents:
        raise ValidationError({f"{side}_documents": _("Choose at least one document for this side.")})
    for d in documents:
        if d.dialogue_id != dialogue.pk or not library_rules.can_view(actor, d):
            raise ValidationError({f"{side}_documents": _("A chosen document was not found.")})
        if d.country_code != party.code:
            raise ValidationError(
                {
                    f"{side}_documents": _("“%(doc)s” is not a document of %(party)s.")
                    % {"doc": d, "party": party.localized_name()}
                }
            )


def _narrowest_visibility(documents: Iterable[PolicyDocument], visibility: str, party: Party | None):
    """A comparison is never more visible than its least visible document."""
    only = {d.party_id for d in documents if d.visibility == Visibility.PARTY}
    if len(only) > 1:
        raise ValidationError(
            _("The documents are visible to different parties only; no one may see them all.")
        )
    if only:
        owner = Party.objects.get(pk=only.pop())
        return Visibility.PARTY, owner
    if visibility == Visibility.PUBLIC and any(d.visibility != Visibility.PUBLIC for d in documents):
        return Visibility.DIALOGUE, party
    return visibility, party


def do_create_comparison(
    *,
    actor,
    dialogue: Dialogue,
    title: str,
    source_party: Party,
    target_party: Party,
    source_documents: Sequence[PolicyDocument],
    target_documents: Sequence[PolicyDocument],
    source_themes: Sequence[Theme] = (),
    target_themes: Sequence[Theme] = (),
    visibility: str = Visibility.DIALOGUE,
    party: Party | None = None,
    options: dict | None = None,
) -> Comparison:
    """Create a comparison (not yet run). It is narrowed to the visibility of its least visible document."""
    title = clean_text(title, max_length=200, field="title")
    if visibility not in Visibility.values:
        raise ValidationError({"visibility": _("Unknown visibility “%(value)s”.") % {"value": visibility}})
    parties = set(dialogue.parties.values_list("pk", flat=True))
    if not {source_party.pk, target_party.pk} <= parties:
        raise ValidationError({"target_party": _("Both parties must take part in this dialogue.")})
    source_documents, target_documents = list(source_documents), list(target_documents)
    both = {d.pk for d in source_documents} & {d.pk for d in target_documents}
    if both:
        same = next(d for d in source_documents if d.pk in both)
        raise ValidationError(
            {
                "target_documents": _("“%(doc)s” is on both sides; compare different documents.")
                % {"doc": same}
            }
        )
    _check_side(actor, dialogue, source_party, source_documents, "source")
    _check_side(actor, dialogue, target_party, target_documents, "target")
    visibility, party = _narrowest_visibility([*source_documents, *target_documents], visibility, party)
    if visibility == Visibility.PARTY and party is None:
        raise ValidationError({"party": _("Content visible to one party only must name that party.")})
    if not rules.can_create(actor, dialogue.pk, visibility, party.pk if party else None):
        raise PermissionDenied(_("You may not create this comparison."))
    options = {k: v for k, v in (options or {}).items() if k in ("top_k", "threshold")}
    comparison = Comparison(
        dialogue=dialogue,
        title=title,
        visibility=visibility,
        party=party,
        source_party=source_party,
        target_party=target_party,
        created_by=acting_user(actor),
        options=options,
    )
    comparison.full_clean(exclude=["job"])
    with transaction.atomic():
        comparison.save()
        comparison.source_documents.set(source_documents)
        comparison.target_documents.set(target_documents)
        comparison.source_themes.set(list(source_themes))
        comparison.target_themes.set(list(target_themes))
        record(
            actor=actor,
            action="harmonize.comparison.create",
            obj=comparison,
            after={
                **snapshot(comparison, fields=COMPARISON_FIELDS),
                "source_documents": [d.pk for d in source_documents],
                "target_documents": [d.pk for d in target_documents],
                "source_themes": [t.slug for t in source_themes],
                "target_themes": [t.slug for t in target_themes],
            },
        )
    return comparison


def check_runnable(comparison: Comparison) -> None:
    """Raise a ValidationError naming the problem when a side has no documents or no provisions."""
    for side, label in (("source", _("source")), ("target", _("target"))):
        documents = list(getattr(comparison, f"{side}_documents").all())
        if not documents:
            raise ValidationError(
                _(
                    "The %(side)s side has no documents left (a document may have been deleted); edit the "
                    "comparison or create a new one."
                )
                % {"side": label}
            )
        themes = list(getattr(comparison, f"{side}_themes").values_list("pk", flat=True))
        qs = Provision.objects.filter(version_id__in=[d.current_version_id for d in documents]).mappable()
        if themes:
            qs = qs.filter(theme_links__theme_id__in=themes, theme_links__rejected=False)
        if not qs.exists():
            raise ValidationError(
                _(
                    "The %(side)s side has no provisions to compare: its documents have not been read yet, "
                    "or none of their provisions has the chosen themes."
                )
                % {"side": label}
            )


def do_run_comparison(*, actor, comparison: Comparison, run: str = "queue") -> Job:
    """Queue (or run now, ``run="inline"``) the engine on the comparison. Human decisions are kept."""
    from . import pipeline, tasks

    if not rules.can_run(actor, comparison):
        raise PermissionDenied(_("You may not run this comparison."))
    if comparison.status in (ComparisonStatus.QUEUED, ComparisonStatus.RUNNING) and comparison.job_id:
        job = Job.objects.filter(pk=comparison.job_id).first()
        if job is not None and not job.is_finished:
            raise ValidationError(_("This comparison is already running; wait for it to finish."))
    check_runnable(comparison)
    job = core_actions.do_start_job(
        actor=acting_user(actor),
        kind="harmonize.run",
        label=_("Comparing: %(title)s") % {"title": comparison.title},
        total=100,
    )
    with transaction.atomic():
        Comparison.objects.filter(pk=comparison.pk).update(job=job, status=ComparisonStatus.QUEUED, error="")
        record(actor=actor, action="harmonize.comparison.run", obj=comparison, after={"job": str(job.pk)})
    if run == "inline":
        # A failure is recorded on the job and on the comparison (status "failed" with the message).
        with contextlib.suppress(Exception):
            pipeline.run(job_id=str(job.pk), comparison_id=comparison.pk)
    else:
        jobs.enqueue(tasks.run_comparison, job=job, comparison_id=comparison.pk)
    # Someone may have deleted the comparison meanwhile; the job then says so, and the caller finds it gone.
    with contextlib.suppress(Comparison.DoesNotExist):
        comparison.refresh_from_db()
    job.refresh_from_db()
    return job


def do_delete_comparison(*, actor, comparison: Comparison) -> None:
    if not rules.can_delete(actor, comparison):
        raise PermissionDenied(_("You may not delete this comparison."))
    delete_audited(comparison, actor=actor, action="harmonize.comparison.delete", fields=COMPARISON_FIELDS)


# --- review -------------------------------------------------------------------------------------------
def _reviewer_party(actor, comparison: Comparison) -> Party | None:
    ids = rules.signing_parties(actor, comparison)
    return Party.objects.filter(pk=ids[0]).first() if ids else None


def _add_review(
    actor,
    comparison: Comparison,
    mapping: Mapping,
    kind: str,
    *,
    to_relationship: str,
    comment: str,
    from_relationship: str = "",
) -> Review:
    """One row of the mapping's review history: who decided (none for the system), for which party."""
    return Review.objects.create(
        mapping=mapping,
        kind=kind,
        actor=acting_user(actor),
        party=_reviewer_party(actor, comparison),
        from_relationship=from_relationship,
        to_relationship=to_relationship,
        comment=comment,
    )


def _check_relationship(value: str | None) -> str:
    if value not in Relationship.values:
        raise ValidationError(
            {"relationship": _("Unknown relationship “%(value)s”.") % {"value": value or ""}}
        )
    return value


def do_review_mapping(
    *, actor, mapping: Mapping, decision: str, relationship: str | None = None, comment: str = ""
) -> Mapping:
    """Accept, retype (change the relationship), reject or reopen a mapping, with an optional comment."""
    comparison = mapping.comparison
    if not rules.can_review(actor, comparison):
        raise PermissionDenied(_("You may not review this comparison."))
    if decision not in DECISIONS:
        raise ValidationError({"decision": _("Unknown decision “%(value)s”.") % {"value": decision}})
    comment = clean_text(comment or "", max_length=4000, field="comment", multiline=True, required=False)
    if decision == "retype":
        relationship = _check_relationship(relationship)
    with transaction.atomic():
        m = Mapping.objects.select_for_update().get(pk=mapping.pk)
        before = snapshot(m, fields=MAPPING_FIELDS)
        old = m.relationship
        human = m.provenance == Provenance.HUMAN
        if decision == "reopen":
            m.review_status = ReviewStatus.PENDING
            if not human and m.engine_relationship:
                m.relationship = m.engine_relationship
                m.confidence = m.engine_confidence or 0.0
                m.provenance = Provenance.AUTOMATION
        else:
            if decision == "retype":
                if relationship == m.relationship:
                    raise ValidationError(
                        {"relationship": _("The mapping already has this relationship; accept it instead.")}
                    )
                m.relationship = relationship
            m.review_status = ReviewStatus.REJECTED if decision == "reject" else ReviewStatus.ACCEPTED
            m.confidence = 0.0 if decision == "reject" else 1.0
            m.provenance = Provenance.HUMAN if human else Provenance.HYBRID
        m.certainty = abs(m.confidence - 0.5)
        m.decided_by = acting_user(actor)
        m.decided_at = timezone.now()
        m.drift = None
        m.save()
        kind = {"accept": ReviewKind.ACCEPT, "retype": ReviewKind.RETYPE, "reject": ReviewKind.REJECT}.get(
            decision, ReviewKind.REOPEN
        )
        _add_review(
            actor, comparison, m, kind, from_relationship=old, to_relationship=m.relationship, comment=comment
        )
        refresh_agreement(comparison, [m.pk])
        m.refresh_from_db(fields=["agreement"])
        record(
            actor=actor,
            action=f"harmonize.mapping.{decision}",
            obj=m,
            dialogue_id=comparison.dialogue_id,
            party_code=_party_code(comparison),
            before=before,
            after={**snapshot(m, fields=MAPPING_FIELDS), "comment": comment},
        )
        if decision != "reopen":
            reviewer = _reviewer_party(actor, comparison)
            notices.mapping_reviewed(m, reviewer.pk if reviewer else None)
    return m


BULK_DECISIONS = {"accept": ReviewStatus.ACCEPTED, "reject": ReviewStatus.REJECTED}
# Mappings decided in one bulk call: each gets its own review row and audit entry in one transaction, so
# a bound keeps one request short and the write lock brief. The queue decides the rest on the next press.
BULK_REVIEW_LIMIT = 500


def do_review_mappings(*, actor, comparison: Comparison, mapping_ids: Sequence[int], decision: str) -> int:
    """Accept or reject many mappings at once (a filtered queue), at most `BULK_REVIEW_LIMIT`. Each mapping
    gets its own review row and audit entry, as if decided one by one; all or none are saved. Mappings
    already in that state are left as they are. Returns how many changed."""
    if not rules.can_review(actor, comparison):
        raise PermissionDenied(_("You may not review this comparison."))
    if decision not in BULK_DECISIONS:
        raise ValidationError({"decision": _("Unknown decision “%(value)s”.") % {"value": decision}})
    if len(mapping_ids) > BULK_REVIEW_LIMIT:
        raise ValidationError(
            _("At most %(limit)d mappings can be decided at once; %(n)d were given.")
            % {"limit": BULK_REVIEW_LIMIT, "n": len(mapping_ids)}
        )
    mappings = list(
        comparison.mappings.filter(pk__in=list(mapping_ids))
        .exclude(review_status=BULK_DECISIONS[decision])
        .order_by("pk")
    )
    with transaction.atomic():
        for m in mappings:
            m.comparison = comparison
            do_review_mapping(actor=actor, mapping=m, decision=decision)
    return len(mappings)


def do_comment_mapping(*, actor, mapping: Mapping, comment: str) -> Review:
    comparison = mapping.comparison
    if not rules.can_review(actor, comparison):
        raise PermissionDenied(_("You may not review this comparison."))
    comment = clean_text(comment, max_length=4000, field="comment", multiline=True)
    with transaction.atomic():
        review = _add_review(
            actor,
            comparison,
            mapping,
            ReviewKind.COMMENT,
            from_relationship=mapping.relationship,
            to_relationship=mapping.relationship,
            comment=comment,
        )
        record(
            actor=actor,
            action="harmonize.mapping.comment",
            obj=mapping,
            dialogue_id=comparison.dialogue_id,
            party_code=_party_code(comparison),
            after={"comment": comment},
        )
    return review


def _provision_on_side(comparison: Comparison, provision: Provision, side: str) -> PolicyDocument:
    document = provision.version.document
    ids = set(getattr(comparison, f"{side}_documents").values_list("pk", flat=True))
    if document.pk not in ids or document.current_version_id != provision.version_id:
        raise ValidationError(
            {
                f"{side}_provision": _("Choose a provision of the current version of a %(side)s document.")
                % {"side": _("source") if side == "source" else _("target")}
            }
        )
    return document


def do_add_mapping(
    *,
    actor,
    comparison: Comparison,
    source_provision: Provision,
    target_provision: Provision,
    relationship: str,
    rationale: str = Rationale.SEMANTIC,
    comment: str = "",
) -> Mapping:
    """An analyst adds a mapping the engine missed (provenance: human, accepted)."""
    if not rules.can_review(actor, comparison):
        raise PermissionDenied(_("You may not review this comparison."))
    relationship = _check_relationship(relationship)
    if rationale not in Rationale.values:
        raise ValidationError({"rationale": _("Unknown rationale “%(value)s”.") % {"value": rationale}})
    comment = clean_text(comment or "", max_length=4000, field="comment", multiline=True, required=False)
    source_document = _provision_on_side(comparison, source_provision, "source")
    target_document = _provision_on_side(comparison, target_provision, "target")
    s_key = stable_key(source_document.pk, source_provision.key)
    t_key = stable_key(target_document.pk, target_provision.key)
    if comparison.mappings.filter(source_key=s_key, target_key=t_key).exists():
        raise ValidationError(_("These two provisions are already mapped; review that mapping instead."))
    now = timezone.now()
    m = Mapping(
        comparison=comparison,
        source_key=s_key,
        target_key=t_key,
        source_provision=source_provision,
        target_provision=target_provision,
        source_document=source_document,
        target_document=target_document,
        source_version_id=source_provision.version_id,
        target_version_id=target_provision.version_id,
        source_label=provision_label(
            source_document, source_provision.number, source_provision.heading, s_key
        ),
        target_label=provision_label(
            target_document, target_provision.number, target_provision.heading, t_key
        ),
        relationship=relationship,
        rationale=rationale,
        confidence=1.0,
        certainty=0.5,
        provenance=Provenance.HUMAN,
        review_status=ReviewStatus.ACCEPTED,
        decided_by=acting_user(actor),
        decided_at=now,
        in_last_run=False,
    )
    try:
        with transaction.atomic():
            m.save()
            _add_review(actor, comparison, m, ReviewKind.ADD, to_relationship=relationship, comment=comment)
            record(
                actor=actor,
                action="harmonize.mapping.add",
                obj=m,
                dialogue_id=comparison.dialogue_id,
                party_code=_party_code(comparison),
                after={**snapshot(m, fields=MAPPING_FIELDS), "comment": comment},
            )
    except IntegrityError as exc:
        raise ValidationError(
            _("These two provisions are already mapped; review that mapping instead.")
        ) from exc
    return m


# --- sign-off -----------------------------------------------------------------------------------------
def _signing_party(actor, comparison: Comparison, party: Party | None) -> Party:
    allowed = rules.signing_parties(actor, comparison)
    if not allowed:
        raise PermissionDenied(
            _("Only delegates and analysts of the two parties can sign off mappings of this comparison.")
        )
    if party is not None:
        if party.pk not in allowed:
            raise PermissionDenied(_("You may not sign for this party."))
        return party
    return Party.objects.get(pk=allowed[0])


def _check_decision(decision: str, reason: str) -> str:
    if decision not in SignOffDecision.values:
        raise ValidationError({"decision": _("Unknown decision “%(value)s”.") % {"value": decision}})
    reason = clean_text(reason or "", max_length=4000, field="reason", multiline=True, required=False)
    if decision == SignOffDecision.OBJECT and not reason:
        raise ValidationError({"reason": _("Say why you object, so the other party can answer.")})
    return reason


def do_sign_off(
    *,
    actor,
    mapping: Mapping,
    decision: str = SignOffDecision.APPROVE,
    reason: str = "",
    party: Party | None = None,
) -> SignOff:
    """A party signs off (or objects to) a mapping as it stands. Safe when both parties sign at once: each
    party has its own row, and the agreement is recomputed from all rows under the mapping's lock."""
    comparison = mapping.comparison
    party = _signing_party(actor, comparison, party)
    reason = _check_decision(decision, reason)
    for attempt in range(2):
        try:
            with transaction.atomic():
                m = Mapping.objects.select_for_update().get(pk=mapping.pk)
                signoff, _created = SignOff.objects.update_or_create(
                    mapping=m,
                    party=party,
                    defaults={
                        "decision": decision,
                        "relationship": m.relationship,
                        "review_status": m.review_status,
                        "reason": reason,
                        "signed_by": acting_user(actor),
                        "signed_at": timezone.now(),
                    },
                )
                refresh_agreement(comparison, [m.pk])
                m.refresh_from_db(fields=["agreement"])
                record(
                    actor=actor,
                    action=f"harmonize.signoff.{decision}",
                    obj=m,
                    dialogue_id=comparison.dialogue_id,
                    party_code=party.code,
                    after={
                        "party": party.code,
                        "relationship": m.relationship,
                        "reason": reason,
                        "agreement": m.agreement,
                    },
                )
                if decision == SignOffDecision.APPROVE:
                    notices.sign_off_requested(comparison, party)
            return signoff
        except IntegrityError:
            if attempt:  # the other request's row is in now: the second try updates it
                raise
    raise AssertionError("unreachable")


def do_sign_off_theme(
    *,
    actor,
    comparison: Comparison,
    theme: str | None,
    decision: str = SignOffDecision.APPROVE,
    reason: str = "",
    party: Party | None = None,
) -> int:
    """Sign off every visible mapping of a theme (``None``: all) not yet signed by this party as it stands."""
    from .summary import mapping_ids_for_theme

    party = _signing_party(actor, comparison, party)
    reason = _check_decision(decision, reason)
    ids = mapping_ids_for_theme(comparison, actor, theme)
    now = timezone.now()
    with transaction.atomic():
        mappings = list(
            Mapping.objects.select_for_update().filter(pk__in=ids).only("id", "relationship", "review_status")
        )
        existing = {s.mapping_id: s for s in SignOff.objects.filter(mapping__in=mappings, party=party)}
        create, update = [], []
        for m in mappings:
            s = existing.get(m.pk) or SignOff(mapping=m, party=party)
            if s.pk and s.decision == decision and s.applies_to(m):
                continue
            s.decision, s.relationship, s.review_status = decision, m.relationship, m.review_status
            s.reason, s.signed_by, s.signed_at = reason, acting_user(actor), now
            (update if s.pk else create).append(s)
        SignOff.objects.bulk_create(create, batch_size=500)
        SignOff.objects.bulk_update(
            update,
            ["decision", "relationship", "review_status", "reason", "signed_by", "signed_at"],
            batch_size=500,
        )
        changed = [s.mapping_id for s in [*create, *update]]
        refresh_agreement(comparison, changed)
        record(
            actor=actor,
            action=f"harmonize.signoff.bulk_{decision}",
            obj=comparison,
            party_code=party.code,
            after={"party": party.code, "theme": theme or "*", "mappings": len(changed), "reason": reason},
        )
        if changed and decision == SignOffDecision.APPROVE:
            notices.sign_off_requested(comparison, party)
    return len(changed)


# --- drift --------------------------------------------------------------------------------------------
def do_flag_drift(*, comparison: Comparison, changed: dict[int, tuple[int, int]]) -> int:
    """Documents got new versions: move mappings onto the new provisions, flag those whose provision
    changed or went away (with the diff), and keep every decision."""
    from .drift import changes_by_key, segments

    flagged = 0
    with transaction.atomic():
        versions = dict(comparison.versions or {})
        for document_id, (old_version, new_version) in changed.items():
            rows = changes_by_key(old_version, new_version)
            new_ids = dict(Provision.objects.filter(version_id=new_version).values_list("key", "pk"))
            updates = []
            for side in ("source", "target"):
                qs = comparison.mappings.filter(**{f"{side}_document_id": document_id})
                for m in qs:
                    key = getattr(m, f"{side}_key").split(":", 1)[1]
                    row = rows.get(key)
                    new_key = row.new.key if row is not None and row.new is not None else None
                    setattr(m, f"{side}_provision_id", new_ids.get(new_key) if new_key else None)
                    setattr(m, f"{side}_version_id", new_version)
                    if row is not None and row.op in ("changed", "removed"):
                        m.drift = {
                            "side": side,
                            "op": row.op,
                            "from_version": old_version,
                            "to_version": new_version,
                            **segments(row),
                        }
                        flagged += 1
                    updates.append(m)
            Mapping.objects.bulk_update(
                updates,
                ["source_provision", "target_provision", "source_version_id", "target_version_id", "drift"],
                batch_size=500,
            )
            versions[str(document_id)] = new_version
        Comparison.objects.filter(pk=comparison.pk).update(versions=versions)
        comparison.versions = versions
        record(
            actor=None,
            action="harmonize.comparison.drift",
            obj=comparison,
            after={"documents": {str(k): list(v) for k, v in changed.items()}, "flagged": flagged},
        )
    return flagged
