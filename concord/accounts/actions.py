"""Writes to people, parties, memberships, organisations and tokens, each audited."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from concord.audit.log import delete_audited, record, save_audited, snapshot, update_audited
from concord.core.text import clean_text

from . import rules
from .models import (
    AccessToken,
    Dialogue,
    Invitation,
    Membership,
    Organization,
    OrganizationKind,
    Party,
    Role,
    User,
)

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
    return save_audited(
        user, actor=actor, action="user.create", fields=["email", "full_name", "language", "is_staff"]
    )


def do_create_administrator(*, actor, email: str, full_name: str, password: str | None) -> User:
    """A site administrator (superuser): the first one from the console, later ones by an administrator.
    Administrators appoint each dialogue's secretariat (see ``rules.py``, "Bootstrap")."""
    if not rules.can_create_administrator(actor):
        raise PermissionDenied(_("Only a site administrator can create another administrator."))
    with transaction.atomic():
        user = do_create_user(actor=actor, email=email, full_name=full_name, password=password, is_staff=True)
        user.is_superuser = True
        user.save(update_fields=["is_superuser"])
        record(actor=actor, action="user.make_administrator", obj=user, after={"is_superuser": True})
    return user


def do_set_language(*, actor, user: User, language: str) -> User:
    if language not in dict(settings.LANGUAGES):
        raise ValidationError({"language": _("Unsupported language “%(value)s”.") % {"value": language}})
    if user.language == language:
        return user
    before = {"language": user.language}
    return update_audited(
        user, {"language": language}, actor=actor, action="user.set_language", before=before
    )


# Apps that must act when an account goes (talent frees the seats its profile held) register a callable here
# from their AppConfig.ready: called with (actor, user) before the deletion, it returns what to run once the
# account is gone, or None.
USER_DELETION_HOOKS: list[Callable[..., Callable[[], object] | None]] = []


def do_delete_user(*, actor, user: User) -> None:
    """Delete an account. Its audit entries stay, under the pseudonym "#<id>" (their actor is kept as a
    bare id, without a database constraint); memberships, tokens and the talent profile go with it, and
    content it wrote loses its author. What other apps must do afterwards (a seat the person held is offered
    to the next applicant) runs once the account is gone: ``USER_DELETION_HOOKS``."""
    if not rules.can_delete_user(actor, user):
        raise PermissionDenied(_("You may not delete this account."))
    pk = user.pk
    afterwards = [then for hook in USER_DELETION_HOOKS if (then := hook(actor, user)) is not None]
    with transaction.atomic():
        record(
            actor=actor,
            action="user.delete",
            obj=user,
            object_repr=f"#{pk}",  # the entry names no one: the person is gone
            before={"memberships": user.memberships.count(), "is_active": user.is_active},
        )
        user.delete()
    for then in afterwards:
        then()


def do_change_password(*, actor, user: User, password: str) -> None:
    validate_password(password, user)
    with transaction.atomic():
        user.set_password(password)
        user.save(update_fields=["password"])
        record(actor=actor, action="user.change_password", obj=user)


def do_create_party(*, actor, code: str, name: str, name_ms: str = "", name_ur: str = "") -> Party:
    party = Party(code=code.upper(), name=name, name_ms=name_ms, name_ur=name_ur)
    party.full_clean()
    return save_audited(party, actor=actor, action="party.create")


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
) -> Membership:
    if not rules.can_add_member(actor, dialogue.pk, role):
        raise PermissionDenied(_("Only the secretariat can add members."))
    return _add_membership(
        actor=actor,
        user=user,
        dialogue=dialogue,
        role=role,
        party=party,
        organization=organization,
        position=position,
    )


def _add_membership(*, actor, user, dialogue, role, party, organization, position) -> Membership:
    """The membership itself, once the caller has decided it is allowed (a secretariat, an invitation)."""
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
    return update_audited(
        membership, {"is_active": False}, actor=actor, action="membership.end", before={"is_active": True}
    )


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


