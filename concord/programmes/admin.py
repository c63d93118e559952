"""The registry in the admin, for the secretariat: programmes they may see, every write audited."""

from django.contrib import admin

from concord.admin_site import VisibleContentAdmin

from .models import Programme


@admin.register(Programme)
class ProgrammeAdmin(VisibleContentAdmin):
    list_display = ["title", "party", "status", "visibility", "start_date", "end_date"]
    list_filter = ["party", "status", "visibility"]
    search_fields = ["title", "summary"]
    list_select_related = ["party"]
    exclude = ["themes", "documents", "partners"]
