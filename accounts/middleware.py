"""Activates the signed-in user's own language and time zone for each request."""

import zoneinfo

from django.utils import timezone, translation


def activate_user_preferences(request, user) -> None:
    """The saved profile beats the browser's Accept-Language: a Lithuanian manager on a
    borrowed laptop still gets Lithuanian. Used by this middleware and by API token auth."""
    translation.activate(user.language)
    request.LANGUAGE_CODE = user.language
    try:
        timezone.activate(zoneinfo.ZoneInfo(user.time_zone))
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        timezone.deactivate()


class UserPreferencesMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            activate_user_preferences(request, user)
        try:
            return self.get_response(request)
        finally:
            # The thread serves other people next: an anonymous page must not inherit this user's zone
            # (the language needs no reset: LocaleMiddleware sets it on every request).
            timezone.deactivate()
