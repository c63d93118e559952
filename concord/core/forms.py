from django import forms
from django.utils.translation import gettext_lazy as _

from concord.accounts.models import OrganizationKind, Party

from .models import NoteKind

MAX_TABLE_BYTES = 5 * 1024 * 1024


def text_area(label, *, rows: int, max_length: int, required: bool = True, **options) -> forms.CharField:
    """A text field shown as a box of ``rows`` lines (``options``: help_text, initial, …)."""
    return forms.CharField(
        label=label,
        required=required,
        max_length=max_length,
        widget=forms.Textarea(attrs={"rows": rows}),
        **options,
    )


class TableFileField(forms.FileField):
    """A spreadsheet to import (CSV or XLSX): at most 5 MB, refused on the form before anything is read."""

    def clean(self, data, initial=None):
        upload = super().clean(data, initial)
        if upload and upload.size > MAX_TABLE_BYTES:
            raise forms.ValidationError(_("The file is larger than 5 MB."), code="too_large")
        return upload


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Any number of files (evidence, a lesson's documents): the cleaned value is a list, empty when none
    was chosen."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(d, initial) for d in data]
        return [single(data, initial)] if data else []


class NoteForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    kind = forms.ChoiceField(label=_("Kind"), choices=NoteKind.choices)
    body = text_area(_("Text"), rows=10, max_length=20000)
    visibility = forms.ChoiceField(label=_("Who can see it"), choices=())
    party = forms.ModelChoiceField(
        label=_("Delegation"),
        queryset=Party.objects.none(),
        required=False,
        help_text=_("Required when only one party may see it."),
    )

    def __init__(self, *args, visibility_choices=(), parties=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["visibility"].choices = visibility_choices
        self.fields["party"].queryset = parties if parties is not None else Party.objects.none()


class OrganizationForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=250)
    short_name = forms.CharField(label=_("Short name"), max_length=60, required=False)
    country = forms.CharField(label=_("Country (ISO code)"), max_length=2, min_length=2)
    kind = forms.ChoiceField(label=_("Kind"), choices=OrganizationKind.choices)
    website = forms.URLField(label=_("Website"), required=False, assume_scheme="https")
    description = text_area(_("Description (English)"), rows=4, max_length=5000, required=False)
    description_ms = text_area(_("Description (Malay)"), rows=4, max_length=5000, required=False)
    description_ur = forms.CharField(
        label=_("Description (Urdu)"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4, "dir": "rtl", "lang": "ur"}),
    )


class LanguageSwitchForm(forms.Form):
    language = forms.CharField(max_length=8)
    next = forms.CharField(max_length=2000, required=False)
