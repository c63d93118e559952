from django.urls import path

from . import views

app_name = "audit"
urlpatterns = [
    path("", views.audit_list, name="list"),
    path("<int:pk>/", views.audit_entry, name="entry"),
    path("export/", views.audit_export, name="export"),
    path("export/<uuid:job_id>.csv", views.audit_download, name="download"),
]
