"""Logging in and out, two-factor authentication, invitations and personal preferences."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

import pyotp
import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import authenticate as django_authenticate
from django.contrib.auth import login, logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse, reverse_lazy
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from pressdesk.accounts import audit, services, throttle, totp
from pressdesk.accounts.access import OrgRequest, org_view
from pressdesk.accounts.forms import ApiTokenForm, LoginForm, ProfileForm, SignupForm, TotpForm
from pressdesk.accounts.models import ApiToken, User
from pressdesk.lib.client_ip import client_ip

TOTP_SESSION_KEY = "pending_totp_user"
TOTP_SETUP_KEY = "totp_secret"
NEW_TOKEN_KEY = "new_api_token"  # noqa: S105 (a session key, not a secret)
BACKEND = "pressdesk.accounts.backends.EmailBackend"


def _user(request: HttpRequest) -> User:
    # Only called behind login_required: narrows the type for mypy and for readers.
    assert isinstance(request.user, User)
    return request.user


def _next_url(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse("home")


def _with_next(url: str, next_url: str) -> str:
    return f"{url}?{urlencode({'next': next_url}, safe='/')}"


def _finish_login(request: HttpRequest, user: User) -> HttpResponse:
    login(request, user, backend=BACKEND)
    if user.language:
        translation.activate(user.language)
    return HttpResponseRedirect(_next_url(request))


def _too_many_attempts() -> str:
    return _("Too many failed attempts. Please wait a few minutes and try again.")


@require_http_methods(["GET", "POST"])
def login_view(request: HttpRequest) -> HttpResponse:
    """The login form; failures are throttled per account and address, and audited."""
    form = LoginForm(request.POST or None)
    ip = client_ip(request)
    if request.method == "POST" and form.is_valid():
        email = form.cleaned_data["email"].lower()
        password = form.cleaned_data["password"]
        if throttle.is_throttled(email, ip):
            audit.record("login.throttled", actor_label=email, request=request)
            form.add_error(None, _too_many_attempts())
        elif (user := django_authenticate(request, username=email, password=password)) is None:
            throttle.record_failure(email, ip)
            # Tied to the account when there is one, so its organisations' directors see it.
            account = User.objects.filter(email__iexact=email).first()
            audit.record("login.failure", actor=account, actor_label=email, request=request)
            form.add_error(None, _("Wrong email or password."))
        else:
            assert isinstance(user, User)
            throttle.clear(email, ip)
            if user.totp_enabled:
                request.session[TOTP_SESSION_KEY] = user.pk
                return redirect(_with_next(reverse("accounts:login_totp"), _next_url(request)))
            return _finish_login(request, user)
    return render(request, "accounts/login.html", {"form": form, "next": _next_url(request)})


@require_http_methods(["GET", "POST"])
def login_totp(request: HttpRequest) -> HttpResponse:
    """The second step of a login with two-factor authentication: the six-digit code."""
    user_id = request.session.get(TOTP_SESSION_KEY)
    user = User.objects.filter(pk=user_id, is_active=True).first() if user_id else None
    if user is None:
        return redirect("accounts:login")
    form = TotpForm(request.POST or None)
    ip = client_ip(request)
    if request.method == "POST" and form.is_valid():
        code_key = throttle.code_key(user.email)
        if throttle.is_throttled(code_key, ip):
            audit.record("login.throttled", actor=user, request=request)
            form.add_error(None, _too_many_attempts())
        elif totp.verify_and_consume(user, form.cleaned_data["code"]):
            del request.session[TOTP_SESSION_KEY]
            throttle.clear(code_key, ip)
            return _finish_login(request, user)
        else:
            throttle.record_failure(code_key, ip)
            audit.record("login.totp_failure", actor=user, request=request)
            form.add_error(
                "code", _("This code is not valid. Check your authenticator app's clock.")
            )
    return render(request, "accounts/login_totp.html", {"form": form, "next": _next_url(request)})


@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    """Log out (POST only, so that a link or an image cannot do it)."""
    logout(request)
    return redirect("accounts:login")


@require_http_methods(["GET", "POST"])
def accept_invitation(request: HttpRequest, token: str) -> HttpResponse:
    """Join an organisation by invitation: sign up, or log in and accept."""
    invitation = services.find_invitation(token)
    if invitation is None:
        return render(request, "accounts/invitation_invalid.html", status=410)
    existing = User.objects.filter(email__iexact=invitation.email).first()
    ctx: dict[str, Any] = {"invitation": invitation}
    if existing is not None:
        # The invited person already has an account: they join after logging in as themselves.
        if request.user.pk != existing.pk:
            if request.user.is_authenticated:
                messages.info(
                    request,
                    _("This invitation is for %(email)s. Please log in with that address.")
                    % {"email": invitation.email},
                )
            return redirect(_with_next(reverse("accounts:login"), request.path))
        if request.method == "POST":
            try:
                services.accept_invitation(invitation, existing)
            except services.TeamError:
                return render(request, "accounts/invitation_invalid.html", status=410)
            return _welcome(request, invitation.org.name, invitation.org.slug)
        return render(request, "accounts/invitation_join.html", ctx)
    form = SignupForm(request.POST or None, email=invitation.email)
    if request.method == "POST" and form.is_valid():
        try:
            user = services.sign_up(
                invitation,
                full_name=form.cleaned_data["full_name"],
                password=form.cleaned_data["password"],
                language=translation.get_language() or "",
            )
        except services.TeamError:
            return render(request, "accounts/invitation_invalid.html", status=410)
        login(request, user, backend=BACKEND)
        return _welcome(request, invitation.org.name, invitation.org.slug)
    ctx["form"] = form
    return render(request, "accounts/invitation_signup.html", ctx)


def _welcome(request: HttpRequest, org_name: str, org_slug: str) -> HttpResponse:
    messages.success(request, _("Welcome to %(org)s.") % {"org": org_name})
    return redirect("dashboard", org_slug=org_slug)


@login_required
@require_http_methods(["GET", "POST"])
def profile(request: HttpRequest) -> HttpResponse:
    """The user's preferences, two-factor authentication and API tokens."""
    user = _user(request)
    form = ProfileForm(request.POST or None, instance=user)
    if request.method == "POST" and form.is_valid():
        form.save()
        if user.language:
            translation.activate(user.language)
        messages.success(request, _("Your preferences are saved."))
        return redirect("accounts:profile")
    tokens = ApiToken.objects.filter(membership__user=user).select_related("membership__org")
    memberships = user.memberships.select_related("org")
    return render(
        request,
        "accounts/profile.html",
        {
            "form": form,
            "tokens": tokens,
            "memberships": memberships,
            "new_token": request.session.pop(NEW_TOKEN_KEY, None),
        },
    )


