"""Forms of the programme registry. They shape input; the actions check it and say what is wrong."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from concord.accounts.models import Organization, Party
from concord.core.forms import MultipleFileField, TableFileField, text_area
from concord.directory.forms import theme_choices
from concord.library.models import PolicyDocument

from .models import Instrument, LessonKind, ProgrammeStatus

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ProgrammeForm(forms.Form):
    party = forms.ModelChoiceField(label=_("Party"), queryset=Party.objects.none())
    title = forms.CharField(label=_("Title"), max_length=300)
    summary = text_area(_("Summary"), rows=3, max_length=4000)
    objectives = text_area(_("Objectives"), rows=3, max_length=10000, required=False)
    instruments = forms.MultipleChoiceField(
        label=_("Instruments"),
        required=False,
        choices=Instrument.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    target_groups = text_area(
        _("Target groups"), rows=2, max_length=4000, required=False, help_text=_("One per line.")
    )
    lead_agency = forms.ModelChoiceField(
        label=_("Lead agency"), required=False, queryset=Organization.objects.all()
    )
    partners = forms.ModelMultipleChoiceField(
        label=_("Partner organisations"), required=False, queryset=Organization.objects.all()
    )
    budget_amount = forms.DecimalField(label=_("Budget"), required=False, max_digits=18, decimal_places=2)
    budget_currency = forms.CharField(
        label=_("Currency"),
        required=False,
        max_length=3,
        help_text=_("An ISO 4217 code, such as MYR or PKR."),
    )
    start_date = forms.DateField(label=_("Start date"), required=False, widget=DATE)
    end_date = forms.DateField(label=_("End date"), required=False, widget=DATE)
    status = forms.ChoiceField(
        label=_("Status"), choices=ProgrammeStatus.choices, initial=ProgrammeStatus.ACTIVE
    )
    themes = forms.MultipleChoiceField(label=_("Themes"), required=False, widget=forms.CheckboxSelectMultiple)
    documents = forms.ModelMultipleChoiceField(
        label=_("Policies it implements"), required=False, queryset=PolicyDocument.objects.none()
    )
    source_url = forms.URLField(
        label=_("Source address"), required=False, assume_scheme="https", max_length=500
    )
    summary_by = forms.CharField(label=_("Summary written by"), required=False, max_length=200)
    visibility = forms.ChoiceField(label=_("Who can see it"), choices=())

    def __init__(self, *args, parties=None, documents=None, visibility_choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["party"].queryset = parties if parties is not None else Party.objects.none()
        self.fields["documents"].queryset = (
            documents if documents is not None else PolicyDocument.objects.none()
        )
        self.fields["themes"].choices = theme_choices()
        self.fields["visibility"].choices = list(visibility_choices)

    def action_fields(self) -> dict:
        data = dict(self.cleaned_data)
        data["target_groups"] = [
            line for line in (data.get("target_groups") or "").splitlines() if line.strip()
        ]
        data["partners"] = list(data.get("partners") or [])
        data["documents"] = list(data.get("documents") or [])
        return data


class IndicatorForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    unit = forms.CharField(label=_("Unit"), max_length=60, help_text=_("Such as “%”, “people” or “MYR”."))
    baseline_value = forms.DecimalField(label=_("Baseline"), required=False, max_digits=20, decimal_places=4)
    baseline_date = forms.DateField(label=_("Baseline date"), required=False, widget=DATE)
    target_value = forms.DecimalField(label=_("Target"), required=False, max_digits=20, decimal_places=4)
    target_date = forms.DateField(label=_("Target date"), required=False, widget=DATE)


class ValueForm(forms.Form):
    date = forms.DateField(label=_("Date"), widget=DATE)
    value = forms.DecimalField(label=_("Value"), max_digits=20, decimal_places=4)
    source = forms.CharField(label=_("Source"), required=False, max_length=500)
    source_url = forms.URLField(
        label=_("Source address"), required=False, assume_scheme="https", max_length=500
    )


class LessonForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=LessonKind.choices)
    title = forms.CharField(label=_("Title"), max_length=300)
    date = forms.DateField(label=_("Date"), widget=DATE)
    what_worked = text_area(_("What worked"), rows=3, max_length=10000, required=False)
    what_did_not = text_area(_("What did not work"), rows=3, max_length=10000, required=False)
    do_differently = text_area(_("What we would do differently"), rows=3, max_length=10000, required=False)
    files = MultipleFileField(
        label=_("Files"),
        required=False,
        help_text=_("Documents (PDF, Word, HTML, text) or images (PNG, JPEG, GIF)."),
    )


class ImportForm(forms.Form):
    file = TableFileField(label=_("Spreadsheet (XLSX or CSV)"))
