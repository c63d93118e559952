from django.urls import path

from . import views

app_name = "knowledge"
urlpatterns = [
    path("", views.search_page, name="search"),
    path("trends/", views.trends_page, name="trends"),
    path("digest/", views.digest_preview, name="digest"),
    path("rebuild/", views.rebuild, name="rebuild"),
]
