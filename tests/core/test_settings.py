"""Production settings: check --deploy is clean, a secret key is required outside debug, and the settings
are read from the environment alone (the same under pytest)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from concord.settings_test import TEST_ENVIRONMENT

ROOT = Path(__file__).resolve().parents[2]


def _production_env(**env) -> dict[str, str]:
    """This process's environment without the test suite's choices: what a production process sees."""
    drop = {*TEST_ENVIRONMENT, "DEBUG", "DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    base = {k: v for k, v in os.environ.items() if k not in drop}
    base.pop("PYTEST_CURRENT_TEST", None)
    return {**base, **env}


def _run(args, **env):
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=_production_env(**env),
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_is_clean_with_production_variables(tmp_path):
    result = _run(
        ["check", "--deploy", "--fail-level", "WARNING"],
        DEBUG="0",
        SECRET_KEY="a" * 20 + "production-secret-key-with-enough-entropy-9f8e7d6c",
        ALLOWED_HOSTS="concord.example.org",
        CONCORD_VAR_DIR=str(tmp_path),
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_a_secret_key_is_required_outside_debug(tmp_path):
    result = _run(["check"], DEBUG="0", CONCORD_VAR_DIR=str(tmp_path))
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


def test_debug_runs_without_a_secret_key(tmp_path):
    result = _run(["check"], DEBUG="1", CONCORD_VAR_DIR=str(tmp_path))
    assert result.returncode == 0, result.stderr


SHOW_SETTINGS = """
import json, os, sys
import pytest  # a process that has imported pytest gets the same settings as any other
import django
from django.conf import settings
django.setup()
print(json.dumps({
    "hashers": settings.PASSWORD_HASHERS[:1],
    "tasks": settings.TASKS["default"]["BACKEND"],
    "encoder": settings.CONCORD_ENCODER,
    "https": settings.HTTPS,
    "static": settings.STORAGES["staticfiles"]["BACKEND"],
    "finders": settings.WHITENOISE_USE_FINDERS,
}))
"""


def _settings_seen(**env) -> dict:
    result = subprocess.run(
        [sys.executable, "-c", SHOW_SETTINGS],
        cwd=ROOT,
        env=_production_env(DJANGO_SETTINGS_MODULE="concord.settings", **env),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_settings_do_not_change_when_pytest_is_imported(tmp_path):
    seen = _settings_seen(SECRET_KEY="s" * 60, CONCORD_VAR_DIR=str(tmp_path))
    assert seen == {
        "hashers": ["django.contrib.auth.hashers.PBKDF2PasswordHasher"],
        "tasks": "django_tasks_db.DatabaseBackend",
        "encoder": "e5",
        "https": True,
        "static": "whitenoise.storage.CompressedManifestStaticFilesStorage",
        "finders": False,
    }


def test_the_test_environment_is_chosen_through_variables(tmp_path):
    seen = _settings_seen(CONCORD_VAR_DIR=str(tmp_path), **TEST_ENVIRONMENT)
    assert seen == {
        "hashers": ["django.contrib.auth.hashers.MD5PasswordHasher"],
        "tasks": "django_tasks.backends.immediate.ImmediateBackend",
        "encoder": "hashing",
        "https": False,
        "static": "django.contrib.staticfiles.storage.StaticFilesStorage",
        "finders": True,
    }


def test_an_unknown_task_backend_is_refused_by_name(tmp_path):
    result = _run(["check"], DEBUG="1", CONCORD_VAR_DIR=str(tmp_path), CONCORD_TASKS_BACKEND="redis")
    assert result.returncode != 0
    assert "CONCORD_TASKS_BACKEND='redis' is not a task backend: use one of database, immediate" in (
        result.stderr
    )


def test_security_headers_are_sent(client, db):
    response = client.get("/")
    csp = response["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "script-src 'self'" in csp and "frame-ancestors 'none'" in csp
    assert "unsafe-inline" not in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_no_asset_is_loaded_from_the_internet(client, db):
    import re

    for path in ("/", "/accounts/login/", "/api/docs"):
        html = client.get(path).content.decode()
        external = re.findall(r'(?:src|href)="(https?://[^"]+)"', html)
        assert not [u for u in external if "/static/" in u or u.endswith((".js", ".css"))], (path, external)
        assert "cdn." not in html, path
