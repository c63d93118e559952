"""Talent pages: they render, hide what the caller may not see (404), and do not multiply queries."""

from __future__ import annotations

import json
import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from concord.talent import actions
from concord.talent.models import Profile, ProfileSkill

from .conftest import make_opportunity, make_profile, post_opportunity_form


def test_a_professional_builds_a_profile_from_pasted_text_and_accepts_a_suggestion(personas, esco, as_user):
    client = as_user(personas.outsider)
    response = client.post(
        reverse("talent:my_profile"),
        {
            "summary": "Five years of Python and machine learning for fraud detection.",
            "country": "PK",
            "languages": ["en", "ur"],
            "level": "3",
            "consent_matching": "on",
            "suggest": "1",
        },
        follow=True,
    )
    assert response.status_code == 200
    suggestion = ProfileSkill.objects.get(profile__user=personas.outsider, skill=esco["python"])
    assert suggestion.status == "suggested" and suggestion.evidence == "Python"
    assert "Python (computer programming)" in response.content.decode()
    client.post(reverse("talent:review_skill", args=[suggestion.pk]), {"status": "accepted", "level": "4"})
    suggestion.refresh_from_db()
    assert (suggestion.status, suggestion.level) == ("accepted", 4)


def test_public_pages_render_for_anonymous_visitors(personas, esco, opportunity, client):
    for url in (reverse("talent:home"), opportunity.get_absolute_url(), reverse("talent:skills"),
                reverse("talent:skill", args=[esco["ml"].pk]), reverse("talent:rounds")):  # fmt: skip
        assert client.get(url).status_code == 200, url
    assert "Applied machine learning fellowship" in client.get(reverse("talent:home")).content.decode()


def test_a_draft_opportunity_is_not_found_by_others(personas, esco, as_user):
    draft = make_opportunity(personas, esco, status="draft")
    assert as_user(personas.delegate_pk).get(draft.get_absolute_url()).status_code == 404
    assert as_user(personas.delegate_my).get(draft.get_absolute_url()).status_code == 200


def test_a_manager_publishes_an_opportunity_from_the_form(personas, esco, as_user):
    client = as_user(personas.stakeholder)
    response = post_opportunity_form(
        client,
        "IoT exchange",
        "exchange",
        seats="2",
        provider=personas.university.pk,
        essential_skills=[esco["iot"].pk],
        visibility="public",
        publish="on",
    )
    assert response.status_code == 302
    page = client.get(response["Location"])
    assert "IoT exchange" in page.content.decode() and "Applicants, best match first" in page.content.decode()


def test_a_manager_edits_an_opportunity_and_the_change_is_audited(personas, esco, as_user):
    from concord.audit.models import AuditEntry

    opp = make_opportunity(personas, esco, reserves={"MY": 1, "ID": 1}, seats=3)
    client = as_user(personas.delegate_my)
    form = client.get(reverse("talent:opportunity_edit", args=[opp.pk])).content.decode()
    assert 'value="Applied machine learning fellowship"' in form and 'name="publish"' not in form
    response = client.post(
        reverse("talent:opportunity_edit", args=[opp.pk]),
        {
            "title": "Applied machine learning fellowship, 2027 intake",
            "kind": "fellowship",
            "host_country": "MY",
            "seats": "4",
            "reserve_my": "2",
            "essential_skills": [esco["python"].pk],
            "optional_skills": [esco["ml"].pk],
            "visibility": "public",
        },
    )
    assert response.status_code == 302
    opp.refresh_from_db()
    assert (opp.title, opp.seats, opp.status) == (
        "Applied machine learning fellowship, 2027 intake",
        4,
        "published",
    )
    assert opp.reserves == {"MY": 2, "ID": 1}  # a group the form does not show is kept
    assert {(s.skill_id, s.essential) for s in opp.skill_links.all()} == {
        (esco["python"].pk, True),
        (esco["ml"].pk, False),
    }
    entry = AuditEntry.objects.filter(action="talent.opportunity.update").get()
    assert entry.before["seats"] == 3 and entry.after["seats"] == 4
    assert entry.before["optional_skills"] == [esco["sql"].pk] and entry.after["optional_skills"] == [
        esco["ml"].pk
    ]


