"""Audit scenarios for the directory and knowledge apps (see tests/audit/test_every_write_is_audited.py)."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from concord.accounts.models import Organization
from concord.directory import actions as da
from concord.knowledge import actions as ka
from tests.audit.scenarios import action, call, persona, scenarios

from .conftest import make_directory_opportunity

UNIVERSITY = persona("university")


def _pk_org(p):
    return Organization.objects.get_or_create(
        name="Audit PK Org", country="PK", defaults={"kind": "company"}
    )[0]


def _listing(p, status="draft"):
    listing = da.do_create_listing(
        actor=p.secretariat,
        organization=p.university,
        dialogue=p.dialogue,
        kind="technology_offer",
        title="Audit offer",
        summary="S",
        themes=["ai"],
    )
    if status in ("in_review", "published"):
        da.do_submit_listing(actor=p.secretariat, listing=listing)
    if status == "published":
        da.do_publish_listing(actor=p.secretariat, listing=listing)
    return listing


def _interest(p, accepted=False):
    interest = da.do_express_interest(
        actor=p.secretariat, listing=_listing(p, "published"), organization=_pk_org(p), message="Interested"
    )
    if accepted:
        da.do_decide_interest(actor=p.secretariat, interest=interest, accept=True)
    return interest


def _slot(p, interest):
    return da.do_add_slot(
        actor=p.secretariat, listing=interest.listing, starts_at=timezone.now() + timedelta(days=2)
    )


def _opportunity(p, alerts=False):
    return make_directory_opportunity(p, "Audit call", "research_call", themes=["ai"], send_alerts=alerts)


def _expire(p):
    _listing(p, "published")
    return da.do_expire_listings(now=timezone.now() + timedelta(days=400))


def _alerts(p):
    da.do_save_profile(actor=p.secretariat, organization=p.university, themes=["ai"])
    return da.do_send_alerts(actor=p.secretariat, opportunity=_opportunity(p))


def _digest(p):
    opp = _opportunity(p)
    from concord.knowledge.models import SearchEntry

    SearchEntry.objects.filter(kind="opportunity", object_id=opp.pk).update(
        date=timezone.localdate().replace(day=1)
    )
    period = timezone.localdate().strftime("%Y-%m")
    return ka.do_send_digest(actor=None, user=p.delegate_my, period=period)


def _book(p):
    interest = _interest(p, True)
    return da.do_book_slot(actor=p.secretariat, interest=interest, slot=_slot(p, interest))


def _in_review(p):
    return _listing(p, "in_review")


def _published(p):
    return _listing(p, "published")


ACTIONS = scenarios(
    action(
        da.do_save_profile, "directory.profile.update", "stakeholder", organization=UNIVERSITY, themes=["ai"]
    ),
    action(da.do_merge_organizations, "directory.organization.merge", keep=UNIVERSITY, duplicate=_pk_org),
    action(da.do_create_listing, "directory.listing.create", via=_listing),
    action(da.do_update_listing, "directory.listing.update", listing=_listing, title="New"),
    action(da.do_submit_listing, "directory.listing.submit", via=_in_review),
    action(da.do_publish_listing, "directory.listing.publish", via=_published),
    action(da.do_return_listing, "directory.listing.return", listing=_in_review, note="More detail"),
    action(da.do_renew_listing, "directory.listing.renew", listing=_published),
    action(da.do_expire_listings, "directory.listing.expire", via=_expire),
    action(da.do_delete_listing, "directory.listing.delete", listing=_listing),
    action(da.do_express_interest, "directory.interest.create", via=_interest),
    action(da.do_decide_interest, "directory.interest.accept", via=lambda p: _interest(p, accepted=True)),
    action(da.do_add_slot, "directory.slot.create", via=lambda p: _slot(p, _interest(p))),
    action(da.do_book_slot, "directory.slot.book", via=_book),
    action(da.do_create_opportunity, "directory.opportunity.create", via=_opportunity),
    action(da.do_update_opportunity, "directory.opportunity.update", opportunity=_opportunity, title="New"),
    action(da.do_delete_opportunity, "directory.opportunity.delete", opportunity=_opportunity),
    action(da.do_send_alerts, "directory.alert.send", via=_alerts),
    action(
        da.do_record_feedback,
        "directory.feedback.record",
        "stakeholder",
        organization=UNIVERSITY,
        target="organization",
        target_id=lambda p: _pk_org(p).pk,
        useful=True,
    ),
    action(ka.do_rebuild_index, "knowledge.index.rebuild"),
    action(ka.do_send_digest, "knowledge.digest.send", via=_digest),
)

LISTING = {"kind": "business_offer", "title": "T", "summary": "S", "submit": True}
OPPORTUNITY = {
    "dialogue": "pk-my",
    "kind": "investment",
    "title": "T",
    "summary": "S",
    "deadline": "2030-01-31",
}


def _slot_time(p, listing):
    return {"starts_at": (timezone.now() + timedelta(days=3)).isoformat(), "minutes": 30}


def _interest_with_slot(p):
    interest = _interest(p, True)
    interest.offered_slot = _slot(p, interest)
    return interest


API = scenarios(
    call(
        "PUT /api/directory/organizations/{org_id}/profile",
        "directory.profile.update",
        UNIVERSITY,
        {"themes": ["ai"]},
    ),
    call(
        "POST /api/directory/organizations/{org_id}/feedback",
        "directory.feedback.record",
        UNIVERSITY,
        lambda p, _: {"target": "organization", "target_id": _pk_org(p).pk, "useful": False},
    ),
    call(
        "POST /api/directory/organizations/{org_id}/merge",
        "directory.organization.merge",
        UNIVERSITY,
        lambda p, _: {"duplicate": _pk_org(p).pk},
    ),
    call(
        "POST /api/directory/listings",
        "directory.listing.submit",
        body=lambda p, _: {"organization": p.university.pk, **LISTING},
    ),
    call("PATCH /api/directory/listings/{listing_id}", "directory.listing.update", _listing, {"title": "T2"}),
    call("DELETE /api/directory/listings/{listing_id}", "directory.listing.delete", _listing),
    call("POST /api/directory/listings/{listing_id}/submit", "directory.listing.submit", _listing),
    call(
        "POST /api/directory/listings/{listing_id}/review",
        "directory.listing.publish",
        _in_review,
        {"decision": "publish"},
    ),
    call("POST /api/directory/listings/{listing_id}/renew", "directory.listing.renew", _published),
    call(
        "POST /api/directory/listings/{listing_id}/interests",
        "directory.interest.create",
        _published,
        lambda p, _: {"organization": _pk_org(p).pk, "message": "Hello"},
    ),
    call(
        "POST /api/directory/interests/{interest_id}/decision",
        "directory.interest.decline",
        _interest,
        {"accept": False},
    ),
    call("POST /api/directory/listings/{listing_id}/slots", "directory.slot.create", _published, _slot_time),
    call(
        "POST /api/directory/interests/{interest_id}/book",
        "directory.slot.book",
        _interest_with_slot,
        lambda p, interest: {"slot": interest.offered_slot.pk},
    ),
    call("POST /api/directory/opportunities", "directory.opportunity.create", body=OPPORTUNITY),
    call(
        "DELETE /api/directory/opportunities/{opportunity_id}", "directory.opportunity.delete", _opportunity
    ),
    call("POST /api/search/rebuild", "knowledge.index.rebuild"),
)
