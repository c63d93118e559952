"""Home dashboards, dialogues, notes, organisations, jobs (progress, retry), queue status, language."""

from __future__ import annotations

from functools import partial
from operator import attrgetter

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.forms.models import model_to_dict
from django.http import (
    HttpResponse,
    HttpResponsePermanentRedirect,
    HttpResponseRedirect,
    JsonResponse,
)
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from concord.accounts import actions as account_actions
from concord.accounts import rules as account_rules
from concord.accounts.models import Dialogue, Membership, Organization, Party, Role
from concord.audit.models import AuditEntry
from concord.core.shortcuts import first_or_404

from . import actions, rules
from .forms import LanguageSwitchForm, NoteForm, OrganizationForm
from .lookups import default_dialogue, dialogue_or_404, note_or_404
from .models import Job, Note, Visibility
from .shortcuts import REFUSALS, add_errors, form_page, object_action, saved, with_language


# --- access helpers: they raise 404 for anything the caller may not view -------------------------------
# --- pages --------------------------------------------------------------------------------------------
def home(request):
    user = request.user
    dialogue = default_dialogue(user)
    notes = rules.visible(user, Note.objects.select_related("dialogue", "party", "created_by"))[:8]
    context = {"dialogue": dialogue, "notes": notes}
    if not user.is_authenticated:
        context["organization_counts"] = (
            Organization.objects.values("country").annotate(n=Count("id")).order_by("country")
        )
        return render(request, "core/landing.html", context)
    from concord.notices.mywork import my_work  # the signed-in home starts with what waits for the user

    memberships = list(user.active_memberships())
    roles = {m.role for m in memberships}
    sections = my_work(user)
    context.update(
        sections=sections,
        total=sum(len(s.lines) for s in sections),
        memberships=memberships,
        roles=roles,
        my_jobs=Job.objects.for_user(user)[:5],
    )
    if Role.SECRETARIAT in roles:
        context["recent_audit"] = AuditEntry.objects.visible_to(user).select_related("actor")[:8]
        role_labels = dict(Role.choices)  # translated labels, not the stored codes
        context["member_counts"] = [
            {"role": role_labels.get(row["role"], row["role"]), "n": row["n"]}
            for row in Membership.objects.active().values("role").annotate(n=Count("id")).order_by("role")
        ]
    if roles & {Role.DELEGATE, Role.ANALYST}:
        parties = {m.party_id for m in memberships if m.party_id}
        context["party_notes"] = (
            Note.objects.filter(visibility=Visibility.PARTY, party_id__in=parties)
            .filter(rules.visible_q(user))
            .select_related("party", "created_by")[:6]
        )
    if Role.STAKEHOLDER in roles:
        context["my_organizations"] = [m.organization for m in memberships if m.organization_id]
    return render(request, "core/dashboard.html", context)


def dialogue_detail(request, slug: str):
    dialogue = dialogue_or_404(slug)
    user = request.user
    notes = rules.visible(user, Note.objects.filter(dialogue=dialogue).select_related("party", "created_by"))
    members = None
    if account_rules.can_view_members(user, dialogue.pk):
        members = (
            Membership.objects.active()
            .filter(dialogue=dialogue)
            .select_related("user", "party", "organization")
            .order_by("role", "party__code", "user__full_name")
        )
    return render(
        request,
        "core/dialogue.html",
        {
            "dialogue": dialogue,
            "notes": notes[:20],
            "members": members,
            "can_post": any(s.role in rules.CONTRIBUTOR_ROLES for s in rules.seats_in(user, dialogue.pk)),
        },
    )


def note_list(request):
    user = request.user
    qs = rules.visible(user, Note.objects.select_related("dialogue", "party", "created_by"))
    party = request.GET.get("party", "")
    if party:
        qs = qs.filter(party__code=party.upper()[:2])
    q = request.GET.get("q", "").strip()[:200]
    if q:
        qs = qs.filter(Q(title__icontains=q) | Q(body__icontains=q))
    page = Paginator(qs, 25).get_page(request.GET.get("page"))
    return render(
        request, "core/note_list.html", {"page": page, "q": q, "party": party, "parties": Party.objects.all()}
    )


def note_detail(request, pk: int):
    note = note_or_404(request.user, pk)
    return render(
        request,
        "core/note_detail.html",
        {
            "note": note,
            "can_edit": rules.can_edit(request.user, note),
            "can_delete": rules.can_delete(request.user, note),
        },
    )


def _note_form(user, dialogue: Dialogue, data=None, initial=None):
    return NoteForm(
        data,
        initial=initial,
        visibility_choices=rules.visibility_choices_for(user, dialogue.pk),
        parties=dialogue.parties.all(),
    )


@login_required
def note_create(request, slug: str):
    dialogue = dialogue_or_404(slug)
    if not any(s.role in rules.CONTRIBUTOR_ROLES for s in rules.seats_in(request.user, dialogue.pk)):
        raise PermissionDenied(
            _("Only the secretariat, delegates and analysts of this dialogue can post notes.")
        )
    own = rules.party_ids(request.user, dialogue.pk)
    form = _note_form(request.user, dialogue, request.POST or None, initial={"party": next(iter(own), None)})
    return form_page(
        request,
        form,
        "core/note_form.html",
        {"dialogue": dialogue},
        save=lambda data: actions.do_create_note(actor=request.user, dialogue=dialogue, **data),
        done=saved(request, _("Note posted.")),
        refusals=REFUSALS,
    )


