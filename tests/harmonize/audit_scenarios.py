"""Audit scenarios of the harmonization workspace (see tests/audit/test_every_write_is_audited.py)."""

from __future__ import annotations

import json
from collections.abc import Callable

from concord.accounts import actions as account_actions
from concord.harmonize import actions
from concord.harmonize.drift import needs_sync

from .factories import document, small_comparison


def _seconded(p):
    """The API scenarios run as the secretariat; a sign-off needs a seat in a party's delegation too."""
    account_actions.do_add_membership(
        actor=p.secretariat,
        user=p.secretariat,
        dialogue=p.dialogue,
        role="analyst",
        party=p.my,
    )


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


ACTIONS: dict[str, Callable] = {
    "harmonize.actions.do_create_comparison": lambda p: (
        small_comparison(p, run=False),
        "harmonize.comparison.create",
    )[1],
    "harmonize.actions.do_run_comparison": lambda p: (small_comparison(p), "harmonize.comparison.run")[1],
    "harmonize.actions.do_delete_comparison": lambda p: (
        actions.do_delete_comparison(actor=p.secretariat, comparison=small_comparison(p, run=False)),
        "harmonize.comparison.delete",
    )[1],
    "harmonize.actions.do_review_mapping": lambda p: (
        actions.do_review_mapping(actor=p.analyst_pk, mapping=_mapping(p), decision="accept"),
        "harmonize.mapping.accept",
    )[1],
    "harmonize.actions.do_comment_mapping": lambda p: (
        actions.do_comment_mapping(actor=p.analyst_pk, mapping=_mapping(p), comment="Why this pair?"),
        "harmonize.mapping.comment",
    )[1],
    "harmonize.actions.do_add_mapping": lambda p: (
        (
            lambda c: actions.do_add_mapping(
                actor=p.analyst_my,
                comparison=c,
                source_provision=c.source_documents.get().current_version.provisions.get(key="s5"),
                target_provision=c.target_documents.get().current_version.provisions.get(key="s1"),
                relationship="intersects-with",
            )
        )(small_comparison(p, run=False)),
        "harmonize.mapping.add",
    )[1],
    "harmonize.actions.do_sign_off": lambda p: (
        actions.do_sign_off(actor=p.delegate_my, mapping=_mapping(p)),
        "harmonize.signoff.approve",
    )[1],
    "harmonize.actions.do_sign_off_theme": lambda p: (
        actions.do_sign_off_theme(actor=p.analyst_pk, comparison=small_comparison(p), theme=None),
        "harmonize.signoff.bulk_approve",
    )[1],
    "harmonize.actions.do_flag_drift": lambda p: (_drift(p), "harmonize.comparison.drift")[1],
    "harmonize.actions.do_review_mappings": lambda p: (
        (
            lambda c: actions.do_review_mappings(
                actor=p.analyst_pk,
                comparison=c,
                mapping_ids=list(c.mappings.values_list("pk", flat=True)),
                decision="reject",
            )
        )(small_comparison(p)),
        "harmonize.mapping.reject",
    )[1],
}


def _post(client, url, payload):
    return client.post(url, json.dumps(payload), content_type="application/json")


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


API: dict[tuple[str, str], Callable] = {
    ("POST", "/api/comparisons"): lambda p, c: (
        _post(c, "/api/comparisons", _create_payload(p)),
        "harmonize.comparison.create",
    ),
    ("DELETE", "/api/comparisons/{comparison_id}"): lambda p, c: (
        c.delete(f"/api/comparisons/{small_comparison(p, run=False).pk}"),
        "harmonize.comparison.delete",
    ),
    ("POST", "/api/comparisons/{comparison_id}/run"): lambda p, c: (
        c.post(f"/api/comparisons/{small_comparison(p, run=False).pk}/run"),
        "harmonize.comparison.run",
    ),
    ("POST", "/api/comparisons/{comparison_id}/mappings"): lambda p, c: (
        (
            lambda cmp: _post(
                c,
                f"/api/comparisons/{cmp.pk}/mappings",
                {
                    "source_provision": cmp.source_documents.get()
                    .current_version.provisions.get(key="s5")
                    .pk,
                    "target_provision": cmp.target_documents.get()
                    .current_version.provisions.get(key="s1")
                    .pk,
                    "relationship": "intersects-with",
                },
            )
        )(small_comparison(p, run=False)),
        "harmonize.mapping.add",
    ),
    ("POST", "/api/comparisons/{comparison_id}/mappings/{mapping_id}/review"): lambda p, c: (
        (
            lambda m: _post(
                c,
                f"/api/comparisons/{m.comparison_id}/mappings/{m.pk}/review",
                {"decision": "retype", "relationship": "contrary-to"},
            )
        )(_mapping(p)),
        "harmonize.mapping.retype",
    ),
    ("POST", "/api/comparisons/{comparison_id}/mappings/{mapping_id}/signoff"): lambda p, c: (
        (
            lambda m: (
                _seconded(p),
                _post(
                    c, f"/api/comparisons/{m.comparison_id}/mappings/{m.pk}/signoff", {"decision": "approve"}
                ),
            )[1]
        )(_mapping(p)),
        "harmonize.signoff.approve",
    ),
    ("POST", "/api/comparisons/{comparison_id}/signoff"): lambda p, c: (
        (
            lambda cmp: (
                _seconded(p),
                _post(c, f"/api/comparisons/{cmp.pk}/signoff", {"decision": "approve"}),
            )[1]
        )(small_comparison(p)),
        "harmonize.signoff.bulk_approve",
    ),
}
