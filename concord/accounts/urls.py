from django.urls import path

from . import views

app_name = "accounts"
urlpatterns = [
    path("login/", views.login_view, name="login"),
    path("logout/", views.logout_view, name="logout"),
    path("2fa/", views.two_factor_view, name="two_factor"),
    path("settings/", views.settings_view, name="settings"),
    path("tokens/<int:pk>/revoke/", views.revoke_token_view, name="revoke_token"),
    path("invitations/", views.invitations_view, name="invitations"),
    path("invitations/<int:pk>/withdraw/", views.withdraw_invitation_view, name="withdraw_invitation"),
    path("join/<str:token>/", views.join_view, name="join"),
    path("password/reset/", views.password_reset_view, name="password_reset"),
    path("password/reset/sent/", views.password_reset_done_view, name="password_reset_done"),
    path(
        "password/reset/<uidb64>/<token>/", views.password_reset_confirm_view, name="password_reset_confirm"
    ),
    path("password/reset/done/", views.password_reset_complete_view, name="password_reset_complete"),
]