@login_required
def note_edit(request, pk: int):
    note = note_or_404(request.user, pk)
    if not rules.can_edit(request.user, note):
        raise PermissionDenied(_("You may not edit this note."))
    initial = model_to_dict(note, fields=["title", "kind", "body", "visibility", "party"])
    form = _note_form(request.user, note.dialogue, request.POST or None, initial=initial)
    return form_page(
        request,
        form,
        "core/note_form.html",
        {"dialogue": note.dialogue, "note": note},
        save=lambda data: actions.do_update_note(actor=request.user, note=note, **data),
        done=saved(request, _("Note saved."), to=note),
        refusals=REFUSALS,
    )


def _note(request, pk: int) -> Note:
    return note_or_404(request.user, pk)


note_delete = object_action(
    _note,
    actions.do_delete_note,
    "note",
    success=gettext_lazy("Note deleted."),
    back=attrgetter("dialogue"),
    refusals=(),  # what the action refuses is the 403 page
)


def organization_list(request):
    """The one directory of organisations is the ecosystem's (/directory/organisations/); this address,
    linked from before, keeps working."""
    query = request.GET.urlencode()
    return HttpResponsePermanentRedirect(reverse("directory:organizations") + (f"?{query}" if query else ""))


def organization_detail(request, pk: int):
    return HttpResponsePermanentRedirect(reverse("directory:organization", args=[pk]))


@login_required
def organization_form(request, pk: int | None = None):
    org = get_object_or_404(Organization, pk=pk) if pk else None
    allowed = (
        account_rules.can_edit_organization(request.user, org)
        if org
        else account_rules.can_create_organization(request.user)
    )
    if not allowed:
        raise PermissionDenied(_("You may not edit organisations."))
    initial = None
    if org:
        initial = {
            f: getattr(org, f)
            for f in (
                "name",
                "short_name",
                "country",
                "kind",
                "website",
                "description",
                "description_ms",
                "description_ur",
            )
        }
    form = OrganizationForm(request.POST or None, initial=initial)

    def save(data):
        if org:
            return account_actions.do_update_organization(actor=request.user, org=org, **data)
        return account_actions.do_create_organization(actor=request.user, **data)

    return form_page(
        request,
        form,
        "core/organization_form.html",
        {"org": org},
        save=save,
        done=saved(request, _("Organisation saved.")),
    )


@login_required
def job_detail(request, pk):
    job = get_object_or_404(Job, pk=pk, owner=request.user)
    template = "core/_job_progress.html" if request.htmx else "core/job.html"
    return render(request, template, {"job": job})


@login_required
def job_json(request, pk):
    job = get_object_or_404(Job, pk=pk, owner=request.user)
    return JsonResponse(
        {
            "id": str(job.pk),
            "status": job.status,
            "done": job.done,
            "total": job.total,
            "percent": job.percent,
            "message": job.message,
            "error": job.error,
            "result_url": job.result_url,
        }
    )


def _get_job_for_retry(request, pk) -> Job:
    """The caller's own job, or any job for the secretariat; 404 otherwise (no hint that it exists)."""
    return first_or_404(
        Job.objects,
        _("No such job, or you may not retry it."),
        visible=partial(rules.can_retry_job, request.user),
        pk=pk,
    )


@login_required
@require_POST
def job_retry(request, pk):
    job = _get_job_for_retry(request, pk)
    try:
        actions.do_retry_job(actor=request.user, job=job)
    except ValidationError as exc:
        messages.error(request, "; ".join(exc.messages))
    else:
        messages.success(request, _("The job is queued again."))
    if job.owner_id == request.user.pk:
        return redirect(job)
    return redirect("core:status")


@login_required
def queue_status(request):
    from datetime import timedelta

    from django.utils import timezone

    from . import leases

    if not rules.can_view_queue_health(request.user):
        raise PermissionDenied(_("Only the secretariat and administrators may see background work."))
    health = leases.queue_health()
    failed = Job.objects.filter(status="failed", finished_at__gte=timezone.now() - timedelta(days=1)).only(
        "id", "kind", "attempts", "finished_at", "owner_id", "task_path", "status"
    )[:50]
    return render(
        request,
        "core/status.html",
        {"health": health, "failed_jobs": failed, "can_retry": rules.is_secretariat(request.user)},
    )


@require_POST
def switch_language(request):
    form = LanguageSwitchForm(request.POST)
    if not form.is_valid() or form.cleaned_data["language"] not in dict(settings.LANGUAGES):
        return HttpResponse(_("Unsupported language."), status=400, content_type="text/plain; charset=utf-8")
    language = form.cleaned_data["language"]
    target = form.cleaned_data.get("next") or "/"
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = "/"
    if request.user.is_authenticated:
        account_actions.do_set_language(actor=request.user, user=request.user, language=language)
    return with_language(HttpResponseRedirect(target), language)


def healthz(request):
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


_add_errors = add_errors  # the name the secretariat's pages import it by


def page_not_found(request, exception=None):
    return render(request, "404.html", status=404)


def permission_denied(request, exception=None):
    return render(request, "403.html", {"reason": str(exception) if exception else ""}, status=403)


def server_error(request):
    return render(request, "500.html", status=500)


def csrf_failure(request, reason=""):
    return render(request, "403_csrf.html", status=403)


def reverse_with_query(name: str, **query) -> str:
    from urllib.parse import urlencode

    return f"{reverse(name)}?{urlencode(query)}"
