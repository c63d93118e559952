"""The harmonization workspace in the JSON API: comparisons, runs, mappings, reviews, sign-off and exports."""

from datetime import datetime
from functools import partial
from typing import Literal
from uuid import UUID

from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate
from ninja.responses import Status

from concord.accounts.models import Dialogue
from concord.api.auth import AUTH
from concord.api.common import InDialogue, arguments, filter_by, public_read
from concord.api.errors import ERRORS, Error
from concord.api.lookups import dialogue_or_404, party_in
from concord.api.pagination import Page
from concord.api.types import Id
from concord.core.models import Visibility
from concord.core.shortcuts import first_or_404
from concord.library import rules as library_rules
from concord.library.models import PolicyDocument, Provision, Theme

from . import actions, exports, rules, summary
from .closest import closest_for_mapping
from .models import (
    Agreement,
    Comparison,
    ComparisonStatus,
    Mapping,
    Provenance,
    Rationale,
    Relationship,
    ReviewStatus,
    SignOffDecision,
)

router = Router(tags=["harmonization"])
_NOT_FOUND = "No such comparison, or you do not have access to it."
Decision = Literal["accept", "retype", "reject", "reopen", "comment"]
Format = Literal["csv", "xlsx", "oscal", "pdf"]
Language = Literal["en", "ms", "ur"]


class ComparisonOut(InDialogue):
    id: int
    dialogue: str
    title: str
    visibility: Visibility
    party: str | None
    source_party: str
    target_party: str
    source_documents: list[int]
    target_documents: list[int]
    source_themes: list[str]
    target_themes: list[str]
    status: ComparisonStatus
    error: str
    job: UUID | None = Field(None, alias="job_id")
    model_id: str
    run_count: int
    ran_at: datetime | None
    created_at: datetime

    @staticmethod
    def resolve_source_party(obj):
        return obj.source_party.code

    @staticmethod
    def resolve_target_party(obj):
        return obj.target_party.code

    @staticmethod
    def resolve_source_documents(obj, context):
        return [
            d.pk for d in obj.source_documents.all() if library_rules.can_view(context["request"].user, d)
        ]

    @staticmethod
    def resolve_target_documents(obj, context):
        return [
            d.pk for d in obj.target_documents.all() if library_rules.can_view(context["request"].user, d)
        ]

    @staticmethod
    def resolve_source_themes(obj):
        return [t.slug for t in obj.source_themes.all()]

    @staticmethod
    def resolve_target_themes(obj):
        return [t.slug for t in obj.target_themes.all()]


class ComparisonIn(Schema):
    dialogue: str = Field(..., min_length=1, max_length=50)
    title: str = Field(..., min_length=1, max_length=200)
    source_party: str = Field(..., min_length=2, max_length=2, pattern=r"^[A-Za-z]{2}$")
    target_party: str = Field(..., min_length=2, max_length=2, pattern=r"^[A-Za-z]{2}$")
    source_documents: list[Id] = Field(..., min_length=1, max_length=50)
    target_documents: list[Id] = Field(..., min_length=1, max_length=50)
    source_themes: list[str] = Field(default_factory=list, max_length=50)
    target_themes: list[str] = Field(default_factory=list, max_length=50)
    visibility: Visibility = Visibility.DIALOGUE
    party: str | None = Field(None, min_length=2, max_length=2, pattern=r"^[A-Za-z]{2}$")
    top_k: int = Field(5, ge=1, le=20)
    threshold: float = Field(0.3, ge=0.0, le=1.0)


class SpanOut(Schema):
    start: int
    end: int
    text: str


class MappingOut(Schema):
    id: int
    source_key: str
    target_key: str
    source_provision: int | None = Field(None, alias="source_provision_id")
    target_provision: int | None = Field(None, alias="target_provision_id")
    source_document: int | None = Field(None, alias="source_document_id")
    target_document: int | None = Field(None, alias="target_document_id")
    source_label: str
    target_label: str
    relationship: Relationship
    rationale: Rationale
    confidence: float
    score: float
    engine_relationship: str
    engine_confidence: float | None
    cited_source: list[SpanOut]
    cited_target: list[SpanOut]
    parameters: dict
    diverging: bool
    provenance: Provenance
    review_status: ReviewStatus
    agreement: Agreement
    decided_at: datetime | None
    drift: dict | None
    in_last_run: bool


