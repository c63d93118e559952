"""The library in the JSON API: documents, versions, provisions, uploads (multipart), diffs and themes."""

import math
from collections.abc import Callable
from datetime import datetime
from functools import partial
from typing import Any, Literal
from uuid import UUID

from django.core.exceptions import RequestDataTooBig, TooManyFilesSent, ValidationError
from django.db.models import Exists, OuterRef, Prefetch, Q
from django.http import FileResponse, Http404
from django.http.multipartparser import MultiPartParserError
from django.utils.translation import gettext as _
from ninja import Field, File, Form, Query, Router, Schema
from ninja.errors import HttpError
from ninja.files import UploadedFile
from ninja.pagination import paginate
from ninja.responses import Status

from concord.accounts.models import Dialogue
from concord.api.auth import AUTH, AUTH_OR_ANONYMOUS, PUBLIC_READ, TokenAuth, VerifiedSessionAuth
from concord.api.common import InDialogue, arguments, changes, containing, filter_by, public_read
from concord.api.errors import ERRORS, Error
from concord.api.lookups import no_nul, party_in, theme_named
from concord.api.pagination import Page
from concord.api.types import Id
from concord.core import rules as core_rules
from concord.core.models import Visibility
from concord.core.shortcuts import first_or_404

from . import actions, rules
from .diff import add_segments, diff_provisions, summarize
from .models import (
    DocumentKind,
    DocumentStatus,
    DocumentVersion,
    IngestionStatus,
    PolicyDocument,
    Provision,
    ProvisionTheme,
    Theme,
)
from .pipeline import sides
from .views import ACCEPTED_TYPES

router = Router(tags=["library"])


def _check_multipart(request) -> None:
    """A broken multipart body is the caller's mistake: answer 400, not a server error."""
    try:
        request.POST  # noqa: B018 - parses the body
        request.FILES  # noqa: B018
    except (MultiPartParserError, TooManyFilesSent, RequestDataTooBig) as exc:
        raise HttpError(
            400, _("The upload is not a well-formed multipart/form-data body (%(why)s).") % {"why": exc}
        ) from None


class _ReadableUpload:
    """After authentication, a check that the multipart body can be read (before Ninja reads it)."""

    def __call__(self, request):
        user = super().__call__(request)  # type: ignore[misc]
        if user:
            _check_multipart(request)
        return user


class UploadTokenAuth(_ReadableUpload, TokenAuth):
    pass


class UploadSessionAuth(_ReadableUpload, VerifiedSessionAuth):
    pass


UPLOAD_AUTH = [UploadTokenAuth(), UploadSessionAuth()]
UPLOAD_ERRORS = {**ERRORS, 409: Error, 413: Error}
Language = Literal["en", "ms", "ur"]
URL_PATTERN = r"^(https?://[^\s/?#.]+\.[^\s]+)?$"
_NOT_FOUND = "No such document, or you do not have access to it."


# --- schemas --------------------------------------------------------------------------------------
class LibraryTheme(Schema):
    slug: str
    label_en: str
    label_ms: str
    label_ur: str
    parent: str | None

    @staticmethod
    def resolve_parent(obj):
        return obj.parent.slug if obj.parent_id else None


class LibraryVersion(Schema):
    id: int
    document: int = Field(..., alias="document_id")
    label: str
    original_filename: str
    media_type: str
    size: int
    sha256: str
    status: IngestionStatus
    error_code: str
    error: str
    language: str
    page_count: int
    amends: int | None = Field(None, alias="amends_id")
    supersedes: int | None = Field(None, alias="supersedes_id")
    changes: dict | None = Field(None, alias="diff_summary")
    job: UUID | None = Field(None, alias="job_id")
    created_at: datetime
    processed_at: datetime | None


class LibraryDocument(InDialogue):
    id: int
    dialogue: str
    title: str
    short_title: str
    kind: DocumentKind
    status: DocumentStatus
    party: str | None
    country: str
    issuer: str
    year: int | None
    source_url: str
    is_summary: bool
    language: str
    visibility: Visibility
    themes: list[str]
    current_version: LibraryVersion | None
    created_at: datetime
    updated_at: datetime


class LibraryDocumentFilters(Schema):
    dialogue: str | None = Field(None, max_length=50)
    party: str | None = Field(None, max_length=2)
    kind: DocumentKind | None = None
    theme: str | None = Field(None, max_length=80)
    status: DocumentStatus | None = None
    language: Language | None = None
    q: str | None = Field(None, max_length=200)


class LibraryDocumentPatch(Schema):
    title: str | None = Field(None, min_length=1, max_length=300)
    short_title: str | None = Field(None, max_length=120)
    kind: DocumentKind | None = None
    issuer: str | None = Field(None, max_length=200)
    status: DocumentStatus | None = None
    year: int | None = Field(None, ge=1900, le=2100)
    source_url: str | None = Field(None, max_length=500, pattern=URL_PATTERN)
    is_summary: bool | None = Field(None, strict=True)


