"""The round dossier: everything decided since the last ministerial meeting and its status, as one bilingual
PDF (English and Malay, plus Urdu for a reader whose language is Urdu) and one XLSX workbook.

The dossier's fixed headings are gettext msgids, rendered in each language of the document (``labels``), and
stored choices read as the models' own translated labels (``choice_label``): the document is bilingual by
design, whatever language the reader's interface is in, and says things the way the interface does.
"""

from __future__ import annotations

import io

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext, override
from django.utils.translation import gettext_lazy as _

from concord.commitments.models import Completion
from concord.commitments.progress import completion_level
from concord.core.csvsafe import safe_cell
from concord.core.zones import wall_time
from concord.programmes.models import ProgrammeStatus, Stage
from concord.secretariat.models import LANGUAGES, Disposition, MeetingLevel, OutcomeKind, Stance

LABELS: dict[str, Promise] = {
    "title": _("Round dossier"),
    "since": _("Decisions and commitments since the last ministerial meeting"),
    "no_ministerial": _("No ministerial meeting is recorded yet: the dossier covers every meeting."),
    "meetings": _("Meetings and outcomes"),
    "commitments": _("Commitments"),
    "item": _("Agenda item"),
    "outcome": _("Outcome"),
    "outcomes": _("Outcomes"),
    "disposition": _("Disposition"),
    "positions": _("Positions"),
    "code": _("Code"),
    "commitment": _("Commitment"),
    "progress": _("Progress"),
    "completion": _("Completion"),
    "end": _("Due"),
    "lead": _("Lead agencies"),
    "illustrative": _("Illustrative demo record"),
    "generated": _("Generated"),
    "no_date": _("date not set"),
    "blocked": _("Blocked"),
    "attendance": _("Attendance"),
    "attendance_unknown": _("Attendance not recorded"),
    "no_party": _("Secretariat and others"),
    "minutes": _("Adopted minutes"),
    "no_minutes": _("No minutes adopted yet"),
    "version": _("version"),
    "adopted": _("adopted"),
    "action": _("Action owner and due date"),
    "done": _("done"),
    "milestones": _("Milestones"),
    "planned": _("planned"),
    "reached": _("reached"),
    "programmes": _("National programmes"),
    "joint_projects": _("Joint projects"),
    "programme": _("Programme"),
    "party": _("Party"),
    "status": _("Status"),
    "period": _("Period"),
    "joint_project": _("Joint project"),
    "stage": _("Stage"),
    "owners": _("Stage owners"),
    "next_milestone": _("Next milestone"),
    "delegates": _("its delegates"),
    "none_yet": _("none yet"),
    "evidence": _("Verified progress and evidence"),
}


def languages_for(reader_language: str) -> list[str]:
    """English and Malay always; Urdu too when the reader reads Urdu."""
    return ["en", "ms", "ur"] if (reader_language or "")[:2] == "ur" else ["en", "ms"]


def in_language(text: str | Promise, lang: str) -> str:
    """``text`` (a lazy msgid, or a msgid's English text) in ``lang``, whatever language is active."""
    with override(lang):
        return str(text) if isinstance(text, Promise) else gettext(text)


def labels(langs: list[str]) -> dict[str, list[tuple[str, str]]]:
    """Each heading in each of ``langs``, in that order."""
    return {key: [(lang, in_language(text, lang)) for lang in langs] for key, text in LABELS.items()}


def choice_label(label: str | Promise, lang: str) -> str:
    """A stored choice's display name in ``lang``: its model label (``Disposition(value).label``), a msgid.

    Pass the lazy label rather than ``get_FOO_display()``, which is already in the active language."""
    return in_language(label, lang)


def language_name(code: str) -> str:
    """A language's name in that language ("Bahasa Melayu", "اردو"): the heading of text kept in it."""
    return in_language(dict(LANGUAGES)[code], code)


def texts_in(obj, field: str, langs: list[str]) -> list[tuple[str, str]]:
    """The English text and each other language's own text where there is one (never English twice)."""
    out = [("en", getattr(obj, field))]
    for lang in langs[1:]:
        value = getattr(obj, f"{field}_{lang}", "")
        if value:
            out.append((lang, value))
    return out


def attendance(participants) -> dict:
    """Who attended, by party (None: the secretariat and others), and whether attendance was recorded."""
    by_party: dict[str | None, list[str]] = {}
    recorded = False
    for p in participants:
        if p.attended is not None:
            recorded = True
        if p.attended:
            by_party.setdefault(p.party.code if p.party_id else None, []).append(
                p.user.full_name or p.user.email
            )
    groups = sorted(by_party.items(), key=lambda kv: (kv[0] is None, kv[0] or ""))
    return {"recorded": recorded, "groups": groups, "count": sum(len(v) for v in by_party.values())}


