"""Audit scenarios for the programme registry (see tests/audit/test_every_write_is_audited.py)."""

from __future__ import annotations

import datetime as dt
import json

from concord.programmes import actions

from .conftest import make_programme


def _indicator(p):
    return actions.do_add_indicator(actor=p.secretariat, programme=make_programme(p), name="Uptake", unit="%")


def _value(p):
    return actions.do_record_value(
        actor=p.secretariat, indicator=_indicator(p), date=dt.date(2024, 1, 1), value=5
    )


def _lesson(p):
    return actions.do_add_lesson(
        actor=p.secretariat, programme=make_programme(p), title="L", date=dt.date(2024, 1, 1), what_worked="W"
    )


CSV = b"title,party,summary\nDigital Pakistan,PK,Broadband and e-government\n"

ACTIONS = {
    "programmes.actions.do_create_programme": lambda p: (make_programme(p), "programme.create")[1],
    "programmes.actions.do_update_programme": lambda p: (
        actions.do_update_programme(actor=p.secretariat, programme=make_programme(p), title="T2"),
        "programme.update",
    )[1],
    "programmes.actions.do_delete_programme": lambda p: (
        actions.do_delete_programme(actor=p.secretariat, programme=make_programme(p)),
        "programme.delete",
    )[1],
    "programmes.actions.do_add_indicator": lambda p: (_indicator(p), "programme.indicator.create")[1],
    "programmes.actions.do_update_indicator": lambda p: (
        actions.do_update_indicator(actor=p.secretariat, indicator=_indicator(p), unit="people"),
        "programme.indicator.update",
    )[1],
    "programmes.actions.do_delete_indicator": lambda p: (
        actions.do_delete_indicator(actor=p.secretariat, indicator=_indicator(p)),
        "programme.indicator.delete",
    )[1],
    "programmes.actions.do_record_value": lambda p: (_value(p), "programme.value.create")[1],
    "programmes.actions.do_update_value": lambda p: (
        actions.do_update_value(actor=p.secretariat, entry=_value(p), value=7),
        "programme.value.update",
    )[1],
    "programmes.actions.do_delete_value": lambda p: (
        actions.do_delete_value(actor=p.secretariat, entry=_value(p)),
        "programme.value.delete",
    )[1],
    "programmes.actions.do_add_lesson": lambda p: (_lesson(p), "programme.lesson.create")[1],
    "programmes.actions.do_update_lesson": lambda p: (
        actions.do_update_lesson(actor=p.secretariat, lesson=_lesson(p), title="L2"),
        "programme.lesson.update",
    )[1],
    "programmes.actions.do_delete_lesson": lambda p: (
        actions.do_delete_lesson(actor=p.secretariat, lesson=_lesson(p)),
        "programme.lesson.delete",
    )[1],
    "programmes.actions.do_import_programmes": lambda p: (
        actions.do_import_programmes(actor=p.secretariat, dialogue=p.dialogue, data=CSV, filename="p.csv"),
        "programme.import",
    )[1],
}


def _json(c, method, url, body):
    return getattr(c, method)(url, json.dumps(body), content_type="application/json")


