"""The programme registry's API: programmes, their indicators and dated values, and lessons and
evaluations. Reads follow the visibility rules (404 for what the caller may not see); writes go through the
actions. Lesson files are uploaded on the web page; the API lists them."""

import datetime as dt
from decimal import Decimal

from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate
from ninja.responses import Status

from concord.accounts.models import Organization
from concord.api.auth import AUTH
from concord.api.common import Code, InDialogue, changes, containing, filter_by, public_read
from concord.api.errors import ERRORS
from concord.api.lookups import dialogue_or_404, party_or_404
from concord.api.pagination import Page
from concord.api.types import Id
from concord.core.models import Visibility
from concord.core.shortcuts import first_or_404
from concord.library.models import PolicyDocument

from . import actions
from .models import Indicator, IndicatorValue, Instrument, Lesson, LessonKind, Programme, ProgrammeStatus

router = Router(tags=["programmes"])

PartyCode = Field(
    ..., min_length=2, max_length=2, pattern=r"^[A-Za-z]{2}$", description="ISO code of the party."
)


class ProgrammeOut(InDialogue):
    id: int
    dialogue: str
    party: str
    visibility: Visibility
    title: str
    summary: str
    objectives: str
    instruments: list[Instrument]
    target_groups: list[str]
    lead_agency: int | None
    partners: list[int]
    budget_amount: Decimal | None
    budget_currency: str
    start_date: dt.date | None
    end_date: dt.date | None
    status: ProgrammeStatus
    themes: list[str]
    documents: list[int]
    source_url: str
    summary_by: str

    @staticmethod
    def resolve_lead_agency(obj):
        return obj.lead_agency_id

    @staticmethod
    def resolve_partners(obj):
        return [o.pk for o in obj.partners.all()]

    @staticmethod
    def resolve_documents(obj):
        return sorted(d.pk for d in obj.visible_documents)


class ProgrammeFields(Schema):
    objectives: str | None = Field(None, max_length=10000)
    instruments: list[Instrument] | None = Field(None, max_length=10)
    target_groups: list[str] | None = Field(None, max_length=20)
    lead_agency: int | None = Field(None, ge=1, le=2**53 - 1, description="An organisation's id.")
    partners: list[Id] | None = Field(None, max_length=50, description="Organisation ids.")
    budget_amount: Decimal | None = Field(None, ge=0, max_digits=18, decimal_places=2)
    budget_currency: str | None = Field(None, max_length=3, description="ISO 4217 code, such as MYR.")
    start_date: dt.date | None = None
    end_date: dt.date | None = None
    status: ProgrammeStatus | None = None
    themes: list[str] | None = Field(None, max_length=15, description="Theme identifiers.")
    documents: list[Id] | None = Field(None, max_length=50, description="Library document ids.")
    source_url: str | None = Field(None, max_length=500)
    summary_by: str | None = Field(None, max_length=200)


class ProgrammeIn(ProgrammeFields):
    dialogue: str = Field(..., min_length=1, max_length=50, description="The dialogue's short name.")
    party: str = PartyCode
    title: str = Field(..., min_length=1, max_length=300)
    summary: str = Field(..., min_length=1, max_length=4000)
    visibility: Visibility = Visibility.DIALOGUE


class ProgrammePatch(ProgrammeFields):
    title: str | None = Field(None, min_length=1, max_length=300)
    summary: str | None = Field(None, min_length=1, max_length=4000)
    visibility: Visibility | None = None


class ProgrammeFilters(Schema):
    party: str | None = Field(None, max_length=2)
    theme: str | None = Field(None, max_length=80)
    instrument: Instrument | None = None
    status: ProgrammeStatus | None = None
    q: str | None = Field(None, max_length=200)


class ProgrammeIndicatorOut(Schema):
    id: int
    programme: int
    name: str
    unit: str
    baseline_value: Decimal | None
    baseline_date: dt.date | None
    target_value: Decimal | None
    target_date: dt.date | None

    @staticmethod
    def resolve_programme(obj):
        return obj.programme_id


