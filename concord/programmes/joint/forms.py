"""Forms of the joint-project pages. They shape input; the actions check it and say what is wrong."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from concord.accounts.models import Organization, Party
from concord.core.forms import text_area
from concord.core.models import Visibility
from concord.directory.forms import theme_choices

from ..forms import DATE
from ..models import Programme, Stage


class ProposeForm(forms.Form):
    proposed_by = forms.ModelChoiceField(label=_("Proposed by"), queryset=Party.objects.none())
    title = forms.CharField(label=_("Title"), max_length=300)
    summary = text_area(_("Summary"), rows=3, max_length=4000)
    themes = forms.MultipleChoiceField(label=_("Themes"), required=False, widget=forms.CheckboxSelectMultiple)
    programmes = forms.ModelMultipleChoiceField(
        label=_("National programmes it builds on"), required=False, queryset=Programme.objects.none()
    )
    visibility = forms.ChoiceField(
        label=_("Visibility"),
        choices=[
            (Visibility.DIALOGUE, Visibility.DIALOGUE.label),
            (Visibility.PUBLIC, Visibility.PUBLIC.label),
        ],
    )

    def __init__(self, *args, parties=None, programmes=None, **kw):
        super().__init__(*args, **kw)
        self.fields["proposed_by"].queryset = parties if parties is not None else Party.objects.none()
        self.fields["programmes"].queryset = (
            programmes if programmes is not None else Programme.objects.none()
        )
        self.fields["themes"].choices = theme_choices()


class EditForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=300)
    summary = text_area(_("Summary"), rows=3, max_length=4000)
    concept_note = text_area(
        _("Concept note"),
        rows=8,
        max_length=20000,
        required=False,
        help_text=_("Aims, activities, costs, risks and what each party brings."),
    )
    themes = forms.MultipleChoiceField(label=_("Themes"), required=False, widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, **kw):
        super().__init__(*args, **kw)
        self.fields["themes"].choices = theme_choices()


class OwnerForm(forms.Form):
    stage = forms.ChoiceField(label=_("Stage"), choices=[c for c in Stage.choices if c[0] != Stage.CLOSED])
    party = forms.ModelChoiceField(label=_("Party"), queryset=Party.objects.none())
    user = forms.TypedChoiceField(label=_("Owner"), coerce=int, choices=())

    def __init__(self, *args, parties=None, people=(), **kw):
        super().__init__(*args, **kw)
        self.fields["party"].queryset = parties if parties is not None else Party.objects.none()
        self.fields["user"].choices = list(people)


class CriterionForm(forms.Form):
    title = forms.CharField(label=_("Criterion"), max_length=200)
    description = text_area(_("What it asks"), rows=2, max_length=2000, required=False)
    weight = forms.IntegerField(label=_("Weight"), min_value=1, max_value=10, initial=1)


class MilestoneForm(forms.Form):
    title = forms.CharField(label=_("Milestone"), max_length=300)
    start_date = forms.DateField(label=_("Start date"), required=False, widget=DATE)
    end_date = forms.DateField(label=_("Due date"), widget=DATE)


class BudgetShareForm(forms.Form):
    party = forms.ModelChoiceField(label=_("Party"), queryset=Party.objects.none())
    amount = forms.DecimalField(label=_("Amount"), max_digits=18, decimal_places=2)
    currency = forms.CharField(
        label=_("Currency"), max_length=3, help_text=_("An ISO 4217 code, such as MYR or PKR.")
    )

    def __init__(self, *args, parties=None, **kw):
        super().__init__(*args, **kw)
        self.fields["party"].queryset = parties if parties is not None else Party.objects.none()


class PartnersForm(forms.Form):
    partners = forms.ModelMultipleChoiceField(
        label=_("Partner organisations"), required=False, queryset=Organization.objects.order_by("name")
    )


class OpportunitiesForm(forms.Form):
    opportunities = forms.ModelMultipleChoiceField(
        label=_("Talent opportunities"), required=False, queryset=None
    )

    def __init__(self, *args, opportunities=None, **kw):
        super().__init__(*args, **kw)
        self.fields["opportunities"].queryset = opportunities


class IndicatorForm(forms.Form):
    name = forms.CharField(label=_("Indicator"), max_length=200)
    unit = forms.CharField(label=_("Unit"), max_length=60)
    baseline_value = forms.DecimalField(label=_("Baseline"), required=False, max_digits=20, decimal_places=4)
    target_value = forms.DecimalField(label=_("Target"), required=False, max_digits=20, decimal_places=4)
    target_date = forms.DateField(label=_("Target date"), required=False, widget=DATE)
