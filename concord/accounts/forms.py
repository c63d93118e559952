from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from concord.core.forms import text_area


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


class InvitationForm(forms.Form):
    """The secretariat invites someone by e-mail address, in one role."""

    dialogue = forms.ModelChoiceField(label=_("Dialogue"), queryset=None, empty_label=None)
    email = forms.EmailField(label=_("Email address"), max_length=254)
    role = forms.ChoiceField(label=_("Role"), choices=())
    party = forms.ModelChoiceField(
        label=_("Party"),
        queryset=None,
        required=False,
        help_text=_("Delegates and analysts work for one party; stakeholders and observers need none."),
    )
    organization = forms.ModelChoiceField(
        label=_("Organisation"),
        queryset=None,
        required=False,
        help_text=_("For a stakeholder. Leave empty to let them register their organisation as they join."),
    )
    position = forms.CharField(label=_("Position"), max_length=200, required=False)
    language = forms.ChoiceField(label=_("Language of the e-mail"), choices=settings.LANGUAGES, initial="en")
    message = text_area(_("Message"), rows=3, max_length=2000, required=False)

    def __init__(self, *args, dialogues, **kwargs):
        from .models import Organization, Party, Role

        super().__init__(*args, **kwargs)
        ids = [d.pk for d in dialogues]
        self.fields["dialogue"].queryset = type(dialogues[0]).objects.filter(pk__in=ids)
        self.fields["party"].queryset = Party.objects.filter(dialogues__in=ids).distinct().order_by("code")
        self.fields["organization"].queryset = Organization.objects.order_by("name")
        self.fields["role"].choices = [("", "---------"), *Role.choices]  # no default: choose on purpose
        if len(ids) == 1:
            self.fields["dialogue"].widget = forms.HiddenInput()
            self.fields["dialogue"].initial = ids[0]


class JoinForm(forms.Form):
    """A new account made from an invitation (the address is the invitation's)."""

    full_name = forms.CharField(label=_("Full name"), max_length=200)
    password = forms.CharField(
        label=_("Password"),
        strip=False,
        max_length=256,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("At least 12 characters, not a common password, not all digits."),
    )
    password_again = forms.CharField(
        label=_("Password, again"),
        strip=False,
        max_length=256,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    language = forms.ChoiceField(label=_("Language"), choices=settings.LANGUAGES)

    def __init__(self, *args, registers_organization: bool = False, **kwargs):
        from .models import OrganizationKind

        super().__init__(*args, **kwargs)
        if registers_organization:
            self.fields["org_name"] = forms.CharField(label=_("Your organisation's name"), max_length=250)
            self.fields["org_kind"] = forms.ChoiceField(
                label=_("Kind of organisation"), choices=OrganizationKind.choices
            )
            self.fields["org_country"] = forms.CharField(
                label=_("Country"),
                max_length=2,
                help_text=_("Two-letter code, e.g. MY or PK."),
            )
            self.fields["org_website"] = forms.URLField(label=_("Website"), required=False, max_length=200)

    def clean(self):
        data = super().clean()
        if data.get("password") and data.get("password_again") and data["password"] != data["password_again"]:
            self.add_error("password_again", _("The two passwords differ."))
        return data

    def organization(self) -> dict | None:
        if "org_name" not in self.fields:
            return None
        return {
            "name": self.cleaned_data["org_name"],
            "kind": self.cleaned_data["org_kind"],
            "country": self.cleaned_data["org_country"],
            "website": self.cleaned_data.get("org_website") or "",
        }
