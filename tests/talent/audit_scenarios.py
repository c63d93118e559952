"""Proof that every write of talent mobility is audited (collected by tests/audit)."""

from __future__ import annotations

from functools import partial

from concord.talent import actions
from concord.talent.models import Crosswalk, Placement, ProfileSkill, Skill
from tests.audit.scenarios import action, call, scenarios

from .conftest import SAMPLE, import_framework, make_opportunity, make_profile


def _esco(p):
    actions.do_import_esco(actor=p.secretariat, directory=SAMPLE)
    return {s.uri.split("skill:")[-1] if ":skill:" in s.uri else s.uri: s for s in Skill.objects.all()}


def _framework(p):
    _esco(p)
    return import_framework(p.secretariat, slug="demo-my", name="Demo framework")


def _review_crosswalk(p):
    _framework(p)
    link = Crosswalk.objects.first()
    actions.do_review_crosswalk(actor=p.analyst_my, link=link, status="accepted")


def _round(p):
    esco = _esco(p)
    opp = make_opportunity(p, esco)
    return actions.do_create_round(actor=p.delegate_my, dialogue=p.dialogue, title="R", opportunities=[opp])


def _apply(p):
    esco = _esco(p)
    opp = make_opportunity(p, esco)
    make_profile(p.outsider, esco)
    return actions.do_apply(actor=p.outsider, opportunity=opp)


def _two_applications(p, user):
    esco = _esco(p)
    make_profile(user, esco)
    apps = [
        actions.do_apply(actor=user, opportunity=make_opportunity(p, esco, title=t)) for t in ("One", "Two")
    ]
    return apps[1]


def _placement(p, user):
    """``user`` placed on a one-seat opportunity in a finished round."""
    esco = _esco(p)
    opp = make_opportunity(p, esco)
    make_profile(user, esco)
    actions.do_apply(actor=user, opportunity=opp)
    rnd = actions.do_create_round(actor=p.delegate_my, dialogue=p.dialogue, title="R", opportunities=[opp])
    actions.do_run_round(actor=p.delegate_my, allocation_round=rnd, run="inline")
    return Placement.objects.get(round=rnd, profile__user=user)


def _profile(p, **kw):
    return actions.do_save_profile(actor=p.outsider, **kw)


def _suggest(p):
    _esco(p)
    return actions.do_suggest_profile_skills(actor=p.outsider, profile=_profile(p, summary="Python and SQL"))


def _opportunity(p):
    return make_opportunity(p, _esco(p))


# Talent's writes are made by a professional (the outsider persona) or by Malaysia's delegate.
by_professional = partial(action, actor="outsider")
by_delegate = partial(action, actor="delegate_my")

ACTIONS = scenarios(
    by_professional(
        actions.do_move_application,
        "talent.application.move",
        application=lambda p: _two_applications(p, p.outsider),
        rank=1,
    ),
    by_professional(
        actions.do_respond_to_placement,
        "talent.placement.decline",
        placement=lambda p: _placement(p, p.outsider),
        accept=False,
        run="inline",
    ),
    action(actions.do_import_esco, "talent.taxonomy.import", via=_esco),
    action(actions.do_import_framework, "talent.framework.import", via=_framework),
    action(actions.do_review_crosswalk, "talent.crosswalk.review", via=_review_crosswalk),
    by_professional(actions.do_save_profile, "talent.profile.save", headline="H"),
    action(actions.do_suggest_profile_skills, "talent.profile.suggest", via=_suggest),
    by_professional(
        actions.do_review_profile_skill,
        "talent.profile_skill.review",
        profile_skill=lambda p: ProfileSkill(profile=_profile(p), skill=_esco(p)["sql"]),
        status="accepted",
    ),
    by_professional(
        actions.do_add_profile_skill,
        "talent.profile_skill.add",
        profile=_profile,
        skill=lambda p: _esco(p)["sql"],
    ),
    by_professional(actions.do_delete_profile, "talent.profile.delete", profile=_profile),
    action(actions.do_create_opportunity, "talent.opportunity.create", via=_opportunity),
    by_delegate(
        actions.do_update_opportunity,
        "talent.opportunity.update",
        opportunity=_opportunity,
        title="Applied machine learning fellowship, second intake",
        kind="fellowship",
        host_country="MY",
        seats=2,
    ),
    by_delegate(
        actions.do_set_opportunity_status,
        "talent.opportunity.status",
        opportunity=_opportunity,
        status="closed",
    ),
    action(actions.do_apply, "talent.application.create", via=_apply),
    by_professional(actions.do_withdraw_application, "talent.application.withdraw", application=_apply),
    action(actions.do_create_round, "talent.round.create", via=_round),
    by_delegate(actions.do_run_round, "talent.round", allocation_round=_round, run="inline"),
)