API = {
    ("POST", "/api/programmes"): lambda p, c: (
        _json(
            c, "post", "/api/programmes", {"dialogue": "pk-my", "party": "MY", "title": "T", "summary": "S"}
        ),
        "programme.create",
    ),
    ("PATCH", "/api/programmes/{programme_id}"): lambda p, c: (
        _json(c, "patch", f"/api/programmes/{make_programme(p).pk}", {"title": "T2"}),
        "programme.update",
    ),
    ("DELETE", "/api/programmes/{programme_id}"): lambda p, c: (
        c.delete(f"/api/programmes/{make_programme(p).pk}"),
        "programme.delete",
    ),
    ("POST", "/api/programmes/{programme_id}/indicators"): lambda p, c: (
        _json(c, "post", f"/api/programmes/{make_programme(p).pk}/indicators", {"name": "N", "unit": "%"}),
        "programme.indicator.create",
    ),
    ("PATCH", "/api/programmes/indicators/{indicator_id}"): lambda p, c: (
        _json(c, "patch", f"/api/programmes/indicators/{_indicator(p).pk}", {"unit": "people"}),
        "programme.indicator.update",
    ),
    ("DELETE", "/api/programmes/indicators/{indicator_id}"): lambda p, c: (
        c.delete(f"/api/programmes/indicators/{_indicator(p).pk}"),
        "programme.indicator.delete",
    ),
    ("POST", "/api/programmes/indicators/{indicator_id}/values"): lambda p, c: (
        _json(
            c,
            "post",
            f"/api/programmes/indicators/{_indicator(p).pk}/values",
            {"date": "2024-01-01", "value": 3},
        ),
        "programme.value.create",
    ),
    ("PATCH", "/api/programmes/values/{value_id}"): lambda p, c: (
        _json(c, "patch", f"/api/programmes/values/{_value(p).pk}", {"value": 4}),
        "programme.value.update",
    ),
    ("DELETE", "/api/programmes/values/{value_id}"): lambda p, c: (
        c.delete(f"/api/programmes/values/{_value(p).pk}"),
        "programme.value.delete",
    ),
    ("POST", "/api/programmes/{programme_id}/lessons"): lambda p, c: (
        _json(
            c,
            "post",
            f"/api/programmes/{make_programme(p).pk}/lessons",
            {"title": "L", "date": "2024-01-01", "what_worked": "W"},
        ),
        "programme.lesson.create",
    ),
    ("PATCH", "/api/programmes/lessons/{lesson_id}"): lambda p, c: (
        _json(c, "patch", f"/api/programmes/lessons/{_lesson(p).pk}", {"title": "L2"}),
        "programme.lesson.update",
    ),
    ("DELETE", "/api/programmes/lessons/{lesson_id}"): lambda p, c: (
        c.delete(f"/api/programmes/lessons/{_lesson(p).pk}"),
        "programme.lesson.delete",
    ),
}


# --- experience exchange and joint projects --------------------------------------------------------------
def _joint(p, stage="idea"):
    from .joint_fixtures import make_project

    return make_project(p, stage=stage)


def _joint_actions():
    from concord.programmes.joint import actions as ja

    from .joint_fixtures import publish_criteria

    def score(p):
        project = _joint(p, "appraisal")
        criteria = publish_criteria(p)
        ja.do_score_project(
            actor=p.delegate_my, project=project, party=p.my, scores={c.pk: (3, "") for c in criteria}
        )

    return {
        "programmes.joint.actions.do_propose_project": lambda p: (_joint(p), "joint.create")[1],
        "programmes.joint.actions.do_update_project": lambda p: (
            ja.do_update_project(actor=p.secretariat, project=_joint(p), title="T2"),
            "joint.update",
        )[1],
        "programmes.joint.actions.do_set_stage_owner": lambda p: (
            ja.do_set_stage_owner(
                actor=p.delegate_pk, project=_joint(p), stage="idea", party=p.pk, user=p.analyst_pk
            ),
            "joint.owner",
        )[1],
        "programmes.joint.actions.do_publish_criterion": lambda p: (
            ja.do_publish_criterion(actor=p.secretariat, dialogue=p.dialogue, title="Benefit"),
            "joint.criterion.create",
        )[1],
        "programmes.joint.actions.do_score_project": lambda p: (score(p), "joint.appraise")[1],
        "programmes.joint.actions.do_move_project": lambda p: (
            ja.do_move_project(actor=p.analyst_my, project=_joint(p), to="concept_note"),
            "joint.move",
        )[1],
        "programmes.joint.actions.do_add_workplan_milestone": lambda p: (
            ja.do_add_workplan_milestone(
                actor=p.delegate_my, project=_joint(p, "approved"), title="M1", end_date=dt.date(2027, 1, 1)
            ),
            "joint.milestone",
        )[1],
        "programmes.joint.actions.do_set_budget_share": lambda p: (
            ja.do_set_budget_share(
                actor=p.delegate_my, project=_joint(p, "approved"), party=p.my, amount="10", currency="MYR"
            ),
            "joint.budget",
        )[1],
        "programmes.joint.actions.do_set_partners": lambda p: (
            ja.do_set_partners(actor=p.secretariat, project=_joint(p, "approved"), partners=[p.university]),
            "joint.partners",
        )[1],
        "programmes.joint.actions.do_link_opportunities": lambda p: (
            ja.do_link_opportunities(actor=p.secretariat, project=_joint(p, "approved"), opportunities=[]),
            "joint.opportunities",
        )[1],
        "programmes.joint.actions.do_add_project_indicator": lambda p: (
            ja.do_add_project_indicator(
                actor=p.secretariat, project=_joint(p, "approved"), name="N", unit="%"
            ),
            "joint.indicator",
        )[1],
    }


ACTIONS.update(_joint_actions())


