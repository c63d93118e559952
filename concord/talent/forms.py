"""Forms of talent mobility; they only read and check input, the actions write."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from concord.accounts.models import Organization
from concord.core.forms import text_area
from concord.core.models import Visibility

from .models import Level, Opportunity, OpportunityKind, ReserveGroup, Skill, SkillType

LANGUAGE_CHOICES = [("en", _("English")), ("ms", _("Malay")), ("ur", _("Urdu"))]
COUNTRY_CHOICES = [("MY", _("Malaysia")), ("PK", _("Pakistan"))]


def _skills():
    return Skill.objects.exclude(skill_type=SkillType.GROUP).select_related("taxonomy").order_by("label")


class ProfileForm(forms.Form):
    headline = forms.CharField(label=_("Headline"), max_length=200, required=False)
    summary = text_area(
        _("About your work"),
        rows=6,
        max_length=5000,
        required=False,
        help_text=_("Paste a CV summary or describe your work; Concord suggests skills from it."),
    )
    country = forms.ChoiceField(label=_("Country"), choices=[("", "—"), *COUNTRY_CHOICES], required=False)
    languages = forms.MultipleChoiceField(
        label=_("Languages"), choices=LANGUAGE_CHOICES, required=False, widget=forms.CheckboxSelectMultiple
    )
    level = forms.TypedChoiceField(
        label=_("Career level"), choices=Level.choices, coerce=int, initial=Level.INTERMEDIATE
    )
    interests = forms.CharField(label=_("Interests"), max_length=500, required=False)
    availability = forms.CharField(label=_("Availability"), max_length=200, required=False)
    consent_matching = forms.BooleanField(
        label=_("Match me with opportunities and include me in allocation rounds I apply to"), required=False
    )
    consent_sharing = forms.BooleanField(
        label=_("Show my profile to the managers of programmes I apply to"), required=False
    )
    declared_groups = forms.MultipleChoiceField(
        label=_("Seats reserved for a group I belong to"),
        choices=ReserveGroup.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "Optional. Some opportunities reserve seats for a group; tick the groups you belong to so that "
            "you can be given such a seat. This is used only for reserved seats and never shown to anyone."
        ),
    )


class ReviewSkillForm(forms.Form):
    status = forms.ChoiceField(choices=[("accepted", _("Accept")), ("rejected", _("Reject"))])
    level = forms.TypedChoiceField(choices=Level.choices, coerce=int, required=False, empty_value=None)


class AddSkillForm(forms.Form):
    skill = forms.ModelChoiceField(
        label=_("Skill"),
        queryset=Skill.objects.all(),
        error_messages={
            "invalid_choice": _("That skill is not in the taxonomy. Search for it and choose one.")
        },
    )
    level = forms.TypedChoiceField(
        label=_("Level"), choices=Level.choices, coerce=int, initial=Level.INTERMEDIATE
    )


class OpportunityForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    description = text_area(_("Description"), rows=5, max_length=10000, required=False)
    provider = forms.ModelChoiceField(
        label=_("Provider"), queryset=Organization.objects.all(), required=False
    )
    kind = forms.ChoiceField(label=_("Kind"), choices=OpportunityKind.choices)
    host_country = forms.ChoiceField(label=_("Host country"), choices=COUNTRY_CHOICES)
    seats = forms.IntegerField(label=_("Seats"), min_value=1, max_value=100000, initial=1)
    starts_on = forms.DateField(
        label=_("Starts"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    ends_on = forms.DateField(label=_("Ends"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    eligible_countries = forms.MultipleChoiceField(
        label=_("Open to people from"),
        choices=COUNTRY_CHOICES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Leave empty to accept every country."),
    )
    languages = forms.MultipleChoiceField(
        label=_("Working languages (any one)"),
        choices=LANGUAGE_CHOICES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    min_level = forms.TypedChoiceField(
        label=_("Minimum career level"),
        choices=[("", "—"), *Level.choices],
        coerce=int,
        required=False,
        empty_value=None,
    )
    reserve_my = forms.IntegerField(
        label=_("Seats reserved for applicants from Malaysia"), min_value=0, required=False
    )
    reserve_pk = forms.IntegerField(
        label=_("Seats reserved for applicants from Pakistan"), min_value=0, required=False
    )
    reserve_women = forms.IntegerField(label=_("Seats reserved for women"), min_value=0, required=False)
    reserve_disability = forms.IntegerField(
        label=_("Seats reserved for people with disabilities"), min_value=0, required=False
    )
    essential_skills = forms.ModelMultipleChoiceField(
        label=_("Essential skills"), queryset=Skill.objects.none(), required=False
    )
    optional_skills = forms.ModelMultipleChoiceField(
        label=_("Optional skills"), queryset=Skill.objects.none(), required=False
    )
    visibility = forms.ChoiceField(
        label=_("Who can see it"), choices=Visibility.choices[:2], initial=Visibility.PUBLIC
    )
    publish = forms.BooleanField(label=_("Publish now (open for applications)"), required=False, initial=True)

    def __init__(self, *args, editing: bool = False, providers: set[int] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if editing:  # publishing and closing have their own buttons on the opportunity's page
            del self.fields["publish"]
        if providers is not None:  # only the organisations this user may name (talent.rules.provider_ids)
            field = self.fields["provider"]
            field.queryset = Organization.objects.filter(pk__in=providers).order_by("name")
            field.required = True
            field.help_text = _("You publish on behalf of the organisation you represent.")
            if len(providers) == 1:
                field.empty_label = None
        self.fields["essential_skills"].queryset = _skills()
        self.fields["optional_skills"].queryset = _skills()
        self.fields["essential_skills"].widget.attrs["size"] = 8
        self.fields["optional_skills"].widget.attrs["size"] = 8


class RoundForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    opportunities = forms.ModelMultipleChoiceField(
        label=_("Opportunities to allocate"),
        queryset=Opportunity.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, opportunities=None, **kwargs):
        super().__init__(*args, **kwargs)
        if opportunities is not None:
            self.fields["opportunities"].queryset = opportunities


class FrameworkForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    slug = forms.SlugField(label=_("Short name"), max_length=50)
    country = forms.ChoiceField(label=_("Country"), choices=COUNTRY_CHOICES)
    file = forms.FileField(label=_("CSV file (code, label, label_ms, label_ur, parent_code, description)"))
