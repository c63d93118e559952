"""Signing in and out, two-factor authentication, and the user's own settings and tokens."""

from __future__ import annotations

from datetime import timedelta

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import authenticate, login, logout, update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from django_otp import user_has_device
from django_otp.plugins.otp_totp.models import TOTPDevice

from concord.audit.log import record

from . import actions
from .forms import AccessTokenForm, LanguageForm, LoginForm, PasswordChangeForm, TokenForm
from .models import AccessToken
from .rules import requires_two_factor


def _safe_next(request, default: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


def _with_language(response, language: str):
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=365 * 24 * 3600,
        samesite="Lax",
        secure=settings.HTTPS,
        httponly=False,
    )
    return response


@sensitive_post_parameters("password")
@never_cache
def login_view(request):
    if request.user.is_authenticated and request.method == "GET":
        return redirect(_safe_next(request, reverse("core:home")))
    form = LoginForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        email = form.cleaned_data["username"].lower()
        user = authenticate(request, username=email, password=form.cleaned_data["password"])
        if user is None:
            if getattr(request, "axes_locked_out", False):
                return render(request, "accounts/locked_out.html", status=429)
            actions.do_record_login(user=None, success=False, email=email)
            form.add_error(None, _("The email address or password is not right."))
        else:
            login(request, user)
            actions.do_record_login(user=user, success=True)
            target = _safe_next(request, reverse("core:home"))
            if requires_two_factor(user):
                target = f"{reverse('accounts:two_factor')}?next={target}"
            return _with_language(HttpResponseRedirect(target), user.language)
    status = 400 if request.method == "POST" else 200
    return render(
        request, "accounts/login.html", {"form": form, "next": _safe_next(request, "")}, status=status
    )


@require_POST
def logout_view(request):
    if request.user.is_authenticated:
        actions.do_record_logout(user=request.user)
    logout(request)
    messages.info(request, _("You are signed out."))
    return redirect("core:home")


@login_required
@never_cache
def two_factor_view(request):
    """Verify a code from an enrolled device, or enrol a new authenticator app first."""
    user = request.user
    target = _safe_next(request, reverse("core:home"))
    if user.is_verified():
        return redirect(target)
    form = TokenForm(request.POST or None)
    enrolled = user_has_device(user, confirmed=True)
    device = None
    if not enrolled:
        device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
        if device is None:
            with transaction.atomic():
                device = TOTPDevice.objects.create(user=user, name=_("Authenticator app"), confirmed=False)
                record(actor=user, action="2fa.enrol_start", obj=user)
    if request.method == "POST" and form.is_valid():
        code = form.cleaned_data["otp_token"].strip()
        candidates = (
            [device] if device is not None else list(TOTPDevice.objects.filter(user=user, confirmed=True))
        )
        verified = next((d for d in candidates if d.verify_token(code)), None)
        if verified is not None:
            with transaction.atomic():
                if not verified.confirmed:
                    verified.confirmed = True
                    verified.save(update_fields=["confirmed"])
                    record(actor=user, action="2fa.enrol_confirm", obj=user)
                otp_login(request, verified)
                record(actor=user, action="2fa.verify", obj=user)
            return redirect(target)
        record(actor=user, action="2fa.verify_failed", obj=user)
        form.add_error("otp_token", _("That code is not right, or has expired. Try the current one."))
    context = {"form": form, "enrolled": enrolled, "next": target}
    if device is not None:
        uri = device.config_url
        context["qr_svg"] = segno.make(uri, micro=False).svg_inline(scale=4, dark="#111", light="#fff")
        context["secret"] = device.config_url.split("secret=")[1].split("&")[0]
    return render(
        request, "accounts/two_factor.html", context, status=400 if request.method == "POST" else 200
    )


@login_required
def settings_view(request):
    user = request.user
    language_form = LanguageForm(initial={"language": user.language})
    password_form = PasswordChangeForm()
    token_form = AccessTokenForm()
    new_key = None
    if request.method == "POST":
        which = request.POST.get("form")
        try:
            if which == "password":
                password_form = PasswordChangeForm(request.POST)
                if password_form.is_valid():
                    if not user.check_password(password_form.cleaned_data["current"]):
                        password_form.add_error("current", _("Your current password is not right."))
                    else:
                        actions.do_change_password(
                            actor=user, user=user, password=password_form.cleaned_data["new"]
                        )
                        update_session_auth_hash(request, user)
                        messages.success(request, _("Your password is changed."))
                        return redirect("accounts:settings")
            elif which == "token":
                token_form = AccessTokenForm(request.POST)
                if token_form.is_valid():
                    _token, new_key = actions.do_create_token(
                        actor=user,
                        name=token_form.cleaned_data["name"],
                        expires_at=timezone.now() + timedelta(days=token_form.cleaned_data["days"]),
                    )
                    token_form = AccessTokenForm()
        except ValidationError as exc:
            target = password_form if which == "password" else token_form
            for message in exc.messages:
                target.add_error(None, message)
    tokens = AccessToken.objects.filter(user=user).order_by("-created_at")
    return render(
        request,
        "accounts/settings.html",
        {
            "language_form": language_form,
            "password_form": password_form,
            "token_form": token_form,
            "tokens": tokens,
            "new_key": new_key,
            "memberships": user.active_memberships(),
            "has_2fa": user_has_device(user, confirmed=True),
        },
        status=400 if request.method == "POST" and new_key is None else 200,
    )


@login_required
@require_POST
def revoke_token_view(request, pk: int):
    token = get_object_or_404(AccessToken, pk=pk, user=request.user)
    actions.do_revoke_token(actor=request.user, token=token)
    messages.success(request, _("The token “%(name)s” is revoked.") % {"name": token.name})
    return redirect("accounts:settings")
