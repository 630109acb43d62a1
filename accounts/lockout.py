"""Login throttling with django-axes: how a sign-in is named, how a lockout looks, and the second-factor step.

One e-mail address from one IP address gets AXES_FAILURE_LIMIT tries (wrong passwords and wrong second-factor
codes alike), then waits AXES_COOLOFF_TIME. The sign-in form, the code step and the API token endpoint all count.
"""

from axes.handlers.proxy import AxesProxyHandler
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.signals import user_login_failed
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import ngettext


def get_username(request, credentials: dict | None) -> str | None:
    """AXES_USERNAME_CALLABLE: the e-mail address tried, lowercased, so "Ann@X.com" and "ann@x.com" count together."""
    username = (credentials or {}).get("username")
    if username is None and request is not None:
        username = getattr(request, "data", request.POST).get("username")
    if not isinstance(username, str):
        return None
    return username.strip().lower() or None


def lockout_message() -> str:
    minutes = max(1, int(settings.AXES_COOLOFF_TIME.total_seconds() // 60))
    return ngettext(
        "Too many failed sign-in attempts. For your security, signing in with this e-mail address from this "
        "network is paused for %(minutes)d minute. Please try again later, or ask an administrator to unlock it.",
        "Too many failed sign-in attempts. For your security, signing in with this e-mail address from this "
        "network is paused for %(minutes)d minutes. Please try again later, or ask an administrator to unlock it.",
        minutes,
    ) % {"minutes": minutes}


def lockout_response(request: HttpRequest, original_response=None, credentials: dict | None = None) -> HttpResponse:
    """AXES_LOCKOUT_CALLABLE: the sign-in page with the reason (429), or a JSON error for the API."""
    retry_after = str(int(settings.AXES_COOLOFF_TIME.total_seconds()))
    if request.path.startswith("/api/"):
        response = JsonResponse({"detail": lockout_message()}, status=429)
    else:
        context = {"form": AuthenticationForm(request), "locked_out": lockout_message(), "next": ""}
        response = render(request, "accounts/login.html", context, status=429)
    response["Retry-After"] = retry_after
    return response


def is_locked_out(request: HttpRequest, *, username: str) -> bool:
    """True while this e-mail address is locked out from this request's IP address."""
    if not settings.AXES_ENABLED:
        return False
    return not AxesProxyHandler.is_allowed(request, {"username": username})


def record_failed_code(request: HttpRequest, *, username: str) -> bool:
    """Count a wrong second-factor code like a wrong password; True when it locked the sign-in out."""
    user_login_failed.send(sender=__name__, credentials={"username": username}, request=request)
    return bool(getattr(request, "axes_locked_out", False))
