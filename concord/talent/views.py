"""Pages of talent mobility: profiles, opportunities, applications, allocation rounds, skills, gaps."""

from __future__ import annotations

import json
from functools import partial

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.forms.models import model_to_dict
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from concord.core import charts
from concord.core import rules as core
from concord.core.lookups import default_dialogue, default_dialogue_or_404
from concord.core.shortcuts import act, add_errors, attachment, first_or_404, object_action
from concord.engine.errors import EngineError

from . import actions, analytics, matching, privacy, rules
from .forms import AddSkillForm, FrameworkForm, OpportunityForm, ProfileForm, ReviewSkillForm, RoundForm
from .models import (
    RETENTION_NOTE,
    AllocationRound,
    Application,
    Crosswalk,
    Opportunity,
    OpportunityStatus,
    Placement,
    Profile,
    ProfileSkill,
    ReserveGroup,
    Skill,
    SkillType,
    SuggestionStatus,
)


# --- access helpers: 404 for anything the caller may not view -----------------------------------------------
def _visible_opportunities(user):
    published = Opportunity.objects.filter(core.visible_q(user)).exclude(status=OpportunityStatus.DRAFT)
    return published


def _get_opportunity(request, pk: int) -> Opportunity:
    return first_or_404(
        Opportunity.objects.with_related(),
        _("No such opportunity, or you do not have access to it."),
        visible=partial(rules.can_view_opportunity, request.user),
        pk=pk,
    )


def _get_round(request, pk: int) -> AllocationRound:
    return first_or_404(
        AllocationRound.objects.select_related("job", "dialogue"),
        _("No such allocation round, or you do not have access to it."),
        visible=partial(rules.can_view_round, request.user),
        pk=pk,
    )


def _own_profile(request) -> Profile | None:
    return Profile.objects.filter(user=request.user).first() if request.user.is_authenticated else None


# --- home and opportunities ---------------------------------------------------------------------------------
def home(request):
    qs = (
        _visible_opportunities(request.user).select_related("provider").prefetch_related("skill_links__skill")
    )
    kind = request.GET.get("kind", "")
    if kind:
        qs = qs.filter(kind=kind)
    page = Paginator(qs, 20).get_page(request.GET.get("page"))
    managed = []
    if request.user.is_authenticated:
        drafts = Opportunity.objects.filter(status=OpportunityStatus.DRAFT, created_by=request.user)
        managed = list(drafts.select_related("provider")[:10])
    return render(
        request,
        "talent/home.html",
        {"page": page, "kind": kind, "drafts": managed, "profile": _own_profile(request)},
    )


def opportunity(request, pk: int):
    opp = _get_opportunity(request, pk)
    profile = _own_profile(request)
    context = {"opp": opp, "profile": profile, "can_manage": rules.can_manage_opportunity(request.user, opp)}
    if profile is not None and profile.consent_matching:
        match = matching.explain(profile, opp)
        context["match"] = match
        context["labels"] = matching.labels_for(
            [
                *match.matched,
                *match.missing,
                *match.under_level,
                *(a.needed for a in match.adjacent),
                *(a.via for a in match.adjacent),
            ]
        )
        context["applied"] = opp.applications.filter(profile=profile).first()
        context["can_apply"] = rules.can_apply(request.user, opp, profile)
    if context["can_manage"]:
        ranked = matching.ranked_applicants(opp)
        context["ranked"] = ranked
        context["shared"] = {r.obj.profile_id for r in ranked if r.obj.profile.consent_sharing}
    return render(request, "talent/opportunity.html", context)


def _opportunity_data(d: dict, reserves: dict[str, int]) -> dict:
    """The action's fields from the opportunity form's cleaned data."""
    reserves = {
        **reserves,
        **{k: v for k, v in (("MY", d.get("reserve_my")), ("PK", d.get("reserve_pk"))) if v},
        **{g: d[f"reserve_{g}"] for g in ReserveGroup.values if d.get(f"reserve_{g}")},
    }
    names = ("title", "description", "provider", "kind", "host_country", "seats", "starts_on", "ends_on")
    return {
        **{name: d[name] for name in names},
        "eligible_countries": d["eligible_countries"],
        "languages": d["languages"],
        "min_level": d["min_level"],
        "reserves": reserves,
        "essential_skills": list(d["essential_skills"]),
        "optional_skills": list(d["optional_skills"]),
        "visibility": d["visibility"],
    }


