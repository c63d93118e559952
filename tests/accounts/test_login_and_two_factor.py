"""Signing in, rate limiting, two-factor authentication and personal access tokens."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from concord.accounts import actions
from concord.accounts.models import AccessToken
from concord.audit.models import AuditEntry
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


def _login(client, email, password=PASSWORD, **extra):
    return client.post("/accounts/login/", {"username": email, "password": password, **extra})


def _code(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def test_a_delegate_signs_in_by_email_and_lands_on_their_dashboard(personas, client, settings):
    settings.CONCORD_REQUIRE_2FA = False
    response = _login(client, "delegate_my@test.example")
    assert response.status_code == 302
    page = client.get("/")
    assert b"Your delegation" in page.content
    assert AuditEntry.objects.filter(action="auth.login", actor=personas.delegate_my).exists()


def test_email_is_case_insensitive(personas, client, settings):
    settings.CONCORD_REQUIRE_2FA = False
    assert _login(client, "Delegate_MY@Test.Example").status_code == 302


def test_a_wrong_password_is_refused_with_a_clear_message_and_audited(personas, client):
    response = _login(client, "delegate_my@test.example", "wrong-password-123")
    assert response.status_code == 400
    assert b"email address or password is not right" in response.content
    assert AuditEntry.objects.filter(
        action="auth.login_failed", object_repr="delegate_my@test.example"
    ).exists()


def test_repeated_failures_lock_the_account_out(personas, client, settings):
    settings.AXES_FAILURE_LIMIT = 3
    for _ in range(3):
        _login(client, "analyst_pk@test.example", "wrong-password-123")
    response = _login(client, "analyst_pk@test.example")  # even the right password
    assert response.status_code == 429
    assert b"Too many attempts" in response.content


def test_the_next_parameter_cannot_send_people_to_another_site(personas, client, settings):
    settings.CONCORD_REQUIRE_2FA = False
    response = _login(client, "observer@test.example", next="https://evil.example/")
    assert response["Location"] == "/"


def test_delegates_must_enrol_and_verify_a_second_factor(personas, client, settings):
    settings.CONCORD_REQUIRE_2FA = True
    settings.OTP_TOTP_THROTTLE_FACTOR = 0  # no back-off after the deliberate wrong code
    response = _login(client, "delegate_pk@test.example")
    assert response["Location"].startswith("/accounts/2fa/")
    # Any other page sends them back to the second factor.
    assert client.get("/notes/")["Location"].startswith("/accounts/2fa/")
    enrol = client.get("/accounts/2fa/")
    assert enrol.status_code == 200 and b"<svg" in enrol.content  # the QR code
    device = TOTPDevice.objects.get(user=personas.delegate_pk, confirmed=False)
    assert client.post("/accounts/2fa/", {"otp_token": "000000"}).status_code == 400
    response = client.post("/accounts/2fa/", {"otp_token": _code(device)})
    assert response.status_code == 302
    device.refresh_from_db()
    assert device.confirmed
    assert client.get("/notes/").status_code == 200
    assert AuditEntry.objects.filter(action="2fa.enrol_confirm", actor=personas.delegate_pk).exists()


def test_observers_and_stakeholders_are_not_forced_into_two_factor(personas, client, settings):
    settings.CONCORD_REQUIRE_2FA = True
    response = _login(client, "observer@test.example")
    assert response["Location"] == "/"
    assert client.get("/notes/").status_code == 200


def test_an_unverified_session_cannot_use_the_api(personas, client, settings):
    settings.CONCORD_REQUIRE_2FA = True
    _login(client, "secretariat@test.example")
    response = client.get("/api/me")
    assert response.status_code in (401, 403)
    assert "error" in response.json()


def test_logout_needs_a_post_and_is_audited(personas, as_user):
    client = as_user(personas.observer)
    assert client.get("/accounts/logout/").status_code == 405
    assert client.post("/accounts/logout/").status_code == 302
    assert AuditEntry.objects.filter(action="auth.logout").exists()


def test_tokens_are_stored_hashed_and_shown_once(personas):
    token, key = actions.do_create_token(actor=personas.analyst_my, name="script")
    assert key.startswith("cnc_") and len(key) > 40
    assert token.key_hash != key and key not in token.key_hash
    assert AccessToken.objects.for_key(key) == token
    entry = AuditEntry.objects.get(action="token.create")
    assert key not in str(entry.after)


def test_a_token_authenticates_the_api(personas, client):
    _token, key = actions.do_create_token(actor=personas.analyst_my, name="script")
    response = client.get("/api/me", HTTP_AUTHORIZATION=f"Bearer {key}")
    assert response.status_code == 200
    assert response.json()["email"] == "analyst_my@test.example"


@pytest.mark.parametrize("state", ["expired", "revoked", "unknown"])
def test_dead_tokens_get_a_clear_401(personas, client, state):
    token, key = actions.do_create_token(actor=personas.analyst_my, name="script")
    if state == "expired":
        AccessToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - timedelta(minutes=1))
    elif state == "revoked":
        actions.do_revoke_token(actor=personas.analyst_my, token=token)
    else:
        key = "cnc_" + "x" * 43
    for path in ("/api/me", "/api/notes"):
        response = client.get(path, HTTP_AUTHORIZATION=f"Bearer {key}")
        assert response.status_code == 401, path
        assert response.json()["error"]["code"] == "bad_token"


def test_people_manage_only_their_own_tokens(personas, client):
    token, _key = actions.do_create_token(actor=personas.analyst_my, name="mine")
    client.force_login(personas.analyst_pk)
    assert client.post(f"/accounts/tokens/{token.pk}/revoke/").status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None


def test_settings_page_creates_a_token_and_shows_it_once(personas, as_user):
    client = as_user(personas.analyst_my)
    response = client.post("/accounts/settings/", {"form": "token", "name": "reporting", "days": 30})
    assert response.status_code == 200
    token = AccessToken.objects.get(user=personas.analyst_my)
    assert b"cnc_" in response.content
    again = client.get("/accounts/settings/")
    assert b"cnc_" + token.key_hint[4:].encode() in again.content  # the hint
    assert again.content.count(b"cnc_") == 1  # the hint only, never the secret


def test_password_policy_rejects_weak_passwords(personas, as_user):
    client = as_user(personas.observer)
    response = client.post(
        "/accounts/settings/", {"form": "password", "current": PASSWORD, "new": "password123"}
    )
    assert response.status_code == 400
    personas.observer.refresh_from_db()
    assert personas.observer.check_password(PASSWORD)


def test_language_switch_sets_cookie_and_remembers_the_preference(personas, as_user):
    client = as_user(personas.delegate_pk)
    response = client.post("/language/", {"language": "ur", "next": "/notes/"})
    assert response.status_code == 302 and response["Location"] == "/notes/"
    personas.delegate_pk.refresh_from_db()
    assert personas.delegate_pk.language == "ur"
    page = client.get("/notes/")
    assert b'dir="rtl"' in page.content and b'lang="ur"' in page.content


def test_unknown_language_is_refused(client, db):
    response = client.post("/language/", {"language": "xx"})
    assert response.status_code == 400
    assert b"Unsupported language" in response.content
