"""The minutes' pages: writing them (from a first draft of what was recorded), reading them with their
versions and amendments, moving them through their states, and the meeting's minutes PDF. Their names and
addresses are the secretariat's (``secretariat:minutes``, ``/secretariat/minutes/1/``): see ``urls.py``."""

from __future__ import annotations

from functools import partial

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from concord.core.shortcuts import act, attachment, first_or_404, form_page, object_action, saved
from concord.library.diff import word_diff
from concord.secretariat.lookups import meeting_page_or_404

from . import actions, pdf, rules
from .draft import draft_minutes
from .forms import AmendmentForm, MinutesForm
from .models import Amendment, Minutes


def _visible_minutes(request, pk: int) -> Minutes:
    return first_or_404(
        Minutes.objects.select_related("meeting__dialogue"),
        _("No such minutes, or you do not have access to them."),
        visible=partial(rules.can_view, request.user),
        pk=pk,
    )


@login_required
def minutes_edit(request, pk: int, language: str):
    meeting = meeting_page_or_404(request, pk)
    if not rules.can_keep_minutes(request.user, meeting):
        raise PermissionDenied(_("Only the secretariat keeps the minutes."))
    if language not in ("en", "ms", "ur"):
        raise Http404(_("Minutes are kept in English, Malay or Urdu."))
    existing = meeting.minutes.filter(language=language).first()
    if existing and existing.is_locked:
        messages.error(request, _("These minutes were adopted and are locked; they cannot be changed."))
        return redirect(existing)
    # New minutes start from what is recorded: time and place, attendance, outcomes and actions.
    drafted = existing is None
    initial = existing.body if existing else draft_minutes(meeting, language)
    form = MinutesForm(request.POST or None, initial={"body": initial})
    return form_page(
        request,
        form,
        "minutes/minutes_form.html",
        {"meeting": meeting, "language": language, "minutes": existing, "drafted": drafted},
        save=lambda data: actions.do_save_minutes(
            actor=request.user, meeting=meeting, language=language, body=data["body"]
        ),
        done=saved(request, _("Minutes saved.")),
    )


def minutes_detail(request, pk: int):
    minutes = _visible_minutes(request, pk)
    user = request.user
    return render(
        request,
        "minutes/minutes.html",
        {
            "minutes": minutes,
            "meeting": minutes.meeting,
            "versions": minutes.versions.select_related("created_by"),
            "amendments": minutes.amendments.select_related("proposed_by", "decided_by"),
            "can_manage": rules.can_keep_minutes(user, minutes.meeting),
            "can_edit": rules.can_edit_minutes(user, minutes),
            "adoption_refusal": rules.minutes_adoption_refusal(minutes),
            "can_amend": rules.can_propose_amendment(user, minutes),
            "amend_form": AmendmentForm(),
        },
    )


def minutes_version(request, pk: int, version: int):
    """One earlier version of the minutes, compared with another (by default the one before it)."""
    minutes = _visible_minutes(request, pk)
    versions = list(minutes.versions.select_related("created_by").order_by("version"))
    shown = next((v for v in versions if v.version == version), None)
    if shown is None:
        raise Http404(_("No such version of these minutes."))
    try:
        against_number = int(request.GET.get("against", version - 1))
    except ValueError:
        against_number = version - 1
    against = next((v for v in versions if v.version == against_number and v.pk != shown.pk), None)
    old, new = word_diff(against.body, shown.body) if against else ([], [])
    return render(
        request,
        "minutes/minutes_version.html",
        {
            "minutes": minutes,
            "meeting": minutes.meeting,
            "shown": shown,
            "against": against,
            "versions": versions,
            "old": old,
            "new": new,
            "changed": any(s.kind != "same" for s in old + new),
        },
    )


minutes_transition = object_action(_visible_minutes, actions.do_transition_minutes, "minutes", posted=("to",))

minutes_amend = object_action(
    _visible_minutes,
    actions.do_propose_amendment,
    "minutes",
    form=AmendmentForm,
    success=gettext_lazy("Amendment proposed."),
    invalid=gettext_lazy("Write the proposed text."),
)


@login_required
@require_POST
def amendment_decide(request, pk: int):
    amendment = get_object_or_404(Amendment.objects.select_related("minutes__meeting"), pk=pk)
    minutes = _visible_minutes(request, amendment.minutes_id)
    accept = request.POST.get("accept") == "yes"
    act(request, actions.do_decide_amendment, amendment=amendment, accept=accept)
    return redirect(minutes)


def minutes_pdf(request, pk: int):
    """Everyone who may see the meeting may download its minutes, in every language they are kept in."""
    meeting = meeting_page_or_404(request, pk)
    name = slugify(meeting.title)[:60] or "meeting"
    response = attachment(pdf.render(meeting), "application/pdf", f"minutes-{meeting.pk}-{name}.pdf")
    response["X-Content-Type-Options"] = "nosniff"
    return response
