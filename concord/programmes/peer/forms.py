"""Forms of the peer-learning pages. They shape input; the actions check it and say what is wrong."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from concord.accounts.models import Party
from concord.core.forms import text_area
from concord.core.models import Visibility
from concord.directory.forms import theme_choices
from concord.library.models import PolicyDocument

from ..models import Programme


class AskForm(forms.Form):
    party = forms.ModelChoiceField(label=_("Asked in the name of"), queryset=Party.objects.none())
    asked_party = forms.ModelChoiceField(label=_("Party you ask"), queryset=Party.objects.none())
    title = forms.CharField(label=_("Subject"), max_length=300, required=False)
    question = text_area(
        _("Question"),
        rows=4,
        max_length=8000,
        required=False,
        help_text=_("Such as: how did you fund the national data centre?"),
    )
    programme = forms.ModelChoiceField(
        label=_("About the programme"), required=False, queryset=Programme.objects.none()
    )
    theme = forms.ChoiceField(label=_("About the theme"), required=False)
    visibility = forms.ChoiceField(
        label=_("Visibility"),
        choices=[
            (Visibility.DIALOGUE, Visibility.DIALOGUE.label),
            (Visibility.PUBLIC, Visibility.PUBLIC.label),
        ],
    )

    def __init__(self, *args, parties=None, asked=None, programmes=None, **kw):
        super().__init__(*args, **kw)
        self.fields["party"].queryset = parties if parties is not None else Party.objects.none()
        self.fields["asked_party"].queryset = asked if asked is not None else Party.objects.none()
        self.fields["programme"].queryset = programmes if programmes is not None else Programme.objects.none()
        self.fields["theme"].choices = [("", "—"), *theme_choices()]
        # ``title`` and ``question`` are checked by the action, which names an empty one.


class CitedProgrammes(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj) -> str:
        return f"{obj.title} ({obj.party.code})"


class AnswerForm(forms.Form):
    text = text_area(_("Your answer"), rows=5, max_length=10000, required=False)
    programmes = CitedProgrammes(
        label=_("Programmes cited"),
        required=False,
        queryset=Programme.objects.none(),
        widget=forms.SelectMultiple(attrs={"size": 4}),
        # A programme that does not exist and one the writer may not see get the same answer.
        error_messages={
            "invalid_choice": _("No programme with id %(value)s that you can see: choose one from the list."),
            "invalid_pk_value": _("“%(pk)s” is not a programme: choose one from the list."),
        },
    )
    documents = forms.ModelMultipleChoiceField(
        label=_("Library documents cited"),
        required=False,
        queryset=PolicyDocument.objects.none(),
        widget=forms.SelectMultiple(attrs={"size": 4}),
        error_messages={
            "invalid_choice": _("No document with id %(value)s that you can see: choose one from the list."),
            "invalid_pk_value": _("“%(pk)s” is not a document: choose one from the list."),
        },
    )

    def __init__(self, *args, programmes=None, documents=None, **kw):
        super().__init__(*args, **kw)
        self.fields["programmes"].queryset = (
            programmes if programmes is not None else Programme.objects.none()
        )
        self.fields["documents"].queryset = (
            documents if documents is not None else PolicyDocument.objects.none()
        )
