"""Writes of talent mobility. Views, the API, the CLI and tasks call these, never the ORM.

Audit entries about profiles carry no personal data (only ids and consent flags), so deleting a profile
removes the person's data everywhere while the append-only audit log stays intact.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from pathlib import Path

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from concord.accounts.models import Dialogue, Organization, Party
from concord.audit.log import record, snapshot, update_audited
from concord.core import actions as core_actions
from concord.core.models import Job, Visibility
from concord.core.text import clean_text
from concord.notices import hooks as notices

from . import esco, matching, rules
from .models import (
    AllocationRound,
    Application,
    Crosswalk,
    CrosswalkStatus,
    Level,
    Occupation,
    OccupationSkill,
    Opportunity,
    OpportunityKind,
    OpportunitySkill,
    OpportunityStatus,
    Placement,
    PlacementResponse,
    Profile,
    ProfileSkill,
    ReserveGroup,
    RoundStatus,
    Skill,
    SkillType,
    SuggestionStatus,
    Taxonomy,
    TaxonomyKind,
    ordered_reserves,
)

log = logging.getLogger(__name__)
LANGUAGES = ("en", "ms", "ur")
PROFILE_AUDIT_FIELDS = ["consent_matching", "consent_matching_at", "consent_sharing", "consent_sharing_at"]
OPPORTUNITY_FIELDS = ["title", "kind", "host_country", "seats", "status", "visibility", "party", "provider"]


def _country(value: str, field: str) -> str:
    value = (value or "").strip().upper()
    if value and not (len(value) == 2 and value.isalpha() and value.isascii()):
        raise ValidationError({field: _("Use a two-letter ISO country code, such as MY or PK.")})
    return value


def _reserve_key(value: str) -> str:
    """A reserve's key: a ReserveGroup value (``women``) or a two-letter country code (``MY``)."""
    key = (value or "").strip()
    if key.lower() in ReserveGroup.values:
        return key.lower()
    if not (len(key) == 2 and key.isalpha() and key.isascii()):
        raise ValidationError(
            {
                "reserves": _(
                    "“%(value)s” is neither a two-letter country code nor a group seats can be reserved "
                    "for (%(groups)s)."
                )
                % {"value": key, "groups": ", ".join(ReserveGroup.values)}
            }
        )
    return key.upper()


def _countries(values, field: str) -> list[str]:
    return sorted({_country(v, field) for v in values if v and v.strip()})


def _languages(values) -> list[str]:
    out = sorted({v.strip().lower() for v in values if v and v.strip()})
    unknown = [v for v in out if v not in LANGUAGES]
    if unknown:
        raise ValidationError(
            {"languages": _("Unknown language “%(value)s”; use en, ms or ur.") % {"value": unknown[0]}}
        )
    return out


# --- taxonomies --------------------------------------------------------------------------------------------


def do_import_esco(*, actor, directory: Path, language: str = "en", slug: str = "esco") -> dict:
    """Import ESCO CSV files (English creates or updates; ms/ur fill translated labels). All or nothing."""
    if not rules.can_import_taxonomy(actor):
        raise PermissionDenied(_("Only the secretariat imports taxonomies."))
    rows = esco.read_esco_dir(Path(directory), language)
    with transaction.atomic():
        taxonomy, _created = Taxonomy.objects.get_or_create(
            slug=slug,
            defaults={"name": "ESCO", "kind": TaxonomyKind.ESCO, "source": str(Path(directory).name)},
        )
        existing = {s.uri: s for s in Skill.objects.filter(taxonomy=taxonomy)}
        if language != "en":
            if language not in ("ms", "ur"):
                raise ValidationError({"language": _("Labels are kept in English, Malay and Urdu only.")})
            changed = []
            for r in [*rows.skills, *rows.groups]:
                skill = existing.get(r["conceptUri"])
                if skill is not None:
                    setattr(skill, f"label_{language}", r["preferredLabel"][:300])
                    changed.append(skill)
            Skill.objects.bulk_update(changed, [f"label_{language}"])
            report = {"language": language, "labels": len(changed)}
        else:
            report = _import_english(taxonomy, rows, existing)
        taxonomy.imported_at = timezone.now()
        taxonomy.save(update_fields=["imported_at"])
        record(actor=actor, action="talent.taxonomy.import", obj=taxonomy, after=report)
    return report


