"""Writes on joint projects: propose, edit, name stage owners, score the appraisal, move between stages,
and, once approved, build the joint programme (workplan milestones as secretariat commitments, budget
shares, partners, indicators, talent opportunities).

Each ``do_<verb>`` checks permission, checks its input before writing, and writes in one transaction with
an audit entry. A refused move names the reason: a skipped stage, a missing concept note or appraisal, or
an actor who does not own the stage.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from concord.accounts.models import Dialogue, Organization, Party
from concord.audit.log import record, save_audited, snapshot, update_audited, upsert_audited
from concord.commitments.actions import do_create_commitment
from concord.commitments.models import Commitment
from concord.core.checks import check_known_fields, require
from concord.core.models import Visibility
from concord.core.text import clean_text
from concord.directory.cleaning import clean_themes
from concord.library.models import Theme
from concord.talent.models import Opportunity

from .. import rules
from ..cleaning import clean_budget, clean_decimal, clean_name, party_in_dialogue
from ..models import (
    FINAL_STAGES,
    SCORE_MAX,
    SCORE_MIN,
    AppraisalCriterion,
    AppraisalScore,
    BudgetShare,
    JointProject,
    Programme,
    ProjectIndicator,
    Stage,
    StageOwner,
)

PROJECT_FIELDS = ["title", "summary", "concept_note", "stage", "visibility", "proposed_by"]


def _snapshot(project: JointProject) -> dict[str, Any] | None:
    return snapshot(project, fields=PROJECT_FIELDS, related={"themes": "slug", "programmes": "pk"})


def _themes(values: Iterable[str]) -> list[Theme]:
    slugs = clean_themes(list(values or []))
    by_slug = {t.slug: t for t in Theme.objects.filter(slug__in=slugs)}
    return [by_slug[s] for s in slugs]


def _programmes(actor, dialogue: Dialogue, programmes: Iterable[Programme]) -> list[Programme]:
    out = []
    for programme in programmes or []:
        if programme.dialogue_id != dialogue.pk or not rules.can_view_programme(actor, programme):
            raise ValidationError({"programmes": _("No programme with id %(id)s.") % {"id": programme.pk}})
        out.append(programme)
    return out


# --- idea and concept note -------------------------------------------------------------------------------
def do_propose_project(
    *,
    actor,
    dialogue: Dialogue,
    proposed_by: Party | None,
    title: str,
    summary: str,
    visibility: str = Visibility.DIALOGUE,
    themes: Iterable[str] = (),
    programmes: Iterable[Programme] = (),
) -> JointProject:
    """Record the idea of a joint project, in the name of ``proposed_by``. A contact point who proposes it
    owns its idea stage for their party."""
    if visibility not in (Visibility.PUBLIC, Visibility.DIALOGUE):
        raise ValidationError(
            {"visibility": _("A joint project is seen by the whole dialogue, or by everyone.")}
        )
    party = party_in_dialogue(dialogue, proposed_by, "proposed_by")
    require(
        rules.can_propose_project(actor, dialogue.pk, visibility, party.pk),
        _("Only the party's delegates and analysts, and the secretariat, propose joint projects."),
    )
    project = JointProject(
        dialogue=dialogue,
        visibility=visibility,
        proposed_by=party,
        created_by=actor,
        title=clean_name(title, field="title", max_length=300),
        summary=clean_text(summary or "", max_length=4000, field="summary", multiline=True),
    )
    theme_list = _themes(themes)
    programme_list = _programmes(actor, dialogue, programmes)
    project.full_clean()
    with transaction.atomic():
        project.save()
        project.themes.set(theme_list)
        project.programmes.set(programme_list)
        if rules.is_contact_point(actor, dialogue.pk, party.pk):
            StageOwner.objects.create(project=project, stage=Stage.IDEA, party=party, user=actor)
        record(actor=actor, action="joint.create", obj=project, after=_snapshot(project))
    return project


def do_update_project(*, actor, project: JointProject, **fields: Any) -> JointProject:
    """Change the title, summary, concept note, themes or linked programmes."""
    require(
        rules.can_edit_project(actor, project),
        _("Only the current stage's owners and the secretariat edit it."),
    )
    check_known_fields(fields, {"title", "summary", "concept_note", "themes", "programmes"})
    before = _snapshot(project)
    if "title" in fields:
        project.title = clean_name(fields["title"], field="title", max_length=300)
    if "summary" in fields:
        project.summary = clean_text(
            fields["summary"] or "", max_length=4000, field="summary", multiline=True
        )
    if "concept_note" in fields:
        project.concept_note = clean_text(
            fields["concept_note"] or "",
            max_length=20000,
            field="concept_note",
            multiline=True,
            required=False,
        )
    theme_list = _themes(fields["themes"]) if "themes" in fields else None
    programme_list = (
        _programmes(actor, project.dialogue, fields["programmes"]) if "programmes" in fields else None
    )
    project.full_clean()
    with transaction.atomic():
        project.save()
        if theme_list is not None:
            project.themes.set(theme_list)
        if programme_list is not None:
            project.programmes.set(programme_list)
        record(actor=actor, action="joint.update", obj=project, before=before, after=_snapshot(project))
    return project


def do_set_stage_owner(*, actor, project: JointProject, stage: str, party: Party, user) -> StageOwner:
    """Name ``user`` (a delegate or analyst of ``party``) as the owner of ``stage`` for ``party``."""
    if stage not in Stage.values or stage == Stage.CLOSED:
        raise ValidationError({"stage": _("Unknown stage “%(value)s”.") % {"value": stage}})
    party_in_dialogue(project.dialogue, party, "party")
    require(
        rules.can_set_owner(actor, project, party.pk),
        _("Only the secretariat and the party's delegates name its stage owners."),
    )
    if not rules.is_contact_point(user, project.dialogue_id, party.pk):
        raise ValidationError({"user": _("A stage owner must be a delegate or analyst of that party.")})
    return upsert_audited(
        StageOwner,
        {"project": project, "stage": stage, "party": party},
        {"user": user},
        actor=actor,
        action="joint.owner",
        subject=project,
        after={"stage": stage, "party": party.code, "user": user.pk},
    )


# --- appraisal -------------------------------------------------------------------------------------------
def do_publish_criterion(
    *, actor, dialogue: Dialogue, title: str, description: str = "", weight: int = 1
) -> AppraisalCriterion:
    """Publish a criterion against which both parties appraise joint projects."""
    require(
        rules.can_publish_criteria(actor, dialogue.pk),
        _("Only the secretariat publishes appraisal criteria."),
    )
    if not isinstance(weight, int) or not 1 <= weight <= 10:
        raise ValidationError({"weight": _("A weight is a whole number from 1 to 10.")})
    criterion = AppraisalCriterion(
        dialogue=dialogue,
        title=clean_name(title, field="title", max_length=200),
        description=clean_text(
            description or "", max_length=2000, field="description", multiline=True, required=False
        ),
        weight=weight,
        position=AppraisalCriterion.objects.filter(dialogue=dialogue).count(),
    )
    return save_audited(
        criterion,
        actor=actor,
        action="joint.criterion.create",
        after={"title": criterion.title, "weight": weight},
        dialogue_id=dialogue.pk,
    )


def do_score_project(
    *, actor, project: JointProject, party: Party, scores: dict[int, tuple[int, str]]
) -> list[AppraisalScore]:
    """Record ``party``'s appraisal: ``scores`` maps each published criterion's id to (score, comment).
    Every criterion must be scored, each from 1 to 5; a second appraisal replaces the first."""
    require(
        rules.can_appraise(actor, project, party.pk),
        _("Only the party's owner of the joint appraisal scores the project, while it is under appraisal."),
    )
    criteria = list(AppraisalCriterion.objects.filter(dialogue_id=project.dialogue_id))
    if not criteria:
        raise ValidationError(
            _("No appraisal criteria are published yet; the secretariat publishes them first.")
        )
    missing = [c.title for c in criteria if c.pk not in scores]
    if missing:
        raise ValidationError(
            {"scores": _("Score every criterion; missing: %(names)s.") % {"names": ", ".join(missing)}}
        )
    known = {c.pk for c in criteria}
    rows = []
    for criterion in criteria:
        value, comment = scores[criterion.pk]
        if not isinstance(value, int) or not SCORE_MIN <= value <= SCORE_MAX:
            raise ValidationError(
                {
                    "scores": _("“%(criterion)s”: a score is a whole number from 1 to 5.")
                    % {"criterion": criterion.title}
                }
            )
        rows.append(
            AppraisalScore(
                project=project,
                criterion=criterion,
                party=party,
                score=value,
                comment=clean_text(
                    comment or "", max_length=4000, field="comment", multiline=True, required=False
                ),
                scored_by=actor,
                scored_at=timezone.now(),
            )
        )
    if set(scores) - known:
        raise ValidationError({"scores": _("Some scores are for criteria that are not published here.")})
    with transaction.atomic():
        AppraisalScore.objects.filter(project=project, party=party).delete()
        AppraisalScore.objects.bulk_create(rows)
        record(
            actor=actor,
            action="joint.appraise",
            obj=project,
            after={"party": party.code, "scores": {r.criterion.title: r.score for r in rows}},
        )
    return rows


def appraisal_summary(project: JointProject) -> dict[int, float]:
    """Each party's weighted mean score (1–5) over the published criteria it scored."""
    totals: dict[int, list[float]] = {}
    for s in project.scores.select_related("criterion"):
        acc = totals.setdefault(s.party_id, [0.0, 0.0])
        acc[0] += s.score * s.criterion.weight
        acc[1] += s.criterion.weight
    return {party: round(t / w, 2) for party, (t, w) in totals.items() if w}