def _criteria_body(p, project):
    from .joint_fixtures import publish_criteria

    return {"party": "MY", "scores": [{"criterion": c.pk, "score": 4} for c in publish_criteria(p)]}


API.update(
    {
        ("POST", "/api/joint-projects"): lambda p, c: (
            _json(
                c,
                "post",
                "/api/joint-projects",
                {"dialogue": "pk-my", "proposed_by": "MY", "title": "T", "summary": "S"},
            ),
            "joint.create",
        ),
        ("PATCH", "/api/joint-projects/{project_id}"): lambda p, c: (
            _json(c, "patch", f"/api/joint-projects/{_joint(p).pk}", {"title": "T2"}),
            "joint.update",
        ),
        ("POST", "/api/joint-projects/{project_id}/move"): lambda p, c: (
            (
                c.force_login(p.delegate_pk),
                _json(c, "post", f"/api/joint-projects/{_joint(p).pk}/move", {"to": "closed"}),
            )[1],
            "joint.move",
            p.delegate_pk,
        ),
        ("POST", "/api/joint-projects/{project_id}/appraisal"): lambda p, c: (
            (
                lambda j: (
                    c.force_login(p.delegate_my),
                    _json(c, "post", f"/api/joint-projects/{j.pk}/appraisal", _criteria_body(p, j)),
                )[1]
            )(_joint(p, "appraisal")),
            "joint.appraise",
            p.delegate_my,
        ),
        ("POST", "/api/joint-projects/{project_id}/milestones"): lambda p, c: (
            _json(
                c,
                "post",
                f"/api/joint-projects/{_joint(p, 'approved').pk}/milestones",
                {"title": "M", "end_date": "2027-01-01"},
            ),
            "joint.milestone",
        ),
    }
)


# --- peer-learning requests ------------------------------------------------------------------------------
def _peer_actions():
    from concord.programmes.peer import actions as pa

    from .peer_fixtures import answer, make_request

    def closed(p):
        request = make_request(p)
        answer(p, request)
        return pa.do_close_request(actor=p.analyst_my, request=request)

    return {
        "programmes.peer.actions.do_ask_question": lambda p: (make_request(p), "peer.ask")[1],
        "programmes.peer.actions.do_answer_request": lambda p: (answer(p, make_request(p)), "peer.answer")[1],
        "programmes.peer.actions.do_close_request": lambda p: (closed(p), "peer.close")[1],
        "programmes.peer.actions.do_reopen_request": lambda p: (
            pa.do_reopen_request(actor=p.analyst_my, request=closed(p)),
            "peer.reopen",
        )[1],
    }


ACTIONS.update(_peer_actions())


def _peer(p, answered=False, closed=False):
    from concord.programmes.peer import actions as pa

    from .peer_fixtures import answer, make_request

    request = make_request(p)
    if answered or closed:
        answer(p, request)
    if closed:
        pa.do_close_request(actor=p.analyst_my, request=request)
    return request


API.update(
    {
        ("POST", "/api/peer-requests"): lambda p, c: (
            (
                c.force_login(p.analyst_my),
                _json(
                    c,
                    "post",
                    "/api/peer-requests",
                    {"dialogue": "pk-my", "party": "MY", "asked_party": "PK", "title": "T", "question": "Q"},
                ),
            )[1],
            "peer.ask",
            p.analyst_my,
        ),
        ("POST", "/api/peer-requests/{request_id}/answers"): lambda p, c: (
            (
                lambda r: (
                    c.force_login(p.delegate_pk),
                    _json(c, "post", f"/api/peer-requests/{r.pk}/answers", {"text": "A"}),
                )[1]
            )(_peer(p)),
            "peer.answer",
            p.delegate_pk,
        ),
        ("POST", "/api/peer-requests/{request_id}/close"): lambda p, c: (
            (
                lambda r: (
                    c.force_login(p.analyst_my),
                    _json(c, "post", f"/api/peer-requests/{r.pk}/close", {}),
                )[1]
            )(_peer(p, answered=True)),
            "peer.close",
            p.analyst_my,
        ),
        ("POST", "/api/peer-requests/{request_id}/reopen"): lambda p, c: (
            (
                lambda r: (
                    c.force_login(p.analyst_my),
                    _json(c, "post", f"/api/peer-requests/{r.pk}/reopen", {}),
                )[1]
            )(_peer(p, closed=True)),
            "peer.reopen",
            p.analyst_my,
        ),
    }
)
