"""The registry and joint projects in the admin, for the secretariat: what they may see, every write
audited."""

from django.contrib import admin

from concord.admin_site import AuditedModelAdmin, VisibleContentAdmin

from .models import AppraisalCriterion, JointProject, Programme


@admin.register(Programme)
class ProgrammeAdmin(VisibleContentAdmin):
    list_display = ["title", "party", "status", "visibility", "start_date", "end_date"]
    list_filter = ["party", "status", "visibility"]
    search_fields = ["title", "summary"]
    list_select_related = ["party"]
    exclude = ["themes", "documents", "partners"]


@admin.register(JointProject)
class JointProjectAdmin(VisibleContentAdmin):
    """Joint projects, to correct a title or a summary. Stage moves and appraisals are made on the project's
    page, by the stage's owners, so the admin shows the stage without changing it."""

    list_display = ["title", "proposed_by", "stage", "visibility", "stage_changed_at"]
    list_filter = ["stage", "proposed_by", "visibility"]
    search_fields = ["title", "summary"]
    list_select_related = ["proposed_by"]
    readonly_fields = ["stage", "stage_changed_at"]
    exclude = ["themes", "programmes", "partners", "workplan", "opportunities"]


@admin.register(AppraisalCriterion)
class AppraisalCriterionAdmin(AuditedModelAdmin):
    list_display = ["title", "dialogue", "weight", "position"]
    list_filter = ["dialogue"]
