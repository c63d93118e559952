"""Demo data of talent mobility, idempotent.

The sample ESCO taxonomy, a demo framework, generic demo opportunities in AI, data science, IoT and
cybersecurity (labelled as demo, with no provider, dates or claims about real programmes), demo
professionals (demo accounts), and one finished allocation round.
"""

from __future__ import annotations

from pathlib import Path
from typing import TextIO

FIXTURES = Path(__file__).resolve().parent / "fixtures"
TITLE_OF_ROUND = "Demo allocation round: AI, data, IoT and security placements"

# (title, kind, host, seats, eligible, essential, optional, reserves, description)
OPPORTUNITIES = [
    (
        "Demo: applied AI research fellowship",
        "fellowship",
        "MY",
        2,
        ["PK"],
        ["ml", "python"],
        ["dl", "ann"],
        {},
        "A generic demo fellowship: a researcher from Pakistan joins a Malaysian team to apply "
        "machine learning "
        "to a shared problem. Written for the demo; it does not describe a real programme.",
    ),
    (
        "Demo: data science training course",
        "training",
        "PK",
        3,
        [],
        ["stats", "analysis"],
        ["python", "sql"],
        {"MY": 1},
        "A generic demo course on statistics and data analysis, open to both countries, with one "
        "seat reserved "
        "for an applicant from Malaysia. Written for the demo.",
    ),
    (
        "Demo: IoT exchange placement",
        "exchange",
        "MY",
        1,
        ["PK"],
        ["iot", "sensors"],
        ["embedded", "cloud"],
        {},
        "A generic demo exchange placement with a team building connected sensor systems. "
        "Written for the demo.",
    ),
    (
        "Demo: cybersecurity internship",
        "internship",
        "PK",
        2,
        [],
        ["cyber", "netrisk"],
        ["firewall", "attack"],
        {"PK": 1},
        "A generic demo internship in a security operations team, with one seat reserved for an "
        "applicant from "
        "Pakistan. Written for the demo.",
    ),
    (
        "Demo: machine learning engineer",
        "job",
        "MY",
        1,
        [],
        ["python", "ml", "useml"],
        ["cloud", "dl"],
        {},
        "A generic demo job posting for building and running machine learning systems. Written for the demo.",
    ),
    (
        "Demo: security analyst",
        "job",
        "PK",
        1,
        [],
        ["cyber", "attack", "firewall"],
        ["secstrategy"],
        {},
        "A generic demo job posting for monitoring systems and strengthening their defences. "
        "Written for the demo.",
    ),
]

# (email local part, full name, country, summary, skills with levels, preferences by opportunity index)
PEOPLE = [
    (
        "professional.pk1",
        "Demo Professional (Pakistan) 1",
        "PK",
        "Data scientist working in Python on machine learning models and statistics for public services.",
        {"python": 4, "ml": 3, "stats": 3, "dl": 2},
        [0, 4, 1],
    ),
    (
        "professional.pk2",
        "Demo Professional (Pakistan) 2",
        "PK",
        "Embedded engineer building sensor networks for the Internet of Things.",
        {"iot": 3, "sensors": 3, "embedded": 4, "python": 2},
        [2, 0],
    ),
    (
        "professional.pk3",
        "Demo Professional (Pakistan) 3",
        "PK",
        "Network administrator moving into cyber security: firewalls and network risk assessments.",
        {"cyber": 2, "netrisk": 2, "firewall": 3},
        [3, 5],
    ),
    (
        "professional.my1",
        "Demo Professional (Malaysia) 1",
        "MY",
        "Analyst who cleans data, runs statistical analyses and builds dashboards with SQL.",
        {"stats": 3, "analysis": 3, "sql": 3, "cleansing": 3},
        [1, 4],
    ),
    (
        "professional.my2",
        "Demo Professional (Malaysia) 2",
        "MY",
        "Security analyst studying attack vectors and information security strategy.",
        {"cyber": 3, "attack": 3, "secstrategy": 2, "firewall": 2},
        [5, 3],
    ),
    (
        "professional.my3",
        "Demo Professional (Malaysia) 3",
        "MY",
        "Software developer in Python exploring machine learning in the cloud.",
        {"python": 3, "cloud": 3, "ml": 1},
        [4, 1, 0],
    ),
]


