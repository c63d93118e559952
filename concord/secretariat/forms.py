"""Forms of the secretariat's pages. They check shapes; the actions check the rules."""

from __future__ import annotations

import zoneinfo

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import (
    Disposition,
    ItemKind,
    MeetingLevel,
    MeetingMode,
    OutcomeKind,
    Position,
    Stance,
)

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
LOCAL_DT = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class MeetingForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=250)
    title_ms = forms.CharField(label=_("Title (Malay)"), max_length=250, required=False)
    level = forms.ChoiceField(label=_("Level"), choices=MeetingLevel.choices)
    working_group = forms.ModelChoiceField(label=_("Working group"), queryset=None, required=False)
    mode = forms.ChoiceField(label=_("Mode"), choices=MeetingMode.choices)
    venue = forms.CharField(label=_("Venue"), max_length=300, required=False)
    time_zone = forms.CharField(
        label=_("Time zone of the venue"),
        max_length=64,
        initial="Asia/Kuala_Lumpur",
        help_text=_("IANA name, e.g. Asia/Kuala_Lumpur, Asia/Karachi or Asia/Baku."),
    )
    starts_at = forms.DateTimeField(
        label=_("Starts (local time at the venue)"),
        required=False,
        widget=LOCAL_DT,
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
    )
    ends_at = forms.DateTimeField(
        label=_("Ends (local time at the venue)"),
        required=False,
        widget=LOCAL_DT,
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
    )
    previous = forms.ModelChoiceField(label=_("Follows the meeting"), queryset=None, required=False)
    visibility = forms.ChoiceField(label=_("Who can see it"), choices=())
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )

    def __init__(self, *args, working_groups=None, meetings=None, visibility_choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["working_group"].queryset = working_groups
        self.fields["previous"].queryset = meetings
        self.fields["visibility"].choices = visibility_choices

    def clean(self):
        return _at_the_venue(self, super().clean())


def _at_the_venue(form, data: dict) -> dict:
    """Read the form's start and end as local times at the venue: attach the venue's zone, not the
    server's."""
    name = data.get("time_zone", "")
    try:
        zone = zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        form.add_error("time_zone", _("Unknown time zone “%(value)s”.") % {"value": name})
        return data
    for field in ("starts_at", "ends_at"):
        value = data.get(field)
        if value is not None:
            data[field] = value.replace(tzinfo=zone)
    return data


class AgendaItemForm(forms.Form):
    section = forms.CharField(label=_("Section"), max_length=200, required=False)
    title = forms.CharField(label=_("Title"), max_length=300)
    kind = forms.ChoiceField(label=_("Kind"), choices=ItemKind.choices)
    presenter_name = forms.CharField(label=_("Presenter"), max_length=200, required=False)
    duration_minutes = forms.IntegerField(
        label=_("Duration (minutes)"),
        min_value=1,
        max_value=1440,
        required=False,
        help_text=_("Leave empty if not known yet."),
        error_messages={
            "min_value": _("An agenda item lasts at least 1 minute; leave the duration empty if not known."),
            "max_value": _("An agenda item lasts at most 1,440 minutes (one day)."),
        },
    )
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    documents = forms.ModelMultipleChoiceField(label=_("Documents"), queryset=None, required=False)
    commitments = forms.ModelMultipleChoiceField(label=_("Commitments"), queryset=None, required=False)

    def __init__(self, *args, documents=None, commitments=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["documents"].queryset = documents
        self.fields["commitments"].queryset = commitments


class OutcomeForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind of outcome"), choices=OutcomeKind.choices)
    disposition = forms.ChoiceField(label=_("Disposition"), choices=Disposition.choices)
    text = forms.CharField(label=_("Outcome"), widget=forms.Textarea(attrs={"rows": 3}), max_length=20000)
    text_ms = forms.CharField(
        label=_("Outcome (Malay)"), widget=forms.Textarea(attrs={"rows": 2}), max_length=20000, required=False
    )
    referred_to = forms.ModelChoiceField(label=_("Referred to"), queryset=None, required=False)
    review_date = forms.DateField(label=_("Review date"), required=False, widget=DATE)
    action_owner = forms.ModelChoiceField(label=_("Action owner"), queryset=None, required=False)
    action_due = forms.DateField(label=_("Action due"), required=False, widget=DATE)

    def __init__(self, *args, working_groups=None, people=None, prefix=None, **kwargs):
        super().__init__(*args, prefix=prefix, **kwargs)
        self.fields["referred_to"].queryset = working_groups
        self.fields["action_owner"].queryset = people


class PositionForm(forms.Form):
    party = forms.ModelChoiceField(label=_("Party"), queryset=None)
    stance = forms.ChoiceField(label=_("Position"), choices=Stance.choices)
    statement = forms.CharField(label=_("Statement"), required=False, max_length=5000)

    def __init__(self, *args, parties=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["party"].queryset = parties


class MeetingEditForm(forms.Form):
    """What can change on a meeting once it exists: its title, mode, place and time (rescheduling)."""

    title = MeetingForm.base_fields["title"]
    title_ms = MeetingForm.base_fields["title_ms"]
    mode = MeetingForm.base_fields["mode"]
    venue = MeetingForm.base_fields["venue"]
    time_zone = MeetingForm.base_fields["time_zone"]
    starts_at = MeetingForm.base_fields["starts_at"]
    ends_at = MeetingForm.base_fields["ends_at"]
    description = MeetingForm.base_fields["description"]

    def clean(self):
        return _at_the_venue(self, super().clean())


class CancelMeetingForm(forms.Form):
    reason = forms.CharField(
        label=_("Why is the meeting cancelled?"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Shown on the meeting's page and sent in calendars."),
    )


class WorkingGroupForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    name_ms = forms.CharField(label=_("Name (Malay)"), max_length=200, required=False)
    name_ur = forms.CharField(label=_("Name (Urdu)"), max_length=200, required=False)
    slug = forms.SlugField(
        label=_("Short name in addresses"),
        max_length=80,
        help_text=_("Lower-case letters, digits and hyphens, e.g. data-protection."),
    )
    terms_of_reference = forms.CharField(
        label=_("Terms of reference"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    visibility = forms.ChoiceField(label=_("Who can see it"), choices=())

    def __init__(self, *args, visibility_choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["visibility"].choices = visibility_choices


class WorkingGroupMemberForm(forms.Form):
    user = forms.ModelChoiceField(label=_("Person"), queryset=None)
    position = forms.ChoiceField(label=_("Position"), choices=Position.choices, initial=Position.MEMBER)
    party = forms.ModelChoiceField(label=_("Party"), queryset=None, required=False)

    def __init__(self, *args, people=None, parties=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = people
        self.fields["party"].queryset = parties
