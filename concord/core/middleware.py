"""Removes NUL characters from query strings.

NUL is never meaningful in Concord's text, and PostgreSQL refuses it in text values. Stripping it at the
door keeps a stray %00 from turning a search into a database error deep inside a view.
"""

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
        return self.get_response(request)
