"""Library pages: the list, a document with its provision tree, uploads with live progress, diffs, themes."""

from __future__ import annotations

from functools import partial

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Exists, OuterRef, Prefetch, Q
from django.forms.models import model_to_dict
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from concord.accounts.models import Dialogue, Party
from concord.core import rules as core_rules
from concord.core.shortcuts import REFUSALS, filtered_page, first_or_404, form_page, saved

from . import actions, rules
from .diff import add_segments, diff_provisions, summarize
from .forms import DocumentMetadataForm, ThemeCorrectionForm, UploadForm, VersionForm
from .models import (
    LANGUAGE_CHOICES,
    DocumentKind,
    DocumentStatus,
    DocumentVersion,
    IngestionStatus,
    PolicyDocument,
    Provision,
    ProvisionTheme,
    Theme,
    intro_text,
    provision_count,
)
from .pipeline import sides

INLINE_TYPES = {"application/pdf"}
PROVISIONS_PER_PAGE = 50  # a document page, and a version diff, show this many provisions at a time
# What the upload-time checks let in (concord.engine.extract's types): nothing else is ever served.
ACCEPTED_TYPES = {
    "application/pdf",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "text/html",
    "text/markdown",
    "text/plain",
}


# --- access helpers: 404 for anything the caller may not view -------------------------------------
def _get_visible_document(request, pk: int) -> PolicyDocument:
    return first_or_404(
        PolicyDocument.objects.select_related("dialogue", "party", "current_version", "created_by").defer(
            "current_version__extracted_text"
        ),
        _("No such document, or you do not have access to it."),
        visible=partial(rules.can_view, request.user),
        pk=pk,
    )


def _get_visible_version(request, pk: int) -> DocumentVersion:
    version = (
        DocumentVersion.objects.select_related("document", "document__party", "document__dialogue", "job")
        .filter(pk=pk)
        .first()
    )
    if version is None or not rules.can_view(request.user, version.document):
        raise Http404(_("No such document version, or you do not have access to it."))
    return version


def _upload_dialogue(user) -> Dialogue:
    seat = next((s for s in core_rules.seats(user) if s.role in core_rules.CONTRIBUTOR_ROLES), None)
    if seat is None:
        raise PermissionDenied(
            _("Only the secretariat, delegates and analysts of a dialogue can add documents.")
        )
    return Dialogue.objects.prefetch_related("parties").get(pk=seat.dialogue_id)


def _choice(value: str, allowed) -> str:
    return value if value in allowed else ""


# --- the list -------------------------------------------------------------------------------------
LIST_ORDERS = {"": ("-year", "title", "pk"), "added": ("-created_at", "-pk")}


def document_list(request):
    user = request.user
    filters = {
        "party": request.GET.get("party", "").upper()[:2],
        "kind": _choice(request.GET.get("kind", ""), DocumentKind.values),
        "theme": request.GET.get("theme", "")[:80],
        "status": _choice(request.GET.get("status", ""), DocumentStatus.values),
        "language": _choice(request.GET.get("language", ""), dict(LANGUAGE_CHOICES)),
        "q": request.GET.get("q", "").strip()[:200],
        "sort": _choice(request.GET.get("sort", ""), LIST_ORDERS),
    }
    qs = (
        PolicyDocument.objects.visible_to(user)
        .select_related("party", "current_version")
        .defer("current_version__extracted_text")
        .prefetch_related(Prefetch("themes", queryset=Theme.objects.order_by("order")))
        .annotate(n_provisions=provision_count())
    )
    if filters["party"]:
        qs = qs.filter(Q(party__code=filters["party"]) | Q(party__isnull=True, country=filters["party"]))
    for name in ("kind", "status", "language"):
        if filters[name]:
            qs = qs.filter(**{name: filters[name]})
    if filters["theme"]:
        tagged = ProvisionTheme.objects.shown().filter(
            provision__version=OuterRef("current_version"), theme__slug=filters["theme"]
        )
        qs = qs.filter(Q(themes__slug=filters["theme"]) | Q(Exists(tagged))).distinct()
    if filters["q"]:
        qs = qs.filter(
            Q(title__icontains=filters["q"])
            | Q(short_title__icontains=filters["q"])
            | Q(issuer__icontains=filters["q"])
        )
    order = LIST_ORDERS.get(filters["sort"], LIST_ORDERS[""])
    listing = filtered_page(request, qs.order_by(*order), filters)
    # Failed uploads, seen only by whom the rules allow, may be deleted.
    for document in listing["page"].object_list:
        document.failed_upload = rules.is_failed_upload(document)
        document.can_delete = document.failed_upload and rules.can_delete(user, document)
    return render(
        request,
        "library/list.html",
        {
            **listing,
            "parties": Party.objects.all(),
            "kinds": DocumentKind.choices,
            "statuses": DocumentStatus.choices,
            "languages": LANGUAGE_CHOICES,
            "themes": Theme.objects.order_by("order"),
            "sorts": [("", _("Year, newest first")), ("added", _("Date added, newest first"))],
            "can_upload": any(s.role in core_rules.CONTRIBUTOR_ROLES for s in core_rules.seats(user)),
        },
    )