def _import_english(taxonomy: Taxonomy, rows: esco.EscoRows, existing: dict[str, Skill]) -> dict:
    def upsert(r: dict, kind: str) -> Skill:
        skill = existing.get(r["conceptUri"]) or Skill(taxonomy=taxonomy, uri=r["conceptUri"])
        skill.label = r["preferredLabel"][:300]
        skill.alt_labels = esco.split_alt_labels(r.get("altLabels", ""))[:20]
        skill.description = r.get("description", "")[:5000]
        skill.skill_type = kind
        skill.save()
        existing[skill.uri] = skill
        return skill

    for r in rows.groups:
        upsert(r, SkillType.GROUP)
    for r in rows.skills:
        upsert(r, SkillType.KNOWLEDGE if r.get("skillType") == "knowledge" else SkillType.SKILL)
    for r in rows.broader:
        child, parent = existing.get(r["conceptUri"]), existing.get(r["broaderUri"])
        if child is None or parent is None:
            continue  # relations to concepts outside these files (ESCO's other pillars)
        if child.parent_id is None or parent.skill_type != SkillType.GROUP:
            Skill.objects.filter(pk=child.pk).update(parent=parent)
    occupations = {o.uri: o for o in Occupation.objects.filter(taxonomy=taxonomy)}
    for r in rows.occupations:
        occ = occupations.get(r["conceptUri"]) or Occupation(taxonomy=taxonomy, uri=r["conceptUri"])
        occ.label = r["preferredLabel"][:300]
        occ.description = r.get("description", "")[:5000]
        occ.isco_group = r.get("iscoGroup", "")[:10]
        occ.save()
        occupations[occ.uri] = occ
    links = 0
    for r in rows.relations:
        occ, skill = occupations.get(r["occupationUri"]), existing.get(r["skillUri"])
        if occ is None or skill is None:
            raise ValidationError(
                _("A relation names an occupation or skill that is not in the files: %(uri)s")
                % {"uri": r["occupationUri"] if occ is None else r["skillUri"]}
            )
        OccupationSkill.objects.update_or_create(
            occupation=occ, skill=skill, defaults={"relation": r["relationType"]}
        )
        links += 1
    return {
        "language": "en",
        "skills": len(rows.skills),
        "groups": len(rows.groups),
        "occupations": len(rows.occupations),
        "relations": links,
    }


def do_import_framework(*, actor, data: bytes, filename: str, slug: str, name: str, country: str) -> Taxonomy:
    """Import a national framework as a local taxonomy and suggest its crosswalk to ESCO (for review)."""
    if not rules.can_import_taxonomy(actor):
        raise PermissionDenied(_("Only the secretariat imports taxonomies."))
    rows = esco.read_framework(data, filename)
    with transaction.atomic():
        taxonomy = Taxonomy(
            slug=slug,
            name=clean_text(name, max_length=200, field="name"),
            kind=TaxonomyKind.NATIONAL,
            country=_country(country, "country"),
            source=filename[:300],
        )
        taxonomy.full_clean()
        taxonomy.save()
        made: dict[str, Skill] = {}
        for r in rows:
            made[r["code"]] = Skill.objects.create(
                taxonomy=taxonomy,
                uri=r["code"][:300],
                label=r["label"][:300],
                label_ms=r.get("label_ms", "")[:300],
                label_ur=r.get("label_ur", "")[:300],
                description=r.get("description", "")[:5000],
            )
        for r in rows:
            if r.get("parent_code"):
                Skill.objects.filter(pk=made[r["code"]].pk).update(parent=made[r["parent_code"]])
        suggested = _suggest_crosswalk(list(made.values()))
        record(
            actor=actor,
            action="talent.framework.import",
            obj=taxonomy,
            after={"skills": len(made), "crosswalk_suggestions": suggested},
        )
    return taxonomy