class ProgrammeIndicatorIn(Schema):
    name: str = Field(..., min_length=1, max_length=200)
    unit: str = Field(..., min_length=1, max_length=60)
    baseline_value: Decimal | None = Field(None, max_digits=20, decimal_places=4)
    baseline_date: dt.date | None = None
    target_value: Decimal | None = Field(None, max_digits=20, decimal_places=4)
    target_date: dt.date | None = None


class ProgrammeIndicatorPatch(Schema):
    name: str | None = Field(None, min_length=1, max_length=200)
    unit: str | None = Field(None, min_length=1, max_length=60)
    baseline_value: Decimal | None = Field(None, max_digits=20, decimal_places=4)
    baseline_date: dt.date | None = None
    target_value: Decimal | None = Field(None, max_digits=20, decimal_places=4)
    target_date: dt.date | None = None


class IndicatorValueOut(Schema):
    id: int
    indicator: int
    date: dt.date
    value: Decimal
    source: str
    source_url: str

    @staticmethod
    def resolve_indicator(obj):
        return obj.indicator_id


class IndicatorValueIn(Schema):
    date: dt.date
    value: Decimal = Field(..., max_digits=20, decimal_places=4)
    source: str = Field("", max_length=500)
    source_url: str = Field("", max_length=500)


class IndicatorValuePatch(Schema):
    date: dt.date | None = None
    value: Decimal | None = Field(None, max_digits=20, decimal_places=4)
    source: str | None = Field(None, max_length=500)
    source_url: str | None = Field(None, max_length=500)


class LessonFileOut(Schema):
    id: int
    name: str
    media_type: str
    size: int
    url: str

    @staticmethod
    def resolve_url(obj):
        return obj.get_absolute_url()


class ProgrammeLessonOut(Schema):
    id: int
    programme: int
    kind: LessonKind
    title: str
    what_worked: str
    what_did_not: str
    do_differently: str
    date: dt.date
    files: list[LessonFileOut]

    @staticmethod
    def resolve_programme(obj):
        return obj.programme_id

    @staticmethod
    def resolve_files(obj):
        return list(obj.files.all())


class ProgrammeLessonIn(Schema):
    kind: LessonKind = LessonKind.LESSON
    title: str = Field(..., min_length=1, max_length=300)
    date: dt.date
    what_worked: str = Field("", max_length=10000)
    what_did_not: str = Field("", max_length=10000)
    do_differently: str = Field("", max_length=10000)


class ProgrammeLessonPatch(Schema):
    kind: LessonKind | None = None
    title: str | None = Field(None, min_length=1, max_length=300)
    date: dt.date | None = None
    what_worked: str | None = Field(None, max_length=10000)
    what_did_not: str | None = Field(None, max_length=10000)
    do_differently: str | None = Field(None, max_length=10000)


# --- lookups ---------------------------------------------------------------------------------------------
def _programmes(request):
    """Programmes the caller may see, with what ``ProgrammeOut`` shows: the linked documents only where the
    caller may see them too."""
    from django.db.models import Prefetch

    from concord.library.rules import visible_q

    documents = PolicyDocument.objects.filter(visible_q(request.user)).only("id")
    return (
        Programme.objects.visible_to(request.user)
        .select_related("dialogue", "party")
        .prefetch_related("partners", "themes", Prefetch("documents", documents, to_attr="visible_documents"))
    )


def _programme(request, programme_id: int) -> Programme:
    return first_or_404(
        _programmes(request), _("No such programme, or you do not have access to it."), pk=programme_id
    )


def _indicator(request, indicator_id: int) -> Indicator:
    return first_or_404(
        Indicator.objects.visible_to(request.user).select_related("programme"),
        _("No such indicator, or you do not have access to it."),
        pk=indicator_id,
    )


def _value(request, value_id: int) -> IndicatorValue:
    return first_or_404(
        IndicatorValue.objects.visible_to(request.user).select_related("indicator__programme"),
        _("No such value, or you do not have access to it."),
        pk=value_id,
    )