def _secretariat_profile(p, client):
    esco = _esco(p)
    client.put(
        "/api/talent/profile",
        {"summary": "Python and SQL", "consent_matching": True, "consent_sharing": False},
        content_type="application/json",
    )
    return esco


def _api_round(p, client):
    esco = _esco(p)
    opp = make_opportunity(p, esco)
    response = client.post(
        "/api/talent/rounds",
        {"dialogue": "pk-my", "title": "R", "opportunities": [opp.pk]},
        content_type="application/json",
    )
    return response


def _api_review(p, client):
    _secretariat_profile(p, client)
    made = client.post("/api/talent/profile/suggest", {}, content_type="application/json").json()
    return client.post(
        f"/api/talent/profile/skills/{made[0]['id']}", {"status": "accepted"}, content_type="application/json"
    )


def _api_apply(p, client):
    esco = _secretariat_profile(p, client)
    opp = make_opportunity(p, esco)
    return client.post(f"/api/talent/opportunities/{opp.pk}/apply", {}, content_type="application/json")


def _applications(p):
    return _two_applications(p, p.secretariat)


OPPORTUNITY = {"dialogue": "pk-my", "title": "T", "kind": "job", "host_country": "MY", "seats": 2}

API = {
    **scenarios(
        call("POST /api/talent/opportunities", "talent.opportunity.create", body=OPPORTUNITY),
        call(
            "PUT /api/talent/opportunities/{opportunity_id}",
            "talent.opportunity.update",
            _opportunity,
            {"title": "T2", "kind": "job", "host_country": "MY", "seats": 3},
        ),
        call(
            "POST /api/talent/opportunities/{opportunity_id}/status",
            "talent.opportunity.status",
            _opportunity,
            {"status": "closed"},
        ),
        call(
            "PUT /api/talent/profile",
            "talent.profile.save",
            body={"headline": "H", "consent_matching": False, "consent_sharing": False},
        ),
        call(
            "PATCH /api/talent/applications/{application_id}",
            "talent.application.move",
            _applications,
            {"preference": 1},
        ),
        call(
            "DELETE /api/talent/applications/{application_id}", "talent.application.withdraw", _applications
        ),
        call(
            "POST /api/talent/placements/{placement_id}/answer",
            "talent.placement.accept",
            lambda p: _placement(p, p.secretariat),
            {"accept": True},
        ),
    ),
    # these need the secretariat's own profile, saved through the API first
    ("POST", "/api/talent/opportunities/{opportunity_id}/apply"): lambda p, client: (
        _api_apply(p, client),
        "talent.application.create",
    ),
    ("DELETE", "/api/talent/profile"): lambda p, client: (
        (_secretariat_profile(p, client), client.delete("/api/talent/profile"))[1],
        "talent.profile.delete",
    ),
    ("POST", "/api/talent/profile/suggest"): lambda p, client: (
        (
            _secretariat_profile(p, client),
            client.post("/api/talent/profile/suggest", {}, content_type="application/json"),
        )[1],
        "talent.profile.suggest",
    ),
    ("POST", "/api/talent/profile/skills/{profile_skill_id}"): lambda p, client: (
        _api_review(p, client),
        "talent.profile_skill.review",
    ),
    ("POST", "/api/talent/rounds"): lambda p, client: (_api_round(p, client), "talent.round.create"),
    ("POST", "/api/talent/rounds/{round_id}/run"): lambda p, client: (
        client.post(f"/api/talent/rounds/{_api_round(p, client).json()['id']}/run"),
        "talent.round.run",
    ),
}
