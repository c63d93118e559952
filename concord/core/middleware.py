"""Removes NUL characters from query strings and from the pages' URL-encoded form bodies.

NUL is never meaningful in Concord's text, and PostgreSQL refuses it in text values. Stripping it at the
door keeps a stray %00 from turning a search, or a form's lookup of a party by its code, into a database
error deep inside a view. JSON bodies are left as they were sent, because the API validates them against
its published schema (a string's length counts its NULs); the API's lookups drop NUL themselves
(`concord.api.lookups.no_nul`), and stored text is cleaned where it is stored (`concord.core.text`).
"""

from django.core.exceptions import RequestDataTooBig
from django.http import QueryDict


class StripNulMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "%00" in request.META.get("QUERY_STRING", "") or any("\x00" in k for k in request.GET):
            cleaned = QueryDict(mutable=True)
            for key, values in request.GET.lists():
                cleaned.setlist(key.replace("\x00", ""), [v.replace("\x00", "") for v in values])
            cleaned._mutable = False
            request.GET = cleaned
        if request.method in ("POST", "PUT", "PATCH"):
            _strip_body(request)
        return self.get_response(request)


def _strip_body(request) -> None:
    """Take NUL out of a URL-encoded body before anything parses it (a multipart body, which carries
    files, is left alone, and so is JSON: see the module docstring)."""
    kind = request.META.get("CONTENT_TYPE", "").split(";")[0].strip().lower()
    if kind != "application/x-www-form-urlencoded":
        return
    try:
        body = request.body
    except RequestDataTooBig:
        return  # refused where the body is read, in the form's own words
    if b"%00" in body or b"\x00" in body:
        request._body = body.replace(b"%00", b"").replace(b"\x00", b"")