@login_required
def opportunity_new(request):
    dialogue = default_dialogue_or_404(request.user)
    form = OpportunityForm(request.POST or None, providers=rules.provider_ids(request.user, dialogue.pk))
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            opp = actions.do_create_opportunity(
                actor=request.user,
                dialogue=dialogue,
                status=OpportunityStatus.PUBLISHED if d["publish"] else OpportunityStatus.DRAFT,
                **_opportunity_data(d, {}),
            )
        except (ValidationError, PermissionDenied) as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("Opportunity saved."))
            return redirect(opp)
    return render(request, "talent/opportunity_form.html", {"form": form, "dialogue": dialogue})


def _opportunity_initial(opp: Opportunity) -> dict:
    skills = list(opp.skill_links.values_list("skill_id", "essential"))
    return {
        "title": opp.title,
        "description": opp.description,
        "provider": opp.provider_id,
        "kind": opp.kind,
        "host_country": opp.host_country,
        "seats": opp.seats,
        "starts_on": opp.starts_on,
        "ends_on": opp.ends_on,
        "eligible_countries": opp.eligible_countries,
        "languages": opp.languages,
        "min_level": opp.min_level,
        "reserve_my": (opp.reserves or {}).get("MY"),
        "reserve_pk": (opp.reserves or {}).get("PK"),
        **{f"reserve_{g}": (opp.reserves or {}).get(g) for g in ReserveGroup.values},
        "essential_skills": [s for s, essential in skills if essential],
        "optional_skills": [s for s, essential in skills if not essential],
        "visibility": opp.visibility,
    }


@login_required
def opportunity_edit(request, pk: int):
    opp = _get_opportunity(request, pk)
    if not rules.can_manage_opportunity(request.user, opp):
        raise PermissionDenied(_("You may not manage this opportunity."))
    form = OpportunityForm(
        request.POST or None,
        initial=_opportunity_initial(opp),
        editing=True,
        providers=rules.provider_ids(request.user, opp.dialogue_id),
    )
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        # Reserves for groups the form does not show (set through the API) are kept as they are.
        shown = {"MY", "PK", *ReserveGroup.values}
        others = {k: v for k, v in (opp.reserves or {}).items() if k not in shown}
        try:
            opp = actions.do_update_opportunity(
                actor=request.user, opportunity=opp, **_opportunity_data(d, others)
            )
        except (ValidationError, PermissionDenied) as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("Opportunity saved."))
            return redirect(opp)
    return render(request, "talent/opportunity_form.html", {"form": form, "opp": opp})


opportunity_status = object_action(
    _get_opportunity, actions.do_set_opportunity_status, "opportunity", posted=("status",)
)

apply = object_action(
    _get_opportunity,
    actions.do_apply,
    "opportunity",
    success=gettext_lazy("You applied. Your preferences are listed on your profile."),
)


def _own_application(request, pk: int) -> Application:
    application = Application.objects.select_related("profile", "opportunity").filter(pk=pk).first()
    if application is None or application.profile.user_id != request.user.pk:
        raise Http404(_("No such application of yours."))
    return application


@login_required
@require_POST
def application_withdraw(request, pk: int):
    application = _own_application(request, pk)
    title = application.opportunity.title
    act(
        request,
        actions.do_withdraw_application,
        _("Your application to “%(title)s” was withdrawn.") % {"title": title},
        application=application,
    )
    return redirect(reverse("talent:my_profile") + "#apps-h")


@login_required
@require_POST
def application_move(request, pk: int):
    """Move an application one place up or down among the person's preferences (buttons, no JavaScript)."""
    application = _own_application(request, pk)
    step = {"up": -1, "down": 1}.get(request.POST.get("direction", ""), 0)
    act(request, actions.do_move_application, application=application, rank=application.rank + step)
    return redirect(reverse("talent:my_profile") + "#apps-h")


