"""Fixtures of talent mobility: the sample ESCO taxonomy, an opportunity, consenting profiles."""

from __future__ import annotations

from pathlib import Path

import pytest

from concord.talent import actions
from concord.talent.models import Skill

SAMPLE = Path(__file__).resolve().parents[2] / "concord" / "talent" / "fixtures" / "esco-sample"
# A national skills framework of two skills, in English and Malay.
FRAMEWORK = (
    b"code,label,label_ms,parent_code\nD1,data analytics,analitik data,\n"
    b"D2,machine learning,pembelajaran mesin,D1\n"
)


def import_esco(actor) -> dict:
    """Import the sample ESCO taxonomy as ``actor``; its skills by the last part of their URI."""
    actions.do_import_esco(actor=actor, directory=SAMPLE)
    return {s.uri.split("skill:")[-1] if ":skill:" in s.uri else s.uri: s for s in Skill.objects.all()}


@pytest.fixture
def esco(personas):
    return import_esco(personas.secretariat)


def make_opportunity(personas, esco, **kw):
    defaults = dict(
        actor=personas.delegate_my,
        dialogue=personas.dialogue,
        title="Applied machine learning fellowship",
        kind="fellowship",
        host_country="MY",
        seats=1,
        essential_skills=[esco["python"], esco["ml"]],
        optional_skills=[esco["sql"]],
        status="published",
        visibility="public",
    )
    defaults.update(kw)
    return actions.do_create_opportunity(**defaults)


def make_profile(
    user, esco, *, country="PK", skills=("python", "ml"), consent=True, sharing=True, summary=""
):
    profile = actions.do_save_profile(
        actor=user,
        headline="Data scientist",
        summary=summary or "I build machine learning models in Python.",
        country=country,
        languages=["en"],
        level=3,
        consent_matching=consent,
        consent_sharing=sharing,
    )
    from concord.talent.models import ProfileSkill

    for key in skills:
        ps = ProfileSkill(profile=profile, skill=esco[key])
        actions.do_review_profile_skill(actor=user, profile_skill=ps, status="accepted", level=3)
    return profile


@pytest.fixture
def opportunity(personas, esco):
    return make_opportunity(personas, esco)


def two_applicants(personas, esco, opportunity):
    """The outsider (Python, machine learning and SQL: the better match) and the observer (Python and machine
    learning) apply to ``opportunity``; returns their profiles, the better match first."""
    better = make_profile(personas.outsider, esco, skills=("python", "ml", "sql"))
    weaker = make_profile(personas.observer, esco, skills=("python", "ml"))
    for user in (personas.outsider, personas.observer):
        actions.do_apply(actor=user, opportunity=opportunity)
    return better, weaker


def run_inline_round(personas, opportunities, title: str = "R"):
    """The Malaysian delegate opens an allocation round over ``opportunities`` and runs it at once."""
    rnd = actions.do_create_round(
        actor=personas.delegate_my, dialogue=personas.dialogue, title=title, opportunities=opportunities
    )
    actions.do_run_round(actor=personas.delegate_my, allocation_round=rnd, run="inline")
    return rnd


def post_opportunity_form(client, title: str, kind: str, **fields):
    """The new-opportunity page's form sent with ``title`` and ``kind``, hosted in Malaysia, and ``fields``
    (seats, reserves, skills, visibility, ``publish="on"``, …)."""
    from django.urls import reverse

    form = {"title": title, "kind": kind, "host_country": "MY", **fields}
    return client.post(reverse("talent:opportunity_new"), form)


def import_framework(actor, slug: str = "my-f", name: str = "MY", country: str = "MY"):
    """``actor`` imports FRAMEWORK as a country's skills framework."""
    return actions.do_import_framework(
        actor=actor, data=FRAMEWORK, filename="f.csv", slug=slug, name=name, country=country
    )
