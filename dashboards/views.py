"""Dashboard pages: read-only analysis for team leads and admins."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from accounts.models import Team
from clients.models import Tier

from . import exports, tables
from .forms import ComplaintAnalysisForm, DashboardForm, PeriodChoice
from .selectors import get_complaint_analysis, get_feedback_analysis, list_analysis_teams
from .selectors.overview import MANAGER_SORTS, list_dashboard_managers
from .selectors.served import get_served_dashboard

OVERVIEW = "dashboards/overview.html"
PRINT = "dashboards/overview_print.html"
ANALYSIS = "dashboards/complaint_analysis.html"
FEEDBACK = "dashboards/feedback_analysis.html"


def _analysis_scope(
    request, form_class=ComplaintAnalysisForm, *, defaults: dict | None = None, **kwargs
) -> tuple[ComplaintAnalysisForm, Team | None]:
    """The period-and-team form and the team analysed; the same access rule for every analysis page."""
    user = request.user
    if not (user.is_admin or user.is_team_lead):
        raise PermissionDenied
    teams = list_analysis_teams(user)
    data = request.GET
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


@login_required
def complaint_analysis(request):
    """Complaints by category and root cause, resolution and response times, SLA and reopens."""
    form, team = _analysis_scope(request)
    now = timezone.now()
    analysis = get_complaint_analysis(request.user, team=team, period=form.get_period(timezone.localdate(now)), now=now)
    template = f"{ANALYSIS}#complaint-analysis" if request.htmx else ANALYSIS
    return render(request, template, {"form": form, "analysis": analysis})


@login_required
def feedback_analysis(request):
    """NPS, CSAT and response rate with their trend, per manager, tier and trigger, and the latest comments."""
    form, team = _analysis_scope(request)
    analysis = get_feedback_analysis(request.user, team=team, period=form.get_period(timezone.localdate()))
    template = f"{FEEDBACK}#feedback-analysis" if request.htmx else FEEDBACK
    return render(request, template, {"form": form, "analysis": analysis})


def _unknown_choice(form, name: str) -> bool:
    return any(error.code == "invalid_choice" for error in form.errors.as_data().get(name, []))


def dashboard_scope(request, *, defaults: dict | None = None):
    """The dashboard's form, scope and period from the query string (shared by page, exports, print);
    `defaults` fills choices the query string leaves out (the printable report's week)."""
    form, team = _analysis_scope(
        request, DashboardForm, defaults=defaults, managers=list_dashboard_managers(request.user)
    )
    return form, form.get_scope(team), form.get_period(timezone.localdate())


def _sort(request) -> str:
    sort = request.GET.get("sort", "name")
    return sort if sort.lstrip("-") in MANAGER_SORTS else "name"


def _page_context(request, *, defaults: dict | None = None) -> dict:
    """What the dashboard page and its printable report show: the form, the figures and the links."""
    form, scope, period = dashboard_scope(request, defaults=defaults)
    sort = _sort(request)
    refresh = request.GET.get("refresh") == "1"
    dashboard = get_served_dashboard(request.user, scope=scope, period=period, sort=sort, refresh=refresh)
    return {
        "form": form,
        "dashboard": dashboard,
        "sort": sort,
        "links": tables.page_links(request.GET, scope),
        "tier_label": Tier(scope.tier).label if scope.tier else "",
        "charts": tables.chart_tables(dashboard),
        "people": tables.person_rows(dashboard, request.GET),
    }


@login_required
def overview(request):
    """The team dashboard: KPI tiles against the previous period, charts, and the per-manager table."""
    template = f"{OVERVIEW}#dashboard" if request.htmx else OVERVIEW
    return render(request, template, _page_context(request))


@login_required
def print_report(request):
    """The dashboard as a plain page to print: the last 7 days unless the query string says otherwise."""
    return render(request, PRINT, _page_context(request, defaults={"period": PeriodChoice.LAST_7}))


def _export(request, build, name: str) -> HttpResponse:
    _form, scope, period = dashboard_scope(request)
    dashboard = get_served_dashboard(request.user, scope=scope, period=period, sort=_sort(request))
    return exports.csv_response(build(dashboard), exports.filename(name, dashboard.period))


@login_required
def export_kpis(request):
    """Every KPI tile of the dashboard's scope and period as a CSV file of raw numbers."""
    return _export(request, exports.kpi_rows, "dashboard-kpis")


@login_required
def export_managers(request):
    """The dashboard's per-manager table as a CSV file of raw numbers."""
    return _export(request, exports.manager_rows, "dashboard-managers")
