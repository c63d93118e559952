from django.utils.functional import SimpleLazyObject


def notices(request):
    """The unread count in the header, counted only when a page shows it."""
    user = getattr(request, "user", None)

    def unread() -> int:
        from .models import Notice

        if user is None or not user.is_authenticated:
            return 0
        return Notice.objects.for_user(user).unread().count()

    return {"UNREAD_NOTICES": SimpleLazyObject(unread)}
