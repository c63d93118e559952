"""Signing in and out, two-factor authentication, and the user's own settings and tokens."""

from __future__ import annotations

from datetime import timedelta

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import authenticate, login, logout, update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import PasswordResetForm as DjangoPasswordResetForm
from django.contrib.auth.forms import SetPasswordForm
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse, reverse_lazy
from django.utils import timezone, translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from django_otp import user_has_device
from django_otp.plugins.otp_totp.models import TOTPDevice

from concord.audit.log import record
from concord.core.shortcuts import add_errors as _add_errors
from concord.core.shortcuts import with_language

from . import actions
from .forms import (
    AccessTokenForm,
    InvitationForm,
    JoinForm,
    LanguageForm,
    LoginForm,
    PasswordChangeForm,
    TokenForm,
)
from .models import AccessToken, Dialogue, Invitation, User
from .rules import can_manage_members, requires_two_factor


def _safe_next(request, default: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


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
            return with_language(HttpResponseRedirect(target), user.language)
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


# --- invitations and password reset ----------------------------------------------------------------------


def _managed_dialogues(user) -> list[Dialogue]:
    return [d for d in Dialogue.objects.order_by("name") if can_manage_members(user, d.pk)]


@login_required
def invitations_view(request):
    """The secretariat invites people by e-mail, and sees every invitation of its dialogues."""
    dialogues = _managed_dialogues(request.user)
    if not dialogues:
        raise PermissionDenied(_("Only the secretariat invites people."))
    form = InvitationForm(request.POST or None, dialogues=dialogues)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            invitation, _token = actions.do_invite(
                actor=request.user,
                dialogue=data["dialogue"],
                email=data["email"],
                role=data["role"],
                party=data["party"],
                organization=data["organization"],
                position=data["position"],
                message=data["message"],
                language=data["language"],
            )
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(
                request, _("An invitation is on its way to %(email)s.") % {"email": invitation.email}
            )
            return redirect("accounts:invitations")
    invitations = (
        Invitation.objects.filter(dialogue__in=dialogues)
        .select_related("party", "organization", "created_by", "accepted_by")
        .order_by("-created_at")[:200]
    )
    return render(
        request,
        "accounts/invitations.html",
        {"form": form, "invitations": invitations},
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_POST
def withdraw_invitation_view(request, pk: int):
    invitation = get_object_or_404(Invitation, pk=pk)
    try:
        actions.do_withdraw_invitation(actor=request.user, invitation=invitation)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request, _("The invitation to %(email)s is withdrawn.") % {"email": invitation.email}
        )
    return redirect("accounts:invitations")


@sensitive_post_parameters("password", "password_again")
@never_cache
def join_view(request, token: str):
    """Open an invitation: join as the signed-in person it was sent to, or make an account."""
    invitation = Invitation.objects.for_token(token)
    if invitation is None:
        return render(request, "accounts/join_invalid.html", status=404)
    if settings.LANGUAGE_COOKIE_NAME not in request.COOKIES and not request.user.is_authenticated:
        # a newcomer reads the page in the language the secretariat wrote the invitation in
        translation.activate(invitation.language)
        request.LANGUAGE_CODE = invitation.language
    if invitation.state != "open":
        return render(request, "accounts/join_invalid.html", {"invitation": invitation}, status=410)
    signed_in = request.user.is_authenticated
    account_exists = not signed_in and User.objects.filter(email__iexact=invitation.email).exists()
    form = None
    if not signed_in and not account_exists:
        form = JoinForm(
            request.POST or None,
            registers_organization=invitation.registers_organization,
            initial={"language": invitation.language},
        )
    if (
        request.method == "POST"
        and not account_exists
        and (signed_in or (form is not None and form.is_valid()))
        and _accept(request, invitation, form)
    ):
        language = request.user.language if request.user.is_authenticated else invitation.language
        with translation.override(language):
            messages.success(request, _("Welcome to %(dialogue)s.") % {"dialogue": invitation.dialogue.name})
        return with_language(redirect("core:home"), language)
    return render(
        request,
        "accounts/join.html",
        {
            "invitation": invitation,
            "form": form,
            "signed_in": signed_in,
            "account_exists": account_exists,
            "wrong_account": signed_in and request.user.email.lower() != invitation.email.lower(),
            "login_url": f"{reverse('accounts:login')}?next={request.path}",
        },
        status=400 if request.method == "POST" else 200,
    )


def _accept(request, invitation: Invitation, form: JoinForm | None) -> bool:
    """Accept ``invitation`` as the signed-in user, or with a new account from the valid ``form`` (then
    signed in). A refusal is shown on the form, or as a message; returns whether it was accepted."""
    try:
        if form is None:
            actions.do_accept_invitation(invitation=invitation, user=request.user)
            return True
        actions.do_accept_invitation(
            invitation=invitation,
            full_name=form.cleaned_data["full_name"],
            password=form.cleaned_data["password"],
            language=form.cleaned_data["language"],
            organization=form.organization(),
        )
    except ValidationError as exc:
        if form is not None:
            _add_errors(form, exc)
        else:
            messages.error(request, " ".join(exc.messages))
        return False
    user = authenticate(request, username=invitation.email, password=form.cleaned_data["password"])
    if user is not None:
        login(request, user)
        actions.do_record_login(user=user, success=True)
    return True


class _ResetRequestForm(DjangoPasswordResetForm):
    """Django's reset form, sending at most one e-mail per address in five minutes."""

    def send_mail(self, subject_template_name, email_template_name, context, from_email, to_email, **kwargs):
        if cache.add(f"concord:password-reset:{to_email.lower()}", 1, 300):
            super().send_mail(
                subject_template_name, email_template_name, context, from_email, to_email, **kwargs
            )


class _ResetSetPasswordForm(SetPasswordForm):
    """The new password, set through the audited action."""

    def save(self, commit=True):
        actions.do_reset_password(user=self.user, password=self.cleaned_data["new_password1"])
        return self.user


password_reset_view = auth_views.PasswordResetView.as_view(
    form_class=_ResetRequestForm,
    template_name="accounts/password_reset.html",
    email_template_name="accounts/password_reset_email.txt",
    subject_template_name="accounts/password_reset_subject.txt",
    success_url=reverse_lazy("accounts:password_reset_done"),
)
password_reset_done_view = auth_views.PasswordResetDoneView.as_view(
    template_name="accounts/password_reset_done.html"
)
password_reset_confirm_view = auth_views.PasswordResetConfirmView.as_view(
    form_class=_ResetSetPasswordForm,
    template_name="accounts/password_reset_confirm.html",
    success_url=reverse_lazy("accounts:password_reset_complete"),
)
password_reset_complete_view = auth_views.PasswordResetCompleteView.as_view(
    template_name="accounts/password_reset_complete.html"
)
