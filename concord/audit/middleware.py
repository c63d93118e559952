"""Carries the request's IP address and channel (web or API) to `audit.log.record`."""

from .log import AuditContext, reset_context, set_context


def client_ip(request) -> str | None:
    # REMOTE_ADDR only: X-Forwarded-For is trivially forged unless a trusted proxy rewrites it.
    return request.META.get("REMOTE_ADDR") or None


class AuditContextMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        path = request.path_info
        via = "api" if path.startswith("/api/") else "admin" if path.startswith("/admin/") else "web"
        token = set_context(AuditContext(ip_address=client_ip(request), via=via))
        try:
            return self.get_response(request)
        finally:
            reset_context(token)
