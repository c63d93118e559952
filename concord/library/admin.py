from django.contrib import admin

from concord.admin_site import AuditedModelAdmin, VisibleContentAdmin

from .models import PolicyDocument, Theme


@admin.register(Theme)
class ThemeAdmin(AuditedModelAdmin):
    list_display = ["slug", "label_en", "label_ms", "label_ur", "parent", "order"]
    search_fields = ["slug", "label_en", "label_ms", "label_ur"]


@admin.register(PolicyDocument)
class PolicyDocumentAdmin(VisibleContentAdmin):
    list_display = ["title", "kind", "status", "party", "country", "language", "visibility", "year"]
    list_filter = ["kind", "status", "language", "visibility", "party"]
    search_fields = ["title", "short_title", "issuer"]
    list_select_related = ["party"]
    readonly_fields = ["current_version"]
    exclude = ["themes"]
