"""Notices in the admin, read-only, for support: who was sent which kind of notice, when, and whether it was
read or e-mailed. What a notice is about (its page and details) stays with its recipient."""

from django.contrib import admin

from concord.admin_site import AuditedModelAdmin

from .models import Notice


@admin.register(Notice)
class NoticeAdmin(AuditedModelAdmin):
    list_display = ["created_at", "recipient", "kind", "read_at", "emailed_at"]
    list_filter = ["kind"]
    list_select_related = ["recipient"]
    fields = readonly_fields = ["recipient", "kind", "created_at", "read_at", "emailed_at"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