def _lesson(request, lesson_id: int) -> Lesson:
    return first_or_404(
        Lesson.objects.visible_to(request.user).select_related("programme"),
        _("No such lesson, or you do not have access to it."),
        pk=lesson_id,
    )


def _fields(payload: Schema) -> dict:
    """The payload's fields that were sent, with ids turned into the objects the actions take."""
    data = payload.dict(exclude_unset=True)
    if "lead_agency" in data:
        lead = data["lead_agency"]
        data["lead_agency"] = Organization.objects.filter(pk=lead).first() if lead else None
        if lead and data["lead_agency"] is None:
            raise Http404(_("No organisation with id %(id)s.") % {"id": lead})
    if "partners" in data:
        ids = data["partners"] or []
        found = list(Organization.objects.filter(pk__in=ids))
        if len(found) != len(set(ids)):
            raise Http404(_("No organisation with one of the ids %(ids)s.") % {"ids": ids})
        data["partners"] = found
    if "documents" in data:
        ids = data["documents"] or []
        found_docs = list(PolicyDocument.objects.filter(pk__in=ids))
        if len(found_docs) != len(set(ids)):
            raise Http404(_("No document with one of the ids %(ids)s.") % {"ids": ids})
        data["documents"] = found_docs
    for name in ("objectives", "target_groups", "themes", "source_url", "summary_by", "budget_currency"):
        if name in data and data[name] is None:
            data[name] = [] if name in ("target_groups", "themes") else ""
    if "instruments" in data:
        data["instruments"] = [str(i) for i in data["instruments"] or []]
    return data


# --- programmes ------------------------------------------------------------------------------------------
@public_read(router, "/programmes", list[ProgrammeOut])
@paginate(Page)
def list_programmes(request, filters: Query[ProgrammeFilters]):
    qs = filter_by(_programmes(request), filters, party=Code("party__code"), theme="themes__slug")
    if filters.instrument:
        qs = qs.filter(instruments__icontains=f'"{filters.instrument}"')
    qs = containing(filter_by(qs, filters, status="status"), filters.q, "title", "summary")
    return qs.distinct()


@public_read(router, "/programmes/{programme_id}", ProgrammeOut)
def get_programme(request, programme_id: Id):
    return _programme(request, programme_id)


@router.post("/programmes", response={201: ProgrammeOut, **ERRORS}, auth=AUTH)
def create_programme(request, payload: ProgrammeIn):
    data = _fields(payload)
    dialogue = dialogue_or_404(data.pop("dialogue"))
    party = party_or_404(data.pop("party"))
    programme = actions.do_create_programme(actor=request.user, dialogue=dialogue, party=party, **data)
    return Status(201, _programme(request, programme.pk))


@router.patch("/programmes/{programme_id}", response={200: ProgrammeOut, **ERRORS}, auth=AUTH)
def update_programme(request, programme_id: Id, payload: ProgrammePatch):
    programme = _programme(request, programme_id)
    data = {
        k: v for k, v in _fields(payload).items() if v is not None or k in ("lead_agency", "budget_amount")
    }
    actions.do_update_programme(actor=request.user, programme=programme, **data)
    return _programme(request, programme_id)


@router.delete("/programmes/{programme_id}", response={204: None, **ERRORS}, auth=AUTH)
def delete_programme(request, programme_id: Id):
    actions.do_delete_programme(actor=request.user, programme=_programme(request, programme_id))
    return Status(204, None)


# --- indicators and values -------------------------------------------------------------------------------
@public_read(router, "/programmes/{programme_id}/indicators", list[ProgrammeIndicatorOut])
def list_indicators(request, programme_id: Id):
    return list(_programme(request, programme_id).indicators.all())


@router.post(
    "/programmes/{programme_id}/indicators", response={201: ProgrammeIndicatorOut, **ERRORS}, auth=AUTH
)
def create_indicator(request, programme_id: Id, payload: ProgrammeIndicatorIn):
    programme = _programme(request, programme_id)
    return Status(201, actions.do_add_indicator(actor=request.user, programme=programme, **payload.dict()))


