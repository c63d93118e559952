"""One error shape for the whole API: ``{"error": {"code", "message", "details"}}``."""

import json
import logging

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


def install(api) -> None:
    @api.exception_handler(NinjaValidationError)
    def on_validation(request, exc):
        details = _clean_details(exc.errors)
        if any(d["type"] == "json_invalid" or "JSON" in d["msg"] for d in details):
            return error(
                api, request, 400, "malformed_json", _("The request body is not valid JSON."), details
            )
        return error(
            api, request, 422, "invalid", _("Some fields are missing or have the wrong type."), details
        )

    @api.exception_handler(DjangoValidationError)
    def on_django_validation(request, exc):
        details = exc.message_dict if hasattr(exc, "error_dict") else exc.messages
        return error(api, request, 400, "invalid", "; ".join(exc.messages), details)

    @api.exception_handler(AuthenticationError)
    def on_auth(request, exc):
        if getattr(request, "concord_bad_token", False):
            return error(
                api, request, 401, "bad_token", _("This access token is unknown, revoked or expired.")
            )
        return error(
            api,
            request,
            401,
            "unauthenticated",
            _("Sign in, or send a personal access token as 'Authorization: Bearer …'."),
        )

    @api.exception_handler(PermissionDenied)
    def on_forbidden(request, exc):
        return error(api, request, 403, "forbidden", str(exc) or _("You may not do this."))

    @api.exception_handler(Http404)
    def on_not_found(request, exc):
        return error(api, request, 404, "not_found", str(exc) or _("Not found."))

    @api.exception_handler(EngineError)
    def on_engine(request, exc):
        return error(api, request, 400, exc.code, exc.message)

    @api.exception_handler(HttpError)
    def on_http(request, exc):
        message = str(exc)
        if exc.status_code == 400 and "parse" in message.lower():
            why = getattr(request, "concord_body_error", None) or message  # left by parser.StrictJSONParser
            return error(
                api,
                request,
                400,
                "malformed_json",
                _("The request body could not be read: %(why)s") % {"why": why},
            )
        codes = {
            401: "unauthenticated",
            403: "forbidden",
            404: "not_found",
            405: "method_not_allowed",
            429: "rate_limited",
        }
        return error(api, request, exc.status_code, codes.get(exc.status_code, "error"), message)

    @api.exception_handler(MultiPartParserError)
    def on_multipart(request, exc):
        # e.g. "multipart/form-data" without a boundary: Django cannot split the body into fields.
        return error(
            api,
            request,
            400,
            "malformed_multipart",
            _("The body is not well-formed multipart/form-data (%(why)s).") % {"why": exc},
        )

    @api.exception_handler(RequestDataTooBig)
    def on_too_big(request, exc):
        # 400 rather than 413: every operation documents 400, and the message names the cause.
        return error(api, request, 400, "too_large", _("The request body is too large."))

    @api.exception_handler(SuspiciousOperation)
    def on_suspicious(request, exc):
        # Too many fields or files, a bad Host and the like: the request is refused, nothing went wrong here.
        return error(api, request, 400, "bad_request", _("The request was refused: %(why)s") % {"why": exc})

    @api.exception_handler(json.JSONDecodeError)
    def on_json(request, exc):
        return error(
            api,
            request,
            400,
            "malformed_json",
            _("The request body is not valid JSON: %(why)s.") % {"why": exc.msg},
        )

    @api.exception_handler(Exception)
    def on_unexpected(request, exc):
        log.exception("API error on %s", request.path)
        return error(
            api, request, 500, "server_error", _("Something went wrong on our side; it has been logged.")
        )
