from django.urls import path

from . import views

app_name = "harmonize"
urlpatterns = [
    path("", views.comparison_list, name="list"),
    path("new/", views.comparison_create, name="create"),
    path("<int:pk>/", views.overview, name="overview"),
    path("<int:pk>/progress/", views.progress, name="progress"),
    path("<int:pk>/run/", views.run, name="run"),
    path("<int:pk>/delete/", views.delete, name="delete"),
    path("<int:pk>/review/", views.review_queue, name="review"),
    path("<int:pk>/review/bulk/", views.review_bulk, name="review_bulk"),
    path("<int:pk>/signoff/", views.theme_signoff, name="theme_signoff"),
    path("<int:pk>/mappings/new/", views.mapping_add, name="mapping_add"),
    path("<int:pk>/mappings/<int:mid>/", views.mapping_detail, name="mapping"),
    path("<int:pk>/gaps/<int:gid>/", views.gap_detail, name="gap"),
    path("<int:pk>/mappings/<int:mid>/review/", views.mapping_review, name="mapping_review"),
    path("<int:pk>/mappings/<int:mid>/signoff/", views.mapping_signoff, name="mapping_signoff"),
    path("<int:pk>/export/<slug:fmt>/", views.export, name="export"),
]
