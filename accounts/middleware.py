"""Activates the signed-in user's own language and time zone for each request; holds administrators to a
second factor when REQUIRE_ADMIN_2FA is on."""

import zoneinfo

from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.http import JsonResponse
from django.shortcuts import redirect
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from .selectors import has_two_factor


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


# Pages an administrator may open before the second factor is set up (or proven): set it up, or leave.
TWO_FACTOR_EXEMPT_VIEWS = {
    "accounts:two_factor_setup",
    "accounts:login",
    "accounts:login_code",
    "accounts:logout",
    "accounts:set_language",
    "healthz",
}


class RequireAdminTwoFactorMiddleware:
    """With REQUIRE_ADMIN_2FA on, an administrator's session must have proven a second factor.

    One without an authenticator key is sent to set one up before anything else (the Django admin included);
    one whose session predates their key signs in again, with the code. Others are not concerned.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if not settings.REQUIRE_ADMIN_2FA:
            return None
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or not user.is_admin or user.is_verified():
            return None
        if request.resolver_match.view_name in TWO_FACTOR_EXEMPT_VIEWS:
            return None
        if request.path.startswith("/api/"):
            return JsonResponse(
                {"detail": _("Administrators must sign in with two-factor authentication.")}, status=403
            )
        if has_two_factor(user):
            logout(request)
            return redirect_to_login(request.get_full_path())
        return redirect("accounts:two_factor_setup")
