"""Audit scenarios for the directory and knowledge apps (see tests/audit/test_every_write_is_audited.py)."""

from __future__ import annotations

import json
from datetime import timedelta

from django.utils import timezone

from concord.accounts.models import Organization
from concord.directory import actions
from concord.knowledge import actions as knowledge_actions


def _pk_org(p):
    return Organization.objects.get_or_create(
        name="Audit PK Org", country="PK", defaults={"kind": "company"}
    )[0]


def _listing(p, status="draft"):
    listing = actions.do_create_listing(
        actor=p.secretariat,
        organization=p.university,
        dialogue=p.dialogue,
        kind="technology_offer",
        title="Audit offer",
        summary="S",
        themes=["ai"],
    )
    if status in ("in_review", "published"):
        actions.do_submit_listing(actor=p.secretariat, listing=listing)
    if status == "published":
        actions.do_publish_listing(actor=p.secretariat, listing=listing)
    return listing


def _interest(p, accepted=False):
    interest = actions.do_express_interest(
        actor=p.secretariat, listing=_listing(p, "published"), organization=_pk_org(p), message="Interested"
    )
    if accepted:
        actions.do_decide_interest(actor=p.secretariat, interest=interest, accept=True)
    return interest


def _slot(p, interest):
    return actions.do_add_slot(
        actor=p.secretariat, listing=interest.listing, starts_at=timezone.now() + timedelta(days=2)
    )


def _opportunity(p, alerts=False):
    return actions.do_create_opportunity(
        actor=p.secretariat,
        dialogue=p.dialogue,
        kind="research_call",
        title="Audit call",
        summary="S",
        themes=["ai"],
        send_alerts=alerts,
    )


def _expire(p):
    _listing(p, "published")
    return actions.do_expire_listings(now=timezone.now() + timedelta(days=400))


def _alerts(p):
    actions.do_save_profile(actor=p.secretariat, organization=p.university, themes=["ai"])
    return actions.do_send_alerts(actor=p.secretariat, opportunity=_opportunity(p))


def _digest(p):
    opp = _opportunity(p)
    from concord.knowledge.models import SearchEntry

    SearchEntry.objects.filter(kind="opportunity", object_id=opp.pk).update(
        date=timezone.localdate().replace(day=1)
    )
    period = timezone.localdate().strftime("%Y-%m")
    return knowledge_actions.do_send_digest(actor=None, user=p.delegate_my, period=period)


ACTIONS = {
    "directory.actions.do_save_profile": lambda p: (
        actions.do_save_profile(actor=p.stakeholder, organization=p.university, themes=["ai"]),
        "directory.profile.update",
    )[1],
    "directory.actions.do_merge_organizations": lambda p: (
        actions.do_merge_organizations(actor=p.secretariat, keep=p.university, duplicate=_pk_org(p)),
        "directory.organization.merge",
    )[1],
    "directory.actions.do_create_listing": lambda p: (_listing(p), "directory.listing.create")[1],
    "directory.actions.do_update_listing": lambda p: (
        actions.do_update_listing(actor=p.secretariat, listing=_listing(p), title="New"),
        "directory.listing.update",
    )[1],
    "directory.actions.do_submit_listing": lambda p: (_listing(p, "in_review"), "directory.listing.submit")[
        1
    ],
    "directory.actions.do_publish_listing": lambda p: (_listing(p, "published"), "directory.listing.publish")[
        1
    ],
    "directory.actions.do_return_listing": lambda p: (
        actions.do_return_listing(actor=p.secretariat, listing=_listing(p, "in_review"), note="More detail"),
        "directory.listing.return",
    )[1],
    "directory.actions.do_renew_listing": lambda p: (
        actions.do_renew_listing(actor=p.secretariat, listing=_listing(p, "published")),
        "directory.listing.renew",
    )[1],
    "directory.actions.do_expire_listings": lambda p: (_expire(p), "directory.listing.expire")[1],
    "directory.actions.do_delete_listing": lambda p: (
        actions.do_delete_listing(actor=p.secretariat, listing=_listing(p)),
        "directory.listing.delete",
    )[1],
    "directory.actions.do_express_interest": lambda p: (_interest(p), "directory.interest.create")[1],
    "directory.actions.do_decide_interest": lambda p: (
        _interest(p, accepted=True),
        "directory.interest.accept",
    )[1],
    "directory.actions.do_add_slot": lambda p: (_slot(p, _interest(p)), "directory.slot.create")[1],
    "directory.actions.do_book_slot": lambda p: (
        (lambda i: actions.do_book_slot(actor=p.secretariat, interest=i, slot=_slot(p, i)))(
            _interest(p, True)
        ),
        "directory.slot.book",
    )[1],
    "directory.actions.do_create_opportunity": lambda p: (_opportunity(p), "directory.opportunity.create")[1],
    "directory.actions.do_update_opportunity": lambda p: (
        actions.do_update_opportunity(actor=p.secretariat, opportunity=_opportunity(p), title="New"),
        "directory.opportunity.update",
    )[1],
    "directory.actions.do_delete_opportunity": lambda p: (
        actions.do_delete_opportunity(actor=p.secretariat, opportunity=_opportunity(p)),
        "directory.opportunity.delete",
    )[1],
    "directory.actions.do_send_alerts": lambda p: (_alerts(p), "directory.alert.send")[1],
    "directory.actions.do_record_feedback": lambda p: (
        actions.do_record_feedback(
            actor=p.stakeholder,
            organization=p.university,
            target="organization",
            target_id=_pk_org(p).pk,
            useful=True,
        ),
        "directory.feedback.record",
    )[1],
    "knowledge.actions.do_rebuild_index": lambda p: (
        knowledge_actions.do_rebuild_index(actor=p.secretariat),
        "knowledge.index.rebuild",
    )[1],
    "knowledge.actions.do_send_digest": lambda p: (_digest(p), "knowledge.digest.send")[1],
}


