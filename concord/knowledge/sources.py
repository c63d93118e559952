"""The built-in search sources: library documents and provisions, organisations, offers and requests,
opportunities, and (when those apps are installed) comparisons, meetings, agenda items, commitments and
consenting talent profiles.

Apps that know their models better may register their own `Source` under the same ``kind`` after this
runs (the last registration wins).
"""

from __future__ import annotations

import datetime as dt
import logging

from django.apps import apps
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from concord.core import rules as core

from .registry import (
    RESTRICTED,
    Access,
    Source,
    content_access,
    day,
    join,
    public_access,
    register,
    register_dependent,
    theme_slugs,
    trend_source,
)

log = logging.getLogger(__name__)


# --- library ---------------------------------------------------------------------------------------------
def _document_body(doc) -> str:
    from concord.library.models import DocumentVersion

    # Only the text's head is indexed: cut by the database, so a 50 MB text never reaches this process.
    text = DocumentVersion.objects.text_head(doc.current_version_id, 6000) if doc.current_version_id else ""
    return join(doc.short_title, doc.issuer, text)


def _document_date(doc) -> dt.date | None:
    if doc.issued_on:
        return doc.issued_on
    return dt.date(doc.year, 1, 1) if doc.year else day(doc.created_at)


def _documents():
    from concord.library.models import PolicyDocument

    return (
        PolicyDocument.objects.select_related("party", "current_version")
        .defer("current_version__extracted_text")
        .prefetch_related("themes")
    )


def _provisions():
    from django.db.models import F

    from concord.library.models import Provision

    return (
        Provision.objects.filter(version__document__current_version=F("version"))
        .select_related("version__document__party")
        .defer("version__extracted_text", "embedding")
        .prefetch_related("themes")
    )


def _provision_access(p) -> Access | None:
    doc = p.version.document
    if not (p.text or p.heading):
        return None
    return Access(doc.dialogue_id, doc.visibility, doc.party_id)


# --- directory -------------------------------------------------------------------------------------------
def _org_profile(org):
    try:
        return org.profile
    except Exception:  # noqa: BLE001 - RelatedObjectDoesNotExist: an organisation without a profile yet
        return None


def _org_body(org) -> str:
    profile = _org_profile(org)
    parts = [org.short_name, org.description, org.description_ms, org.description_ur, org.get_kind_display()]
    if profile is not None:
        parts += [*profile.capabilities, *profile.needs, *profile.sectors]
    return join(*parts)


def _org_themes(org) -> list[str]:
    profile = _org_profile(org)
    return list(profile.themes) if profile is not None else []


def _organizations():
    from concord.accounts.models import Organization

    return Organization.objects.select_related("profile")


def _listing_access(listing) -> Access | None:
    from concord.directory.models import ListingStatus

    if listing.status != ListingStatus.PUBLISHED:
        return None
    return content_access(listing)


def _listing_visible_q(user) -> Q:
    from concord.directory.models import ListingStatus

    return Q(status=ListingStatus.PUBLISHED) & core.visible_q(user)


def _listings():
    from concord.directory.models import Listing

    return Listing.objects.select_related("organization", "party")


def _opportunities():
    from concord.directory.models import Opportunity

    return Opportunity.objects.select_related("organization", "party")


def _library_visible_q(user, prefix: str = "") -> Q:
    from concord.library import rules as library_rules

    return library_rules.visible_q(user, prefix)


def register_builtin() -> None:
    """The library's and the directory's kinds, then those of the other installed apps."""
    _register_library()
    _register_directory()
    _register_other_apps()


def _register_library() -> None:
    register(
        trend_source(
            "document",
            _("Document"),
            "library.PolicyDocument",
            body=_document_body,
            visible_q=lambda user: _library_visible_q(user),  # failed uploads only for their uploader
            themes=theme_slugs,
            date=_document_date,
            party_code=lambda d: d.country_code,
            language=lambda d: d.language,
            queryset=_documents,
        )
    )
    register(
        Source(
            kind="provision",
            label=_("Provision"),
            model="library.Provision",
            title=lambda p: f"{p.version.document.short_title or p.version.document.title} — {p}",
            body=lambda p: p.text,
            access=_provision_access,
            visible_q=lambda user: core.visible_q(user, "version__document__"),
            themes=theme_slugs,
            date=lambda p: _document_date(p.version.document),
            party_code=lambda p: p.version.document.country_code,
            language=lambda p: p.language,
            queryset=_provisions,
        )
    )


