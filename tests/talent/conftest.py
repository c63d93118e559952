"""Fixtures of talent mobility: the sample ESCO taxonomy, an opportunity, consenting profiles."""

from __future__ import annotations

from pathlib import Path

import pytest

from concord.talent import actions
from concord.talent.models import Skill

SAMPLE = Path(__file__).resolve().parents[2] / "concord" / "talent" / "fixtures" / "esco-sample"


@pytest.fixture
def esco(personas):
    actions.do_import_esco(actor=personas.secretariat, directory=SAMPLE)
    return {s.uri.split("skill:")[-1] if ":skill:" in s.uri else s.uri: s for s in Skill.objects.all()}


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
