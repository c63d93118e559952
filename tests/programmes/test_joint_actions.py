"""Joint projects through their actions: the pipeline one stage at a time, stage owners, the appraisal by
both parties against published criteria, and the joint programme built on approval."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from concord.audit.models import AuditEntry
from concord.commitments.models import Commitment
from concord.programmes import rules
from concord.programmes.joint import actions
from concord.programmes.joint.actions import appraisal_summary
from concord.programmes.models import AppraisalScore, JointProject, Stage

from .joint_fixtures import make_project, name_stage_owner, publish_criteria

pytestmark = pytest.mark.django_db


def test_a_contact_point_proposes_an_idea_and_owns_its_first_stage(personas):
    project = make_project(personas)
    assert project.stage == Stage.IDEA and project.proposed_by == personas.my and project.party is None
    owner = project.owners.get()
    assert (owner.stage, owner.party, owner.user) == (Stage.IDEA, personas.my, personas.analyst_my)


def test_observers_and_stakeholders_cannot_propose(personas):
    for user in (personas.observer, personas.stakeholder):
        with pytest.raises(PermissionDenied):
            make_project(personas, actor=user)
    with pytest.raises(PermissionDenied):  # a Pakistani analyst does not propose in Malaysia's name
        make_project(personas, actor=personas.analyst_pk)
    assert not JointProject.objects.exists()


def test_a_project_moves_one_stage_at_a_time(personas):
    project = make_project(personas)
    with pytest.raises(ValidationError, match="one stage at a time"):
        actions.do_move_project(actor=personas.analyst_my, project=project, to=Stage.APPROVED)
    project.refresh_from_db()
    assert project.stage == Stage.IDEA


def test_only_an_owner_of_the_current_stage_moves_it(personas):
    project = make_project(personas)
    # Malaysia named its analyst for the idea stage, so Malaysia's delegate is not an owner of it.
    for user in (personas.delegate_my, personas.analyst_pk, personas.secretariat, personas.observer):
        with pytest.raises(PermissionDenied):
            actions.do_move_project(actor=user, project=project, to=Stage.CONCEPT_NOTE)
    # Pakistan named nobody, so its delegates own the stage for Pakistan.
    actions.do_move_project(actor=personas.delegate_pk, project=project, to=Stage.CONCEPT_NOTE)
    assert project.stage == Stage.CONCEPT_NOTE
    entry = AuditEntry.objects.filter(action="joint.move").get()
    assert entry.before == {"stage": "idea"} and entry.after == {"stage": "concept_note"}


@pytest.mark.parametrize(
    ("stage", "to", "refusal"),
    [
        pytest.param(
            Stage.CONCEPT_NOTE, Stage.APPRAISAL, "concept note", id="appraisal-needs-a-concept-note"
        ),
        pytest.param(
            Stage.APPRAISAL,
            Stage.APPROVED,
            "No appraisal criteria are published yet",
            id="approval-waits-for-published-criteria",
        ),
    ],
)
def test_a_project_moves_on_only_once_its_stage_is_done(personas, stage, to, refusal):
    project = make_project(personas, stage=stage)
    with pytest.raises(ValidationError, match=refusal):
        actions.do_move_project(actor=personas.delegate_my, project=project, to=to)


def test_approval_needs_both_parties_to_score_every_published_criterion(personas):
    project = make_project(personas, stage=Stage.APPRAISAL)
    criteria = publish_criteria(personas)
    actions.do_score_project(
        actor=personas.delegate_my,
        project=project,
        party=personas.my,
        scores={c.pk: (5, "") for c in criteria},
    )
    with pytest.raises(ValidationError, match="still to score: PK"):
        actions.do_move_project(actor=personas.delegate_my, project=project, to=Stage.APPROVED)
    with pytest.raises(ValidationError, match="missing: Feasibility"):
        actions.do_score_project(
            actor=personas.delegate_pk, project=project, party=personas.pk, scores={criteria[0].pk: (3, "")}
        )
    with pytest.raises(ValidationError, match="from 1 to 5"):
        actions.do_score_project(
            actor=personas.delegate_pk,
            project=project,
            party=personas.pk,
            scores={c.pk: (6, "") for c in criteria},
        )
    assert not AppraisalScore.objects.filter(party=personas.pk).exists()
    actions.do_score_project(
        actor=personas.delegate_pk,
        project=project,
        party=personas.pk,
        scores={criteria[0].pk: (2, "Costs unclear"), criteria[1].pk: (5, "")},
    )
    assert appraisal_summary(project) == {personas.my.pk: 5.0, personas.pk.pk: 3.0}  # (2×2 + 5) / 3
    actions.do_move_project(actor=personas.delegate_pk, project=project, to=Stage.APPROVED)
    assert project.stage == Stage.APPROVED


def test_a_party_scores_only_for_itself_and_only_under_appraisal(personas):
    project = make_project(personas, stage=Stage.APPRAISAL)
    criteria = publish_criteria(personas)
    scores = {c.pk: (4, "") for c in criteria}
    with pytest.raises(PermissionDenied):
        actions.do_score_project(
            actor=personas.delegate_pk, project=project, party=personas.my, scores=scores
        )
    with pytest.raises(PermissionDenied):
        actions.do_score_project(
            actor=personas.delegate_my, project=make_project(personas), party=personas.my, scores=scores
        )


def test_a_named_owner_replaces_the_delegates_for_that_stage(personas):
    project = make_project(personas, stage=Stage.CONCEPT_NOTE)
    name_stage_owner(project, Stage.CONCEPT_NOTE, personas.pk, personas.analyst_pk, by=personas.delegate_pk)
    actions.do_update_project(actor=personas.analyst_pk, project=project, concept_note="Note")
    with pytest.raises(PermissionDenied):
        actions.do_move_project(actor=personas.delegate_pk, project=project, to=Stage.APPRAISAL)
    with pytest.raises(ValidationError, match="delegate or analyst of that party"):
        name_stage_owner(project, Stage.APPRAISAL, personas.pk, personas.analyst_my, by=personas.secretariat)
    with pytest.raises(PermissionDenied):  # Malaysia does not name Pakistan's owners
        name_stage_owner(project, Stage.APPRAISAL, personas.pk, personas.analyst_pk, by=personas.delegate_my)


def test_closed_and_completed_projects_do_not_move(personas):
    project = make_project(personas, stage=Stage.CONCEPT_NOTE)
    actions.do_move_project(actor=personas.delegate_my, project=project, to=Stage.CLOSED)
    with pytest.raises(ValidationError, match="does not move any more"):
        actions.do_move_project(actor=personas.delegate_my, project=project, to=Stage.IDEA)
    assert not rules.can_move_project(personas.delegate_my, project)


def test_an_approved_project_becomes_a_joint_programme(personas):
    from concord.talent.models import Opportunity

    project = make_project(personas, stage=Stage.APPROVED)
    milestone = actions.do_add_workplan_milestone(
        actor=personas.delegate_my, project=project, title="Cyber range opens", end_date=dt.date(2027, 6, 30)
    )
    assert isinstance(milestone, Commitment) and milestone.is_joint
    assert {s.party_id for s in milestone.party_shares.all()} == {personas.my.pk, personas.pk.pk}
    assert list(project.workplan.all()) == [milestone]
    actions.do_set_budget_share(
        actor=personas.delegate_my, project=project, party=personas.my, amount="250000", currency="myr"
    )
    with pytest.raises(ValidationError, match="cannot be negative"):
        actions.do_set_budget_share(
            actor=personas.delegate_my, project=project, party=personas.pk, amount="-1", currency="PKR"
        )
    with pytest.raises(ValidationError, match="ISO 4217"):
        actions.do_set_budget_share(
            actor=personas.delegate_my, project=project, party=personas.pk, amount="1", currency="XXZ"
        )
    assert [(s.party.code, s.amount, s.currency) for s in project.budget_shares.all()] == [
        ("MY", Decimal("250000.00"), "MYR")
    ]
    actions.do_set_partners(actor=personas.secretariat, project=project, partners=[personas.university])
    assert list(project.partners.all()) == [personas.university]
    indicator = actions.do_add_project_indicator(
        actor=personas.delegate_pk, project=project, name="Staff trained", unit="people", target_value=200
    )
    assert indicator.target_value == 200
    with pytest.raises(ValidationError, match="unit"):
        actions.do_add_project_indicator(actor=personas.delegate_pk, project=project, name="X", unit=" ")
    opportunity = Opportunity.objects.create(
        dialogue=personas.dialogue, title="Cyber fellowship", created_by=personas.secretariat
    )
    actions.do_link_opportunities(actor=personas.delegate_pk, project=project, opportunities=[opportunity])
    assert list(project.opportunities.all()) == [opportunity]


def test_the_joint_programme_waits_for_approval(personas):
    project = make_project(personas, stage=Stage.APPRAISAL)
    with pytest.raises(PermissionDenied):
        actions.do_add_workplan_milestone(
            actor=personas.secretariat, project=project, title="M", end_date=dt.date(2027, 1, 1)
        )
    assert not Commitment.objects.exists()