def _appraisal_gaps(project: JointProject) -> list[str]:
    criteria = set(
        AppraisalCriterion.objects.filter(dialogue_id=project.dialogue_id).values_list("pk", flat=True)
    )
    gaps = []
    for party in project.dialogue.parties.all():
        scored = set(project.scores.filter(party=party).values_list("criterion_id", flat=True))
        if not criteria or not criteria <= scored:
            gaps.append(party.code)
    return gaps


# --- moving between stages -------------------------------------------------------------------------------
def do_move_project(*, actor, project: JointProject, to: str) -> JointProject:
    """Move the project to the next stage of the pipeline, or close it. Stages cannot be skipped; a concept
    note is needed to go to appraisal, and both parties' complete appraisal to be approved."""
    if to not in Stage.values:
        raise ValidationError({"to": _("Unknown stage “%(value)s”.") % {"value": to}})
    if project.stage in FINAL_STAGES:
        raise ValidationError(
            {
                "to": _("The project is %(stage)s: it does not move any more.")
                % {"stage": project.get_stage_display()}
            }
        )
    require(
        rules.can_move_project(actor, project),
        _("Only an owner of the current stage moves the project on."),
    )
    if to != Stage.CLOSED and to != project.next_stage:
        raise ValidationError(
            {
                "to": _("A project moves one stage at a time: from “%(now)s” it goes to “%(next)s”.")
                % {"now": project.get_stage_display(), "next": Stage(project.next_stage).label}
            }
        )
    if to == Stage.APPRAISAL and not project.concept_note.strip():
        raise ValidationError({"to": _("Write the concept note before the joint appraisal.")})
    if to == Stage.APPROVED:
        if not AppraisalCriterion.objects.filter(dialogue_id=project.dialogue_id).exists():
            raise ValidationError(
                {"to": _("No appraisal criteria are published yet; the secretariat publishes them first.")}
            )
        gaps = _appraisal_gaps(project)
        if gaps:
            raise ValidationError(
                {
                    "to": _(
                        "Both parties appraise the project against every criterion first; "
                        "still to score: %(parties)s."
                    )
                    % {"parties": ", ".join(gaps)}
                }
            )
    return update_audited(
        project,
        {"stage": to, "stage_changed_at": timezone.now()},
        actor=actor,
        action="joint.move",
        before={"stage": project.stage},
        after={"stage": to},
        also=("updated_at",),
    )


