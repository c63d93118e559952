"""Send to the agenda from elsewhere in the dialogue (a mapping, a gap, a listing, a commitment), and a
theme's page in a dialogue: where it was discussed, and the form to send it. The action checks the rules."""

from __future__ import annotations

from django.apps import apps
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from concord.core.lookups import dialogue_or_404
from concord.core.shortcuts import act
from concord.library.models import Theme

from .. import actions, rules
from ..lookups import meeting_page_or_404
from .links import agenda_panel

SENDABLE = {
    "commitment": "commitments.Commitment",
    "mapping": "harmonize.Mapping",
    "gap": "harmonize.Gap",
    "listing": "directory.Listing",
}


def _linked_object(request, model: str, pk: int):
    label = SENDABLE.get(model)
    obj = apps.get_model(label).objects.filter(pk=pk).first() if label else None
    if obj is None or not rules.can_view_linked(request.user, obj):
        raise Http404(_("No such item, or you do not have access to it."))
    return obj


def _chosen_meeting(request):
    """The meeting picked in the form, or None for the backlog."""
    raw = request.POST.get("meeting", "")
    return meeting_page_or_404(request, int(raw)) if raw.isdigit() else None


def _send(request, obj, dialogue=None) -> None:
    meeting = _chosen_meeting(request)
    if act(request, actions.do_send_to_agenda, obj=obj, meeting=meeting, dialogue=dialogue):
        where = str(meeting) if meeting else _("the backlog")
        messages.success(request, _("Sent to the agenda: %(where)s.") % {"where": where})


@login_required
@require_POST
def to_agenda(request, model: str, pk: int):
    obj = _linked_object(request, model, pk)
    _send(request, obj)
    return redirect(obj.get_absolute_url() + "#discussed")


def _theme(slug: str) -> Theme:
    return get_object_or_404(Theme.objects.select_related("parent"), slug=slug)


def theme_detail(request, slug: str, theme: str):
    """A theme of the taxonomy in one dialogue: where it was discussed, and the form to send it."""
    dialogue = dialogue_or_404(slug)
    obj = _theme(theme)
    return render(
        request,
        "secretariat/theme.html",
        {
            "dialogue": dialogue,
            "theme": obj,
            "children": obj.children.order_by("order", "slug"),
            "agenda": agenda_panel(request.user, obj, dialogue),
        },
    )


@login_required
@require_POST
def theme_to_agenda(request, slug: str, theme: str):
    dialogue = dialogue_or_404(slug)
    obj = _theme(theme)
    _send(request, obj, dialogue)
    return redirect("secretariat:theme", slug=slug, theme=theme)
