"""Forms of the commitments' pages. They check shapes; the actions check the rules."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.utils.translation import gettext_lazy as _

from concord.core.forms import MultipleFileField, TableFileField, text_area
from concord.secretariat.forms import DATE

from .models import Ambition, CommitmentKind, Completion


class CommitmentForm(forms.Form):
    code = forms.CharField(
        label=_("Code"), max_length=40, help_text=_("Unique in the dialogue, e.g. C-2026-01.")
    )
    title = forms.CharField(label=_("Title"), max_length=300)
    title_ms = forms.CharField(label=_("Title (Malay)"), max_length=300, required=False)
    kind = forms.ChoiceField(label=_("Kind"), choices=CommitmentKind.choices)
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    working_group = forms.ModelChoiceField(label=_("Working group"), queryset=None, required=False)
    source_outcome = forms.ModelChoiceField(label=_("From the outcome"), queryset=None, required=False)
    is_joint = forms.BooleanField(label=_("Joint commitment of both parties"), required=False)
    lead_my = forms.ModelChoiceField(label=_("Lead agency (Malaysia)"), queryset=None, required=False)
    lead_pk = forms.ModelChoiceField(label=_("Lead agency (Pakistan)"), queryset=None, required=False)
    start_date = forms.DateField(label=_("Start"), required=False, widget=DATE)
    end_date = forms.DateField(label=_("End"), required=False, widget=DATE)
    parent = forms.ModelChoiceField(label=_("Part of"), queryset=None, required=False)
    weight = forms.IntegerField(label=_("Weight in its parent"), min_value=1, max_value=1000, initial=1)
    ambition = forms.ChoiceField(
        label=_("Ambition (IRM)"), choices=[("", "—"), *Ambition.choices], required=False
    )
    visibility = forms.ChoiceField(label=_("Who can see it"), choices=())

    def __init__(self, *args, querysets=None, visibility_choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        for name, qs in (querysets or {}).items():
            self.fields[name].queryset = qs
        self.fields["visibility"].choices = visibility_choices

    def clean(self):
        return _dates_in_order(self, super().clean())


def _dates_in_order(form, data: dict) -> dict:
    if data.get("start_date") and data.get("end_date") and data["end_date"] < data["start_date"]:
        form.add_error("end_date", _("The end date comes before the start date."))
    return data


class CommitmentStatusForm(forms.Form):
    completion = forms.ChoiceField(label=_("Completion (OGP)"), choices=Completion.choices)
    ambition = forms.ChoiceField(
        label=_("Ambition (IRM)"), choices=[("", "—"), *Ambition.choices], required=False
    )
    is_blocked = forms.BooleanField(label=_("Blocked"), required=False)
    blocked_reason = forms.CharField(label=_("Why it is blocked"), required=False, max_length=2000)


class MilestoneForm(forms.Form):
    title = forms.CharField(label=_("Milestone"), max_length=300)
    planned_date = forms.DateField(label=_("Planned date"), required=False, widget=DATE)
    weight = forms.IntegerField(label=_("Weight"), min_value=1, max_value=1000, initial=1)


class ReachMilestoneForm(forms.Form):
    actual_date = forms.DateField(label=_("Reached on"), widget=DATE, initial=dt.date.today)
    evidence = forms.CharField(label=_("Evidence"), required=False, max_length=5000)
    evidence_url = forms.URLField(label=_("Evidence address"), required=False, max_length=500)


class ProgressForm(forms.Form):
    text = text_area(_("What was done"), rows=3, max_length=10000)
    percent = forms.IntegerField(label=_("Percent complete"), min_value=0, max_value=100)
    files = MultipleFileField(label=_("Evidence files"), required=False)


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(choices=[("verify", _("Verify")), ("return", _("Return"))])
    note = forms.CharField(label=_("Note"), required=False, max_length=5000)


class DependencyForm(forms.Form):
    depends_on = forms.ModelChoiceField(label=_("Depends on"), queryset=None)

    def __init__(self, *args, commitments=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["depends_on"].queryset = commitments


class ImportForm(forms.Form):
    file = TableFileField(label=_("CSV or XLSX file"))
    partial = forms.BooleanField(
        label=_("Import the valid rows even if other rows have errors"),
        required=False,
        help_text=_("Without this, nothing is imported unless every row is valid."),
    )


# --- edit screens -----------------------------------------------------------------------------------------


class CommitmentEditForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=300)
    title_ms = forms.CharField(label=_("Title (Malay)"), max_length=300, required=False)
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    owner = forms.ModelChoiceField(label=_("Owner"), queryset=None, required=False)
    start_date = forms.DateField(label=_("Start"), required=False, widget=DATE)
    end_date = forms.DateField(label=_("End"), required=False, widget=DATE)

    def __init__(self, *args, people=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = people

    def clean(self):
        return _dates_in_order(self, super().clean())


class MilestoneEditForm(forms.Form):
    title = forms.CharField(label=_("Milestone"), max_length=300)
    planned_date = forms.DateField(label=_("Planned date"), required=False, widget=DATE)
    owner = forms.ModelChoiceField(label=_("Owner"), queryset=None, required=False)
    weight = forms.IntegerField(label=_("Weight"), min_value=1, max_value=1000, initial=1)

    def __init__(self, *args, people=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = people