def _register_directory() -> None:
    register(
        Source(
            kind="organization",
            label=_("Organisation"),
            model="accounts.Organization",
            title=lambda o: o.name,
            body=_org_body,
            access=public_access,
            visible_q=lambda user: Q(),
            url=lambda o: f"/directory/organisations/{o.pk}/",
            themes=_org_themes,
            party_code=lambda o: o.country,
            queryset=_organizations,
        )
    )
    register(
        trend_source(
            "listing",
            _("Offer or request"),
            "directory.Listing",
            body=lambda li: join(li.get_kind_display(), li.organization.name, li.summary, li.description),
            access=_listing_access,
            visible_q=_listing_visible_q,
            themes=lambda li: list(li.themes),
            date=lambda li: day(li.published_at or li.created_at),
            party_code=lambda li: li.organization.country,
            queryset=_listings,
        )
    )
    register(
        trend_source(
            "opportunity",
            _("Opportunity"),
            "directory.Opportunity",
            body=lambda o: join(
                o.get_kind_display(),
                o.organization.name if o.organization_id else "",
                o.summary,
                o.description,
            ),
            visible_q=lambda user: core.visible_q(user),
            themes=lambda o: list(o.themes),
            date=lambda o: day(o.created_at),
            party_code=lambda o: (
                o.party.code if o.party_id else (o.organization.country if o.organization_id else "")
            ),
            queryset=_opportunities,
        )
    )
    # An organisation's entry holds its profile; listings and opportunities hold its name.
    register_dependent("directory.OrganizationProfile", lambda p: [("organization", p.organization_id)])
    register_dependent("accounts.Organization", _organization_dependents)


def _organization_dependents(org) -> list[tuple[str, int]]:
    from concord.directory.models import Listing, Opportunity

    return [
        ("listing", pk) for pk in Listing.objects.filter(organization=org).values_list("pk", flat=True)
    ] + [
        ("opportunity", pk)
        for pk in Opportunity.objects.filter(organization=org).values_list("pk", flat=True)
    ]


# --- other apps, when installed --------------------------------------------------------------------------
OTHER_APPS = [
    # (kind, label, model, in trends); the secretariat's and talent's own sources are in sources_more
    ("comparison", _("Comparison"), "harmonize.Comparison", False),
]
CONSENT_FIELDS = ("search_consent", "consent_search", "searchable", "is_searchable", "listed", "is_public")
TEXT_FIELDS = ("description", "summary", "text", "body", "purpose", "outcome", "headline", "bio")


def _generic_source(kind: str, label, model_label: str, in_trends: bool) -> Source | None:
    try:
        model = apps.get_model(model_label)
    except (LookupError, ValueError):
        return None
    names = {f.name for f in model._meta.get_fields()}
    consent = next((c for c in CONSENT_FIELDS if c in names), None)
    if kind == "profile" and consent is None:
        return None  # profiles are searchable only with their owner's consent
    has_visibility = {"visibility", "dialogue", "party"} <= names

    def access(obj) -> Access | None:
        if consent and not getattr(obj, consent):
            return None
        return (
            content_access(obj)
            if has_visibility
            else Access(None, "dialogue" if "dialogue" in names else "public", None)
        )

    def visible_q(user) -> Q:
        q = core.visible_q(user) if has_visibility else Q()
        return q & Q(**{consent: True}) if consent else q

    def body(obj) -> str:
        return " ".join(str(getattr(obj, f) or "") for f in TEXT_FIELDS if f in names)

    def date(obj):
        for f in ("starts_at", "date", "due", "deadline", "created_at"):
            if f in names and getattr(obj, f, None):
                return day(getattr(obj, f))
        return None

    def url(obj) -> str:
        try:
            return obj.get_absolute_url()
        except Exception:  # noqa: BLE001 - a model without an address is still searchable
            return ""

    if not has_visibility and "dialogue" in names:
        return None  # access unknown: leave it to the app to register itself
    return Source(
        kind=kind,
        label=label,
        model=model_label,
        title=lambda o: str(o),
        body=body,
        access=access,
        visible_q=visible_q,
        url=url,
        date=date,
        party_code=lambda o: o.party.code if getattr(o, "party_id", None) else "",
        in_trends=in_trends,
    )


def _talent_profile_source() -> Source | None:
    """Professionals' profiles, only while their owner consents to sharing; who sees one is the talent
    app's rule (the owner, and managers of opportunities the person applied to)."""
    try:
        apps.get_model("talent.Profile")
        from concord.talent import rules as talent_rules
    except (LookupError, ImportError):
        return None
    if not hasattr(talent_rules, "can_view_profile"):
        return None

    def check_ids(user, ids: list[int]) -> set[int]:
        from concord.talent.models import Profile

        profiles = Profile.objects.filter(pk__in=ids, consent_sharing=True)
        return {p.pk for p in profiles if talent_rules.can_view_profile(user, p)}

    return Source(
        kind="profile",
        label=_("Profile"),
        model="talent.Profile",
        title=lambda p: str(p),
        body=lambda p: join(p.headline, p.summary, p.interests),
        access=lambda p: Access(None, RESTRICTED) if p.consent_sharing else None,
        visible_q=lambda user: Q(pk__in=[]),
        party_code=lambda p: p.country,
        check_ids=check_ids,
    )


def _register_other_apps() -> None:
    if apps.is_installed("concord.talent"):
        source = _talent_profile_source()
        if source is not None:
            register(source)
    from .sources_more import register_more

    register_more()
    for kind, label, model_label, in_trends in OTHER_APPS:
        if not apps.is_installed(f"concord.{model_label.split('.')[0]}"):
            continue
        source = _generic_source(kind, label, model_label, in_trends)
        if source is not None:
            register(source)
        else:
            log.info("search: %s is installed but not indexed (no safe default); register it", model_label)