def _json(client, method, url, payload=None):
    return getattr(client, method)(url, json.dumps(payload or {}), content_type="application/json")


API = {
    ("PUT", "/api/directory/organizations/{org_id}/profile"): lambda p, c: (
        _json(c, "put", f"/api/directory/organizations/{p.university.pk}/profile", {"themes": ["ai"]}),
        "directory.profile.update",
    ),
    ("POST", "/api/directory/organizations/{org_id}/feedback"): lambda p, c: (
        _json(
            c,
            "post",
            f"/api/directory/organizations/{p.university.pk}/feedback",
            {"target": "organization", "target_id": _pk_org(p).pk, "useful": False},
        ),
        "directory.feedback.record",
    ),
    ("POST", "/api/directory/organizations/{org_id}/merge"): lambda p, c: (
        _json(
            c, "post", f"/api/directory/organizations/{p.university.pk}/merge", {"duplicate": _pk_org(p).pk}
        ),
        "directory.organization.merge",
    ),
    ("POST", "/api/directory/listings"): lambda p, c: (
        _json(
            c,
            "post",
            "/api/directory/listings",
            {
                "organization": p.university.pk,
                "kind": "business_offer",
                "title": "T",
                "summary": "S",
                "submit": True,
            },
        ),
        "directory.listing.submit",
    ),
    ("PATCH", "/api/directory/listings/{listing_id}"): lambda p, c: (
        _json(c, "patch", f"/api/directory/listings/{_listing(p).pk}", {"title": "T2"}),
        "directory.listing.update",
    ),
    ("DELETE", "/api/directory/listings/{listing_id}"): lambda p, c: (
        c.delete(f"/api/directory/listings/{_listing(p).pk}"),
        "directory.listing.delete",
    ),
    ("POST", "/api/directory/listings/{listing_id}/submit"): lambda p, c: (
        c.post(f"/api/directory/listings/{_listing(p).pk}/submit"),
        "directory.listing.submit",
    ),
    ("POST", "/api/directory/listings/{listing_id}/review"): lambda p, c: (
        _json(
            c,
            "post",
            f"/api/directory/listings/{_listing(p, 'in_review').pk}/review",
            {"decision": "publish"},
        ),
        "directory.listing.publish",
    ),
    ("POST", "/api/directory/listings/{listing_id}/renew"): lambda p, c: (
        c.post(f"/api/directory/listings/{_listing(p, 'published').pk}/renew"),
        "directory.listing.renew",
    ),
    ("POST", "/api/directory/listings/{listing_id}/interests"): lambda p, c: (
        _json(
            c,
            "post",
            f"/api/directory/listings/{_listing(p, 'published').pk}/interests",
            {"organization": _pk_org(p).pk, "message": "Hello"},
        ),
        "directory.interest.create",
    ),
    ("POST", "/api/directory/interests/{interest_id}/decision"): lambda p, c: (
        _json(c, "post", f"/api/directory/interests/{_interest(p).pk}/decision", {"accept": False}),
        "directory.interest.decline",
    ),
    ("POST", "/api/directory/listings/{listing_id}/slots"): lambda p, c: (
        _json(
            c,
            "post",
            f"/api/directory/listings/{_listing(p, 'published').pk}/slots",
            {"starts_at": (timezone.now() + timedelta(days=3)).isoformat(), "minutes": 30},
        ),
        "directory.slot.create",
    ),
    ("POST", "/api/directory/interests/{interest_id}/book"): lambda p, c: (
        (lambda i: _json(c, "post", f"/api/directory/interests/{i.pk}/book", {"slot": _slot(p, i).pk}))(
            _interest(p, True)
        ),
        "directory.slot.book",
    ),
    ("POST", "/api/directory/opportunities"): lambda p, c: (
        _json(
            c,
            "post",
            "/api/directory/opportunities",
            {
                "dialogue": "pk-my",
                "kind": "investment",
                "title": "T",
                "summary": "S",
                "deadline": "2030-01-31",
            },
        ),
        "directory.opportunity.create",
    ),
    ("DELETE", "/api/directory/opportunities/{opportunity_id}"): lambda p, c: (
        c.delete(f"/api/directory/opportunities/{_opportunity(p).pk}"),
        "directory.opportunity.delete",
    ),
    ("POST", "/api/search/rebuild"): lambda p, c: (c.post("/api/search/rebuild"), "knowledge.index.rebuild"),
}
