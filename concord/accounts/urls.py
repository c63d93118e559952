from django.urls import path

from . import views

app_name = "accounts"
urlpatterns = [
    path("login/", views.login_view, name="login"),
    path("logout/", views.logout_view, name="logout"),
    path("2fa/", views.two_factor_view, name="two_factor"),
    path("settings/", views.settings_view, name="settings"),
    path("tokens/<int:pk>/revoke/", views.revoke_token_view, name="revoke_token"),
]
