from django.contrib import admin

from concord.admin_site import AuditedModelAdmin

from . import actions, rules
from .models import AccessToken, Dialogue, Invitation, Membership, Organization, Party, User


@admin.register(User)
class UserAdmin(AuditedModelAdmin):
    list_display = ["email", "full_name", "language", "is_active", "is_staff", "last_login"]
    search_fields = ["email", "full_name"]
    list_filter = ["is_active", "is_staff", "language"]
    exclude = ["password", "user_permissions", "groups"]
    readonly_fields = ["last_login", "date_joined"]

    def has_delete_permission(self, request, obj=None) -> bool:
        if obj is None:
            return super().has_delete_permission(request)
        return rules.can_delete_user(request.user, obj)

    def delete_model(self, request, obj):
        actions.do_delete_user(actor=request.user, user=obj)

    def delete_queryset(self, request, queryset):
        for user in queryset:
            actions.do_delete_user(actor=request.user, user=user)


@admin.register(Party)
class PartyAdmin(AuditedModelAdmin):
    list_display = ["code", "name", "name_ms", "name_ur"]


@admin.register(Dialogue)
class DialogueAdmin(AuditedModelAdmin):
    list_display = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Membership)
class MembershipAdmin(AuditedModelAdmin):
    list_display = ["user", "dialogue", "role", "party", "organization", "is_active"]
    list_filter = ["role", "party", "is_active", "dialogue"]
    search_fields = ["user__email", "user__full_name", "position"]
    list_select_related = ["user", "dialogue", "party", "organization"]
    autocomplete_fields = ["user", "organization"]


@admin.register(Organization)
class OrganizationAdmin(AuditedModelAdmin):
    list_display = ["name", "short_name", "country", "kind"]
    list_filter = ["country", "kind"]
    search_fields = ["name", "short_name"]


@admin.register(AccessToken)
class AccessTokenAdmin(AuditedModelAdmin):
    list_display = ["name", "user", "key_hint", "created_at", "expires_at", "last_used_at", "revoked_at"]
    readonly_fields = ["user", "name", "key_hint", "created_at", "last_used_at"]
    list_select_related = ["user"]

    def has_add_permission(self, request) -> bool:
        return False  # tokens are created by their owners, who alone see the secret once


@admin.register(Invitation)
class InvitationAdmin(AuditedModelAdmin):
    """Read only: invitations are sent and withdrawn on the Invitations page (the e-mail holds the secret)."""

    list_display = [
        "email",
        "role",
        "party",
        "dialogue",
        "created_by",
        "created_at",
        "expires_at",
        "accepted_at",
    ]
    list_filter = ["role", "dialogue"]
    search_fields = ["email"]
    list_select_related = ["party", "dialogue", "created_by"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
