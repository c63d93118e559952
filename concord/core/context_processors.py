from django.conf import settings
from django.utils.translation import get_language, get_language_bidi


def concord(request):
    can_see_queue = _can_see_queue(request)
    return {
        "LANGUAGE_CHOICES": settings.LANGUAGES,
        "CURRENT_LANGUAGE": get_language(),
        "TEXT_DIRECTION": "rtl" if get_language_bidi() else "ltr",
        "IS_SECRETARIAT": _is_secretariat(request),
        "CAN_SEE_QUEUE": can_see_queue,
        # Those who keep the site running learn at once when queued work waits and no worker lives.
        "BACKGROUND_WORK_STOPPED": can_see_queue and _background_work_stopped(),
    }


def _is_secretariat(request) -> bool:
    from .rules import is_secretariat

    user = getattr(request, "user", None)
    return bool(user is not None and user.is_authenticated and is_secretariat(user))


def _can_see_queue(request) -> bool:
    from .rules import can_view_queue_health

    return can_view_queue_health(getattr(request, "user", None))


def _background_work_stopped() -> bool:
    from .leases import background_work_stopped

    return background_work_stopped()