class LibraryUploadMeta(Schema):
    title: str = Field(..., min_length=1, max_length=300)
    kind: DocumentKind
    dialogue: str = Field("", max_length=50, description="Slug; defaults to your first dialogue.")
    party: str = Field(
        "", max_length=2, pattern=r"^([A-Za-z]{2})?$", description="The owning party's ISO code."
    )
    country: str = Field(
        "", max_length=2, pattern=r"^([A-Za-z]{2})?$", description="For a non-party country."
    )
    visibility: Visibility = Visibility.DIALOGUE
    short_title: str = Field("", max_length=120)
    issuer: str = Field("", max_length=200)
    status: DocumentStatus = DocumentStatus.IN_FORCE
    year: int = Field(0, ge=0, le=2100, description="0 when unknown; otherwise from 1900.")
    source_url: str = Field("", max_length=500, pattern=URL_PATTERN)
    is_summary: bool = False
    language: Literal["", "en", "ms", "ur"] = Field("", description="Empty: detect it per provision.")
    amends: int = Field(0, ge=0, le=2**62, description="Id of the document this one amends; 0 for none.")


class LibraryVersionMeta(Schema):
    label: str = Field("", max_length=100)


class LibraryUpload(Schema):
    document: int
    version: LibraryVersion
    job: UUID | None
    status_url: str


class LibraryProvision(Schema):
    id: int
    key: str
    number: str
    heading: str
    text: str
    level: str
    parent: int | None = Field(None, alias="parent_id")
    order: int
    language: str
    page: int | None
    themes: list[dict]
    embedding_model: str

    @staticmethod
    def resolve_themes(obj):
        links = getattr(obj, "shown_themes", None)
        if links is None:
            links = obj.theme_links.shown().select_related("theme")
        return [{"theme": link.theme.slug, "score": link.score, "source": link.source} for link in links]


class LibraryProvisionFilters(Schema):
    q: str | None = Field(None, max_length=200)
    theme: str | None = Field(None, max_length=80)


class LibraryThemeCorrection(Schema):
    theme: str = Field(..., min_length=1, max_length=80)
    action: Literal["add", "remove"]


class LibraryDiffSide(Schema):
    key: str
    number: str
    heading: str
    text: str


class LibraryDiffRow(Schema):
    op: Literal["added", "removed", "changed", "unchanged"]
    old: LibraryDiffSide | None
    new: LibraryDiffSide | None
    old_segments: list[dict]
    new_segments: list[dict]


class LibraryDiff(Schema):
    version: int
    base: int | None
    mode: Literal["full", "amendment"]
    summary: dict[str, int]
    rows: list[LibraryDiffRow]
    count: int = Field(description="Rows in all pages (changes only, unless changes_only=false).")
    page: int
    page_size: int
    pages: int


# --- helpers --------------------------------------------------------------------------------------
def _documents():
    return (
        PolicyDocument.objects.select_related("dialogue", "party", "current_version")
        .defer("current_version__extracted_text")
        .prefetch_related("themes")
    )


def _visible_document(request, pk: int) -> PolicyDocument:
    return first_or_404(_documents(), _NOT_FOUND, visible=partial(rules.can_view, request.user), pk=pk)


def _visible_version(request, pk: int) -> DocumentVersion:
    version = DocumentVersion.objects.select_related("document", "document__party").filter(pk=pk).first()
    if version is None or not rules.can_view(request.user, version.document):
        raise Http404(_("No such document version, or you do not have access to it."))
    return version


def _upload_response(request, result) -> Status:
    if result.duplicate:
        return Status(
            409,
            {
                "error": {
                    "code": "duplicate",
                    "message": f"This file is already in the library as “{result.document}” "
                    f"(document {result.document.pk}, version {result.version.pk}). Nothing was added.",
                    "details": {"document": result.document.pk, "version": result.version.pk},
                }
            },
        )
    from django.urls import reverse

    return Status(
        202,
        {
            "document": result.document.pk,
            "version": result.version,
            "job": result.version.job_id,
            "status_url": reverse("api:library_get_version", args=[result.version.pk]),
        },
    )


def _refused(exc: ValidationError) -> Status | None:
    """A file refused at once: 413 over the size limit, else 422 with the engine's code (``E1xx``) and
    the same message the web form shows. Nothing was stored."""
    errors = exc.error_dict.get("file", []) if getattr(exc, "error_dict", None) else []
    for error in errors:
        code = error.code or ""
        if code in ("too_large", "E101"):
            return Status(
                413, {"error": {"code": "too_large", "message": "; ".join(exc.messages), "details": None}}
            )
        if code.startswith(("E1", "E2")):
            message = "; ".join(error.messages)
            return Status(422, {"error": {"code": code, "message": message, "details": {"field": "file"}}})
    return None


