"""Pages of the programme registry. Anything the caller may not see answers 404."""

from __future__ import annotations

from operator import attrgetter

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.forms.models import model_to_dict
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from concord.accounts.models import Dialogue, Party
from concord.core import rules as core
from concord.core.charts import dated_lines
from concord.core.lookups import default_dialogue, default_dialogue_or_404
from concord.core.shortcuts import attachment, filtered_page, first_or_404, form_page, object_action, saved
from concord.library import rules as library_rules
from concord.library.models import PolicyDocument, Theme

from . import actions, rules
from .exchange import comparable_programmes, indicator_series, side_by_side_charts
from .forms import ImportForm, IndicatorForm, LessonForm, ProgrammeForm, ValueForm
from .importing import COLUMNS, export_csv, export_xlsx, template_xlsx
from .models import (
    Indicator,
    IndicatorValue,
    Instrument,
    Lesson,
    LessonFile,
    Programme,
    ProgrammeStatus,
)

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


# --- access helpers --------------------------------------------------------------------------------------
def _programme(request, pk: int) -> Programme:
    return first_or_404(
        Programme.objects.visible_to(request.user).select_related("party", "lead_agency", "dialogue"),
        _("No such programme, or you do not have access to it."),
        pk=pk,
    )


def _editable_programme(request, pk: int) -> Programme:
    programme = _programme(request, pk)
    if not rules.can_edit_programme(request.user, programme):
        raise PermissionDenied(_("Only the party's delegates and analysts, and the secretariat, change it."))
    return programme


def _filtered(request):
    qs = Programme.objects.visible_to(request.user).for_list()
    f = {k: request.GET.get(k, "")[:80] for k in ("party", "theme", "instrument", "status", "q")}
    if f["party"]:
        qs = qs.filter(party__code=f["party"].upper())
    if f["theme"]:
        qs = qs.filter(themes__slug=f["theme"])
    if f["instrument"] in Instrument.values:
        # JSON lists are matched as text on both databases: the quoted value cannot be part of another.
        qs = qs.filter(instruments__icontains=f'"{f["instrument"]}"')
    if f["status"]:
        qs = qs.filter(status=f["status"])
    if f["q"]:
        qs = qs.filter(Q(title__icontains=f["q"]) | Q(summary__icontains=f["q"]))
    return qs.distinct(), f


# --- registry --------------------------------------------------------------------------------------------
def programme_list(request):
    qs, f = _filtered(request)
    dialogue = default_dialogue(request.user)
    can_create = bool(dialogue and rules.creatable_party_ids(request.user, dialogue))
    return render(
        request,
        "programmes/list.html",
        {
            **filtered_page(request, qs, f),
            "parties": Party.objects.filter(dialogues__isnull=False).distinct(),
            "themes": Theme.objects.all(),
            "instruments": Instrument.choices,
            "statuses": ProgrammeStatus.choices,
            "can_create": can_create,
            "can_import": bool(dialogue and rules.can_import(request.user, dialogue.pk)),
            "can_export": rules.can_export(request.user),
        },
    )


def _indicator_charts(programme: Programme) -> list[dict]:
    charts = []
    for indicator in programme.indicators.prefetch_related("values"):
        chart = dated_lines(
            [indicator_series(indicator, indicator.name)], title=indicator.name, unit=indicator.unit
        )
        charts.append({"indicator": indicator, "values": list(indicator.values.all()), "chart": chart})
    return charts


def programme_detail(request, pk: int):
    from .peer.views import ask_form, programme_requests  # the peer pages use this module's helpers

    programme = _programme(request, pk)
    user = request.user
    documents = programme.documents.filter(library_rules.visible_q(user)).only("id", "title", "short_title")
    return render(
        request,
        "programmes/detail.html",
        {
            "programme": programme,
            "indicators": _indicator_charts(programme),
            "lessons": programme.lessons.select_related("author").prefetch_related("files"),
            "documents": documents,
            "themes": programme.themes.all(),
            "partners": programme.partners.all(),
            "can_edit": rules.can_edit_programme(user, programme),
            "can_delete": rules.can_delete_programme(user, programme),
            "comparable": comparable_programmes(user, programme),
            "requests": programme_requests(user, programme),
            "ask_form": ask_form(request, programme.dialogue, programme=programme)
            if user.is_authenticated
            else None,
        },
    )


