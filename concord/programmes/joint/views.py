"""Pages of joint projects: the portfolio, proposing, a project's page (pipeline, owners, appraisal, joint
programme) and the forms that act on it. Anything the caller may not see answers 404; a refused action
comes back as a message on the project's page, naming why."""

from __future__ import annotations

import math
from collections import Counter

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from concord.accounts.models import Dialogue, Party
from concord.core import charts
from concord.core import rules as core
from concord.core.lookups import default_dialogue_or_404
from concord.core.shortcuts import add_errors, filtered_page, first_or_404, form_page, saved
from concord.library.models import Theme
from concord.talent.models import Opportunity

from .. import rules
from ..models import PIPELINE, AppraisalCriterion, JointProject, Programme, Stage, StageOwner
from . import actions
from .forms import (
    BudgetShareForm,
    CriterionForm,
    EditForm,
    IndicatorForm,
    MilestoneForm,
    OpportunitiesForm,
    OwnerForm,
    PartnersForm,
    ProposeForm,
)


def _project(request, pk: int) -> JointProject:
    return first_or_404(
        JointProject.objects.visible_to(request.user)
        .select_related("proposed_by", "dialogue")
        .prefetch_related(Prefetch("owners", StageOwner.objects.select_related("user", "party"))),
        _("No such joint project, or you do not have access to it."),
        pk=pk,
    )


def _message(request, exc: Exception) -> None:
    if isinstance(exc, ValidationError):
        messages.error(request, " ".join(exc.messages))
    else:
        messages.error(request, str(exc))


# --- portfolio -------------------------------------------------------------------------------------------
def _filtered(request):
    qs = JointProject.objects.visible_to(request.user).for_list()
    f = {k: request.GET.get(k, "")[:80] for k in ("theme", "stage", "party")}
    if f["theme"]:
        qs = qs.filter(themes__slug=f["theme"])
    if f["stage"] in Stage.values:
        qs = qs.filter(stage=f["stage"])
    if f["party"]:
        qs = qs.filter(proposed_by__code=f["party"].upper())
    return qs.distinct(), f


def _stage_chart(projects: list[JointProject], parties: list[Party]) -> charts.Chart:
    counts = Counter((p.stage, p.proposed_by_id) for p in projects)
    top = max(counts.values(), default=0)
    series = [
        charts.Key(str(party), charts.SERIES[n % len(charts.SERIES)]) for n, party in enumerate(parties)
    ]
    rows = [
        charts.Row(
            str(label), tuple(float(counts[(stage, party.pk)]) for party in parties), href=f"?stage={stage}"
        )
        for stage, label in Stage.choices
    ]
    return charts.hbars(
        rows,
        series,
        title=_("Joint projects by stage and proposing party"),
        axis_label=_("Projects"),
        scale=float(4 * max(1, math.ceil(top / 4))),  # ticks at whole numbers
        unit="",
    )


def portfolio(request):
    qs, f = _filtered(request)
    projects = list(qs)
    parties = list(Party.objects.filter(dialogues__isnull=False).distinct().order_by("code"))
    by_theme: dict[str, Counter] = {}
    for project in projects:
        for theme in project.themes.all() or [None]:
            label = theme.label() if theme else _("No theme")
            by_theme.setdefault(label, Counter())[project.stage] += 1
    dialogue = Dialogue.objects.order_by("pk").first()
    can_propose = bool(
        dialogue and rules.creatable_party_ids(request.user, default_dialogue_or_404(request.user))
    )
    return render(
        request,
        "programmes/joint_list.html",
        {
            **filtered_page(request, projects, f),
            "parties": parties,
            "themes": Theme.objects.all(),
            "stages": Stage.choices,
            "chart": _stage_chart(projects, parties) if projects else None,
            "by_theme": sorted((label, [c[s] for s in Stage.values]) for label, c in by_theme.items()),
            "can_propose": can_propose,
            "can_publish": bool(dialogue and rules.can_publish_criteria(request.user, dialogue.pk)),
        },
    )


@login_required
def propose(request):
    dialogue = default_dialogue_or_404(request.user)
    parties = Party.objects.filter(pk__in=rules.creatable_party_ids(request.user, dialogue))
    if not parties.exists():
        raise PermissionDenied(
            _("Only the parties' delegates and analysts, and the secretariat, propose joint projects.")
        )
    form = ProposeForm(
        request.POST or None,
        parties=parties,
        programmes=Programme.objects.visible_to(request.user).filter(dialogue=dialogue).only("id", "title"),
        initial={
            "proposed_by": parties.first().pk if parties.count() == 1 else None,
            "visibility": "dialogue",
        },
    )
    return form_page(
        request,
        form,
        "programmes/joint_form.html",
        {"heading": _("Propose a joint project")},
        save=lambda data: actions.do_propose_project(actor=request.user, dialogue=dialogue, **data),
        done=saved(request, _("Joint project proposed.")),
    )


