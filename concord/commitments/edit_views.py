"""Editing commitments and milestones, sending a commitment to the agenda, and verifying several progress
updates at once."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.forms.models import model_to_dict
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from concord.core.lookups import dialogue_or_404
from concord.core.shortcuts import act, post_form, render_form, run_form
from concord.secretariat import actions as secretariat_actions
from concord.secretariat.lookups import dialogue_people, meeting_page_or_404

from . import actions, rules
from .forms import CommitmentEditForm, MilestoneEditForm
from .models import Commitment, Milestone, ProgressUpdate, UpdateState
from .views import _visible_commitment


# --- commitments ------------------------------------------------------------------------------------------
@login_required
def commitment_edit(request, pk: int):
    commitment = _visible_commitment(request, pk)
    if not rules.can_edit_commitment(request.user, commitment):
        raise PermissionDenied(_("You may not change this commitment."))
    people = dialogue_people(commitment.dialogue)
    form = CommitmentEditForm(
        request.POST or None,
        people=people,
        initial=model_to_dict(commitment, fields=CommitmentEditForm.base_fields),
    )
    milestones = list(commitment.milestones.select_related("owner"))
    for m in milestones:
        m.edit_form = MilestoneEditForm(
            prefix=f"m{m.pk}",
            people=people,
            initial=model_to_dict(m, fields=MilestoneEditForm.base_fields),
        )
    if request.method == "POST" and form.is_valid():
        saved = run_form(form, actions.do_update_commitment, actor=request.user, commitment=commitment)
        if saved is not None:
            messages.success(request, _("Commitment saved."))
            return redirect(commitment)
        commitment.refresh_from_db()
    return render_form(request, "commitments/commitment_edit.html", form, c=commitment, milestones=milestones)


@login_required
@require_POST
def milestone_edit(request, pk: int):
    milestone = get_object_or_404(Milestone, pk=pk)
    commitment = _visible_commitment(request, milestone.commitment_id)
    milestone.commitment = commitment
    form = MilestoneEditForm(
        request.POST, prefix=f"m{milestone.pk}", people=dialogue_people(commitment.dialogue)
    )
    post_form(request, form, actions.do_update_milestone, success=_("Milestone saved."), milestone=milestone)
    return redirect("secretariat:commitment_edit", pk=commitment.pk)


@login_required
@require_POST
def commitment_to_agenda(request, pk: int):
    """Send a commitment to the agenda: an item linked to it, on a coming meeting or in the backlog. The
    commitment's page then lists where it was discussed, with the outcomes."""
    commitment = _visible_commitment(request, pk)
    raw = request.POST.get("meeting", "")
    meeting = None
    if raw.isdigit():
        meeting = meeting_page_or_404(request, int(raw))
        if meeting.dialogue_id != commitment.dialogue_id:
            raise Http404(_("No such meeting, or you do not have access to it."))
    if act(request, secretariat_actions.do_send_to_agenda, obj=commitment, meeting=meeting):
        where = str(meeting) if meeting else _("the backlog")
        messages.success(request, _("Sent to the agenda: %(where)s.") % {"where": where})
    return redirect(commitment)


# --- progress awaiting verification -----------------------------------------------------------------------
def _waiting_updates(user, dialogue):
    visible = Commitment.objects.visible_to(user).filter(dialogue=dialogue)
    updates = (
        ProgressUpdate.objects.filter(commitment__in=visible, state=UpdateState.SUBMITTED)
        .select_related("commitment__dialogue", "party", "submitted_by")
        .order_by("created_at", "id")
    )
    return [u for u in updates if rules.can_verify(user, u)]


@login_required
def progress_waiting(request, slug: str):
    """Progress updates waiting for the user's verification, to verify several at once."""
    dialogue = dialogue_or_404(slug)
    if request.method == "POST":
        chosen = {int(v) for v in request.POST.getlist("update") if v.isdigit()}
        if not chosen:
            messages.error(request, _("Tick the updates to verify."))
            return redirect("secretariat:progress_waiting", slug=slug)
        visible = Commitment.objects.visible_to(request.user).filter(dialogue=dialogue)
        updates = list(
            ProgressUpdate.objects.filter(pk__in=chosen, commitment__in=visible)
            .select_related("commitment__dialogue", "party")
            .order_by("created_at", "id")
        )
        result = actions.do_review_many(actor=request.user, updates=updates, verify=True)
        if result.done:
            messages.success(request, _("%(n)s updates verified.") % {"n": len(result.done)})
        for update, reason in result.refused:
            messages.error(
                request,
                _("%(commitment)s (%(percent)s%%) was not verified: %(reason)s")
                % {"commitment": update.commitment.code, "percent": update.percent, "reason": reason},
            )
        return redirect("secretariat:progress_waiting", slug=slug)
    return render(
        request,
        "commitments/progress_waiting.html",
        {"dialogue": dialogue, "updates": _waiting_updates(request.user, dialogue)},
    )