def programme_compare(request, a: int, b: int):
    """Two programmes side by side: facts, instruments, budget, indicators on one chart per shared unit,
    and lessons."""
    left, right = _programme(request, a), _programme(request, b)
    charts, alone = side_by_side_charts(left, right)
    columns = []
    for programme in (left, right):
        columns.append(
            {
                "programme": programme,
                "themes": programme.themes.all(),
                "lessons": programme.lessons.all(),
            }
        )
    shared_instruments = set(left.instruments) & set(right.instruments)
    labels = dict(Instrument.choices)
    return render(
        request,
        "programmes/compare.html",
        {
            "left": left,
            "right": right,
            "columns": columns,
            "charts": charts,
            "alone": alone,
            "shared_instruments": [str(labels.get(i, i)) for i in sorted(shared_instruments)],
        },
    )


def _programme_form(request, dialogue: Dialogue, programme: Programme | None = None):
    parties = Party.objects.filter(pk__in=rules.creatable_party_ids(request.user, dialogue))
    documents = PolicyDocument.objects.filter(library_rules.visible_q(request.user)).only(
        "id", "title", "short_title"
    )
    initial = {"visibility": "dialogue", "status": ProgrammeStatus.ACTIVE}
    if programme is not None:
        # The form names themes by slug and takes the target groups one a line.
        initial = {
            **model_to_dict(programme, fields=ProgrammeForm.base_fields, exclude=["target_groups", "themes"]),
            "target_groups": "\n".join(programme.target_groups),
            "themes": list(programme.themes.values_list("slug", flat=True)),
        }
    elif parties.count() == 1:
        initial["party"] = parties.first().pk
    return ProgrammeForm(
        request.POST or None,
        initial=initial,
        parties=parties,
        documents=documents,
        visibility_choices=core.visibility_choices_for(request.user, dialogue.pk),
    )


@login_required
def programme_create(request):
    dialogue = default_dialogue_or_404(request.user)
    if not rules.creatable_party_ids(request.user, dialogue):
        raise PermissionDenied(
            _("Only the party's delegates and analysts, and the secretariat, record programmes.")
        )
    form = _programme_form(request, dialogue)
    return form_page(
        request,
        form,
        "programmes/form.html",
        {"programme": None},
        save=lambda data: actions.do_create_programme(
            actor=request.user, dialogue=dialogue, **form.action_fields()
        ),
        done=saved(request, _("Programme recorded.")),
    )


@login_required
def programme_edit(request, pk: int):
    programme = _editable_programme(request, pk)
    form = _programme_form(request, programme.dialogue, programme)
    return form_page(
        request,
        form,
        "programmes/form.html",
        {"programme": programme},
        save=lambda data: actions.do_update_programme(
            actor=request.user, programme=programme, **form.action_fields()
        ),
        done=saved(request, _("Programme saved."), to=programme),
    )


@login_required
def programme_delete(request, pk: int):
    programme = _programme(request, pk)
    if not rules.can_delete_programme(request.user, programme):
        raise PermissionDenied(_("Only the secretariat and the party's delegates delete programmes."))
    if request.method == "POST":
        actions.do_delete_programme(actor=request.user, programme=programme)
        messages.success(request, _("Programme deleted."))
        return redirect("programmes:list")
    return render(request, "programmes/delete.html", {"programme": programme})


# --- indicators, values, lessons -------------------------------------------------------------------------
def _detail_form(request, form, programme: Programme, heading: str, *, save, done, multipart: bool = False):
    """The one page that adds or edits an indicator, a value or a lesson of ``programme``."""
    context = {"programme": programme, "heading": heading, **({"multipart": True} if multipart else {})}
    return form_page(request, form, "programmes/detail_form.html", context, save=save, done=done)


@login_required
def indicator_create(request, pk: int):
    programme = _editable_programme(request, pk)
    return _detail_form(
        request,
        IndicatorForm(request.POST or None),
        programme,
        _("Add an indicator"),
        save=lambda data: actions.do_add_indicator(actor=request.user, programme=programme, **data),
        done=saved(request, _("Indicator added.")),
    )


def _manageable(request, queryset, message: str, pk: int):
    """The indicator or lesson ``pk`` of ``queryset`` (404 if unseen), when the caller may change it."""
    item = first_or_404(queryset.visible_to(request.user).select_related("programme"), message, pk=pk)
    if not rules.can_manage_details(request.user, item.programme):
        raise PermissionDenied(_("Only the party's delegates and analysts, and the secretariat, change it."))
    return item


def _indicator(request, pk: int) -> Indicator:
    return _manageable(
        request, Indicator.objects, _("No such indicator, or you do not have access to it."), pk
    )


@login_required
def indicator_edit(request, pk: int):
    indicator = _indicator(request, pk)
    fields = ["name", "unit", "baseline_value", "baseline_date", "target_value", "target_date"]
    return _detail_form(
        request,
        IndicatorForm(request.POST or None, initial=model_to_dict(indicator, fields=fields)),
        indicator.programme,
        _("Edit the indicator"),
        save=lambda data: actions.do_update_indicator(actor=request.user, indicator=indicator, **data),
        done=saved(request, _("Indicator saved."), to=indicator),
    )


