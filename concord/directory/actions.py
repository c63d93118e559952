"""Writes in the ecosystem directory: profiles, merging, offers and requests through review, expressions
of interest and meeting slots, opportunities and their alerts, and recommendation feedback.

Each ``do_<verb>`` checks permission, cleans input and writes in one transaction with an audit entry. The
search index follows the saves by itself (`concord.knowledge.autoindex`): words at once, vectors in the
background, so no request waits for the encoder or holds the write lock while it runs.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import ProtectedError
from django.utils import timezone
from django.utils.translation import gettext as _

from concord.accounts.models import Dialogue, Membership, Organization, Party, Role
from concord.audit.log import record, save_audited, snapshot, upsert_audited
from concord.core import rules as core
from concord.core.checks import check_visibility
from concord.core.models import Visibility
from concord.core.text import clean_text
from concord.knowledge import index
from concord.notices import hooks as notices

from . import rules
from .cleaning import (
    clean_list,
    clean_themes,
    editors_emails,
    mail,
    opportunity_fields,
    posting_fields,
)
from .models import (
    LISTING_VALIDITY,
    Interest,
    InterestStatus,
    Listing,
    ListingKind,
    ListingStatus,
    MeetingSlot,
    Opportunity,
    OrganizationProfile,
    OrgSize,
    RecommendationFeedback,
)

PROFILE_FIELDS = [
    "themes",
    "sectors",
    "capabilities",
    "needs",
    "size",
    "contact_name",
    "contact_email",
    "contacts_public",
]
LISTING_FIELDS = [
    "organization",
    "kind",
    "title",
    "summary",
    "description",
    "themes",
    "status",
    "visibility",
    "party",
    "expires_at",
]
OPPORTUNITY_FIELDS = [
    "kind",
    "title",
    "summary",
    "description",
    "organization",
    "deadline",
    "eligible_countries",
    "themes",
    "amount_min",
    "amount_max",
    "currency",
    "url",
    "visibility",
    "party",
]


# --- profiles --------------------------------------------------------------------------------------------
def do_save_profile(*, actor, organization: Organization, **fields) -> OrganizationProfile:
    if not rules.can_edit_profile(actor, organization):
        raise PermissionDenied(_("You may not edit this organisation's profile."))
    # Nothing is written until every field is valid: a new profile stays unsaved until then.
    profile = OrganizationProfile.objects.filter(organization=organization).first() or OrganizationProfile(
        organization=organization
    )
    before = snapshot(profile, fields=PROFILE_FIELDS) if profile.pk else None
    if "themes" in fields:
        profile.themes = clean_themes(fields["themes"])
    for name in ("sectors", "capabilities", "needs"):
        if name in fields:
            setattr(profile, name, clean_list(fields[name], field=name))
    if "size" in fields:
        if fields["size"] not in ("", *OrgSize.values):
            raise ValidationError({"size": _("Unknown size “%(v)s”.") % {"v": fields["size"]}})
        profile.size = fields["size"]
    if "contact_name" in fields:
        profile.contact_name = clean_text(
            fields["contact_name"] or "", max_length=200, field="contact_name", required=False
        )
    if "contact_email" in fields:
        profile.contact_email = (fields["contact_email"] or "").strip()
    if "contacts_public" in fields:
        profile.contacts_public = bool(fields["contacts_public"])
    profile.full_clean()
    return save_audited(
        profile, actor=actor, action="directory.profile.update", fields=PROFILE_FIELDS, before=before
    )


def do_merge_organizations(*, actor, keep: Organization, duplicate: Organization) -> Organization:
    """Fold ``duplicate`` into ``keep``: members, offers, interests, alerts, opportunities and profile."""
    from concord.accounts.actions import do_delete_organization

    if not rules.can_merge(actor):
        raise PermissionDenied(_("Only the secretariat can merge organisations."))
    if keep.pk == duplicate.pk:
        raise ValidationError(_("Choose two different organisations."))
    with transaction.atomic():
        moved = {
            "memberships": Membership.objects.filter(organization=duplicate).update(organization=keep),
            "listings": Listing.objects.filter(organization=duplicate).update(organization=keep),
            "opportunities": Opportunity.objects.filter(organization=duplicate).update(organization=keep),
        }
        kept_listings = set(Interest.objects.filter(organization=keep).values_list("listing_id", flat=True))
        Interest.objects.filter(organization=duplicate, listing_id__in=kept_listings).delete()
        moved["interests"] = Interest.objects.filter(organization=duplicate).update(organization=keep)
        dup_profile = OrganizationProfile.objects.filter(organization=duplicate).first()
        if dup_profile is not None:
            profile, _c = OrganizationProfile.objects.get_or_create(organization=keep)
            for name in ("themes", "sectors", "capabilities", "needs"):
                merged = list(getattr(profile, name))
                merged += [v for v in getattr(dup_profile, name) if v not in merged]
                setattr(profile, name, merged)
            for name in ("size", "contact_name", "contact_email"):
                if not getattr(profile, name):
                    setattr(profile, name, getattr(dup_profile, name))
            profile.save()
        for name in ("short_name", "website", "description", "description_ms", "description_ur"):
            if not getattr(keep, name) and getattr(duplicate, name):
                setattr(keep, name, getattr(duplicate, name))
        keep.save()
        record(
            actor=actor,
            action="directory.organization.merge",
            obj=keep,
            before={"duplicate": snapshot(duplicate)},
            after={"moved": moved},
        )
        index.remove(duplicate)
        try:
            do_delete_organization(actor=actor, org=duplicate)
        except ProtectedError as exc:
            names = sorted({o._meta.verbose_name for o in exc.protected_objects})
            raise ValidationError(
                _("%(org)s is still referred to by: %(what)s. Move those first.")
                % {"org": duplicate, "what": ", ".join(str(n) for n in names)}
            ) from None
    return keep


# --- listings --------------------------------------------------------------------------------------------
def do_create_listing(
    *,
    actor,
    organization: Organization,
    dialogue: Dialogue,
    kind: str,
    title: str,
    summary: str,
    description: str = "",
    themes=(),
    visibility: str = Visibility.PUBLIC,
    party: Party | None = None,
    is_demo: bool = False,
) -> Listing:
    if kind not in ListingKind.values:
        raise ValidationError({"kind": _("Unknown kind “%(v)s”.") % {"v": kind}})
    check_visibility(visibility, party, dialogue)
    if not rules.can_create_listing(actor, organization, dialogue.pk):
        raise PermissionDenied(_("Only the organisation's own members and the secretariat can post for it."))
    if visibility == Visibility.PARTY and not core.can_create(
        actor, dialogue.pk, visibility, party.pk if party else None
    ):
        raise PermissionDenied(_("You may not post content visible to that party only."))
    listing = Listing(
        dialogue=dialogue,
        organization=organization,
        kind=kind,
        title=clean_text(title, max_length=200, field="title"),
        summary=clean_text(summary, max_length=500, field="summary"),
        description=clean_text(
            description or "", max_length=10000, field="description", multiline=True, required=False
        ),
        themes=clean_themes(list(themes)),
        visibility=visibility,
        party=party,
        created_by=actor,
        is_demo=is_demo,
    )
    listing.full_clean()
    return save_audited(listing, actor=actor, action="directory.listing.create", fields=LISTING_FIELDS)


def do_update_listing(*, actor, listing: Listing, **fields) -> Listing:
    if not rules.can_edit_listing(actor, listing):
        raise PermissionDenied(_("Only a draft can be edited, by its organisation or the secretariat."))
    before = snapshot(listing, fields=LISTING_FIELDS)
    posting_fields(listing, fields, ListingKind.values)
    if "visibility" in fields:
        check_visibility(fields["visibility"], listing.party, listing.dialogue)
        listing.visibility = fields["visibility"]
    listing.full_clean()
    return save_audited(
        listing, actor=actor, action="directory.listing.update", fields=LISTING_FIELDS, before=before
    )


def _transition(actor, listing: Listing, action: str, **changes) -> Listing:
    before = snapshot(listing, fields=LISTING_FIELDS)
    for key, value in changes.items():
        setattr(listing, key, value)
    return save_audited(listing, actor=actor, action=action, fields=LISTING_FIELDS, before=before)


def do_submit_listing(*, actor, listing: Listing) -> Listing:
    if not rules.can_submit_listing(actor, listing):
        raise PermissionDenied(
            _("Only a draft can be sent for review, by its organisation or the secretariat.")
        )
    return _transition(
        actor,
        listing,
        "directory.listing.submit",
        status=ListingStatus.IN_REVIEW,
        submitted_at=timezone.now(),
    )


def do_publish_listing(*, actor, listing: Listing) -> Listing:
    if not rules.can_review_listing(actor, listing):
        raise PermissionDenied(
            _("Only the secretariat publishes offers and requests, once they are in review.")
        )
    now = timezone.now()
    return _transition(
        actor,
        listing,
        "directory.listing.publish",
        status=ListingStatus.PUBLISHED,
        published_at=now,
        expires_at=now + LISTING_VALIDITY,
        reviewed_by=actor,
        review_note="",
    )


def do_return_listing(*, actor, listing: Listing, note: str) -> Listing:
    if not rules.can_review_listing(actor, listing):
        raise PermissionDenied(_("Only the secretariat reviews offers and requests."))
    note = clean_text(note, max_length=2000, field="note", multiline=True)
    return _transition(
        actor,
        listing,
        "directory.listing.return",
        status=ListingStatus.DRAFT,
        review_note=note,
        reviewed_by=actor,
    )


def do_renew_listing(*, actor, listing: Listing) -> Listing:
    if not rules.can_renew_listing(actor, listing):
        raise PermissionDenied(
            _("Only the organisation or the secretariat can renew a published or expired listing.")
        )
    return _transition(
        actor,
        listing,
        "directory.listing.renew",
        status=ListingStatus.PUBLISHED,
        expires_at=timezone.now() + LISTING_VALIDITY,
    )


def do_expire_listings(*, actor=None, now: dt.datetime | None = None) -> int:
    """Expire every published listing past its date (`concord search expire`, daily)."""
    now = now or timezone.now()
    due = list(Listing.objects.filter(status=ListingStatus.PUBLISHED, expires_at__lte=now))
    for listing in due:
        _transition(actor, listing, "directory.listing.expire", status=ListingStatus.EXPIRED)
    return len(due)


def do_delete_listing(*, actor, listing: Listing) -> None:
    if not rules.can_delete_listing(actor, listing):
        raise PermissionDenied(_("You may not delete this listing."))
    _delete_indexed(actor, listing, "directory.listing.delete", LISTING_FIELDS)


def _delete_indexed(actor, obj, action: str, fields: list[str]) -> None:
    """Delete a searchable object with its search entry, audited with what it was, all or nothing."""
    with transaction.atomic():
        record(actor=actor, action=action, obj=obj, before=snapshot(obj, fields=fields))
        index.remove(obj)
        obj.delete()


# --- expressions of interest and slots -------------------------------------------------------------------
def do_express_interest(*, actor, listing: Listing, organization: Organization, message: str) -> Interest:
    if organization.pk not in rules.interest_orgs(actor, listing):
        raise PermissionDenied(
            _("You may express interest only in a published listing, for your own organisation.")
        )
    message = clean_text(message, max_length=4000, field="message", multiline=True)
    if Interest.objects.filter(listing=listing, organization=organization).exists():
        raise ValidationError(
            {"organization": _("%(org)s has already expressed interest in this.") % {"org": organization}}
        )
    interest = Interest(listing=listing, organization=organization, message=message, created_by=actor)
    with transaction.atomic():
        save_audited(
            interest,
            actor=actor,
            action="directory.interest.create",
            after={"listing": listing.pk, "organization": organization.pk, "message": message},
        )
        notices.interest_expressed(interest)
    return interest


def do_decide_interest(*, actor, interest: Interest, accept: bool, reply: str = "") -> Interest:
    if not rules.can_decide_interest(actor, interest):
        raise PermissionDenied(_("Only the listing's organisation answers an expression of interest, once."))
    reply = clean_text(reply or "", max_length=2000, field="reply", multiline=True, required=False)
    interest.status = InterestStatus.ACCEPTED if accept else InterestStatus.DECLINED
    interest.reply, interest.decided_by, interest.decided_at = reply, actor, timezone.now()
    save_audited(
        interest,
        actor=actor,
        action=f"directory.interest.{'accept' if accept else 'decline'}",
        after={"status": interest.status, "reply": reply},
    )
    mail(
        _("Your expression of interest: %(title)s") % {"title": interest.listing.title},
        (_("It was accepted. You can book a meeting slot in Concord.") if accept else _("It was declined."))
        + (f"\n\n{reply}" if reply else ""),
        editors_emails(interest.organization_id),
    )
    return interest


def do_add_slot(
    *,
    actor,
    listing: Listing,
    starts_at: dt.datetime,
    minutes: int = 30,
    place: str = "",
    time_zone: str = "",
) -> MeetingSlot:
    if not rules.can_add_slot(actor, listing):
        raise PermissionDenied(_("Only the listing's organisation offers meeting slots."))
    if timezone.is_naive(starts_at):
        raise ValidationError({"starts_at": _("Give the time with its time zone.")})
    if starts_at <= timezone.now():
        raise ValidationError({"starts_at": _("A meeting slot must be in the future.")})
    if not 10 <= int(minutes) <= 480:
        raise ValidationError({"minutes": _("A meeting lasts between 10 and 480 minutes.")})
    time_zone = time_zone or settings.TIME_ZONE
    try:
        zoneinfo.ZoneInfo(time_zone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        raise ValidationError(
            {"time_zone": _("Unknown time zone “%(value)s”.") % {"value": time_zone}}
        ) from None
    slot = MeetingSlot(
        listing=listing,
        time_zone=time_zone,
        starts_at=starts_at,
        minutes=int(minutes),
        place=clean_text(place or "", max_length=300, field="place", required=False),
    )
    return save_audited(
        slot,
        actor=actor,
        action="directory.slot.create",
        after={
            "listing": listing.pk,
            "starts_at": starts_at.isoformat(),
            "time_zone": time_zone,
            "minutes": slot.minutes,
        },
    )


def do_book_slot(*, actor, interest: Interest, slot: MeetingSlot) -> MeetingSlot:
    if not rules.can_book_slot(actor, interest):
        raise PermissionDenied(_("Only an accepted expression of interest can book a slot, by its sender."))
    with transaction.atomic():
        slot = MeetingSlot.objects.select_for_update().get(pk=slot.pk)
        if slot.listing_id != interest.listing_id:
            raise ValidationError({"slot": _("This slot belongs to another listing.")})
        if slot.booked_by_id is not None:
            raise ValidationError({"slot": _("This slot is already booked.")})
        MeetingSlot.objects.filter(booked_by=interest).update(booked_by=None)  # one slot per interest
        slot.booked_by = interest
        slot.save()
        record(actor=actor, action="directory.slot.book", obj=slot, after={"interest": interest.pk})
        notices.slot_booked(slot, interest)
    return slot


# --- opportunities and alerts ----------------------------------------------------------------------------
def do_create_opportunity(
    *,
    actor,
    dialogue: Dialogue,
    visibility: str = Visibility.PUBLIC,
    party: Party | None = None,
    send_alerts: bool = True,
    **fields,
) -> Opportunity:
    check_visibility(visibility, party, dialogue)
    if not rules.can_create_opportunity(actor, dialogue.pk, visibility, party.pk if party else None):
        raise PermissionDenied(_("Only the secretariat, delegates and analysts post opportunities."))
    opportunity = Opportunity(dialogue=dialogue, visibility=visibility, party=party, created_by=actor)
    fields.setdefault("title", "")
    fields.setdefault("summary", "")
    fields.setdefault("kind", "")
    opportunity_fields(opportunity, fields)
    opportunity.full_clean()
    save_audited(opportunity, actor=actor, action="directory.opportunity.create", fields=OPPORTUNITY_FIELDS)
    if send_alerts:
        from .tasks import start_alerts

        start_alerts(actor=actor, opportunity=opportunity)
    return opportunity


def do_update_opportunity(*, actor, opportunity: Opportunity, **fields) -> Opportunity:
    if not rules.can_edit_opportunity(actor, opportunity):
        raise PermissionDenied(_("You may not edit this opportunity."))
    before = snapshot(opportunity, fields=OPPORTUNITY_FIELDS)
    opportunity_fields(opportunity, fields)
    opportunity.full_clean()
    return save_audited(
        opportunity,
        actor=actor,
        action="directory.opportunity.update",
        fields=OPPORTUNITY_FIELDS,
        before=before,
    )


def do_delete_opportunity(*, actor, opportunity: Opportunity) -> None:
    if not rules.can_delete_opportunity(actor, opportunity):
        raise PermissionDenied(_("You may not delete this opportunity."))
    _delete_indexed(actor, opportunity, "directory.opportunity.delete", OPPORTUNITY_FIELDS)


def do_send_alerts(*, actor, opportunity: Opportunity, progress=None) -> int:
    """Alert each organisation whose profile fits ``opportunity`` and whose members may see it."""
    from .models import Alert
    from .recommend import opportunity_fits

    fits = opportunity_fits(opportunity)
    sent = 0
    for i, (org, score, reasons) in enumerate(fits, start=1):
        if Alert.objects.filter(opportunity=opportunity, organization=org).exists():
            continue
        members = [
            m.user
            for m in Membership.objects.active()
            .filter(role=Role.STAKEHOLDER, organization=org)
            .select_related("user")
        ]
        emails = sorted({u.email for u in members if u.is_active and core.can_view(u, opportunity)})
        with transaction.atomic():
            alert = Alert.objects.create(
                opportunity=opportunity, organization=org, score=score, reasons=reasons
            )
            alert.emailed = mail(
                _("New opportunity for %(org)s: %(title)s") % {"org": org, "title": opportunity.title},
                _("%(title)s\n\n%(summary)s\n\nDeadline: %(deadline)s")
                % {
                    "title": opportunity.title,
                    "summary": opportunity.summary,
                    "deadline": opportunity.deadline or "—",
                },
                emails,
            ) and len(emails)
            alert.save(update_fields=["emailed"])
            record(
                actor=actor,
                action="directory.alert.send",
                obj=alert,
                after={"organization": org.pk, "score": score, "emails": len(emails)},
            )
        sent += 1
        if progress:
            progress(i, len(fits))
    return sent


# --- feedback --------------------------------------------------------------------------------------------
def do_record_feedback(
    *, actor, organization: Organization, target: str, target_id: int, useful: bool
) -> RecommendationFeedback:
    if not rules.can_see_recommendations(actor, organization):
        raise PermissionDenied(
            _("Only the organisation's members and the secretariat rate its recommendations.")
        )
    if target == "organization":
        target_org = Organization.objects.filter(pk=target_id).first()
    elif target == "listing":
        listing = Listing.objects.filter(pk=target_id).first()
        target_org = (
            listing.organization if listing is not None and rules.can_view_listing(actor, listing) else None
        )
    else:
        raise ValidationError({"target": _("Unknown kind of recommendation “%(v)s”.") % {"v": target}})
    if target_org is None:
        raise ValidationError({"target_id": _("No such recommendation.")})
    return upsert_audited(
        RecommendationFeedback,
        {"organization": organization, "target": target, "target_id": target_id},
        {"useful": bool(useful), "user": actor, "target_org": target_org, "created_at": timezone.now()},
        actor=actor,
        action="directory.feedback.record",
        after={
            "organization": organization.pk,
            "target": target,
            "target_id": target_id,
            "useful": bool(useful),
        },
    )
