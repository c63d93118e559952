"""Writes to people, parties, memberships, organisations and tokens, each audited."""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from concord.audit.log import record, snapshot
from concord.core.text import clean_text

from . import rules
from .models import AccessToken, Dialogue, Membership, Organization, OrganizationKind, Party, Role, User

ORG_FIELDS = [
    "name",
    "short_name",
    "country",
    "party",
    "kind",
    "website",
    "description",
    "description_ms",
    "description_ur",
]


def do_create_user(
    *, actor, email: str, full_name: str, password: str | None, language: str = "en", is_staff: bool = False
) -> User:
    email = User.objects.normalize_email(email).lower()
    if User.objects.filter(email=email).exists():
        raise ValidationError({"email": _("A user with this email address already exists.")})
    user = User(
        email=email,
        full_name=clean_text(full_name, max_length=200, field="full_name"),
        language=language,
        is_staff=is_staff,
    )
    if password is not None:
        validate_password(password, user)
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.full_clean()
    with transaction.atomic():
        user.save()
        record(
            actor=actor,
            action="user.create",
            obj=user,
            after=snapshot(user, fields=["email", "full_name", "language", "is_staff"]),
        )
    return user


def do_set_language(*, actor, user: User, language: str) -> User:
    if language not in dict(settings.LANGUAGES):
        raise ValidationError({"language": _("Unsupported language “%(value)s”.") % {"value": language}})
    if user.language == language:
        return user
    before = {"language": user.language}
    with transaction.atomic():
        user.language = language
        user.save(update_fields=["language"])
        record(actor=actor, action="user.set_language", obj=user, before=before, after={"language": language})
    return user


def do_delete_user(*, actor, user: User) -> None:
    """Delete an account. Its audit entries stay, under the pseudonym "#<id>" (their actor is kept as a
    bare id, without a database constraint); memberships, tokens and the talent profile go with it, and
    content it wrote loses its author."""
    if not rules.can_delete_user(actor, user):
        raise PermissionDenied(_("You may not delete this account."))
    pk = user.pk
    with transaction.atomic():
        record(
            actor=actor,
            action="user.delete",
            obj=user,
            object_repr=f"#{pk}",  # the entry names no one: the person is gone
            before={"memberships": user.memberships.count(), "is_active": user.is_active},
        )
        user.delete()


def do_change_password(*, actor, user: User, password: str) -> None:
    validate_password(password, user)
    with transaction.atomic():
        user.set_password(password)
        user.save(update_fields=["password"])
        record(actor=actor, action="user.change_password", obj=user)


def do_create_party(*, actor, code: str, name: str, name_ms: str = "", name_ur: str = "") -> Party:
    party = Party(code=code.upper(), name=name, name_ms=name_ms, name_ur=name_ur)
    party.full_clean()
    with transaction.atomic():
        party.save()
        record(actor=actor, action="party.create", obj=party, after=snapshot(party))
    return party


def do_create_dialogue(*, actor, slug: str, name: str, parties: list[Party], **fields) -> Dialogue:
    dialogue = Dialogue(slug=slug, name=name, **fields)
    dialogue.full_clean()
    with transaction.atomic():
        dialogue.save()
        dialogue.parties.set(parties)
        record(
            actor=actor,
            action="dialogue.create",
            obj=dialogue,
            after={**snapshot(dialogue), "parties": [p.code for p in parties]},
        )
    return dialogue


def do_add_membership(
    *,
    actor,
    user: User,
    dialogue: Dialogue,
    role: str,
    party: Party | None = None,
    organization: Organization | None = None,
    position: str = "",
    check_permission: bool = True,
) -> Membership:
    if check_permission and not rules.can_manage_members(actor, dialogue.pk):
        raise PermissionDenied(_("Only the secretariat can add members."))
    if role not in Role.values:
        raise ValidationError({"role": _("Unknown role “%(value)s”.") % {"value": role}})
    membership = Membership(
        user=user, dialogue=dialogue, role=role, party=party, organization=organization, position=position
    )
    membership.full_clean()
    with transaction.atomic():
        membership.save()
        if role == Role.SECRETARIAT and not user.is_staff:
            user.is_staff = True  # the secretariat runs the admin
            user.save(update_fields=["is_staff"])
        record(actor=actor, action="membership.create", obj=membership, after=snapshot(membership))
    return membership


def do_end_membership(*, actor, membership: Membership) -> Membership:
    if not rules.can_manage_members(actor, membership.dialogue_id):
        raise PermissionDenied(_("Only the secretariat can end memberships."))
    with transaction.atomic():
        membership.is_active = False
        membership.save(update_fields=["is_active"])
        record(
            actor=actor,
            action="membership.end",
            obj=membership,
            before={"is_active": True},
            after={"is_active": False},
        )
    return membership


