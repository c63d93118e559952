"""Talent in daily use: more suggestions and skills of one's own, explanations that make sense, essential
skills, a freed seat offered again, and no individual welfare comparison on the manager's page."""

from __future__ import annotations

from django.urls import reverse

from concord.audit.models import AuditEntry
from concord.talent import actions, matching
from concord.talent.models import AllocationRound, Placement, ProfileSkill

from .conftest import make_opportunity, make_profile

SUMMARY = (
    "I write Python and Java, query SQL, train machine learning and deep learning models, build artificial "
    "neural networks, do statistics, data mining, data cleansing and data analysis, develop predictive "
    "models, work on the Internet of Things, embedded systems and sensors, cloud technologies, cyber "
    "security, implement a firewall, and do project management."
)


def test_suggestions_go_past_eight_ranked_with_a_more_control(personas, esco, as_user):
    client = as_user(personas.outsider)
    profile = make_profile(personas.outsider, esco, skills=(), summary=SUMMARY)
    made = actions.do_suggest_profile_skills(actor=personas.outsider, profile=profile)
    assert len(made) > 8
    scores = [ps.score for ps in sorted(made, key=lambda ps: -ps.score)]
    page = client.get(reverse("talent:my_profile")).content.decode()
    head, more = page.split('<details class="more-skills">')
    assert f"Show {len(made) - 8} more suggestions" in more
    best = ProfileSkill.objects.filter(profile=profile).order_by("-score", "skill__label").first()
    assert str(best.skill) in head and scores[0] == best.score


def test_a_person_adds_a_skill_of_their_own_from_the_taxonomy(personas, esco, as_user):
    client = as_user(personas.outsider)
    profile = make_profile(personas.outsider, esco, skills=())
    page = client.get(reverse("talent:my_profile"), {"q": "firewall"}).content.decode()
    assert "implement a firewall" in page
    client.post(reverse("talent:add_skill"), {"skill": esco["firewall"].pk, "level": "3"})
    ps = ProfileSkill.objects.get(profile=profile, skill=esco["firewall"])
    assert (ps.status, ps.level) == ("accepted", 3)
    assert AuditEntry.objects.filter(action="talent.profile_skill.add").exists()
    nothing = client.get(reverse("talent:my_profile"), {"q": "underwater basket weaving"}).content.decode()
    assert "No skill in the taxonomy matches" in nothing and "ask the secretariat to add it" in nothing


def test_a_skill_group_or_an_unknown_skill_is_refused_with_a_message(personas, esco, as_user):
    client = as_user(personas.outsider)
    profile = make_profile(personas.outsider, esco, skills=())
    group = esco["urn:concord:esco-sample:group:iot"]
    response = client.post(reverse("talent:add_skill"), {"skill": group.pk, "level": "2"}, follow=True)
    assert "is a group of skills" in response.content.decode()
    response = client.post(reverse("talent:add_skill"), {"skill": "999999", "level": "2"}, follow=True)
    assert "not in the taxonomy" in response.content.decode()
    assert not profile.skills.exists()


def test_a_language_is_never_explained_through_another_nor_python_through_cloud(personas, esco):
    opp = make_opportunity(
        personas, esco, essential_skills=[esco["english"]], optional_skills=[esco["python"]]
    )
    profile = make_profile(personas.outsider, esco, skills=("urdu", "cloud"))
    m = matching.explain(profile, opp)
    assert m.adjacent == ()
    assert set(m.missing) == {str(esco["english"].pk), str(esco["python"].pk)}


def test_an_applicant_missing_an_essential_skill_is_not_eligible_and_told_which(personas, esco, as_user):
    opp = make_opportunity(personas, esco)  # essential: Python, machine learning
    make_profile(personas.outsider, esco, skills=("python", "sql"))
    page = as_user(personas.outsider).get(opp.get_absolute_url()).content.decode()
    assert "Not eligible" in page and "Essential skills missing:" in page
    assert "machine learning" in page.split("Essential skills missing:")[1][:400]


def test_a_freed_seat_goes_to_the_next_applicant_and_the_counts_update(personas, esco, as_user):
    opp = make_opportunity(personas, esco, seats=1)
    first = make_profile(personas.outsider, esco, skills=("python", "ml", "sql"))
    second = make_profile(personas.observer, esco, skills=("python", "ml"))
    for user in (personas.outsider, personas.observer):
        actions.do_apply(actor=user, opportunity=opp)
    rnd = actions.do_create_round(
        actor=personas.delegate_my, dialogue=personas.dialogue, title="R", opportunities=[opp]
    )
    actions.do_run_round(actor=personas.delegate_my, allocation_round=rnd, run="inline")
    assert Placement.objects.get(round=rnd, opportunity=opp).profile == first
    actions.do_delete_profile(actor=personas.outsider, profile=first, run="inline")
    rnd = AllocationRound.objects.get(pk=rnd.pk)
    assert (
        rnd.status == "finished" and rnd.summary["applicants"] == 1 and rnd.summary["stable"]["placed"] == 1
    )
    assert Placement.objects.get(round=rnd, opportunity=opp).profile == second
    entry = AuditEntry.objects.get(action="talent.round.rerun")
    assert entry.after["reason"] == "seat_freed" and entry.actor_id == personas.outsider.pk
    page = as_user(personas.delegate_my).get(rnd.get_absolute_url()).content.decode()
    assert "Placed: Applied machine learning fellowship" in page


def test_deleting_an_unplaced_profile_reruns_nothing(personas, esco):
    opp = make_opportunity(personas, esco, seats=1)
    make_profile(personas.outsider, esco, skills=("python", "ml", "sql"))
    loser = make_profile(personas.observer, esco, skills=("python", "ml"))
    for user in (personas.outsider, personas.observer):
        actions.do_apply(actor=user, opportunity=opp)
    rnd = actions.do_create_round(
        actor=personas.delegate_my, dialogue=personas.dialogue, title="R", opportunities=[opp]
    )
    actions.do_run_round(actor=personas.delegate_my, allocation_round=rnd, run="inline")
    actions.do_delete_profile(actor=personas.observer, profile=loser, run="inline")
    assert not AuditEntry.objects.filter(action="talent.round.rerun").exists()


def test_the_managers_page_compares_welfare_in_aggregate_only(personas, esco, as_user):
    opp = make_opportunity(personas, esco, seats=1)
    make_profile(personas.outsider, esco, skills=("python", "ml", "sql"))
    actions.do_apply(actor=personas.outsider, opportunity=opp)
    rnd = actions.do_create_round(
        actor=personas.delegate_my, dialogue=personas.dialogue, title="R", opportunities=[opp]
    )
    actions.do_run_round(actor=personas.delegate_my, allocation_round=rnd, run="inline")
    page = as_user(personas.delegate_my).get(rnd.get_absolute_url()).content.decode()
    assert "Welfare-maximising — for comparison" in page and "aggregate comparison only" in page
    assert "would have given:" not in page and "The welfare-maximising variant would have given" not in page
    api = as_user(personas.delegate_my).get(f"/api/talent/rounds/{rnd.pk}/placements").json()
    assert all("welfare_opportunity" not in p for p in api)