def test_an_edit_cannot_widen_who_sees_an_opportunity_or_change_its_provider_unduly(personas, esco, as_user):
    from django.core.exceptions import PermissionDenied

    from concord.accounts.models import Organization

    opp = make_opportunity(personas, esco, actor=personas.stakeholder, provider=personas.university)
    other = Organization.objects.create(name="Another university", country="PK")
    fields = dict(title=opp.title, kind=opp.kind, host_country="MY", seats=1)
    with pytest.raises(PermissionDenied):
        actions.do_update_opportunity(actor=personas.stakeholder, opportunity=opp, provider=other, **fields)
    with pytest.raises(PermissionDenied):
        actions.do_update_opportunity(
            actor=personas.delegate_pk, opportunity=opp, provider=personas.university, **fields
        )
    opp.refresh_from_db()
    assert opp.provider_id == personas.university.pk
    with pytest.raises(ValidationError, match="reserved"):
        actions.do_update_opportunity(
            actor=personas.stakeholder,
            opportunity=opp,
            provider=personas.university,
            reserves={"MY": 2},
            **fields,
        )


def test_the_form_explains_bad_input_instead_of_failing(personas, esco, as_user):
    client = as_user(personas.delegate_my)
    response = post_opportunity_form(client, "X", "job", seats="2", reserve_my="5", visibility="public")
    assert response.status_code == 200
    assert "More seats are reserved" in response.content.decode()


def test_a_profile_is_shown_to_a_manager_only_with_consent_to_sharing(personas, esco, opportunity, as_user):
    profile = make_profile(personas.outsider, esco, sharing=False)
    actions.do_apply(actor=personas.outsider, opportunity=opportunity)
    url = reverse("talent:profile", args=[profile.pk])
    manager = as_user(personas.delegate_my)
    assert manager.get(url).status_code == 404
    page = manager.get(opportunity.get_absolute_url()).content.decode()
    assert "Outsider" not in page and "profile not shared" in page
    actions.do_save_profile(actor=personas.outsider, consent_matching=True, consent_sharing=True)
    assert manager.get(url).status_code == 200
    assert as_user(personas.delegate_pk).get(url).status_code == 404  # not a manager of what they applied to


def test_export_and_delete_pages_act_on_ones_own_profile(personas, esco, as_user):
    make_profile(personas.outsider, esco, summary="Mine only")
    client = as_user(personas.outsider)
    data = json.loads(client.get(reverse("talent:export_profile")).content)
    assert data["profile"]["summary"] == "Mine only"
    client.post(reverse("talent:delete_profile"))
    assert not Profile.objects.exists()
    assert client.get(reverse("talent:export_profile")).status_code == 404


def test_a_manager_runs_a_round_and_each_side_sees_the_explanation(personas, esco, opportunity, as_user):
    make_profile(personas.outsider, esco)
    actions.do_apply(actor=personas.outsider, opportunity=opportunity)
    manager = as_user(personas.delegate_my)
    response = manager.post(
        reverse("talent:round_new"), {"title": "Spring round", "opportunities": [opportunity.pk]}
    )
    assert response.status_code == 302
    round_url = response["Location"]
    manager.post(round_url + "run/")  # tasks run immediately in tests
    page = manager.get(round_url).content.decode()
    assert "Placed: Applied machine learning fellowship" in page and "Blocking pairs" in page
    own = as_user(personas.outsider).get(round_url).content.decode()
    assert "Your result and why" in own and "Placed here" in own
    assert as_user(personas.observer).get(round_url).status_code == 404


def test_gap_analytics_render_charts_and_csv_for_members_only(personas, esco, opportunity, as_user, client):
    make_profile(personas.outsider, esco, country="PK", skills=("python",))
    page = as_user(personas.analyst_pk).get(reverse("talent:gaps"))
    assert page.status_code == 200 and b"<svg" in page.content
    # the table's gap reads as the charts do: supply share minus demand share, in percentage points
    python = re.search(
        r"<tr><td>Python \(computer programming\)</td>(.*?)</tr>", page.content.decode()
    ).group(1)
    cells = re.findall(r'<td class="num">([^<]*)</td>', python)
    assert cells == ["1", "0", "-33.3", "—", "0", "1", "+100.0", "1.00"]
    csv_text = as_user(personas.analyst_pk).get(reverse("talent:gaps_csv")).content.decode()
    assert csv_text.startswith("level,label,demand_MY")
    client.logout()
    assert as_user(personas.outsider).get(reverse("talent:gaps")).status_code == 404


@pytest.mark.parametrize("n", [3, 9])
def test_the_opportunity_list_does_not_multiply_queries(
    personas, esco, client, django_assert_max_num_queries, n
):
    for i in range(n):
        make_opportunity(personas, esco, title=f"Opportunity {i}")
    with django_assert_max_num_queries(8):
        assert client.get(reverse("talent:home")).status_code == 200