# --- national programmes and joint projects --------------------------------------------------------------
def programmes_data(user, dialogue) -> dict:
    """The dialogue's national programmes and joint projects that ``user`` may see; each joint project with
    its current stage's owners and its workplan (the commitments ``user`` may see)."""
    from django.db.models import Prefetch

    from concord.commitments.models import Commitment
    from concord.programmes.models import JointProject, Programme, StageOwner

    programmes = list(
        Programme.objects.visible_to(user)
        .filter(dialogue=dialogue)
        .select_related("party", "lead_agency")
        .defer("objectives", "summary")
        .order_by("party__code", "title", "id")
    )
    projects = list(
        JointProject.objects.visible_to(user)
        .filter(dialogue=dialogue)
        .select_related("proposed_by")
        .prefetch_related(
            Prefetch("owners", StageOwner.objects.select_related("user", "party")),
            Prefetch(
                "workplan",
                Commitment.objects.visible_to(user).order_by("end_date", "id"),
                to_attr="visible_workplan",
            ),
        )
        .defer("concept_note")
        .order_by("title", "id")
    )
    return {"programmes": programmes, "joint_projects": projects, "parties": list(dialogue.parties.all())}


def next_milestone(project):
    """The first workplan commitment, by its end date, that is neither complete nor withdrawn."""
    pending = [
        c
        for c in getattr(project, "visible_workplan", [])
        if c.completion not in (Completion.COMPLETE, Completion.WITHDRAWN)
    ]
    return min(pending, key=lambda c: (c.end_date is None, c.end_date or 0, c.pk), default=None)


def stage_owners(project, parties, langs: list[str]) -> list[tuple[str, str]]:
    """For each party: who owns the project's current stage (the user named, or else its delegates)."""
    named = {o.party_id: o.user for o in project.owners.all() if o.stage == project.stage}
    out = []
    for party in parties:
        user = named.get(party.pk)
        who = (
            (user.full_name or user.email)
            if user
            else " / ".join(in_language(LABELS["delegates"], lang) for lang in langs)
        )
        out.append((party.code, who))
    return out


def _programme_rows(data: dict, langs: list[str]) -> tuple[list[dict], list[dict]]:
    programmes = [
        {
            "p": p,
            "status": [(lang, choice_label(ProgrammeStatus(p.status).label, lang)) for lang in langs],
        }
        for p in data.get("programmes", [])
    ]
    joints = [
        {
            "j": j,
            "stage": [(lang, choice_label(Stage(j.stage).label, lang)) for lang in langs],
            "owners": stage_owners(j, data.get("parties", []), langs),
            "next": next_milestone(j),
        }
        for j in data.get("joint_projects", [])
    ]
    return programmes, joints


def context(data: dict, dialogue, reader_language: str) -> dict:
    langs = languages_for(reader_language)
    programmes, joints = _programme_rows(data, langs)
    rows = []
    for c in data["commitments"]:
        rows.append(
            {
                "c": c,
                "percent": data["percent"].get(c.pk),
                "completion": [
                    (lang, choice_label(level.label, lang))
                    for level in [Completion(completion_level(data["percent"].get(c.pk), c.completion))]
                    for lang in langs
                ],
                "titles": texts_in(c, "title", langs),
                "leads": ", ".join(
                    f"{s.party.code}: {s.lead_agency.short_name or s.lead_agency.name}"
                    for s in c.party_shares.all()
                    if s.lead_agency_id
                ),
                "milestones": list(c.milestones.all()),
                "evidence": [
                    {"update": u, "files": [f.name for f in u.files.all()]}
                    for u in getattr(c, "verified_updates", [])
                ],
            }
        )
    meetings = []
    for m in data["meetings"]:
        items = []
        for item in m.agenda.all():
            outcomes = [
                {
                    "o": o,
                    "texts": texts_in(o, "text", langs),
                    "dispositions": [
                        (lang, choice_label(Disposition(o.disposition).label, lang)) for lang in langs
                    ],
                    "kinds": [(lang, choice_label(OutcomeKind(o.kind).label, lang)) for lang in langs],
                    "positions": [
                        (p.party.code, choice_label(Stance(p.stance).label, langs[0]))
                        for p in o.positions.all()
                    ],
                    "owner": o.action_owner.full_name if o.action_owner_id and o.action_owner else "",
                }
                for o in item.outcomes.all()
            ]
            if outcomes:
                items.append({"item": item, "outcomes": outcomes})
        meetings.append(
            {
                "m": m,
                "level": choice_label(MeetingLevel(m.level).label, langs[0]),  # not the interface's
                "titles": texts_in(m, "title", langs),
                "items": items,
                "attendance": attendance(m.participants.all()),
                "minutes": [
                    {"mn": x, "language": language_name(x.language)}
                    for x in getattr(m, "adopted_minutes", [])
                    if x.language in langs
                ],
            }
        )
    return {
        "langs": langs,
        "L": labels(langs),
        "dialogue": dialogue,
        "dialogue_names": texts_in(dialogue, "name", langs),  # English, then each own translation
        "since": data["since"],
        "meetings": meetings,
        "rows": rows,
        "programmes": programmes,
        "joints": joints,
        "generated": timezone.now(),
    }


