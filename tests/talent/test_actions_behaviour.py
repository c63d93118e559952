"""Each public action of talent mobility, accepted and refused, as the person who would call it.

A refused call (wrong role, someone else's object, wrong state, bad input) names the problem and writes
nothing: no row, no audit entry. An accepted call records exactly one audit entry of its kind.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.models import AnonymousUser

from concord.engine.errors import MatchingError
from concord.talent import actions
from concord.talent.models import (
    AllocationRound,
    Application,
    Crosswalk,
    Opportunity,
    Placement,
    Profile,
    ProfileSkill,
    Skill,
    Taxonomy,
)
from tests.behaviour import audited, denied, invalid, refused

from .conftest import FRAMEWORK, SAMPLE, import_framework, make_opportunity, make_profile, run_inline_round

pytestmark = pytest.mark.django_db
GROUP = "urn:concord:esco-sample:group:ai"


def _framework(personas):
    return import_framework(personas.secretariat)


def _placed(personas, esco, user):
    """``user`` holds the one seat of a finished round."""
    opp = make_opportunity(personas, esco)
    make_profile(user, esco)
    actions.do_apply(actor=user, opportunity=opp)
    rnd = run_inline_round(personas, [opp])
    return Placement.objects.get(round=rnd, profile__user=user)


# --- taxonomies --------------------------------------------------------------------------------------------
def test_only_the_secretariat_imports_esco(personas):
    with denied("Only the secretariat imports taxonomies.", Taxonomy, Skill):
        actions.do_import_esco(actor=personas.delegate_my, directory=SAMPLE)
    with audited("talent.taxonomy.import") as log:
        report = actions.do_import_esco(actor=personas.secretariat, directory=SAMPLE)
    assert report["skills"] == Skill.objects.exclude(skill_type="group").count() > 0
    assert log.entry.actor == personas.secretariat


def test_esco_from_a_folder_without_its_files_is_refused(personas, esco, tmp_path):
    with refused(MatchingError, "has no skills_en.csv; give the folder of an ESCO CSV download", Skill):
        actions.do_import_esco(actor=personas.secretariat, directory=tmp_path)
    with refused(MatchingError, "has no skills_ms.csv", Skill, objects=[esco["python"]]):
        actions.do_import_esco(actor=personas.secretariat, directory=tmp_path, language="ms")


def test_a_framework_import_needs_the_secretariat_and_a_country_code(personas, esco):
    with denied("Only the secretariat imports taxonomies.", Taxonomy, Skill):
        actions.do_import_framework(
            actor=personas.analyst_my, data=FRAMEWORK, filename="f.csv", slug="x", name="X", country="MY"
        )
    with invalid("Use a two-letter ISO country code", Taxonomy, Skill, Crosswalk):
        import_framework(personas.secretariat, slug="x", name="X", country="Malaysia")
    with audited("talent.framework.import"):
        taxonomy = actions.do_import_framework(
            actor=personas.secretariat, data=FRAMEWORK, filename="f.csv", slug="my-f", name="MY", country="MY"
        )
    assert sorted(taxonomy.skills.values_list("label_ms", flat=True)) == [
        "analitik data",
        "pembelajaran mesin",
    ]
    assert Crosswalk.objects.filter(local_skill__taxonomy=taxonomy).exists()


def test_crosswalk_review_by_an_analyst_not_an_observer(personas, esco):
    _framework(personas)
    link = Crosswalk.objects.first()
    with denied("Only analysts, delegates and the secretariat review crosswalks.", objects=[link]):
        actions.do_review_crosswalk(actor=personas.observer, link=link, status="accepted")
    with invalid("Unknown review status.", objects=[link]):
        actions.do_review_crosswalk(actor=personas.analyst_pk, link=link, status="maybe")
    with audited("talent.crosswalk.review"):
        actions.do_review_crosswalk(actor=personas.analyst_pk, link=link, status="accepted", match="close")
    link.refresh_from_db()
    assert (link.status, link.match, link.reviewed_by) == ("accepted", "close", personas.analyst_pk)


# --- profiles ----------------------------------------------------------------------------------------------
def test_a_profile_needs_a_signed_in_person_and_known_values(personas):
    with denied("Sign in to keep a profile.", Profile):
        actions.do_save_profile(actor=AnonymousUser(), headline="H")
    with invalid("Unknown level.", Profile):
        actions.do_save_profile(actor=personas.outsider, level=9)
    with invalid("Unknown language “fr”", Profile):
        actions.do_save_profile(actor=personas.outsider, languages=["fr"])
    with invalid("Unknown group", Profile):
        actions.do_save_profile(actor=personas.outsider, declared_groups=["aliens"])
    with audited("talent.profile.save") as log:
        profile = actions.do_save_profile(actor=personas.outsider, headline="Engineer", consent_matching=True)
    assert profile.consent_matching_at is not None
    assert "Engineer" not in str(log.entry.after)  # the log keeps consent, not personal data


def test_skill_suggestions_for_ones_own_profile_from_some_text(personas, esco):
    mine = actions.do_save_profile(actor=personas.outsider)
    with denied("You may only change your own profile.", ProfileSkill):
        actions.do_suggest_profile_skills(actor=personas.observer, profile=mine, text="Python")
    with invalid("the summary is empty", ProfileSkill):
        actions.do_suggest_profile_skills(actor=personas.outsider, profile=mine)
    with audited("talent.profile.suggest"):
        made = actions.do_suggest_profile_skills(
            actor=personas.outsider, profile=mine, text="I write Python and SQL queries"
        )
    assert made and all(ps.status == "suggested" for ps in made)


def test_adding_a_skill_takes_a_skill_not_a_group(personas, esco):
    mine = actions.do_save_profile(actor=personas.outsider)
    with denied("You may only change your own profile.", ProfileSkill):
        actions.do_add_profile_skill(actor=personas.delegate_pk, profile=mine, skill=esco["python"])
    with invalid("is a group of skills", ProfileSkill):
        actions.do_add_profile_skill(actor=personas.outsider, profile=mine, skill=esco[GROUP])
    with invalid("Unknown level.", ProfileSkill):
        actions.do_add_profile_skill(actor=personas.outsider, profile=mine, skill=esco["python"], level=0)
    with audited("talent.profile_skill.add"):
        ps = actions.do_add_profile_skill(
            actor=personas.outsider, profile=mine, skill=esco["python"], level=4
        )
    assert (ps.status, ps.level) == ("accepted", 4)


def test_reviewing_a_suggested_skill_accepts_or_rejects_it(personas, esco):
    mine = actions.do_save_profile(actor=personas.outsider)
    suggestion = ProfileSkill.objects.create(profile=mine, skill=esco["sql"], score=0.5)
    with denied("You may only change your own profile.", objects=[suggestion]):
        actions.do_review_profile_skill(
            actor=personas.secretariat, profile_skill=suggestion, status="accepted"
        )
    with invalid("Accept or reject the skill.", objects=[suggestion]):
        actions.do_review_profile_skill(actor=personas.outsider, profile_skill=suggestion, status="suggested")
    with audited("talent.profile_skill.review"):
        actions.do_review_profile_skill(actor=personas.outsider, profile_skill=suggestion, status="rejected")
    suggestion.refresh_from_db()
    assert suggestion.status == "rejected"


def test_a_profile_is_deleted_by_its_owner_only_with_its_applications(personas, esco, opportunity):
    mine = make_profile(personas.outsider, esco)
    actions.do_apply(actor=personas.outsider, opportunity=opportunity)
    with denied("You may only delete your own profile.", Profile, Application, ProfileSkill):
        actions.do_delete_profile(actor=personas.secretariat, profile=mine)
    with audited("talent.profile.delete") as log:
        actions.do_delete_profile(actor=personas.outsider, profile=mine)
    assert not Profile.objects.filter(user=personas.outsider).exists()
    assert not Application.objects.filter(opportunity=opportunity).exists()
    assert log.entry.after == {"rounds_reallocated": []}


# --- opportunities -----------------------------------------------------------------------------------------
def _fellowship(personas, esco, **kw):
    return {
        "dialogue": personas.dialogue,
        "title": "Applied machine learning fellowship",
        "kind": "fellowship",
        "host_country": "MY",
        "seats": 1,
        "essential_skills": [esco["python"], esco["ml"]],
        "status": "published",
        "visibility": "public",
        **kw,
    }


def test_an_observer_may_not_publish_an_opportunity(personas, esco):
    with denied("You may not publish opportunities here.", Opportunity):
        actions.do_create_opportunity(actor=personas.observer, **_fellowship(personas, esco))
    with invalid("Give a number of seats between 1 and 100000.", Opportunity):
        make_opportunity(personas, esco, seats=0)
    with invalid("More seats are reserved than the opportunity has.", Opportunity):
        make_opportunity(personas, esco, seats=2, reserves={"women": 3})
    with invalid("The end date is before the start date.", Opportunity):
        make_opportunity(personas, esco, starts_on=dt.date(2026, 9, 1), ends_on=dt.date(2026, 8, 1))
    with invalid("Unknown status.", Opportunity):
        make_opportunity(personas, esco, status="archived")
    with audited("talent.opportunity.create"):
        opp = actions.do_create_opportunity(actor=personas.delegate_my, **_fellowship(personas, esco))
    assert list(
        opp.skill_links.filter(essential=True).values_list("skill", flat=True).order_by("skill")
    ) == sorted([esco["python"].pk, esco["ml"].pk])


def test_only_its_managers_edit_an_opportunity(personas, esco, opportunity):
    fields = {"title": "Second intake", "kind": "fellowship", "host_country": "MY", "seats": 2}
    with denied("You may not manage this opportunity.", objects=[opportunity]):
        actions.do_update_opportunity(actor=personas.stakeholder, opportunity=opportunity, **fields)
    with invalid("Name the host country.", objects=[opportunity]):
        actions.do_update_opportunity(
            actor=personas.delegate_my, opportunity=opportunity, **{**fields, "host_country": ""}
        )
    with invalid("Unknown kind of opportunity", objects=[opportunity]):
        actions.do_update_opportunity(
            actor=personas.delegate_my, opportunity=opportunity, **{**fields, "kind": "gig"}
        )
    with audited("talent.opportunity.update"):
        actions.do_update_opportunity(actor=personas.delegate_my, opportunity=opportunity, **fields)
    opportunity.refresh_from_db()
    assert (opportunity.title, opportunity.seats) == ("Second intake", 2)


def test_closing_an_opportunity_stops_applications(personas, esco, opportunity):
    make_profile(personas.outsider, esco)
    with denied("You may not manage this opportunity.", objects=[opportunity]):
        actions.do_set_opportunity_status(actor=personas.analyst_pk, opportunity=opportunity, status="closed")
    with invalid("Unknown status.", objects=[opportunity]):
        actions.do_set_opportunity_status(actor=personas.delegate_my, opportunity=opportunity, status="gone")
    with audited("talent.opportunity.status"):
        actions.do_set_opportunity_status(
            actor=personas.delegate_my, opportunity=opportunity, status="closed"
        )
    with denied("This opportunity is not open for applications.", Application):
        actions.do_apply(actor=personas.outsider, opportunity=opportunity)


# --- applications ------------------------------------------------------------------------------------------
def test_applying_needs_a_profile_that_allows_matching_and_happens_once(personas, esco, opportunity):
    with invalid("Create your profile before applying.", Application):
        actions.do_apply(actor=personas.outsider, opportunity=opportunity)
    make_profile(personas.outsider, esco, consent=False)
    with invalid("Allow matching on your profile before applying", Application):
        actions.do_apply(actor=personas.outsider, opportunity=opportunity)
    actions.do_save_profile(actor=personas.outsider, consent_matching=True)
    with audited("talent.application.create"):
        application = actions.do_apply(actor=personas.outsider, opportunity=opportunity)
    assert application.rank == 1
    with invalid("You have already applied to this opportunity.", Application):
        actions.do_apply(actor=personas.outsider, opportunity=opportunity)


def test_a_draft_opportunity_takes_no_applications(personas, esco):
    draft = make_opportunity(personas, esco, status="draft")
    make_profile(personas.outsider, esco)
    with denied("This opportunity is not open for applications.", Application):
        actions.do_apply(actor=personas.outsider, opportunity=draft)


def test_only_the_applicant_withdraws_and_the_rest_move_up(personas, esco):
    make_profile(personas.outsider, esco)
    first, second = (
        actions.do_apply(actor=personas.outsider, opportunity=make_opportunity(personas, esco, title=t))
        for t in ("One", "Two")
    )
    with denied("You may only withdraw your own applications.", Application):
        actions.do_withdraw_application(actor=personas.delegate_my, application=first)
    with audited("talent.application.withdraw"):
        actions.do_withdraw_application(actor=personas.outsider, application=first)
    second.refresh_from_db()
    assert second.rank == 1 and Application.objects.count() == 1


def test_preferences_are_reordered_by_the_applicant_within_range(personas, esco):
    make_profile(personas.outsider, esco)
    first, second = (
        actions.do_apply(actor=personas.outsider, opportunity=make_opportunity(personas, esco, title=t))
        for t in ("One", "Two")
    )
    with denied("You may only reorder your own applications.", objects=[first, second]):
        actions.do_move_application(actor=personas.secretariat, application=second, rank=1)
    with invalid("Give a preference from 1 to 2.", objects=[first, second]):
        actions.do_move_application(actor=personas.outsider, application=second, rank=3)
    with audited("talent.application.move"):
        actions.do_move_application(actor=personas.outsider, application=second, rank=1)
    first.refresh_from_db()
    second.refresh_from_db()
    assert (second.rank, first.rank) == (1, 2)


def test_a_seat_is_answered_once_by_the_person_placed(personas, esco):
    placement = _placed(personas, esco, personas.outsider)
    with denied("Only the person placed can answer for this seat.", objects=[placement]):
        actions.do_respond_to_placement(actor=personas.delegate_my, placement=placement, accept=True)
    with audited("talent.placement.accept"):
        actions.do_respond_to_placement(actor=personas.outsider, placement=placement, accept=True)
    placement.refresh_from_db()
    assert placement.response == "accepted"
    with invalid("You have already answered", objects=[placement]):
        actions.do_respond_to_placement(
            actor=personas.outsider, placement=placement, accept=False, run="inline"
        )


# --- allocation rounds -------------------------------------------------------------------------------------
def test_a_round_allocates_only_opportunities_its_creator_manages(personas, esco, opportunity):
    with invalid("Choose at least one opportunity.", AllocationRound):
        actions.do_create_round(
            actor=personas.delegate_my, dialogue=personas.dialogue, title="R", opportunities=[]
        )
    with denied("You may only allocate opportunities you manage.", AllocationRound):
        actions.do_create_round(
            actor=personas.analyst_pk, dialogue=personas.dialogue, title="R", opportunities=[opportunity]
        )
    with invalid("Allocation rounds are shared with the dialogue or the public.", AllocationRound):
        actions.do_create_round(
            actor=personas.delegate_my,
            dialogue=personas.dialogue,
            title="R",
            opportunities=[opportunity],
            visibility="party",
        )
    with audited("talent.round.create"):
        rnd = actions.do_create_round(
            actor=personas.delegate_my, dialogue=personas.dialogue, title="R", opportunities=[opportunity]
        )
    assert list(rnd.opportunities.all()) == [opportunity]


def test_a_round_is_run_by_its_manager_and_not_twice_at_once(personas, esco, opportunity):
    make_profile(personas.outsider, esco)
    actions.do_apply(actor=personas.outsider, opportunity=opportunity)
    rnd = actions.do_create_round(
        actor=personas.delegate_my, dialogue=personas.dialogue, title="R", opportunities=[opportunity]
    )
    with denied("You may not run this round.", Placement, objects=[rnd]):
        actions.do_run_round(actor=personas.outsider, allocation_round=rnd, run="inline")
    with audited("talent.round.run", alone=False):
        actions.do_run_round(actor=personas.delegate_my, allocation_round=rnd, run="inline")
    rnd.refresh_from_db()
    assert rnd.status == "finished"
    assert Placement.objects.get(round=rnd, profile__user=personas.outsider).opportunity == opportunity

    rnd.status = "running"
    rnd.save(update_fields=["status"])
    rnd.job.status = "running"
    rnd.job.save()
    with invalid("This round is already running.", Placement, objects=[rnd]):
        actions.do_run_round(actor=personas.delegate_my, allocation_round=rnd, run="inline")


def test_behaviour_tests_name_every_talent_action():
    from pathlib import Path

    from tests.behaviour import missing_behaviour_tests

    missing = missing_behaviour_tests(["concord.talent"], [Path(__file__)])
    assert missing == {"no refusal test": [], "no accepted test": []}, missing
