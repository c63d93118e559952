import zoneinfo

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from concord.accounts.models import Organization
from concord.core.forms import text_area

from .models import EcosystemOpportunityKind, ListingKind, OrgSize

LIST_HELP = _("One per line.")


def theme_choices():
    from concord.library.models import Theme

    return [(t.slug, t.label()) for t in Theme.objects.all()]


def _single_choice(field) -> None:
    """With only one organisation to choose, choose it."""
    if field.queryset.count() == 1:
        field.empty_label = None


def _lines(value) -> str:
    return "\n".join(value or [])


class ProfileForm(forms.Form):
    themes = forms.MultipleChoiceField(label=_("Themes"), required=False, widget=forms.CheckboxSelectMultiple)
    sectors = text_area(_("Sectors"), rows=3, max_length=4000, required=False, help_text=LIST_HELP)
    capabilities = text_area(
        _("What you offer (capabilities)"), rows=4, max_length=4000, required=False, help_text=LIST_HELP
    )
    needs = text_area(
        _("What you look for (needs)"), rows=4, max_length=4000, required=False, help_text=LIST_HELP
    )
    size = forms.ChoiceField(label=_("Size"), required=False, choices=[("", "—"), *OrgSize.choices])
    contact_name = forms.CharField(label=_("Contact person"), required=False, max_length=200)
    contact_email = forms.EmailField(label=_("Contact email"), required=False)
    contacts_public = forms.BooleanField(
        label=_("Show the contact to all members of the dialogue"), required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["themes"].choices = theme_choices()

    @staticmethod
    def initial_from(profile) -> dict:
        if profile is None:
            return {}
        return {
            "themes": profile.themes,
            "sectors": _lines(profile.sectors),
            "capabilities": _lines(profile.capabilities),
            "needs": _lines(profile.needs),
            "size": profile.size,
            "contact_name": profile.contact_name,
            "contact_email": profile.contact_email,
            "contacts_public": profile.contacts_public,
        }


class ListingForm(forms.Form):
    organization = forms.ModelChoiceField(label=_("Organisation"), queryset=Organization.objects.none())
    kind = forms.ChoiceField(label=_("Kind"), choices=ListingKind.choices)
    title = forms.CharField(label=_("Title"), max_length=200)
    summary = text_area(_("Summary"), rows=2, max_length=500)
    description = text_area(_("Description"), rows=8, max_length=10000, required=False)
    themes = forms.MultipleChoiceField(label=_("Themes"), required=False, widget=forms.CheckboxSelectMultiple)
    visibility = forms.ChoiceField(label=_("Who can see it once published"), choices=())

    def __init__(self, *args, organizations=None, visibility_choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = (
            organizations if organizations is not None else Organization.objects.none()
        )
        _single_choice(self.fields["organization"])
        self.fields["themes"].choices = theme_choices()
        self.fields["visibility"].choices = [c for c in visibility_choices if c[0] != "party"]


class InterestForm(forms.Form):
    organization = forms.ModelChoiceField(label=_("On behalf of"), queryset=Organization.objects.none())
    message = text_area(_("Your message"), rows=4, max_length=4000)

    def __init__(self, *args, organizations=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = (
            organizations if organizations is not None else Organization.objects.none()
        )
        _single_choice(self.fields["organization"])


class DecideForm(forms.Form):
    decision = forms.ChoiceField(choices=[("accept", _("Accept")), ("decline", _("Decline"))])
    reply = text_area(_("Reply"), rows=2, max_length=2000, required=False)


class ReturnForm(forms.Form):
    note = text_area(_("What needs changing"), rows=3, max_length=2000)


class SlotForm(forms.Form):
    time_zone = forms.CharField(
        label=_("Time zone"),
        max_length=64,
        required=False,
        initial="Asia/Kuala_Lumpur",
        help_text=_(
            "IANA name, e.g. Asia/Kuala_Lumpur or Asia/Karachi. The slot is shown in it to both sides."
        ),
    )
    starts_at = forms.DateTimeField(
        label=_("Starts (date and time in that zone)"),
        help_text=_("Pick the date and time with the calendar, or type them as your browser shows."),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    minutes = forms.IntegerField(label=_("Length in minutes"), min_value=10, max_value=480, initial=30)
    place = forms.CharField(label=_("Place or link"), required=False, max_length=300)

    def clean(self):
        data = super().clean()
        name = data.get("time_zone") or settings.TIME_ZONE
        data["time_zone"] = name
        try:
            zone = zoneinfo.ZoneInfo(name)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            self.add_error("time_zone", _("Unknown time zone “%(value)s”.") % {"value": name})
            return data
        if data.get("starts_at") is not None:
            # Wall time in the stated zone, not the server's.
            data["starts_at"] = data["starts_at"].replace(tzinfo=zone)
        return data


class OpportunityForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=EcosystemOpportunityKind.choices)
    title = forms.CharField(label=_("Title"), max_length=200)
    summary = text_area(_("Summary"), rows=2, max_length=500)
    description = text_area(_("Description"), rows=6, max_length=10000, required=False)
    organization = forms.ModelChoiceField(
        label=_("Offered by"), required=False, queryset=Organization.objects.all()
    )
    deadline = forms.DateField(
        label=_("Deadline"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    eligible_countries = text_area(
        _("Eligible countries"),
        rows=2,
        max_length=200,
        required=False,
        help_text=_("Two-letter codes, one per line (empty: every country)."),
    )
    themes = forms.MultipleChoiceField(label=_("Themes"), required=False, widget=forms.CheckboxSelectMultiple)
    amount_min = forms.DecimalField(
        label=_("Amount from"), required=False, min_value=0, max_digits=14, decimal_places=2
    )
    amount_max = forms.DecimalField(
        label=_("Amount up to"), required=False, min_value=0, max_digits=14, decimal_places=2
    )
    currency = forms.CharField(label=_("Currency"), required=False, max_length=3)
    url = forms.URLField(label=_("Address"), required=False, assume_scheme="https", max_length=500)
    visibility = forms.ChoiceField(label=_("Who can see it"), choices=())

    def __init__(self, *args, visibility_choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["themes"].choices = theme_choices()
        self.fields["visibility"].choices = [c for c in visibility_choices if c[0] != "party"]


class MergeForm(forms.Form):
    keep = forms.IntegerField(min_value=1)
    duplicate = forms.IntegerField(min_value=1)
