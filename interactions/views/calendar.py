"""The private calendar feed (public address, the token is the secret) and the profile buttons that manage it."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from core.ratelimit import limited_per_ip

from .. import calendar
from ..services import calendar as services


def _too_many_requests(request):
    # A calendar app shows no page: a plain 429 and when to come back (the default limit counts per minute).
    response = HttpResponse(_("Too many requests. Try again later."), status=429, content_type="text/plain")
    response["Retry-After"] = "60"
    return response


@require_safe
@limited_per_ip("interactions.calendar_feed", on_limit=_too_many_requests)
def calendar_feed(request, token):
    """No login: calendar apps cannot sign in. An unknown, replaced or revoked token is a 404.

    Rate-limited per IP address (PUBLIC_RATE_LIMIT): each guessed token uses up one request of the allowance."""
    user = calendar.get_feed_user(token)
    response = HttpResponse(calendar.build_calendar(request, user), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="crm.ics"'
    # Personal data behind a secret address: shared caches must not keep it, nor search engines index it.
    patch_cache_control(response, private=True, max_age=0)
    response["X-Robots-Tag"] = "noindex"
    response["Referrer-Policy"] = "no-referrer"
    return response


@login_required
@require_POST
def calendar_regenerate(request):
    """Turn the feed on, or replace its link: the old address stops working at once."""
    services.regenerate_calendar_feed(user=request.user)
    messages.success(request, _("Your calendar link is ready. Any previous link no longer works."))
    return redirect("accounts:profile")


@login_required
@require_POST
def calendar_revoke(request):
    services.revoke_calendar_feed(user=request.user)
    messages.success(request, _("Your calendar feed is turned off."))
    return redirect("accounts:profile")
