"""The secretariat's part of the demo: working groups for the dialogue's themes, the founding meeting at
WTDC-25 in Baku, an illustrative senior-officials meeting with agenda, outcomes and minutes, and commitments
at different stages drawn from what the dialogue announces.

What is true: the dialogue was established at WTDC-25 in Baku (see ``concord/demo/dialogue.json``), and the
themes of its working groups and programmes are those the dialogue announces. Everything else about meetings
is an **illustrative demo record**, labelled so on every page, in the dossier and in the calendar. No date,
number, lead agency or decision is invented: meetings have no date, commitments no dates or budgets, and
their stages are OGP completion levels set for illustration.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TextIO

ILLUSTRATIVE = "Illustrative demo record."

# (code, parent code, kind, working group slug, title, title in Malay, completion, blocked reason)
COMMITMENTS = [
    (
        "TM-1",
        None,
        "commitment",
        "talent-and-skills",
        "Talent mobility and advanced skills in AI, data science and IoT",
        "Mobiliti bakat dan kemahiran lanjutan dalam AI, sains data dan IoT",
        "limited",
        "",
    ),
    (
        "TM-1.1",
        "TM-1",
        "commitment",
        "talent-and-skills",
        "Exchange of professionals in artificial intelligence",
        "Pertukaran profesional dalam kecerdasan buatan",
        "complete",
        "",
    ),
    (
        "TM-1.2",
        "TM-1",
        "commitment",
        "talent-and-skills",
        "Training in data science",
        "Latihan dalam sains data",
        "limited",
        "",
    ),
    (
        "TM-1.3",
        "TM-1",
        "commitment",
        "talent-and-skills",
        "Skills programme on the Internet of Things",
        "Program kemahiran Internet Benda",
        "not_started",
        "",
    ),
    (
        "KE-1",
        None,
        "commitment",
        "ecosystem-connections",
        "Knowledge exchange between universities, technology hubs and institutions",
        "Pertukaran pengetahuan antara universiti, hab teknologi dan institusi",
        "substantial",
        "",
    ),
    (
        "JP-CYB",
        None,
        "joint_programme",
        "cybersecurity",
        "Joint programme on cybersecurity",
        "Program bersama keselamatan siber",
        "limited",
        "",
    ),
    (
        "JP-SC",
        None,
        "joint_programme",
        "smart-cities",
        "Joint programme on smart cities",
        "Program bersama bandar pintar",
        "not_started",
        "",
    ),
    (
        "JP-DF",
        None,
        "joint_programme",
        "digital-finance",
        "Joint programme on digital finance",
        "Program bersama kewangan digital",
        "not_started",
        "Illustrative: waits for the scope of the cybersecurity programme.",
    ),
    (
        "JP-EG",
        None,
        "joint_programme",
        "e-government",
        "Joint programme on e-government",
        "Program bersama kerajaan elektronik",
        "limited",
        "",
    ),
]
DEPENDENCIES = [("JP-DF", "JP-CYB"), ("JP-SC", "TM-1.3"), ("TM-1.3", "TM-1.2")]
MILESTONES = {
    "TM-1.2": ["Scope agreed by both parties", "Training partners identified"],
    "JP-CYB": ["Points of contact named by both parties", "Work plan adopted"],
    "JP-EG": ["Work plan adopted"],
}


def load_secretariat(out: TextIO) -> None:
    """The dialogue's working groups, its founding meeting, an illustrative senior officials meeting and the
    commitments announced, created by the demo secretariat officer through the public actions."""
    from concord.accounts.models import Dialogue, User
    from concord.commitments.models import Commitment

    from .models import Meeting

    data = json.loads((Path(__file__).resolve().parents[1] / "demo" / "dialogue.json").read_text("utf-8"))
    dialogue = Dialogue.objects.filter(slug=data["slug"]).first()
    if dialogue is None:
        return
    secretariat = User.objects.filter(email="secretariat@concord.example").first()
    delegates = {
        code: User.objects.filter(email=f"delegate.{code.lower()}@concord.example").first()
        for code in ("MY", "PK")
    }
    parties = {p.code: p for p in dialogue.parties.all()}
    groups = _load_working_groups(data, dialogue, secretariat, delegates, parties)
    out.write(f"  secretariat: {len(groups)} working groups\n")
    if Meeting.objects.filter(dialogue=dialogue).exists():
        return
    sources = _load_meetings(data, dialogue, secretariat, delegates, parties, groups)
    out.write(
        "  secretariat: founding meeting (WTDC-25, Baku) and an illustrative senior officials meeting\n"
    )
    _load_commitments(dialogue, secretariat, groups, sources)
    out.write(f"  secretariat: {Commitment.objects.filter(dialogue=dialogue).count()} commitments\n")


def _load_working_groups(data: dict, dialogue, secretariat, delegates: dict, parties: dict) -> dict:
    """The working groups of ``dialogue.json`` (made once), each co-chaired by both parties' delegates."""
    from concord.demo.load import in_three_languages
    from concord.library.models import Theme

    from . import actions
    from .models import WorkingGroup

    groups = {}
    for wg in data.get("working_groups", []):
        group = WorkingGroup.objects.filter(dialogue=dialogue, slug=wg["slug"]).first()
        if group is None:
            group = actions.do_create_working_group(
                actor=secretariat,
                dialogue=dialogue,
                slug=wg["slug"],
                terms_of_reference=wg.get("description_en", ""),
                **in_three_languages(wg, "name", required=True),
                themes=list(Theme.objects.filter(slug__in=wg.get("themes", []))),
            )
            for code, user in delegates.items():
                if user is not None:
                    actions.do_add_working_group_member(
                        actor=secretariat,
                        working_group=group,
                        user=user,
                        position="co_chair",
                        party=parties.get(code),
                    )
        groups[wg["slug"]] = group
    return groups


