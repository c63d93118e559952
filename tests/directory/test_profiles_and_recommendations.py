"""Profiles (completeness, editing, duplicates and merging), recommendations with explanations and
feedback, opportunities and their alerts."""

from __future__ import annotations

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from concord.accounts.models import Membership, Organization
from concord.audit.models import AuditEntry
from concord.directory import actions, recommend
from concord.directory.models import Alert, Listing, OrganizationProfile

from .conftest import make_directory_opportunity, make_listing

pytestmark = pytest.mark.django_db


def _profiles(p):
    actions.do_save_profile(
        actor=p.stakeholder,
        organization=p.university,
        themes=["iot", "ai"],
        capabilities=["Internet of things testbed", "sensor networks"],
        needs=["machine learning research partners", "student exchange"],
    )
    actions.do_save_profile(
        actor=p.stakeholder_pk,
        organization=p.pk_org,
        themes=["ai", "research-collaboration"],
        capabilities=["machine learning research", "student exchange programmes", "sensor testing lab"],
        needs=["testbed for sensors"],
    )


def test_completeness_counts_the_filled_parts(eco):
    profile = actions.do_save_profile(actor=eco.stakeholder, organization=eco.university, themes=["iot"])
    assert profile.completeness == 12  # 1 of 8
    assert "needs" in profile.missing_fields()
    eco.university.description, eco.university.website = "A university.", "https://example.edu"
    eco.university.save()
    profile = actions.do_save_profile(
        actor=eco.stakeholder,
        organization=eco.university,
        sectors="Higher education",
        capabilities=["AI"],
        needs=["Partners"],
        size="large",
        contact_name="Demo Contact",
        contact_email="contact@example.edu",
    )
    assert profile.completeness == 100 and profile.missing_fields() == []


def test_only_members_and_the_secretariat_edit_a_profile(eco):
    with pytest.raises(PermissionDenied):
        actions.do_save_profile(actor=eco.stakeholder_pk, organization=eco.university, themes=["ai"])
    with pytest.raises(PermissionDenied):
        actions.do_save_profile(actor=eco.delegate_my, organization=eco.university, themes=["ai"])
    actions.do_save_profile(actor=eco.secretariat, organization=eco.university, themes=["ai"])


BAD_PROFILE_INPUT = [
    ({"themes": ["nope"]}, "themes"),
    ({"size": "huge"}, "size"),
    ({"capabilities": ["x" * 201]}, "capabilities"),
    ({"needs": [f"n{i}" for i in range(21)]}, "needs"),
    ({"contact_email": "not an address"}, "contact_email"),
]


def test_bad_profile_input_is_refused_with_the_field_named_and_nothing_written(eco):
    for fields, name in BAD_PROFILE_INPUT:
        with pytest.raises(ValidationError) as exc:
            actions.do_save_profile(actor=eco.stakeholder, organization=eco.university, **fields)
        assert name in exc.value.message_dict
    assert not OrganizationProfile.objects.filter(organization=eco.university).exists()
    assert not AuditEntry.objects.filter(action__startswith="directory.profile").exists()


def test_bad_profile_input_leaves_a_saved_profile_as_it_was(eco):
    actions.do_save_profile(actor=eco.stakeholder, organization=eco.university, themes=["iot"], size="small")
    for fields, _name in BAD_PROFILE_INPUT:
        with pytest.raises(ValidationError):
            actions.do_save_profile(
                actor=eco.stakeholder, organization=eco.university, **{"sectors": ["Research"], **fields}
            )
    profile = OrganizationProfile.objects.get(organization=eco.university)
    assert (profile.themes, profile.size, profile.sectors) == (["iot"], "small", [])
    assert profile.contact_email == ""
    assert AuditEntry.objects.filter(action="directory.profile.update").count() == 1


def test_the_first_save_of_a_profile_is_audited_as_new(eco):
    profile = actions.do_save_profile(actor=eco.stakeholder, organization=eco.university, themes=["ai"])
    entry = AuditEntry.objects.get(action="directory.profile.update")
    assert entry.actor == eco.stakeholder and entry.object_id == str(profile.pk)
    assert entry.before is None and entry.after["themes"] == ["ai"]


def test_contacts_show_only_with_consent(eco, client, settings):
    settings.CONCORD_REQUIRE_2FA = False
    actions.do_save_profile(
        actor=eco.stakeholder,
        organization=eco.university,
        contact_name="Dr Demo",
        contact_email="demo@example.edu",
    )
    client.force_login(eco.observer)
    assert b"demo@example.edu" not in client.get(f"/directory/organisations/{eco.university.pk}/").content
    actions.do_save_profile(actor=eco.stakeholder, organization=eco.university, contacts_public=True)
    assert b"demo@example.edu" in client.get(f"/directory/organisations/{eco.university.pk}/").content
    client.logout()
    assert b"demo@example.edu" not in client.get(f"/directory/organisations/{eco.university.pk}/").content


