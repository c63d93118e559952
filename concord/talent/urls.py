from django.urls import path

from . import views

app_name = "talent"

urlpatterns = [
    path("", views.home, name="home"),
    path("opportunities/new/", views.opportunity_new, name="opportunity_new"),
    path("opportunities/<int:pk>/", views.opportunity, name="opportunity"),
    path("opportunities/<int:pk>/edit/", views.opportunity_edit, name="opportunity_edit"),
    path("opportunities/<int:pk>/status/", views.opportunity_status, name="opportunity_status"),
    path("opportunities/<int:pk>/apply/", views.apply, name="apply"),
    path("applications/<int:pk>/withdraw/", views.application_withdraw, name="application_withdraw"),
    path("applications/<int:pk>/move/", views.application_move, name="application_move"),
    path("placements/<int:pk>/answer/", views.placement_respond, name="placement_respond"),
    path("profile/", views.my_profile, name="my_profile"),
    path("profile/export/", views.export_profile, name="export_profile"),
    path("profile/delete/", views.delete_profile, name="delete_profile"),
    path("profile/skills/add/", views.add_skill, name="add_skill"),
    path("profile/skills/<int:pk>/", views.review_skill, name="review_skill"),
    path("profiles/<int:pk>/", views.profile, name="profile"),
    path("rounds/", views.rounds, name="rounds"),
    path("rounds/new/", views.round_new, name="round_new"),
    path("rounds/<int:pk>/", views.allocation_round, name="round"),
    path("rounds/<int:pk>/run/", views.round_run, name="round_run"),
    path("skills/", views.skills, name="skills"),
    path("skills/<int:pk>/", views.skill, name="skill"),
    path("crosswalk/", views.crosswalk, name="crosswalk"),
    path("crosswalk/import/", views.framework_import, name="framework_import"),
    path("gaps/", views.gaps, name="gaps"),
    path("gaps.csv", views.gaps_csv, name="gaps_csv"),
]
