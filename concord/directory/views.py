"""Pages of the ecosystem directory. Anything the caller may not see answers 404."""

from __future__ import annotations

from functools import partial

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.forms.models import model_to_dict
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from concord.accounts import rules as account_rules
from concord.accounts.models import Dialogue, Organization, OrganizationKind
from concord.core import rules as core
from concord.core.lookups import default_dialogue_or_404
from concord.core.shortcuts import first_or_404
from concord.secretariat.agenda.links import agenda_panel

from . import actions, recommend, rules
from .forms import (
    DecideForm,
    InterestForm,
    ListingForm,
    MergeForm,
    OpportunityForm,
    ProfileForm,
    ReturnForm,
    SlotForm,
    theme_choices,
)
from .lookups import interest_or_404, listing_or_404
from .models import (
    Listing,
    ListingKind,
    ListingStatus,
    MeetingSlot,
    Opportunity,
    OrganizationProfile,
)


# --- access helpers --------------------------------------------------------------------------------------
def _org(pk: int) -> Organization:
    return get_object_or_404(Organization.objects.select_related("profile"), pk=pk)


def _profile(org: Organization) -> OrganizationProfile | None:
    try:
        return org.profile
    except OrganizationProfile.DoesNotExist:
        return None


def _opportunity(request, pk: int) -> Opportunity:
    return first_or_404(
        Opportunity.objects.select_related("organization", "party"),
        _("No such opportunity, or you do not have access to it."),
        visible=partial(rules.can_view_opportunity, request.user),
        pk=pk,
    )


def _fail(request, exc: ValidationError) -> None:
    messages.error(request, "; ".join(exc.messages))


def _act(request, action, success: str, **kwargs) -> bool:
    """Run ``action`` as the user and say ``success``, or flash what it refused as invalid (a refusal of
    permission goes on up, to the 403 page). True when it succeeded."""
    try:
        action(actor=request.user, **kwargs)
    except ValidationError as exc:
        _fail(request, exc)
        return False
    messages.success(request, success)
    return True


# --- organisations ---------------------------------------------------------------------------------------
def organization_list(request):
    qs = Organization.objects.select_related("profile").annotate(
        n_listings=Count("listings", filter=Q(listings__status=ListingStatus.PUBLISHED))
    )
    country = request.GET.get("country", "")[:2].upper()
    kind = request.GET.get("kind", "")[:32]
    theme = request.GET.get("theme", "")[:80]
    q = request.GET.get("q", "").strip()[:200]
    if country:
        qs = qs.filter(country=country)
    if kind:
        qs = qs.filter(kind=kind)
    if q:
        qs = qs.filter(Q(name__icontains=q) | Q(short_name__icontains=q) | Q(description__icontains=q))
    orgs = list(qs.order_by("country", "name"))
    if theme:
        orgs = [o for o in orgs if _profile(o) and theme in o.profile.themes]
    page = Paginator(orgs, 30).get_page(request.GET.get("page"))

    return render(
        request,
        "directory/organization_list.html",
        {
            "page": page,
            "q": q,
            "country": country,
            "kind": kind,
            "theme": theme,
            "kinds": OrganizationKind.choices,
            "themes": theme_choices(),
            "can_merge": rules.can_merge(request.user),
            "can_create": account_rules.can_create_organization(request.user),
        },
    )


def organization_detail(request, pk: int):
    org = _org(pk)
    profile = _profile(org)
    user = request.user
    listings = rules.visible_listings(
        user, Listing.objects.filter(organization=org).select_related("organization")
    )
    can_edit = rules.can_edit_profile(user, org)
    alerts = org.alerts.select_related("opportunity")[:10] if can_edit else []
    return render(
        request,
        "directory/organization_detail.html",
        {
            "org": org,
            "profile": profile,
            "listings": listings,
            "can_edit": can_edit,
            "can_edit_details": account_rules.can_edit_organization(user, org),
            "can_view_contact": rules.can_view_contact(user, org, profile),
            "alerts": [a for a in alerts if core.can_view(user, a.opportunity)],
        },
    )