def load_talent(out: TextIO) -> None:
    """The secretariat officer imports the taxonomies and runs the round; the delegates post the
    opportunities of their country; each demo professional writes a profile and applies."""
    from concord.accounts.models import Dialogue, User
    from concord.demo.load import DEMO_DOMAIN

    from .models import Profile, Skill

    dialogue = Dialogue.objects.order_by("pk").first()
    secretariat = User.objects.filter(email=f"secretariat@{DEMO_DOMAIN}").first()
    if dialogue is None or secretariat is None:
        return
    _import_taxonomies(secretariat)
    skills = {s.uri.split("skill:")[-1]: s for s in Skill.objects.filter(uri__contains=":skill:")}
    opportunities = _post_opportunities(dialogue, skills=skills, secretariat=secretariat)
    for person in PEOPLE:
        _apply_as_professional(person, skills=skills, opportunities=opportunities)
    _run_round(dialogue, secretariat=secretariat, opportunities=opportunities, out=out)
    out.write(f"  talent: {len(opportunities)} demo opportunities, {Profile.objects.count()} profiles\n")


def _import_taxonomies(secretariat) -> None:
    """The sample ESCO taxonomy (English, Malay and Urdu labels) and the demo framework, imported once."""
    from . import actions
    from .models import Taxonomy

    if not Taxonomy.objects.filter(slug="esco").exists():
        for language in ("en", "ms", "ur"):
            actions.do_import_esco(actor=secretariat, directory=FIXTURES / "esco-sample", language=language)
    if not Taxonomy.objects.filter(slug="demo-framework").exists():
        actions.do_import_framework(
            actor=secretariat,
            data=(FIXTURES / "demo-framework.csv").read_bytes(),
            filename="demo-framework.csv",
            slug="demo-framework",
            name="Demo national framework (illustrative)",
            country="MY",
        )


def _post_opportunities(dialogue, *, skills: dict, secretariat) -> list:
    """The demo opportunities in ``OPPORTUNITIES`` order, each posted by its host country's delegate."""
    from concord.accounts.models import User
    from concord.demo.load import DEMO_DOMAIN

    from . import actions
    from .models import Opportunity

    managers = {
        c: User.objects.filter(email=f"delegate.{c.lower()}@{DEMO_DOMAIN}").first() for c in ("MY", "PK")
    }
    opportunities = []
    for title, kind, host, seats, eligible, essential, optional, reserves, text in OPPORTUNITIES:
        opp = Opportunity.objects.filter(title=title).first()
        if opp is None:
            opp = actions.do_create_opportunity(
                actor=managers[host] or secretariat,
                dialogue=dialogue,
                title=title,
                description=text,
                kind=kind,
                host_country=host,
                seats=seats,
                eligible_countries=eligible,
                reserves=reserves,
                essential_skills=[skills[k] for k in essential],
                optional_skills=[skills[k] for k in optional],
                visibility="public",
                status="published",
                is_demo=True,
            )
        opportunities.append(opp)
    return opportunities


def _apply_as_professional(person: tuple, *, skills: dict, opportunities: list) -> None:
    """A demo professional signs up, writes a consenting profile with their skills and applies, once."""
    from concord.accounts import actions as account_actions
    from concord.accounts.models import User
    from concord.demo.load import DEMO_DOMAIN, DEMO_PASSWORD

    from . import actions
    from .models import Profile, ProfileSkill

    local, name, country, summary, held, wanted = person
    email = f"{local}@{DEMO_DOMAIN}"
    user = User.objects.filter(email=email).first() or account_actions.do_create_user(
        actor=None, email=email, full_name=name, password=DEMO_PASSWORD
    )
    if Profile.objects.filter(user=user).exists():
        return
    profile = actions.do_save_profile(
        actor=user,
        headline=name,
        summary=summary,
        country=country,
        languages=["en"],
        level=3,
        consent_matching=True,
        consent_sharing=True,
    )
    for key, level in held.items():
        actions.do_review_profile_skill(
            actor=user,
            profile_skill=ProfileSkill(profile=profile, skill=skills[key]),
            status="accepted",
            level=level,
        )
    for index in wanted:
        actions.do_apply(actor=user, opportunity=opportunities[index])


def _run_round(dialogue, *, secretariat, opportunities: list, out: TextIO) -> None:
    from . import actions
    from .models import AllocationRound

    if AllocationRound.objects.filter(title=TITLE_OF_ROUND).exists():
        return
    rnd = actions.do_create_round(
        actor=secretariat,
        dialogue=dialogue,
        title=TITLE_OF_ROUND,
        opportunities=opportunities,
        visibility="dialogue",
    )
    actions.do_run_round(actor=secretariat, allocation_round=rnd, run="inline")
    rnd.refresh_from_db()
    out.write(
        f"  talent: allocation round {rnd.status}, {rnd.summary.get('stable', {}).get('placed')} placed\n"
    )
