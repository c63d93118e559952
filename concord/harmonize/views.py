"""Pages of the harmonization workspace: comparisons, overview, side by side, review, sign-off, exports."""

from __future__ import annotations

import re
from functools import partial
from types import SimpleNamespace

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Case, Count, When
from django.db.models.functions import Substr
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import get_language_bidi, gettext_lazy, ngettext
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from concord.accounts.models import Dialogue
from concord.core import charts
from concord.core import rules as core_rules
from concord.core.models import Job
from concord.core.shortcuts import REFUSALS, attachment, first_or_404, form_page, object_action, saved
from concord.engine.coverage import ALL_THEMES
from concord.library.models import PolicyDocument, Provision, Theme
from concord.secretariat.agenda.links import agenda_panel

from . import actions, exports, rules, summary
from .closest import closest_for_mapping, closest_to
from .forms import AddMappingForm, ComparisonForm, ReviewForm, SignOffForm, themes_in_tree_order
from .highlight import compared_text, highlight
from .models import Comparison, Gap, Mapping, Relationship, Review, ReviewStatus, SignOff
from .notes import divergence_note, kind_label, subsection_label
from .queue import CONFIDENCE_BANDS, EXCERPT, QueueFilters, waiting_for

NOT_FOUND = "No such comparison, or you do not have access to it."
QUEUE_PAGE = 50


# --- access helpers -----------------------------------------------------------------------------------
def _get_comparison(request, pk: int) -> Comparison:
    return first_or_404(
        Comparison.objects.select_related(
            "dialogue", "party", "source_party", "target_party", "created_by", "job"
        ),
        _(NOT_FOUND),
        visible=partial(rules.can_view, request.user),
        pk=pk,
    )


def _get_mapping(request, comparison: Comparison, mid: int) -> Mapping:
    mapping = (
        summary.visible_mappings(comparison, request.user)
        .select_related(
            "source_provision", "target_provision", "source_document", "target_document", "decided_by"
        )
        .filter(pk=mid)
        .first()
    )
    if mapping is None:
        raise Http404(_("No such mapping, or you do not have access to it."))
    mapping.comparison = comparison
    return mapping


def _dialogue_for(request) -> Dialogue:
    seat = next((s for s in core_rules.seats(request.user) if s.role in core_rules.CONTRIBUTOR_ROLES), None)
    if seat is None:
        raise PermissionDenied(
            _("Only the secretariat, delegates and analysts of a dialogue can compare documents.")
        )
    return Dialogue.objects.prefetch_related("parties").get(pk=seat.dialogue_id)


