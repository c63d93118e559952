"""The commitments' pages. ``concord/secretariat/urls.py`` includes them in the ``secretariat`` namespace,
where their names and addresses were before the app moved."""

from django.urls import path

from . import edit_views as ev
from . import views as cv

urlpatterns = [
    path("d/<slug:slug>/commitments/", cv.commitment_list, name="commitments"),
    path("d/<slug:slug>/commitments/new/", cv.commitment_create, name="commitment_create"),
    path("d/<slug:slug>/commitments/import/", cv.commitment_import, name="commitment_import"),
    path(
        "d/<slug:slug>/commitments/import/template.<str:ext>",
        cv.commitment_import_template,
        name="commitment_import_template",
    ),
    path("d/<slug:slug>/progress/waiting/", ev.progress_waiting, name="progress_waiting"),
    path("commitments/<int:pk>/edit/", ev.commitment_edit, name="commitment_edit"),
    path("milestones/<int:pk>/edit/", ev.milestone_edit, name="milestone_edit"),
    path("commitments/<int:pk>/to-agenda/", ev.commitment_to_agenda, name="commitment_to_agenda"),
    path("commitments/<int:pk>/", cv.commitment_detail, name="commitment"),
    path("commitments/<int:pk>/status/", cv.commitment_status, name="commitment_status"),
    path("commitments/<int:pk>/milestones/", cv.milestone_create, name="milestone_create"),
    path("commitments/<int:pk>/progress/", cv.progress_submit, name="progress_submit"),
    path("commitments/<int:pk>/depends/", cv.dependency_add, name="dependency_add"),
    path("milestones/<int:pk>/reach/", cv.milestone_reach, name="milestone_reach"),
    path("progress/<int:pk>/review/", cv.progress_review, name="progress_review"),
    path("evidence/<int:pk>/", cv.evidence, name="evidence"),
]
