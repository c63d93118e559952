"""The API's JSON body parser: strict JSON, and a body must be an object.

Python's ``json`` reads ``NaN`` and ``Infinity``, which are not JSON and which no field of ours can hold; and
every operation's body is an object, so an array, a string or a number at the top is the caller's mistake.
Either is answered with a 400 naming the problem (``errors.on_http`` reads the reason left on the request).
"""

from __future__ import annotations

import json

from django.utils.translation import gettext as _
from ninja.parser import Parser


class BodyNotAccepted(ValueError):
    """Why a body was refused, in the reader's language."""


def _refuse_constant(name: str):
    raise BodyNotAccepted(_("%(value)s is not a JSON value; send a number or null.") % {"value": name})


class StrictJSONParser(Parser):
    def parse_body(self, request):
        try:
            data = json.loads(request.body, parse_constant=_refuse_constant)
        except BodyNotAccepted as exc:
            request.concord_body_error = str(exc)
            raise
        except (json.JSONDecodeError, UnicodeDecodeError) as exc:
            request.concord_body_error = _("the body is not valid JSON (%(why)s).") % {"why": exc}
            raise
        if not isinstance(data, dict):
            request.concord_body_error = _("the body must be a JSON object ({…}), not %(kind)s.") % {
                "kind": _json_kind(data)
            }
            raise BodyNotAccepted(request.concord_body_error)
        return data


def _json_kind(value) -> str:
    if isinstance(value, list):
        return _("an array")
    if isinstance(value, str):
        return _("a string")
    if isinstance(value, bool):
        return _("a boolean")
    if value is None:
        return "null"
    return _("a number")