def _suggest_crosswalk(local: list[Skill]) -> int:
    esco_skills = list(
        Skill.objects.filter(taxonomy__kind=TaxonomyKind.ESCO).exclude(skill_type=SkillType.GROUP)
    )
    if not esco_skills or not local:
        return 0
    from concord.engine.skills import SkillLinker, TaxonomySkill

    linker = SkillLinker(
        [TaxonomySkill(str(s.pk), s.label, tuple(s.alt_labels)) for s in esco_skills], matching._encoder()
    )
    count = 0
    for skill, found in zip(local, linker.link_many([s.label for s in local], top_k=2)):
        for rank, hit in enumerate(found):
            Crosswalk.objects.get_or_create(
                local_skill=skill,
                esco_skill_id=int(hit.skill_id),
                defaults={
                    "score": round(hit.score, 3),
                    "match": Crosswalk.Match.CLOSE if rank else Crosswalk.Match.EXACT,
                },
            )
            count += 1
    return count


def do_review_crosswalk(*, actor, link: Crosswalk, status: str, match: str | None = None) -> Crosswalk:
    if not rules.can_review_crosswalk(actor):
        raise PermissionDenied(_("Only analysts, delegates and the secretariat review crosswalks."))
    if status not in CrosswalkStatus.values:
        raise ValidationError({"status": _("Unknown review status.")})
    if match is not None and match not in Crosswalk.Match.values:
        raise ValidationError({"match": _("Unknown kind of match.")})
    before = snapshot(link, fields=["status", "match"])
    with transaction.atomic():
        link.status = status
        link.match = match or link.match
        link.reviewed_by = actor
        link.reviewed_at = timezone.now()
        link.save()
        record(
            actor=actor,
            action="talent.crosswalk.review",
            obj=link,
            before=before,
            after=snapshot(link, fields=["status", "match"]),
        )
    return link


# --- profiles ----------------------------------------------------------------------------------------------


def do_save_profile(
    *,
    actor,
    headline: str = "",
    summary: str = "",
    country: str = "",
    languages: list[str] | None = None,
    level: int = Level.INTERMEDIATE,
    interests: str = "",
    availability: str = "",
    consent_matching: bool = False,
    consent_sharing: bool = False,
    declared_groups: list[str] | None = None,
) -> Profile:
    """Create or update the actor's own profile; consent changes are timestamped. ``declared_groups``
    (ReserveGroup values) is kept as it is when None."""
    if actor is None or not actor.is_authenticated:
        raise PermissionDenied(_("Sign in to keep a profile."))
    if level not in Level.values:
        raise ValidationError({"level": _("Unknown level.")})
    unknown = sorted(set(declared_groups or []) - set(ReserveGroup.values))
    if unknown:
        raise ValidationError(
            {"declared_groups": _("Unknown group “%(value)s”.") % {"value": ", ".join(map(str, unknown))}}
        )
    profile = Profile.objects.filter(user=actor).first() or Profile(user=actor)
    before = snapshot(profile, fields=PROFILE_AUDIT_FIELDS) if profile.pk else None
    profile.headline = clean_text(headline, max_length=200, field="headline") if headline.strip() else ""
    profile.summary = (
        clean_text(summary, max_length=5000, field="summary", multiline=True) if summary.strip() else ""
    )
    profile.country = _country(country, "country")
    profile.languages = _languages(languages or [])
    profile.level = level
    profile.interests = clean_text(interests, max_length=500, field="interests", required=False)
    if declared_groups is not None:
        profile.declared_groups = [g for g in ReserveGroup.values if g in declared_groups]
    profile.availability = clean_text(availability, max_length=200, field="availability", required=False)
    now = timezone.now()
    if consent_matching != profile.consent_matching or (consent_matching and not profile.consent_matching_at):
        profile.consent_matching_at = now
    if consent_sharing != profile.consent_sharing or (consent_sharing and not profile.consent_sharing_at):
        profile.consent_sharing_at = now
    profile.consent_matching = consent_matching
    profile.consent_sharing = consent_sharing
    profile.full_clean()
    with transaction.atomic():
        profile.save()
        record(
            actor=actor,
            action="talent.profile.save",
            obj=profile,
            object_repr=f"profile {profile.pk}",
            before=before,
            after=snapshot(profile, fields=PROFILE_AUDIT_FIELDS),
        )
    return profile


# How many suggestions one request keeps, ranked; the profile page shows the best few and the rest on demand.
SUGGESTIONS_KEPT = 30


