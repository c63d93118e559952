from django.contrib import admin
from django.urls import include, path
from django.views.i18n import JavaScriptCatalog

from concord.api.api import api

urlpatterns = [
    path("", include("concord.core.urls")),
    path("accounts/", include("concord.accounts.urls")),
    path("audit/", include("concord.audit.urls")),
    path("library/", include("concord.library.urls")),
    path("harmonize/", include("concord.harmonize.urls")),
    path("directory/", include("concord.directory.urls")),
    path("search/", include("concord.knowledge.urls")),
    path("secretariat/", include("concord.secretariat.urls")),
    path("talent/", include("concord.talent.urls")),
    path("programmes/", include("concord.programmes.urls")),
    path("notices/", include("concord.notices.urls")),
    path("admin/", admin.site.urls),
    path("api/", api.urls),
    path("jsi18n/", JavaScriptCatalog.as_view(), name="javascript-catalog"),
]

handler404 = "concord.core.views.page_not_found"
handler403 = "concord.core.views.permission_denied"
handler500 = "concord.core.views.server_error"
