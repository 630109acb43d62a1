"""The team dashboard and the analysis pages as served: figures read from the database at most every few minutes.

Computing every tile, chart and the per-manager table over two years of a large client base takes
seconds (bench/results.md), and the figures barely move in five minutes. So a computed Dashboard is
kept in the cache (Redis in production) for DASHBOARD_CACHE_SECONDS, keyed by who may see what, the
scope (a segment with the moment it was last saved), the period, the language and the time zone; a worker
computes the teams' default views ahead (dashboards.services.warming), and "Refresh" on the page reads the
database again at once.
"""

from collections.abc import Callable
from dataclasses import replace
from typing import TypeVar

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone, translation

from accounts.models import Team, User
from segments.models import Segment

from .complaints import ComplaintAnalysis, get_complaint_analysis
from .display import Period
from .feedback import FeedbackAnalysis, get_feedback_analysis
from .overview import Dashboard, Scope, get_dashboard, sort_manager_rows

T = TypeVar("T")

CACHE_VERSION = 2  # raise when the Dashboard's shape changes, so old entries are never read (2: account health)


def _viewer(user: User) -> str:
    # Every admin sees the same records; anyone else sees through their own visibility rule.
    return "admin" if user.is_admin and user.is_active else f"user-{user.pk}"


def cache_key(page: str, user: User, *parts: str) -> str:
    """The cache key of a page's computed figures: the same key means the same figures and the same words."""
    context = (translation.get_language() or settings.LANGUAGE_CODE, timezone.get_current_timezone_name())
    return ":".join((page, f"v{CACHE_VERSION}", _viewer(user), *parts, *context))


def serve(key: str, compute: Callable[[], T], *, refresh: bool = False) -> T:
    """The figures kept under `key` when computed in the last DASHBOARD_CACHE_SECONDS, else computed now
    (and kept); `refresh` computes now whatever is kept."""
    figures = None if refresh else cache.get(key)
    if figures is None:
        figures = compute()
        cache.set(key, figures, settings.DASHBOARD_CACHE_SECONDS)
    return figures


def _period(period: Period) -> str:
    return f"{period.first_day.isoformat()}..{period.last_day.isoformat()}"


def _team(team: Team | None) -> str:
    return f"team-{team.pk if team else 'all'}"


# The feedback analysis quotes comments and names contacts. Erasing a contact's data (contacts.privacy) moves the
# epoch on, so that pages kept before it are never served again; the other pages hold figures and staff only.
PERSONAL_DATA_EPOCH_KEY = "dashboards:personal-data-epoch"


def _personal_data_epoch() -> str:
    return f"epoch-{cache.get(PERSONAL_DATA_EPOCH_KEY, 0)}"


def _next_personal_data_epoch() -> None:
    try:
        cache.incr(PERSONAL_DATA_EPOCH_KEY)
    except ValueError:  # not in the cache yet (or evicted): any new value differs from the keys in use
        cache.set(PERSONAL_DATA_EPOCH_KEY, int(timezone.now().timestamp()), None)


def forget_cached_personal_data(erasure) -> int:
    """A contact's data was erased: no cached page quoting them is read again (a registered personal-data eraser).
    After the commit, so that a page computed meanwhile from the rows not yet erased is not kept under the new one."""
    transaction.on_commit(_next_personal_data_epoch)
    return 0


def _segment(segment: Segment | None) -> str:
    if segment is None:
        return "segment-all"
    # The rules may change under the same id: figures kept for the old rules are then never read.
    return f"segment-{segment.pk}.{segment.updated_at.timestamp():.6f}"


def dashboard_cache_key(user: User, scope: Scope, period: Period) -> str:
    """The cache key of a computed team dashboard."""
    manager, tier = f"manager-{scope.manager.pk if scope.manager else 'all'}", f"tier-{scope.tier or 'all'}"
    return cache_key("dashboard", user, _team(scope.team), manager, tier, _segment(scope.segment), _period(period))


def compute_dashboard(user: User, *, scope: Scope, period: Period) -> Dashboard:
    """Read the dashboard from the database now and keep it for the next viewers (sorted by name)."""
    return serve(
        dashboard_cache_key(user, scope, period),
        lambda: get_dashboard(user, scope=scope, period=period),
        refresh=True,
    )


def get_served_dashboard(
    user: User, *, scope: Scope, period: Period, sort: str = "name", refresh: bool = False
) -> Dashboard:
    """The dashboard from the cache when it was computed in the last few minutes, else computed now;
    the per-manager table sorted as asked."""
    dashboard = serve(
        dashboard_cache_key(user, scope, period),
        lambda: get_dashboard(user, scope=scope, period=period),
        refresh=refresh,
    )
    return replace(dashboard, managers=sort_manager_rows(dashboard.managers, sort))


def get_served_complaint_analysis(
    user: User, *, team: Team | None, period: Period, refresh: bool = False
) -> ComplaintAnalysis:
    """The complaints analysis, kept like the dashboard."""
    key = cache_key("complaint-analysis", user, _team(team), _period(period))
    return serve(key, lambda: get_complaint_analysis(user, team=team, period=period), refresh=refresh)


def get_served_feedback_analysis(
    user: User, *, team: Team | None, period: Period, refresh: bool = False
) -> FeedbackAnalysis:
    """The feedback analysis, kept like the dashboard."""
    key = cache_key("feedback-analysis", user, _team(team), _period(period), _personal_data_epoch())
    return serve(key, lambda: get_feedback_analysis(user, team=team, period=period), refresh=refresh)
