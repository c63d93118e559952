"""Audit scenarios for the programme registry, joint projects and peer learning (see
tests/audit/test_every_write_is_audited.py; the rows are read by tests/audit/scenarios.py)."""

from __future__ import annotations

import datetime as dt

from concord.programmes import actions as pa
from concord.programmes.joint import actions as ja
from concord.programmes.peer import actions as qa
from tests.audit.scenarios import action, call, persona, scenarios

from .conftest import make_programme
from .joint_fixtures import make_project, publish_criteria
from .peer_fixtures import answer, make_request

DAY = dt.date(2024, 1, 1)
CSV = b"title,party,summary\nDigital Pakistan,PK,Broadband and e-government\n"


def _indicator(p):
    return pa.do_add_indicator(actor=p.secretariat, programme=make_programme(p), name="Uptake", unit="%")


def _value(p):
    return pa.do_record_value(actor=p.secretariat, indicator=_indicator(p), date=DAY, value=5)


def _lesson(p):
    return pa.do_add_lesson(
        actor=p.secretariat, programme=make_programme(p), title="L", date=DAY, what_worked="W"
    )


def _approved(p):
    return make_project(p, stage="approved")


def _appraisal(p):
    return make_project(p, stage="appraisal")


def _score(p):
    project = _appraisal(p)
    scores = {c.pk: (3, "") for c in publish_criteria(p)}
    ja.do_score_project(actor=p.delegate_my, project=project, party=p.my, scores=scores)


def _answered(p):
    request = make_request(p)
    answer(p, request)
    return request


def _closed(p):
    return qa.do_close_request(actor=p.analyst_my, request=_answered(p))


def _scores_body(p, project):
    return {"party": "MY", "scores": [{"criterion": c.pk, "score": 4} for c in publish_criteria(p)]}


ACTIONS = scenarios(
    action(pa.do_create_programme, "programme.create", via=make_programme),
    action(pa.do_update_programme, "programme.update", programme=make_programme, title="T2"),
    action(pa.do_delete_programme, "programme.delete", programme=make_programme),
    action(pa.do_add_indicator, "programme.indicator.create", via=_indicator),
    action(pa.do_update_indicator, "programme.indicator.update", indicator=_indicator, unit="people"),
    action(pa.do_delete_indicator, "programme.indicator.delete", indicator=_indicator),
    action(pa.do_record_value, "programme.value.create", via=_value),
    action(pa.do_update_value, "programme.value.update", entry=_value, value=7),
    action(pa.do_delete_value, "programme.value.delete", entry=_value),
    action(pa.do_add_lesson, "programme.lesson.create", via=_lesson),
    action(pa.do_update_lesson, "programme.lesson.update", lesson=_lesson, title="L2"),
    action(pa.do_delete_lesson, "programme.lesson.delete", lesson=_lesson),
    action(
        pa.do_import_programmes, "programme.import", dialogue=persona("dialogue"), data=CSV, filename="p.csv"
    ),
    # experience exchange and joint projects
    action(ja.do_propose_project, "joint.create", via=make_project),
    action(ja.do_update_project, "joint.update", project=make_project, title="T2"),
    action(
        ja.do_set_stage_owner,
        "joint.owner",
        "delegate_pk",
        project=make_project,
        stage="idea",
        party=persona("pk"),
        user=persona("analyst_pk"),
    ),
    action(ja.do_publish_criterion, "joint.criterion.create", dialogue=persona("dialogue"), title="Benefit"),
    action(ja.do_score_project, "joint.appraise", via=_score),
    action(ja.do_move_project, "joint.move", "analyst_my", project=make_project, to="concept_note"),
    action(
        ja.do_add_workplan_milestone,
        "joint.milestone",
        "delegate_my",
        project=_approved,
        title="M1",
        end_date=dt.date(2027, 1, 1),
    ),
    action(
        ja.do_set_budget_share,
        "joint.budget",
        "delegate_my",
        project=_approved,
        party=persona("my"),
        amount="10",
        currency="MYR",
    ),
    action(ja.do_set_partners, "joint.partners", project=_approved, partners=lambda p: [p.university]),
    action(ja.do_link_opportunities, "joint.opportunities", project=_approved, opportunities=[]),
    action(ja.do_add_project_indicator, "joint.indicator", project=_approved, name="N", unit="%"),
    # peer-learning requests
    action(qa.do_ask_question, "peer.ask", via=make_request),
    action(qa.do_answer_request, "peer.answer", via=_answered),
    action(qa.do_close_request, "peer.close", via=_closed),
    action(qa.do_reopen_request, "peer.reopen", "analyst_my", request=_closed),
)