class CandidateOut(Schema):
    provision_id: int
    document_id: int
    label: str
    similarity: float = Field(
        description="The cosine of the two provisions' stored vectors or, when the list's ranking is "
        "engine, the engine's fused score (standardised per provision: it orders one list and is not "
        "comparable across lists)."
    )
    mapping_id: int | None = Field(
        None, description="The comparison's mapping of this pair, if there is one."
    )


class ClosestOut(Schema):
    side: str = Field(
        description="The side the candidates are on: target (closest to the mapping's source "
        "provision) or source (closest to its target provision)."
    )
    ready: bool = Field(
        description="False while the provision has no stored vector yet (its document is "
        "still being read); the list is then empty."
    )
    ranking: Literal["engine", "cosine"] = Field(
        description="engine: the candidates the comparison's last run ranked for the provision, in its "
        "order; cosine: the closest by stored vectors, where the last run did not rank it."
    )
    items: list[CandidateOut]


class MappingFilters(Schema):
    review_status: ReviewStatus | None = None
    agreement: Agreement | None = None
    relationship: Relationship | None = None
    theme: str | None = Field(None, max_length=80)


class MappingIn(Schema):
    source_provision: int = Field(..., ge=1, le=2**62)
    target_provision: int = Field(..., ge=1, le=2**62)
    relationship: Relationship
    rationale: Rationale = Rationale.SEMANTIC
    comment: str = Field("", max_length=4000)


class MappingReviewIn(Schema):
    decision: Decision
    relationship: Relationship | None = None
    comment: str = Field("", max_length=4000)


class SignOffIn(Schema):
    decision: SignOffDecision = SignOffDecision.APPROVE
    reason: str = Field("", max_length=4000)
    party: str | None = Field(None, min_length=2, max_length=2, pattern=r"^[A-Za-z]{2}$")


class ThemeSignOffIn(SignOffIn):
    theme: str | None = Field(None, max_length=80)


class SignOffOut(InDialogue):
    mapping: int = Field(..., alias="mapping_id")
    party: str
    decision: SignOffDecision
    agreement: Agreement

    @staticmethod
    def resolve_agreement(obj):
        return Mapping.objects.values_list("agreement", flat=True).get(pk=obj.mapping_id)


class CountOut(Schema):
    signed: int


class GapOut(Schema):
    side: str
    key: str
    provision: int | None = Field(None, alias="provision_id")
    label: str
    nearest_key: str
    nearest_label: str
    nearest_score: float | None


class ThemeOut(Schema):
    theme: str = Field(..., alias="slug")
    label: str
    index: float
    source_coverage: float
    target_coverage: float
    source_count: int
    target_count: int
    counts: dict[str, int]
    agreement: dict[str, int]
    mappings: int


class OverviewOut(Schema):
    total: ThemeOut
    themes: list[ThemeOut]
    review_counts: dict[str, int]
    drifted: int


# --- helpers ------------------------------------------------------------------------------------------
def _comparison(request, comparison_id: Id) -> Comparison:
    return first_or_404(
        Comparison.objects.select_related(
            "dialogue", "party", "source_party", "target_party"
        ).prefetch_related("source_documents", "target_documents", "source_themes", "target_themes"),
        _NOT_FOUND,
        visible=partial(rules.can_view, request.user),
        pk=comparison_id,
    )


def _mapping(request, comparison: Comparison, mapping_id: Id) -> Mapping:
    found = summary.visible_mappings(comparison, request.user).filter(pk=mapping_id).first()
    if found is None:
        raise Http404(_("No such mapping, or you do not have access to it."))
    found.comparison = comparison
    return found


def _documents(request, dialogue: Dialogue, ids: list[int], field: str) -> list[PolicyDocument]:
    found = list(PolicyDocument.objects.visible_to(request.user).filter(dialogue=dialogue, pk__in=ids))
    if len(found) != len(set(ids)):
        raise ValidationError({field: "A chosen document was not found."})
    return found