# --- the joint programme ---------------------------------------------------------------------------------
def _programme_gate(actor, project: JointProject) -> None:
    require(
        rules.can_manage_joint_programme(actor, project),
        _(
            "Only the secretariat and the current stage's owners shape the joint programme, "
            "once it is approved."
        ),
    )


def do_add_workplan_milestone(
    *,
    actor,
    project: JointProject,
    title: str,
    end_date: dt.date | None,
    start_date: dt.date | None = None,
    description: str = "",
) -> Commitment:
    """A workplan milestone: a joint secretariat commitment (owners per party, verified progress), made by
    the secretariat's own commitment action and linked to the project."""
    _programme_gate(actor, project)
    if end_date is None:
        raise ValidationError({"end_date": _("A milestone needs its due date.")})
    code = f"JP{project.pk}-{project.workplan.count() + 1}"
    with transaction.atomic():
        commitment = do_create_commitment(
            actor=actor,
            dialogue=project.dialogue,
            code=code,
            title=title,
            description=description,
            start_date=start_date,
            end_date=end_date,
            is_joint=True,
            visibility=project.visibility,
            themes=list(project.themes.all()),
        )
        project.workplan.add(commitment)
        record(actor=actor, action="joint.milestone", obj=project, after={"commitment": commitment.code})
    return commitment