def _clean_org_fields(fields: dict) -> dict:
    cleaned = dict(fields)
    if "name" in cleaned:
        cleaned["name"] = clean_text(cleaned["name"], max_length=250, field="name")
    for key in ("short_name",):
        if key in cleaned:
            cleaned[key] = clean_text(cleaned[key] or "", max_length=60, field=key, required=False)
    for key in ("description", "description_ms", "description_ur"):
        if key in cleaned:
            cleaned[key] = clean_text(
                cleaned[key] or "", max_length=5000, field=key, multiline=True, required=False
            )
    if "country" in cleaned:
        cleaned["country"] = (cleaned["country"] or "").upper()
        if not (len(cleaned["country"]) == 2 and cleaned["country"].isalpha()):
            raise ValidationError({"country": _("Use a two-letter ISO 3166-1 country code.")})
    if "kind" in cleaned and cleaned["kind"] not in OrganizationKind.values:
        raise ValidationError(
            {"kind": _("Unknown kind of organisation “%(value)s”.") % {"value": cleaned["kind"]}}
        )
    return cleaned


def do_create_organization(*, actor, check_permission: bool = True, **fields) -> Organization:
    if check_permission and not rules.can_create_organization(actor):
        raise PermissionDenied(_("Only the secretariat can register organisations."))
    org = Organization(**_clean_org_fields(fields))
    if org.party_id is None and org.country:
        org.party = Party.objects.filter(code=org.country).first()
    org.full_clean()
    with transaction.atomic():
        org.save()
        record(actor=actor, action="organization.create", obj=org, after=snapshot(org, fields=ORG_FIELDS))
    return org


def do_update_organization(*, actor, org: Organization, **fields) -> Organization:
    if not rules.can_edit_organization(actor, org):
        raise PermissionDenied(_("You may not edit this organisation."))
    before = snapshot(org, fields=ORG_FIELDS)
    for key, value in _clean_org_fields(fields).items():
        setattr(org, key, value)
    org.full_clean()
    with transaction.atomic():
        org.save()
        record(
            actor=actor,
            action="organization.update",
            obj=org,
            before=before,
            after=snapshot(org, fields=ORG_FIELDS),
        )
    return org


def do_delete_organization(*, actor, org: Organization) -> None:
    if not rules.can_delete_organization(actor, org):
        raise PermissionDenied(_("Only the secretariat can remove organisations."))
    if org.memberships.exists():
        raise ValidationError(_("This organisation still has members; end their memberships first."))
    with transaction.atomic():
        record(actor=actor, action="organization.delete", obj=org, before=snapshot(org, fields=ORG_FIELDS))
        org.delete()


def do_create_token(*, actor, name: str, expires_at: datetime | None = None) -> tuple[AccessToken, str]:
    """A new personal access token. The secret is returned once and never stored."""
    if not actor.is_authenticated:
        raise PermissionDenied(_("Sign in to create tokens."))
    name = clean_text(name, max_length=100, field="name")
    if expires_at is not None and expires_at <= timezone.now():
        raise ValidationError({"expires_at": _("The expiry date must be in the future.")})
    key = AccessToken.generate()
    with transaction.atomic():
        token = AccessToken.objects.create(
            user=actor,
            name=name,
            key_hash=AccessToken.hash_key(key),
            key_hint=key[:8],
            expires_at=expires_at or AccessToken.default_expiry(),
        )
        record(
            actor=actor,
            action="token.create",
            obj=token,
            after={"name": name, "expires_at": token.expires_at},
        )
    return token, key


def do_revoke_token(*, actor, token: AccessToken) -> AccessToken:
    if not rules.can_manage_token(actor, token):
        raise PermissionDenied(_("You may revoke only your own tokens."))
    if token.revoked_at is None:
        with transaction.atomic():
            token.revoked_at = timezone.now()
            token.save(update_fields=["revoked_at"])
            record(actor=actor, action="token.revoke", obj=token, after={"revoked_at": token.revoked_at})
    return token


def do_record_login(*, user: User, success: bool, email: str = "") -> None:
    record(
        actor=user if success else None,
        action="auth.login" if success else "auth.login_failed",
        object_type="accounts.user",
        object_id=str(user.pk) if user else "",
        object_repr=email or str(user),
    )


def do_record_logout(*, user: User) -> None:
    record(actor=user, action="auth.logout", obj=user)