@login_required
def profile_edit(request, pk: int):
    org = _org(pk)
    if not rules.can_edit_profile(request.user, org):
        raise PermissionDenied(_("Only the organisation's own members and the secretariat edit its profile."))
    profile = _profile(org)
    form = ProfileForm(request.POST or None, initial=ProfileForm.initial_from(profile))
    if request.method == "POST" and form.is_valid():
        try:
            actions.do_save_profile(actor=request.user, organization=org, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Profile saved."))
            return redirect("directory:organization", pk=org.pk)
    return render(request, "directory/profile_form.html", {"org": org, "form": form})


@login_required
def recommendations(request, pk: int):
    org = _org(pk)
    if not rules.can_see_recommendations(request.user, org):
        raise PermissionDenied(
            _("Recommendations are for the organisation's own members and the secretariat.")
        )
    if request.method == "POST":
        try:
            actions.do_record_feedback(
                actor=request.user,
                organization=org,
                target=request.POST.get("target", "")[:20],
                target_id=int(request.POST.get("target_id", "0") or 0),
                useful=request.POST.get("useful") == "1",
            )
            messages.success(request, _("Thank you: your feedback changes what we recommend."))
        except (ValidationError, ValueError) as exc:
            messages.error(request, "; ".join(getattr(exc, "messages", [str(exc)])))
        return redirect("directory:recommendations", pk=org.pk)
    recs = recommend.recommendations_for(request.user, org)
    return render(request, "directory/recommendations.html", {"org": org, "recommendations": recs})


@login_required
def duplicates(request):
    if not rules.can_merge(request.user):
        raise PermissionDenied(_("Only the secretariat merges organisations."))
    if request.method == "POST":
        form = MergeForm(request.POST)
        if form.is_valid():
            keep, dup = _org(form.cleaned_data["keep"]), _org(form.cleaned_data["duplicate"])
            _act(
                request,
                actions.do_merge_organizations,
                _("Merged into %(org)s.") % {"org": keep},
                keep=keep,
                duplicate=dup,
            )
        return redirect("directory:duplicates")
    return render(request, "directory/duplicates.html", {"pairs": recommend.find_duplicates()})


# --- listings --------------------------------------------------------------------------------------------
def listing_list(request):
    user = request.user
    qs = rules.visible_listings(user, Listing.objects.select_related("organization"))
    kind = request.GET.get("kind", "")[:24]
    status = request.GET.get("status", "")[:12]
    country = request.GET.get("country", "")[:2].upper()
    if kind:
        qs = qs.filter(kind=kind)
    if status:
        qs = qs.filter(status=status)
    else:
        qs = qs.filter(status=ListingStatus.PUBLISHED)
    if country:
        qs = qs.filter(organization__country=country)
    page = Paginator(qs, 25).get_page(request.GET.get("page"))
    review_count = 0
    if core.is_secretariat(user):
        review_count = rules.visible_listings(
            user, Listing.objects.filter(status=ListingStatus.IN_REVIEW)
        ).count()
    return render(
        request,
        "directory/listing_list.html",
        {
            "page": page,
            "kind": kind,
            "status": status,
            "country": country,
            "kinds": ListingKind.choices,
            "statuses": ListingStatus.choices,
            "review_count": review_count,
            "can_post": bool(rules.editable_org_ids(user)) or core.is_secretariat(user),
        },
    )


def _listing_form(request, data=None, initial=None):
    user = request.user
    dialogue = default_dialogue_or_404(user)
    orgs = (
        Organization.objects.all()
        if core.is_secretariat(user)
        else Organization.objects.filter(pk__in=rules.editable_org_ids(user))
    )
    return ListingForm(
        data,
        initial=initial,
        organizations=orgs,
        visibility_choices=core.visibility_choices_for(user, dialogue.pk),
    ), dialogue


@login_required
def listing_create(request):
    form, dialogue = _listing_form(request, request.POST or None, initial={"visibility": "public"})
    if not form.fields["organization"].queryset.exists():
        raise PermissionDenied(
            _("Only members who represent an organisation, and the secretariat, post offers and requests.")
        )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            listing = actions.do_create_listing(
                actor=request.user,
                organization=data["organization"],
                dialogue=dialogue,
                kind=data["kind"],
                title=data["title"],
                summary=data["summary"],
                description=data["description"],
                themes=data["themes"],
                visibility=data["visibility"],
            )
            if request.POST.get("submit_now"):
                actions.do_submit_listing(actor=request.user, listing=listing)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(
                request,
                _("Saved. The secretariat reviews it before it is published.")
                if listing.status == ListingStatus.IN_REVIEW
                else _("Draft saved."),
            )
            return redirect(listing)
    return render(request, "directory/listing_form.html", {"form": form})


@login_required
def listing_edit(request, pk: int):
    listing = listing_or_404(request.user, pk)
    if not rules.can_edit_listing(request.user, listing):
        raise PermissionDenied(_("Only a draft can be edited."))
    form, _d = _listing_form(
        request,
        request.POST or None,
        initial=model_to_dict(
            listing,
            fields=["organization", "kind", "title", "summary", "description", "themes", "visibility"],
        ),
    )
    form.fields["organization"].disabled = True
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            actions.do_update_listing(
                actor=request.user,
                listing=listing,
                **{k: data[k] for k in ("kind", "title", "summary", "description", "themes", "visibility")},
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            return redirect(listing)
    return render(request, "directory/listing_form.html", {"form": form, "listing": listing})


def listing_detail(request, pk: int):
    listing = listing_or_404(request.user, pk)
    user = request.user
    interests = [
        i
        for i in listing.interests.select_related("organization", "slot")
        if rules.can_view_interest(user, i)
    ]
    taken = set(listing.interests.values_list("organization_id", flat=True))
    allowed = rules.interest_orgs(user, listing)
    orgs = Organization.objects.none()
    if allowed:
        orgs = Organization.objects.exclude(pk__in=taken | {listing.organization_id})
        if isinstance(allowed, set):
            orgs = orgs.filter(pk__in=allowed)
    return render(
        request,
        "directory/listing_detail.html",
        {
            "listing": listing,
            "interests": interests,
            "slots": listing.slots.select_related("booked_by__organization"),
            "interest_form": InterestForm(organizations=orgs) if orgs.exists() else None,
            "can_edit": rules.can_edit_listing(user, listing),
            "can_review": rules.can_review_listing(user, listing),
            "can_renew": rules.can_renew_listing(user, listing),
            "can_delete": rules.can_delete_listing(user, listing),
            "can_add_slot": rules.can_add_slot(user, listing),
            "is_owner": rules.is_editor(user, listing.organization_id) or rules.can_add_slot(user, listing),
            "return_form": ReturnForm(),
            "slot_form": SlotForm(),
            "decide_form": DecideForm(),
            "bookable": {i.pk for i in interests if rules.can_book_slot(user, i)},
            "agenda": agenda_panel(user, listing),
        },
    )


@login_required
@require_POST
def listing_transition(request, pk: int, verb: str):
    listing = listing_or_404(request.user, pk)
    if verb == "submit":
        _act(request, actions.do_submit_listing, _("Sent to the secretariat for review."), listing=listing)
    elif verb == "publish":
        _act(request, actions.do_publish_listing, _("Published."), listing=listing)
    elif verb == "return":
        form = ReturnForm(request.POST)
        if form.is_valid():
            returned = _("Returned to its organisation with your note.")
            _act(request, actions.do_return_listing, returned, listing=listing, **form.cleaned_data)
        else:
            messages.error(request, _("Say what needs changing."))
    elif verb == "renew":
        _act(request, actions.do_renew_listing, _("Renewed for a year."), listing=listing)
    elif verb == "delete":
        if _act(request, actions.do_delete_listing, _("Deleted."), listing=listing):
            return redirect("directory:listings")
    else:
        raise Http404
    return redirect(listing)


@login_required
def review_queue(request):
    if not core.is_secretariat(request.user):
        raise PermissionDenied(_("The review queue is the secretariat's."))
    qs = rules.visible_listings(
        request.user, Listing.objects.filter(status=ListingStatus.IN_REVIEW).select_related("organization")
    )
    return render(request, "directory/review_queue.html", {"listings": qs.order_by("submitted_at")})


@login_required
@require_POST
def interest_create(request, pk: int):
    listing = listing_or_404(request.user, pk)
    allowed = rules.interest_orgs(request.user, listing)
    orgs = Organization.objects.exclude(pk=listing.organization_id)
    if isinstance(allowed, set):
        orgs = orgs.filter(pk__in=allowed)
    form = InterestForm(request.POST, organizations=orgs)
    if not form.is_valid():
        messages.error(request, _("Choose your organisation and write a message."))
        return redirect(listing)
    _act(
        request,
        actions.do_express_interest,
        _("Your expression of interest was sent."),
        listing=listing,
        organization=form.cleaned_data["organization"],
        message=form.cleaned_data["message"],
    )
    return redirect(listing)


@login_required
@require_POST
def interest_decide(request, pk: int):
    interest = interest_or_404(request.user, pk)
    form = DecideForm(request.POST)
    if form.is_valid():
        _act(
            request,
            actions.do_decide_interest,
            _("Your answer was sent."),
            interest=interest,
            accept=form.cleaned_data["decision"] == "accept",
            reply=form.cleaned_data["reply"],
        )
    return redirect(interest.listing)


@login_required
@require_POST
def slot_create(request, pk: int):
    listing = listing_or_404(request.user, pk)
    form = SlotForm(request.POST)
    if not form.is_valid():
        messages.error(request, "; ".join(e for errs in form.errors.values() for e in errs))
        return redirect(listing)
    _act(request, actions.do_add_slot, _("Meeting slot added."), listing=listing, **form.cleaned_data)
    return redirect(listing)


@login_required
@require_POST
def slot_book(request, pk: int, slot_id: int):
    interest = interest_or_404(request.user, pk)
    slot = get_object_or_404(MeetingSlot, pk=slot_id, listing_id=interest.listing_id)
    _act(request, actions.do_book_slot, _("Meeting booked."), interest=interest, slot=slot)
    return redirect(interest.listing)


# --- opportunities ---------------------------------------------------------------------------------------
def opportunity_list(request):
    qs = core.visible(request.user, Opportunity.objects.select_related("organization", "party"))
    kind = request.GET.get("kind", "")[:20]
    if kind:
        qs = qs.filter(kind=kind)
    page = Paginator(qs, 25).get_page(request.GET.get("page"))
    dialogue = Dialogue.objects.order_by("pk").first()
    can_post = dialogue is not None and any(
        s.role in core.CONTRIBUTOR_ROLES for s in core.seats(request.user)
    )
    return render(
        request, "directory/opportunity_list.html", {"page": page, "kind": kind, "can_post": can_post}
    )


def opportunity_detail(request, pk: int):
    opportunity = _opportunity(request, pk)
    alerts = (
        opportunity.alerts.select_related("organization")[:50] if core.is_secretariat(request.user) else []
    )
    return render(
        request,
        "directory/opportunity_detail.html",
        {
            "opportunity": opportunity,
            "alerts": alerts,
        },
    )


@login_required
def opportunity_create(request):
    dialogue = default_dialogue_or_404(request.user)
    if not any(s.role in core.CONTRIBUTOR_ROLES for s in core.seats_in(request.user, dialogue.pk)):
        raise PermissionDenied(_("Only the secretariat, delegates and analysts post opportunities."))
    form = OpportunityForm(
        request.POST or None,
        initial={"visibility": "public"},
        visibility_choices=core.visibility_choices_for(request.user, dialogue.pk),
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            opportunity = actions.do_create_opportunity(actor=request.user, dialogue=dialogue, **data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Published; organisations whose profiles fit are being alerted."))
            return redirect(opportunity)
    return render(request, "directory/opportunity_form.html", {"form": form})
