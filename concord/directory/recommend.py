"""From the database to the partner engine (`concord.engine.partners`) and back: recommendations with
translated explanations, opportunity fits for alerts, and duplicate organisations.

`concord.engine.match` (the talent engineer's scoring helpers) did not exist when this was written, so
the scoring lives in `concord.engine.partners`.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from urllib.parse import urlparse

from django.utils.translation import gettext as _

from concord.accounts.models import Organization
from concord.engine import partners as engine

from .models import Listing, ListingStatus, Opportunity, OrganizationProfile, RecommendationFeedback


def org_features(org: Organization, profile: OrganizationProfile | None) -> engine.OrgFeatures:
    return engine.OrgFeatures(
        id=org.pk,
        country=org.country,
        kind=org.kind,
        name=org.name,
        themes=frozenset(profile.themes if profile else ()),
        capabilities=tuple(profile.capabilities if profile else ()),
        needs=tuple(profile.needs if profile else ()),
        description=org.description,
    )


def all_org_features() -> dict[int, engine.OrgFeatures]:
    profiles = {p.organization_id: p for p in OrganizationProfile.objects.all()}
    return {o.pk: org_features(o, profiles.get(o.pk)) for o in Organization.objects.all()}


def listing_features(listing: Listing) -> engine.ListingFeatures:
    return engine.ListingFeatures(
        id=listing.pk,
        org_id=listing.organization_id,
        kind=listing.kind,
        title=listing.title,
        text=f"{listing.summary} {listing.description}",
        themes=frozenset(listing.themes),
    )


@dataclass
class Shown:
    """A recommendation ready for a page or the API."""

    target: str
    target_id: int
    score: float
    title: str
    url: str
    subtitle: str
    reasons: list[str]
    feedback: bool | None
    obj: object


def _theme_labels() -> dict[str, str]:
    from concord.library.models import Theme

    return {t.slug: t.label() for t in Theme.objects.all()}


def explain(reason: engine.Reason, themes: dict[str, str]) -> str:
    d = reason.detail
    if reason.code == "shared_themes":
        return _("Shared themes: %(themes)s.") % {"themes": ", ".join(themes.get(t, t) for t in d["themes"])}
    if reason.code == "capability_meets_need":
        return _("Their capability “%(capability)s” meets your need “%(need)s”.") % d
    if reason.code == "need_met_by_you":
        return _("Your capability “%(capability)s” meets their need “%(need)s”.") % d
    if reason.code == "listing_meets_need":
        return _("This offer answers your need “%(need)s”.") % d
    if reason.code == "you_can_answer":
        return _("Your capability “%(capability)s” can answer this request.") % d
    if reason.code == "matches_your_listing":
        return _("It answers your own listing “%(title)s”.") % d
    if reason.code == "counterpart":
        return _(
            "A counterpart across the border: the same kind of organisation, or one that works with yours."
        )
    if reason.code == "similar_work":
        return _("Their description, capabilities and needs are close to yours.")
    if reason.code == "matches_profile":
        return _("It matches “%(phrase)s” in your profile.") % d
    return reason.code


def recommendations_for(user, org: Organization, *, limit: int = 10) -> list[Shown]:
    """The partners and listings that fit ``org`` best, limited to the listings ``user`` may see."""
    from . import rules

    features = all_org_features()
    if org.pk not in features:
        return []
    listings = {
        li.pk: li
        for li in rules.visible_listings(user, Listing.objects.published().select_related("organization"))
    }
    own = Listing.objects.filter(organization=org).exclude(status=ListingStatus.DRAFT)
    rows = RecommendationFeedback.objects.filter(organization=org)
    items = {(f.target, int(f.target_id)): (1 if f.useful else -1) for f in rows}
    disliked: dict[int, int] = {}
    for f in rows:
        if not f.useful and f.target_org_id:
            disliked[f.target_org_id] = disliked.get(f.target_org_id, 0) + 1
    recs = engine.recommend(
        features[org.pk],
        features.values(),
        [listing_features(li) for li in [*listings.values(), *own]],
        feedback=engine.Feedback(items, disliked),
        limit=limit,
    )
    themes = _theme_labels()
    orgs = Organization.objects.in_bulk([r.target_id for r in recs if r.target == "organization"])
    shown = []
    for r in recs:
        said = items.get((r.target, r.target_id))
        if r.target == "organization":
            o = orgs[r.target_id]
            title, url, sub = (
                o.name,
                f"/directory/organisations/{o.pk}/",
                f"{o.get_kind_display()} · {o.country}",
            )
            obj = o
        else:
            li = listings[r.target_id]
            title, url, sub = (
                li.title,
                li.get_absolute_url(),
                f"{li.get_kind_display()} · {li.organization.name}",
            )
            obj = li
        shown.append(
            Shown(
                r.target,
                r.target_id,
                r.score,
                title,
                url,
                sub,
                [explain(x, themes) for x in r.reasons],
                None if said is None else said > 0,
                obj,
            )
        )
    return shown


def opportunity_fits(
    opportunity: Opportunity, *, min_score: float = 0.15
) -> list[tuple[Organization, float, list[str]]]:
    """Organisations whose profile fits ``opportunity``, best first, with their reasons (for alerts)."""
    themes = _theme_labels()
    out = []
    profiles = {p.organization_id: p for p in OrganizationProfile.objects.all()}
    for org in Organization.objects.filter(pk__in=list(profiles)):
        score, reasons = engine.fit_opportunity(
            org_features(org, profiles[org.pk]),
            themes=opportunity.themes,
            countries=opportunity.eligible_countries,
            text=f"{opportunity.title}. {opportunity.summary} {opportunity.description}",
        )
        if score >= min_score:
            out.append((org, round(score, 4), [explain(r, themes) for r in reasons]))
    out.sort(key=lambda t: (-t[1], t[0].pk))
    return out


# --- duplicates ------------------------------------------------------------------------------------------
_NOISE = re.compile(r"\b(the|of|and|for|dan|bagi|sdn|bhd|ltd|limited|pvt|private)\b")


def _name_key(name: str) -> str:
    return " ".join(_NOISE.sub(" ", re.sub(r"[^\w\s]", " ", name.casefold())).split())


def _host(url: str) -> str:
    host = urlparse(url).hostname or ""
    return host.removeprefix("www.")


@dataclass
class DuplicatePair:
    first: Organization
    second: Organization
    similarity: float
    reason: str


def find_duplicates(*, threshold: float = 0.88) -> list[DuplicatePair]:
    """Pairs of organisations in one country that look like the same one: close names, the same short
    name, or the same website host."""
    orgs = list(Organization.objects.order_by("country", "name", "pk"))
    pairs = []
    for i, a in enumerate(orgs):
        for b in orgs[i + 1 :]:
            if b.country != a.country:
                break
            ka, kb = _name_key(a.name), _name_key(b.name)
            ratio = difflib.SequenceMatcher(None, ka, kb).ratio()
            if ratio >= threshold:
                pairs.append(DuplicatePair(a, b, round(ratio, 2), _("similar names")))
            elif a.website and b.website and _host(a.website) == _host(b.website):
                pairs.append(DuplicatePair(a, b, 1.0, _("same website")))
            elif a.short_name and a.short_name.casefold() == b.short_name.casefold():
                pairs.append(DuplicatePair(a, b, 0.9, _("same short name")))
    return pairs
