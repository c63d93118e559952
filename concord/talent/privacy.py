"""What Concord holds about a person, exported for them (their right of access); reads only."""

from __future__ import annotations

from django.utils.translation import gettext as _

from .models import Profile


def export_profile(profile: Profile) -> dict:
    """Everything Concord holds about the person, as JSON (the person's right of access)."""
    return {
        "profile": {
            "headline": profile.headline,
            "summary": profile.summary,
            "country": profile.country,
            "languages": profile.languages,
            "level": profile.level,
            "interests": profile.interests,
            "availability": profile.availability,
            "declared_groups": profile.declared_groups,
            "consent_matching": profile.consent_matching,
            "consent_matching_at": profile.consent_matching_at.isoformat()
            if profile.consent_matching_at
            else None,
            "consent_sharing": profile.consent_sharing,
            "consent_sharing_at": profile.consent_sharing_at.isoformat()
            if profile.consent_sharing_at
            else None,
            "created_at": profile.created_at.isoformat(),
            "updated_at": profile.updated_at.isoformat(),
        },
        "skills": [
            {
                "skill": ps.skill.label,
                "uri": ps.skill.uri,
                "level": ps.level,
                "status": ps.status,
                "evidence": ps.evidence,
            }
            for ps in profile.skills.select_related("skill")
        ],
        "applications": [
            {"opportunity": a.opportunity.title, "preference": a.rank, "applied_at": a.created_at.isoformat()}
            for a in profile.applications.select_related("opportunity")
        ],
        "placements": [
            {
                "round": p.round.title,
                "opportunity": p.opportunity.title if p.opportunity else None,
                "explanation": p.explanation,
            }
            for p in profile.placements.select_related("round", "opportunity")
        ],
        "retention": str(_("Kept until you delete it, and deleted after two years without an update.")),
    }
