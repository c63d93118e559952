"""The admin app, configured to use Concord's secretariat-only admin site."""

from django.contrib.admin.apps import AdminConfig


class ConcordAdminConfig(AdminConfig):
    default_site = "concord.admin_site.ConcordAdminSite"
