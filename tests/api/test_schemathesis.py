"""Property-based fuzzing of the whole API from its OpenAPI schema: no input may cause a server error,
and every response must match what the schema declares (status codes, shapes)."""

from __future__ import annotations

import pytest
import schemathesis
from django.core import signals
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi.checks import negative_data_rejection, positive_data_acceptance

from concord.wsgi import application

# Business rules (unique names, who may write what) rightly refuse some schema-valid requests with a
# documented 4xx; every other check, server errors first, stays on.
EXCLUDED = [positive_data_acceptance]


def _excluded(case) -> list:
    """Multipart form fields arrive as strings (a form boolean reads "0"/"1"); JSON bodies stay strict."""
    if (getattr(case, "media_type", None) or "").startswith("multipart/"):
        return [*EXCLUDED, negative_data_rejection]
    return EXCLUDED


schema = schemathesis.openapi.from_wsgi("/api/openapi.json", application)

FUZZ = settings(
    max_examples=20,
    deadline=None,
    derandomize=True,
    suppress_health_check=[
        HealthCheck.too_slow,
        HealthCheck.filter_too_much,
        HealthCheck.function_scoped_fixture,
    ],
)


@pytest.fixture
def keep_test_connection():
    """In-process WSGI calls would close the test's database connection (fatal on PostgreSQL)."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def token(personas, settings):
    from concord.accounts import actions

    settings.CONCORD_REQUIRE_2FA = False
    _token, key = actions.do_create_token(actor=personas.secretariat, name="fuzz")
    return key


@pytest.mark.django_db
@schema.parametrize()
@FUZZ
def test_api_as_the_secretariat(case, token, keep_test_connection):
    case.call_and_validate(headers={"Authorization": f"Bearer {token}"}, excluded_checks=_excluded(case))


@pytest.mark.django_db
@schema.include(method="GET").parametrize()
@FUZZ
def test_api_anonymously(case, personas, keep_test_connection):
    case.call_and_validate(excluded_checks=_excluded(case))
