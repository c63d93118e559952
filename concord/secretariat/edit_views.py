"""Edit screens the secretariat uses every week: working groups and their members; editing, rescheduling
and cancelling a meeting, with its calendar file; changing, reordering and deleting agenda items; removing a
participant and inviting a whole working group; editing a commitment and its milestones' owners; and
verifying several progress updates at once. Each view is thin: the actions check the rules."""

from __future__ import annotations

from operator import attrgetter

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms.models import model_to_dict
from django.http import Http404
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from concord.commitments.models import Commitment
from concord.core import rules as core_rules
from concord.core.lookups import dialogue_or_404
from concord.core.shortcuts import act, attachment, object_action, render_form, run_form
from concord.core.zones import wall_time
from concord.library.models import PolicyDocument

from . import actions, rules
from .agenda import actions as agenda_actions
from .forms import (
    AgendaItemForm,
    CancelMeetingForm,
    MeetingEditForm,
    WorkingGroupForm,
    WorkingGroupMemberForm,
)
from .ical import calendar
from .lookups import dialogue_people, meeting_page_or_404, visible_group, visible_member, visible_participant
from .models import WorkingGroup
from .views import _events, _visible_item


# --- working groups ---------------------------------------------------------------------------------------
def _visible_group(request, pk: int) -> WorkingGroup:
    return visible_group(request.user, pk)


@login_required
def working_group_create(request, slug: str):
    dialogue = dialogue_or_404(slug)
    if not rules.can_run_meetings(request.user, dialogue.pk):
        raise PermissionDenied(_("Only the secretariat can set up working groups."))
    form = WorkingGroupForm(
        request.POST or None,
        initial={"visibility": "public"},
        visibility_choices=core_rules.visibility_choices_for(request.user, dialogue.pk)[:2],
    )
    if request.method == "POST" and form.is_valid():
        if WorkingGroup.objects.filter(dialogue=dialogue, slug=form.cleaned_data["slug"]).exists():
            form.add_error("slug", _("Another working group already uses this short name."))
        else:
            group = run_form(form, actions.do_create_working_group, actor=request.user, dialogue=dialogue)
            if group is not None:
                messages.success(request, _("Working group created. Add its members below."))
                return redirect(group)
    return render_form(request, "secretariat/working_group_form.html", form, dialogue=dialogue)


@login_required
@require_POST
def working_group_member_add(request, pk: int):
    group = _visible_group(request, pk)
    form = WorkingGroupMemberForm(
        request.POST, people=dialogue_people(group.dialogue), parties=group.dialogue.parties.all()
    )
    if form.is_valid():
        act(
            request,
            actions.do_add_working_group_member,
            _("%(name)s is on the working group.") % {"name": form.cleaned_data["user"]},
            working_group=group,
            **form.cleaned_data,
        )
    else:
        messages.error(request, _("Choose a member of the dialogue and a position."))
    return redirect(group)


working_group_member_remove = object_action(
    visible_member,
    actions.do_remove_working_group_member,
    "member",
    success=lambda member: _("%(name)s is no longer on the working group.") % {"name": member.user},
    back=attrgetter("working_group"),
)


# --- meetings ---------------------------------------------------------------------------------------------
@login_required
def meeting_edit(request, pk: int):
    """Edit or reschedule a meeting; the times are the local times at the venue."""
    meeting = meeting_page_or_404(request, pk)
    if not rules.can_manage_meeting(request.user, meeting):
        raise PermissionDenied(_("Only the secretariat can change this meeting."))
    initial = model_to_dict(
        meeting, fields=["title", "title_ms", "mode", "venue", "time_zone", "description"]
    )
    for field in ("starts_at", "ends_at"):
        value = getattr(meeting, field)
        initial[field] = wall_time(value, meeting.time_zone).replace(tzinfo=None) if value else None
    form = MeetingEditForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        if run_form(form, actions.do_update_meeting, actor=request.user, meeting=meeting) is not None:
            messages.success(request, _("Meeting saved. Calendars will show the change."))
            return redirect(meeting)
        meeting.refresh_from_db()
    return render_form(
        request,
        "secretariat/meeting_edit.html",
        form,
        meeting=meeting,
        cancel_form=CancelMeetingForm(),
    )


