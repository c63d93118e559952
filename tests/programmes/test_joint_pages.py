"""Joint projects on the pages, as each party uses them: propose, write the concept note, appraise, move,
and shape the approved joint programme; refusals come back as a message naming why; the portfolio by theme,
stage and party with its chart."""

from __future__ import annotations

import pytest

from concord.commitments.models import Commitment
from concord.programmes.models import AppraisalScore, JointProject, Stage

from .joint_fixtures import make_project, publish_criteria

pytestmark = pytest.mark.django_db


def test_a_contact_point_proposes_a_project_on_the_page(personas, as_user):
    client = as_user(personas.analyst_pk)
    assert client.get("/programmes/joint/new/").status_code == 200
    response = client.post(
        "/programmes/joint/new/",
        {
            "proposed_by": personas.pk.pk,
            "title": "Digital payments sandbox",
            "summary": "A joint sandbox.",
            "visibility": "dialogue",
        },
    )
    project = JointProject.objects.get()
    assert response.status_code == 302 and response["Location"] == project.get_absolute_url()
    assert project.proposed_by == personas.pk and project.stage == Stage.IDEA
    page = client.get(project.get_absolute_url()).content.decode()
    assert "Move to “Concept note”" in page


def test_observers_cannot_propose(personas, as_user):
    assert as_user(personas.observer).get("/programmes/joint/new/").status_code == 403


def test_a_skipped_stage_is_refused_with_a_message_and_nothing_moves(personas, as_user):
    project = make_project(personas)
    client = as_user(personas.analyst_my)
    response = client.post(f"/programmes/joint/{project.pk}/move/", {"to": "approved"}, follow=True)
    assert "one stage at a time" in response.content.decode()
    project.refresh_from_db()
    assert project.stage == Stage.IDEA


def test_someone_who_does_not_own_the_stage_is_refused(personas, as_user):
    project = make_project(personas)
    response = as_user(personas.analyst_pk).post(
        f"/programmes/joint/{project.pk}/move/", {"to": "concept_note"}, follow=True
    )
    assert "Only an owner of the current stage" in response.content.decode()
    project.refresh_from_db()
    assert project.stage == Stage.IDEA


def test_both_parties_appraise_on_the_page_then_approve(personas, as_user):
    project = make_project(personas, stage=Stage.APPRAISAL)
    criteria = publish_criteria(personas)
    my = as_user(personas.delegate_my)
    page = my.get(project.get_absolute_url()).content.decode()
    assert "Appraise for Malaysia" in page and "Appraise for Pakistan" not in page
    form = {
        "party": "MY",
        **{f"score_{c.pk}": "4" for c in criteria},
        f"comment_{criteria[0].pk}": "Clear benefit",
    }
    my.post(f"/programmes/joint/{project.pk}/appraise/", form)
    response = my.post(f"/programmes/joint/{project.pk}/move/", {"to": "approved"}, follow=True)
    assert "still to score: PK" in response.content.decode()
    bad = as_user(personas.delegate_pk).post(
        f"/programmes/joint/{project.pk}/appraise/",
        {"party": "PK", f"score_{criteria[0].pk}": "9"},
        follow=True,
    )
    assert "missing: Feasibility" in bad.content.decode() or "from 1 to 5" in bad.content.decode()
    as_user(personas.delegate_pk).post(
        f"/programmes/joint/{project.pk}/appraise/",
        {"party": "PK", **{f"score_{c.pk}": "3" for c in criteria}},
    )
    assert AppraisalScore.objects.count() == 4
    as_user(personas.delegate_pk).post(f"/programmes/joint/{project.pk}/move/", {"to": "approved"})
    project.refresh_from_db()
    assert project.stage == Stage.APPROVED
    page = as_user(personas.observer).get(project.get_absolute_url()).content.decode()
    assert "Clear benefit" in page and "Joint programme" in page and ">4.0<" in page and ">3.0<" in page


def test_the_approved_project_gets_a_workplan_milestone_as_a_joint_commitment(personas, as_user):
    project = make_project(personas, stage=Stage.APPROVED)
    client = as_user(personas.delegate_my)
    client.post(
        f"/programmes/joint/{project.pk}/milestone/", {"m-title": "Range opens", "m-end_date": "2027-06-30"}
    )
    commitment = Commitment.objects.get()
    assert commitment.is_joint and commitment.title == "Range opens"
    client.post(
        f"/programmes/joint/{project.pk}/budget/",
        {"b-party": personas.pk.pk, "b-amount": "-5", "b-currency": "PKR"},
    )
    response = client.post(
        f"/programmes/joint/{project.pk}/budget/",
        {"b-party": personas.pk.pk, "b-amount": "-5", "b-currency": "PKR"},
        follow=True,
    )
    assert "cannot be negative" in response.content.decode()
    client.post(
        f"/programmes/joint/{project.pk}/budget/",
        {"b-party": personas.pk.pk, "b-amount": "9000000", "b-currency": "PKR"},
    )
    page = client.get(project.get_absolute_url()).content.decode()
    assert "Range opens" in page and commitment.get_absolute_url() in page and "9,000,000.00 PKR" in page


def test_the_portfolio_shows_projects_by_stage_with_a_chart_and_keeps_its_queries_bounded(
    personas, as_user, django_assert_max_num_queries
):
    for n in range(6):
        make_project(personas, title=f"Idea {n}")
    make_project(personas, title="Approved one", stage=Stage.APPROVED)
    client = as_user(personas.observer)
    with django_assert_max_num_queries(20):
        page = client.get("/programmes/joint/").content.decode()
    assert "Approved one" in page and 'class="chart-svg"' in page
    assert "Joint projects by stage and proposing party" in page
    only = client.get("/programmes/joint/?stage=approved").content.decode()
    assert "Approved one" in only and "Idea 0" not in only


@pytest.mark.parametrize("role", ["anonymous", "outsider", "observer", "delegate_pk"])
def test_pages_follow_the_view_rule(personas, client, settings, role):
    settings.CONCORD_REQUIRE_2FA = False
    project = make_project(personas, visibility="dialogue", title="Unusual zebra project")
    if role != "anonymous":
        client.force_login(personas.users[role])
    allowed = role in ("observer", "delegate_pk")
    assert client.get(f"/programmes/joint/{project.pk}/").status_code == (200 if allowed else 404)
    assert (b"zebra" in client.get("/programmes/joint/").content) is allowed


def test_urdu_project_page_is_right_to_left(personas, as_user):
    project = make_project(personas)
    page = (
        as_user(personas.observer).get(project.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="ur").content.decode()
    )
    assert 'dir="rtl"' in page
