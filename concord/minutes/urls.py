"""The minutes' pages. ``concord/secretariat/urls.py`` includes them in the ``secretariat`` namespace,
where their names and addresses were before the app moved."""

from django.urls import path

from . import views

urlpatterns = [
    path("meetings/<int:pk>/minutes/<str:language>/", views.minutes_edit, name="minutes_edit"),
    path("meetings/<int:pk>/minutes.pdf", views.minutes_pdf, name="minutes_pdf"),
    path("minutes/<int:pk>/", views.minutes_detail, name="minutes"),
    path("minutes/<int:pk>/versions/<int:version>/", views.minutes_version, name="minutes_version"),
    path("minutes/<int:pk>/state/", views.minutes_transition, name="minutes_transition"),
    path("minutes/<int:pk>/amendments/", views.minutes_amend, name="minutes_amend"),
    path("amendments/<int:pk>/decide/", views.amendment_decide, name="amendment_decide"),
]