def do_suggest_profile_skills(
    *, actor, profile: Profile, text: str | None = None, top_k: int = SUGGESTIONS_KEPT
) -> list[ProfileSkill]:
    """Suggest skills from ``text`` (default: the profile's summary); earlier choices are kept."""
    if not rules.can_edit_profile(actor, profile):
        raise PermissionDenied(_("You may only change your own profile."))
    source = profile.summary if text is None else text
    if not source or not source.strip():
        raise ValidationError({"summary": _("Paste some text about your work first: the summary is empty.")})
    found = matching.suggest_skills(
        clean_text(source, max_length=5000, field="summary", multiline=True), top_k
    )
    known = set(profile.skills.values_list("skill_id", flat=True))
    made = []
    with transaction.atomic():
        for hit in found:
            if int(hit.skill_id) in known:
                continue
            made.append(
                ProfileSkill.objects.create(
                    profile=profile,
                    skill_id=int(hit.skill_id),
                    score=round(hit.score, 3),
                    evidence=(hit.evidence.text if hit.evidence else "")[:500],
                )
            )
        record(
            actor=actor,
            action="talent.profile.suggest",
            obj=profile,
            object_repr=f"profile {profile.pk}",
            after={"suggested": [p.skill_id for p in made]},
        )
    return made


def do_add_profile_skill(
    *, actor, profile: Profile, skill: Skill, level: int = Level.INTERMEDIATE
) -> ProfileSkill:
    """Add a skill of the person's own choosing from the taxonomy, accepted at once (one already suggested
    is accepted). Skills are taxonomy entries so that matching can compare them: no free text."""
    if not rules.can_edit_profile(actor, profile):
        raise PermissionDenied(_("You may only change your own profile."))
    if skill.skill_type == SkillType.GROUP:
        message = _("“%(skill)s” is a group of skills; choose one of the skills in it.") % {"skill": skill}
        raise ValidationError({"skill": message})
    if level not in Level.values:
        raise ValidationError({"level": _("Unknown level.")})
    with transaction.atomic():
        ps, created = ProfileSkill.objects.get_or_create(
            profile=profile, skill=skill, defaults={"status": SuggestionStatus.ACCEPTED, "level": level}
        )
        if not created:
            ps.status, ps.level = SuggestionStatus.ACCEPTED, level
            ps.save(update_fields=["status", "level"])
        record(
            actor=actor,
            action="talent.profile_skill.add",
            obj=profile,
            object_repr=f"profile {profile.pk}",
            after={"skill": skill.pk, "status": ps.status, "level": level},
        )
    return ps


def do_review_profile_skill(
    *, actor, profile_skill: ProfileSkill, status: str, level: int | None = None
) -> ProfileSkill:
    """Accept or reject a suggested skill (or add one: pass a new, unsaved ProfileSkill), with its level."""
    if not rules.can_edit_profile(actor, profile_skill.profile):
        raise PermissionDenied(_("You may only change your own profile."))
    if status not in (SuggestionStatus.ACCEPTED, SuggestionStatus.REJECTED):
        raise ValidationError({"status": _("Accept or reject the skill.")})
    if level is not None and level not in Level.values:
        raise ValidationError({"level": _("Unknown level.")})
    with transaction.atomic():
        profile_skill.status = status
        if level is not None:
            profile_skill.level = level
        profile_skill.save()
        record(
            actor=actor,
            action="talent.profile_skill.review",
            obj=profile_skill.profile,
            object_repr=f"profile {profile_skill.profile_id}",
            after={"skill": profile_skill.skill_id, "status": status, "level": profile_skill.level},
        )
    return profile_skill


