"""The inbox, following a notice to its page, e-mail choices, and "My work"."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import actions
from .kinds import Kind
from .models import Notice, email_choices
from .mywork import my_work

PAGE_SIZE = 25


def _own_notice(request, pk: int) -> Notice:
    return get_object_or_404(Notice.objects.for_user(request.user), pk=pk)


@login_required
def inbox(request):
    kind = request.GET.get("kind", "")
    unread_only = request.GET.get("unread") == "1"
    notices = Notice.objects.for_user(request.user)
    if kind in Kind.values:
        notices = notices.filter(kind=kind)
    else:
        kind = ""
    if unread_only:
        notices = notices.unread()
    page = Paginator(notices, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "notices/inbox.html",
        {
            "page": page,
            "kinds": Kind.choices,
            "kind": kind,
            "unread_only": unread_only,
            "query": urlencode({"kind": kind, "unread": "1" if unread_only else ""}),
        },
    )


@login_required
def follow(request, pk: int):
    """Open a notice: it is read now, and the reader lands on its page."""
    notice = actions.do_mark_read(actor=request.user, notice=_own_notice(request, pk))
    if not url_has_allowed_host_and_scheme(notice.url, allowed_hosts=None):
        return redirect("notices:inbox")
    return redirect(notice.url)


@login_required
@require_POST
def mark_read(request, pk: int):
    actions.do_mark_read(actor=request.user, notice=_own_notice(request, pk))
    return redirect(_back(request))


@login_required
@require_POST
def mark_all_read(request):
    count = actions.do_mark_all_read(actor=request.user)
    messages.success(request, _("%(count)s notices marked as read.") % {"count": count})
    return redirect(_back(request))


def _back(request) -> str:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return "notices:inbox"


@login_required
def preferences(request):
    if request.method == "POST":
        actions.do_set_email_choices(
            actor=request.user,
            user=request.user,
            email_kinds=[k for k in request.POST.getlist("email") if k in Kind.values],
        )
        messages.success(request, _("Your choice of e-mail notices is saved."))
        return redirect(reverse_settings())
    return render(request, "notices/preferences.html", {"rows": preference_rows(request.user)})


def reverse_settings() -> str:
    from django.urls import reverse

    return reverse("accounts:settings") + "#notices"


def preference_rows(user) -> list[tuple[str, str, bool]]:
    chosen = email_choices(user)
    return [(value, label, chosen[value]) for value, label in Kind.choices]


@login_required
def work(request):
    sections = my_work(request.user)
    return render(
        request,
        "notices/my_work.html",
        {"sections": sections, "total": sum(len(s.lines) for s in sections)},
    )
