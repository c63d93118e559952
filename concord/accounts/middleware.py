"""Sends secretariat members and delegates through two-factor authentication before anything else."""

from django.shortcuts import redirect
from django.urls import reverse

from .rules import requires_two_factor

EXEMPT_PREFIXES = ("/accounts/", "/static/", "/i18n/", "/language/", "/healthz")


class RequireTwoFactorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        path = request.path_info
        if (
            user is not None
            and user.is_authenticated
            and not path.startswith(EXEMPT_PREFIXES)
            and not getattr(request, "concord_token_auth", False)
            and not user.is_verified()
            and requires_two_factor(user)
        ):
            if path.startswith("/api/"):
                from django.http import JsonResponse

                return JsonResponse(
                    {
                        "error": {
                            "code": "two_factor_required",
                            "message": "Complete two-factor authentication in the web app, "
                            "or use a personal access token.",
                        }
                    },
                    status=403,
                )
            return redirect(f"{reverse('accounts:two_factor')}?next={request.get_full_path()}")
        return self.get_response(request)