indicator_delete = object_action(
    _indicator,
    actions.do_delete_indicator,
    "indicator",
    success=gettext_lazy("Indicator deleted."),
    back=attrgetter("programme"),
    refusals=(),  # what the action refuses is the 403 page
)


@login_required
def value_create(request, pk: int):
    indicator = _indicator(request, pk)
    return _detail_form(
        request,
        ValueForm(request.POST or None),
        indicator.programme,
        _("Record a value of “%(name)s” (%(unit)s)") % {"name": indicator.name, "unit": indicator.unit},
        save=lambda data: actions.do_record_value(actor=request.user, indicator=indicator, **data),
        done=saved(request, _("Value recorded."), to=indicator),
    )


def _value(request, pk: int) -> IndicatorValue:
    return first_or_404(
        IndicatorValue.objects.visible_to(request.user).select_related("indicator__programme"),
        _("No such value, or you do not have access to it."),
        pk=pk,
    )


value_delete = object_action(
    _value,
    actions.do_delete_value,
    "entry",
    success=gettext_lazy("Value deleted."),
    back=attrgetter("indicator"),
    refusals=(),  # what the action refuses is the 403 page
)


@login_required
def lesson_create(request, pk: int):
    programme = _editable_programme(request, pk)
    return _detail_form(
        request,
        LessonForm(request.POST or None, request.FILES or None),
        programme,
        _("Record a lesson or evaluation"),
        save=lambda data: actions.do_add_lesson(actor=request.user, programme=programme, **data),
        done=saved(request, _("Lesson recorded.")),
        multipart=True,
    )


def _lesson(request, pk: int) -> Lesson:
    return _manageable(request, Lesson.objects, _("No such lesson, or you do not have access to it."), pk)


@login_required
def lesson_edit(request, pk: int):
    lesson = _lesson(request, pk)
    fields = ["kind", "title", "date", "what_worked", "what_did_not", "do_differently"]
    return _detail_form(
        request,
        LessonForm(request.POST or None, request.FILES or None, initial=model_to_dict(lesson, fields=fields)),
        lesson.programme,
        _("Edit the lesson"),
        save=lambda data: actions.do_update_lesson(actor=request.user, lesson=lesson, **data),
        done=saved(request, _("Lesson saved."), to=lesson),
        multipart=True,
    )


lesson_delete = object_action(
    _lesson,
    actions.do_delete_lesson,
    "lesson",
    success=gettext_lazy("Lesson deleted."),
    back=attrgetter("programme"),
    refusals=(),  # what the action refuses is the 403 page
)


def lesson_file(request, pk: int):
    item = LessonFile.objects.select_related("lesson__programme").filter(pk=pk).first()
    if item is None or not rules.can_view_programme(request.user, item.lesson.programme):
        raise Http404(_("No such file, or you do not have access to it."))
    return FileResponse(
        item.file.open("rb"), as_attachment=True, filename=item.name, content_type=item.media_type
    )


# --- import and export -----------------------------------------------------------------------------------
@login_required
def programme_import(request):
    dialogue = default_dialogue_or_404(request.user)
    if not rules.can_import(request.user, dialogue.pk):
        raise PermissionDenied(
            _("Only the parties' delegates and analysts, and the secretariat, import programmes.")
        )
    form = ImportForm(request.POST or None, request.FILES or None)
    report = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]  # its size checked by the form
        report = actions.do_import_programmes(
            actor=request.user, dialogue=dialogue, data=upload.read(), filename=upload.name
        )
        if report.imported:
            messages.success(request, _("%(n)d programmes imported.") % {"n": len(report.imported)})
            return redirect("programmes:list")
    failed = bool(form.errors or (report and (report.error or report.failed)))
    return render(
        request,
        "programmes/import.html",
        {"form": form, "report": report, "columns": COLUMNS},
        status=400 if failed else 200,
    )


@login_required
def import_template(request):
    return attachment(template_xlsx(default_dialogue_or_404(request.user)), XLSX, "programmes-template.xlsx")


@login_required
def programme_export(request, fmt: str):
    if fmt not in ("csv", "xlsx"):
        raise Http404(_("Export as csv or xlsx."))
    qs, _f = _filtered(request)
    qs = qs.defer(None).prefetch_related("partners", "themes")
    if fmt == "csv":
        return attachment(export_csv(qs), "text/csv; charset=utf-8", "programmes.csv")
    return attachment(export_xlsx(qs), XLSX, "programmes.xlsx")
