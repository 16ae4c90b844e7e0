"""Logging in and out, two-factor authentication, invitations and personal preferences."""

from __future__ import annotations

import pyotp
import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth import authenticate as django_authenticate
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from pressdesk.accounts import audit, services, throttle
from pressdesk.accounts.forms import ApiTokenForm, LoginForm, ProfileForm, SignupForm, TotpForm
from pressdesk.accounts.models import ApiToken, Membership, User
from pressdesk.lib.client_ip import client_ip

TOTP_SESSION_KEY = "pending_totp_user"


def _next_url(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return reverse("home")


def _finish_login(request: HttpRequest, user: User) -> HttpResponse:
    login(request, user, backend="pressdesk.accounts.backends.EmailBackend")
    if user.language:
        translation.activate(user.language)
    return HttpResponseRedirect(_next_url(request))


@require_http_methods(["GET", "POST"])
def login_view(request: HttpRequest) -> HttpResponse:
    form = LoginForm(request.POST or None)
    ip = client_ip(request)
    if request.method == "POST" and form.is_valid():
        email = form.cleaned_data["email"].lower()
        if throttle.is_throttled(email, ip):
            audit.record("login.throttled", actor_label=email, request=request)
            form.add_error(None, _("Too many failed attempts. Please wait a few minutes and try again."))
        else:
            user = django_authenticate(request, username=email, password=form.cleaned_data["password"])
            if user is None:
                throttle.record_failure(email, ip)
                audit.record("login.failure", actor_label=email, request=request)
                form.add_error(None, _("Wrong email or password."))
            else:
                throttle.clear(email, ip)
                assert isinstance(user, User)
                if user.totp_enabled:
                    request.session[TOTP_SESSION_KEY] = user.pk
                    return redirect(reverse("accounts:login_totp") + "?next=" + _next_url(request))
                return _finish_login(request, user)
    return render(request, "accounts/login.html", {"form": form, "next": _next_url(request)})


@require_http_methods(["GET", "POST"])
def login_totp(request: HttpRequest) -> HttpResponse:
    user_id = request.session.get(TOTP_SESSION_KEY)
    user = User.objects.filter(pk=user_id, is_active=True).first() if user_id else None
    if user is None:
        return redirect("accounts:login")
    form = TotpForm(request.POST or None)
    ip = client_ip(request)
    if request.method == "POST" and form.is_valid():
        if throttle.is_throttled(user.email, ip):
            form.add_error(None, _("Too many failed attempts. Please wait a few minutes and try again."))
        elif pyotp.TOTP(user.totp_secret).verify(form.cleaned_data["code"], valid_window=1):
            del request.session[TOTP_SESSION_KEY]
            throttle.clear(user.email, ip)
            return _finish_login(request, user)
        else:
            throttle.record_failure(user.email, ip)
            audit.record("login.totp_failure", actor=user, request=request)
            form.add_error("code", _("This code is not valid. Check your authenticator app's clock."))
    return render(request, "accounts/login_totp.html", {"form": form, "next": _next_url(request)})


@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    logout(request)
    return redirect("accounts:login")


@require_http_methods(["GET", "POST"])
def accept_invitation(request: HttpRequest, token: str) -> HttpResponse:
    invitation = services.find_invitation(token)
    if invitation is None:
        return render(request, "accounts/invitation_invalid.html", status=410)
    existing = User.objects.filter(email__iexact=invitation.email).first()
    ctx: dict[str, object] = {"invitation": invitation}
    if existing is not None:
        # The invited person already has an account: they join after logging in as themselves.
        if request.user.is_authenticated and request.user.pk == existing.pk:
            if request.method == "POST":
                services.accept_invitation(invitation, existing)
                messages.success(request, _("Welcome to %(org)s.") % {"org": invitation.org.name})
                return redirect("dashboard", org_slug=invitation.org.slug)
            return render(request, "accounts/invitation_join.html", ctx)
        return redirect(reverse("accounts:login") + "?next=" + request.path)
    form = SignupForm(request.POST or None, email=invitation.email)
    if request.method == "POST" and form.is_valid():
        user = User.objects.create_user(
            invitation.email,
            form.cleaned_data["password"],
            full_name=form.cleaned_data["full_name"],
            language=translation.get_language() or "",
        )
        try:
            services.accept_invitation(invitation, user)
        except services.TeamError:
            return render(request, "accounts/invitation_invalid.html", status=410)
        login(request, user, backend="pressdesk.accounts.backends.EmailBackend")
        messages.success(request, _("Welcome to %(org)s.") % {"org": invitation.org.name})
        return redirect("dashboard", org_slug=invitation.org.slug)
    ctx["form"] = form
    return render(request, "accounts/invitation_signup.html", ctx)


@login_required
@require_http_methods(["GET", "POST"])
def profile(request: HttpRequest) -> HttpResponse:
    user = request.user
    assert isinstance(user, User)
    form = ProfileForm(request.POST or None, instance=user)
    if request.method == "POST" and form.is_valid():
        form.save()
        if user.language:
            translation.activate(user.language)
        messages.success(request, _("Your preferences are saved."))
        return redirect("accounts:profile")
    tokens = ApiToken.objects.filter(membership__user=user).select_related("membership__org")
    memberships = Membership.objects.filter(user=user).select_related("org")
    return render(
        request,
        "accounts/profile.html",
        {"form": form, "tokens": tokens, "memberships": memberships, "token_form": ApiTokenForm()},
    )


@require_POST
def set_language(request: HttpRequest) -> HttpResponse:
    """Switch the interface language; a logged-in user's choice is remembered on their account."""
    language = request.POST.get("language", "")
    if language not in dict(settings.LANGUAGES):
        return redirect(_next_url(request))
    if request.user.is_authenticated:
        User.objects.filter(pk=request.user.pk).update(language=language)
    response = HttpResponseRedirect(_next_url(request))
    response.set_cookie(settings.LANGUAGE_COOKIE_NAME, language, max_age=365 * 24 * 3600, samesite="Lax")
    return response


@login_required
@require_http_methods(["GET", "POST"])
def totp_setup(request: HttpRequest) -> HttpResponse:
    user = request.user
    assert isinstance(user, User)
    if user.totp_enabled:
        return redirect("accounts:profile")
    secret = request.session.get("totp_secret") or pyotp.random_base32()
    request.session["totp_secret"] = secret
    form = TotpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if pyotp.TOTP(secret).verify(form.cleaned_data["code"], valid_window=1):
            user.totp_secret, user.totp_enabled = secret, True
            user.save(update_fields=["totp_secret", "totp_enabled"])
            del request.session["totp_secret"]
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
    user = request.user
    assert isinstance(user, User)
    form = TotpForm(request.POST)
    if form.is_valid() and pyotp.TOTP(user.totp_secret).verify(form.cleaned_data["code"], valid_window=1):
        user.totp_secret, user.totp_enabled = "", False
        user.save(update_fields=["totp_secret", "totp_enabled"])
        audit.record("auth.totp_disable", actor=user, request=request)
        messages.success(request, _("Two-factor authentication is off."))
    else:
        messages.error(request, _("This code is not valid. Two-factor authentication stays on."))
    return redirect("accounts:profile")


@login_required
@require_POST
def create_token(request: HttpRequest, org_slug: str) -> HttpResponse:
    membership = Membership.objects.filter(user=request.user, org__slug=org_slug).first()
    form = ApiTokenForm(request.POST)
    if membership is None:
        return redirect("accounts:profile")
    if form.is_valid():
        raw = services.create_api_token(membership, form.cleaned_data["name"])
        messages.success(
            request, _("Your new token, shown only this once: %(token)s") % {"token": raw}
        )
    return redirect("accounts:profile")


@login_required
@require_POST
def revoke_token(request: HttpRequest, token_id: int) -> HttpResponse:
    token = ApiToken.objects.filter(pk=token_id, membership__user=request.user).first()
    if token is not None:
        audit.record("api.token_revoke", org=token.membership.org, actor=token.membership.user, obj=token)
        token.delete()
        messages.success(request, _("The token is revoked."))
    return redirect("accounts:profile")