def do_create_organization(*, actor, **fields) -> Organization:
    if not rules.can_create_organization(actor):
        raise PermissionDenied(_("Only the secretariat can register organisations."))
    org = Organization(**_clean_org_fields(fields))
    if org.party_id is None and org.country:
        org.party = Party.objects.filter(code=org.country).first()
    org.full_clean()
    return save_audited(org, actor=actor, action="organization.create", fields=ORG_FIELDS)


def do_update_organization(*, actor, org: Organization, **fields) -> Organization:
    if not rules.can_edit_organization(actor, org):
        raise PermissionDenied(_("You may not edit this organisation."))
    before = snapshot(org, fields=ORG_FIELDS)
    for key, value in _clean_org_fields(fields).items():
        setattr(org, key, value)
    org.full_clean()
    return save_audited(org, actor=actor, action="organization.update", fields=ORG_FIELDS, before=before)


def do_delete_organization(*, actor, org: Organization) -> None:
    if not rules.can_delete_organization(actor, org):
        raise PermissionDenied(_("Only the secretariat can remove organisations."))
    if org.memberships.exists():
        raise ValidationError(_("This organisation still has members; end their memberships first."))
    delete_audited(org, actor=actor, action="organization.delete", fields=ORG_FIELDS)


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
        update_audited(token, {"revoked_at": timezone.now()}, actor=actor, action="token.revoke")
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


def do_reset_password(*, user: User, password: str) -> None:
    """A new password set through a reset link sent by e-mail (the link proved the address)."""
    validate_password(password, user)
    with transaction.atomic():
        user.set_password(password)
        user.save(update_fields=["password"])
        record(actor=user, action="user.reset_password", obj=user)


# --- invitations: how professionals, organisations and officials join a dialogue ---------------------------


def do_invite(
    *,
    actor,
    dialogue: Dialogue,
    email: str,
    role: str,
    party: Party | None = None,
    organization: Organization | None = None,
    position: str = "",
    message: str = "",
    language: str = "en",
) -> tuple[Invitation, str]:
    """Invite ``email`` to ``dialogue`` in ``role`` and e-mail them the link (after the commit).

    Returns the invitation and the link's secret, which is never stored (only its hash is)."""
    if not rules.can_manage_members(actor, dialogue.pk):
        raise PermissionDenied(_("Only the secretariat of this dialogue can invite people."))
    email = User.objects.normalize_email((email or "").strip()).lower()
    if role not in Role.values:
        raise ValidationError({"role": _("Unknown role “%(value)s”.") % {"value": role}})
    if language not in dict(settings.LANGUAGES):
        raise ValidationError({"language": _("Unsupported language “%(value)s”.") % {"value": language}})
    if Membership.objects.filter(
        user__email__iexact=email, dialogue=dialogue, role=role, is_active=True
    ).exists():
        raise ValidationError({"email": _("This person already takes part in this dialogue in this role.")})
    now = timezone.now()
    if Invitation.objects.filter(
        email__iexact=email,
        dialogue=dialogue,
        role=role,
        accepted_at__isnull=True,
        revoked_at__isnull=True,
        expires_at__gt=now,
    ).exists():
        raise ValidationError(
            {"email": _("An invitation in this role is already waiting for this address: withdraw it first.")}
        )
    token = Invitation.generate()
    invitation = Invitation(
        dialogue=dialogue,
        email=email,
        role=role,
        party=party,
        organization=organization,
        position=clean_text(position, max_length=200, field="position", required=False),
        message=clean_text(message, max_length=2000, field="message", multiline=True, required=False),
        language=language,
        token_hash=Invitation.hash_token(token),
        created_by=actor,
        expires_at=now + timedelta(days=Invitation.VALID_DAYS),
    )
    invitation.full_clean()
    with transaction.atomic():
        save_audited(
            invitation,
            actor=actor,
            action="invitation.create",
            about=dialogue,
            after={
                "email": email,
                "role": role,
                "party": party.code if party else None,
                "organization": organization.pk if organization else None,
                "expires_at": invitation.expires_at,
            },
        )
        transaction.on_commit(lambda: _send_invitation(invitation, token))
    return invitation, token