@login_required
@require_POST
def placement_respond(request, pk: int):
    placement = (
        Placement.objects.select_related("profile", "round", "opportunity")
        .filter(pk=pk, profile__user=request.user)
        .first()
    )
    if placement is None:
        raise Http404(_("No such placement of yours."))
    accept = request.POST.get("answer") == "accept"
    if act(request, actions.do_respond_to_placement, placement=placement, accept=accept):
        if accept:
            messages.success(
                request, _("You accepted your seat: %(title)s.") % {"title": placement.opportunity}
            )
        else:
            messages.success(
                request,
                _(
                    "You declined your seat; it is offered to the next applicant."
                    " The round is being allocated again."
                ),
            )
    return redirect(placement.round)


# --- profiles ----------------------------------------------------------------------------------------------
@login_required
def my_profile(request):
    profile = _own_profile(request)
    initial = {}
    if profile is not None:
        initial = model_to_dict(profile, fields=ProfileForm.base_fields)
    form = ProfileForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            profile = actions.do_save_profile(actor=request.user, **form.cleaned_data)
            if request.POST.get("suggest") and profile.summary:
                made = actions.do_suggest_profile_skills(actor=request.user, profile=profile)
                messages.success(
                    request, _("Saved. %(n)d skills suggested from your text.") % {"n": len(made)}
                )
            else:
                messages.success(request, _("Profile saved."))
            return redirect("talent:my_profile")
        except ValidationError as exc:
            add_errors(form, exc)
    context = {"form": form, "profile": profile, "retention": RETENTION_NOTE}
    if profile is not None:
        context.update(_skill_lists(profile, request.GET.get("q", "")))
        context["applications"] = list(profile.applications.select_related("opportunity"))
        context["placements"] = list(profile.placements.select_related("round", "opportunity"))
        if profile.consent_matching:
            opps = (
                _visible_opportunities(request.user)
                .filter(status=OpportunityStatus.PUBLISHED)
                .prefetch_related("skill_links")
            )
            context["recommended"] = matching.ranked_opportunities(profile, opps[:200])[:5]
    return render(request, "talent/my_profile.html", context)


SUGGESTIONS_SHOWN = 8
SEARCH_RESULTS = 20


def _skill_lists(profile, query: str) -> dict:
    """The profile's skills (accepted, then suggestions ranked by score, then rejected; suggestions past the
    first few behind a "more" control) and taxonomy skills matching ``query`` for the person to add."""
    rows = list(profile.skills.select_related("skill"))
    order = {SuggestionStatus.ACCEPTED: 0, SuggestionStatus.SUGGESTED: 1, SuggestionStatus.REJECTED: 2}
    rows.sort(key=lambda ps: (order.get(ps.status, 3), -ps.score, ps.skill.label))
    suggested = [ps for ps in rows if ps.status == SuggestionStatus.SUGGESTED]
    more = {ps.pk for ps in suggested[SUGGESTIONS_SHOWN:]}
    query = query.strip()[:100]
    found = []
    if query:
        held = {ps.skill_id for ps in rows if ps.status == SuggestionStatus.ACCEPTED}
        found = list(
            Skill.objects.exclude(skill_type=SkillType.GROUP)
            .exclude(pk__in=held)
            .filter(
                Q(label__icontains=query)
                | Q(label_ms__icontains=query)
                | Q(label_ur__icontains=query)
                | Q(alt_labels__icontains=query)
            )
            .only("id", "label", "label_ms", "label_ur", "description")
            .order_by("label")[:SEARCH_RESULTS]
        )
    return {
        "skills": [ps for ps in rows if ps.pk not in more],
        "more_skills": [ps for ps in rows if ps.pk in more],
        "skill_query": query,
        "skill_results": found,
    }


@login_required
@require_POST
def add_skill(request):
    profile = _own_profile(request)
    if profile is None:
        raise Http404(_("You have no profile."))
    form = AddSkillForm(request.POST)
    if form.is_valid():
        added = _("“%(skill)s” added to your skills.") % {"skill": form.cleaned_data["skill"]}
        act(request, actions.do_add_profile_skill, added, profile=profile, **form.cleaned_data)
    else:
        for errors in form.errors.values():
            messages.error(request, " ".join(errors))
    return redirect("talent:my_profile")


