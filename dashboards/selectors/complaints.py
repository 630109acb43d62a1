"""Reads behind the complaints analysis page: complaints by category and root cause, times, SLA, reopens."""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import Team, User
from complaints.models import Complaint, Escalation
from complaints.selectors import complaints_visible_to

from .. import metrics
from .display import Kpi, Period, make_kpi, show_count, show_hours, show_hours_minutes, show_percent, show_points

ESCALATIONS_SHOWN = 50


def list_analysis_complaints(user: User, team: Team | None) -> QuerySet[Complaint]:
    """The complaints analysed: those visible to the user, owned by a member of the team (None: every team)."""
    complaints = complaints_visible_to(user)
    if team is not None:
        complaints = complaints.filter(owner__team=team)
    return complaints


def list_period_escalations(complaints: QuerySet[Complaint], period: Period, *, limit: int) -> list[Escalation]:
    """Escalations of these complaints raised in the period, newest first (one row more than `limit`)."""
    return list(
        Escalation.objects.filter(
            complaint__in=complaints.values("pk"), created_at__gte=period.start, created_at__lt=period.end
        )
        .select_related("complaint__client", "recipient")
        .order_by("-created_at", "-pk")[: limit + 1]
    )


# Each tile: the figure, its label and definition, how to show the value and the change, and
# whether higher is better (None: neither, for the number received).
_KPIS = (
    (
        "received",
        gettext_lazy("Received"),
        gettext_lazy("Complaints received in the period."),
        show_count,
        show_count,
        None,
    ),
    (
        "median_resolution_seconds",
        gettext_lazy("Median resolution"),
        gettext_lazy(
            "Median time to resolve the complaints resolved in the period, without time waiting for the client."
        ),
        show_hours,
        show_hours,
        False,
    ),
    (
        "average_resolution_seconds",
        gettext_lazy("Average resolution"),
        gettext_lazy(
            "Average time to resolve the complaints resolved in the period, without time waiting for the client."
        ),
        show_hours,
        show_hours,
        False,
    ),
    (
        "median_first_response_minutes",
        gettext_lazy("Median first response"),
        gettext_lazy("Median business time to the first reply, of the complaints first answered in the period."),
        show_hours_minutes,
        show_hours_minutes,
        False,
    ),
    (
        "sla_compliance",
        gettext_lazy("SLA compliance"),
        gettext_lazy("Complaints received in the period answered and resolved (or still open) within their due times."),
        show_percent,
        show_points,
        True,
    ),
    (
        "reopen_rate",
        gettext_lazy("Reopen rate"),
        gettext_lazy("Complaints resolved in the period that had been reopened at least once."),
        show_percent,
        show_points,
        False,
    ),
)


def _kpis(current: metrics.ComplaintFigures, previous: metrics.ComplaintFigures) -> list[Kpi]:
    return [make_kpi(key, *rest, getattr(current, key), getattr(previous, key)) for key, *rest in _KPIS]


def pareto_chart(rows: list[metrics.ParetoRow]) -> dict:
    """A Pareto chart's data for static/js/charts.js (embedded with json_script)."""
    return {
        "labels": [row.label for row in rows],
        "counts": [row.count for row in rows],
        "cumulative": [float(row.cumulative_percent) for row in rows],
        "countLabel": _("Complaints"),
        "cumulativeLabel": _("Cumulative %"),
    }


@dataclass
class ComplaintAnalysis:
    team: Team | None
    period: Period
    previous: Period
    kpis: list[Kpi]
    by_category: list[metrics.ParetoRow]
    by_root_cause: list[metrics.ParetoRow]
    category_chart: dict
    root_cause_chart: dict
    escalations: list[Escalation]
    more_escalations: bool
    computed_at: datetime | None = None  # when the figures were read from the database


def get_complaint_analysis(
    user: User, *, team: Team | None, period: Period, now: datetime | None = None
) -> ComplaintAnalysis:
    """The analysis page's data for one team (None: every team) and period, next to the period before.

    A constant number of queries whatever the data: two aggregates and up to four medians, two
    grouped counts and one list of escalations.
    """
    now = now or timezone.now()
    complaints = list_analysis_complaints(user, team)
    previous = period.previous()
    by_category = metrics.complaints_by_category(complaints, period.start, period.end)
    by_root_cause = metrics.complaints_by_root_cause(complaints, period.start, period.end)
    escalations = list_period_escalations(complaints, period, limit=ESCALATIONS_SHOWN)
    return ComplaintAnalysis(
        team=team,
        period=period,
        previous=previous,
        kpis=_kpis(
            metrics.complaint_figures(complaints, period.start, period.end, now=now),
            metrics.complaint_figures(complaints, previous.start, previous.end, now=now),
        ),
        by_category=by_category,
        by_root_cause=by_root_cause,
        category_chart=pareto_chart(by_category),
        root_cause_chart=pareto_chart(by_root_cause),
        escalations=escalations[:ESCALATIONS_SHOWN],
        more_escalations=len(escalations) > ESCALATIONS_SHOWN,
        computed_at=now,
    )
