"""Dashboard pages: read-only analysis for team leads and admins."""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone

from accounts.audit import filters_of, record_audit
from accounts.models import AuditAction
from clients.models import Tier

from . import exports, tables
from .access import access_analysis_scope, access_dashboard_scope
from .forms import PeriodChoice
from .selectors.overview import MANAGER_SORTS
from .selectors.served import get_served_complaint_analysis, get_served_dashboard, get_served_feedback_analysis

OVERVIEW = "dashboards/overview.html"
PRINT = "dashboards/overview_print.html"
ANALYSIS = "dashboards/complaint_analysis.html"
FEEDBACK = "dashboards/feedback_analysis.html"


@login_required
def complaint_analysis(request):
    """Complaints by category and root cause, resolution and response times, SLA and reopens."""
    form, team = access_analysis_scope(request.user, request.GET)
    period = form.get_period(timezone.localdate())
    analysis = get_served_complaint_analysis(request.user, team=team, period=period, refresh=_refresh(request))
    template = f"{ANALYSIS}#complaint-analysis" if request.htmx else ANALYSIS
    return render(request, template, {"form": form, "analysis": analysis, "refresh_url": _refresh_url(request)})


@login_required
def feedback_analysis(request):
    """NPS, CSAT and response rate with their trend, per manager, tier and trigger, and the latest comments."""
    form, team = access_analysis_scope(request.user, request.GET)
    period = form.get_period(timezone.localdate())
    analysis = get_served_feedback_analysis(request.user, team=team, period=period, refresh=_refresh(request))
    template = f"{FEEDBACK}#feedback-analysis" if request.htmx else FEEDBACK
    return render(request, template, {"form": form, "analysis": analysis, "refresh_url": _refresh_url(request)})


def _refresh(request) -> bool:
    return request.GET.get("refresh") == "1"


def _refresh_url(request) -> str:
    """This page with the same choices, read from the database at once."""
    query = request.GET.copy()
    query["refresh"] = "1"
    return f"{request.path}?{query.urlencode()}"


def _sort(request) -> str:
    sort = request.GET.get("sort", "name")
    return sort if sort.lstrip("-") in MANAGER_SORTS else "name"


def _page_context(request, *, defaults: dict | None = None) -> dict:
    """What the dashboard page and its printable report show: the form, the figures and the links."""
    form, scope, period = access_dashboard_scope(request.user, request.GET, defaults=defaults)
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
    _form, scope, period = access_dashboard_scope(request.user, request.GET)
    dashboard = get_served_dashboard(request.user, scope=scope, period=period, sort=_sort(request))
    rows, filename = build(dashboard), exports.filename(name, dashboard.period)
    details = {"export": name, "filters": filters_of(request.GET), "rows": len(rows)}
    record_audit(actor=request.user, action=AuditAction.EXPORT, subject=filename, details=details, request=request)
    return exports.csv_response(rows, filename)


@login_required
def export_kpis(request):
    """Every KPI tile of the dashboard's scope and period as a CSV file of raw numbers."""
    return _export(request, exports.kpi_rows, "dashboard-kpis")


@login_required
def export_managers(request):
    """The dashboard's per-manager table as a CSV file of raw numbers."""
    return _export(request, exports.manager_rows, "dashboard-managers")