def do_delete_profile(*, actor, profile: Profile, run: str = "queue") -> None:
    """Delete the person's profile and everything hanging from it (skills, applications, placements).

    A seat the person held in a finished round is freed: the round is allocated again without them (the
    same rule, deferred acceptance, so the seat goes to the next applicant the rule admits and the counts
    are recomputed), audited as ``talent.round.rerun``. ``run`` as in :func:`do_run_round`."""
    if not rules.can_edit_profile(actor, profile):
        raise PermissionDenied(_("You may only delete your own profile."))
    pk = profile.pk
    freed = _rounds_with_a_seat(profile)
    with transaction.atomic():
        profile.delete()
        record(
            actor=actor,
            action="talent.profile.delete",
            object_type="talent.profile",
            object_id=str(pk),
            object_repr=f"profile {pk}",
            after={"rounds_reallocated": [r.pk for r in freed]},
        )
    for allocation_round in freed:
        _rerun_round(actor=actor, allocation_round=allocation_round, reason="seat_freed", run=run)


def _rounds_with_a_seat(profile: Profile) -> list[AllocationRound]:
    """The finished rounds in which ``profile`` holds a seat (each is allocated again once it is freed)."""
    return list(
        AllocationRound.objects.filter(
            status=RoundStatus.FINISHED, placements__profile=profile, placements__opportunity__isnull=False
        ).distinct()
    )


def seats_freed_with_account(actor, user) -> Callable[[], object] | None:
    """``accounts.actions.USER_DELETION_HOOKS``: when an account goes, its profile goes with it, and each
    round in which the person held a seat is allocated again (as when they delete the profile themselves),
    audited as ``talent.round.rerun`` by whoever deleted the account."""
    profile = Profile.objects.filter(user=user).first()
    freed = _rounds_with_a_seat(profile) if profile is not None else []
    if not freed:
        return None

    def rerun() -> None:
        for allocation_round in freed:
            _rerun_round(actor=actor, allocation_round=allocation_round, reason="seat_freed", run="queue")

    return rerun


# --- opportunities -----------------------------------------------------------------------------------------


def _opportunity_fields(
    *,
    title: str,
    kind: str,
    host_country: str,
    seats: int,
    description: str = "",
    provider: Organization | None = None,
    starts_on: dt.date | None = None,
    ends_on: dt.date | None = None,
    eligible_countries: list[str] | None = None,
    languages: list[str] | None = None,
    min_level: int | None = None,
    reserves: dict[str, int] | None = None,
    essential_skills: list[Skill] | None = None,
    optional_skills: list[Skill] | None = None,
    visibility: str = Visibility.PUBLIC,
) -> tuple[dict, list[Skill], list[Skill]]:
    """The editable fields of an opportunity, checked and cleaned (shared by create and update):
    (model field values, essential skills, optional skills)."""
    if kind not in OpportunityKind.values:
        raise ValidationError({"kind": _("Unknown kind of opportunity “%(value)s”.") % {"value": kind}})
    if visibility not in Visibility.values:
        raise ValidationError({"visibility": _("Unknown visibility “%(value)s”.") % {"value": visibility}})
    if not isinstance(seats, int) or isinstance(seats, bool) or seats < 1 or seats > 100000:
        raise ValidationError({"seats": _("Give a number of seats between 1 and 100000.")})
    if starts_on and ends_on and ends_on < starts_on:
        raise ValidationError({"ends_on": _("The end date is before the start date.")})
    clean_reserves: dict[str, int] = {}
    for group, count in (reserves or {}).items():
        if not isinstance(count, int) or isinstance(count, bool) or count < 0:
            raise ValidationError({"reserves": _("Reserved seats are whole numbers of zero or more.")})
        if count:
            clean_reserves[_reserve_key(group)] = count
    clean_reserves = ordered_reserves(clean_reserves)
    if sum(clean_reserves.values()) > seats:
        raise ValidationError({"reserves": _("More seats are reserved than the opportunity has.")})
    host = _country(host_country, "host_country")
    if not host:
        raise ValidationError({"host_country": _("Name the host country.")})
    values = {
        "title": clean_text(title, max_length=200, field="title"),
        "description": clean_text(description, max_length=10000, field="description", multiline=True)
        if description.strip()
        else "",
        "provider": provider,
        "kind": kind,
        "host_country": host,
        "seats": seats,
        "starts_on": starts_on,
        "ends_on": ends_on,
        "eligible_countries": _countries(eligible_countries or [], "eligible_countries"),
        "languages": _languages(languages or []),
        "min_level": min_level,
        "reserves": clean_reserves,
        "visibility": visibility,
    }
    essential = list(dict.fromkeys(essential_skills or []))
    optional = [s for s in dict.fromkeys(optional_skills or []) if s not in essential]
    return values, essential, optional