def _next(request, default: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return default


def _posted_mapping(request, pk: int, mid: int) -> tuple[Mapping, str]:
    """The mapping a review or a sign-off names, and where the POST goes back to: ``next``, or its page."""
    comparison = _get_comparison(request, pk)
    mapping = _get_mapping(request, comparison, mid)
    return mapping, _next(request, reverse("harmonize:mapping", args=[comparison.pk, mapping.pk]))


def _relationship_columns() -> list[tuple[str, str]]:
    return [(r.value, r.label) for r in Relationship if r != Relationship.NONE]


# --- comparisons --------------------------------------------------------------------------------------
def comparison_list(request):
    qs = rules.visible_comparisons(
        request.user,
        Comparison.objects.select_related("source_party", "target_party", "party").annotate(
            n_mappings=Count("mappings")
        ),
    ).order_by("-created_at", "-id")
    page = Paginator(qs, 25).get_page(request.GET.get("page"))
    can_create = any(s.role in core_rules.CONTRIBUTOR_ROLES for s in core_rules.seats(request.user))
    return render(request, "harmonize/list.html", {"page": page, "can_create": can_create})


@login_required
def comparison_create(request):
    dialogue = _dialogue_for(request)
    documents = (
        PolicyDocument.objects.visible_to(request.user)
        .filter(dialogue=dialogue, party__isnull=False)
        .select_related("party")
        .order_by("party__code", "title")
    )
    form = ComparisonForm(
        request.POST or None,
        parties=dialogue.parties.all(),
        documents=documents,
        visibility_choices=core_rules.visibility_choices_for(request.user, dialogue.pk),
        initial={"visibility": "dialogue"},
    )

    def save(data):
        own = sorted(core_rules.party_ids(request.user, dialogue.pk))
        return actions.do_create_comparison(
            actor=request.user,
            dialogue=dialogue,
            party=dialogue.parties.filter(pk__in=own).first() if data["visibility"] == "party" else None,
            **data,
        )

    return form_page(
        request,
        form,
        "harmonize/create.html",
        {"dialogue": dialogue},
        save=save,
        done=saved(request, _("Comparison created. Run it to see the engine's suggestions.")),
        refusals=REFUSALS,
    )


def overview(request, pk: int):
    comparison = _get_comparison(request, pk)
    data = summary.build(comparison, request.user) if comparison.run_count else None
    rtl = get_language_bidi()
    context = {
        "comparison": comparison,
        "data": data,
        "all_themes": ALL_THEMES,
        "columns": _relationship_columns(),
        "can_run": rules.can_run(request.user, comparison),
        "can_review": rules.can_review(request.user, comparison),
        "can_sign": rules.can_sign_off(request.user, comparison),
        "can_export": rules.can_export(request.user, comparison),
        "can_delete": rules.can_delete(request.user, comparison),
        "source_documents": summary.visible_documents(comparison, request.user, "source"),
        "target_documents": summary.visible_documents(comparison, request.user, "target"),
        "job": comparison.job,
        "waiting": waiting_for(
            summary.visible_mappings(comparison, request.user),
            rules.signing_parties(request.user, comparison),
        ).count()
        if data is not None
        else 0,
    }
    if data is not None:
        src, tgt = comparison.source_party.code, comparison.target_party.code
        context["coverage_chart"] = charts.hbars(
            [
                charts.Row(r.label, (100 * r.source_coverage, 100 * r.target_coverage))
                for r in [data.total, *data.rows]
            ],
            [
                charts.Key(_("%(party)s covered") % {"party": src}, charts.PROGRESS),
                charts.Key(_("%(party)s covered") % {"party": tgt}, charts.SECOND),
            ],
            title=_("Coverage by theme"),
            axis_label=_("Share of provisions with a counterpart (%)"),
            rtl=rtl,
        )
        columns = _relationship_columns()
        context["heat_map"] = charts.heat_map(
            [
                (r.label, [r.counts.get(key, 0) for key, _label in columns])
                for r in (data.rows or [data.total])
            ],
            [label for _key, label in columns],
            title=_("Mappings by theme and relationship"),
            row_axis=_("Theme"),
            column_axis=_("Relationship"),
            rtl=rtl,
        )
    return render(request, "harmonize/overview.html", context)


def progress(request, pk: int):
    comparison = _get_comparison(request, pk)
    job = comparison.job or Job(status="queued")
    response = render(request, "harmonize/_progress.html", {"comparison": comparison, "job": job})
    if request.htmx and job.is_finished:
        response["HX-Refresh"] = "true"
    return response


@login_required
@require_POST
def run(request, pk: int):
    comparison = _get_comparison(request, pk)
    try:
        job = actions.do_run_comparison(actor=request.user, comparison=comparison)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        if job.is_finished:
            messages.success(
                request, _("The comparison has run: %(status)s.") % {"status": job.get_status_display()}
            )
        else:
            messages.success(request, _("The comparison is running. This page shows its progress."))
    return redirect(comparison)


delete = object_action(
    _get_comparison,
    actions.do_delete_comparison,
    "comparison",
    success=gettext_lazy("Comparison deleted."),
    back="harmonize:list",
    refusals=(),  # what the action refuses is the 403 page
)


# --- review -------------------------------------------------------------------------------------------
def _queue_choices(comparison: Comparison, user) -> dict:
    documents = [
        *summary.visible_documents(comparison, user, "source"),
        *summary.visible_documents(comparison, user, "target"),
    ]
    return {
        "statuses": ReviewStatus.choices,
        "relationships": [(value, str(label)) for value, label in Relationship.choices],
        "themes": [(t.slug, t.label()) for t in themes_in_tree_order(Theme.objects.order_by("order", "pk"))],
        "documents": list({d.pk: d for d in documents}.values()),
        "confidences": [(key, label) for key, (label, _low, _high) in CONFIDENCE_BANDS.items()],
    }


def review_queue(request, pk: int):
    comparison = _get_comparison(request, pk)
    filters = QueueFilters.from_query(request.GET)
    party_ids = rules.signing_parties(request.user, comparison)
    qs = filters.apply(summary.visible_mappings(comparison, request.user), party_ids=party_ids)
    qs = (
        qs.only(
            "id",
            "comparison_id",
            "source_label",
            "target_label",
            "relationship",
            "confidence",
            "certainty",
            "review_status",
            "agreement",
            "provenance",
            "diverging",
            "drift",
        )
        .annotate(
            source_excerpt=Substr("source_provision__text", 1, EXCERPT),
            target_excerpt=Substr("target_provision__text", 1, EXCERPT),
        )
        .order_by(Case(When(drift__isnull=False, then=0), default=1), "certainty", "id")
    )
    page = Paginator(qs, QUEUE_PAGE).get_page(request.GET.get("page"))
    rows = list(page.object_list)
    here = request.get_full_path().split("#", 1)[0]
    base = reverse("harmonize:mapping", args=[comparison.pk, 0]).rsplit("0/", 1)[0]
    for i, m in enumerate(rows):  # built once here, not by a reverse() per row in the template
        m.url = f"{base}{m.pk}/"
        # After a decision the page comes back at the next row (the decided one may leave the queue).
        m.after = f"{here}#m-{rows[i + 1].pk}" if i + 1 < len(rows) else f"{here}#m-{m.pk}"
    waiting = waiting_for(summary.visible_mappings(comparison, request.user), party_ids).count()
    return render(
        request,
        "harmonize/review.html",
        {
            "comparison": comparison,
            "page": page,
            "rows": rows,
            "filters": filters,
            "status": filters.status,
            "query": urlencode(filters.as_query()),
            **_queue_choices(comparison, request.user),
            "can_review": rules.can_review(request.user, comparison),
            "waiting": waiting,
            "here": here,
            "next_query": urlencode({"next": here}),
        },
    )


@login_required
@require_POST
def review_bulk(request, pk: int):
    """Accept or reject every mapping of the filtered queue (the filters come with the form)."""
    comparison = _get_comparison(request, pk)
    filters = QueueFilters.from_query(request.POST)
    party_ids = rules.signing_parties(request.user, comparison)
    decision = request.POST.get("decision", "")
    shown = filters.apply(summary.visible_mappings(comparison, request.user), party_ids=party_ids)
    if decision in actions.BULK_DECISIONS:  # those already decided so are not counted again
        shown = shown.exclude(review_status=actions.BULK_DECISIONS[decision])
    ids = list(shown.order_by("pk").values_list("pk", flat=True)[: actions.BULK_REVIEW_LIMIT + 1])
    more = len(ids) > actions.BULK_REVIEW_LIMIT
    try:
        n = actions.do_review_mappings(
            actor=request.user,
            comparison=comparison,
            mapping_ids=ids[: actions.BULK_REVIEW_LIMIT],
            decision=decision,
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        done = ngettext("%(n)d mapping decided.", "%(n)d mappings decided.", n) % {"n": n}
        if more:
            done += " " + _(
                "More mappings match these filters: press the same button again "
                "(at most %(limit)d are decided at a time)."
            ) % {"limit": actions.BULK_REVIEW_LIMIT}
        messages.success(request, done)
    return redirect(reverse("harmonize:review", args=[comparison.pk]) + "?" + urlencode(filters.as_query()))


def gap_detail(request, pk: int, gid: int):
    """One gap: the provision without a counterpart, its nearest miss, and where it was discussed."""
    comparison = _get_comparison(request, pk)
    gap = (
        Gap.objects.filter(comparison=comparison, pk=gid)
        .filter(rules.visible_gaps_q(request.user))
        .select_related("document", "nearest_document")
        .first()
    )
    if gap is None:
        raise Http404(_("No such gap, or you do not have access to it."))
    gap.comparison = comparison
    party = comparison.source_party if gap.side == "source" else comparison.target_party
    provision = (
        Provision.objects.filter(pk=gap.provision_id).defer("text").first() if gap.provision_id else None
    )
    other = "target" if gap.side == "source" else "source"
    return render(
        request,
        "harmonize/gap.html",
        {
            "comparison": comparison,
            "gap": gap,
            "party": party,
            "agenda": agenda_panel(request.user, gap),
            "closest": closest_to(comparison, request.user, provision, other) if provision else None,
            "can_review": rules.can_review(request.user, comparison),
        },
    )


def mapping_detail(request, pk: int, mid: int):
    comparison = _get_comparison(request, pk)
    mapping = _get_mapping(request, comparison, mid)
    sides = []
    for side in ("source", "target"):
        provision = getattr(mapping, f"{side}_provision")
        text = compared_text(provision.heading, provision.text) if provision else ""
        sides.append(
            {
                "name": side,
                "party": comparison.source_party if side == "source" else comparison.target_party,
                "label": getattr(mapping, f"{side}_label"),
                "provision": provision,
                "document": getattr(mapping, f"{side}_document"),
                "html": highlight(text, getattr(mapping, f"cited_{side}")),
                "language": provision.language if provision else "",
            }
        )
    signoffs = list(SignOff.objects.filter(mapping=mapping).select_related("party", "signed_by"))
    for s in signoffs:
        s.current = s.applies_to(mapping)
    reviews = Review.objects.filter(mapping=mapping).select_related("actor", "party")
    history = sorted(
        [SimpleNamespace(at=r.created_at, is_signoff=False, item=r) for r in reviews]
        + [SimpleNamespace(at=s.signed_at, is_signoff=True, item=s) for s in signoffs],
        key=lambda e: e.at,
    )
    divergences = [
        {
            **d,
            "note_shown": divergence_note(d),
            "kind_label": kind_label(d.get("kind", "")),
            "parts": [subsection_label(d.get(f"{side}_part")) for side in ("source", "target")],
        }
        for d in (mapping.parameters or {}).get("divergences", [])
        if isinstance(d, dict)
    ]
    return render(
        request,
        "harmonize/mapping.html",
        {
            "comparison": comparison,
            "mapping": mapping,
            "sides": sides,
            "signoffs": signoffs,
            "reviews": reviews,
            "history": history,
            "divergences": divergences,
            "not_counterparts": (mapping.parameters or {}).get("counterparts") is False,
            "relationships": Relationship.choices,
            "can_review": rules.can_review(request.user, comparison),
            "signing_parties": rules.signing_parties(request.user, comparison),
            "next": request.GET.get("next", ""),
            "agenda": agenda_panel(request.user, mapping),
            "closest": closest_for_mapping(comparison, request.user, mapping),
        },
    )


@login_required
@require_POST
def mapping_review(request, pk: int, mid: int):
    mapping, back = _posted_mapping(request, pk, mid)
    form = ReviewForm(request.POST)
    # The review queue's script posts with fetch and stays on the page: it gets JSON, not a redirect.
    fetched = request.headers.get("X-Requested-With") == "fetch"
    if not form.is_valid():
        if fetched:
            return JsonResponse({"error": _("Choose a decision.")}, status=400)
        messages.error(request, _("Choose a decision."))
        return redirect(back)
    data = form.cleaned_data
    try:
        if data["decision"] == "comment":
            actions.do_comment_mapping(actor=request.user, mapping=mapping, comment=data["comment"])
            done = _("Comment added.")
        else:
            mapping = actions.do_review_mapping(
                actor=request.user,
                mapping=mapping,
                decision=data["decision"],
                relationship=data["relationship"] or None,
                comment=data["comment"],
            )
            done = _("Decision saved: %(mapping)s.") % {"mapping": mapping.source_label}
    except ValidationError as exc:
        if fetched:
            return JsonResponse({"error": " ".join(exc.messages)}, status=400)
        messages.error(request, " ".join(exc.messages))
    else:
        if fetched:
            return JsonResponse(
                {
                    "message": done,
                    "review_status": mapping.review_status,
                    "review_label": str(mapping.get_review_status_display()),
                    "relationship": mapping.relationship,
                    "relationship_label": str(mapping.get_relationship_display()),
                }
            )
        messages.success(request, done)
    return redirect(back)


@login_required
@require_POST
def mapping_signoff(request, pk: int, mid: int):
    mapping, back = _posted_mapping(request, pk, mid)
    form = SignOffForm(request.POST)
    if form.is_valid():
        try:
            actions.do_sign_off(
                actor=request.user,
                mapping=mapping,
                decision=form.cleaned_data["decision"],
                reason=form.cleaned_data["reason"],
            )
            messages.success(request, _("Your party's position is recorded."))
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
    else:
        messages.error(request, _("Choose whether you sign off or object."))
    return redirect(back)


@login_required
@require_POST
def theme_signoff(request, pk: int):
    comparison = _get_comparison(request, pk)
    form = SignOffForm(request.POST)
    if form.is_valid():
        try:
            n = actions.do_sign_off_theme(
                actor=request.user,
                comparison=comparison,
                theme=form.cleaned_data["theme"] or None,
                decision=form.cleaned_data["decision"],
                reason=form.cleaned_data["reason"],
            )
            messages.success(request, _("Signed off %(n)d mappings.") % {"n": n})
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
    return redirect(_next(request, comparison.get_absolute_url()))


def _provision_choices(comparison: Comparison, user, side: str) -> list[tuple[int, str]]:
    documents = {d.current_version_id: d for d in summary.visible_documents(comparison, user, side)}
    rows = (
        Provision.objects.filter(version_id__in=[v for v in documents if v])
        .mappable()
        .order_by("version_id", "order")
        .values_list("id", "version_id", "number", "heading")
    )
    return [
        (
            pid,
            " ".join(x for x in (documents[v].short_title or documents[v].title, number, heading[:80]) if x),
        )
        for pid, v, number, heading in rows
    ]


@login_required
def mapping_add(request, pk: int):
    comparison = _get_comparison(request, pk)
    if not rules.can_review(request.user, comparison):
        raise PermissionDenied(_("You may not review this comparison."))
    form = AddMappingForm(
        request.POST or None,
        source_choices=_provision_choices(comparison, request.user, "source"),
        target_choices=_provision_choices(comparison, request.user, "target"),
        # a link from a mapping's closest provisions names the pair to map
        initial={
            f"{side}_provision": int(request.GET[side])
            for side in ("source", "target")
            if re.fullmatch(r"[0-9]{1,12}", request.GET.get(side, ""))
        },
    )

    def save(data):
        provisions = (
            Provision.objects.select_related("version__document")
            .defer("version__extracted_text", "embedding")
            .in_bulk([data["source_provision"], data["target_provision"]])
        )
        return actions.do_add_mapping(
            actor=request.user,
            comparison=comparison,
            source_provision=provisions[data["source_provision"]],
            target_provision=provisions[data["target_provision"]],
            relationship=data["relationship"],
            rationale=data["rationale"],
            comment=data["comment"],
        )

    return form_page(
        request,
        form,
        "harmonize/add_mapping.html",
        {"comparison": comparison},
        save=save,
        done=saved(request, _("Mapping added.")),
    )


# --- exports ------------------------------------------------------------------------------------------
@login_required
def export(request, pk: int, fmt: str):
    comparison = _get_comparison(request, pk)
    if not rules.can_export(request.user, comparison):
        raise PermissionDenied(_("You may not export this comparison."))
    if fmt not in exports.FORMATS:
        raise Http404(_("Unknown export format."))
    language = request.GET.get("lang") or None
    body, content_type, filename = exports.render(comparison, request.user, fmt, language=language)
    return attachment(body, content_type, filename)
