"""Who may analyse what: the team, manager, tier, segment and period a dashboard or analysis request asks for, checked
against the viewer. One rule for the pages, their exports and printable report, and the API.

Managers analyse nothing (403); team leads their led teams; admins any team or all of them at once. A team or a
person outside the viewer's choices is a 404, so that another team's existence stays secret. Any other mistake in
the query (a custom period ending before it starts, an unknown tier, a
segment switched off) stays on the returned form: the pages show it
next to the default period, the API answers 400.
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404, QueryDict
from django.utils import timezone

from accounts.models import Team, User
from segments.selectors import list_active_segments

from .forms import ComplaintAnalysisForm, DashboardForm
from .selectors import Period, list_analysis_teams
from .selectors.overview import Scope, list_dashboard_managers


def _unknown_choice(form, name: str) -> bool:
    return any(error.code == "invalid_choice" for error in form.errors.as_data().get(name, []))


def access_analysis_scope(
    user: User,
    data: QueryDict,
    form_class: type[ComplaintAnalysisForm] = ComplaintAnalysisForm,
    *,
    defaults: dict | None = None,
    **kwargs,
) -> tuple[ComplaintAnalysisForm, Team | None]:
    """The period-and-team form bound to `data` and the team analysed (None: every team, for admins);
    `defaults` fills choices `data` leaves out (the printable report's week)."""
    if not (user.is_admin or user.is_team_lead):
        raise PermissionDenied
    teams = list_analysis_teams(user)
    if defaults:
        data = data.copy()
        for name, value in defaults.items():
            data.setdefault(name, value)
    form = form_class(data or None, teams=teams, allow_all=user.is_admin, **kwargs)
    if form.is_bound and ("team" in form.errors or _unknown_choice(form, "manager")):
        raise Http404  # another lead's team or manager, or none at all: existence stays secret
    team = form.get_team(default=None if user.is_admin else teams.first())
    if team is None and not user.is_admin:
        raise PermissionDenied  # a team lead who leads no team yet has nothing to analyse
    return form, team


def access_dashboard_scope(
    user: User, data: QueryDict, *, defaults: dict | None = None
) -> tuple[DashboardForm, Scope, Period]:
    """The team dashboard's form, scope and period (ending today in the viewer's time zone); while the form has
    errors, the scope and period are the defaults (the caller shows them next to the errors, or refuses the query)."""
    form, team = access_analysis_scope(
        user,
        data,
        DashboardForm,
        defaults=defaults,
        managers=list_dashboard_managers(user),
        segments=list_active_segments(),
    )
    return form, form.get_scope(team), form.get_period(timezone.localdate())