# --- one project -----------------------------------------------------------------------------------------
def _owners(project: JointProject, parties: list[Party]) -> list[dict]:
    named = {(o.stage, o.party_id): o.user for o in project.owners.all()}
    return [
        {
            "stage": stage,
            "label": label,
            "current": stage == project.stage,
            "owners": [(party, named.get((stage, party.pk))) for party in parties],
        }
        for stage, label in Stage.choices
        if stage != Stage.CLOSED
    ]


def _appraisal(project: JointProject, parties: list[Party]) -> tuple[list[AppraisalCriterion], list[dict]]:
    criteria = list(AppraisalCriterion.objects.filter(dialogue_id=project.dialogue_id))
    scores = {(s.criterion_id, s.party_id): s for s in project.scores.all()}
    rows = [{"criterion": c, "cells": [scores.get((c.pk, p.pk)) for p in parties]} for c in criteria]
    return criteria, rows


def project_detail(request, pk: int):
    project = _project(request, pk)
    user = request.user
    parties = list(project.dialogue.parties.order_by("code"))
    criteria, appraisal_rows = _appraisal(project, parties)
    summary = actions.appraisal_summary(project)
    can_shape = rules.can_manage_joint_programme(user, project)
    ctx = {
        "project": project,
        "parties": parties,
        "pipeline": [(s, Stage(s).label) for s in PIPELINE],
        "owners": _owners(project, parties),
        "criteria": criteria,
        "appraisal_rows": appraisal_rows,
        "averages": [summary.get(p.pk) for p in parties],
        "appraise_parties": [p for p in parties if rules.can_appraise(user, project, p.pk)],
        "can_move": rules.can_move_project(user, project),
        "next_stage": Stage(project.next_stage) if project.next_stage else None,
        "can_edit": rules.can_edit_project(user, project),
        "owner_parties": [p for p in parties if rules.can_set_owner(user, project, p.pk)],
        "themes": project.themes.all(),
        "programmes": project.programmes.filter(core.visible_q(user)).select_related("party"),
        "can_shape": can_shape,
    }
    if project.is_programme:
        ctx.update(
            {
                "workplan": project.workplan.filter(core.visible_q(user)).prefetch_related(
                    "party_shares__party"
                ),
                "shares": project.budget_shares.select_related("party"),
                "partners": project.partners.all(),
                "indicators": project.indicators.all(),
                "opportunities": project.opportunities.filter(core.visible_q(user)),
            }
        )
    if can_shape:
        ctx.update(
            {
                "milestone_form": MilestoneForm(prefix="m"),
                "share_form": BudgetShareForm(prefix="b", parties=project.dialogue.parties.all()),
                "partners_form": PartnersForm(
                    prefix="o", initial={"partners": list(project.partners.values_list("pk", flat=True))}
                ),
                "opportunities_form": OpportunitiesForm(
                    prefix="t",
                    opportunities=_opportunities(request, project),
                    initial={"opportunities": list(project.opportunities.values_list("pk", flat=True))},
                ),
                "indicator_form": IndicatorForm(prefix="i"),
            }
        )
    if ctx["owner_parties"]:
        ctx["owner_form"] = _owner_form(project, ctx["owner_parties"])
    return render(request, "programmes/joint_detail.html", ctx)


def _opportunities(request, project: JointProject):
    return Opportunity.objects.filter(core.visible_q(request.user), dialogue_id=project.dialogue_id).only(
        "id", "title"
    )


def _owner_form(project: JointProject, parties: list[Party], data=None) -> OwnerForm:
    from concord.accounts.models import Membership

    people = (
        Membership.objects.filter(
            dialogue_id=project.dialogue_id, party__in=parties, role__in=rules.CONTACT_POINT_ROLES
        )
        .select_related("user", "party")
        .order_by("party__code", "user__full_name")
    )
    return OwnerForm(
        data,
        prefix="w",
        parties=Party.objects.filter(pk__in=[p.pk for p in parties]),
        people=[(m.user_id, f"{m.party.code}: {m.user.full_name or m.user.email}") for m in people],
        initial={"stage": project.stage if project.stage != Stage.CLOSED else Stage.IDEA},
    )


@login_required
def project_edit(request, pk: int):
    project = _project(request, pk)
    if not rules.can_edit_project(request.user, project):
        raise PermissionDenied(_("Only the current stage's owners and the secretariat edit it."))
    form = EditForm(
        request.POST or None,
        initial={
            "title": project.title,
            "summary": project.summary,
            "concept_note": project.concept_note,
            "themes": list(project.themes.values_list("slug", flat=True)),
        },
    )
    return form_page(
        request,
        form,
        "programmes/joint_form.html",
        {"project": project, "heading": _("Edit the joint project")},
        save=lambda data: actions.do_update_project(actor=request.user, project=project, **data),
        done=saved(request, _("Joint project saved."), to=project),
    )


def _act(request, project: JointProject, do, success: str):
    try:
        do()
    except (ValidationError, PermissionDenied) as exc:
        _message(request, exc)
    else:
        messages.success(request, success)
    return redirect(project)


