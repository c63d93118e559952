"""One thread through the dialogue: what can be sent to the agenda, and where each thing was discussed.

A commitment, a mapping (typically a contested one), a gap, a theme of the taxonomy or a directory listing is
sent to the agenda through ``actions.do_send_to_agenda``: an agenda item (on a coming meeting, or in the
backlog) that links to it through one of ``AgendaItem``'s link fields. Each object's page then shows the items
that link to it, with their meetings, outcomes and the commitments decided ("Discussed at")."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Prefetch
from django.urls import reverse
from django.utils.translation import gettext as _

from concord.core.models import Visibility

# model label → the AgendaItem field that links to it
LINK_FIELDS = {
    "commitments.Commitment": "commitments",
    "harmonize.Mapping": "mappings",
    "harmonize.Gap": "gaps",
    "library.Theme": "themes",
    "directory.Listing": "listings",
}


@dataclass(frozen=True)
class Target:
    """What an agenda item sent from ``obj`` looks like: its link field, dialogue, title and reach."""

    field: str
    dialogue_id: int
    title: str
    visibility: str
    party_id: int | None


def link_field(obj) -> str | None:
    return LINK_FIELDS.get(obj._meta.label)


def target_of(obj, dialogue_id: int | None = None) -> Target | None:
    """The agenda item ``obj`` becomes. A theme belongs to no dialogue: ``dialogue_id`` says which one."""
    field = link_field(obj)
    if field is None:
        return None
    if field == "themes":
        if dialogue_id is None:
            return None
        return Target(field, dialogue_id, _("Theme: %(theme)s") % {"theme": obj}, Visibility.DIALOGUE, None)
    if field in ("mappings", "gaps"):
        owner = obj.comparison
        if field == "mappings":
            title = _("Mapping: %(source)s → %(target)s") % {
                "source": obj.source_label,
                "target": obj.target_label,
            }
        else:
            title = _("Gap: %(provision)s") % {"provision": obj.label}
    else:
        owner = obj
        if field == "commitments":
            title = _("Progress on %(commitment)s") % {"commitment": obj}
        else:
            title = _("Listing: %(listing)s") % {"listing": obj.title}
    # The item is as visible as the object; it names a party only when the object is that party's alone,
    # so that either side may put a shared mapping or listing before the dialogue.
    party_id = owner.party_id if owner.visibility == Visibility.PARTY else None
    return Target(field, owner.dialogue_id, title[:300], owner.visibility, party_id)


def send_url(obj, dialogue_slug: str = "") -> str:
    name = obj._meta.model_name
    if name == "theme":
        return reverse("secretariat:theme_to_agenda", args=[dialogue_slug, obj.slug])
    return reverse("secretariat:to_agenda", args=[name, obj.pk])


def discussed_at(user, obj, dialogue_id: int | None = None) -> list:
    """The agenda items on meetings that link to ``obj`` and that ``user`` may see, newest meeting first,
    with their outcomes and the commitments decided there (three queries, whatever the count)."""
    from concord.commitments.models import Commitment

    from ..models import AgendaItem, Outcome

    items = AgendaItem.objects.visible_to(user).filter(**{link_field(obj): obj}).exclude(meeting=None)
    if dialogue_id is not None:
        items = items.filter(dialogue_id=dialogue_id)
    decided = Commitment.objects.visible_to(user)
    return list(
        items.select_related("meeting")
        .prefetch_related(
            Prefetch(
                "outcomes",
                queryset=Outcome.objects.prefetch_related(
                    Prefetch("commitments", queryset=decided, to_attr="decided")
                ),
            )
        )
        .order_by("-meeting__starts_at", "id")
    )


def agenda_panel(user, obj, dialogue=None) -> dict:
    """The context of ``secretariat/_discussed.html`` for ``obj``'s page: where it was discussed, and the
    form to send it to a coming meeting or the backlog when the user may."""
    from .. import rules
    from ..models import Meeting, MeetingState

    target = target_of(obj, dialogue.pk if dialogue else None)
    if target is None:
        return {}
    can_backlog = rules.can_send_to_agenda(user, obj, dialogue_id=target.dialogue_id)
    coming = []
    if user.is_authenticated and rules.can_run_meetings(user, target.dialogue_id):
        coming = [
            m
            for m in Meeting.objects.visible_to(user)
            .filter(dialogue_id=target.dialogue_id, state__in=[MeetingState.DRAFT, MeetingState.OPEN])
            .order_by("starts_at", "id")
            if rules.can_manage_meeting(user, m)
        ]
    return {
        "discussed": discussed_at(user, obj, target.dialogue_id),
        "coming_meetings": coming,
        "can_send": can_backlog or bool(coming),
        "can_backlog": can_backlog,
        "send_url": send_url(obj, dialogue.slug if dialogue else ""),
    }
