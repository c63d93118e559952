"""The API's answers at the door, always in its JSON error shape.

- A URL longer than ``MAX_URL`` (path and query string) under ``/api/`` gets a JSON 414 before any other
  work. ``concord serve`` starts gunicorn with ``--limit-request-line 0`` so that such a request reaches the
  app instead of gunicorn's own HTML refusal (gunicorn still stops request lines over 1 MiB).
- An ``/api/...`` path that names no operation gets a JSON 404, not the site's HTML page.
"""

from __future__ import annotations

from django.http import JsonResponse
from django.utils import translation
from django.utils.translation import gettext as _

MAX_URL = 64 * 1024
API_PREFIX = "/api/"


def _is_api(request) -> bool:
    return request.path_info.startswith(API_PREFIX) or request.path_info == API_PREFIX.rstrip("/")


def api_error(status: int, code: str, message: str) -> JsonResponse:
    return JsonResponse({"error": {"code": code, "message": message, "details": None}}, status=status)


class ApiEdgeMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not _is_api(request):
            return self.get_response(request)
        length = len(request.path_info) + len(request.META.get("QUERY_STRING", ""))
        if length > MAX_URL:
            with translation.override(translation.get_language_from_request(request)):
                return api_error(
                    414,
                    "url_too_long",
                    _("The URL is %(length)d characters long; the API reads at most %(limit)d.")
                    % {"length": length, "limit": MAX_URL},
                )
        response = self.get_response(request)
        if response.status_code == 404 and not response.get("Content-Type", "").startswith(
            "application/json"
        ):
            with translation.override(translation.get_language_from_request(request)):
                return api_error(
                    404,
                    "not_found",
                    _("There is no API operation at %(path)s; the operations are listed at /api/docs.")
                    % {"path": request.path_info[:200]},
                )
        return response
