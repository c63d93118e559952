from django.contrib import admin

from concord.admin_site import AuditedModelAdmin, VisibleContentAdmin

from .models import Job, Note


@admin.register(Note)
class NoteAdmin(VisibleContentAdmin):
    list_display = ["title", "kind", "dialogue", "visibility", "party", "created_at"]
    list_filter = ["kind", "visibility", "party"]
    search_fields = ["title", "body"]
    list_select_related = ["dialogue", "party"]


@admin.register(Job)
class JobAdmin(AuditedModelAdmin):
    list_display = ["label", "kind", "status", "done", "total", "owner", "created_at"]
    list_filter = ["status", "kind"]
    readonly_fields = [f.name for f in Job._meta.fields]

    def has_add_permission(self, request) -> bool:
        return False