def _themes(slugs: list[str], field: str) -> list[Theme]:
    found = list(Theme.objects.filter(slug__in=slugs))
    if len(found) != len(set(slugs)):
        raise ValidationError({field: "Unknown theme."})
    return found


# --- comparisons --------------------------------------------------------------------------------------
@public_read(router, "/comparisons", list[ComparisonOut])
@paginate(Page)
def list_comparisons(request):
    return rules.visible_comparisons(
        request.user,
        Comparison.objects.select_related(
            "dialogue", "party", "source_party", "target_party"
        ).prefetch_related("source_documents", "target_documents", "source_themes", "target_themes"),
    )


@router.post("/comparisons", response={201: ComparisonOut, **ERRORS}, auth=AUTH)
def create_comparison(request, payload: ComparisonIn):
    dialogue = dialogue_or_404(payload.dialogue)
    source_party = party_in(dialogue, payload.source_party, "source_party")
    target_party = party_in(dialogue, payload.target_party, "target_party")
    comparison = actions.do_create_comparison(
        actor=request.user,
        dialogue=dialogue,
        title=payload.title,
        source_party=source_party,
        target_party=target_party,
        source_documents=_documents(request, dialogue, payload.source_documents, "source_documents"),
        target_documents=_documents(request, dialogue, payload.target_documents, "target_documents"),
        source_themes=_themes(payload.source_themes, "source_themes"),
        target_themes=_themes(payload.target_themes, "target_themes"),
        visibility=payload.visibility,
        party=party_in(dialogue, payload.party),
        options={"top_k": payload.top_k, "threshold": payload.threshold},
    )
    return Status(201, _comparison(request, comparison.pk))


@public_read(router, "/comparisons/{comparison_id}", ComparisonOut)
def get_comparison(request, comparison_id: Id):
    return _comparison(request, comparison_id)


@router.delete("/comparisons/{comparison_id}", response={204: None, **ERRORS}, auth=AUTH)
def delete_comparison(request, comparison_id: Id):
    actions.do_delete_comparison(actor=request.user, comparison=_comparison(request, comparison_id))
    return Status(204, None)


@router.post("/comparisons/{comparison_id}/run", response={202: ComparisonOut, **ERRORS}, auth=AUTH)
def run_comparison(request, comparison_id: Id):
    comparison = _comparison(request, comparison_id)
    actions.do_run_comparison(actor=request.user, comparison=comparison)
    return Status(202, _comparison(request, comparison_id))


@public_read(router, "/comparisons/{comparison_id}/overview", OverviewOut)
def get_overview(request, comparison_id: Id):
    data = summary.build(_comparison(request, comparison_id), request.user)
    return {
        "total": data.total,
        "themes": data.rows,
        "review_counts": data.review_counts,
        "drifted": data.drifted,
    }


@public_read(router, "/comparisons/{comparison_id}/gaps", list[GapOut])
@paginate(Page)
def list_gaps(request, comparison_id: Id):
    data = summary.build(_comparison(request, comparison_id), request.user, gap_limit=100_000)
    return [*data.source_gaps, *data.target_gaps]


# --- mappings -----------------------------------------------------------------------------------------
@public_read(router, "/comparisons/{comparison_id}/mappings", list[MappingOut])
@paginate(Page)
def list_mappings(request, comparison_id: Id, filters: Query[MappingFilters]):
    comparison = _comparison(request, comparison_id)
    qs = summary.visible_mappings(comparison, request.user).order_by("certainty", "id")
    qs = filter_by(
        qs, filters, review_status="review_status", agreement="agreement", relationship="relationship"
    )
    if filters.theme:
        qs = qs.filter(pk__in=summary.mapping_ids_for_theme(comparison, request.user, filters.theme))
    return qs


@public_read(router, "/comparisons/{comparison_id}/mappings/{mapping_id}", MappingOut)
def get_mapping(request, comparison_id: Id, mapping_id: Id):
    return _mapping(request, _comparison(request, comparison_id), mapping_id)