@require_POST
def set_language(request: HttpRequest) -> HttpResponse:
    """Switch the interface language; a logged-in user's choice is remembered on their account."""
    language = request.POST.get("language", "")
    response = HttpResponseRedirect(_next_url(request))
    if language not in dict(settings.LANGUAGES):
        return response
    if request.user.is_authenticated:
        User.objects.filter(pk=request.user.pk).update(language=language)
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=365 * 24 * 3600,
        samesite="Lax",
        secure=settings.SESSION_COOKIE_SECURE,
    )
    return response


@login_required
@require_http_methods(["GET", "POST"])
def totp_setup(request: HttpRequest) -> HttpResponse:
    """Turn on two-factor authentication once a first code proves the app has the key."""
    user = _user(request)
    if user.totp_enabled:
        return redirect("accounts:profile")
    # The secret waits in the session until a first code proves the app has it.
    secret = request.session.get(TOTP_SETUP_KEY) or pyotp.random_base32()
    request.session[TOTP_SETUP_KEY] = secret
    form = TotpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if pyotp.TOTP(secret).verify(form.cleaned_data["code"], valid_window=1):
            user.totp_secret, user.totp_enabled = secret, True
            user.save(update_fields=["totp_secret", "totp_enabled"])
            del request.session[TOTP_SETUP_KEY]
            audit.record("auth.totp_enable", actor=user, request=request)
            messages.success(request, _("Two-factor authentication is on."))
            return redirect("accounts:profile")
        form.add_error("code", _("This code is not valid. Check your authenticator app's clock."))
    uri = pyotp.TOTP(secret).provisioning_uri(name=user.email, issuer_name=settings.SITE_NAME)
    qr = segno.make(uri).svg_inline(scale=5, title=_("QR code for your authenticator app"))
    return render(request, "accounts/totp_setup.html", {"form": form, "secret": secret, "qr": qr})


@login_required
@require_POST
def totp_disable(request: HttpRequest) -> HttpResponse:
    """Turn off two-factor authentication, given a current code."""
    user = _user(request)
    form = TotpForm(request.POST)
    code = form.cleaned_data["code"] if form.is_valid() else ""
    if user.totp_enabled and code and pyotp.TOTP(user.totp_secret).verify(code, valid_window=1):
        user.totp_secret, user.totp_enabled = "", False
        user.save(update_fields=["totp_secret", "totp_enabled"])
        audit.record("auth.totp_disable", actor=user, request=request)
        messages.success(request, _("Two-factor authentication is off."))
    else:
        messages.error(request, _("This code is not valid. Two-factor authentication stays on."))
    return redirect("accounts:profile")


@org_view("read", methods=["POST"])
def create_token(request: OrgRequest) -> HttpResponse:
    """Create an API token for the user in this organisation; it is shown once."""
    form = ApiTokenForm(request.POST)
    if form.is_valid():
        raw = services.create_api_token(request.membership, form.cleaned_data["name"])
        # Shown once on the profile page. Kept in the server-side session rather than in a
        # message, which may travel in a cookie.
        request.session[NEW_TOKEN_KEY] = raw
    else:
        messages.error(request, _("Please give the token a name."))
    return redirect("accounts:profile")


@login_required
@require_POST
def revoke_token(request: HttpRequest, token_id: int) -> HttpResponse:
    """Delete one of the user's own API tokens."""
    token = get_object_or_404(
        ApiToken.objects.select_related("membership__org"),
        pk=token_id,
        membership__user=request.user.pk,
    )
    services.revoke_api_token(token, by=_user(request), request=request)
    messages.success(request, _("The token is revoked."))
    return redirect("accounts:profile")


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    """Django's reset form, plus an audit entry when a password is changed through a link."""

    template_name = "accounts/password_reset_confirm.html"
    # Django's form views treat PUT as POST; we answer 405 like everywhere else.
    http_method_names = ["get", "post", "head"]

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        audit.record("auth.password_reset", actor=form.user, request=self.request)
        return response


class PasswordResetView(auth_views.PasswordResetView):
    """Django's reset request, throttled so nobody can flood an address with reset mails."""

    template_name = "accounts/password_reset.html"
    email_template_name = "accounts/emails/password_reset.txt"
    html_email_template_name = "accounts/emails/password_reset.html"
    subject_template_name = "accounts/emails/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password_reset_done")
    http_method_names = ["get", "post", "head"]

    def form_valid(self, form: Any) -> HttpResponse:
        key = "reset:" + form.cleaned_data["email"].lower()
        ip = client_ip(self.request)
        if throttle.is_throttled(key, ip):
            # Same answer as a sent mail: the page must not tell whether an account exists.
            return HttpResponseRedirect(self.get_success_url())
        throttle.record_failure(key, ip)
        return super().form_valid(form)
