from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _


class LoginForm(forms.Form):
    username = forms.EmailField(
        label=_("Email address"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email", "autofocus": True}),
    )
    password = forms.CharField(
        label=_("Password"),
        strip=False,
        max_length=256,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )


class TokenForm(forms.Form):
    otp_token = forms.RegexField(
        label=_("Six-digit code"),
        regex=r"^\s*\d{6}\s*$",
        max_length=8,
        error_messages={"invalid": _("Enter the six digits your authenticator app shows.")},
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
    )


class LanguageForm(forms.Form):
    language = forms.ChoiceField(label=_("Language"), choices=settings.LANGUAGES)


class PasswordChangeForm(forms.Form):
    current = forms.CharField(
        label=_("Current password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    new = forms.CharField(
        label=_("New password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("At least 12 characters, not a common password, not all digits."),
    )


class AccessTokenForm(forms.Form):
    name = forms.CharField(
        label=_("Token name"), max_length=100, help_text=_("What will use it, e.g. “reporting script”.")
    )
    days = forms.IntegerField(label=_("Valid for (days)"), min_value=1, max_value=365, initial=90)
