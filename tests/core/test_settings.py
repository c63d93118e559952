"""Production settings: check --deploy is clean, and a secret key is required outside debug."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _run(args, **env):
    drop = ("SECRET_KEY", "DEBUG", "DJANGO_SETTINGS_MODULE", "HTTPS", "DJANGO_ALLOW_ASYNC_UNSAFE")
    base = {k: v for k, v in os.environ.items() if k not in drop}
    base.pop("PYTEST_CURRENT_TEST", None)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**base, **env},
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
