"""Reads behind the dashboards' pages: the complaints and feedback analyses for team leads and admins.

Figures come from dashboards.metrics (one definition each); this module picks the complaints and
survey answers the viewer may analyse, the periods to compare, and shapes the figures for the page.
"""

from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Case, IntegerField, Q, QuerySet, Value, When
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from accounts.models import Team, User
from clients.selectors import clients_visible_to
from complaints.models import Complaint, Escalation
from complaints.selectors import complaints_visible_to
from feedback.models import SurveyKind, SurveyRequest, SurveyResponse

from . import metrics

ESCALATIONS_SHOWN = 50
COMMENTS_SHOWN = 50
TREND_MONTHS = 12


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
    thin: bool = False  # the value stands on fewer than metrics.THIN_BELOW answers
    previous_thin: bool = False


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


# --- Feedback analysis -------------------------------------------------------------------------


def list_analysis_survey_responses(user: User, team: Team | None) -> QuerySet[SurveyResponse]:
    """Survey answers analysed: of clients visible to the user, whose account manager is in the team (None: any)."""
    responses = SurveyResponse.objects.filter(client__in=clients_visible_to(user))
    if team is not None:
        responses = responses.filter(client__account_manager__team=team)
    return responses


def list_analysis_survey_requests(user: User, team: Team | None) -> QuerySet[SurveyRequest]:
    """Survey requests analysed, by the same rule as list_analysis_survey_responses."""
    requests = SurveyRequest.objects.filter(client__in=clients_visible_to(user))
    if team is not None:
        requests = requests.filter(client__account_manager__team=team)
    return requests


# The answers that open the closed loop (SurveyResponse.is_low): a detractor, or a CSAT of 1 or 2.
LOW_SCORE = Q(kind=SurveyKind.NPS, score__lte=6) | Q(kind=SurveyKind.CSAT, score__lte=2)


def list_period_comments(responses: QuerySet[SurveyResponse], period: Period, *, limit: int) -> list[SurveyResponse]:
    """Answers of the period with a comment: detractors and unhappy CSAT first, then newest first
    (one row more than `limit`), each with its client, contact, follow-up and who acted on it."""
    return list(
        responses.filter(metrics.answered_in(period.start, period.end))
        .exclude(comment="")
        .annotate(low_first=Case(When(LOW_SCORE, then=Value(0)), default=Value(1), output_field=IntegerField()))
        .select_related("client", "request__contact", "follow_up", "action_by")
        .order_by("low_first", "-answered_at", "-pk")[: limit + 1]
    )


def _nps(value: Decimal) -> str:
    text = number_format(abs(value), 1)
    return f"−{text}" if value < 0 else text  # a real minus sign


def _nps_points(value: Decimal) -> str:
    return _("%(points)s pts") % {"points": number_format(abs(value), 1)}


# Each tile: which figure (and how to read it from FeedbackFigures), its label and definition, how
# to show the value and the change, and whether higher is better (None: neither, for the count).
_FEEDBACK_KPIS = (
    (
        "nps",
        gettext_lazy("NPS"),
        gettext_lazy(
            "Share of promoters (9–10) minus share of detractors (0–6) among the NPS answers given in the period."
        ),
        _nps,
        _nps_points,
        True,
    ),
    (
        "csat",
        gettext_lazy("CSAT"),
        gettext_lazy("CSAT answers given in the period that scored 4 or 5 of 5."),
        _percent,
        _points,
        True,
    ),
    (
        "response_rate",
        gettext_lazy("Response rate"),
        gettext_lazy("Surveys sent in the period that were answered (at any time since)."),
        _percent,
        _points,
        True,
    ),
    (
        "answers",
        gettext_lazy("Answers"),
        gettext_lazy("NPS and CSAT answers given in the period."),
        _count,
        _count,
        None,
    ),
)


def _feedback_figure(figures: metrics.FeedbackFigures, key: str) -> tuple[Decimal | int | None, bool]:
    """A tile's value and whether it is thin (a count is never thin: it is the number of answers)."""
    if key == "answers":
        return figures.answers, False
    figure = getattr(figures, key)
    return figure.value, figure.thin


def _feedback_kpis(current: metrics.FeedbackFigures, previous: metrics.FeedbackFigures) -> list[Kpi]:
    kpis = []
    for key, *rest in _FEEDBACK_KPIS:
        (value, thin), (before, before_thin) = _feedback_figure(current, key), _feedback_figure(previous, key)
        kpis.append(replace(_kpi(key, *rest, value, before), thin=thin, previous_thin=before_thin))
    return kpis


@dataclass(frozen=True)
class Cell:
    """One figure of a feedback table, as shown."""

    text: str  # "—" when there is no value
    thin: bool
    note: str  # what the value stands on, as a tooltip


