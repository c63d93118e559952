"""Proof that every write of talent mobility is audited (collected by tests/audit)."""

from __future__ import annotations

from concord.talent import actions
from concord.talent.models import Crosswalk, Placement, ProfileSkill, Skill

from .conftest import SAMPLE, make_opportunity, make_profile

FRAMEWORK = (
    b"code,label,label_ms,parent_code\nD1,data analytics,analitik data,\n"
    b"D2,machine learning,pembelajaran mesin,D1\n"
)


def _esco(p):
    actions.do_import_esco(actor=p.secretariat, directory=SAMPLE)
    return {s.uri.split("skill:")[-1] if ":skill:" in s.uri else s.uri: s for s in Skill.objects.all()}


def _framework(p):
    _esco(p)
    return actions.do_import_framework(
        actor=p.secretariat,
        data=FRAMEWORK,
        filename="f.csv",
        slug="demo-my",
        name="Demo framework",
        country="MY",
    )


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


ACTIONS = {
    "talent.actions.do_move_application": lambda p: (
        actions.do_move_application(actor=p.outsider, application=_two_applications(p, p.outsider), rank=1),
        "talent.application.move",
    )[1],
    "talent.actions.do_respond_to_placement": lambda p: (
        actions.do_respond_to_placement(
            actor=p.outsider, placement=_placement(p, p.outsider), accept=False, run="inline"
        ),
        "talent.placement.decline",
    )[1],
    "talent.actions.do_import_esco": lambda p: (_esco(p), "talent.taxonomy.import")[1],
    "talent.actions.do_import_framework": lambda p: (_framework(p), "talent.framework.import")[1],
    "talent.actions.do_review_crosswalk": lambda p: (_review_crosswalk(p), "talent.crosswalk.review")[1],
    "talent.actions.do_save_profile": lambda p: (
        actions.do_save_profile(actor=p.outsider, headline="H"),
        "talent.profile.save",
    )[1],
    "talent.actions.do_suggest_profile_skills": lambda p: (
        _esco(p),
        actions.do_suggest_profile_skills(
            actor=p.outsider, profile=actions.do_save_profile(actor=p.outsider, summary="Python and SQL")
        ),
        "talent.profile.suggest",
    )[2],
    "talent.actions.do_review_profile_skill": lambda p: (
        actions.do_review_profile_skill(
            actor=p.outsider,
            profile_skill=ProfileSkill(
                profile=actions.do_save_profile(actor=p.outsider), skill=_esco(p)["sql"]
            ),
            status="accepted",
        ),
        "talent.profile_skill.review",
    )[1],
    "talent.actions.do_add_profile_skill": lambda p: (
        actions.do_add_profile_skill(
            actor=p.outsider, profile=actions.do_save_profile(actor=p.outsider), skill=_esco(p)["sql"]
        ),
        "talent.profile_skill.add",
    )[1],
    "talent.actions.do_delete_profile": lambda p: (
        actions.do_delete_profile(actor=p.outsider, profile=actions.do_save_profile(actor=p.outsider)),
        "talent.profile.delete",
    )[1],
    "talent.actions.do_create_opportunity": lambda p: (
        make_opportunity(p, _esco(p)),
        "talent.opportunity.create",
    )[1],
    "talent.actions.do_update_opportunity": lambda p: (
        actions.do_update_opportunity(
            actor=p.delegate_my,
            opportunity=make_opportunity(p, _esco(p)),
            title="Applied machine learning fellowship, second intake",
            kind="fellowship",
            host_country="MY",
            seats=2,
        ),
        "talent.opportunity.update",
    )[1],
    "talent.actions.do_set_opportunity_status": lambda p: (
        actions.do_set_opportunity_status(
            actor=p.delegate_my, opportunity=make_opportunity(p, _esco(p)), status="closed"
        ),
        "talent.opportunity.status",
    )[1],
    "talent.actions.do_apply": lambda p: (_apply(p), "talent.application.create")[1],
    "talent.actions.do_withdraw_application": lambda p: (
        actions.do_withdraw_application(actor=p.outsider, application=_apply(p)),
        "talent.application.withdraw",
    )[1],
    "talent.actions.do_create_round": lambda p: (_round(p), "talent.round.create")[1],
    "talent.actions.do_run_round": lambda p: (
        actions.do_run_round(actor=p.delegate_my, allocation_round=_round(p), run="inline"),
        "talent.round",
    )[1],
}


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


API = {
    ("POST", "/api/talent/opportunities"): lambda p, client: (
        client.post(
            "/api/talent/opportunities",
            {"dialogue": "pk-my", "title": "T", "kind": "job", "host_country": "MY", "seats": 2},
            content_type="application/json",
        ),
        "talent.opportunity.create",
    ),
    ("PUT", "/api/talent/opportunities/{opportunity_id}"): lambda p, client: (
        client.put(
            f"/api/talent/opportunities/{make_opportunity(p, _esco(p)).pk}",
            {"title": "T2", "kind": "job", "host_country": "MY", "seats": 3},
            content_type="application/json",
        ),
        "talent.opportunity.update",
    ),
    ("POST", "/api/talent/opportunities/{opportunity_id}/status"): lambda p, client: (
        client.post(
            f"/api/talent/opportunities/{make_opportunity(p, _esco(p)).pk}/status",
            {"status": "closed"},
            content_type="application/json",
        ),
        "talent.opportunity.status",
    ),
    ("POST", "/api/talent/opportunities/{opportunity_id}/apply"): lambda p, client: (
        _api_apply(p, client),
        "talent.application.create",
    ),
    ("PUT", "/api/talent/profile"): lambda p, client: (
        client.put(
            "/api/talent/profile",
            {"headline": "H", "consent_matching": False, "consent_sharing": False},
            content_type="application/json",
        ),
        "talent.profile.save",
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
    ("PATCH", "/api/talent/applications/{application_id}"): lambda p, client: (
        client.patch(
            f"/api/talent/applications/{_two_applications(p, p.secretariat).pk}",
            {"preference": 1},
            content_type="application/json",
        ),
        "talent.application.move",
    ),
    ("DELETE", "/api/talent/applications/{application_id}"): lambda p, client: (
        client.delete(f"/api/talent/applications/{_two_applications(p, p.secretariat).pk}"),
        "talent.application.withdraw",
    ),
    ("POST", "/api/talent/placements/{placement_id}/answer"): lambda p, client: (
        client.post(
            f"/api/talent/placements/{_placement(p, p.secretariat).pk}/answer",
            {"accept": True},
            content_type="application/json",
        ),
        "talent.placement.accept",
    ),
}
