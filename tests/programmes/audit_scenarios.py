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
