"""The first draft of a meeting's minutes, written from what is already recorded: the meeting's time and
place, who attended, and each agenda item's outcomes and actions. The secretariat edits it from there.

It is written in the minutes' language (the fixed words through the catalogues, an outcome's Malay or Urdu
text where one was recorded), as plain text with Markdown headings, like the minutes themselves.
"""

from __future__ import annotations

from django.utils import translation
from django.utils.translation import gettext as _

from concord.core.zones import format_time
from concord.secretariat.models import Meeting, OutcomeKind


def draft_minutes(meeting: Meeting, language: str) -> str:
    """Minutes to start from, for ``meeting`` in ``language`` ("en", "ms" or "ur")."""
    with translation.override(language):
        lines = [f"# {meeting}", ""]
        when = format_time(meeting.starts_at, meeting.time_zone) if meeting.starts_at else _("date not set")
        lines.append(_("When") + f": {when}")
        if meeting.venue:
            lines.append(_("Venue") + f": {meeting.venue}")
        lines.append(_("Mode") + f": {meeting.get_mode_display()}")
        participants = list(
            meeting.participants.select_related("user", "party").order_by("party__code", "pk")
        )

        def who(p) -> str:
            return f"{p.user}" + (f" ({p.party.code})" if p.party_id else "")

        present = [who(p) for p in participants if p.attended]
        absent = [who(p) for p in participants if p.attended is False]
        lines += ["", "## " + _("Attendance"), ""]
        lines.append(_("Present") + ": " + (", ".join(present) if present else _("not recorded")))
        if absent:
            lines.append(_("Apologies") + ": " + ", ".join(absent))
        actions = []
        for n, item in enumerate(
            meeting.agenda.prefetch_related("outcomes__action_owner").order_by("order", "id"), 1
        ):
            lines += ["", f"## {n}. {item.title}", ""]
            outcomes = list(item.outcomes.all())
            if not outcomes:
                lines.append(_("No outcome recorded."))
            for o in outcomes:
                text = (getattr(o, f"text_{language}", "") if language != "en" else "") or o.text
                lines.append(f"- {o.get_disposition_display()}: {text}")
                if o.kind == OutcomeKind.ACTION:
                    actions.append((item, o, text))
        if actions:
            lines += ["", "## " + _("Actions"), ""]
            for _item, o, text in actions:
                owner = str(o.action_owner) if o.action_owner_id else "—"
                due = o.action_due.isoformat() if o.action_due else "—"
                lines.append(f"- {text} — " + _("Owner") + f": {owner}; " + _("Due") + f": {due}")
        return "\n".join(lines) + "\n"
