"""Cleaning and checking input for the directory's actions (no writes here)."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.utils.translation import gettext as _

from concord.accounts.models import Membership, Role
from concord.core.text import clean_text

from .models import EcosystemOpportunityKind, Listing, Opportunity


def clean_list(values, *, field: str, max_items: int = 20, max_length: int = 200) -> list[str]:
    """A list of short phrases: each cleaned, empty ones dropped, duplicates removed, order kept."""
    if isinstance(values, str):
        values = [v for v in re.split(r"[\n;]", values)]
    if not isinstance(values, list | tuple):
        raise ValidationError({field: _("Expected a list of phrases.")})
    out: list[str] = []
    for v in values:
        v = clean_text(v, max_length=max_length, field=field, required=False)
        if v and v not in out:
            out.append(v)
    if len(out) > max_items:
        raise ValidationError({field: _("At most %(n)d entries, please.") % {"n": max_items}})
    return out


def clean_themes(values, *, field: str = "themes") -> list[str]:
    from concord.library.models import Theme

    slugs = clean_list(values, field=field, max_items=15, max_length=80)
    known = set(Theme.objects.filter(slug__in=slugs).values_list("slug", flat=True))
    unknown = [s for s in slugs if s not in known]
    if unknown:
        raise ValidationError({field: _("Unknown theme: %(names)s.") % {"names": ", ".join(unknown)}})
    return slugs


def clean_countries(values) -> list[str]:
    codes = [c.upper() for c in clean_list(values, field="eligible_countries", max_items=50, max_length=2)]
    bad = [c for c in codes if not re.fullmatch(r"[A-Z]{2}", c)]
    if bad:
        raise ValidationError(
            {"eligible_countries": _("Use two-letter country codes, not %(v)s.") % {"v": ", ".join(bad)}}
        )
    return codes


def editors_emails(org_id: int) -> list[str]:
    return sorted(
        set(
            Membership.objects.active()
            .filter(role=Role.STAKEHOLDER, organization_id=org_id, user__is_active=True)
            .values_list("user__email", flat=True)
        )
    )


def mail(subject: str, body: str, to: list[str]) -> int:
    if not to:
        return 0
    return send_mail(subject, body, None, to, fail_silently=True)


def posting_fields(posting: Listing | Opportunity, fields: dict, kinds: list[str]) -> None:
    """Set the kind (one of ``kinds``), title, summary, description and themes an offer, a request or an
    opportunity was given, cleaned."""
    if "kind" in fields:
        if fields["kind"] not in kinds:
            raise ValidationError({"kind": _("Unknown kind “%(v)s”.") % {"v": fields["kind"]}})
        posting.kind = fields["kind"]
    if "title" in fields:
        posting.title = clean_text(fields["title"], max_length=200, field="title")
    if "summary" in fields:
        posting.summary = clean_text(fields["summary"], max_length=500, field="summary")
    if "description" in fields:
        posting.description = clean_text(
            fields["description"] or "", max_length=10000, field="description", multiline=True, required=False
        )
    if "themes" in fields:
        posting.themes = clean_themes(fields["themes"])


def opportunity_fields(opportunity: Opportunity, fields: dict) -> None:
    posting_fields(opportunity, fields, EcosystemOpportunityKind.values)
    if "eligible_countries" in fields:
        opportunity.eligible_countries = clean_countries(fields["eligible_countries"])
    for name in ("deadline", "amount_min", "amount_max", "organization", "url", "is_demo"):
        if name in fields:
            setattr(opportunity, name, fields[name] if fields[name] is not None or name != "url" else "")
    if "currency" in fields:
        currency = (fields["currency"] or "").upper()
        if currency and not re.fullmatch(r"[A-Z]{3}", currency):
            raise ValidationError({"currency": _("Use a three-letter currency code such as MYR or PKR.")})
        opportunity.currency = currency
    lo, hi = opportunity.amount_min, opportunity.amount_max
    if (lo is not None and lo < 0) or (hi is not None and hi < 0):
        raise ValidationError({"amount_min": _("Amounts cannot be negative.")})
    if lo is not None and hi is not None and lo > hi:
        raise ValidationError({"amount_max": _("The upper amount is below the lower one.")})
    if (lo is not None or hi is not None) and not opportunity.currency:
        raise ValidationError({"currency": _("Say which currency the amounts are in.")})
