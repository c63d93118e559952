"""A meeting's minutes as one PDF in the dialogue's languages: the meeting, who attended, the outcomes with
their action owners and due dates, then the minutes in each language they are kept in, with their state.

Headings come from the round dossier's labels, the title and the minutes' states from the catalogues too (the
title a msgid, each state its ``MinutesState`` label), all rendered in each language: like the dossier, the
document is multilingual by design, whatever the reader's interface language, with one source of translations.
"""

from __future__ import annotations

from django.conf import settings
from django.db.models import Prefetch
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from concord.reporting import dossier
from concord.secretariat.models import Disposition, Meeting, MeetingLevel, Outcome, Participant

from .models import Minutes, MinutesState

ORDER = ("en", "ms", "ur")


def context(meeting: Meeting) -> dict:
    meeting = (
        Meeting.objects.filter(pk=meeting.pk)
        .select_related("dialogue")
        .prefetch_related(
            Prefetch("participants", queryset=Participant.objects.select_related("user", "party")),
            Prefetch("agenda__outcomes", queryset=Outcome.objects.select_related("action_owner")),
            Prefetch("minutes", queryset=Minutes.objects.all(), to_attr="all_minutes"),
        )
        .get()
    )
    kept = {m.language: m for m in meeting.all_minutes}
    langs = ["en", *[lang for lang in ORDER[1:] if lang in kept]]
    labels = dossier.labels(langs)
    items = []
    for item in meeting.agenda.all():
        outcomes = [
            {
                "o": o,
                "texts": dossier.texts_in(o, "text", langs),
                "dispositions": [
                    (lang, dossier.choice_label(Disposition(o.disposition).label, lang)) for lang in langs
                ],
                "owner": o.action_owner.full_name if o.action_owner else "",
            }
            for o in item.outcomes.all()
        ]
        items.append({"item": item, "outcomes": outcomes})
    return {
        "meeting": meeting,
        "level": dossier.choice_label(MeetingLevel(meeting.level).label, langs[0]),  # not the interface's
        "dialogue_names": dossier.texts_in(meeting.dialogue, "name", langs),
        "langs": langs,
        "L": labels,
        "title": [(lang, dossier.in_language(_("Minutes"), lang)) for lang in langs],
        "titles": dossier.texts_in(meeting, "title", langs),
        "attendance": dossier.attendance(meeting.participants.all()),
        "items": items,
        "minutes": [
            {
                "m": kept[lang],
                "language": dossier.language_name(lang),
                "state": [(s, dossier.choice_label(MinutesState(kept[lang].state).label, s)) for s in langs],
            }
            for lang in ORDER
            if lang in kept
        ],
        "generated": timezone.now(),
    }


def render(meeting: Meeting) -> bytes:
    from weasyprint import HTML

    html = render_to_string("minutes/minutes_pdf.html", context(meeting))
    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()
