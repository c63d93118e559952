from django.urls import path

from . import views
from .joint import views as joint
from .peer import views as peer

app_name = "programmes"
urlpatterns = [
    path("", views.programme_list, name="list"),
    path("new/", views.programme_create, name="create"),
    path("import/", views.programme_import, name="import"),
    path("import/template.xlsx", views.import_template, name="import_template"),
    path("export.<str:fmt>", views.programme_export, name="export"),
    path("<int:pk>/", views.programme_detail, name="detail"),
    path("compare/<int:a>/<int:b>/", views.programme_compare, name="compare"),
    path("<int:pk>/edit/", views.programme_edit, name="edit"),
    path("<int:pk>/delete/", views.programme_delete, name="delete"),
    path("<int:pk>/indicators/new/", views.indicator_create, name="indicator_create"),
    path("<int:pk>/lessons/new/", views.lesson_create, name="lesson_create"),
    path("indicators/<int:pk>/values/new/", views.value_create, name="value_create"),
    path("indicators/<int:pk>/edit/", views.indicator_edit, name="indicator_edit"),
    path("indicators/<int:pk>/delete/", views.indicator_delete, name="indicator_delete"),
    path("values/<int:pk>/delete/", views.value_delete, name="value_delete"),
    path("lessons/<int:pk>/edit/", views.lesson_edit, name="lesson_edit"),
    path("lessons/<int:pk>/delete/", views.lesson_delete, name="lesson_delete"),
    path("files/<int:pk>/", views.lesson_file, name="lesson_file"),
    path("requests/", peer.request_list, name="request_list"),
    path("requests/new/", peer.request_create, name="request_create"),
    path("requests/<int:pk>/", peer.request_detail, name="request_detail"),
    path("requests/<int:pk>/answer/", peer.request_answer, name="request_answer"),
    path("requests/<int:pk>/<str:verb>/", peer.request_state, name="request_state"),
    path("joint/", joint.portfolio, name="joint_list"),
    path("joint/new/", joint.propose, name="joint_create"),
    path("joint/criteria/", joint.criteria, name="joint_criteria"),
    path("joint/<int:pk>/", joint.project_detail, name="joint_detail"),
    path("joint/<int:pk>/edit/", joint.project_edit, name="joint_edit"),
    path("joint/<int:pk>/move/", joint.project_move, name="joint_move"),
    path("joint/<int:pk>/appraise/", joint.project_appraise, name="joint_appraise"),
    path("joint/<int:pk>/owner/", joint.project_owner, name="joint_owner"),
    path("joint/<int:pk>/<str:part>/", joint.project_shape, name="joint_shape"),
]
