from django.conf import settings
from django.utils.translation import get_language, get_language_bidi


def concord(request):
    return {
        "LANGUAGE_CHOICES": settings.LANGUAGES,
        "CURRENT_LANGUAGE": get_language(),
        "TEXT_DIRECTION": "rtl" if get_language_bidi() else "ltr",
        "IS_SECRETARIAT": _is_secretariat(request),
    }


def _is_secretariat(request) -> bool:
    from .rules import is_secretariat

    user = getattr(request, "user", None)
    return bool(user is not None and user.is_authenticated and is_secretariat(user))