def _set_skills(opportunity: Opportunity, essential: list[Skill], optional: list[Skill]) -> None:
    OpportunitySkill.objects.filter(opportunity=opportunity).delete()
    OpportunitySkill.objects.bulk_create(
        [OpportunitySkill(opportunity=opportunity, skill=s, essential=True) for s in essential]
        + [OpportunitySkill(opportunity=opportunity, skill=s, essential=False) for s in optional]
    )


def _skill_snapshot(opportunity: Opportunity) -> dict:
    rows = opportunity.skill_links.values_list("skill_id", "essential")
    return {
        "essential_skills": sorted(s for s, e in rows if e),
        "optional_skills": sorted(s for s, e in rows if not e),
    }


OPPORTUNITY_EDIT_FIELDS = [
    *OPPORTUNITY_FIELDS,
    "description",
    "starts_on",
    "ends_on",
    "eligible_countries",
    "languages",
    "min_level",
    "reserves",
]


def do_create_opportunity(
    *,
    actor,
    dialogue: Dialogue,
    party: Party | None = None,
    status: str = OpportunityStatus.DRAFT,
    is_demo: bool = False,
    **fields,
) -> Opportunity:
    """Create an opportunity. ``fields`` are those of `_opportunity_fields` (title, kind, host_country and
    seats required; description, provider, dates, eligibility, reserves, skills and visibility optional)."""
    if status not in OpportunityStatus.values:
        raise ValidationError({"status": _("Unknown status.")})
    values, essential, optional = _opportunity_fields(**fields)
    provider = values["provider"]
    if not rules.can_create_opportunity(
        actor,
        dialogue.pk,
        values["visibility"],
        party.pk if party else None,
        provider.pk if provider else None,
    ):
        raise PermissionDenied(_("You may not publish opportunities here."))
    opportunity = Opportunity(
        dialogue=dialogue, party=party, created_by=actor, status=status, is_demo=is_demo, **values
    )
    opportunity.full_clean()
    with transaction.atomic():
        opportunity.save()
        _set_skills(opportunity, essential, optional)
        record(
            actor=actor,
            action="talent.opportunity.create",
            obj=opportunity,
            after=snapshot(opportunity, fields=OPPORTUNITY_FIELDS),
        )
    return opportunity


def do_update_opportunity(*, actor, opportunity: Opportunity, **fields) -> Opportunity:
    """Replace an opportunity's fields (as for `do_create_opportunity`) and skills: its managers only.

    Who sees it and who provides it may change only to values the actor could have created it with, so an
    edit never widens anyone's reach. Its status has its own action."""
    if not rules.can_manage_opportunity(actor, opportunity):
        raise PermissionDenied(_("You may not manage this opportunity."))
    values, essential, optional = _opportunity_fields(**fields)
    provider_id = values["provider"].pk if values["provider"] else None
    if (values["visibility"], provider_id) != (opportunity.visibility, opportunity.provider_id) and not (
        rules.can_create_opportunity(
            actor, opportunity.dialogue_id, values["visibility"], opportunity.party_id, provider_id
        )
    ):
        raise PermissionDenied(_("You may not give this opportunity that visibility or provider."))
    with transaction.atomic():
        locked = Opportunity.objects.select_for_update().get(pk=opportunity.pk)
        before = {**snapshot(locked, fields=OPPORTUNITY_EDIT_FIELDS), **_skill_snapshot(locked)}
        for name, value in values.items():
            setattr(locked, name, value)
        locked.full_clean()
        locked.save()
        _set_skills(locked, essential, optional)
        after = {**snapshot(locked, fields=OPPORTUNITY_EDIT_FIELDS), **_skill_snapshot(locked)}
        record(actor=actor, action="talent.opportunity.update", obj=locked, before=before, after=after)
    return locked


def do_set_opportunity_status(*, actor, opportunity: Opportunity, status: str) -> Opportunity:
    if status not in OpportunityStatus.values:
        raise ValidationError({"status": _("Unknown status.")})
    if not rules.can_manage_opportunity(actor, opportunity):
        raise PermissionDenied(_("You may not manage this opportunity."))
    before = snapshot(opportunity, fields=["status"])
    return update_audited(
        opportunity,
        {"status": status},
        actor=actor,
        action="talent.opportunity.status",
        before=before,
        also=("updated_at",),
    )


