"""The header bell's unread count, on every page of a signed-in user."""

from django.utils.functional import SimpleLazyObject

from .inbox import count_unread_notifications


def notifications(request):
    """`unread_notifications`, counted lazily: only a page that shows the bell pays its one query."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"unread_notifications": SimpleLazyObject(lambda: count_unread_notifications(user))}
