"""Keep the teams' default dashboards computed, so a team lead's morning look is instant."""

from datetime import timedelta

from django.utils import timezone, translation

from accounts.models import Role, Team, User

from ..selectors.display import Period
from ..selectors.overview import Scope
from ..selectors.served import compute_dashboard

DEFAULT_DAYS = 30  # the dashboard's default period (dashboards.forms.DEFAULT_PERIOD)


def _default_period() -> Period:
    today = timezone.localdate()
    return Period(today - timedelta(days=DEFAULT_DAYS - 1), today)


def warm_dashboards() -> int:
    """Compute the default view of each team for its lead, and of all teams for each admins' language and
    time zone, into the cache; returns how many were computed."""
    views: list[tuple[User, Scope]] = [
        (team.lead, Scope(team=team))
        for team in Team.objects.filter(lead__is_active=True, lead__role=Role.TEAM_LEAD).select_related("lead")
    ]
    seen = set()
    for admin in User.objects.filter(is_active=True, role=Role.ADMIN).order_by("pk"):
        # Admins share one cache entry per language and time zone: one of them computes it for all.
        if (admin.language, admin.time_zone) not in seen:
            seen.add((admin.language, admin.time_zone))
            views.append((admin, Scope()))
    for user, scope in views:
        with translation.override(user.language), timezone.override(user.time_zone):
            compute_dashboard(user, scope=scope, period=_default_period())
    return len(views)