def do_apply(*, actor, opportunity: Opportunity, rank: int | None = None) -> Application:
    """Apply to ``opportunity``; ``rank`` places it among one's preferences (default: last)."""
    profile = (
        Profile.objects.filter(user=actor).first() if actor is not None and actor.is_authenticated else None
    )
    if profile is None:
        raise ValidationError(_("Create your profile before applying."))
    if not profile.consent_matching:
        raise ValidationError(_("Allow matching on your profile before applying: allocation needs it."))
    if not rules.can_apply(actor, opportunity, profile):
        raise PermissionDenied(_("This opportunity is not open for applications."))
    if Application.objects.filter(profile=profile, opportunity=opportunity).exists():
        raise ValidationError(_("You have already applied to this opportunity."))
    with transaction.atomic():
        current = list(profile.applications.order_by("rank", "id"))
        position = len(current) + 1 if rank is None else max(1, min(rank, len(current) + 1))
        application = Application(profile=profile, opportunity=opportunity, rank=position)
        current.insert(position - 1, application)
        for i, a in enumerate(current, 1):
            a.rank = i
            a.save()
        record(
            actor=actor,
            action="talent.application.create",
            obj=opportunity,
            after={"profile": profile.pk, "rank": position},
        )
        notices.application_received(application)
    return application


def do_withdraw_application(*, actor, application: Application) -> None:
    if not rules.is_owner(actor, application.profile):
        raise PermissionDenied(_("You may only withdraw your own applications."))
    with transaction.atomic():
        opportunity = application.opportunity
        profile = application.profile
        application.delete()
        for i, a in enumerate(profile.applications.order_by("rank", "id"), 1):
            if a.rank != i:
                a.rank = i
                a.save(update_fields=["rank"])
        record(
            actor=actor, action="talent.application.withdraw", obj=opportunity, after={"profile": profile.pk}
        )


def do_move_application(*, actor, application: Application, rank: int) -> Application:
    """Put ``application`` at preference ``rank`` (1 = most wanted) among the person's applications; the
    others shift to make room. Allocation reads these preferences the next time a round is run."""
    profile = application.profile
    if not rules.can_reorder_applications(actor, profile):
        raise PermissionDenied(_("You may only reorder your own applications."))
    current = list(profile.applications.order_by("rank", "id"))
    if isinstance(rank, bool) or not isinstance(rank, int) or not 1 <= rank <= len(current):
        raise ValidationError({"rank": _("Give a preference from 1 to %(n)s.") % {"n": len(current)}})
    before = application.rank
    current = [a for a in current if a.pk != application.pk]
    current.insert(rank - 1, application)
    with transaction.atomic():
        for i, a in enumerate(current, 1):
            if a.rank != i or a.pk == application.pk:
                a.rank = i
                a.save(update_fields=["rank"])
        record(
            actor=actor,
            action="talent.application.move",
            obj=application.opportunity,
            before={"profile": profile.pk, "rank": before},
            after={"profile": profile.pk, "rank": rank},
        )
    return application


