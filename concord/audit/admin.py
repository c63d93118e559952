from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .models import AuditEntry
from .rules import can_read_log_in_admin


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    """Read-only: the audit log cannot be edited or deleted, here or anywhere. Each reader sees the entries
    the audit rules let them read (``AuditEntry.objects.visible_to``), in the list and on each entry."""

    list_display = ["created_at", "actor_name", "action", "object_type", "object_repr", "ip_address", "via"]
    list_filter = ["via", "object_type"]
    search_fields = ["actor_label", "actor__email", "action", "object_repr"]
    date_hierarchy = "created_at"
    list_select_related = ["actor"]

    @admin.display(description=_("actor"))
    def actor_name(self, entry: AuditEntry) -> str:
        return entry.actor_display

    def get_queryset(self, request):
        return super().get_queryset(request).visible_to(request.user)

    def has_module_permission(self, request) -> bool:
        return can_read_log_in_admin(request.user)

    def has_view_permission(self, request, obj=None) -> bool:
        return self.has_module_permission(request)

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
