"""The permission matrix of talent mobility, written out by hand: every persona × visibility × action for
opportunities (an opportunity of Malaysia's delegation with the university as provider), and every persona ×
consent × action for a profile (the outsider's, who applied to that opportunity). Checked against the rules,
then through the pages (404 for what may not be seen)."""

from __future__ import annotations

import pytest

from concord.talent import actions, rules
from concord.talent.models import Opportunity
from tests.matrix import ROLES
from tests.matrix import user_of as _user

from .conftest import make_profile

PERSONAS = ROLES  # every persona and the anonymous visitor

# Opportunity of MY (created by delegate_my, provider: the university), published.
# columns: view, manage
OPPORTUNITY = {
    "public": {
        "secretariat": (1, 1), "delegate_my": (1, 1), "delegate_pk": (1, 0), "analyst_my": (1, 0),
        "analyst_pk": (1, 0), "stakeholder": (1, 1), "observer": (1, 0),
        "outsider": (1, 0), "anonymous": (1, 0),
    },
    "dialogue": {
        "secretariat": (1, 1), "delegate_my": (1, 1), "delegate_pk": (1, 0), "analyst_my": (1, 0),
        "analyst_pk": (1, 0), "stakeholder": (1, 1), "observer": (1, 0),
        "outsider": (0, 0), "anonymous": (0, 0),
    },
    "party": {
        "secretariat": (0, 0), "delegate_my": (1, 1), "delegate_pk": (0, 0), "analyst_my": (1, 0),
        "analyst_pk": (0, 0), "stakeholder": (0, 0), "observer": (0, 0),
        "outsider": (0, 0), "anonymous": (0, 0),
    },
}  # fmt: skip

# The outsider's profile, applied to a public MY opportunity. columns: view, edit
PROFILE = {
    "shared": {
        "secretariat": (1, 0), "delegate_my": (1, 0), "delegate_pk": (0, 0), "analyst_my": (0, 0),
        "analyst_pk": (0, 0), "stakeholder": (1, 0), "observer": (0, 0),
        "outsider": (1, 1), "anonymous": (0, 0),
    },
    "not shared": {
        "secretariat": (0, 0), "delegate_my": (0, 0), "delegate_pk": (0, 0), "analyst_my": (0, 0),
        "analyst_pk": (0, 0), "stakeholder": (0, 0), "observer": (0, 0),
        "outsider": (1, 1), "anonymous": (0, 0),
    },
}  # fmt: skip

# Creating an opportunity (public; party-only for MY; the university as provider). columns: public, party MY
CREATE = {
    "secretariat": (1, 0), "delegate_my": (1, 1), "delegate_pk": (1, 0), "analyst_my": (1, 1),
    "analyst_pk": (1, 0),
    "stakeholder": (1, 0), "observer": (0, 0),
        "outsider": (0, 0), "anonymous": (0, 0),
}  # fmt: skip


def _opportunity(personas, esco, visibility):
    return actions.do_create_opportunity(
        actor=personas.delegate_my,
        dialogue=personas.dialogue,
        title=f"Opp {visibility}",
        kind="job",
        host_country="MY",
        seats=1,
        provider=personas.university,
        visibility=visibility,
        party=personas.my if visibility == "party" else None,
        status="published",
        essential_skills=[esco["python"]],
    )


@pytest.mark.parametrize("visibility", list(OPPORTUNITY))
def test_opportunity_matrix(personas, esco, visibility, client, as_user):
    opp = _opportunity(personas, esco, visibility)
    for name in PERSONAS:
        user = _user(personas, name)
        got = (int(rules.can_view_opportunity(user, opp)), int(rules.can_manage_opportunity(user, opp)))
        assert got == OPPORTUNITY[visibility][name], (visibility, name)
        browser = as_user(user) if name != "anonymous" else client
        page = browser.get(opp.get_absolute_url())
        assert page.status_code == (200 if got[0] else 404), (visibility, name)
        edit = browser.get(f"/talent/opportunities/{opp.pk}/edit/")
        # signed-out visitors are sent to sign in; members who may see but not manage it are refused
        expected = 302 if name == "anonymous" else 200 if got[1] else 403 if got[0] else 404
        assert edit.status_code == expected, (visibility, name)
        client.logout()


def test_drafts_are_seen_only_by_their_managers(personas, esco):
    opp = _opportunity(personas, esco, "public")
    Opportunity.objects.filter(pk=opp.pk).update(status="draft")
    opp.refresh_from_db()
    seen = {name for name in PERSONAS if rules.can_view_opportunity(_user(personas, name), opp)}
    assert seen == {"secretariat", "delegate_my", "stakeholder"}


@pytest.mark.parametrize("sharing", list(PROFILE))
def test_profile_matrix(personas, esco, sharing, client, as_user):
    opp = _opportunity(personas, esco, "public")
    profile = make_profile(personas.outsider, esco, sharing=sharing == "shared")
    actions.do_apply(actor=personas.outsider, opportunity=opp)
    for name in PERSONAS:
        user = _user(personas, name)
        got = (int(rules.can_view_profile(user, profile)), int(rules.can_edit_profile(user, profile)))
        assert got == PROFILE[sharing][name], (sharing, name)
        page = (as_user(user) if name != "anonymous" else client).get(f"/talent/profiles/{profile.pk}/")
        assert page.status_code == (200 if got[0] else 404), (sharing, name)
        client.logout()


