from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from concord.accounts.models import Party

from .models import LANGUAGE_CHOICES, DocumentKind, DocumentStatus

ACCEPT = ".pdf,.docx,.html,.htm,.md,.markdown,.txt,application/pdf,text/html,text/markdown,text/plain"
LANGUAGE_OR_AUTO = [("", _("Detect it")), *LANGUAGE_CHOICES]


class UploadFileField(forms.FileField):
    """Empty files and long names go through to the upload action: it refuses an empty file with the same
    message as the API, and keeps a long name's start and end (``uploads.display_filename``)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("allow_empty_file", True)
        kwargs.setdefault("max_length", None)
        kwargs.setdefault("widget", forms.ClearableFileInput(attrs={"accept": ACCEPT}))
        super().__init__(**kwargs)


def _upload_help():
    from django.template.defaultfilters import filesizeformat

    return _("PDF, Word (DOCX), HTML, Markdown or plain text, up to %(limit)s.") % {
        "limit": filesizeformat(settings.CONCORD_MAX_UPLOAD_BYTES)
    }


class DocumentMetadataForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=300)
    short_title = forms.CharField(label=_("Short title"), max_length=120, required=False)
    kind = forms.ChoiceField(label=_("Kind"), choices=DocumentKind.choices)
    issuer = forms.CharField(label=_("Issued by"), max_length=200, required=False)
    status = forms.ChoiceField(
        label=_("Status"), choices=DocumentStatus.choices, initial=DocumentStatus.IN_FORCE
    )
    year = forms.IntegerField(label=_("Year"), min_value=1900, max_value=2100, required=False)
    source_url = forms.URLField(
        label=_("Source address"), max_length=500, required=False, assume_scheme="https"
    )
    is_summary = forms.BooleanField(label=_("This text is a summary, not the official text"), required=False)
    visibility = forms.ChoiceField(label=_("Who can see it"), choices=())
    party = forms.ModelChoiceField(
        label=_("Party"),
        queryset=Party.objects.none(),
        required=False,
        help_text=_("The country whose document this is; required when only one party may see it."),
    )

    def __init__(self, *args, visibility_choices=(), parties=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["visibility"].choices = visibility_choices
        self.fields["party"].queryset = parties if parties is not None else Party.objects.none()


class UploadForm(DocumentMetadataForm):
    file = UploadFileField(label=_("File"))
    language = forms.ChoiceField(label=_("Language"), choices=LANGUAGE_OR_AUTO, required=False)
    amends = forms.TypedChoiceField(
        label=_("Amends"),
        choices=(),
        required=False,
        coerce=int,
        empty_value=None,
        help_text=_("For an amending act: the document it amends."),
    )
    field_order = [
        "file",
        "title",
        "short_title",
        "kind",
        "party",
        "visibility",
        "language",
        "issuer",
        "status",
        "year",
        "source_url",
        "is_summary",
        "amends",
    ]

    def __init__(self, *args, amendable=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = _upload_help()
        self.fields["amends"].choices = [("", _("Nothing")), *[(d.pk, str(d)) for d in amendable]]


class VersionForm(forms.Form):
    file = UploadFileField(label=_("File"))
    label = forms.CharField(
        label=_("Version label"),
        max_length=100,
        required=False,
        help_text=_("For example “as amended in 2024”."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = _upload_help()


class ThemeCorrectionForm(forms.Form):
    theme = forms.SlugField(label=_("Theme"), max_length=80)
    action = forms.ChoiceField(choices=[("add", _("Add")), ("remove", _("Remove"))])
