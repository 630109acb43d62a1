"""One rate limit for every page anyone can open without signing in (PUBLIC_RATE_LIMIT requests per IP address).

Counted in the cache (Redis in production, so all web workers share the counts), per page: a busy survey day
does not use up the calendar feed's allowance.
"""

from collections.abc import Callable
from functools import wraps

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django_ratelimit import ALL
from django_ratelimit.core import is_ratelimited


def _rate(group, request) -> str:
    # Read per request, not at import: a changed setting applies without reloading any module.
    return settings.PUBLIC_RATE_LIMIT


def is_over_public_limit(request: HttpRequest, *, group: str) -> bool:
    """Count this request for its page and address; True once past PUBLIC_RATE_LIMIT."""
    return is_ratelimited(request, group=group, key="ip", rate=_rate, method=ALL, increment=True)


def limited_per_ip(group: str, *, on_limit: Callable[[HttpRequest], HttpResponse]):
    """Decorate a public view: past the limit, `on_limit(request)` answers instead (a 429 page).

    Not django-ratelimit's block=True: its Ratelimited exception becomes a 403 without RatelimitMiddleware.
    """

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if is_over_public_limit(request, group=group):
                return on_limit(request)
            return view(request, *args, **kwargs)

        return wrapper

    return decorator