def test_duplicates_are_found_and_merged_by_the_secretariat(eco):
    dup = Organization.objects.create(
        name="The Test University", country="MY", kind="university", website="https://tu.example"
    )
    Organization.objects.create(name="Test University", country="PK", kind="university")  # other country
    pairs = recommend.find_duplicates()
    assert [(p.first.pk, p.second.pk) for p in pairs] == [
        (min(dup.pk, eco.university.pk), max(dup.pk, eco.university.pk))
    ]
    actions.do_save_profile(actor=eco.secretariat, organization=dup, needs=["funding"], themes=["ai"])
    make_listing(eco, "draft")
    Listing.objects.update(organization=dup)
    Membership.objects.filter(organization=eco.university).update(organization=dup)
    with pytest.raises(PermissionDenied):
        actions.do_merge_organizations(actor=eco.stakeholder, keep=eco.university, duplicate=dup)
    actions.do_merge_organizations(actor=eco.secretariat, keep=eco.university, duplicate=dup)
    assert not Organization.objects.filter(pk=dup.pk).exists()
    assert Listing.objects.get().organization == eco.university
    assert Membership.objects.filter(organization=eco.university).count() == 1
    eco.university.refresh_from_db()
    assert eco.university.website == "https://tu.example"
    assert eco.university.profile.needs == ["funding"]
    assert AuditEntry.objects.filter(action="directory.organization.merge").exists()


def test_recommendations_are_cross_border_and_explained(eco):
    _profiles(eco)
    Organization.objects.create(name="Same Country Co", country="MY", kind="company")
    offer = make_listing(eco, "published")  # the Malaysian request for sensor partners
    recs = recommend.recommendations_for(eco.stakeholder_pk, eco.pk_org)
    targets = {(r.target, r.target_id) for r in recs}
    assert ("organization", eco.university.pk) in targets
    assert ("listing", offer.pk) in targets
    assert all(r.target_id != eco.pk_org.pk for r in recs if r.target == "organization")
    uni = next(r for r in recs if r.target == "organization")
    assert any("Shared themes" in reason for reason in uni.reasons)
    assert any("meets your need" in reason for reason in uni.reasons)
    assert not any(r.title == "Same Country Co" for r in recs)


def _feedback(actor, organization, target: str, target_id: int, *, useful: bool):
    """``actor``, speaking for ``organization``, finds a recommended ``target`` useful or not."""
    return actions.do_record_feedback(
        actor=actor, organization=organization, target=target, target_id=target_id, useful=useful
    )


def test_feedback_is_recorded_and_changes_the_ranking(eco):
    _profiles(eco)
    listing = make_listing(eco, "published")
    before = [(r.target, r.target_id) for r in recommend.recommendations_for(eco.stakeholder_pk, eco.pk_org)]
    assert ("listing", listing.pk) in before
    _feedback(eco.stakeholder_pk, eco.pk_org, "listing", listing.pk, useful=False)
    after = recommend.recommendations_for(eco.stakeholder_pk, eco.pk_org)
    assert ("listing", listing.pk) not in [(r.target, r.target_id) for r in after]
    org_before = next(r.score for r in recommend.recommendations_for(eco.stakeholder, eco.university))
    _feedback(eco.stakeholder, eco.university, "organization", eco.pk_org.pk, useful=True)
    top = recommend.recommendations_for(eco.stakeholder, eco.university)[0]
    assert top.feedback is True and top.score > org_before
    with pytest.raises(PermissionDenied):
        _feedback(eco.stakeholder, eco.pk_org, "organization", eco.university.pk, useful=True)
    with pytest.raises(ValidationError):
        _feedback(eco.stakeholder, eco.university, "planet", 1, useful=True)


def test_an_opportunity_alerts_the_organisations_that_fit(eco):
    _profiles(eco)
    mail.outbox.clear()
    opportunity = make_directory_opportunity(
        eco,
        "Joint research on AI",
        "research_call",
        summary="Machine learning research partners across the border.",
        themes=["ai"],
        eligible_countries=["PK"],
    )
    alerts = Alert.objects.filter(opportunity=opportunity)
    assert [a.organization for a in alerts] == [eco.pk_org]  # Malaysia is not eligible
    assert alerts[0].reasons and alerts[0].emailed == 1
    assert [m.to for m in mail.outbox] == [["stakeholder_pk@test.example"]]


def test_party_only_opportunities_alert_no_one_who_cannot_see_them(eco):
    _profiles(eco)
    mail.outbox.clear()
    make_directory_opportunity(
        eco,
        "Internal AI fund",
        by=eco.delegate_pk,
        summary="AI",
        themes=["ai"],
        visibility="party",
        party=eco.pk,
    )
    assert mail.outbox == []  # stakeholders are not in the Pakistani delegation


def test_opportunity_amounts_are_checked(eco):
    for fields in (
        {"amount_min": 10, "amount_max": 5, "currency": "MYR"},
        {"amount_min": 10},
        {"amount_min": -1, "currency": "MYR"},
        {"currency": "ringgit"},
        {"eligible_countries": ["Malaysia"]},
    ):
        with pytest.raises(ValidationError):
            make_directory_opportunity(eco, "T", **fields)