@public_read(router, "/programmes/indicators/{indicator_id}", ProgrammeIndicatorOut)
def get_indicator(request, indicator_id: Id):
    return _indicator(request, indicator_id)


@router.patch(
    "/programmes/indicators/{indicator_id}", response={200: ProgrammeIndicatorOut, **ERRORS}, auth=AUTH
)
def update_indicator(request, indicator_id: Id, payload: ProgrammeIndicatorPatch):
    indicator = _indicator(request, indicator_id)
    data = payload.dict(exclude_unset=True)
    return actions.do_update_indicator(actor=request.user, indicator=indicator, **data)


@router.delete("/programmes/indicators/{indicator_id}", response={204: None, **ERRORS}, auth=AUTH)
def delete_indicator(request, indicator_id: Id):
    actions.do_delete_indicator(actor=request.user, indicator=_indicator(request, indicator_id))
    return Status(204, None)


@public_read(router, "/programmes/indicators/{indicator_id}/values", list[IndicatorValueOut])
def list_values(request, indicator_id: Id):
    return list(_indicator(request, indicator_id).values.all())


@router.post(
    "/programmes/indicators/{indicator_id}/values", response={201: IndicatorValueOut, **ERRORS}, auth=AUTH
)
def create_value(request, indicator_id: Id, payload: IndicatorValueIn):
    indicator = _indicator(request, indicator_id)
    return Status(201, actions.do_record_value(actor=request.user, indicator=indicator, **payload.dict()))


@public_read(router, "/programmes/values/{value_id}", IndicatorValueOut)
def get_value(request, value_id: Id):
    return _value(request, value_id)


@router.patch("/programmes/values/{value_id}", response={200: IndicatorValueOut, **ERRORS}, auth=AUTH)
def update_value(request, value_id: Id, payload: IndicatorValuePatch):
    data = changes(payload)
    return actions.do_update_value(actor=request.user, entry=_value(request, value_id), **data)


@router.delete("/programmes/values/{value_id}", response={204: None, **ERRORS}, auth=AUTH)
def delete_value(request, value_id: Id):
    actions.do_delete_value(actor=request.user, entry=_value(request, value_id))
    return Status(204, None)


# --- lessons ---------------------------------------------------------------------------------------------
@public_read(router, "/programmes/{programme_id}/lessons", list[ProgrammeLessonOut])
def list_lessons(request, programme_id: Id):
    return list(_programme(request, programme_id).lessons.prefetch_related("files"))


@router.post("/programmes/{programme_id}/lessons", response={201: ProgrammeLessonOut, **ERRORS}, auth=AUTH)
def create_lesson(request, programme_id: Id, payload: ProgrammeLessonIn):
    programme = _programme(request, programme_id)
    return Status(201, actions.do_add_lesson(actor=request.user, programme=programme, **payload.dict()))


@public_read(router, "/programmes/lessons/{lesson_id}", ProgrammeLessonOut)
def get_lesson(request, lesson_id: Id):
    return _lesson(request, lesson_id)


@router.patch("/programmes/lessons/{lesson_id}", response={200: ProgrammeLessonOut, **ERRORS}, auth=AUTH)
def update_lesson(request, lesson_id: Id, payload: ProgrammeLessonPatch):
    data = changes(payload)
    return actions.do_update_lesson(actor=request.user, lesson=_lesson(request, lesson_id), **data)


@router.delete("/programmes/lessons/{lesson_id}", response={204: None, **ERRORS}, auth=AUTH)
def delete_lesson(request, lesson_id: Id):
    actions.do_delete_lesson(actor=request.user, lesson=_lesson(request, lesson_id))
    return Status(204, None)


# The experience exchange and joint projects live in their own module, under this router.
from .joint.api import router as joint_router  # noqa: E402

router.add_router("", joint_router)

# Peer-learning requests too.
from .peer.api import router as peer_router  # noqa: E402

router.add_router("", peer_router)
