"""API authentication: personal access tokens (Bearer), or the browser session with CSRF."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.utils import timezone
from ninja.security import HttpBearer, SessionAuth

from concord.accounts.models import AccessToken
from concord.core.dblocks import try_briefly


class TokenAuth(HttpBearer):
    """``Authorization: Bearer cnc_…``. Unknown, revoked and expired tokens are refused with 401."""

    def authenticate(self, request, token: str):
        found = AccessToken.objects.for_key(token)
        if found is None or not found.user.is_active:
            request.concord_bad_token = True
            return None
        # Touch last_used at most once a minute, without an audit entry (it is not a user's write), and
        # never at the read's expense: a busy database (a rebuild writing) skips it rather than wait or fail.
        now = timezone.now()
        if found.last_used_at is None or (now - found.last_used_at).total_seconds() > 60:
            try_briefly(
                lambda: AccessToken.objects.filter(pk=found.pk).update(last_used_at=now),
                what="recording token use",
            )
        request.user = found.user
        request.concord_token_auth = True
        return found.user


class VerifiedSessionAuth(SessionAuth):
    """The signed-in browser session; CSRF is checked for unsafe methods.

    A request that carries an ``Authorization`` header is decided by token authentication alone: a bad or
    revoked token on POST, PATCH or DELETE gets 401, not the CSRF check's 403 (which would send the caller
    looking for a CSRF token it never needed)."""

    def __call__(self, request):
        if getattr(request, "concord_bad_token", False) or request.headers.get("Authorization"):
            return None
        return super().__call__(request)

    def authenticate(self, request, key):
        user = super().authenticate(request, key)
        if user is None:
            return None
        from concord.accounts.rules import requires_two_factor

        if requires_two_factor(user) and not user.is_verified():
            return None
        return user


def anonymous(request):
    """Read-only endpoints also answer anonymous callers (they then see public content only)."""
    if getattr(request, "concord_bad_token", False):
        return None
    if request.headers.get("Authorization"):
        return None
    return AnonymousUser()


token_auth = TokenAuth()
session_auth = VerifiedSessionAuth()
AUTH = [token_auth, session_auth]
AUTH_OR_ANONYMOUS = [token_auth, session_auth, anonymous]

# OpenAPI: these operations also answer without credentials (an empty security requirement).
PUBLIC_READ = {"security": [{"TokenAuth": []}, {"VerifiedSessionAuth": []}, {}]}
