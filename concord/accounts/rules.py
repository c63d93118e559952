"""Who may manage and delete people, parties, organisations and tokens.

Who may read the audit log is decided in ``concord/audit/rules.py``.

**Bootstrap: the one way in.** Every write goes through an action that asks these rules, so someone must
hold a role before anyone can act. There is one path, and no action has a switch that skips its check:

1. the first *site administrator* (an active superuser) is created while none exists, by the operator at
   the console (``concord manage createsuperuser``, or the demo loader through ``do_create_administrator``);
   afterwards only an administrator creates another (:func:`can_create_administrator`);
2. an administrator appoints a dialogue's *secretariat* (:func:`can_add_member` with the secretariat role);
   administrators appoint no other role and, as everywhere, see no party's content;
3. the secretariat adds every other member, registers organisations and runs the dialogue.
"""

from __future__ import annotations

from concord.core import rules as core_rules

from .models import AccessToken, Membership, Organization, Role


def can_manage_members(user, dialogue_id: int) -> bool:
    return core_rules.has_role(user, dialogue_id, Role.SECRETARIAT)


def is_administrator(user) -> bool:
    """An active site administrator (a superuser)."""
    return bool(
        user is not None
        and getattr(user, "is_authenticated", False)
        and user.is_active
        and getattr(user, "is_superuser", False)
    )


def can_add_member(user, dialogue_id: int, role: str) -> bool:
    """The dialogue's secretariat adds members; an administrator appoints its secretariat (the bootstrap)."""
    if can_manage_members(user, dialogue_id):
        return True
    return role == Role.SECRETARIAT and is_administrator(user)


def can_create_administrator(user) -> bool:
    """An administrator creates administrators; while the site has none, the operator at the console
    (no signed-in user) creates the first one."""
    from .models import User

    if is_administrator(user):
        return True
    no_one_signed_in = user is None or not getattr(user, "is_authenticated", False)
    return no_one_signed_in and not User.objects.filter(is_superuser=True, is_active=True).exists()


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
