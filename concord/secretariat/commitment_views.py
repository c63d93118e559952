"""Commitment pages (list, detail, milestones, progress and its verification, dependencies), the dashboard
with its charts, the commitments import and the round dossier."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from concord.accounts.models import Organization
from concord.core import charts
from concord.core import rules as core_rules
from concord.core.models import Job, JobStatus
from concord.core.views import _add_errors

from . import import_template, reports, rules
from .commitments import actions
from .forms import (
    CommitmentForm,
    CommitmentStatusForm,
    DependencyForm,
    ImportForm,
    MilestoneForm,
    ProgressForm,
    ReachMilestoneForm,
    ReviewForm,
)
from .graph import layers
from .importing import COLUMNS
from .models import (
    Commitment,
    CommitmentKind,
    Completion,
    EvidenceFile,
    Meeting,
    MeetingState,
    Milestone,
    Outcome,
    ProgressUpdate,
    WorkingGroup,
)
from .progress import milestone_state
from .reporting.actions import do_request_dossier
from .tasks import dossier_path
from .views import _act, _fail, _post_form, get_dialogue


def _visible_commitment(request, pk: int) -> Commitment:
    commitment = (
        Commitment.objects.select_related("dialogue", "working_group", "owner", "parent", "party")
        .select_related("source_outcome__agenda_item__meeting")
        .filter(pk=pk)
        .first()
    )
    if commitment is None or not rules.can_view(request.user, commitment):
        raise Http404(_("No such commitment, or you do not have access to it."))
    return commitment


def commitment_list(request, slug: str):
    dialogue = get_dialogue(slug)
    qs = (
        reports.visible_commitments(request.user, dialogue.pk)
        .select_related("working_group", "parent")
        .prefetch_related("party_shares__party", "party_shares__lead_agency")
    )
    wg = request.GET.get("wg", "")
    if wg.isdigit():
        qs = qs.filter(working_group_id=int(wg))
    completion = request.GET.get("completion", "")
    commitments = list(qs)
    percent = reports.rollup(reports.visible_commitments(request.user, dialogue.pk))
    today = timezone.localdate()
    rows = [
        (
            c,
            percent.get(c.pk),
            reports.is_overdue(c, percent.get(c.pk), today),
            reports.completion_of(c, percent.get(c.pk)),
        )
        for c in commitments
    ]
    if completion in Completion.values:  # the level shown, derived from progress, not the one declared
        rows = [r for r in rows if r[3] == completion]
    return render(
        request,
        "secretariat/commitment_list.html",
        {
            "dialogue": dialogue,
            "rows": rows,
            "groups": WorkingGroup.objects.filter(dialogue=dialogue).visible_to(request.user),
            "wg": wg,
            "completion": completion,
            "completions": Completion.choices,
            "can_create": rules.can_create_commitment(request.user, dialogue.pk, "dialogue", None)
            or bool(rules.party_ids_of(request.user, dialogue.pk)),
            "can_import": rules.can_import(request.user, dialogue.pk),
        },
    )


def _commitment_querysets(user, dialogue):
    orgs = Organization.objects.all()
    return {
        "working_group": WorkingGroup.objects.filter(dialogue=dialogue),
        "source_outcome": Outcome.objects.filter(agenda_item__dialogue=dialogue)
        .filter(rules.visible_q(user, "agenda_item__"))
        .select_related("agenda_item"),
        "parent": Commitment.objects.filter(dialogue=dialogue).visible_to(user),
        "lead_my": orgs.filter(country="MY"),
        "lead_pk": orgs.filter(country="PK"),
    }


@login_required
def commitment_create(request, slug: str):
    dialogue = get_dialogue(slug)
    user = request.user
    own = rules.party_ids_of(user, dialogue.pk)
    if not (rules.is_secretariat(user, dialogue.pk) or own) or not rules.can_import(user, dialogue.pk):
        raise PermissionDenied(_("Only the secretariat and delegates record commitments."))
    initial = {"visibility": "dialogue", "weight": 1, "kind": CommitmentKind.COMMITMENT}
    outcome_id = request.GET.get("outcome", "")
    if outcome_id.isdigit():
        outcome = (
            Outcome.objects.filter(pk=int(outcome_id), agenda_item__dialogue=dialogue)
            .select_related("agenda_item__meeting")
            .first()
        )
        if outcome and rules.can_view(user, outcome.agenda_item):
            initial.update(source_outcome=outcome.pk, title=outcome.text[:300], is_joint=True)
            if outcome.agenda_item.meeting and outcome.agenda_item.meeting.working_group_id:
                initial["working_group"] = outcome.agenda_item.meeting.working_group_id
    form = CommitmentForm(
        request.POST or None,
        initial=initial,
        querysets=_commitment_querysets(user, dialogue),
        visibility_choices=core_rules.visibility_choices_for(user, dialogue.pk)[:2],
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        parties = {p.code: p for p in dialogue.parties.all()}
        leads = {}
        for code in ("MY", "PK"):
            org = data.pop(f"lead_{code.lower()}")
            if org and code in parties:
                leads[parties[code].pk] = org
        party = (
            None
            if rules.is_secretariat(user, dialogue.pk)
            else next(p for p in parties.values() if p.pk in own)
        )
        shares = (
            list(parties.values())
            if data["is_joint"]
            else [p for p in parties.values() if p.pk in leads or p == party]
        )
        try:
            commitment = actions.do_create_commitment(
                actor=user, dialogue=dialogue, party=party, parties=shares, lead_agencies=leads, **data
            )
        except ValidationError as exc:
            _add_errors(form, exc)
        except PermissionDenied as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Commitment recorded."))
            return redirect(commitment)
    return render(
        request,
        "secretariat/commitment_form.html",
        {"form": form, "dialogue": dialogue},
        status=400 if form.errors else 200,
    )


def commitment_detail(request, pk: int):
    commitment = _visible_commitment(request, pk)
    user = request.user
    family = reports.visible_commitments(user, commitment.dialogue_id)
    percent = reports.rollup(family)
    updates = list(
        commitment.updates.select_related("party", "submitted_by", "reviewed_by").prefetch_related("files")
    )
    for u in updates:
        u.can_review = rules.can_verify(user, u)
        u.can_see_files = rules.can_view_evidence(user, u)
    children = commitment.children.all().visible_to(user)
    today = timezone.localdate()
    level = reports.completion_of(commitment, percent.get(commitment.pk))
    milestones = list(commitment.milestones.all())
    for m in milestones:
        m.state = milestone_state(m.planned_date, m.actual_date, today, commitment_level=level)
    return render(
        request,
        "secretariat/commitment.html",
        {
            "c": commitment,
            "percent": percent.get(commitment.pk),
            "completion": level,
            "overdue": reports.is_overdue(commitment, percent.get(commitment.pk), today),
            "shares": commitment.party_shares.select_related("party", "lead_agency"),
            "milestones": milestones,
            "updates": updates,
            "children": [(ch, percent.get(ch.pk)) for ch in children],
            "depends_on": commitment.depends_on.all().visible_to(user),
            "dependents": commitment.dependents.all().visible_to(user),
            "partners": commitment.partners.all(),
            "can_edit": rules.can_edit_commitment(user, commitment),
            "can_milestone": rules.can_add_milestone(user, commitment),
            "can_progress": rules.can_submit_progress(user, commitment),
            "status_form": CommitmentStatusForm(
                initial={
                    "completion": commitment.completion,
                    "ambition": commitment.ambition,
                    "is_blocked": commitment.is_blocked,
                    "blocked_reason": commitment.blocked_reason,
                }
            ),
            "milestone_form": MilestoneForm(),
            "reach_form": ReachMilestoneForm(),
            "progress_form": ProgressForm(),
            "review_form": ReviewForm(),
            "dependency_form": DependencyForm(commitments=family.exclude(pk=commitment.pk)),
            "today": today,
            "discussed": commitment.agenda_items.exclude(meeting=None)
            .select_related("meeting")
            .prefetch_related("outcomes")
            .visible_to(user)
            .order_by("-meeting__starts_at", "id"),
            "coming_meetings": [
                m
                for m in Meeting.objects.filter(
                    dialogue_id=commitment.dialogue_id, state__in=[MeetingState.DRAFT, MeetingState.OPEN]
                )
                .visible_to(user)
                .order_by("starts_at", "id")
                if rules.can_manage_meeting(user, m)
            ],
            "can_send": user.is_authenticated
            and rules.can_propose_item(
                user, commitment.dialogue_id, commitment.visibility, commitment.party_id
            ),
        },
    )


@login_required
@require_POST
def commitment_status(request, pk: int):
    commitment = _visible_commitment(request, pk)
    form = CommitmentStatusForm(request.POST)
    if form.is_valid():
        _act(
            request,
            actions.do_update_commitment,
            _("Status saved."),
            commitment=commitment,
            **form.cleaned_data,
        )
    return redirect(commitment)


@login_required
@require_POST
def milestone_create(request, pk: int):
    commitment = _visible_commitment(request, pk)
    _post_form(
        request,
        MilestoneForm(request.POST),
        actions.do_add_milestone,
        success=_("Milestone added."),
        invalid=_("Give the milestone a title and a valid date."),
        commitment=commitment,
    )
    return redirect(commitment)


@login_required
@require_POST
def milestone_reach(request, pk: int):
    milestone = get_object_or_404(Milestone, pk=pk)
    commitment = _visible_commitment(request, milestone.commitment_id)
    form = ReachMilestoneForm(request.POST)
    if form.is_valid():
        _act(request, actions.do_reach_milestone, milestone=milestone, **form.cleaned_data)
    else:
        messages.error(request, _("Give the date the milestone was reached."))
    return redirect(commitment)


@login_required
@require_POST
def progress_submit(request, pk: int):
    commitment = _visible_commitment(request, pk)
    form = ProgressForm(request.POST, request.FILES)
    if form.is_valid():
        _act(
            request,
            actions.do_submit_progress,
            _("Progress submitted for verification."),
            commitment=commitment,
            **form.cleaned_data,
        )
    else:
        for field, errors in form.errors.items():
            messages.error(request, f"{form.fields[field].label}: {' '.join(errors)}")
    return redirect(commitment)


@login_required
@require_POST
def progress_review(request, pk: int):
    update = get_object_or_404(ProgressUpdate.objects.select_related("commitment"), pk=pk)
    commitment = _visible_commitment(request, update.commitment_id)
    form = ReviewForm(request.POST)
    if form.is_valid():
        try:
            actions.do_review_progress(
                actor=request.user,
                update=update,
                verify=form.cleaned_data["decision"] == "verify",
                note=form.cleaned_data["note"],
            )
        except (ValidationError, PermissionDenied) as exc:
            _fail(request, exc)
        else:
            messages.success(request, _("Update %(state)s.") % {"state": update.get_state_display().lower()})
    return redirect(commitment)


@login_required
@require_POST
def dependency_add(request, pk: int):
    commitment = _visible_commitment(request, pk)
    form = DependencyForm(
        request.POST, commitments=reports.visible_commitments(request.user, commitment.dialogue_id)
    )
    if form.is_valid():
        try:
            actions.do_add_dependency(
                actor=request.user, commitment=commitment, depends_on=form.cleaned_data["depends_on"]
            )
        except (ValidationError, PermissionDenied) as exc:
            _fail(request, exc)
    return redirect(commitment)


@login_required
def evidence(request, pk: int):
    f = EvidenceFile.objects.select_related("update__commitment").filter(pk=pk).first()
    if f is None or not rules.can_view_evidence(request.user, f.update):
        raise Http404(_("No such evidence file, or you do not have access to it."))
    response = FileResponse(f.file.open("rb"), as_attachment=True, filename=f.name)
    response["Content-Type"] = f.media_type or "application/octet-stream"
    return response


# --- dashboard --------------------------------------------------------------------------------------------
def dashboard(request, slug: str):
    dialogue = get_dialogue(slug)
    today = timezone.localdate()
    data = reports.dashboard(request.user, dialogue, today)
    percent = data["percent"]
    commitments = data["commitments"]

    def chart(groups, title):
        if not groups:
            return ""
        return charts.hbars(
            [charts.Row(g.label, (g.percent,), g.href) for g in groups],
            [charts.Key(_("Verified progress"), charts.PROGRESS)],
            title=title,
            axis_label=_("Verified progress (%)"),
        )

    spans = [
        charts.Span(
            label=f"{c.code} {c.title}",
            start=c.start_date or min(c.created_at.date(), c.end_date or today),
            end=c.end_date or max(c.start_date or today, today),
            percent=percent.get(c.pk),
            late=c in data["overdue"],
            href=c.get_absolute_url(),
            milestones=tuple(
                (m.planned_date, m.actual_date is not None) for m in c.milestones.all() if m.planned_date
            ),
        )
        for c in sorted(commitments, key=lambda c: (c.start_date or c.end_date or dt.date.max, c.code))
        if c.start_date or c.end_date
    ]
    ids = {c.pk for c in commitments}
    edges = [(c.pk, d.pk) for c in commitments for d in c.depends_on.all() if d.pk in ids]
    linked = {n for e in edges for n in e}
    nodes = [
        charts.GraphNode(c.pk, f"{c.code} {c.title}", percent.get(c.pk), c.is_blocked, c.get_absolute_url())
        for c in commitments
        if c.pk in linked
    ]
    return render(
        request,
        "secretariat/dashboard.html",
        {
            "dialogue": dialogue,
            "data": data,
            "today": today,
            "chart_wg": chart(data["by_working_group"], _("Progress by working group")),
            "chart_theme": chart(data["by_theme"], _("Progress by theme")),
            "chart_party": chart(data["by_party"], _("Progress by party")),
            "timeline": charts.timeline(spans, title=_("Timeline of commitments"), today=today)
            if spans
            else "",
            "graph": charts.dependency_graph(
                nodes,
                edges,
                layers([n.id for n in nodes], edges),
                title=_("Dependencies between commitments"),
            )
            if nodes
            else "",
            "overdue_rows": [(c, percent.get(c.pk)) for c in data["overdue"]],
            "can_dossier": rules.can_request_dossier(request.user, dialogue.pk),
        },
    )


# --- import -----------------------------------------------------------------------------------------------
@login_required
def commitment_import(request, slug: str):
    dialogue = get_dialogue(slug)
    if not rules.can_import(request.user, dialogue.pk):
        raise PermissionDenied(_("Only the secretariat and delegates import commitments."))
    form = ImportForm(request.POST or None, request.FILES or None)
    report = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        if upload.size > 5 * 1024 * 1024:
            form.add_error("file", _("The file is larger than 5 MB."))
        else:
            report = actions.do_import_commitments(
                actor=request.user,
                dialogue=dialogue,
                data=upload.read(),
                filename=upload.name,
                partial=form.cleaned_data["partial"],
            )
            if report.imported:
                messages.success(request, _("%(n)d commitments imported.") % {"n": len(report.imported)})
    failed = bool(form.errors or (report and (report.error or report.failed)))
    return render(
        request,
        "secretariat/import.html",
        {
            "form": form,
            "dialogue": dialogue,
            "report": report,
            "columns": COLUMNS,
            "groups": import_template.working_groups(dialogue),
        },
        status=400 if failed else 200,
    )


@login_required
def commitment_import_template(request, slug: str, ext: str):
    """The import template, as CSV or XLSX (header, one example row; the XLSX lists the valid values)."""
    dialogue = get_dialogue(slug)
    if not rules.can_import(request.user, dialogue.pk):
        raise PermissionDenied(_("Only the secretariat and delegates import commitments."))
    if ext == "csv":
        data, content_type = import_template.as_csv(dialogue), "text/csv; charset=utf-8"
    elif ext == "xlsx":
        data = import_template.as_xlsx(dialogue)
        content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    else:
        raise Http404
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="commitments-template.{ext}"'
    return response


# --- dossier ----------------------------------------------------------------------------------------------
@login_required
@require_POST
def dossier_request(request, slug: str):
    dialogue = get_dialogue(slug)
    try:
        job = do_request_dossier(actor=request.user, dialogue=dialogue, language=get_language() or "en")
    except PermissionDenied as exc:
        raise Http404(str(exc)) from exc
    return redirect("core:job", pk=job.pk)


def _own_job(request, job_id) -> Job:
    if not request.user.is_authenticated:
        raise Http404(_("No such dossier."))
    return get_object_or_404(Job, pk=job_id, owner=request.user, kind="secretariat.dossier")


@login_required
def dossier_ready(request, job_id):
    job = _own_job(request, job_id)
    links = []
    if job.status == JobStatus.SUCCEEDED:
        links = [
            (_("PDF"), reverse("secretariat:dossier_file", args=[job.pk, "pdf"])),
            (_("XLSX workbook"), reverse("secretariat:dossier_file", args=[job.pk, "xlsx"])),
        ]
    return render(request, "secretariat/dossier_ready.html", {"job": job, "links": links})


@login_required
def dossier_file(request, job_id, ext: str):
    job = _own_job(request, job_id)
    path: Path = dossier_path(str(job.pk), ext)
    if ext not in ("pdf", "xlsx") or not path.exists():
        raise Http404(_("No such dossier file."))
    stamp = job.created_at.strftime("%Y%m%d")
    return FileResponse(path.open("rb"), as_attachment=True, filename=f"round-dossier-{stamp}.{ext}")
