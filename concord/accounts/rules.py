"""Who may manage and delete people, parties, organisations and tokens.

Who may read the audit log is decided in ``concord/audit/rules.py``.
"""

from __future__ import annotations

from concord.core import rules as core_rules

from .models import AccessToken, Membership, Organization, Role


def can_manage_members(user, dialogue_id: int) -> bool:
    return core_rules.has_role(user, dialogue_id, Role.SECRETARIAT)


def can_view_members(user, dialogue_id: int) -> bool:
    """Member lists are for members: they hold names and positions of officials."""
    return core_rules.is_member(user, dialogue_id)


def can_delete_user(actor, user) -> bool:
    """Administrators delete any other account; the secretariat deletes accounts that sit only in
    dialogues it runs (or in none). Nobody deletes their own account here, nor an administrator's unless
    they are one."""
    if actor is None or not actor.is_authenticated or not actor.is_active or actor.pk == user.pk:
        return False
    if actor.is_superuser:
        return True
    if user.is_superuser or not core_rules.is_secretariat(actor):
        return False
    dialogues = set(Membership.objects.filter(user=user).values_list("dialogue_id", flat=True))
    return all(core_rules.has_role(actor, d, Role.SECRETARIAT) for d in dialogues)


def can_edit_organization(user, org: Organization) -> bool:
    """The secretariat, and stakeholders who represent the organisation."""
    if core_rules.is_secretariat(user):
        return True
    return any(s.role == Role.STAKEHOLDER and s.organization_id == org.pk for s in core_rules.seats(user))


def can_create_organization(user) -> bool:
    return core_rules.is_secretariat(user)


def can_delete_organization(user, org: Organization) -> bool:  # noqa: ARG001 - same for every organisation
    return core_rules.is_secretariat(user)


def can_manage_token(user, token: AccessToken) -> bool:
    return user.is_authenticated and token.user_id == user.pk


def requires_two_factor(user) -> bool:
    from django.conf import settings

    if not settings.CONCORD_REQUIRE_2FA or not user.is_authenticated:
        return False
    return user.is_superuser or any(s.role in settings.CONCORD_2FA_ROLES for s in core_rules.seats(user))
