"""Accounts' pages: login, preferences, invitations, password resets and each team's pages."""

from __future__ import annotations

from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy

from pressdesk.accounts import team_views, views

app_name = "accounts"

urlpatterns = [
    path("accounts/login/", views.login_view, name="login"),
    path("accounts/login/code/", views.login_totp, name="login_totp"),
    path("accounts/logout/", views.logout_view, name="logout"),
    path("accounts/language/", views.set_language, name="set_language"),
    path("accounts/profile/", views.profile, name="profile"),
    path("accounts/two-factor/", views.totp_setup, name="totp_setup"),
    path("accounts/two-factor/disable/", views.totp_disable, name="totp_disable"),
    path("accounts/tokens/<slug:org_slug>/new/", views.create_token, name="create_token"),
    path("accounts/tokens/<int:token_id>/revoke/", views.revoke_token, name="revoke_token"),
    path("accounts/invitation/<str:token>/", views.accept_invitation, name="accept_invitation"),
    path(
        "accounts/password/reset/",
        views.PasswordResetView.as_view(),
        name="password_reset",
    ),
    path(
        "accounts/password/reset/sent/",
        auth_views.PasswordResetDoneView.as_view(template_name="accounts/password_reset_done.html"),
        name="password_reset_done",
    ),
    path(
        "accounts/password/reset/<uidb64>/<token>/",
        views.PasswordResetConfirmView.as_view(
            success_url=reverse_lazy("accounts:password_reset_complete"),
        ),
        name="password_reset_confirm",
    ),
    path(
        "accounts/password/reset/done/",
        auth_views.PasswordResetCompleteView.as_view(
            template_name="accounts/password_reset_complete.html"
        ),
        name="password_reset_complete",
    ),
    path("o/<slug:org_slug>/team/", team_views.team, name="team"),
    path("o/<slug:org_slug>/team/invite/", team_views.invite, name="invite"),
    path(
        "o/<slug:org_slug>/team/invitations/<int:invitation_id>/revoke/",
        team_views.revoke_invitation,
        name="revoke_invitation",
    ),
    path(
        "o/<slug:org_slug>/team/<int:membership_id>/role/",
        team_views.change_role,
        name="change_role",
    ),
    path(
        "o/<slug:org_slug>/team/<int:membership_id>/remove/",
        team_views.remove_member,
        name="remove_member",
    ),
    path("o/<slug:org_slug>/settings/", team_views.org_settings, name="org_settings"),
    path("o/<slug:org_slug>/audit/", team_views.audit_log, name="audit_log"),
]
