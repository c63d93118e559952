"""The secretariat's pages, and those of the apps that grew out of it (commitments, minutes, reporting), under
one namespace: their names and addresses stay as they were (``secretariat:minutes``,
``/secretariat/minutes/1/``).
"""

from django.urls import path

from concord.commitments.urls import urlpatterns as commitment_urls
from concord.minutes.urls import urlpatterns as minutes_urls
from concord.reporting.urls import urlpatterns as reporting_urls

from . import edit_views as ev
from . import views
from .agenda import views as agenda_views

app_name = "secretariat"
urlpatterns = [
    path("", views.home, name="home"),
    path("d/<slug:slug>/", views.overview, name="overview"),
    path("d/<slug:slug>/meetings/new/", views.meeting_create, name="meeting_create"),
    path("d/<slug:slug>/backlog/", views.backlog, name="backlog"),
    path("d/<slug:slug>/calendar.ics", views.dialogue_feed, name="dialogue_feed"),
    path("d/<slug:slug>/meetings.csv", views.meetings_csv, name="meetings_csv"),
    path("d/<slug:slug>/working-groups/new/", ev.working_group_create, name="working_group_create"),
    path("calendar/<str:token>.ics", views.user_feed, name="user_feed"),
    path("working-groups/<int:pk>/members/", ev.working_group_member_add, name="working_group_member_add"),
    path(
        "working-group-members/<int:pk>/remove/",
        ev.working_group_member_remove,
        name="working_group_member_remove",
    ),
    path("meetings/<int:pk>/edit/", ev.meeting_edit, name="meeting_edit"),
    path("meetings/<int:pk>/cancel/", ev.meeting_cancel, name="meeting_cancel"),
    path("meetings/<int:pk>/meeting.ics", ev.meeting_ics, name="meeting_ics"),
    path("meetings/<int:pk>/invite-group/", ev.invite_group, name="invite_group"),
    path("participants/<int:pk>/remove/", ev.participant_remove, name="participant_remove"),
    path("items/<int:pk>/edit/", ev.item_edit, name="item_edit"),
    path("items/<int:pk>/move/", ev.item_move, name="item_move"),
    path("items/<int:pk>/delete/", ev.item_delete, name="item_delete"),
    path("to-agenda/<str:model>/<int:pk>/", agenda_views.to_agenda, name="to_agenda"),
    path("d/<slug:slug>/themes/<slug:theme>/", agenda_views.theme_detail, name="theme"),
    path(
        "d/<slug:slug>/themes/<slug:theme>/to-agenda/", agenda_views.theme_to_agenda, name="theme_to_agenda"
    ),
    path("working-groups/<int:pk>/", views.working_group, name="working_group"),
    path("meetings/<int:pk>/", views.meeting_detail, name="meeting"),
    path("meetings/<int:pk>/state/", views.meeting_transition, name="meeting_transition"),
    path("meetings/<int:pk>/items/", views.item_create, name="item_create"),
    path("meetings/<int:pk>/schedule/", views.item_schedule, name="item_schedule"),
    path("meetings/<int:pk>/participants/", views.participant_add, name="participant_add"),
    path("meetings/<int:pk>/rsvp/", views.rsvp, name="rsvp"),
    path("participants/<int:pk>/attendance/", views.attendance, name="attendance"),
    path("items/<int:pk>/outcomes/", views.outcome_create, name="outcome_create"),
    path("outcomes/<int:pk>/position/", views.outcome_position, name="outcome_position"),
    path("outcomes/<int:pk>/done/", views.outcome_done, name="outcome_done"),
]
urlpatterns += commitment_urls
urlpatterns += reporting_urls
urlpatterns += minutes_urls
