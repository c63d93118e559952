from django.urls import path

from . import views

app_name = "library"
urlpatterns = [
    path("", views.document_list, name="list"),
    path("upload/", views.upload, name="upload"),
    path("uploads/<int:pk>/", views.upload_status, name="upload_status"),
    path("<int:pk>/", views.document_detail, name="document"),
    path("<int:pk>/edit/", views.document_edit, name="edit"),
    path("<int:pk>/delete/", views.document_delete, name="delete"),
    path("<int:pk>/language/", views.document_language, name="language"),
    path("<int:pk>/versions/new/", views.version_upload, name="version_upload"),
    path("versions/<int:pk>/original/", views.download_original, name="original"),
    path("versions/<int:pk>/diff/", views.version_diff, name="diff"),
    path("versions/<int:pk>/reprocess/", views.reprocess, name="reprocess"),
    path("provisions/<int:pk>/themes/", views.provision_themes, name="provision_themes"),
]