def _load_meetings(data: dict, dialogue, secretariat, delegates: dict, parties: dict, groups: dict) -> dict:
    """The founding meeting (closed, undated, without invented outcomes) and the illustrative senior officials
    meeting; returns the outcomes that commitments come from, by working group."""
    from . import actions

    origin = data.get("origin", {})
    founding = actions.do_create_meeting(
        actor=secretariat,
        dialogue=dialogue,
        title="Founding of the dialogue at WTDC-25",
        title_ms="Penubuhan dialog semasa WTDC-25",
        title_ur="WTDC-25 کے موقع پر مکالمے کا قیام",
        level="ministerial",
        venue=", ".join(x for x in (origin.get("event"), origin.get("city"), origin.get("country")) if x),
        time_zone="Asia/Baku",
        description=data.get("origin_en", ""),
        visibility="public",
    )
    # The founding happened: it is recorded as closed, without a date (not certain enough to give one) and
    # without invented outcomes, through the same transitions a secretariat officer makes.
    for state in ("open", "in_progress", "closed"):
        founding = actions.do_transition_meeting(actor=secretariat, meeting=founding, to=state)

    som = actions.do_create_meeting(
        actor=secretariat,
        dialogue=dialogue,
        title="Senior officials meeting",
        title_ms="Mesyuarat pegawai kanan",
        title_ur="سینئر حکام کا اجلاس",
        level="senior_officials",
        mode="hybrid",
        time_zone="Asia/Kuala_Lumpur",
        previous=founding,
        description=f"{ILLUSTRATIVE} An example of a senior officials meeting following the founding of the "
        "dialogue, written to show how Concord runs the formal channel. It records no real meeting or "
        "decision.",
        visibility="public",
        is_illustrative=True,
    )
    return _build_som(som, secretariat, delegates, parties, groups)


def _load_commitments(dialogue, secretariat, groups: dict, sources: dict) -> None:
    """The commitments announced (illustrative stages), their milestones and dependencies."""
    from concord.commitments import actions as commitment_actions

    created = {}
    for code, parent, kind, wg, title, title_ms, completion, blocked in COMMITMENTS:
        c = commitment_actions.do_create_commitment(
            actor=secretariat,
            dialogue=dialogue,
            code=code,
            kind=kind,
            title=title,
            title_ms=title_ms,
            description=f"{ILLUSTRATIVE} Drawn from what the dialogue announces; the stage shown is set for "
            "illustration.",
            working_group=groups.get(wg),
            parent=created.get(parent),
            is_joint=True,
            completion=completion,
            visibility="public",
            source_outcome=sources.get(wg) if parent is None else None,
        )
        if blocked:
            c = commitment_actions.do_update_commitment(
                actor=secretariat, commitment=c, is_blocked=True, blocked_reason=blocked
            )
        for title_m in MILESTONES.get(code, []):
            commitment_actions.do_add_milestone(actor=secretariat, commitment=c, title=title_m)
        created[code] = c
    for a, b in DEPENDENCIES:
        commitment_actions.do_add_dependency(actor=secretariat, commitment=created[a], depends_on=created[b])


# (section, title, kind, working group slug, outcome kind, disposition, outcome text, outcome text in Malay)
AGENDA = [
    (
        "Opening",
        "Adoption of the agenda",
        "decision",
        None,
        "decision",
        "agreed",
        "The agenda was adopted.",
        "Agenda diterima pakai.",
    ),
    (
        "Working groups",
        "Terms of reference of the working groups",
        "decision",
        None,
        "decision",
        "agreed_as_amended",
        "The terms of reference of the working groups were agreed with amendments.",
        "Terma rujukan kumpulan kerja dipersetujui dengan pindaan.",
    ),
    (
        "Talent and skills",
        "Talent mobility and advanced skills in AI, data science and IoT",
        "discussion",
        "talent-and-skills",
        "action",
        "agreed",
        "The talent and skills working group to propose exchanges and training in AI, data science and IoT.",
        "Kumpulan kerja bakat dan kemahiran mencadangkan pertukaran dan latihan dalam AI, sains data "
        "dan IoT.",
    ),
    (
        "Ecosystem",
        "Knowledge exchange between institutions",
        "discussion",
        "ecosystem-connections",
        "action",
        "agreed",
        "Both delegations to name the institutions that will take part in knowledge exchange.",
        "Kedua-dua delegasi menamakan institusi yang akan menyertai pertukaran pengetahuan.",
    ),
    (
        "Joint programmes",
        "Joint programme on cybersecurity",
        "decision",
        "cybersecurity",
        "action",
        "agreed",
        "The cybersecurity working group to draft the scope of a joint programme.",
        "Kumpulan kerja keselamatan siber merangka skop program bersama.",
    ),
    (
        "Joint programmes",
        "Joint programmes on smart cities, digital finance and e-government",
        "decision",
        "e-government",
        "decision",
        "deferred",
        "Deferred to the next meeting, pending the scope of the cybersecurity programme.",
        "Ditangguhkan ke mesyuarat seterusnya sementara menunggu skop program keselamatan siber.",
    ),
]

