from django.urls import path

from . import views

app_name = "core"
urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("language/", views.switch_language, name="switch_language"),
    path("dialogues/<slug:slug>/", views.dialogue_detail, name="dialogue"),
    path("dialogues/<slug:slug>/notes/new/", views.note_create, name="note_create"),
    path("notes/", views.note_list, name="notes"),
    path("notes/<int:pk>/", views.note_detail, name="note"),
    path("notes/<int:pk>/edit/", views.note_edit, name="note_edit"),
    path("notes/<int:pk>/delete/", views.note_delete, name="note_delete"),
    path("organisations/", views.organization_list, name="organizations"),
    path("organisations/new/", views.organization_form, name="organization_create"),
    path("organisations/<int:pk>/", views.organization_detail, name="organization"),
    path("organisations/<int:pk>/edit/", views.organization_form, name="organization_edit"),
    path("jobs/<uuid:pk>/", views.job_detail, name="job"),
    path("jobs/<uuid:pk>.json", views.job_json, name="job_json"),
    path("jobs/<uuid:pk>/retry/", views.job_retry, name="job_retry"),
    path("status/", views.queue_status, name="status"),
]
