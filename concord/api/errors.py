"""One error shape for the whole API: ``{"error": {"code", "message", "details"}}``."""

import json
import logging
from collections.abc import Callable
from typing import Any

from django.core.exceptions import PermissionDenied, RequestDataTooBig, SuspiciousOperation
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.http.multipartparser import MultiPartParserError
from django.utils.translation import gettext as _
from ninja import Schema
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError

from concord.engine.errors import EngineError

log = logging.getLogger(__name__)


class ErrorBody(Schema):
    code: str
    message: str
    details: list | dict | None = None


class Error(Schema):
    error: ErrorBody


# The error answers every operation may give, for ``response={200: Out, **ERRORS}``.
ERRORS = {400: Error, 401: Error, 403: Error, 404: Error, 422: Error}


def error(api, request, status: int, code: str, message: str, details=None):
    return api.create_response(
        request, {"error": {"code": code, "message": message, "details": details}}, status=status
    )


def _clean_details(errors: list) -> list:
    cleaned = []
    for e in errors:
        item = {"loc": [str(p) for p in e.get("loc", [])], "msg": e.get("msg", ""), "type": e.get("type", "")}
        cleaned.append(item)
    return cleaned


# Each handler reads an exception and says (status, code, message, details).
Answer = tuple[int, str, str, Any]


def _on_validation(request, exc: NinjaValidationError) -> Answer:
    details = _clean_details(exc.errors)
    if any(d["type"] == "json_invalid" or "JSON" in d["msg"] for d in details):
        return 400, "malformed_json", _("The request body is not valid JSON."), details
    return 422, "invalid", _("Some fields are missing or have the wrong type."), details


def _on_django_validation(request, exc: DjangoValidationError) -> Answer:
    details = exc.message_dict if hasattr(exc, "error_dict") else exc.messages
    return 400, "invalid", "; ".join(exc.messages), details


def _on_auth(request, exc: AuthenticationError) -> Answer:
    if getattr(request, "concord_bad_token", False):
        return 401, "bad_token", _("This access token is unknown, revoked or expired."), None
    return (
        401,
        "unauthenticated",
        _("Sign in, or send a personal access token as 'Authorization: Bearer …'."),
        None,
    )


HTTP_CODES = {
    401: "unauthenticated",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    429: "rate_limited",
}


def _on_http(request, exc: HttpError) -> Answer:
    message = str(exc)
    if exc.status_code == 400 and "parse" in message.lower():
        why = getattr(request, "concord_body_error", None) or message  # left by parser.StrictJSONParser
        return 400, "malformed_json", _("The request body could not be read: %(why)s") % {"why": why}, None
    return exc.status_code, HTTP_CODES.get(exc.status_code, "error"), message, None


def _on_unexpected(request, exc: Exception) -> Answer:
    log.exception("API error on %s", request.path)
    return 500, "server_error", _("Something went wrong on our side; it has been logged."), None


HANDLERS: list[tuple[type[Exception], Callable[[Any, Any], Answer]]] = [
    (NinjaValidationError, _on_validation),
    (DjangoValidationError, _on_django_validation),
    (AuthenticationError, _on_auth),
    (PermissionDenied, lambda request, exc: (403, "forbidden", str(exc) or _("You may not do this."), None)),
    (Http404, lambda request, exc: (404, "not_found", str(exc) or _("Not found."), None)),
    (EngineError, lambda request, exc: (400, exc.code, exc.message, None)),
    (HttpError, _on_http),
    # e.g. "multipart/form-data" without a boundary: Django cannot split the body into fields.
    (
        MultiPartParserError,
        lambda request, exc: (
            400,
            "malformed_multipart",
            _("The body is not well-formed multipart/form-data (%(why)s).") % {"why": exc},
            None,
        ),
    ),
    # 400 rather than 413: every operation documents 400, and the message names the cause.
    (RequestDataTooBig, lambda request, exc: (400, "too_large", _("The request body is too large."), None)),
    # Too many fields or files, a bad Host and the like: the request is refused, nothing went wrong here.
    (
        SuspiciousOperation,
        lambda request, exc: (400, "bad_request", _("The request was refused: %(why)s") % {"why": exc}, None),
    ),
    (
        json.JSONDecodeError,
        lambda request, exc: (
            400,
            "malformed_json",
            _("The request body is not valid JSON: %(why)s.") % {"why": exc.msg},
            None,
        ),
    ),
    (Exception, _on_unexpected),
]


def install(api) -> None:
    """Answer every exception of `HANDLERS` in the one error shape."""
    for exc_type, describe in HANDLERS:
        api.exception_handler(exc_type)(_answer(api, describe))


def _answer(api, describe: Callable[[Any, Any], Answer]):
    def handler(request, exc):
        status, code, message, details = describe(request, exc)
        return error(api, request, status, code, message, details)

    return handler
