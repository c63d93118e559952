"""The joint projects' permission matrix: every role × visibility × action, written out by hand from
concord/programmes/rules.py, then checked through the rules, the pages and the API.

The project is Malaysia's idea, proposed by ``analyst_my``, who owns its idea stage for Malaysia; no owner is
named for Pakistan, so Pakistan's delegates own its stages. Later stages have no named owners: each party's
delegates own them.
"""

from __future__ import annotations

import pytest

from concord.programmes import rules
from concord.programmes.models import Stage
from tests.matrix import MEMBERS, MY_DELEGATION, ROLES, assert_complete, assert_row, over
from tests.matrix import user_of as _user

from .joint_fixtures import make_project

VISIBILITIES = ["public", "dialogue"]

# action -> (the stage the project is at, {visibility: roles allowed})
EXPECTED = {
    "view": (Stage.IDEA, {"public": set(ROLES), "dialogue": MEMBERS}),
    "move": (Stage.IDEA, {v: {"analyst_my", "delegate_pk"} for v in VISIBILITIES}),
    "edit": (Stage.IDEA, {v: {"analyst_my", "delegate_pk", "secretariat"} for v in VISIBILITIES}),
    "appraise_for_my": (Stage.APPRAISAL, {v: {"delegate_my"} for v in VISIBILITIES}),
    "name_owner_for_my": (Stage.IDEA, {v: {"delegate_my", "secretariat"} for v in VISIBILITIES}),
    "shape_programme": (
        Stage.APPROVED,
        {v: {"delegate_my", "delegate_pk", "secretariat"} for v in VISIBILITIES},
    ),
    "shape_programme_early": (Stage.APPRAISAL, {v: set() for v in VISIBILITIES}),
    "propose_same": (Stage.IDEA, {v: MY_DELEGATION | {"secretariat"} for v in VISIBILITIES}),
    "publish_criteria": (Stage.IDEA, {v: {"secretariat"} for v in VISIBILITIES}),
}
CHECK = {
    "view": rules.can_view_project,
    "move": rules.can_move_project,
    "edit": rules.can_edit_project,
    "appraise_for_my": lambda u, j: rules.can_appraise(u, j, j.proposed_by_id),
    "name_owner_for_my": lambda u, j: rules.can_set_owner(u, j, j.proposed_by_id),
    "shape_programme": rules.can_manage_joint_programme,
    "shape_programme_early": rules.can_manage_joint_programme,
    "propose_same": lambda u, j: rules.can_propose_project(u, j.dialogue_id, j.visibility, j.proposed_by_id),
    "publish_criteria": lambda u, j: rules.can_publish_criteria(u, j.dialogue_id),
}


def test_matrix_is_complete():
    assert_complete({a: by_visibility for a, (_at, by_visibility) in EXPECTED.items()}, CHECK, VISIBILITIES)


@pytest.mark.django_db
@over(role=ROLES, visibility=VISIBILITIES, stage=sorted({stage for stage, _v in EXPECTED.values()}))
def test_rules(personas, role, visibility, stage):
    project = make_project(personas, visibility=visibility, stage=stage)
    allowed = {a: by_visibility[visibility] for a, (s, by_visibility) in EXPECTED.items() if s == stage}
    assert_row(CHECK, _user(personas, role), project, allowed, role)


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_nobody_proposes_a_joint_project_for_one_party_only(personas, role):
    user = _user(personas, role)
    assert not rules.can_propose_project(user, personas.dialogue.pk, "party", personas.my.pk)
