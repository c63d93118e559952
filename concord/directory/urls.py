from django.urls import path

from . import views

app_name = "directory"
urlpatterns = [
    path("", views.listing_list, name="listings"),
    path("organisations/", views.organization_list, name="organizations"),
    path("organisations/duplicates/", views.duplicates, name="duplicates"),
    path("organisations/<int:pk>/", views.organization_detail, name="organization"),
    path("organisations/<int:pk>/profile/", views.profile_edit, name="profile_edit"),
    path("organisations/<int:pk>/recommendations/", views.recommendations, name="recommendations"),
    path("listings/new/", views.listing_create, name="listing_create"),
    path("listings/review/", views.review_queue, name="review_queue"),
    path("listings/<int:pk>/", views.listing_detail, name="listing"),
    path("listings/<int:pk>/edit/", views.listing_edit, name="listing_edit"),
    path("listings/<int:pk>/interest/", views.interest_create, name="interest_create"),
    path("listings/<int:pk>/slots/", views.slot_create, name="slot_create"),
    path("listings/<int:pk>/<str:verb>/", views.listing_transition, name="listing_transition"),
    path("interests/<int:pk>/decide/", views.interest_decide, name="interest_decide"),
    path("interests/<int:pk>/book/<int:slot_id>/", views.slot_book, name="slot_book"),
    path("opportunities/", views.opportunity_list, name="opportunities"),
    path("opportunities/new/", views.opportunity_create, name="opportunity_create"),
    path("opportunities/<int:pk>/", views.opportunity_detail, name="opportunity"),
]
