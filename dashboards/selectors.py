"""Reads behind the dashboards' pages: the complaints analysis for team leads and admins.

Figures come from dashboards.metrics (one definition each); this module picks the complaints
the viewer may analyse, the periods to compare, and shapes the figures for the page.
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import Team, User
from complaints.models import Complaint, Escalation
from complaints.selectors import complaints_visible_to

from . import metrics

ESCALATIONS_SHOWN = 50


@dataclass(frozen=True)
class Period:
    """Whole calendar days first_day..last_day in the viewer's time zone, as the instants [start, end)."""

    first_day: date
    last_day: date

    @property
    def days(self) -> int:
        return (self.last_day - self.first_day).days + 1

    @property
    def start(self) -> datetime:
        return timezone.make_aware(datetime.combine(self.first_day, time.min))

    @property
    def end(self) -> datetime:
        return timezone.make_aware(datetime.combine(self.last_day + timedelta(days=1), time.min))

    def previous(self) -> "Period":
        """The period of the same number of days just before this one."""
        return Period(self.first_day - timedelta(days=self.days), self.first_day - timedelta(days=1))


def list_analysis_teams(user: User) -> QuerySet[Team]:
    """Teams whose complaints the user may analyse: every team for admins, the led teams for team leads."""
    if user.is_admin:
        return Team.objects.all()
    if user.is_team_lead:
        return Team.objects.filter(lead=user)
    return Team.objects.none()


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


# --- How the page shows the figures ------------------------------------------------------------


def _round(value: Decimal, places: int = 0) -> Decimal:
    return value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def _signed(text: str, value: Decimal | int) -> str:
    if value > 0:
        return f"+{text}"
    if value < 0:
        return f"−{text}"  # a real minus sign
    return text


def _count(value: int) -> str:
    return number_format(abs(value), force_grouping=True)


def _hours(seconds: Decimal) -> str:
    return _("%(hours)s h") % {"hours": number_format(_round(abs(seconds) / 3600, 1), 1)}


def _hours_minutes(minutes: Decimal) -> str:
    hours, rest = divmod(int(_round(abs(minutes))), 60)
    if not hours:
        return _("%(minutes)d min") % {"minutes": rest}
    return _("%(hours)d h %(minutes)02d min") % {"hours": hours, "minutes": rest}


def _percent(value: Decimal) -> str:
    return f"{number_format(abs(value), 1)} %"


def _points(value: Decimal) -> str:
    return _("%(points)s pp") % {"points": number_format(abs(value), 1)}


@dataclass(frozen=True)
class Kpi:
    key: str  # the ComplaintFigures attribute
    label: str
    help: str  # the definition, as a tooltip
    value: str  # "—" when there is no value
    previous: str
    change: str  # "" when either period has no value
    trend: str  # "better", "worse", "same", or "" when up is neither better nor worse


# Each tile: the figure, its label and definition, how to show the value and the change, and
# whether higher is better (None: neither, for the number received).
_KPIS = (
    (
        "received",
        gettext_lazy("Received"),
        gettext_lazy("Complaints received in the period."),
        _count,
        _count,
        None,
    ),
    (
        "median_resolution_seconds",
        gettext_lazy("Median resolution"),
        gettext_lazy(
            "Median time to resolve the complaints resolved in the period, without time waiting for the client."
        ),
        _hours,
        _hours,
        False,
    ),
    (
        "average_resolution_seconds",
        gettext_lazy("Average resolution"),
        gettext_lazy(
            "Average time to resolve the complaints resolved in the period, without time waiting for the client."
        ),
        _hours,
        _hours,
        False,
    ),
    (
        "median_first_response_minutes",
        gettext_lazy("Median first response"),
        gettext_lazy("Median business time to the first reply, of the complaints first answered in the period."),
        _hours_minutes,
        _hours_minutes,
        False,
    ),
    (
        "sla_compliance",
        gettext_lazy("SLA compliance"),
        gettext_lazy("Complaints received in the period answered and resolved (or still open) within their due times."),
        _percent,
        _points,
        True,
    ),
    (
        "reopen_rate",
        gettext_lazy("Reopen rate"),
        gettext_lazy("Complaints resolved in the period that had been reopened at least once."),
        _percent,
        _points,
        False,
    ),
)


def _kpi(key, label, help_text, show, show_change, higher_is_better, value, previous) -> Kpi:
    change, trend = "", ""
    if value is not None and previous is not None:
        difference = value - previous
        change = _signed(show_change(difference), difference)
        if higher_is_better is not None:
            trend = "same" if not difference else "better" if (difference > 0) == higher_is_better else "worse"
    return Kpi(
        key=key,
        label=str(label),
        help=str(help_text),
        value="—" if value is None else show(value),
        previous="—" if previous is None else show(previous),
        change=change,
        trend=trend,
    )


def _kpis(current: metrics.ComplaintFigures, previous: metrics.ComplaintFigures) -> list[Kpi]:
    return [_kpi(key, *rest, getattr(current, key), getattr(previous, key)) for key, *rest in _KPIS]


def _chart(rows: list[metrics.ParetoRow]) -> dict:
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
        category_chart=_chart(by_category),
        root_cause_chart=_chart(by_root_cause),
        escalations=escalations[:ESCALATIONS_SHOWN],
        more_escalations=len(escalations) > ESCALATIONS_SHOWN,
    )