@dataclass(frozen=True)
class FeedbackRow:
    """One row of a feedback table: a month, a manager, a team, a tier or a trigger."""

    key: object
    label: str
    nps: Cell
    csat: Cell
    response_rate: Cell
    answers: int


def _answers(count: int) -> str:
    return ngettext("%(count)d answer", "%(count)d answers", count) % {"count": count}


def _row(bucket: metrics.FeedbackBucket) -> FeedbackRow:
    rate = bucket.response_rate

    def cell(value, thin, show, note) -> Cell:
        return Cell("—" if value is None else show(value), thin, note)

    return FeedbackRow(
        key=bucket.key,
        label=bucket.label,
        nps=cell(bucket.nps.value, bucket.nps.thin, _nps, _answers(bucket.nps.answers)),
        csat=cell(bucket.csat.value, bucket.csat.thin, _percent, _answers(bucket.csat.answers)),
        response_rate=cell(
            rate.value,
            rate.thin,
            _percent,
            _("%(answered)d of %(sent)d sent") % {"answered": rate.answered, "sent": rate.sent},
        ),
        answers=bucket.answers,
    )


def _rows(buckets: list[metrics.FeedbackBucket]) -> list[FeedbackRow]:
    return [_row(bucket) for bucket in buckets]


def _float(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


def _trend_chart(buckets: list[metrics.FeedbackBucket]) -> dict:
    """The NPS and CSAT trend's data for static/js/charts.js (embedded with json_script); null: no value."""
    return {
        "labels": [bucket.label for bucket in buckets],
        "nps": [_float(bucket.nps.value) for bucket in buckets],
        "csat": [_float(bucket.csat.value) for bucket in buckets],
        "npsAnswers": [bucket.nps.answers for bucket in buckets],
        "csatAnswers": [bucket.csat.answers for bucket in buckets],
        "thinBelow": metrics.THIN_BELOW,
        "npsLabel": _("NPS"),
        "csatLabel": _("CSAT"),
        "answersLabel": _("answers"),
        "thinLabel": _("thin"),
    }


def _month_shift(day: date, months: int) -> date:
    """The first day of the month `months` after (negative: before) the month of `day`."""
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


@dataclass
class FeedbackAnalysis:
    team: Team | None
    period: Period
    previous: Period
    kpis: list[Kpi]
    trend: list[FeedbackRow]  # the last 12 months, oldest first
    trend_chart: dict
    by_manager: list[FeedbackRow]
    by_tier: list[FeedbackRow]
    by_trigger: list[FeedbackRow]
    by_team: list[FeedbackRow] | None  # when every team is shown at once
    comments: list[SurveyResponse]
    more_comments: bool
    thin_below: int = metrics.THIN_BELOW

    @property
    def trend_has_answers(self) -> bool:
        return any(row.answers for row in self.trend)


def get_feedback_analysis(user: User, *, team: Team | None, period: Period) -> FeedbackAnalysis:
    """The feedback page's data for one team (None: every team) and period, next to the period before.

    A constant number of queries whatever the data: two aggregates per period, two grouped counts per
    table (month, manager, tier, trigger, and team when every team is shown) and one list of comments.
    """
    responses = list_analysis_survey_responses(user, team)
    requests = list_analysis_survey_requests(user, team)
    previous = period.previous()
    start, end = period.start, period.end
    # Twelve months of the company's calendar up to the period's end; the end is capped so that a
    # viewer east or west of the company's time zone never pushes a thirteenth month in.
    trend = metrics.feedback_by_month(
        responses,
        requests,
        metrics.month_start(_month_shift(period.last_day, 1 - TREND_MONTHS)),
        min(end, metrics.month_start(_month_shift(period.last_day, 1))),
    )
    comments = list_period_comments(responses, period, limit=COMMENTS_SHOWN)
    return FeedbackAnalysis(
        team=team,
        period=period,
        previous=previous,
        kpis=_feedback_kpis(
            metrics.feedback_figures(responses, requests, start, end),
            metrics.feedback_figures(responses, requests, previous.start, previous.end),
        ),
        trend=_rows(trend),
        trend_chart=_trend_chart(trend),
        by_manager=_rows(metrics.feedback_by_manager(responses, requests, start, end)),
        by_tier=_rows(metrics.feedback_by_tier(responses, requests, start, end)),
        by_trigger=_rows(metrics.feedback_by_trigger(responses, requests, start, end)),
        by_team=_rows(metrics.feedback_by_team(responses, requests, start, end)) if team is None else None,
        comments=comments[:COMMENTS_SHOWN],
        more_comments=len(comments) > COMMENTS_SHOWN,
    )