@login_required
@require_POST
def project_move(request, pk: int):
    project = _project(request, pk)
    to = request.POST.get("to", "")[:20]
    return _act(
        request,
        project,
        lambda: actions.do_move_project(actor=request.user, project=project, to=to),
        _("The project is now at the stage “%(stage)s”.")
        % {"stage": Stage(to).label if to in Stage.values else to},
    )


@login_required
@require_POST
def project_appraise(request, pk: int):
    project = _project(request, pk)
    party = project.dialogue.parties.filter(code=request.POST.get("party", "")[:2].upper()).first()
    if party is None:
        messages.error(request, _("Say for which party you appraise the project."))
        return redirect(project)
    scores: dict[int, tuple[int, str]] = {}
    for criterion in AppraisalCriterion.objects.filter(dialogue_id=project.dialogue_id):
        raw = request.POST.get(f"score_{criterion.pk}", "").strip()
        if raw:
            try:
                value = int(raw)
            except ValueError:
                value = -1
            scores[criterion.pk] = (value, request.POST.get(f"comment_{criterion.pk}", "")[:4000])
    return _act(
        request,
        project,
        lambda: actions.do_score_project(actor=request.user, project=project, party=party, scores=scores),
        _("Appraisal recorded for %(party)s.") % {"party": party},
    )


@login_required
@require_POST
def project_owner(request, pk: int):
    project = _project(request, pk)
    parties = [p for p in project.dialogue.parties.all() if rules.can_set_owner(request.user, project, p.pk)]
    form = _owner_form(project, parties, request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a stage, a party and one of its delegates or analysts."))
        return redirect(project)
    user = get_user_model().objects.filter(pk=form.cleaned_data["user"]).first()
    return _act(
        request,
        project,
        lambda: actions.do_set_stage_owner(
            actor=request.user,
            project=project,
            stage=form.cleaned_data["stage"],
            party=form.cleaned_data["party"],
            user=user,
        ),
        _("Stage owner named."),
    )


# The parts of a joint programme shaped on its page: the form (given the request and the project), the
# action that saves it, and what the page then says.
SHAPE_PARTS = {
    "milestone": (
        lambda request, project: MilestoneForm(request.POST, prefix="m"),
        actions.do_add_workplan_milestone,
        gettext_lazy("Milestone added to the workplan."),
    ),
    "budget": (
        lambda request, project: BudgetShareForm(
            request.POST, prefix="b", parties=project.dialogue.parties.all()
        ),
        actions.do_set_budget_share,
        gettext_lazy("Budget share saved."),
    ),
    "partners": (
        lambda request, project: PartnersForm(request.POST, prefix="o"),
        actions.do_set_partners,
        gettext_lazy("Partner organisations saved."),
    ),
    "opportunities": (
        lambda request, project: OpportunitiesForm(
            request.POST, prefix="t", opportunities=_opportunities(request, project)
        ),
        actions.do_link_opportunities,
        gettext_lazy("Talent opportunities linked."),
    ),
    "indicator": (
        lambda request, project: IndicatorForm(request.POST, prefix="i"),
        actions.do_add_project_indicator,
        gettext_lazy("Indicator added."),
    ),
}


@login_required
@require_POST
def project_shape(request, pk: int, part: str):
    """The joint programme's parts: a workplan milestone, a budget share, partners, opportunities, an
    indicator."""
    project = _project(request, pk)
    if part not in SHAPE_PARTS:
        raise Http404(_("No such part of a joint programme."))
    make_form, action, done = SHAPE_PARTS[part]
    form = make_form(request, project)
    if not form.is_valid():
        messages.error(
            request,
            " ".join(
                f"{form.fields[f].label if f in form.fields else ''}: {' '.join(e)}"
                for f, e in form.errors.items()
            ),
        )
        return redirect(project)
    return _act(
        request, project, lambda: action(actor=request.user, project=project, **form.cleaned_data), str(done)
    )


# --- appraisal criteria ----------------------------------------------------------------------------------
@login_required
def criteria(request):
    dialogue = default_dialogue_or_404(request.user)
    can_publish = rules.can_publish_criteria(request.user, dialogue.pk)
    form = CriterionForm(request.POST or None) if can_publish else None
    if request.method == "POST":
        if form is None:
            raise PermissionDenied(_("Only the secretariat publishes appraisal criteria."))
        if form.is_valid():
            try:
                actions.do_publish_criterion(actor=request.user, dialogue=dialogue, **form.cleaned_data)
            except ValidationError as exc:
                add_errors(form, exc)
            else:
                messages.success(request, _("Criterion published."))
                return redirect("programmes:joint_criteria")
    return render(
        request,
        "programmes/joint_criteria.html",
        {"criteria": AppraisalCriterion.objects.filter(dialogue=dialogue), "form": form},
        status=400 if form is not None and form.errors else 200,
    )
