"""Every commitments write records an audit entry: one scenario per action and per unsafe API operation."""

from __future__ import annotations

import datetime as dt
import json

from django.core.files.uploadedfile import SimpleUploadedFile

from concord.commitments import actions as ca
from tests.secretariat.audit_scenarios import CSV, J, _milestone, _post, _update
from tests.secretariat.conftest import make_commitment

ACTIONS = {
    "commitments.actions.do_create_commitment": lambda p: (
        make_commitment(p),
        "commitment.create",
    )[1],
    "commitments.actions.do_update_commitment": lambda p: (
        ca.do_update_commitment(actor=p.secretariat, commitment=make_commitment(p), completion="limited"),
        "commitment.update",
    )[1],
    "commitments.actions.do_set_party_completion": lambda p: (
        ca.do_set_party_completion(
            actor=p.secretariat, commitment=make_commitment(p), party=p.my, completion="substantial"
        ),
        "commitment.party_completion",
    )[1],
    "commitments.actions.do_add_dependency": lambda p: (
        ca.do_add_dependency(
            actor=p.secretariat, commitment=make_commitment(p, "A"), depends_on=make_commitment(p, "B")
        ),
        "commitment.depend",
    )[1],
    "commitments.actions.do_remove_dependency": lambda p: (
        ca.do_remove_dependency(
            actor=p.secretariat, commitment=make_commitment(p, "A"), depends_on=make_commitment(p, "B")
        ),
        "commitment.undepend",
    )[1],
    "commitments.actions.do_add_milestone": lambda p: (_milestone(p), "milestone.create")[1],
    "commitments.actions.do_reach_milestone": lambda p: (
        ca.do_reach_milestone(actor=p.secretariat, milestone=_milestone(p), actual_date=dt.date(2026, 1, 5)),
        "milestone.update",
    )[1],
    "commitments.actions.do_submit_progress": lambda p: (_update(p), "progress.submit")[1],
    "commitments.actions.do_review_progress": lambda p: (
        ca.do_review_progress(actor=p.delegate_pk, update=_update(p), verify=True),
        "progress.verify",
    )[1],
    "commitments.actions.do_import_commitments": lambda p: (
        ca.do_import_commitments(actor=p.secretariat, dialogue=p.dialogue, data=CSV, filename="c.csv"),
        "commitment.import",
    )[1],
    "commitments.actions.do_update_milestone": lambda p: (
        ca.do_update_milestone(actor=p.secretariat, milestone=_milestone(p), owner=p.delegate_my),
        "milestone.update",
    )[1],
    "commitments.actions.do_review_many": lambda p: (
        ca.do_review_many(actor=p.delegate_pk, updates=[_update(p)]),
        "progress.verify",
    )[1],
}

API = {
    ("POST", "/api/secretariat/commitments"): lambda p, c: (
        _post(
            c,
            "/api/secretariat/commitments",
            {"dialogue": "pk-my", "code": "API-1", "title": "T", "is_joint": True, "end_date": "2026-12-31"},
        ),
        "commitment.create",
    ),
    ("PATCH", "/api/secretariat/commitments/{commitment_id}"): lambda p, c: (
        c.patch(
            f"/api/secretariat/commitments/{make_commitment(p).pk}",
            json.dumps({"completion": "limited"}),
            content_type=J,
        ),
        "commitment.update",
    ),
    ("POST", "/api/secretariat/commitments/{commitment_id}/dependencies"): lambda p, c: (
        _post(
            c,
            f"/api/secretariat/commitments/{make_commitment(p, 'A').pk}/dependencies",
            {"depends_on": make_commitment(p, "B").code},
        ),
        "commitment.depend",
    ),
    ("POST", "/api/secretariat/commitments/{commitment_id}/milestones"): lambda p, c: (
        _post(c, f"/api/secretariat/commitments/{make_commitment(p).pk}/milestones", {"title": "M"}),
        "milestone.create",
    ),
    ("PATCH", "/api/secretariat/milestones/{milestone_id}"): lambda p, c: (
        c.patch(
            f"/api/secretariat/milestones/{_milestone(p).pk}",
            json.dumps({"actual_date": "2026-01-02"}),
            content_type=J,
        ),
        "milestone.update",
    ),
    ("POST", "/api/secretariat/commitments/{commitment_id}/progress"): lambda p, c: (
        c.post(
            f"/api/secretariat/commitments/{make_commitment(p).pk}/progress",
            {"text": "Done a bit", "percent": "30", "files": [SimpleUploadedFile("e.txt", b"evidence")]},
        ),
        "progress.submit",
    ),
    ("POST", "/api/secretariat/progress/{update_id}/review"): lambda p, c: (
        _post(c, f"/api/secretariat/progress/{_update(p).pk}/review", {"verify": True}),
        "progress.verify",
    ),
    ("POST", "/api/secretariat/commitment-imports"): lambda p, c: (
        c.post(
            "/api/secretariat/commitment-imports",
            {"dialogue": "pk-my", "file": SimpleUploadedFile("c.csv", CSV, content_type="text/csv")},
        ),
        "commitment.import",
    ),
    ("POST", "/api/secretariat/progress/verify"): lambda p, c: (
        _post(c, "/api/secretariat/progress/verify", {"updates": [_update(p).pk]}),
        "progress.verify",
    ),
}