def _uploaded(request, ingest: Callable[..., Any], file: UploadedFile, **details: Any) -> Status:
    """Hand ``file`` to ``ingest`` (an upload action, called with ``details``) and answer as the API does
    for uploads: 202 with the version being read, 409 for a file already in the library, 413 or 422 for a
    file refused at once."""
    try:
        result = ingest(
            actor=request.user,
            upload=file,
            filename=file.name or "upload",
            declared_type=actions.declared_type_of(file.content_type),
            **details,
        )
    except ValidationError as exc:
        refused = _refused(exc)
        if refused is None:
            raise
        return refused
    return _upload_response(request, result)


# --- endpoints ------------------------------------------------------------------------------------
@public_read(router, "/library/themes", list[LibraryTheme])
def list_themes(request):
    return Theme.objects.select_related("parent").order_by("order", "slug")


@public_read(router, "/library/documents", list[LibraryDocument])
@paginate(Page)
def list_documents(request, filters: Query[LibraryDocumentFilters]):
    qs = filter_by(
        _documents().visible_to(request.user),
        filters,
        dialogue="dialogue__slug",
        kind="kind",
        status="status",
        language="language",
    )
    if filters.party:
        code = filters.party.upper()
        qs = qs.filter(Q(party__code=code) | Q(party__isnull=True, country=code))
    if filters.theme:
        tagged = ProvisionTheme.objects.shown().filter(
            provision__version=OuterRef("current_version"), theme__slug=filters.theme
        )
        qs = qs.filter(Q(themes__slug=filters.theme) | Q(Exists(tagged))).distinct()
    return containing(qs, filters.q, "title", "short_title").order_by("-year", "title", "pk")


@public_read(router, "/library/documents/{document_id}", LibraryDocument)
def get_document(request, document_id: Id):
    return _visible_document(request, document_id)


@router.post("/library/documents", response={202: LibraryUpload, **UPLOAD_ERRORS}, auth=UPLOAD_AUTH)
def upload_document(request, meta: Form[LibraryUploadMeta], file: File[UploadedFile]):
    if meta.dialogue:
        dialogue = Dialogue.objects.filter(slug=no_nul(meta.dialogue)).first()
    else:
        seat = next(
            (s for s in core_rules.seats(request.user) if s.role in core_rules.CONTRIBUTOR_ROLES), None
        )
        dialogue = Dialogue.objects.filter(pk=seat.dialogue_id).first() if seat else None
    if dialogue is None:
        raise Http404(_("No such dialogue, or you take part in none."))
    party = party_in(dialogue, meta.party)
    amends = None
    if meta.amends:
        amends = PolicyDocument.objects.filter(pk=meta.amends).first()
        if amends is None or not rules.can_view(request.user, amends):
            raise ValidationError({"amends": "The document this one amends was not found."})
    return _uploaded(
        request,
        actions.do_ingest_document,
        file,
        dialogue=dialogue,
        party=party,
        country=(meta.country or "").upper(),
        year=meta.year or None,
        language=meta.language or "",
        amends=amends,
        **arguments(
            meta,
            "title",
            "kind",
            "visibility",
            "short_title",
            "issuer",
            "status",
            "source_url",
            "is_summary",
        ),
    )


@router.patch("/library/documents/{document_id}", response={200: LibraryDocument, **ERRORS}, auth=AUTH)
def update_document(request, document_id: Id, payload: LibraryDocumentPatch):
    document = _visible_document(request, document_id)
    if request.body.lstrip()[:1] != b"{":
        raise ValidationError('Send the changes as a JSON object, such as {"status": "amended"}.')
    fields = changes(payload, keep_none=("year",))
    actions.do_update_document(actor=request.user, document=document, **fields)
    return _visible_document(request, document_id)


@router.delete("/library/documents/{document_id}", response={204: None, **ERRORS}, auth=AUTH)
def delete_document(request, document_id: Id):
    actions.do_delete_document(actor=request.user, document=_visible_document(request, document_id))
    return Status(204, None)


@public_read(router, "/library/documents/{document_id}/versions", list[LibraryVersion])
@paginate(Page)
def list_versions(request, document_id: Id):
    return _visible_document(request, document_id).versions.order_by("-created_at", "-pk")


@router.post(
    "/library/documents/{document_id}/versions",
    response={202: LibraryUpload, **UPLOAD_ERRORS},
    auth=UPLOAD_AUTH,
)
def upload_version(request, document_id: Id, meta: Form[LibraryVersionMeta], file: File[UploadedFile]):
    document = _visible_document(request, document_id)
    return _uploaded(request, actions.do_ingest_version, file, document=document, label=meta.label)