@login_required
@require_POST
def meeting_cancel(request, pk: int):
    meeting = meeting_page_or_404(request, pk)
    form = CancelMeetingForm(request.POST)
    if form.is_valid() and run_form(form, actions.do_cancel_meeting, actor=request.user, meeting=meeting):
        messages.success(request, _("The meeting is cancelled. It stays listed with the reason."))
        return redirect(meeting)
    for errors in form.errors.values():
        for error in errors:
            messages.error(request, error)
    return redirect(meeting)


def meeting_ics(request, pk: int):
    """One meeting as a calendar file to download (the same entry as in the feeds)."""
    meeting = meeting_page_or_404(request, pk)
    if meeting.starts_at is None:
        raise Http404(_("This meeting has no date yet, so there is no calendar entry."))
    body = calendar(_events(request, [meeting]), name=str(meeting), now=timezone.now())
    return attachment(body, "text/calendar; charset=utf-8", f"meeting-{meeting.pk}.ics")


participant_remove = object_action(
    visible_participant,
    actions.do_remove_participant,
    "participant",
    success=lambda participant: _("%(name)s was removed from the participants.") % {"name": participant.user},
    back=attrgetter("meeting"),
)


@login_required
@require_POST
def invite_group(request, pk: int):
    meeting = meeting_page_or_404(request, pk)
    raw = request.POST.get("working_group", "")
    group = WorkingGroup.objects.filter(
        dialogue=meeting.dialogue, pk=int(raw) if raw.isdigit() else 0
    ).first()
    if group is None or not rules.can_view(request.user, group):
        messages.error(request, _("Choose a working group of this dialogue."))
        return redirect(meeting)
    try:
        added = actions.do_invite_working_group(actor=request.user, meeting=meeting, working_group=group)
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, " ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc))
    else:
        if added:
            messages.success(
                request,
                _("%(n)s members of %(group)s were invited.") % {"n": len(added), "group": group},
            )
        else:
            messages.info(request, _("Every member of %(group)s was already invited.") % {"group": group})
    return redirect(meeting)


# --- agenda items -----------------------------------------------------------------------------------------
@login_required
def item_edit(request, pk: int):
    item = _visible_item(request, pk)
    dialogue = item.dialogue
    allowed = (
        rules.can_manage_meeting(request.user, item.meeting)
        if item.meeting_id
        else rules.can_run_meetings(request.user, dialogue.pk)
    )
    if not allowed:
        raise PermissionDenied(_("Only the secretariat changes the agenda."))
    form = AgendaItemForm(
        request.POST or None,
        initial=model_to_dict(item, fields=AgendaItemForm.base_fields),
        documents=core_rules.visible(request.user, PolicyDocument.objects.filter(dialogue=dialogue)),
        commitments=Commitment.objects.visible_to(request.user).filter(dialogue=dialogue),
    )
    if (
        request.method == "POST"
        and form.is_valid()
        and run_form(form, agenda_actions.do_update_agenda_item, actor=request.user, item=item) is not None
    ):
        messages.success(request, _("Agenda item saved."))
        return redirect(item)
    return render_form(request, "secretariat/item_edit.html", form, item=item)


item_move = object_action(_visible_item, agenda_actions.do_move_agenda_item, "item", posted=("direction",))


@login_required
@require_POST
def item_delete(request, pk: int):
    item = _visible_item(request, pk)
    back = item.meeting.get_absolute_url() + "#agenda" if item.meeting_id else item.get_absolute_url()
    title = item.title
    if act(request, agenda_actions.do_delete_agenda_item, item=item):
        messages.success(request, _("“%(item)s” was taken off the agenda.") % {"item": title})
    return redirect(back)
