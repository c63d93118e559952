"""The dashboard's and the round dossier's pages. ``concord/secretariat/urls.py`` includes them in the
``secretariat`` namespace, where their names and addresses were before the app moved."""

from django.urls import path

from . import views

urlpatterns = [
    path("d/<slug:slug>/dashboard/", views.dashboard, name="dashboard"),
    path("d/<slug:slug>/dossier/", views.dossier_request, name="dossier_request"),
    path("dossier/<uuid:job_id>/", views.dossier_ready, name="dossier_ready"),
    path("dossier/<uuid:job_id>/file.<str:ext>", views.dossier_file, name="dossier_file"),
]