@public_read(router, "/comparisons/{comparison_id}/mappings/{mapping_id}/closest", list[ClosestOut])
def closest_to_mapping(request, comparison_id: Id, mapping_id: Id):
    """The next candidates for a mapping: the provisions on the other side closest to its source provision,
    and those closest to its target provision, by their stored vectors (the mapping's own pair left out)."""
    comparison = _comparison(request, comparison_id)
    return closest_for_mapping(comparison, request.user, _mapping(request, comparison, mapping_id))


@router.post("/comparisons/{comparison_id}/mappings", response={201: MappingOut, **ERRORS}, auth=AUTH)
def add_mapping(request, comparison_id: Id, payload: MappingIn):
    comparison = _comparison(request, comparison_id)
    found = (
        Provision.objects.select_related("version__document")
        .defer("version__extracted_text", "embedding")
        .in_bulk([payload.source_provision, payload.target_provision])
    )
    source, target = found.get(payload.source_provision), found.get(payload.target_provision)
    for name, p in (("source_provision", source), ("target_provision", target)):
        if p is None or not library_rules.can_view(request.user, p.version.document):
            raise ValidationError({name: "No such provision, or you do not have access to it."})
    mapping = actions.do_add_mapping(
        actor=request.user,
        comparison=comparison,
        source_provision=source,
        target_provision=target,
        **arguments(payload, "relationship", "rationale", "comment"),
    )
    return Status(201, mapping)


@router.post(
    "/comparisons/{comparison_id}/mappings/{mapping_id}/review",
    response={200: MappingOut, **ERRORS},
    auth=AUTH,
)
def review_mapping(request, comparison_id: Id, mapping_id: Id, payload: MappingReviewIn):
    mapping = _mapping(request, _comparison(request, comparison_id), mapping_id)
    if payload.decision == "comment":
        actions.do_comment_mapping(actor=request.user, mapping=mapping, comment=payload.comment)
        return _mapping(request, mapping.comparison, mapping_id)
    return actions.do_review_mapping(
        actor=request.user,
        mapping=mapping,
        **arguments(payload, "decision", "relationship", "comment"),
    )


@router.post(
    "/comparisons/{comparison_id}/mappings/{mapping_id}/signoff",
    response={200: SignOffOut, **ERRORS},
    auth=AUTH,
)
def sign_off_mapping(request, comparison_id: Id, mapping_id: Id, payload: SignOffIn):
    comparison = _comparison(request, comparison_id)
    mapping = _mapping(request, comparison, mapping_id)
    return actions.do_sign_off(
        actor=request.user,
        mapping=mapping,
        party=party_in(comparison.dialogue, payload.party),
        **arguments(payload, "decision", "reason"),
    )


@router.post("/comparisons/{comparison_id}/signoff", response={200: CountOut, **ERRORS}, auth=AUTH)
def sign_off_theme(request, comparison_id: Id, payload: ThemeSignOffIn):
    comparison = _comparison(request, comparison_id)
    n = actions.do_sign_off_theme(
        actor=request.user,
        comparison=comparison,
        party=party_in(comparison.dialogue, payload.party),
        **arguments(payload, "theme", "decision", "reason"),
    )
    return {"signed": n}


# --- exports ------------------------------------------------------------------------------------------
@router.get(
    "/comparisons/{comparison_id}/export",
    response={401: Error, 403: Error, 404: Error, 422: Error},
    auth=AUTH,
    openapi_extra={
        "responses": {
            200: {
                "description": "The export: CSV, XLSX, OSCAL 1.2 mapping-collection JSON, or the PDF brief.",
                "content": {
                    "text/csv": {"schema": {"type": "string"}},
                    "application/json": {"schema": {"type": "object"}},
                    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": {
                        "schema": {"type": "string", "format": "binary"}
                    },
                    "application/pdf": {"schema": {"type": "string", "format": "binary"}},
                },
            }
        }
    },
)
def export_comparison(request, comparison_id: Id, format: Format = "csv", language: Language | None = None):  # noqa: A002
    comparison = _comparison(request, comparison_id)
    if not rules.can_export(request.user, comparison):
        raise Http404(_NOT_FOUND)
    body, content_type, filename = exports.render(comparison, request.user, format, language=language)
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
