"""Demo data of the programme registry and joint projects, idempotent.

The programmes are short summaries, written by the Concord project, of real public programmes, labelled as
summaries (``summary_by``). Only what we could state with confidence is said: budgets, dates, indicators
and lessons are left empty rather than guessed, and the status is given only where it is plain (an
operating service; a strategy whose period has ended). The joint projects are demo projects, labelled
"Demo:", and describe no real project.
"""

from __future__ import annotations

from typing import TextIO

SUMMARY_BY = "The Concord project (a short summary of public information, not an official text)"

# (party, title, summary, instruments, themes, status)
PROGRAMMES = [
    (
        "MY",
        "Malaysia Digital Economy Blueprint (MyDIGITAL)",
        "A national blueprint, published by the Economic Planning Unit of the Prime Minister's Department, "
        "that sets out how Malaysia is to become a digitally driven, high-income nation and a regional "
        "leader in the digital economy. It covers digital infrastructure, digital skills, the digital "
        "transformation of the public sector and of businesses, and trust and cybersecurity.",
        ["infrastructure", "skills", "public_services"],
        ["connectivity-infrastructure", "digital-skills-talent", "e-government"],
        "active",
    ),
    (
        "MY",
        "JENDELA (Jalinan Digital Negara)",
        "The national digital infrastructure plan, led by the Malaysian Communications and Multimedia "
        "Commission, to widen and improve fixed and mobile broadband coverage across the country and to "
        "prepare it for 5G.",
        ["infrastructure"],
        ["connectivity-infrastructure"],
        "active",
    ),
    (
        "MY",
        "Malaysia Cyber Security Strategy 2020–2024",
        "The national cybersecurity strategy coordinated by the National Cyber Security Agency (NACSA). It "
        "covers the governance of cybersecurity, legislation and enforcement, the protection of critical "
        "national information infrastructure, capacity building and awareness, and international "
        "cooperation.",
        ["regulation", "skills", "international_cooperation"],
        ["cybersecurity"],
        "completed",
    ),
    (
        "MY",
        "Malaysia Smart City Framework",
        "A national framework of the Ministry of Housing and Local Government that guides local authorities "
        "in planning and developing smart cities, in areas such as the economy, the environment, mobility, "
        "government services and digital infrastructure.",
        ["standards"],
        ["smart-cities"],
        "active",
    ),
    (
        "MY",
        "DuitNow",
        "A national real-time payment service run by Payments Network Malaysia (PayNet). People and "
        "businesses send money instantly to an account number, or to a mobile number, identity card number "
        "or business registration number linked to an account.",
        ["infrastructure"],
        ["digital-finance"],
        "active",
    ),
    (
        "PK",
        "National Cyber Security Policy",
        "A national policy of the Ministry of Information Technology and Telecommunication on protecting "
        "Pakistan's cyberspace: the governance of cybersecurity, the protection of critical information "
        "infrastructure, incident response through computer emergency response teams, capacity building "
        "and awareness, and international cooperation.",
        ["regulation", "skills", "international_cooperation"],
        ["cybersecurity"],
        "active",
    ),
    (
        "PK",
        "DigiSkills.pk",
        "An online training programme of the Ministry of Information Technology and Telecommunication, run "
        "through Ignite, that offers free courses in digital skills such as freelancing, digital marketing "
        "and graphic design, so that people can earn online.",
        ["skills"],
        ["digital-skills-talent"],
        "active",
    ),
    (
        "PK",
        "Ignite – National Technology Fund",
        "A company of the Ministry of Information Technology and Telecommunication that funds technology "
        "research and development and supports start-ups, including through the National Incubation "
        "Centres.",
        ["funding", "research"],
        ["innovation-startups", "research-collaboration"],
        "active",
    ),
    (
        "PK",
        "Raast",
        "Pakistan's instant payment system, built and run by the State Bank of Pakistan. People and "
        "businesses send money instantly between accounts, including to a mobile number registered as the "
        "alias of an account.",
        ["infrastructure"],
        ["digital-finance"],
        "active",
    ),
    (
        "PK",
        "Punjab Safe Cities Authority",
        "An authority of the Government of Punjab that runs integrated command, control and communication "
        "centres and city-wide camera networks to support policing, traffic management and emergency "
        "response, beginning with Lahore.",
        ["infrastructure", "public_services"],
        ["smart-cities"],
        "active",
    ),
    (
        "PK",
        "Pakistan Citizen's Portal",
        "A complaint and feedback system of the Prime Minister's Office, used mainly through a mobile app, "
        "through which citizens send complaints and suggestions to government offices and follow how they "
        "are resolved.",
        ["public_services"],
        ["e-government"],
        "active",
    ),
]

CRITERIA = [
    ("Benefit to both parties", "Does each party gain from the project, and say how?", 2),
    ("Feasibility", "Are the means, the partners and the timeline realistic?", 1),
    ("Builds on national programmes", "Does it use what each party's programmes have already built?", 1),
]

DEMO_NOTE = " Written for the demo; it does not describe a real project."
CONCEPT_NOTE = (
    "Demo concept note: the aims, activities, partners, costs and risks would be set out here." + DEMO_NOTE
)
# (title, area theme, proposing party, stage, summary, programmes it builds on)
JOINT = [
    (
        "Demo: joint cyber exercise for national CERTs",
        "cybersecurity",
        "MY",
        "approved",
        "The two countries' computer emergency response teams train together on a shared exercise.",
        ["Malaysia Cyber Security Strategy 2020–2024", "National Cyber Security Policy"],
    ),
    (
        "Demo: smart-city command centres exchange",
        "smart-cities",
        "PK",
        "concept_note",
        "City officials visit each other's command centres and compare how they plan smart-city services.",
        ["Malaysia Smart City Framework", "Punjab Safe Cities Authority"],
    ),
    (
        "Demo: linking instant payment systems",
        "digital-finance",
        "MY",
        "appraisal",
        "The parties study what a link between their instant payment systems would need.",
        ["DuitNow", "Raast"],
    ),
    (
        "Demo: citizen feedback services",
        "e-government",
        "PK",
        "idea",
        "The parties share how citizens' complaints and feedback reach government offices.",
        ["Pakistan Citizen's Portal"],
    ),
]