def render_pdf(ctx: dict) -> bytes:
    from weasyprint import HTML

    html = render_to_string("reporting/dossier_pdf.html", ctx)
    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()


def render_xlsx(ctx: dict) -> bytes:
    """The dossier as a workbook: one sheet each for commitments, outcomes, programmes and joint projects,
    with bold headers and wrapped cells."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    book = Workbook()
    sheets = [book.active]
    sheets[0].title = "Commitments"
    _commitments_sheet(sheets[0], ctx)
    for title, fill in (
        ("Outcomes", _outcomes_sheet),
        ("Programmes", _programmes_sheet),
        ("Joint projects", _joint_sheet),
    ):
        sheets.append(book.create_sheet(title))
        fill(sheets[-1], ctx)
    for ws in sheets:
        for cell in ws[1]:
            cell.font = Font(bold=True)
        for col in ws.columns:
            ws.column_dimensions[col[0].column_letter].width = 24
            for cell in col[1:]:
                cell.alignment = Alignment(wrap_text=True, vertical="top")
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _commitments_sheet(sheet, ctx: dict) -> None:
    langs = ctx["langs"]
    sheet.append(
        ["code", *(f"title_{lang}" for lang in langs)]
        + ["working_group", "progress_percent", "completion", "end_date", "blocked", "lead_agencies"]
    )
    for row in ctx["rows"]:
        c = row["c"]
        sheet.append(
            [safe_cell(c.code)]
            + [safe_cell(dict(row["titles"]).get(lang, "")) for lang in langs]
            + [
                safe_cell(str(c.working_group) if c.working_group_id else ""),
                None if row["percent"] is None else round(row["percent"], 1),
                completion_level(row["percent"], c.completion),
                c.end_date,
                "yes" if c.is_blocked else "no",
                safe_cell(row["leads"]),
            ]
        )


def _outcomes_sheet(sheet, ctx: dict) -> None:
    langs = ctx["langs"]
    sheet.append(
        [
            "meeting",
            "starts_at (local time at the venue)",
            "time_zone",
            "illustrative",
            "agenda_item",
            "kind",
            "disposition",
        ]
        + [f"text_{lang}" for lang in langs]
        + ["positions"]
    )
    for m in ctx["meetings"]:
        meeting = m["m"]
        for entry in m["items"]:
            for o in entry["outcomes"]:
                outcome = o["o"]
                sheet.append(
                    [
                        safe_cell(meeting.title),
                        wall_time(meeting.starts_at, meeting.time_zone),
                        meeting.time_zone,
                        "yes" if meeting.is_illustrative else "no",
                        safe_cell(entry["item"].title),
                        outcome.kind,
                        outcome.disposition,
                    ]
                    + [safe_cell(dict(o["texts"]).get(lang, "")) for lang in langs]
                    + [safe_cell("; ".join(f"{p.party.code}: {p.stance}" for p in outcome.positions.all()))]
                )


def _programmes_sheet(sheet, ctx: dict) -> None:
    sheet.append(["party", "title", "status", "lead_agency", "start_date", "end_date"])
    for row in ctx["programmes"]:
        p = row["p"]
        sheet.append(
            [
                p.party.code,
                safe_cell(p.title),
                p.status,
                safe_cell(p.lead_agency.name if p.lead_agency_id else ""),
                p.start_date,
                p.end_date,
            ]
        )


def _joint_sheet(sheet, ctx: dict) -> None:
    sheet.append(["title", "proposed_by", "stage", "stage_owners", "next_milestone", "next_milestone_due"])
    for row in ctx["joints"]:
        j, upcoming = row["j"], row["next"]
        sheet.append(
            [
                safe_cell(j.title),
                j.proposed_by.code,
                j.stage,
                safe_cell("; ".join(f"{code}: {who}" for code, who in row["owners"])),
                safe_cell(str(upcoming) if upcoming else ""),
                upcoming.end_date if upcoming else None,
            ]
        )