def do_respond_to_placement(*, actor, placement: Placement, accept: bool, run: str = "queue") -> Placement:
    """The placed person accepts or declines their seat. Declining gives the seat up: the application to that
    opportunity is withdrawn and the round is allocated again by the same rule (as when a placed person
    deletes their profile), so the seat goes to the next applicant; audited as ``talent.round.rerun``.
    ``run`` as in :func:`do_run_round`."""
    if not rules.can_respond_to_placement(actor, placement):
        raise PermissionDenied(_("Only the person placed can answer for this seat."))
    if placement.opportunity_id is None:
        raise ValidationError(_("This placement offers no seat to accept or decline."))
    if placement.round.status != RoundStatus.FINISHED:
        raise ValidationError(_("The round is being allocated again; answer once it has finished."))
    if placement.response != PlacementResponse.PENDING:
        raise ValidationError(
            _("You have already answered: “%(answer)s”.") % {"answer": placement.get_response_display()}
        )
    allocation_round, opportunity, profile = placement.round, placement.opportunity, placement.profile
    with transaction.atomic():
        placement.response = PlacementResponse.ACCEPTED if accept else PlacementResponse.DECLINED
        placement.responded_at = timezone.now()
        placement.save(update_fields=["response", "responded_at"])
        record(
            actor=actor,
            action="talent.placement.accept" if accept else "talent.placement.decline",
            obj=allocation_round,
            after={"profile": profile.pk, "opportunity": opportunity.pk},
        )
        if not accept:
            Application.objects.filter(profile=profile, opportunity=opportunity).delete()
            for i, a in enumerate(profile.applications.order_by("rank", "id"), 1):
                if a.rank != i:
                    a.rank = i
                    a.save(update_fields=["rank"])
    if not accept:
        _rerun_round(actor=actor, allocation_round=allocation_round, reason="seat_declined", run=run)
    return placement


# --- allocation rounds --------------------------------------------------------------------------------------


def do_create_round(
    *,
    actor,
    dialogue: Dialogue,
    title: str,
    opportunities: list[Opportunity],
    visibility: str = Visibility.DIALOGUE,
) -> AllocationRound:
    if not opportunities:
        raise ValidationError({"opportunities": _("Choose at least one opportunity.")})
    if any(o.dialogue_id != dialogue.pk for o in opportunities):
        raise ValidationError({"opportunities": _("Every opportunity must belong to this dialogue.")})
    if not rules.can_create_round(actor, opportunities):
        raise PermissionDenied(_("You may only allocate opportunities you manage."))
    if visibility == Visibility.PARTY:
        raise ValidationError(
            {"visibility": _("Allocation rounds are shared with the dialogue or the public.")}
        )
    allocation_round = AllocationRound(
        dialogue=dialogue,
        visibility=visibility,
        created_by=actor,
        title=clean_text(title, max_length=200, field="title"),
    )
    allocation_round.full_clean()
    with transaction.atomic():
        allocation_round.save()
        allocation_round.opportunities.set(opportunities)
        record(
            actor=actor,
            action="talent.round.create",
            obj=allocation_round,
            after={"opportunities": [o.pk for o in opportunities]},
        )
    return allocation_round


def do_run_round(*, actor, allocation_round: AllocationRound, run: str = "queue") -> Job:
    """Start the allocation as a background task (``run="inline"`` runs it now); re-running replaces it."""
    if not rules.can_manage_round(actor, allocation_round):
        raise PermissionDenied(_("You may not run this round."))
    if (
        allocation_round.status == RoundStatus.RUNNING
        and allocation_round.job
        and not allocation_round.job.is_finished
    ):
        raise ValidationError(_("This round is already running."))
    return _rerun_round(actor=actor, allocation_round=allocation_round, reason="", run=run)


def _rerun_round(*, actor, allocation_round: AllocationRound, reason: str, run: str) -> Job:
    """Allocate a round (again). ``reason`` says why a round is rerun without its manager asking (audited
    as ``talent.round.rerun``): the permission is then the caller's, who freed a seat."""
    job = core_actions.do_start_job(
        actor=actor,
        kind="talent.allocate",
        label=_("Allocating “%(title)s”") % {"title": allocation_round.title},
    )
    with transaction.atomic():
        AllocationRound.objects.filter(pk=allocation_round.pk).update(status=RoundStatus.RUNNING, job=job)
        record(
            actor=actor,
            action="talent.round.rerun" if reason else "talent.round.run",
            obj=allocation_round,
            after={"job": str(job.pk), **({"reason": reason} if reason else {})},
        )
    if run == "inline":
        from .tasks import run_allocation_now

        try:
            run_allocation_now(job_id=str(job.pk), round_id=allocation_round.pk)
        except Exception:  # noqa: BLE001 - recorded on the job and the round; the caller reads them
            log.info("inline allocation of round %s failed", allocation_round.pk, exc_info=True)
    else:
        from concord.core import jobs

        from . import tasks

        jobs.enqueue(tasks.run_allocation, job=job, round_id=allocation_round.pk)
    allocation_round.refresh_from_db()
    job.refresh_from_db()
    return job