# --- one document ---------------------------------------------------------------------------------
def document_detail(request, pk: int):
    document = _get_visible_document(request, pk)
    user = request.user
    versions = list(
        document.versions.select_related("created_by", "amends__document")
        .defer("amends__extracted_text")
        .order_by("-created_at", "-pk")
    )
    asked = request.GET.get("version", "")
    version = _shown_version(document, versions, asked)
    q = request.GET.get("q", "").strip()[:200]
    theme = request.GET.get("theme", "")[:80]
    provisions = Provision.objects.none()
    total = 0
    if version is not None:
        total = version.provisions.count()
        provisions = version.provisions.for_reading().matching(q, theme)
        asked_key = request.GET.get("provision", "")[:120]
        if asked_key:
            return _redirect_to_provision(request, document, version, provisions, asked_key)
    page = Paginator(provisions, PROVISIONS_PER_PAGE).get_page(request.GET.get("page"))
    shown = _with_lead_ins(list(page.object_list), cut=not (q or theme))
    return render(
        request,
        "library/document.html",
        {
            "document": document,
            "version": version,
            "versions": versions,
            "provisions": shown,
            "page": page,
            "page_query": urlencode({k: v for k, v in (("version", asked), ("q", q), ("theme", theme)) if v}),
            "total": total,
            "q": q,
            "theme": theme,
            "amended_by": DocumentVersion.objects.visible_to(user).amending(document),
            "embedded": version.provisions.exclude(embedding_model="").count() if version is not None else 0,
            "themes": list(Theme.objects.order_by("order")) if version is not None else [],
            "can_correct": rules.can_correct_themes(user, document),
            "languages": LANGUAGE_CHOICES,
            "contents": _table_of_contents(version) if version is not None and total > TOC_FROM else [],
            "version_query": urlencode({"version": version.pk}) if version is not None else "",
            "can_edit": rules.can_edit(user, document),
            "can_delete": rules.can_delete(user, document),
            "can_download": rules.can_download(user, document),
            "can_add_version": rules.can_add_version(user, document),
        },
    )


def _shown_version(document, versions: list[DocumentVersion], asked: str) -> DocumentVersion | None:
    """The version asked for by ``?version=<id>`` (404 if the document has none such), else the current."""
    if not asked.isdigit():
        return document.current_version
    version = next((v for v in versions if v.pk == int(asked)), None)
    if version is None:
        raise Http404(_("This document has no such version."))
    return version


def _with_lead_ins(shown: list[Provision], *, cut: bool) -> list[Provision]:
    """A section's text spans its subsections: show only its lead-in, up to where its first child begins
    (the child may be on the next page, so its opening words are fetched, not the whole page's texts)."""
    first_child = Provision.objects.lead_ins(shown) if shown and cut else {}
    for p in shown:
        p.display_text = intro_text(p.text, first_child.get(p.pk))
    return shown


TOC_FROM = 15  # a document with more provisions than this gets a table of contents
TOC_LEVELS = ("part", "chapter", "section")


def _table_of_contents(version: DocumentVersion) -> list[dict]:
    """The headings of the version's parts, chapters and sections, in order (no text is loaded); each
    links to ``?provision=<key>``, which opens the page of the list that holds it."""
    return list(
        Provision.objects.filter(version=version, level__in=TOC_LEVELS)
        .order_by("order")
        .values("key", "number", "heading", "level", "depth")
    )