MINUTES = {
    "en": (
        "Illustrative demo record: not the minutes of a real meeting.\n\n"
        "1. The agenda was adopted.\n"
        "2. The terms of reference of the working groups were agreed with amendments.\n"
        "3. Talent mobility and advanced skills: the working group will propose exchanges and training "
        "in AI, data science and IoT.\n"
        "4. Knowledge exchange: both delegations will name the institutions taking part.\n"
        "5. Cybersecurity: the working group will draft the scope of a joint programme.\n"
        "6. Smart cities, digital finance and e-government: deferred to the next meeting."
    ),
    "ms": (
        "Rekod demo ilustrasi: bukan minit mesyuarat sebenar.\n\n"
        "1. Agenda diterima pakai.\n"
        "2. Terma rujukan kumpulan kerja dipersetujui dengan pindaan.\n"
        "3. Mobiliti bakat dan kemahiran lanjutan: kumpulan kerja akan mencadangkan pertukaran dan "
        "latihan dalam AI, sains data dan IoT.\n"
        "4. Pertukaran pengetahuan: kedua-dua delegasi akan menamakan institusi yang terlibat.\n"
        "5. Keselamatan siber: kumpulan kerja akan merangka skop program bersama.\n"
        "6. Bandar pintar, kewangan digital dan kerajaan elektronik: ditangguhkan ke mesyuarat seterusnya."
    ),
}


def _build_som(som, secretariat, delegates, parties, groups) -> dict:
    """Agenda, participants, outcomes, positions and minutes of the illustrative meeting; then close it, which
    carries the open actions and the deferred item into the next (draft) meeting."""
    from concord.minutes import actions as minutes_actions

    from . import actions

    for user in [secretariat, *delegates.values()]:
        if user is not None:
            participant = actions.do_add_participant(actor=secretariat, meeting=som, user=user)
            actions.do_set_rsvp(actor=user, participant=participant, rsvp="accepted")
    items = []
    for section, title, kind, *_ in AGENDA:
        items.append(
            actions.do_add_agenda_item(
                actor=secretariat, dialogue=som.dialogue, meeting=som, title=title, kind=kind, section=section
            )
        )
    actions.do_transition_meeting(actor=secretariat, meeting=som, to="open")
    actions.do_transition_meeting(actor=secretariat, meeting=som, to="in_progress")
    for participant in som.participants.all():
        actions.do_record_attendance(actor=secretariat, participant=participant, attended=True)
    sources = {}
    for item, (_s, _t, _k, wg, okind, disposition, text, text_ms) in zip(items, AGENDA, strict=True):
        outcome = actions.do_record_outcome(
            actor=secretariat, item=item, kind=okind, disposition=disposition, text=text, text_ms=text_ms
        )
        for party in parties.values():
            actions.do_state_position(actor=secretariat, outcome=outcome, party=party, stance="supports")
        if okind == "action" and wg:
            sources[wg] = outcome
    sources.setdefault("smart-cities", None)
    for language, body in MINUTES.items():
        minutes = minutes_actions.do_save_minutes(
            actor=secretariat, meeting=som, language=language, body=body
        )
        minutes_actions.do_transition_minutes(actor=secretariat, minutes=minutes, to="circulated")
    actions.do_create_meeting(
        actor=secretariat,
        dialogue=som.dialogue,
        title="Second senior officials meeting",
        title_ms="Mesyuarat pegawai kanan kedua",
        level="senior_officials",
        mode="hybrid",
        previous=som,
        description=f"{ILLUSTRATIVE} A draft agenda: the open actions and the deferred item of the previous "
        "meeting were carried over automatically.",
        visibility="public",
        is_illustrative=True,
    )
    actions.do_transition_meeting(actor=secretariat, meeting=som, to="closed")
    # Minutes are adopted once the meeting is closed (the English text; the Malay one stays circulated).
    minutes_actions.do_transition_minutes(
        actor=secretariat, minutes=som.minutes.get(language="en"), to="adopted"
    )
    return {k: v for k, v in sources.items() if v is not None}