def _send_invitation(invitation: Invitation, token: str) -> None:
    from django.core.mail import send_mail
    from django.template.loader import render_to_string
    from django.urls import reverse
    from django.utils import translation

    from concord.core.zones import format_time

    with translation.override(invitation.language):
        context = {
            "invitation": invitation,
            "url": settings.SITE_URL.rstrip("/") + reverse("accounts:join", args=[token]),
            "expires": format_time(invitation.expires_at),
            "inviter": invitation.created_by.full_name if invitation.created_by else "",
        }
        subject = _("Invitation to join %(dialogue)s") % {"dialogue": invitation.dialogue.name}
        body = render_to_string("accounts/invitation_email.txt", context)
    send_mail(subject, body, None, [invitation.email], fail_silently=False)


def do_withdraw_invitation(*, actor, invitation: Invitation) -> Invitation:
    if not rules.can_manage_members(actor, invitation.dialogue_id):
        raise PermissionDenied(_("Only the secretariat of this dialogue can withdraw invitations."))
    if invitation.state != "open":
        raise ValidationError(
            _("This invitation is no longer waiting: it is %(state)s.")
            % {"state": invitation.get_state_display().lower()}
        )
    return update_audited(
        invitation, {"revoked_at": timezone.now()}, actor=actor, action="invitation.withdraw"
    )


def do_accept_invitation(
    *,
    invitation: Invitation,
    user: User | None = None,
    full_name: str = "",
    password: str = "",
    language: str = "",
    organization: dict | None = None,
) -> Membership:
    """Join through an invitation: as the signed-in ``user`` whose address it was sent to, or as a new
    account made here. A stakeholder invited without an organisation registers it (``organization``: its
    name, kind, country and website). All or nothing."""
    if invitation.state != "open":
        raise ValidationError(
            _("This invitation can no longer be used: it is %(state)s. Ask the secretariat for a new one.")
            % {"state": invitation.get_state_display().lower()}
        )
    if user is not None and user.email.lower() != invitation.email.lower():
        raise PermissionDenied(
            _("This invitation was sent to another address. Sign out, then open the link again.")
        )
    if user is None and User.objects.filter(email__iexact=invitation.email).exists():
        raise ValidationError(
            _("An account with this address already exists: sign in with it, then open the link again.")
        )
    org_fields = None
    if invitation.registers_organization:
        if not organization:
            raise ValidationError({"organization": _("Name the organisation you represent.")})
        org_fields = _clean_org_fields(
            {k: organization.get(k, "") for k in ("name", "kind", "country", "website")}
        )
    with transaction.atomic():
        # Locks the row on PostgreSQL, so one link makes one account even when pressed twice at once.
        locked = Invitation.objects.select_for_update().get(pk=invitation.pk)
        if locked.accepted_at is not None:
            raise ValidationError(_("This invitation has already been used."))
        if user is None:
            user = do_create_user(
                actor=None,
                email=invitation.email,
                full_name=full_name,
                password=password,
                language=language or invitation.language,
            )
        org = invitation.organization
        if org_fields is not None:
            org = Organization(**org_fields)
            if org.country:
                org.party = Party.objects.filter(code=org.country).first()
            org.full_clean()
            org.save()
            record(actor=user, action="organization.create", obj=org, after=snapshot(org, fields=ORG_FIELDS))
        membership = _add_membership(
            actor=user,
            user=user,
            dialogue=invitation.dialogue,
            role=invitation.role,
            party=invitation.party,
            organization=org,
            position=invitation.position,
        )
        locked.accepted_at = timezone.now()
        locked.accepted_by = user
        locked.save(update_fields=["accepted_at", "accepted_by"])
        record(actor=user, action="invitation.accept", obj=locked, after={"membership": membership.pk})
    invitation.refresh_from_db()
    return membership
