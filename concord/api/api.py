"""The JSON API at /api/ (Django Ninja). OpenAPI at /api/openapi.json, docs at /api/docs."""

from __future__ import annotations

from ninja import NinjaAPI

from concord.accounts import api as accounts_api
from concord.audit import api as audit_api
from concord.commitments import api as commitments_api
from concord.core import api as core_api
from concord.directory import api as directory_api
from concord.harmonize import api as harmonize_api
from concord.knowledge import api as knowledge_api
from concord.library import api as library_api
from concord.minutes import api as minutes_api
from concord.notices import api as notices_api
from concord.programmes import api as programmes_api
from concord.reporting import api as reporting_api
from concord.secretariat import api as secretariat_api
from concord.talent import api as talent_api

from . import errors
from .parser import StrictJSONParser


def build_api() -> NinjaAPI:
    api = NinjaAPI(
        title="Concord API",
        version="1",
        description=(
            "The API of Concord, the platform of a bilateral digital-policy dialogue. Authenticate with a "
            "personal access token (`Authorization: Bearer cnc_…`, created under Settings) or the browser "
            'session. Errors always have the shape `{"error": {"code", "message", "details"}}`. Lists are '
            "paginated with `page` and `page_size`."
        ),
        urls_namespace="api",
        parser=StrictJSONParser(),
    )
    errors.install(api)
    api.add_router("/", accounts_api.router)
    api.add_router("/", core_api.router)
    api.add_router("/", audit_api.router)
    api.add_router("/", library_api.router)
    api.add_router("/", secretariat_api.router)
    api.add_router("/", commitments_api.router)
    api.add_router("/", reporting_api.router)
    api.add_router("/", minutes_api.router)
    api.add_router("/", harmonize_api.router)
    api.add_router("/", directory_api.router)
    api.add_router("/", knowledge_api.router)
    api.add_router("/", talent_api.router)
    api.add_router("/", programmes_api.router)
    api.add_router("/", notices_api.router)
    return api


api = build_api()
