"""The ecosystem part of the demo: profiles of the real organisations (themes, capabilities and needs from
``concord/demo/organisations.json``, in our own words), generic offers, requests and opportunities each
labelled "Demo example", two demo stakeholder accounts, and the search index. Safe to run again."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TextIO

DATA = Path(__file__).resolve().parent / "data" / "demo.json"
# organisations.json uses short theme names; the taxonomy's identifiers are these.
THEME_ALIASES = {"digital-skills": "digital-skills-talent", "connectivity": "connectivity-infrastructure"}
# (email local part, full name, organisation short name): demo accounts, not real people.
DEMO_STAKEHOLDERS = [
    ("hub.my", "Demo Stakeholder (MRANTI)", "MRANTI"),
    ("university.pk", "Demo Stakeholder (NUST)", "NUST"),
]


def _org(short_or_name: str):
    from django.db.models import Q

    from concord.accounts.models import Organization

    return (
        Organization.objects.filter(Q(short_name=short_or_name) | Q(name=short_or_name))
        .order_by("pk")
        .first()
    )


def load_ecosystem(out: TextIO) -> None:
    """The secretariat officer profiles the organisations, seats the demo stakeholders and publishes the
    demo offers, requests and opportunities; then the search index is rebuilt."""
    from concord.accounts.models import Dialogue, User
    from concord.demo.load import DEMO_DOMAIN
    from concord.knowledge.tasks import start_rebuild
    from concord.library.models import Theme

    from .models import Listing, ListingStatus

    dialogue = Dialogue.objects.order_by("pk").first()
    if dialogue is None:
        return
    known_themes = set(Theme.objects.values_list("slug", flat=True))
    secretariat = User.objects.filter(email=f"secretariat@{DEMO_DOMAIN}").first()
    profiles = _load_profiles(secretariat, known_themes=known_themes)
    out.write(f"  ecosystem: {profiles} profiles added\n")
    _load_stakeholders(dialogue, secretariat=secretariat, out=out)
    data = json.loads(DATA.read_text(encoding="utf-8"))
    added = _load_listings(
        data["listings"], dialogue=dialogue, secretariat=secretariat, known_themes=known_themes
    )
    added += _load_opportunities(
        data["opportunities"], dialogue=dialogue, secretariat=secretariat, known_themes=known_themes
    )
    published = Listing.objects.filter(status=ListingStatus.PUBLISHED).count()
    out.write(f"  ecosystem: {added} demo examples added ({published} published offers and requests)\n")
    # Embedding every provision takes a while with the real encoder: the worker does it.
    job = start_rebuild(actor=None, reuse_pending=True)
    out.write(f"  search index: rebuild {job.get_status_display().lower()} (job {job.pk})\n")


def _load_profiles(secretariat, *, known_themes: set[str]) -> int:
    """A profile for each organisation of ``organisations.json`` that has none; how many were added."""
    from concord.accounts.models import Organization
    from concord.demo.load import DEMO_DIR

    from . import actions
    from .models import OrganizationProfile

    profiles = 0
    for o in json.loads((DEMO_DIR / "organisations.json").read_text(encoding="utf-8")):
        org = Organization.objects.filter(name=o["name"], country=o["country"]).first()
        if org is None or OrganizationProfile.objects.filter(organization=org).exists():
            continue
        themes = [THEME_ALIASES.get(t, t) for t in o.get("themes", [])]
        actions.do_save_profile(
            actor=secretariat,
            organization=org,
            themes=[t for t in themes if t in known_themes],
            capabilities=o.get("capabilities", []),
            needs=o.get("needs", []),
        )
        profiles += 1
    return profiles


def _load_stakeholders(dialogue, *, secretariat, out: TextIO) -> None:
    """The demo stakeholder accounts, seated in the dialogue for their organisation."""
    from concord.accounts import actions as account_actions
    from concord.accounts.models import Membership, User
    from concord.demo.load import DEMO_DOMAIN, DEMO_PASSWORD

    for local, name, org_key in DEMO_STAKEHOLDERS:
        org = _org(org_key)
        if org is None:
            continue
        email = f"{local}@{DEMO_DOMAIN}"
        user = User.objects.filter(email=email).first() or account_actions.do_create_user(
            actor=secretariat, email=email, full_name=name, password=DEMO_PASSWORD
        )
        if not Membership.objects.filter(user=user, dialogue=dialogue, role="stakeholder").exists():
            account_actions.do_add_membership(
                actor=secretariat,
                user=user,
                dialogue=dialogue,
                role="stakeholder",
                organization=org,
                position="Partnerships office",
            )
        out.write(f"  ecosystem: demo login {email} / {DEMO_PASSWORD} ({org.name})\n")


def _posting(item: dict, known_themes: set[str]) -> dict:
    """What a demo offer, request or opportunity says of itself, with only the themes the taxonomy knows."""
    return {
        "kind": item["kind"],
        "title": item["title"],
        "summary": item["summary"],
        "description": item["description"],
        "themes": [t for t in item["themes"] if t in known_themes],
    }


def _load_listings(items: list[dict], *, dialogue, secretariat, known_themes: set[str]) -> int:
    """The demo offers and requests, created, submitted and published; how many were added."""
    from . import actions
    from .models import Listing

    added = 0
    for item in items:
        org = _org(item["org"])
        if org is None or Listing.objects.filter(title=item["title"]).exists():
            continue
        listing = actions.do_create_listing(
            actor=secretariat,
            organization=org,
            dialogue=dialogue,
            **_posting(item, known_themes),
            is_demo=True,
        )
        actions.do_submit_listing(actor=secretariat, listing=listing)
        actions.do_publish_listing(actor=secretariat, listing=listing)
        added += 1
    return added


def _load_opportunities(items: list[dict], *, dialogue, secretariat, known_themes: set[str]) -> int:
    """The demo investment and research opportunities; how many were added."""
    from . import actions
    from .models import Opportunity

    added = 0
    for item in items:
        if Opportunity.objects.filter(title=item["title"]).exists():
            continue
        actions.do_create_opportunity(
            actor=secretariat,
            dialogue=dialogue,
            **_posting(item, known_themes),
            eligible_countries=item["countries"],
            is_demo=True,
        )
        added += 1
    return added
