from django.contrib import admin

from .models import AuditEntry


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    """Read-only: the audit log cannot be edited or deleted, here or anywhere."""

    list_display = ["created_at", "actor_label", "action", "object_type", "object_repr", "ip_address", "via"]
    list_filter = ["via", "object_type"]
    search_fields = ["actor_label", "action", "object_repr"]
    date_hierarchy = "created_at"

    def has_module_permission(self, request) -> bool:
        from concord.core.rules import is_secretariat

        return request.user.is_superuser or is_secretariat(request.user)

    def has_view_permission(self, request, obj=None) -> bool:
        return self.has_module_permission(request)

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
