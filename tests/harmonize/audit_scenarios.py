"""Audit scenarios of the harmonization workspace, as rows of tests/audit/scenarios.py where a row can say
it (see tests/audit/test_every_write_is_audited.py)."""

from __future__ import annotations

import json
from collections.abc import Callable
from functools import partial

from concord.harmonize import actions
from concord.harmonize.drift import needs_sync
from tests.audit.scenarios import action, call, scenarios
from tests.factories import add_member

from .factories import document, small_comparison


def _seconded(p):
    """The API scenarios run as the secretariat; a sign-off needs a seat in a party's delegation too."""
    add_member(p, p.secretariat, "analyst", party=p.my)


def _mapping(p):
    return small_comparison(p).mappings.order_by("id").first()


def _drift(p):
    comparison = small_comparison(p)
    my_id = next(int(k) for k in comparison.versions)
    from concord.library.models import PolicyDocument

    doc = PolicyDocument.objects.get(pk=my_id)
    newer = document(p, doc.party, "MY Act v2", ["Changed text of the first section, now stricter."])
    newer_version = newer.current_version
    newer_version.document = doc
    newer_version.save()
    doc.current_version = newer_version
    doc.save()
    return actions.do_flag_drift(comparison=comparison, changed=needs_sync(comparison))


def _s5_to_s1(c) -> dict:
    """The pair a person adds by hand: the Malaysian act's s5 and the Pakistani act's s1."""
    return {
        "source_provision": c.source_documents.get().current_version.provisions.get(key="s5"),
        "target_provision": c.target_documents.get().current_version.provisions.get(key="s1"),
    }


def _added_mapping(p):
    c = small_comparison(p, run=False)
    return actions.do_add_mapping(
        actor=p.analyst_my, comparison=c, relationship="intersects-with", **_s5_to_s1(c)
    )


def _all_rejected(p):
    c = small_comparison(p)
    mapping_ids = list(c.mappings.values_list("pk", flat=True))
    return actions.do_review_mappings(
        actor=p.analyst_pk, comparison=c, mapping_ids=mapping_ids, decision="reject"
    )


not_run = partial(small_comparison, run=False)
by_analyst_pk = partial(action, actor="analyst_pk")

ACTIONS: dict[str, Callable] = scenarios(
    action(actions.do_create_comparison, "harmonize.comparison.create", via=not_run),
    action(actions.do_run_comparison, "harmonize.comparison.run", via=small_comparison),
    action(actions.do_delete_comparison, "harmonize.comparison.delete", comparison=not_run),
    by_analyst_pk(actions.do_review_mapping, "harmonize.mapping.accept", mapping=_mapping, decision="accept"),
    by_analyst_pk(
        actions.do_comment_mapping, "harmonize.mapping.comment", mapping=_mapping, comment="Why this pair?"
    ),
    action(actions.do_add_mapping, "harmonize.mapping.add", via=_added_mapping),
    action(actions.do_sign_off, "harmonize.signoff.approve", actor="delegate_my", mapping=_mapping),
    by_analyst_pk(
        actions.do_sign_off_theme, "harmonize.signoff.bulk_approve", comparison=small_comparison, theme=None
    ),
    action(actions.do_flag_drift, "harmonize.comparison.drift", via=_drift),
    by_analyst_pk(actions.do_review_mappings, "harmonize.mapping.reject", via=_all_rejected),
)


def _post(client, url, payload):
    return client.post(url, json.dumps(payload), content_type="application/json")


def _seconded_on_a_comparison(p):
    comparison = small_comparison(p)
    _seconded(p)
    return comparison


def _create_payload(p):
    c = small_comparison(p, run=False)
    return {
        "dialogue": "pk-my",
        "title": "Via the API",
        "source_party": "MY",
        "target_party": "PK",
        "source_documents": [c.source_documents.get().pk],
        "target_documents": [c.target_documents.get().pk],
    }


API: dict[tuple[str, str], Callable] = scenarios(
    call("POST /api/comparisons", "harmonize.comparison.create", body=lambda p, _none: _create_payload(p)),
    call("DELETE /api/comparisons/{comparison_id}", "harmonize.comparison.delete", not_run),
    call("POST /api/comparisons/{comparison_id}/run", "harmonize.comparison.run", not_run),
    call(
        "POST /api/comparisons/{comparison_id}/signoff",
        "harmonize.signoff.bulk_approve",
        _seconded_on_a_comparison,
        {"decision": "approve"},
    ),
    call(
        "POST /api/comparisons/{comparison_id}/mappings",
        "harmonize.mapping.add",
        not_run,
        lambda p, c: {"relationship": "intersects-with"} | {k: v.pk for k, v in _s5_to_s1(c).items()},
    ),
)


def _retyped(p, client):
    m = _mapping(p)
    url = f"/api/comparisons/{m.comparison_id}/mappings/{m.pk}/review"
    return _post(
        client, url, {"decision": "retype", "relationship": "contrary-to"}
    ), "harmonize.mapping.retype"


def _signed_off(p, client):
    m = _mapping(p)
    _seconded(p)
    url = f"/api/comparisons/{m.comparison_id}/mappings/{m.pk}/signoff"
    return _post(client, url, {"decision": "approve"}), "harmonize.signoff.approve"


# A mapping's review and sign-off name two keys in their path: written out.
API[("POST", "/api/comparisons/{comparison_id}/mappings/{mapping_id}/review")] = _retyped
API[("POST", "/api/comparisons/{comparison_id}/mappings/{mapping_id}/signoff")] = _signed_off