@login_required
@require_POST
def review_skill(request, pk: int):
    ps = ProfileSkill.objects.select_related("profile").filter(pk=pk, profile__user=request.user).first()
    if ps is None:
        raise Http404(_("No such skill on your profile."))
    form = ReviewSkillForm(request.POST)
    if form.is_valid():
        actions.do_review_profile_skill(
            actor=request.user,
            profile_skill=ps,
            status=form.cleaned_data["status"],
            level=form.cleaned_data["level"],
        )
    return redirect("talent:my_profile")


@login_required
def export_profile(request):
    profile = _own_profile(request)
    if profile is None:
        raise Http404(_("You have no profile."))
    return attachment(
        json.dumps(privacy.export_profile(profile), ensure_ascii=False, indent=1),
        "application/json",
        "concord-profile.json",
    )


@login_required
def delete_profile(request):
    profile = _own_profile(request)
    if profile is None:
        raise Http404(_("You have no profile."))
    if request.method == "POST":
        actions.do_delete_profile(actor=request.user, profile=profile)
        messages.success(request, _("Your profile and everything attached to it were deleted."))
        return redirect("talent:home")
    return render(request, "talent/profile_delete.html", {"profile": profile})


def profile(request, pk: int):
    found = Profile.objects.select_related("user").filter(pk=pk).first()
    if found is None or not rules.can_view_profile(request.user, found):
        raise Http404(_("No such profile, or you do not have access to it."))
    skills = found.skills.filter(status=SuggestionStatus.ACCEPTED).select_related("skill")
    return render(request, "talent/profile.html", {"p": found, "skills": skills})


# --- allocation rounds -------------------------------------------------------------------------------------
@login_required
def round_new(request):
    dialogue = default_dialogue(request.user)
    candidates = [
        o
        for o in Opportunity.objects.filter(
            status__in=[OpportunityStatus.PUBLISHED, OpportunityStatus.CLOSED]
        ).select_related("provider")
        if rules.can_manage_opportunity(request.user, o)
    ]
    qs = Opportunity.objects.filter(pk__in=[o.pk for o in candidates])
    form = RoundForm(request.POST or None, opportunities=qs)
    if request.method == "POST" and form.is_valid() and dialogue is not None:
        try:
            rnd = actions.do_create_round(
                actor=request.user,
                dialogue=dialogue,
                title=form.cleaned_data["title"],
                opportunities=list(form.cleaned_data["opportunities"]),
            )
        except (ValidationError, PermissionDenied) as exc:
            add_errors(form, exc)
        else:
            return redirect(rnd)
    return render(request, "talent/round_form.html", {"form": form})


def rounds(request):
    visible = [
        r
        for r in AllocationRound.objects.select_related("dialogue").order_by("-created_at")[:100]
        if rules.can_view_round(request.user, r)
    ]
    return render(request, "talent/rounds.html", {"rounds": visible})


def allocation_round(request, pk: int):
    rnd = _get_round(request, pk)
    manage = rules.can_manage_round(request.user, rnd)
    placements = Placement.objects.filter(round=rnd).select_related("profile", "profile__user", "opportunity")
    if not manage:
        placements = placements.filter(profile__user=request.user)
    placements = list(placements)
    opportunities = {o.pk: o for o in rnd.opportunities.all()}
    for p in placements:
        for row in p.explanation.get("preferences", []):
            row["opportunity_obj"] = opportunities.get(row["opportunity"])
    ids = {
        x
        for p in placements
        for row in p.explanation.get("preferences", [])
        for key in ("matched", "missing", "under_level")
        for x in row["match"][key]
    }
    ids |= {
        a[k]
        for p in placements
        for row in p.explanation.get("preferences", [])
        for a in row["match"]["adjacent"]
        for k in ("needed", "via")
    }
    context = {
        "rnd": rnd,
        "manage": manage,
        "placements": placements,
        "labels": matching.labels_for(ids),
        "opportunities": list(opportunities.values()),
        "reserve_rows": [
            {**r, "title": getattr(opportunities.get(r["opportunity"]), "title", "")}
            for r in (rnd.summary or {}).get("reserves", [])
        ],
        "job": rnd.job,
    }
    return render(request, "talent/round.html", context)


round_run = object_action(_get_round, actions.do_run_round, "allocation_round")


