from django.urls import path

from . import commitment_views as cv
from . import views
from .minutes import views as minutes_views

app_name = "secretariat"
urlpatterns = [
    path("", views.home, name="home"),
    path("d/<slug:slug>/", views.overview, name="overview"),
    path("d/<slug:slug>/meetings/new/", views.meeting_create, name="meeting_create"),
    path("d/<slug:slug>/backlog/", views.backlog, name="backlog"),
    path("d/<slug:slug>/calendar.ics", views.dialogue_feed, name="dialogue_feed"),
    path("d/<slug:slug>/meetings.csv", views.meetings_csv, name="meetings_csv"),
    path("d/<slug:slug>/commitments/", cv.commitment_list, name="commitments"),
    path("d/<slug:slug>/commitments/new/", cv.commitment_create, name="commitment_create"),
    path("d/<slug:slug>/commitments/import/", cv.commitment_import, name="commitment_import"),
    path(
        "d/<slug:slug>/commitments/import/template.<str:ext>",
        cv.commitment_import_template,
        name="commitment_import_template",
    ),
    path("d/<slug:slug>/dashboard/", cv.dashboard, name="dashboard"),
    path("d/<slug:slug>/dossier/", cv.dossier_request, name="dossier_request"),
    path("calendar/<str:token>.ics", views.user_feed, name="user_feed"),
    path("working-groups/<int:pk>/", views.working_group, name="working_group"),
    path("meetings/<int:pk>/", views.meeting_detail, name="meeting"),
    path("meetings/<int:pk>/state/", views.meeting_transition, name="meeting_transition"),
    path("meetings/<int:pk>/items/", views.item_create, name="item_create"),
    path("meetings/<int:pk>/schedule/", views.item_schedule, name="item_schedule"),
    path("meetings/<int:pk>/participants/", views.participant_add, name="participant_add"),
    path("meetings/<int:pk>/rsvp/", views.rsvp, name="rsvp"),
    path("meetings/<int:pk>/minutes/<str:language>/", views.minutes_edit, name="minutes_edit"),
    path("participants/<int:pk>/attendance/", views.attendance, name="attendance"),
    path("items/<int:pk>/outcomes/", views.outcome_create, name="outcome_create"),
    path("outcomes/<int:pk>/position/", views.outcome_position, name="outcome_position"),
    path("outcomes/<int:pk>/done/", views.outcome_done, name="outcome_done"),
    path("meetings/<int:pk>/minutes.pdf", minutes_views.minutes_pdf, name="minutes_pdf"),
    path("minutes/<int:pk>/", views.minutes_detail, name="minutes"),
    path("minutes/<int:pk>/versions/<int:version>/", views.minutes_version, name="minutes_version"),
    path("minutes/<int:pk>/state/", views.minutes_transition, name="minutes_transition"),
    path("minutes/<int:pk>/amendments/", views.minutes_amend, name="minutes_amend"),
    path("amendments/<int:pk>/decide/", views.amendment_decide, name="amendment_decide"),
    path("commitments/<int:pk>/", cv.commitment_detail, name="commitment"),
    path("commitments/<int:pk>/status/", cv.commitment_status, name="commitment_status"),
    path("commitments/<int:pk>/milestones/", cv.milestone_create, name="milestone_create"),
    path("commitments/<int:pk>/progress/", cv.progress_submit, name="progress_submit"),
    path("commitments/<int:pk>/depends/", cv.dependency_add, name="dependency_add"),
    path("milestones/<int:pk>/reach/", cv.milestone_reach, name="milestone_reach"),
    path("progress/<int:pk>/review/", cv.progress_review, name="progress_review"),
    path("evidence/<int:pk>/", cv.evidence, name="evidence"),
    path("dossier/<uuid:job_id>/", cv.dossier_ready, name="dossier_ready"),
    path("dossier/<uuid:job_id>/file.<str:ext>", cv.dossier_file, name="dossier_file"),
]
