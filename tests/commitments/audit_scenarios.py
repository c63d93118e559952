"""Every commitments write records an audit entry: one scenario per action and per unsafe API operation,
as rows of tests/audit/scenarios.py (run by tests/audit/test_every_write_is_audited.py)."""

from __future__ import annotations

import datetime as dt
from functools import partial

from django.core.files.uploadedfile import SimpleUploadedFile

from concord.commitments import actions as ca
from tests.audit.scenarios import action, call, persona, scenarios
from tests.secretariat.conftest import make_commitment

CSV = b"code,title,start_date,end_date\nI-1,Imported,2026-01-01,2026-06-30\n"


def _update(p):
    return ca.do_submit_progress(
        actor=p.delegate_my, commitment=make_commitment(p, "U"), text="t", percent=10
    )


def _milestone(p):
    return ca.do_add_milestone(actor=p.secretariat, commitment=make_commitment(p, "M"), title="m")


def _first(p):
    return make_commitment(p, "A")


def _second(p):
    return make_commitment(p, "B")


by_pakistan = partial(action, actor="delegate_pk")

ACTIONS = scenarios(
    action(ca.do_create_commitment, "commitment.create", via=make_commitment),
    action(ca.do_update_commitment, "commitment.update", commitment=make_commitment, completion="limited"),
    action(
        ca.do_set_party_completion,
        "commitment.party_completion",
        commitment=make_commitment,
        party=persona("my"),
        completion="substantial",
    ),
    action(ca.do_add_dependency, "commitment.depend", commitment=_first, depends_on=_second),
    action(ca.do_remove_dependency, "commitment.undepend", commitment=_first, depends_on=_second),
    action(ca.do_add_milestone, "milestone.create", via=_milestone),
    action(ca.do_reach_milestone, "milestone.update", milestone=_milestone, actual_date=dt.date(2026, 1, 5)),
    action(ca.do_submit_progress, "progress.submit", via=_update),
    by_pakistan(ca.do_review_progress, "progress.verify", update=_update, verify=True),
    action(
        ca.do_import_commitments,
        "commitment.import",
        dialogue=persona("dialogue"),
        data=CSV,
        filename="c.csv",
    ),
    action(ca.do_update_milestone, "milestone.update", milestone=_milestone, owner=persona("delegate_my")),
    by_pakistan(ca.do_review_many, "progress.verify", updates=lambda p: [_update(p)]),
)


def _progress_with_evidence(p, client):
    """Progress is posted as a form with its evidence file, not as JSON."""
    response = client.post(
        f"/api/secretariat/commitments/{make_commitment(p).pk}/progress",
        {"text": "Done a bit", "percent": "30", "files": [SimpleUploadedFile("e.txt", b"evidence")]},
    )
    return response, "progress.submit"


def _import_file(p, client):
    """The import is posted as a form with its CSV file."""
    response = client.post(
        "/api/secretariat/commitment-imports",
        {"dialogue": "pk-my", "file": SimpleUploadedFile("c.csv", CSV, content_type="text/csv")},
    )
    return response, "commitment.import"


NEW = {"dialogue": "pk-my", "code": "API-1", "title": "T", "is_joint": True, "end_date": "2026-12-31"}

API = scenarios(
    call("POST /api/secretariat/commitments", "commitment.create", body=NEW),
    call(
        "PATCH /api/secretariat/commitments/{commitment_id}",
        "commitment.update",
        make_commitment,
        {"completion": "limited"},
    ),
    call(
        "POST /api/secretariat/commitments/{commitment_id}/dependencies",
        "commitment.depend",
        _first,
        lambda p, first: {"depends_on": _second(p).code},
    ),
    call(
        "POST /api/secretariat/commitments/{commitment_id}/milestones",
        "milestone.create",
        make_commitment,
        {"title": "M"},
    ),
    call(
        "PATCH /api/secretariat/milestones/{milestone_id}",
        "milestone.update",
        _milestone,
        {"actual_date": "2026-01-02"},
    ),
    call("POST /api/secretariat/progress/{update_id}/review", "progress.verify", _update, {"verify": True}),
    call(
        "POST /api/secretariat/progress/verify",
        "progress.verify",
        body=lambda p, _none: {"updates": [_update(p).pk]},
    ),
)
API[("POST", "/api/secretariat/commitments/{commitment_id}/progress")] = _progress_with_evidence
API[("POST", "/api/secretariat/commitment-imports")] = _import_file
