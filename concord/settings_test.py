"""The environment the test suite runs in. The settings themselves are `concord.settings`, read from it.

pytest loads this module first (``DJANGO_SETTINGS_MODULE`` in ``pyproject.toml``), before Django starts.
A variable already set wins, so a run can still choose e.g. ``DATABASE_URL`` or ``CONCORD_ENCODER=e5``;
processes that the tests start inherit the same environment.
"""

from __future__ import annotations

import os

TEST_ENVIRONMENT = {
    "SECRET_KEY": "insecure-test-key-never-use-in-production-0123456789abcdef",
    "HTTPS": "0",  # the test client speaks plain HTTP
    # Hashing strength is not under test; a fast hasher keeps hundreds of persona logins quick.
    "PASSWORD_HASHERS": "django.contrib.auth.hashers.MD5PasswordHasher",
    "CONCORD_STATIC_FROM_SOURCE": "1",  # no collectstatic before a test run
    "CONCORD_TASKS_BACKEND": "immediate",  # a queued task has run when the call returns
    "CONCORD_ENCODER": "hashing",  # deterministic and fast; tests of the real model ask for it
}

for _name, _value in TEST_ENVIRONMENT.items():
    os.environ.setdefault(_name, _value)

from concord.settings import *  # noqa: E402, F403
