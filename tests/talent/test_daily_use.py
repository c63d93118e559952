"""Talent in daily use: more suggestions and skills of one's own, explanations that make sense, essential
skills, a freed seat offered again, and no individual welfare comparison on the manager's page."""

from __future__ import annotations

from django.urls import reverse

from concord.audit.models import AuditEntry
from concord.talent import actions, matching
from concord.talent.models import AllocationRound, Placement, ProfileSkill, ordered_reserves

from .conftest import make_opportunity, make_profile, post_opportunity_form, run_inline_round, two_applicants

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
    first, second = two_applicants(personas, esco, opp)
    rnd = run_inline_round(personas, [opp])
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
    _placed, loser = two_applicants(personas, esco, opp)
    run_inline_round(personas, [opp])
    actions.do_delete_profile(actor=personas.observer, profile=loser, run="inline")
    assert not AuditEntry.objects.filter(action="talent.round.rerun").exists()


def test_the_managers_page_compares_welfare_in_aggregate_only(personas, esco, as_user):
    opp = make_opportunity(personas, esco, seats=1)
    make_profile(personas.outsider, esco, skills=("python", "ml", "sql"))
    actions.do_apply(actor=personas.outsider, opportunity=opp)
    rnd = run_inline_round(personas, [opp])
    page = as_user(personas.delegate_my).get(rnd.get_absolute_url()).content.decode()
    assert "Welfare-maximising — for comparison" in page and "aggregate comparison only" in page
    assert "would have given:" not in page and "The welfare-maximising variant would have given" not in page
    api = as_user(personas.delegate_my).get(f"/api/talent/rounds/{rnd.pk}/placements").json()
    assert all("welfare_opportunity" not in p for p in api)


# --- seats reserved for a group people declare ------------------------------------------------------------
def _declare(user, groups):
    profile = actions.do_save_profile(
        actor=user, country="PK", languages=["en"], level=3, consent_matching=True, declared_groups=groups
    )
    return profile


def test_a_seat_reserved_for_women_goes_to_a_woman_ranked_lower(personas, esco, as_user):
    opp = make_opportunity(personas, esco, seats=1, reserves={"women": 1})
    man, woman = two_applicants(personas, esco, opp)
    _declare(personas.observer, ["women"])
    rnd = run_inline_round(personas, [opp])
    rnd.refresh_from_db()
    assert Placement.objects.get(round=rnd, opportunity=opp).profile == woman
    assert Placement.objects.get(round=rnd, profile=man).opportunity is None
    assert rnd.summary["blocking_pairs"] == 0
    assert rnd.summary["reserves"] == [
        {"opportunity": opp.pk, "group": "women", "seats": 1, "members_placed": 1}
    ]
    page = as_user(personas.delegate_my).get(rnd.get_absolute_url()).content.decode()
    assert "Reserved seats" in page and "Members of the group placed" in page and ">Women<" in page
    assert "1 reserved for Women" in as_user(personas.outsider).get(opp.get_absolute_url()).content.decode()


def test_groups_and_countries_are_reserved_together_groups_first(personas, esco):
    opp = make_opportunity(personas, esco, seats=2, reserves={"MY": 1, "women": 1})
    # PostgreSQL's jsonb does not keep key order, so the order is applied when allocating
    assert list(ordered_reserves(opp.reserves)) == ["women", "MY"]


def test_a_person_declares_groups_on_the_profile_form_and_unknown_ones_are_refused(personas, esco, as_user):
    client = as_user(personas.outsider)
    form = {"country": "PK", "languages": ["en"], "level": "3", "declared_groups": ["women"]}
    client.post(reverse("talent:my_profile"), form)
    from concord.talent.models import Profile

    profile = Profile.objects.get(user=personas.outsider)
    assert profile.declared_groups == ["women"]
    response = client.post(reverse("talent:my_profile"), {**form, "declared_groups": ["martians"]})
    assert "martians" in response.content.decode()
    assert Profile.objects.get(user=personas.outsider).declared_groups == ["women"]
    api = client.put(
        "/api/talent/profile",
        {"consent_matching": True, "consent_sharing": False, "declared_groups": ["martians"]},
        content_type="application/json",
    )
    assert api.status_code == 400 and "martians" in api.content.decode()


def test_a_reserve_for_an_unknown_group_is_refused_by_name(personas, esco):
    import pytest
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as caught:
        make_opportunity(personas, esco, seats=2, reserves={"martians": 1})
    assert "“martians” is neither a two-letter country code nor a group" in str(caught.value)


def test_the_opportunity_form_reserves_seats_for_women(personas, esco, as_user):
    client = as_user(personas.delegate_my)
    response = post_opportunity_form(
        client,
        "Women in AI fellowship",
        "fellowship",
        seats="3",
        reserve_women="2",
        reserve_my="1",
        essential_skills=[esco["ml"].pk],
        visibility="public",
        publish="on",
    )
    assert response.status_code == 302
    from concord.talent.models import Opportunity

    assert Opportunity.objects.get(title="Women in AI fellowship").reserves == {"women": 2, "MY": 1}