PROGRAMME = {"dialogue": "pk-my", "party": "MY", "title": "T", "summary": "S"}
PROJECT = {"dialogue": "pk-my", "proposed_by": "MY", "title": "T", "summary": "S"}
QUESTION = {"dialogue": "pk-my", "party": "MY", "asked_party": "PK", "title": "T", "question": "Q"}

API = scenarios(
    call("POST /api/programmes", "programme.create", body=PROGRAMME),
    call("PATCH /api/programmes/{programme_id}", "programme.update", make_programme, {"title": "T2"}),
    call("DELETE /api/programmes/{programme_id}", "programme.delete", make_programme),
    call(
        "POST /api/programmes/{programme_id}/indicators",
        "programme.indicator.create",
        make_programme,
        {"name": "N", "unit": "%"},
    ),
    call(
        "PATCH /api/programmes/indicators/{indicator_id}",
        "programme.indicator.update",
        _indicator,
        {"unit": "people"},
    ),
    call("DELETE /api/programmes/indicators/{indicator_id}", "programme.indicator.delete", _indicator),
    call(
        "POST /api/programmes/indicators/{indicator_id}/values",
        "programme.value.create",
        _indicator,
        {"date": "2024-01-01", "value": 3},
    ),
    call("PATCH /api/programmes/values/{value_id}", "programme.value.update", _value, {"value": 4}),
    call("DELETE /api/programmes/values/{value_id}", "programme.value.delete", _value),
    call(
        "POST /api/programmes/{programme_id}/lessons",
        "programme.lesson.create",
        make_programme,
        {"title": "L", "date": "2024-01-01", "what_worked": "W"},
    ),
    call("PATCH /api/programmes/lessons/{lesson_id}", "programme.lesson.update", _lesson, {"title": "L2"}),
    call("DELETE /api/programmes/lessons/{lesson_id}", "programme.lesson.delete", _lesson),
    # joint projects: a stage's owner moves it, each party's delegate appraises it
    call("POST /api/joint-projects", "joint.create", body=PROJECT),
    call("PATCH /api/joint-projects/{project_id}", "joint.update", make_project, {"title": "T2"}),
    call(
        "POST /api/joint-projects/{project_id}/move",
        "joint.move",
        make_project,
        {"to": "closed"},
        as_user="delegate_pk",
    ),
    call(
        "POST /api/joint-projects/{project_id}/appraisal",
        "joint.appraise",
        _appraisal,
        _scores_body,
        as_user="delegate_my",
    ),
    call(
        "POST /api/joint-projects/{project_id}/milestones",
        "joint.milestone",
        _approved,
        {"title": "M", "end_date": "2027-01-01"},
    ),
    # peer-learning requests: the asking analyst and the asked party's delegate
    call("POST /api/peer-requests", "peer.ask", body=QUESTION, as_user="analyst_my"),
    call(
        "POST /api/peer-requests/{request_id}/answers",
        "peer.answer",
        make_request,
        {"text": "A"},
        as_user="delegate_pk",
    ),
    call("POST /api/peer-requests/{request_id}/close", "peer.close", _answered, {}, as_user="analyst_my"),
    call("POST /api/peer-requests/{request_id}/reopen", "peer.reopen", _closed, {}, as_user="analyst_my"),
)
