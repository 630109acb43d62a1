"""The team dashboard as served: figures read from the database at most every few minutes.

Computing every tile, chart and the per-manager table over two years of a large client base takes
seconds (bench/results.md), and the figures barely move in five minutes. So a computed Dashboard is
kept in the cache (Redis in production) for DASHBOARD_CACHE_SECONDS, keyed by who may see what, the
scope, the period, the language and the time zone; a worker computes the teams' default views ahead
(dashboards.services.warming), and "Refresh" on the page reads the database again at once.
"""

from dataclasses import replace

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone, translation

from accounts.models import User

from .display import Period
from .overview import Dashboard, Scope, get_dashboard, sort_manager_rows

CACHE_VERSION = 1  # raise when the Dashboard's shape changes, so old entries are never read


def _viewer(user: User) -> str:
    # Every admin sees the same records; anyone else sees through their own visibility rule.
    return "admin" if user.is_admin and user.is_active else f"user-{user.pk}"


def dashboard_cache_key(user: User, scope: Scope, period: Period) -> str:
    """The cache key of a computed dashboard: the same key means the same figures and the same words."""
    parts = (
        f"v{CACHE_VERSION}",
        _viewer(user),
        f"team-{scope.team.pk if scope.team else 'all'}",
        f"manager-{scope.manager.pk if scope.manager else 'all'}",
        f"tier-{scope.tier or 'all'}",
        period.first_day.isoformat(),
        period.last_day.isoformat(),
        translation.get_language() or settings.LANGUAGE_CODE,
        timezone.get_current_timezone_name(),
    )
    return "dashboard:" + ":".join(parts)


def compute_dashboard(user: User, *, scope: Scope, period: Period) -> Dashboard:
    """Read the dashboard from the database now and keep it for the next viewers (sorted by name)."""
    dashboard = get_dashboard(user, scope=scope, period=period)
    cache.set(dashboard_cache_key(user, scope, period), dashboard, settings.DASHBOARD_CACHE_SECONDS)
    return dashboard


def get_served_dashboard(
    user: User, *, scope: Scope, period: Period, sort: str = "name", refresh: bool = False
) -> Dashboard:
    """The dashboard from the cache when it was computed in the last few minutes, else computed now;
    the per-manager table sorted as asked."""
    dashboard = None if refresh else cache.get(dashboard_cache_key(user, scope, period))
    if dashboard is None:
        dashboard = compute_dashboard(user, scope=scope, period=period)
    return replace(dashboard, managers=sort_manager_rows(dashboard.managers, sort))
