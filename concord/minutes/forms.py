"""Forms of the minutes' pages. They check shapes; the actions check the rules."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class MinutesForm(forms.Form):
    body = forms.CharField(
        label=_("Text of the minutes"),
        widget=forms.Textarea(attrs={"rows": 18}),
        max_length=100000,
        help_text=_("A line that starts with # is a heading, and one that starts with - is a list item."),
    )


class AmendmentForm(forms.Form):
    original = forms.CharField(
        label=_("Text to replace"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Copy the words to change exactly; leave empty to add a paragraph at the end."),
    )
    replacement = forms.CharField(
        label=_("Proposed text"), max_length=5000, widget=forms.Textarea(attrs={"rows": 3})
    )
    rationale = forms.CharField(label=_("Reason"), required=False, max_length=2000)