# --- skills, crosswalks, gaps -------------------------------------------------------------------------------
def skills(request):
    q = request.GET.get("q", "").strip()[:100]
    qs = Skill.objects.select_related("taxonomy", "parent")
    if q:
        qs = qs.filter(Q(label__icontains=q) | Q(label_ms__icontains=q) | Q(label_ur__icontains=q))
    page = Paginator(qs.order_by("label"), 50).get_page(request.GET.get("page"))
    return render(request, "talent/skills.html", {"page": page, "q": q})


def skill(request, pk: int):
    found = get_object_or_404(Skill.objects.select_related("taxonomy", "parent"), pk=pk)
    children = found.children.all()[:50]
    occupations = found.occupation_links.select_related("occupation")[:50]
    return render(
        request, "talent/skill.html", {"skill": found, "children": children, "occupations": occupations}
    )


@login_required
def crosswalk(request):
    if not rules.can_review_crosswalk(request.user):
        raise Http404(_("No such page."))
    if request.method == "POST":
        link = get_object_or_404(Crosswalk, pk=request.POST.get("link") or 0)
        act(request, actions.do_review_crosswalk, link=link, status=request.POST.get("status", ""))
        return redirect("talent:crosswalk")
    form = FrameworkForm()
    links = Crosswalk.objects.select_related("local_skill", "local_skill__taxonomy", "esco_skill")[:300]
    return render(
        request,
        "talent/crosswalk.html",
        {"links": links, "form": form, "can_import": rules.can_import_taxonomy(request.user)},
    )


@login_required
@require_POST
def framework_import(request):
    form = FrameworkForm(request.POST, request.FILES)
    if form.is_valid():
        d = form.cleaned_data
        try:
            act(
                request,
                actions.do_import_framework,
                _("Framework imported; review its crosswalk below."),
                data=d["file"].read(),
                filename=d["file"].name,
                slug=d["slug"],
                name=d["name"],
                country=d["country"],
            )
        except EngineError as exc:  # engine errors name the problem
            messages.error(request, str(exc))
    else:
        messages.error(request, _("Fill in every field and choose a CSV file."))
    return redirect("talent:crosswalk")


def _points(share: float) -> str:
    """A difference of shares in signed percentage points, as the charts label their bars ("+50.0")."""
    points = round(100 * share, 1)
    return "0.0" if points == 0 else f"{points:+.1f}"


@login_required
def gaps(request):
    if not rules.can_view_analytics(request.user):
        raise Http404(_("No such page."))
    report = analytics.gap_report()

    def chart(rows, title):
        # every chart reads the same way: supply share minus demand share, a surplus positive, in green
        return charts.diverging(
            rows,
            title=title,
            axis_label=_("Supply share minus demand share (percentage points)"),
            positive=charts.Key(_("Surplus: more supply than demand"), charts.SURPLUS),
            negative=charts.Key(_("Deficit: less supply than demand"), charts.DEFICIT),
            width=480,  # drawn near the size of its card (two to a row), so its words stay legible
        )

    context = {
        "report": report,
        "my_pk": chart(
            [(row["label"], row["MY->PK"]) for row in report.cross],
            _("Malaysia's supply share minus Pakistan's demand share, per skill group"),
        ),
        "pk_my": chart(
            [(row["label"], row["PK->MY"]) for row in report.cross],
            _("Pakistan's supply share minus Malaysia's demand share, per skill group"),
        ),
        "gap_my": chart(
            [(g.label, -g.gap["MY"]) for g in report.groups],
            _("Supply share minus demand share in Malaysia, per skill group"),
        ),
        "gap_pk": chart(
            [(g.label, -g.gap["PK"]) for g in report.groups],
            _("Supply share minus demand share in Pakistan, per skill group"),
        ),
        # the table reads as the charts do: supply share minus demand share, in signed percentage points
        "top_skills": [(row, {c: _points(-g) for c, g in row.gap.items()}) for row in report.skills[:15]],
    }
    return render(request, "talent/gaps.html", context)


@login_required
def gaps_csv(request):
    if not rules.can_view_analytics(request.user):
        raise Http404(_("No such page."))
    csv = analytics.gap_csv(analytics.gap_report())
    return attachment(csv, "text/csv; charset=utf-8", "concord-skills-gaps.csv")
