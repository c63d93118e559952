"""Commitment pages (list, detail, milestones, progress and its verification, dependencies) and the
commitments import."""

from __future__ import annotations

from functools import partial
from operator import attrgetter

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.forms.models import model_to_dict
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from concord.accounts.models import Organization
from concord.core import rules as core_rules
from concord.core.lookups import dialogue_or_404
from concord.core.shortcuts import (
    REFUSALS,
    act,
    attachment,
    first_or_404,
    form_page,
    object_action,
    saved,
)
from concord.secretariat.models import Meeting, MeetingState, Outcome, WorkingGroup

from . import actions, import_template, rollup, rules
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
from .importing import COLUMNS
from .models import Commitment, CommitmentKind, Completion, EvidenceFile, Milestone, ProgressUpdate
from .progress import milestone_state


def _visible_commitment(request, pk: int) -> Commitment:
    return first_or_404(
        Commitment.objects.select_related(
            "dialogue", "working_group", "owner", "parent", "party", "source_outcome__agenda_item__meeting"
        ),
        _("No such commitment, or you do not have access to it."),
        visible=partial(rules.can_view, request.user),
        pk=pk,
    )


def commitment_list(request, slug: str):
    dialogue = dialogue_or_404(slug)
    qs = (
        rollup.visible_commitments(request.user, dialogue.pk)
        .select_related("working_group", "parent")
        .prefetch_related("party_shares__party", "party_shares__lead_agency")
    )
    wg = request.GET.get("wg", "")
    if wg.isdigit():
        qs = qs.filter(working_group_id=int(wg))
    completion = request.GET.get("completion", "")
    commitments = list(qs)
    percent = rollup.rollup(rollup.visible_commitments(request.user, dialogue.pk))
    today = timezone.localdate()
    rows = [
        (
            c,
            percent.get(c.pk),
            rollup.is_overdue(c, percent.get(c.pk), today),
            rollup.completion_of(c, percent.get(c.pk)),
        )
        for c in commitments
    ]
    if completion in Completion.values:  # the level shown, derived from progress, not the one declared
        rows = [r for r in rows if r[3] == completion]
    return render(
        request,
        "commitments/commitment_list.html",
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
    dialogue = dialogue_or_404(slug)
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
    return form_page(
        request,
        form,
        "commitments/commitment_form.html",
        {"dialogue": dialogue},
        save=lambda data: _create_commitment(user, dialogue, own, dict(data)),
        done=saved(request, _("Commitment recorded.")),
        refusals=REFUSALS,
    )


def _create_commitment(user, dialogue, own, data: dict) -> Commitment:
    """The form's commitment: the lead agencies it names, owned by the delegate's party (none for the
    secretariat), shared by both parties when joint, else by those that lead it or own it."""
    parties = {p.code: p for p in dialogue.parties.all()}
    leads = {}
    for code in ("MY", "PK"):
        org = data.pop(f"lead_{code.lower()}")
        if org and code in parties:
            leads[parties[code].pk] = org
    party = (
        None if rules.is_secretariat(user, dialogue.pk) else next(p for p in parties.values() if p.pk in own)
    )
    shares = (
        list(parties.values())
        if data["is_joint"]
        else [p for p in parties.values() if p.pk in leads or p == party]
    )
    return actions.do_create_commitment(
        actor=user, dialogue=dialogue, party=party, parties=shares, lead_agencies=leads, **data
    )


def commitment_detail(request, pk: int):
    commitment = _visible_commitment(request, pk)
    user = request.user
    family = rollup.visible_commitments(user, commitment.dialogue_id)
    percent = rollup.rollup(family)
    updates = list(
        commitment.updates.select_related("party", "submitted_by", "reviewed_by").prefetch_related("files")
    )
    for u in updates:
        u.can_review = rules.can_verify(user, u)
        u.can_see_files = rules.can_view_evidence(user, u)
    children = commitment.children.all().visible_to(user)
    today = timezone.localdate()
    level = rollup.completion_of(commitment, percent.get(commitment.pk))
    milestones = list(commitment.milestones.all())
    for m in milestones:
        m.state = milestone_state(m.planned_date, m.actual_date, today, commitment_level=level)
    return render(
        request,
        "commitments/commitment.html",
        {
            "c": commitment,
            "percent": percent.get(commitment.pk),
            "completion": level,
            "overdue": rollup.is_overdue(commitment, percent.get(commitment.pk), today),
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
                initial=model_to_dict(commitment, fields=CommitmentStatusForm.base_fields)
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
        act(
            request,
            actions.do_update_commitment,
            _("Status saved."),
            commitment=commitment,
            **form.cleaned_data,
        )
    return redirect(commitment)


milestone_create = object_action(
    _visible_commitment,
    actions.do_add_milestone,
    "commitment",
    form=MilestoneForm,
    success=gettext_lazy("Milestone added."),
    invalid=gettext_lazy("Give the milestone a title and a valid date."),
)


def _visible_milestone(request, pk: int) -> Milestone:
    """The milestone ``pk`` when its commitment is visible to the user, else a 404."""
    milestone = get_object_or_404(Milestone, pk=pk)
    milestone.commitment = _visible_commitment(request, milestone.commitment_id)
    return milestone


milestone_reach = object_action(
    _visible_milestone,
    actions.do_reach_milestone,
    "milestone",
    form=ReachMilestoneForm,
    invalid=gettext_lazy("Give the date the milestone was reached."),
    back=attrgetter("commitment"),
)

progress_submit = object_action(
    _visible_commitment,
    actions.do_submit_progress,
    "commitment",
    form=ProgressForm,
    success=gettext_lazy("Progress submitted for verification."),
)


@login_required
@require_POST
def progress_review(request, pk: int):
    update = get_object_or_404(ProgressUpdate.objects.select_related("commitment"), pk=pk)
    commitment = _visible_commitment(request, update.commitment_id)
    form = ReviewForm(request.POST)
    if form.is_valid() and act(
        request,
        actions.do_review_progress,
        update=update,
        verify=form.cleaned_data["decision"] == "verify",
        note=form.cleaned_data["note"],
    ):
        messages.success(request, _("Update %(state)s.") % {"state": update.get_state_display().lower()})
    return redirect(commitment)


@login_required
@require_POST
def dependency_add(request, pk: int):
    commitment = _visible_commitment(request, pk)
    form = DependencyForm(
        request.POST, commitments=rollup.visible_commitments(request.user, commitment.dialogue_id)
    )
    if form.is_valid():
        act(
            request,
            actions.do_add_dependency,
            commitment=commitment,
            depends_on=form.cleaned_data["depends_on"],
        )
    return redirect(commitment)


@login_required
def evidence(request, pk: int):
    f = EvidenceFile.objects.select_related("update__commitment").filter(pk=pk).first()
    if f is None or not rules.can_view_evidence(request.user, f.update):
        raise Http404(_("No such evidence file, or you do not have access to it."))
    response = FileResponse(f.file.open("rb"), as_attachment=True, filename=f.name)
    response["Content-Type"] = f.media_type or "application/octet-stream"
    return response


# --- import -----------------------------------------------------------------------------------------------
@login_required
def commitment_import(request, slug: str):
    dialogue = dialogue_or_404(slug)
    if not rules.can_import(request.user, dialogue.pk):
        raise PermissionDenied(_("Only the secretariat and delegates import commitments."))
    form = ImportForm(request.POST or None, request.FILES or None)
    report = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]  # its size checked by the form
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
        "commitments/import.html",
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
    dialogue = dialogue_or_404(slug)
    if not rules.can_import(request.user, dialogue.pk):
        raise PermissionDenied(_("Only the secretariat and delegates import commitments."))
    if ext == "csv":
        data, content_type = import_template.as_csv(dialogue), "text/csv; charset=utf-8"
    elif ext == "xlsx":
        data = import_template.as_xlsx(dialogue)
        content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    else:
        raise Http404
    return attachment(data, content_type, f"commitments-template.{ext}")