@router.get(
    "/library/versions/{version_id}",
    response={200: LibraryVersion, **ERRORS},
    auth=AUTH_OR_ANONYMOUS,
    url_name="library_get_version",
    openapi_extra=PUBLIC_READ,
)
def get_version(request, version_id: Id):
    return _visible_version(request, version_id)


@public_read(router, "/library/versions/{version_id}/provisions", list[LibraryProvision])
@paginate(Page)
def list_provisions(request, version_id: Id, filters: Query[LibraryProvisionFilters]):
    version = _visible_version(request, version_id)
    qs = (
        Provision.objects.filter(version=version)
        .prefetch_related(
            Prefetch(
                "theme_links",
                queryset=ProvisionTheme.objects.shown().select_related("theme"),
                to_attr="shown_themes",
            )
        )
        .defer("embedding")
    )
    if filters.theme:
        qs = qs.filter(theme_links__theme__slug=filters.theme, theme_links__rejected=False)
    return containing(qs, filters.q, "text", "heading").order_by("order")


@router.get(
    "/library/versions/{version_id}/original",
    response={401: Error, 404: Error, 422: Error},
    auth=AUTH,
    openapi_extra={
        "responses": {
            200: {
                "description": "The original file, as uploaded.",
                "content": {"application/octet-stream": {"schema": {"type": "string", "format": "binary"}}},
            }
        }
    },
)
def download_original(request, version_id: Id):
    version = _visible_version(request, version_id)
    if not rules.can_download(request.user, version.document):
        raise Http404(_("No such document version, or you do not have access to it."))
    if version.media_type not in ACCEPTED_TYPES:
        raise Http404(_("This file is not a document type Concord accepts, so it is not served."))
    try:
        handle = version.original.open("rb")
    except (FileNotFoundError, ValueError):
        raise Http404(_("The original file is missing from storage; tell an administrator.")) from None
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=version.original_filename,
        content_type="application/octet-stream",
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


@public_read(router, "/library/versions/{version_id}/diff", LibraryDiff)
def get_diff(
    request,
    version_id: Id,
    base: int | None = Query(None, ge=1, le=2**62),
    changes_only: bool = True,
    page: int = Query(1, ge=1, le=1_000_000, description="Page number, from 1."),
    page_size: int = Query(50, ge=1, le=200, description="Rows per page (at most 200)."),
):
    version = _visible_version(request, version_id)
    base_version = _visible_version(request, base) if base else version.diff_base
    if base_version is not None and not rules.can_view(request.user, base_version.document):
        base_version = None
    if base_version is None:
        return {
            "version": version.pk,
            "base": None,
            "mode": "full",
            "summary": summarize([]),
            "rows": [],
            "count": 0,
            "page": page,
            "page_size": page_size,
            "pages": 0,
        }
    mode = (
        "amendment"
        if base_version.document_id != version.document_id or version.amends_id == base_version.pk
        else "full"
    )
    rows = diff_provisions(sides(base_version), sides(version), mode=mode, segments=False)
    listed = [r for r in rows if r.op != "unchanged"] if changes_only else rows
    shown = add_segments(listed[(page - 1) * page_size : page * page_size])  # word diffs for this page only
    return {
        "version": version.pk,
        "base": base_version.pk,
        "mode": mode,
        "summary": summarize(rows),
        "count": len(listed),
        "page": page,
        "page_size": page_size,
        "pages": math.ceil(len(listed) / page_size),
        "rows": [
            {
                "op": r.op,
                "old": r.old
                and {"key": r.old.key, "number": r.old.number, "heading": r.old.heading, "text": r.old.text},
                "new": r.new
                and {"key": r.new.key, "number": r.new.number, "heading": r.new.heading, "text": r.new.text},
                "old_segments": [{"kind": s.kind, "text": s.text} for s in r.old_segments],
                "new_segments": [{"kind": s.kind, "text": s.text} for s in r.new_segments],
            }
            for r in shown
        ],
    }


@router.post(
    "/library/provisions/{provision_id}/themes", response={200: LibraryProvision, **ERRORS}, auth=AUTH
)
def correct_themes(request, provision_id: Id, payload: LibraryThemeCorrection):
    provision = (
        Provision.objects.select_related("version__document__party")
        .defer("version__extracted_text", "embedding")
        .filter(pk=provision_id)
        .first()
    )
    if provision is None or not rules.can_view(request.user, provision.version.document):
        raise Http404(_("No such provision, or you do not have access to it."))
    theme = theme_named(payload.theme)
    actions.do_set_provision_theme(
        actor=request.user, provision=provision, theme=theme, present=payload.action == "add"
    )
    return Provision.objects.get(pk=provision.pk)