# Peer-learning requests: (asking party, asked party, programme asked about, subject, question, answer).
# The questions are ours and assert nothing. The one answer only restates the registry's labelled summary
# of the programme it cites; the other request is left open, unanswered.
PEER_REQUESTS = [
    (
        "MY",
        "PK",
        "Raast",
        "How can people pay a mobile number through Raast?",
        "We would like to learn how Raast lets people and businesses send money to a mobile number: who "
        "built and runs the system, and how is a mobile number tied to an account?" + DEMO_NOTE,
        "As the registry's summary of Raast says: Raast is Pakistan's instant payment system, built and run "
        "by the State Bank of Pakistan, and a mobile number can be registered as the alias of an account, so "
        "that money sent to the number reaches that account." + DEMO_NOTE,
    ),
    (
        "PK",
        "MY",
        "JENDELA (Jalinan Digital Negara)",
        "How is JENDELA organised to widen broadband coverage?",
        "Which bodies plan and follow the widening of fixed and mobile broadband under JENDELA, and how did "
        "you prepare the network for 5G?" + DEMO_NOTE,
        "",
    ),
]


def load_peer_requests(dialogue, users: dict, parties: dict) -> int:
    from .models import PeerRequest, Programme
    from .peer import actions as peer

    added = 0
    for asker, asked, about, title, question, answer in PEER_REQUESTS:
        if PeerRequest.objects.filter(dialogue=dialogue, title=title).exists():
            continue
        programme = Programme.objects.filter(dialogue=dialogue, title=about).first()
        request = peer.do_ask_question(
            actor=users[f"analyst.{asker.lower()}"],
            dialogue=dialogue,
            party=parties[asker],
            asked_party=parties[asked],
            title=title,
            question=question,
            programme=programme,
            visibility="public",
        )
        if answer:
            peer.do_answer_request(
                actor=users[f"delegate.{asked.lower()}"],
                request=request,
                text=answer,
                programmes=[programme] if programme else [],
            )
            peer.do_close_request(actor=users[f"analyst.{asker.lower()}"], request=request)
        added += 1
    return added


def load_programmes(out: TextIO) -> None:
    from concord.accounts.models import Dialogue, Party, User
    from concord.demo.load import DEMO_DOMAIN

    from . import actions
    from .joint import actions as joint
    from .models import AppraisalCriterion, JointProject, Programme, Stage

    dialogue = Dialogue.objects.order_by("pk").first()
    if dialogue is None:
        return
    users = {u.email.split("@")[0]: u for u in User.objects.filter(email__endswith=f"@{DEMO_DOMAIN}")}
    parties = {p.code: p for p in Party.objects.filter(code__in=["MY", "PK"])}
    if len(parties) < 2 or "secretariat" not in users:
        return
    added = 0
    for code, title, summary, instruments, themes, status in PROGRAMMES:
        if Programme.objects.filter(dialogue=dialogue, title=title).exists():
            continue
        actions.do_create_programme(
            actor=users[f"analyst.{code.lower()}"],
            dialogue=dialogue,
            party=parties[code],
            title=title,
            summary=summary,
            visibility="public",
            instruments=instruments,
            themes=themes,
            status=status,
            summary_by=SUMMARY_BY,
        )
        added += 1
    out.write(f"  programmes: {added} added\n")
    if not AppraisalCriterion.objects.filter(dialogue=dialogue).exists():
        for title, description, weight in CRITERIA:
            joint.do_publish_criterion(
                actor=users["secretariat"],
                dialogue=dialogue,
                title=title,
                description=description,
                weight=weight,
            )
    criteria = list(AppraisalCriterion.objects.filter(dialogue=dialogue))
    by_title = {p.title: p for p in Programme.objects.filter(dialogue=dialogue)}
    delegates = {c: users[f"delegate.{c.lower()}"] for c in parties}
    order = [Stage.IDEA, Stage.CONCEPT_NOTE, Stage.APPRAISAL, Stage.APPROVED]
    for title, theme, code, stage, summary, programmes in JOINT:
        if JointProject.objects.filter(dialogue=dialogue, title=title).exists():
            continue
        project = joint.do_propose_project(
            actor=delegates[code],
            dialogue=dialogue,
            proposed_by=parties[code],
            title=title,
            summary=summary + DEMO_NOTE,
            visibility="public",
            themes=[theme],
            programmes=[by_title[t] for t in programmes if t in by_title],
        )
        for to in order[1 : order.index(stage) + 1]:
            if to == Stage.APPRAISAL:
                joint.do_update_project(
                    actor=delegates[code],
                    project=project,
                    concept_note=CONCEPT_NOTE,
                )
            if to == Stage.APPROVED:
                for party_code, delegate in delegates.items():
                    joint.do_score_project(
                        actor=delegate,
                        project=project,
                        party=parties[party_code],
                        scores={c.pk: (4, "Demo appraisal.") for c in criteria},
                    )
            joint.do_move_project(actor=delegates[code], project=project, to=to)
    out.write("  joint projects: loaded\n")
    out.write(f"  peer-learning requests: {load_peer_requests(dialogue, users, parties)} added\n")
