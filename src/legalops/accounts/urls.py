from django.urls import path

from legalops.accounts import views

app_name = "accounts"
urlpatterns = [
    path("login/", views.login_view, name="login"),
    path("login/verify/", views.login_verify_view, name="login_verify"),
    path("login/enrol/", views.login_enrol_view, name="login_enrol"),
    path("logout/", views.logout_view, name="logout"),
    path("password/reset/", views.password_reset, name="password_reset"),
    path("password/reset/sent/", views.password_reset_done, name="password_reset_done"),
    path(
        "password/reset/<uidb64>/<token>/",
        views.password_reset_confirm,
        name="password_reset_confirm",
    ),
    path("password/reset/complete/", views.password_reset_complete, name="password_reset_complete"),
    path("password/change/", views.password_change, name="password_change"),
    path("security/", views.security_view, name="security"),
    path("security/two-factor/", views.two_factor_setup_view, name="two_factor_setup"),
    path("security/two-factor/disable/", views.two_factor_disable_view, name="two_factor_disable"),
    path("security/recovery-codes/", views.recovery_codes_view, name="recovery_codes"),
    path(
        "security/recovery-codes/new/",
        views.recovery_codes_regenerate_view,
        name="recovery_codes_regenerate",
    ),
    path("security/tokens/", views.token_create_view, name="token_create"),
    path("security/tokens/<int:pk>/revoke/", views.token_revoke_view, name="token_revoke"),
    path("invitations/new/", views.invite_view, name="invite"),
    path("invitations/<int:pk>/revoke/", views.invitation_revoke_view, name="invitation_revoke"),
    path("invitations/accept/<str:token>/", views.invitation_accept_view, name="invitation_accept"),
    path("users/", views.user_list_view, name="user_list"),
    path("users/<int:pk>/", views.user_detail_view, name="user_detail"),
    path("users/<int:pk>/<slug:action>/", views.user_status_view, name="user_status"),
]
