"""Talent mobility end to end through the actions: import, profiles, applications, rounds, explanations."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from concord.engine.errors import MatchingError
from concord.talent import actions, analytics, matching, privacy
from concord.talent.models import (
    Occupation,
    OccupationSkill,
    Placement,
    ProfileSkill,
    Skill,
    SkillType,
    SuggestionStatus,
)

from .conftest import SAMPLE, make_opportunity, make_profile


def test_the_esco_sample_imports_skills_groups_hierarchy_occupations_and_labels(personas, esco):
    assert esco["ml"].parent.skill_type == SkillType.GROUP
    assert esco["dl"].parent == esco["ml"]  # a skill under a skill, beyond the groups
    assert Occupation.objects.count() == 4
    assert OccupationSkill.objects.filter(relation="essential").exists()
    actions.do_import_esco(actor=personas.secretariat, directory=SAMPLE, language="ms")
    actions.do_import_esco(actor=personas.secretariat, directory=SAMPLE, language="ur")
    ml = Skill.objects.get(pk=esco["ml"].pk)
    assert ml.label_ms == "pembelajaran mesin" and ml.label_ur


def test_importing_twice_changes_nothing(personas, esco):
    before = Skill.objects.count()
    actions.do_import_esco(actor=personas.secretariat, directory=SAMPLE)
    assert Skill.objects.count() == before


def test_an_esco_file_missing_a_column_is_named_and_nothing_is_written(personas, tmp_path):
    (tmp_path / "skills_en.csv").write_text("conceptUri,altLabels\nx,y\n", encoding="utf-8")
    with pytest.raises(MatchingError) as err:
        actions.do_import_esco(actor=personas.secretariat, directory=tmp_path)
    assert err.value.code == "E513" and "preferredLabel" in err.value.message
    assert not Skill.objects.exists()


def test_a_relation_to_an_unknown_occupation_rolls_the_whole_import_back(personas, tmp_path):
    for name in ("skills_en.csv", "occupations_en.csv"):
        (tmp_path / name).write_bytes((SAMPLE / name).read_bytes())
    (tmp_path / "occupationSkillRelations_en.csv").write_text(
        "occupationUri,relationType,skillType,skillUri\nurn:nowhere,essential,,urn:concord:esco-sample:skill:ml\n",
        encoding="utf-8",
    )
    with pytest.raises(ValidationError):
        actions.do_import_esco(actor=personas.secretariat, directory=tmp_path)
    assert not Skill.objects.exists() and not Occupation.objects.exists()


def test_a_folder_without_a_skills_file_is_a_clear_error(personas, tmp_path):
    with pytest.raises(MatchingError, match="no skills_en.csv"):
        actions.do_import_esco(actor=personas.secretariat, directory=tmp_path)


def test_a_profile_gets_skill_suggestions_with_evidence_and_choices_are_kept(personas, esco):
    profile = actions.do_save_profile(
        actor=personas.outsider,
        summary="I train deep learning models in Python and look after network firewalls.",
        consent_matching=True,
    )
    made = actions.do_suggest_profile_skills(actor=personas.outsider, profile=profile)
    by_skill = {ps.skill_id: ps for ps in made}
    assert esco["python"].pk in by_skill and by_skill[esco["python"].pk].evidence == "Python"
    rejected = by_skill[esco["python"].pk]
    actions.do_review_profile_skill(actor=personas.outsider, profile_skill=rejected, status="rejected")
    again = actions.do_suggest_profile_skills(actor=personas.outsider, profile=profile)
    assert esco["python"].pk not in {ps.skill_id for ps in again}
    assert ProfileSkill.objects.get(pk=rejected.pk).status == SuggestionStatus.REJECTED


def test_suggesting_from_an_empty_text_is_a_clear_error(personas, esco):
    profile = actions.do_save_profile(actor=personas.outsider)
    with pytest.raises(ValidationError, match="summary is empty"):
        actions.do_suggest_profile_skills(actor=personas.outsider, profile=profile)


def test_consents_are_recorded_with_timestamps(personas):
    profile = actions.do_save_profile(actor=personas.outsider, consent_matching=True)
    assert profile.consent_matching_at is not None and profile.consent_sharing_at is None
    first = profile.consent_matching_at
    profile = actions.do_save_profile(actor=personas.outsider, consent_matching=False)
    assert profile.consent_matching_at > first


def test_nobody_edits_another_persons_profile(personas, esco):
    profile = make_profile(personas.outsider, esco)
    with pytest.raises(PermissionDenied):
        actions.do_delete_profile(actor=personas.secretariat, profile=profile)
    with pytest.raises(PermissionDenied):
        actions.do_suggest_profile_skills(actor=personas.delegate_my, profile=profile, text="Python")


def test_the_explanation_names_matched_missing_and_adjacent_skills(personas, esco, opportunity):
    profile = make_profile(personas.outsider, esco, skills=("python", "dl"))
    m = matching.explain(profile, opportunity)
    assert m.matched == (str(esco["python"].pk),)
    assert [a.needed for a in m.adjacent] == [str(esco["ml"].pk)]  # deep learning sits under machine learning
    assert m.adjacent[0].via == str(esco["dl"].pk)
    assert m.missing == (str(esco["sql"].pk),)


def run_round(personas, opportunities):
    rnd = actions.do_create_round(
        actor=personas.delegate_my, dialogue=personas.dialogue, title="Round 1", opportunities=opportunities
    )
    job = actions.do_run_round(actor=personas.delegate_my, allocation_round=rnd, run="inline")
    rnd.refresh_from_db()
    return rnd, job


def test_a_round_places_the_best_match_and_explains_the_outcome_to_each(personas, esco, opportunity):
    strong = make_profile(personas.outsider, esco, skills=("python", "ml", "sql"))
    weak = make_profile(personas.observer, esco, skills=("python", "ml"))
    for user in (personas.observer, personas.outsider):
        actions.do_apply(actor=user, opportunity=opportunity)
    rnd, job = run_round(personas, [opportunity])
    assert job.status == "succeeded" and rnd.status == "finished"
    placed = Placement.objects.get(round=rnd, profile=strong)
    assert placed.opportunity == opportunity and placed.explanation["preferences"][0]["status"] == "placed"
    lost = Placement.objects.get(round=rnd, profile=weak)
    row = lost.explanation["preferences"][0]
    assert lost.opportunity is None and row["status"] == "full"
    assert row["rank"] == 2 and row["last_admitted_rank"] == 1
    assert rnd.summary["blocking_pairs"] == 0


def test_reserved_seats_go_to_the_country_they_are_reserved_for(personas, esco):
    opp = make_opportunity(personas, esco, seats=1, reserves={"MY": 1})
    make_profile(personas.outsider, esco, country="PK", skills=("python", "ml", "sql"))
    my = make_profile(personas.observer, esco, country="MY", skills=("python", "ml"))
    for user in (personas.outsider, personas.observer):
        actions.do_apply(actor=user, opportunity=opp)
    rnd, _ = run_round(personas, [opp])
    assert Placement.objects.get(round=rnd, opportunity=opp).profile == my


def test_ineligible_applicants_are_not_placed_and_told_why(personas, esco):
    opp = make_opportunity(personas, esco, eligible_countries=["MY"])
    make_profile(personas.outsider, esco, country="PK")
    actions.do_apply(actor=personas.outsider, opportunity=opp)
    rnd, _ = run_round(personas, [opp])
    row = Placement.objects.get(round=rnd).explanation["preferences"][0]
    assert row["status"] == "ineligible" and row["match"]["ineligible_reasons"] == ["country"]


# --- privacy ------------------------------------------------------------------------------------------------


def test_without_consent_a_profile_cannot_apply_and_is_never_matched_or_allocated(
    personas, esco, opportunity
):
    profile = make_profile(personas.outsider, esco)
    actions.do_apply(actor=personas.outsider, opportunity=opportunity)
    actions.do_save_profile(actor=personas.outsider, consent_matching=False)  # consent withdrawn afterwards
    profile.refresh_from_db()
    assert matching.ranked_applicants(opportunity) == []
    assert matching.ranked_opportunities(profile, [opportunity]) == []
    rnd, _ = run_round(personas, [opportunity])
    assert not Placement.objects.filter(round=rnd).exists()
    with pytest.raises(ValidationError, match="Allow matching"):
        actions.do_apply(
            actor=personas.outsider, opportunity=make_opportunity(personas, esco, title="Another")
        )


def test_supply_counts_only_consenting_profiles(personas, esco):
    make_profile(personas.outsider, esco, country="PK", skills=("python",))
    make_profile(personas.observer, esco, country="PK", skills=("sql",), consent=False)
    _, supply = analytics.counts()
    assert supply == {("PK", esco["python"].pk): 1}


def test_deletion_removes_the_profile_and_everything_attached(personas, esco, opportunity):
    secret = "Unique summary sentence 7f3a about my career"
    profile = make_profile(personas.outsider, esco, summary=secret)
    actions.do_apply(actor=personas.outsider, opportunity=opportunity)
    run_round(personas, [opportunity])
    actions.do_delete_profile(actor=personas.outsider, profile=profile)
    from concord.audit.models import AuditEntry
    from concord.talent.models import Application, Profile

    assert not Profile.objects.exists() and not ProfileSkill.objects.exists()
    assert not Application.objects.exists() and not Placement.objects.exists()
    # the append-only audit log never held the text
    assert not any(secret in str(e.before) + str(e.after) + e.object_repr for e in AuditEntry.objects.all())
    assert analytics.counts()[1] == {}


def test_the_export_holds_the_persons_data(personas, esco, opportunity):
    profile = make_profile(personas.outsider, esco, summary="Exported text")
    actions.do_apply(actor=personas.outsider, opportunity=opportunity)
    data = privacy.export_profile(profile)
    assert data["profile"]["summary"] == "Exported text"
    assert data["profile"]["consent_matching_at"]
    assert [a["opportunity"] for a in data["applications"]] == [opportunity.title]
    assert {s["skill"] for s in data["skills"]} == {"Python (computer programming)", "machine learning"}


# --- bad input ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kw", "field"),
    [
        ({"seats": 0}, "seats"),
        ({"reserves": {"MY": -1}}, "reserves"),
        ({"reserves": {"MY": 5}}, "reserves"),
        ({"host_country": "Malaysia"}, "host_country"),
        ({"kind": "party"}, "kind"),
        ({"languages": ["fr"]}, "languages"),
    ],
)
def test_bad_opportunity_input_names_the_field(personas, esco, kw, field):
    with pytest.raises(ValidationError) as err:
        make_opportunity(personas, esco, **kw)
    assert field in err.value.message_dict


def test_applying_twice_is_refused(personas, esco, opportunity):
    make_profile(personas.outsider, esco)
    actions.do_apply(actor=personas.outsider, opportunity=opportunity)
    with pytest.raises(ValidationError, match="already applied"):
        actions.do_apply(actor=personas.outsider, opportunity=opportunity)


def test_a_framework_is_imported_with_crosswalk_suggestions_analysts_review(personas, esco):
    data = b"code,label,label_ms\nMY1,machine learning,pembelajaran mesin\nMY2,network firewall setup,\n"
    tax = actions.do_import_framework(
        actor=personas.secretariat, data=data, filename="f.csv", slug="my-demo", name="Demo", country="MY"
    )
    from concord.talent.models import Crosswalk

    links = Crosswalk.objects.filter(local_skill__taxonomy=tax)
    best = links.filter(local_skill__uri="MY1").order_by("-score").first()
    assert best.esco_skill == esco["ml"]
    actions.do_review_crosswalk(actor=personas.analyst_pk, link=best, status="accepted")
    with pytest.raises(PermissionDenied):
        actions.do_review_crosswalk(actor=personas.observer, link=best, status="rejected")
    with pytest.raises(MatchingError, match="code"):
        actions.do_import_framework(
            actor=personas.secretariat, data=b"label\nx\n", filename="g.csv", slug="g", name="G", country="MY"
        )


def test_the_cli_imports_esco_and_names_bad_folders(personas, tmp_path, capsys):
    from concord import cli

    # without --as, the command acts as the site's one administrator, who may import taxonomies
    assert cli.main(["skills", "import-esco", str(SAMPLE)]) == 0
    assert Skill.objects.filter(label="machine learning").exists()
    (tmp_path / "skills_en.csv").write_text("conceptUri\nx\n", encoding="utf-8")
    assert cli.main(["skills", "import-esco", str(tmp_path)]) == 2
    assert "concord: error: [E513]" in capsys.readouterr().err


def test_the_cli_imports_esco_as_the_person_named_and_refuses_one_without_the_role(personas, capsys):
    from concord import cli
    from concord.audit.models import AuditEntry

    assert cli.main(["skills", "import-esco", str(SAMPLE), "--as", personas.delegate_my.email]) == 2
    err = capsys.readouterr().err
    assert f"concord: error: {personas.delegate_my.email}: Only the secretariat imports taxonomies." in err
    assert "--as EMAIL" in err
    assert (
        not Skill.objects.exists() and not AuditEntry.objects.filter(action="talent.taxonomy.import").exists()
    )
    assert cli.main(["skills", "import-esco", str(SAMPLE), "--as", personas.secretariat.email]) == 0
    assert AuditEntry.objects.get(action="talent.taxonomy.import").actor == personas.secretariat


def test_the_cli_says_who_to_act_as_when_the_site_has_no_administrator(db, capsys):
    from concord import cli

    assert cli.main(["skills", "import-esco", str(SAMPLE)]) == 2
    assert "say who acts with --as EMAIL" in capsys.readouterr().err
    assert not Skill.objects.exists()
    assert cli.main(["skills", "import-esco", str(SAMPLE), "--as", "nobody@test.example"]) == 2
    assert "there is no account with this e-mail address" in capsys.readouterr().err