def do_set_budget_share(
    *, actor, project: JointProject, party: Party, amount: Decimal | str | None, currency: str
) -> BudgetShare:
    _programme_gate(actor, project)
    party_in_dialogue(project.dialogue, party, "party")
    value, currency = clean_budget(amount, currency)
    if value is None or not currency:
        raise ValidationError({"budget_amount": _("Give the amount and its currency.")})
    return upsert_audited(
        BudgetShare,
        {"project": project, "party": party},
        {"amount": value, "currency": currency},
        actor=actor,
        action="joint.budget",
        subject=project,
        after={"party": party.code, "amount": str(value), "currency": currency},
    )


def do_set_partners(*, actor, project: JointProject, partners: Iterable[Organization]) -> JointProject:
    _programme_gate(actor, project)
    chosen = list(dict.fromkeys(partners))
    with transaction.atomic():
        before = sorted(project.partners.values_list("pk", flat=True))
        project.partners.set(chosen)
        record(
            actor=actor,
            action="joint.partners",
            obj=project,
            before={"partners": before},
            after={"partners": sorted(o.pk for o in chosen)},
        )
    return project


def do_link_opportunities(
    *, actor, project: JointProject, opportunities: Iterable[Opportunity]
) -> JointProject:
    """Link talent opportunities (fellowships, exchanges...) that the actor may see to the joint programme."""
    from concord.core import rules as core

    _programme_gate(actor, project)
    chosen = list(dict.fromkeys(opportunities))
    for opportunity in chosen:
        if opportunity.dialogue_id != project.dialogue_id or not core.can_view(actor, opportunity):
            raise ValidationError(
                {"opportunities": _("No opportunity with id %(id)s.") % {"id": opportunity.pk}}
            )
    with transaction.atomic():
        project.opportunities.set(chosen)
        record(
            actor=actor,
            action="joint.opportunities",
            obj=project,
            after={"opportunities": sorted(o.pk for o in chosen)},
        )
    return project


def do_add_project_indicator(
    *,
    actor,
    project: JointProject,
    name: str,
    unit: str,
    baseline_value=None,
    target_value=None,
    target_date: dt.date | None = None,
) -> ProjectIndicator:
    _programme_gate(actor, project)
    if not (unit or "").strip():
        raise ValidationError({"unit": _("Give the indicator's unit (such as “%”, “people” or “MYR”).")})
    indicator = ProjectIndicator(
        project=project,
        name=clean_name(name, field="name", max_length=200),
        unit=clean_name(unit, field="unit", max_length=60),
        baseline_value=clean_decimal(baseline_value, field="baseline_value"),
        target_value=clean_decimal(target_value, field="target_value"),
        target_date=target_date,
    )
    with transaction.atomic():
        indicator.save()
        record(
            actor=actor,
            action="joint.indicator",
            obj=project,
            after={"name": indicator.name, "unit": indicator.unit},
        )
    return indicator