def _redirect_to_provision(request, document, version, provisions, key: str):
    """``?provision=<key>``: the page of the list that holds that provision, scrolled to it."""
    target = provisions.filter(key=key).values_list("order", "pk").first()
    if target is None:
        raise Http404(_("This version has no such provision."))
    before = provisions.filter(Q(order__lt=target[0]) | Q(order=target[0], pk__lt=target[1])).count()
    params = {k: v for k in ("version", "q", "theme") if (v := request.GET.get(k, ""))}
    params["page"] = str(before // PROVISIONS_PER_PAGE + 1)
    return redirect(f"{document.get_absolute_url()}?{urlencode(params)}#p-{key}")


@login_required
def document_edit(request, pk: int):
    document = _get_visible_document(request, pk)
    if not rules.can_edit(request.user, document):
        raise PermissionDenied(_("You may not edit this document."))
    fields = [
        "title",
        "short_title",
        "kind",
        "issuer",
        "status",
        "year",
        "source_url",
        "is_summary",
        "visibility",
        "party",
    ]
    form = DocumentMetadataForm(
        request.POST or None,
        initial=model_to_dict(document, fields=fields),
        visibility_choices=core_rules.visibility_choices_for(request.user, document.dialogue_id),
        parties=document.dialogue.parties.all(),
    )
    return form_page(
        request,
        form,
        "library/edit.html",
        {"document": document},
        save=lambda data: actions.do_update_document(actor=request.user, document=document, **data),
        done=saved(request, _("Document saved."), to=document),
        refusals=REFUSALS,
    )


@login_required
def document_delete(request, pk: int):
    """GET asks for confirmation (a page, so it works without JavaScript); POST deletes."""
    document = _get_visible_document(request, pk)
    if not rules.can_delete(request.user, document):
        raise PermissionDenied(_("You may not delete this document."))
    days = settings.CONCORD_ORIGINAL_RETENTION_DAYS
    if request.method == "POST":
        actions.do_delete_document(actor=request.user, document=document)
        messages.success(
            request,
            ngettext(
                "Document deleted. Its original files are removed after %(days)d day.",
                "Document deleted. Its original files are removed after %(days)d days.",
                days,
            )
            % {"days": days},
        )
        return redirect("library:list")
    return render(
        request,
        "library/delete.html",
        {"document": document, "versions": document.versions.count(), "retention_days": days},
    )


# --- uploads --------------------------------------------------------------------------------------
@login_required
def upload(request):
    user = request.user
    dialogue = _upload_dialogue(user)
    own = core_rules.party_ids(user, dialogue.pk)
    amendable = PolicyDocument.objects.visible_to(user).filter(dialogue=dialogue).select_related("party")
    form = UploadForm(
        request.POST or None,
        request.FILES or None,
        amendable=amendable.order_by("title"),
        initial={"party": next(iter(own), None), "visibility": "dialogue"},
        visibility_choices=core_rules.visibility_choices_for(user, dialogue.pk),
        parties=dialogue.parties.all(),
    )

    def save(cleaned):
        data = dict(cleaned)
        upload_file = data.pop("file")
        amends_id = data.pop("amends")
        return actions.do_ingest_document(
            actor=user,
            dialogue=dialogue,
            upload=upload_file,
            filename=upload_file.name,
            declared_type=actions.declared_type_of(getattr(upload_file, "content_type", "")),
            amends=amendable.filter(pk=amends_id).first() if amends_id else None,
            **data,
        )

    done = partial(_after_upload, request)
    return form_page(
        request, form, "library/upload.html", {"dialogue": dialogue}, save=save, done=done, refusals=REFUSALS
    )


def _after_upload(request, result):
    if result.duplicate:
        messages.info(
            request,
            _("This file is already in the library, as “%(document)s”. Nothing was added.")
            % {"document": result.document},
        )
        return redirect(result.version.get_absolute_url())
    return redirect("library:upload_status", pk=result.version.pk)


@login_required
def version_upload(request, pk: int):
    document = _get_visible_document(request, pk)
    if not rules.can_add_version(request.user, document):
        raise PermissionDenied(_("You may not add versions of this document."))
    form = VersionForm(request.POST or None, request.FILES or None)
    return form_page(
        request,
        form,
        "library/version_upload.html",
        {"document": document},
        save=lambda data: actions.do_ingest_version(
            actor=request.user,
            document=document,
            upload=data["file"],
            filename=data["file"].name,
            label=data["label"],
            declared_type=actions.declared_type_of(getattr(data["file"], "content_type", "")),
        ),
        done=partial(_after_upload, request),
        refusals=REFUSALS,
    )


@login_required
def upload_status(request, pk: int):
    version = _get_visible_version(request, pk)
    template = "library/_upload_progress.html" if request.htmx else "library/upload_status.html"
    return render(request, template, {"version": version, "document": version.document, "job": version.job})


@login_required
@require_POST
def reprocess(request, pk: int):
    version = _get_visible_version(request, pk)
    actions.do_reprocess_version(actor=request.user, version=version)
    return redirect("library:upload_status", pk=version.pk)


@login_required
def download_original(request, pk: int):
    version = _get_visible_version(request, pk)
    if not rules.can_download(request.user, version.document):
        raise Http404(_("No such document version, or you do not have access to it."))
    return serve_original(version)


def serve_original(version: DocumentVersion):
    """The original as an attachment, never rendered by the browser: only the document types Concord
    accepts are served, PDFs as PDF and the rest as opaque bytes, with ``nosniff``."""
    if version.media_type not in ACCEPTED_TYPES:
        raise Http404(_("This file is not a document type Concord accepts, so it is not served."))
    try:
        handle = version.original.open("rb")
    except (FileNotFoundError, ValueError):
        raise Http404(_("The original file is missing from storage; tell an administrator.")) from None
    # Anything but a PDF is sent as opaque bytes, so an uploaded HTML page can never run in our origin.
    content_type = version.media_type if version.media_type in INLINE_TYPES else "application/octet-stream"
    response = FileResponse(
        handle, as_attachment=True, filename=version.original_filename, content_type=content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


# --- versions compared ----------------------------------------------------------------------------
def version_diff(request, pk: int):
    version = _get_visible_version(request, pk)
    base = None
    asked = request.GET.get("base", "")
    if asked.isdigit():
        base = _get_visible_version(request, int(asked))
    else:
        base = version.diff_base
        if base is not None and not rules.can_view(request.user, base.document):
            base = None
        if base is None:
            base = (
                version.document.versions.filter(
                    created_at__lt=version.created_at, status=IngestionStatus.READY
                )
                .order_by("-created_at")
                .first()
            )
    rows, mode = [], "full"
    if base is not None:
        mode = (
            "amendment"
            if base.document_id != version.document_id or (version.amends_id == base.pk)
            else "full"
        )
        rows = diff_provisions(sides(base), sides(version), mode=mode, segments=False)
    show_all = request.GET.get("all") == "1"
    shown = rows if show_all else [r for r in rows if r.op != "unchanged"]
    page = Paginator(shown, PROVISIONS_PER_PAGE).get_page(request.GET.get("page"))
    add_segments(page.object_list)  # word diffs only for the rows on this page
    return render(
        request,
        "library/diff.html",
        {
            "version": version,
            "document": version.document,
            "base": base,
            "mode": mode,
            "rows": page.object_list,
            "page": page,
            "page_query": urlencode(
                {k: v for k, v in (("base", asked), ("all", "1" if show_all else "")) if v}
            ),
            "summary": summarize(rows),
            "show_all": show_all,
        },
    )


# --- theme correction -----------------------------------------------------------------------------
@login_required
@require_POST
def provision_themes(request, pk: int):
    provision = (
        Provision.objects.select_related("version__document__party")
        .defer("version__extracted_text", "embedding")
        .filter(pk=pk)
        .first()
    )
    if provision is None or not rules.can_view(request.user, provision.version.document):
        raise Http404(_("No such provision, or you do not have access to it."))
    document = provision.version.document
    form = ThemeCorrectionForm(request.POST)
    theme = Theme.objects.filter(slug=form.data.get("theme", "")[:80]).first() if form.is_valid() else None
    target = (
        reverse("library:document", args=[document.pk])
        + f"?{urlencode({'version': provision.version_id, 'provision': provision.key})}#{provision.anchor}"
    )
    if theme is None:
        messages.error(request, _("Choose a theme from the list."))
        return redirect(target)
    present = form.cleaned_data["action"] == "add"
    actions.do_set_provision_theme(actor=request.user, provision=provision, theme=theme, present=present)
    messages.success(
        request,
        (
            _("Theme “%(theme)s” added to %(provision)s.")
            if present
            else _("Theme “%(theme)s” removed from %(provision)s.")
        )
        % {"theme": theme, "provision": provision},
    )
    return redirect(target)


@login_required
@require_POST
def document_language(request, pk: int):
    document = _get_visible_document(request, pk)
    try:
        n = actions.do_correct_language(
            actor=request.user, document=document, language=request.POST.get("language", "")[:2]
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request,
            _("Language set to %(language)s (%(n)d provisions corrected).")
            % {"language": document.get_language_display(), "n": n},
        )
    return redirect(document)
