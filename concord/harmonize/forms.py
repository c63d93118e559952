from django import forms
from django.utils.translation import gettext_lazy as _

from concord.accounts.models import Party
from concord.core.forms import text_area
from concord.library.models import PolicyDocument, Theme

from .models import Rationale, Relationship, SignOffDecision


class DocumentChoices(forms.ModelMultipleChoiceField):
    """Each document once, named with its party and language, so that two texts of one law (English and
    Malay) or two documents with one short title can be told apart."""

    def label_from_instance(self, obj: PolicyDocument) -> str:
        name = (obj.short_title or obj.title) + (f" ({obj.year})" if obj.year else "")
        party = obj.party.localized_name() if obj.party_id else obj.country
        language = obj.get_language_display() if obj.language else _("language not known")
        return f"{name} · {party} · {language}"


class ThemeChoices(forms.ModelMultipleChoiceField):
    """Every theme of the taxonomy; a sub-theme (personal data protection under data governance) is
    offered too, marked as part of its parent."""

    def label_from_instance(self, obj: Theme) -> str:
        return f"— {obj.label()}" if obj.parent_id else obj.label()


def themes_in_tree_order(themes) -> list[Theme]:
    """Top-level themes in their order, each followed by its sub-themes."""
    themes = list(themes)
    children: dict[int | None, list[Theme]] = {}
    for t in themes:
        children.setdefault(t.parent_id, []).append(t)
    out: list[Theme] = []

    def walk(parent_id):
        for t in children.get(parent_id, []):
            out.append(t)
            walk(t.pk)

    walk(None)
    return out


class ComparisonForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    source_party = forms.ModelChoiceField(label=_("Source party"), queryset=Party.objects.none())
    source_documents = DocumentChoices(
        label=_("Source documents"),
        queryset=PolicyDocument.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )
    source_themes = ThemeChoices(
        label=_("Source themes"),
        queryset=Theme.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Leave empty to compare every provision."),
    )
    target_party = forms.ModelChoiceField(label=_("Target party"), queryset=Party.objects.none())
    target_documents = DocumentChoices(
        label=_("Target documents"),
        queryset=PolicyDocument.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )
    target_themes = ThemeChoices(
        label=_("Target themes"),
        queryset=Theme.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Leave empty to compare every provision."),
    )
    visibility = forms.ChoiceField(label=_("Who can see it"), choices=())

    def __init__(self, *args, parties=None, documents=None, visibility_choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        for side in ("source", "target"):
            self.fields[f"{side}_party"].queryset = parties if parties is not None else Party.objects.none()
            self.fields[f"{side}_documents"].queryset = (
                documents.distinct() if documents is not None else PolicyDocument.objects.none()
            )
            self.fields[f"{side}_themes"].queryset = Theme.objects.order_by("order", "pk")
            ordered = themes_in_tree_order(self.fields[f"{side}_themes"].queryset)
            self.fields[f"{side}_themes"].choices = [
                (t.pk, self.fields[f"{side}_themes"].label_from_instance(t)) for t in ordered
            ]
        self.fields["visibility"].choices = visibility_choices


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(
        choices=[
            ("accept", _("Accept")),
            ("retype", _("Change the relationship")),
            ("reject", _("Reject")),
            ("reopen", _("Reopen")),
            ("comment", _("Comment")),
        ]
    )
    relationship = forms.ChoiceField(label=_("Relationship"), choices=Relationship.choices, required=False)
    comment = text_area(_("Comment"), rows=2, max_length=4000, required=False)


class SignOffForm(forms.Form):
    decision = forms.ChoiceField(choices=SignOffDecision.choices)
    reason = text_area(_("Reason"), rows=2, max_length=4000, required=False)
    theme = forms.CharField(required=False, max_length=80)


class AddMappingForm(forms.Form):
    source_provision = forms.TypedChoiceField(label=_("Source provision"), coerce=int, choices=())
    target_provision = forms.TypedChoiceField(label=_("Target provision"), coerce=int, choices=())
    relationship = forms.ChoiceField(label=_("Relationship"), choices=Relationship.choices)
    rationale = forms.ChoiceField(label=_("Rationale"), choices=Rationale.choices, initial=Rationale.SEMANTIC)
    comment = text_area(_("Comment"), rows=2, max_length=4000, required=False)

    def __init__(self, *args, source_choices=(), target_choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["source_provision"].choices = source_choices
        self.fields["target_provision"].choices = target_choices