def test_create_matrix(personas):
    d = personas.dialogue
    for name in PERSONAS:
        user = _user(personas, name)
        got = (
            int(rules.can_create_opportunity(user, d.pk, "public", None, personas.university.pk)),
            int(rules.can_create_opportunity(user, d.pk, "party", personas.my.pk, personas.university.pk)),
        )
        assert got == CREATE[name], name


def test_rounds_are_managed_by_their_creator_and_seen_by_their_applicants(personas, esco):
    opp = _opportunity(personas, esco, "public")
    make_profile(personas.outsider, esco)
    actions.do_apply(actor=personas.outsider, opportunity=opp)
    rnd = actions.do_create_round(
        actor=personas.stakeholder, dialogue=personas.dialogue, title="R", opportunities=[opp]
    )
    actions.do_run_round(actor=personas.stakeholder, allocation_round=rnd, run="inline")
    view = {n for n in PERSONAS if rules.can_view_round(_user(personas, n), rnd)}
    manage = {n for n in PERSONAS if rules.can_manage_round(_user(personas, n), rnd)}
    assert manage == {"stakeholder", "secretariat"}
    assert view == {"stakeholder", "secretariat", "outsider"}
    with pytest.raises(Exception, match="only allocate"):
        actions.do_create_round(
            actor=personas.delegate_pk, dialogue=personas.dialogue, title="X", opportunities=[opp]
        )


# The outsider's applications and their seat in a finished round. columns: reorder/withdraw, answer the seat
APPLICANT = {
    "secretariat": (0, 0), "delegate_my": (0, 0), "delegate_pk": (0, 0), "analyst_my": (0, 0),
    "analyst_pk": (0, 0), "stakeholder": (0, 0), "observer": (0, 0),
    "outsider": (1, 1), "anonymous": (0, 0),
}  # fmt: skip


def test_applicant_matrix_through_rules_and_actions(personas, esco):
    from django.core.exceptions import PermissionDenied

    from concord.talent.models import Placement

    opp = _opportunity(personas, esco, "public")
    second = _opportunity(personas, esco, "public")
    profile = make_profile(personas.outsider, esco)
    actions.do_apply(actor=personas.outsider, opportunity=opp)
    application = actions.do_apply(actor=personas.outsider, opportunity=second)
    rnd = actions.do_create_round(
        actor=personas.delegate_my, dialogue=personas.dialogue, title="R", opportunities=[opp]
    )
    actions.do_run_round(actor=personas.delegate_my, allocation_round=rnd, run="inline")
    placement = Placement.objects.get(round=rnd, profile=profile)
    for name in PERSONAS:
        user = _user(personas, name)
        got = (
            int(rules.can_reorder_applications(user, profile)),
            int(rules.can_respond_to_placement(user, placement)),
        )
        assert got == APPLICANT[name], name
        if not got[0]:
            with pytest.raises(PermissionDenied):
                actions.do_move_application(actor=user, application=application, rank=1)
            with pytest.raises(PermissionDenied):
                actions.do_withdraw_application(actor=user, application=application)
        if not got[1]:
            with pytest.raises(PermissionDenied):
                actions.do_respond_to_placement(actor=user, placement=placement, accept=True)
    actions.do_move_application(actor=personas.outsider, application=application, rank=1)
    actions.do_respond_to_placement(actor=personas.outsider, placement=placement, accept=True)


# Importing a taxonomy (ESCO or a national framework): shared by every dialogue, so the secretariat of any
# dialogue and the site's administrators. columns: rule, the import goes through
IMPORT_TAXONOMY = {
    "secretariat": 1, "delegate_my": 0, "delegate_pk": 0, "analyst_my": 0, "analyst_pk": 0,
    "stakeholder": 0, "observer": 0, "outsider": 0, "anonymous": 0, "administrator": 1,
}  # fmt: skip


@pytest.mark.parametrize("name", list(IMPORT_TAXONOMY))
def test_import_taxonomy_matrix_through_rules_and_actions(personas, name):
    from django.core.exceptions import PermissionDenied

    from concord.audit.models import AuditEntry
    from concord.talent.models import Skill, Taxonomy

    from .conftest import SAMPLE, import_framework

    user = personas.administrator if name == "administrator" else _user(personas, name)
    assert int(rules.can_import_taxonomy(user)) == IMPORT_TAXONOMY[name], name
    if not IMPORT_TAXONOMY[name]:
        with pytest.raises(PermissionDenied):
            actions.do_import_esco(actor=user, directory=SAMPLE)
        with pytest.raises(PermissionDenied):
            import_framework(user)
        assert not Taxonomy.objects.exists() and not Skill.objects.exists()
        assert not AuditEntry.objects.filter(action__startswith="talent.").exists()
        return
    actions.do_import_esco(actor=user, directory=SAMPLE)
    import_framework(user)
    assert set(Taxonomy.objects.values_list("slug", flat=True)) == {"esco", "my-f"}
    assert {e.actor for e in AuditEntry.objects.filter(action__startswith="talent.")} == {user}


def test_no_one_imports_a_taxonomy_without_saying_who_they_are(db):
    """``actor=None`` is refused like an anonymous visitor: no action trusts a missing actor."""
    from django.core.exceptions import PermissionDenied

    from concord.talent.models import Taxonomy

    from .conftest import SAMPLE

    with pytest.raises(PermissionDenied):
        actions.do_import_esco(actor=None, directory=SAMPLE)
    with pytest.raises(PermissionDenied):
        actions.do_import_framework(
            actor=None, data=b"code,label\nA,a\n", filename="f.csv", slug="f", name="F", country="MY"
        )
    assert not Taxonomy.objects.exists()
