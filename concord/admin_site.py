"""The Django admin, for the secretariat only, with every write audited."""

from __future__ import annotations

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from concord.audit.log import record, snapshot


class ConcordAdminSite(admin.AdminSite):
    site_header = _("Concord administration")
    site_title = _("Concord")
    index_title = _("Secretariat administration")

    def has_permission(self, request) -> bool:
        from concord.core.rules import is_secretariat

        user = request.user
        return bool(user.is_active and user.is_staff and (user.is_superuser or is_secretariat(user)))


class AuditedModelAdmin(admin.ModelAdmin):
    """A ModelAdmin whose saves and deletions go to the audit log, usable by the secretariat."""

    def _secretariat(self, request) -> bool:
        from concord.core.rules import is_secretariat

        return request.user.is_superuser or is_secretariat(request.user)

    def has_module_permission(self, request) -> bool:
        return self._secretariat(request)

    def has_view_permission(self, request, obj=None) -> bool:
        return self._secretariat(request)

    def has_add_permission(self, request) -> bool:
        return self._secretariat(request)

    def has_change_permission(self, request, obj=None) -> bool:
        return self._secretariat(request)

    def has_delete_permission(self, request, obj=None) -> bool:
        return self._secretariat(request)

    def save_model(self, request, obj, form, change):
        before = None
        if change and obj.pk:
            old = type(obj).objects.filter(pk=obj.pk).first()
            before = snapshot(old)
        super().save_model(request, obj, form, change)
        label = obj._meta.label_lower
        record(
            actor=request.user,
            action=f"admin.{'change' if change else 'add'}.{label}",
            obj=obj,
            before=before,
            after=snapshot(obj),
        )

    def delete_model(self, request, obj):
        record(
            actor=request.user, action=f"admin.delete.{obj._meta.label_lower}", obj=obj, before=snapshot(obj)
        )
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            record(
                actor=request.user,
                action=f"admin.delete.{obj._meta.label_lower}",
                obj=obj,
                before=snapshot(obj),
            )
        super().delete_queryset(request, queryset)


class VisibleContentAdmin(AuditedModelAdmin):
    """Admin for content with a visibility: even here, party-only content stays with its party."""

    def get_queryset(self, request):
        from concord.core.rules import visible

        return visible(request.user, super().get_queryset(request))
