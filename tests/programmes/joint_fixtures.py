"""Joint-project fixtures: published criteria, a project carried to a stage through the public actions, and a
stage's named owner."""

from __future__ import annotations

from concord.programmes.joint import actions
from concord.programmes.models import JointProject, Stage


def publish_criteria(p) -> list:
    return [
        actions.do_publish_criterion(
            actor=p.secretariat, dialogue=p.dialogue, title="Shared benefit", weight=2
        ),
        actions.do_publish_criterion(actor=p.secretariat, dialogue=p.dialogue, title="Feasibility"),
    ]


def make_project(p, visibility: str = "dialogue", stage: str = Stage.IDEA, **kw) -> JointProject:
    """A project proposed by Malaysia's analyst, moved by the parties' delegates up to ``stage``."""
    project = actions.do_propose_project(
        actor=kw.pop("actor", p.analyst_my),
        dialogue=p.dialogue,
        proposed_by=p.my,
        title=kw.pop("title", "Joint cyber range for CERT staff"),
        summary="Both CERTs train their staff on one shared cyber range.",
        visibility=visibility,
        **kw,
    )
    order = [Stage.IDEA, Stage.CONCEPT_NOTE, Stage.APPRAISAL, Stage.APPROVED, Stage.DELIVERY, Stage.COMPLETED]
    for to in order[1 : order.index(stage) + 1]:
        if to == Stage.CONCEPT_NOTE:
            actions.do_move_project(actor=p.analyst_my, project=project, to=to)
        elif to == Stage.APPRAISAL:
            actions.do_update_project(
                actor=p.delegate_pk, project=project, concept_note="Scope, costs, risks."
            )
            actions.do_move_project(actor=p.delegate_pk, project=project, to=to)
        elif to == Stage.APPROVED:
            criteria = publish_criteria(p)
            for party, actor in ((p.my, p.delegate_my), (p.pk, p.delegate_pk)):
                actions.do_score_project(
                    actor=actor, project=project, party=party, scores={c.pk: (4, "") for c in criteria}
                )
            actions.do_move_project(actor=p.delegate_my, project=project, to=to)
        else:
            actions.do_move_project(actor=p.delegate_my, project=project, to=to)
    project.refresh_from_db()
    return project


def name_stage_owner(project, stage: str, party, user, *, by):
    """``by`` names ``user`` the one who moves ``project`` through ``stage`` for ``party``."""
    return actions.do_set_stage_owner(actor=by, project=project, stage=stage, party=party, user=user)
