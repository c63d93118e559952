"""What views and the API share: the one object a query names (or a 404), the create/edit page shape, the
button on an object's page, a filtered list's page, and the language cookie.

A create or edit page shows a form; a valid POST hands the cleaned data to an action; an error the action
raises lands on the form (on its field where the form has one) and the page answers 400; a success says so
and redirects.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Model, QuerySet
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import urlencode
from django.views.decorators.http import require_POST

M = TypeVar("M", bound=Model)

# What an action raises when it refuses a request: both land on the form where a page catches them.
REFUSALS: tuple[type[Exception], ...] = (ValidationError, PermissionDenied)


def first_or_404(
    queryset: QuerySet[M], message: str, *, visible: Callable[[M], bool] | None = None, **lookup: Any
) -> M:
    """The first row of ``queryset`` matching ``lookup``; a 404 saying ``message`` when there is none, or
    when ``visible`` (the app's rule) says the caller may not see it: one is not told that it exists."""
    found = queryset.filter(**lookup).first()
    if found is None or (visible is not None and not visible(found)):
        raise Http404(message)
    return found


def add_errors(form, exc: Exception) -> None:
    """Attach an action's error to ``form``: on its field when the form has one, else to the whole form."""
    if isinstance(exc, ValidationError) and hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():  # ValidationErrors, so their codes are kept
            form.add_error(field if field in form.fields else None, errors)
    elif isinstance(exc, ValidationError):
        for message in exc.messages:
            form.add_error(None, message)
    else:
        form.add_error(None, str(exc))


def saved(request, message: str, to: Any = None) -> Callable[[Any], HttpResponse]:
    """What a form page does after its action succeeded: say ``message`` and go to ``to`` (by default, to
    what the action returned)."""

    def done(result: Any) -> HttpResponse:
        messages.success(request, message)
        return redirect(result if to is None else to)

    return done


def form_page(
    request,
    form,
    template: str,
    context: dict[str, Any],
    *,
    save: Callable[[dict[str, Any]], Any],
    done: Callable[[Any], HttpResponse],
    refusals: tuple[type[Exception], ...] = (ValidationError,),
) -> HttpResponse:
    """Show ``form`` on ``template``; on a valid POST call ``save(form.cleaned_data)`` and answer
    ``done(result)``. An error of ``refusals`` lands on the form; anything else (a 403 the view should
    answer as such) goes on up."""
    if request.method == "POST" and form.is_valid():
        try:
            result = save(form.cleaned_data)
        except refusals as exc:
            add_errors(form, exc)
        else:
            return done(result)
    return render_form(request, template, form, **context)


def render_form(request, template: str, form, status_ok: int = 200, **context: Any) -> HttpResponse:
    """``template`` showing ``form``: 400 when the form has errors, else ``status_ok``."""
    return render(request, template, {"form": form, **context}, status=400 if form.errors else status_ok)


def flash_form_errors(request, form) -> None:
    """Flash a form's errors, each field's after its label: for a form posted from a page that shows
    another one, so the errors cannot stand next to their fields."""
    for field, errors in form.errors.items():
        label = form.fields[field].label if field in form.fields else ""
        messages.error(request, f"{label}: {' '.join(errors)}" if label else " ".join(errors))


def filtered_page(request, rows, filters: dict[str, str], per_page: int = 25) -> dict[str, Any]:
    """A list page's context: the ``page`` of ``rows`` the request asks for, the ``filters`` they were
    narrowed by, and the ``query`` string that keeps those filters on the links to other pages."""
    return {
        "page": Paginator(rows, per_page).get_page(request.GET.get("page")),
        "filters": filters,
        "query": urlencode({k: v for k, v in filters.items() if v}),
    }


def attachment(body, content_type: str, filename: str) -> HttpResponse:
    """``body`` as a file to download, named ``filename``."""
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def with_language(response: HttpResponse, language: str) -> HttpResponse:
    """``response``, setting the language cookie (a year; JavaScript may read it) so that the next pages
    come in ``language``."""
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=365 * 24 * 3600,
        samesite="Lax",
        secure=settings.HTTPS,
        httponly=False,
    )
    return response


def flash_refusal(request, exc: Exception) -> None:
    """Flash what an action refused: each message of a ``ValidationError``, or the refusal's text."""
    if isinstance(exc, ValidationError):
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.error(request, str(exc))


def act(
    request, action, success: str | None = None, *, refusals: tuple[type[Exception], ...] = REFUSALS, **kwargs
) -> bool:
    """Run ``action`` as the user; flash ``success``, or what it refused (an error of ``refusals``; anything
    else, such as a 403 the view should answer as such, goes on up). True when it succeeded."""
    try:
        action(actor=request.user, **kwargs)
    except refusals as exc:
        flash_refusal(request, exc)
        return False
    if success:
        messages.success(request, str(success))  # a lazy message, in the request's language
    return True


def post_form(
    request, form, action, *, success: str | None = None, invalid: str | None = None, **kwargs
) -> bool:
    """:func:`act` with a bound form's cleaned data; when the form does not validate, flash ``invalid`` (by
    default, the form's own errors)."""
    if not form.is_valid():
        if invalid is None:
            flash_form_errors(request, form)
        else:
            messages.error(request, str(invalid))  # a lazy message, in the request's language
        return False
    return act(request, action, success, **kwargs, **form.cleaned_data)


def object_action(
    lookup: Callable[[Any, int], M],
    action: Callable[..., Any],
    name: str,
    *,
    form: Callable[..., Any] | None = None,
    posted: tuple[str, ...] = (),
    success: str | Callable[[M], str] | None = None,
    invalid: str | None = None,
    back: str | Callable[[M], Any] | None = None,
    refusals: tuple[type[Exception], ...] = REFUSALS,
) -> Callable[..., HttpResponse]:
    """The view behind a button on an object's page (signed in, POST only, else 405).

    ``lookup(request, pk)`` finds the object as the user may see it (a 404 when they may not). ``action``
    runs as the user with the object as its argument ``name``, and with the cleaned data of ``form``
    (bound to the POST and its files; when it does not validate, :func:`post_form` flashes ``invalid``)
    or with the ``posted`` fields ("" when missing). It flashes ``success`` (a message, or a function of
    the object that writes it), or what the action refused (an error of ``refusals``; anything else goes
    on up), and goes back to the object's page, or to ``back``: a URL name, or a function of the object.
    Messages given here are lazy (``gettext_lazy``): each request reads them in its own language."""

    @login_required
    @require_POST
    def view(request, pk: int) -> HttpResponse:
        obj = lookup(request, pk)
        arguments = {name: obj, **{field: request.POST.get(field, "") for field in posted}}
        said = success(obj) if callable(success) else success  # before the action, which may delete it
        if form is None:
            act(request, action, said, refusals=refusals, **arguments)
        else:
            bound = form(request.POST, request.FILES)
            post_form(request, bound, action, success=said, invalid=invalid, refusals=refusals, **arguments)
        if back is None:
            return redirect(obj)
        return redirect(back if isinstance(back, str) else back(obj))

    return view


def run_form(form, action, **kwargs):
    """Run ``action`` with the form's cleaned data; put what it refuses on the form. The result, or None."""
    try:
        return action(**kwargs, **form.cleaned_data)
    except REFUSALS as exc:
        add_errors(form, exc)
    return None
