"""Reads behind the feedback page: NPS, CSAT and response rate, their trend, tables and comments."""

from dataclasses import dataclass, replace
from datetime import datetime
from decimal import Decimal

from django.db.models import Case, IntegerField, Q, QuerySet, Value, When
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from accounts.models import Team, User
from clients.selectors import of_visible_clients
from feedback.models import SurveyKind, SurveyRequest, SurveyResponse

from .. import metrics
from .display import (
    Kpi,
    Period,
    as_float,
    make_kpi,
    month_shift,
    show_count,
    show_nps,
    show_nps_points,
    show_percent,
    show_points,
)

COMMENTS_SHOWN = 50
TREND_MONTHS = 12


def list_analysis_survey_responses(user: User, team: Team | None) -> QuerySet[SurveyResponse]:
    """Survey answers analysed: of clients visible to the user, whose account manager is in the team (None: any)."""
    responses = of_visible_clients(SurveyResponse.objects.all(), user)
    if team is not None:
        responses = responses.filter(client__account_manager__team=team)
    return responses


def list_analysis_survey_requests(user: User, team: Team | None) -> QuerySet[SurveyRequest]:
    """Survey requests analysed, by the same rule as list_analysis_survey_responses."""
    requests = of_visible_clients(SurveyRequest.objects.all(), user)
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


# Each tile: which figure (and how to read it from FeedbackFigures), its label and definition, how
# to show the value and the change, and whether higher is better (None: neither, for the count).
_FEEDBACK_KPIS = (
    (
        "nps",
        gettext_lazy("NPS"),
        gettext_lazy(
            "Share of promoters (9–10) minus share of detractors (0–6) among the NPS answers given in the period."
        ),
        show_nps,
        show_nps_points,
        True,
    ),
    (
        "csat",
        gettext_lazy("CSAT"),
        gettext_lazy("CSAT answers given in the period that scored 4 or 5 of 5."),
        show_percent,
        show_points,
        True,
    ),
    (
        "response_rate",
        gettext_lazy("Response rate"),
        gettext_lazy("Surveys sent in the period that were answered (at any time since)."),
        show_percent,
        show_points,
        True,
    ),
    (
        "answers",
        gettext_lazy("Answers"),
        gettext_lazy("NPS and CSAT answers given in the period."),
        show_count,
        show_count,
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
        kpis.append(replace(make_kpi(key, *rest, value, before), thin=thin, previous_thin=before_thin))
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
        nps=cell(bucket.nps.value, bucket.nps.thin, show_nps, _answers(bucket.nps.answers)),
        csat=cell(bucket.csat.value, bucket.csat.thin, show_percent, _answers(bucket.csat.answers)),
        response_rate=cell(
            rate.value,
            rate.thin,
            show_percent,
            _("%(answered)d of %(sent)d sent") % {"answered": rate.answered, "sent": rate.sent},
        ),
        answers=bucket.answers,
    )


def _rows(buckets: list[metrics.FeedbackBucket]) -> list[FeedbackRow]:
    return [_row(bucket) for bucket in buckets]


def trend_window(period: Period, months: int = TREND_MONTHS) -> tuple[datetime, datetime]:
    """The months of the company's calendar up to the period's end, as [start, end); the end is capped
    so that a viewer east or west of the company's time zone never pushes one month more in."""
    return (
        metrics.month_start(month_shift(period.last_day, 1 - months)),
        min(period.end, metrics.month_start(month_shift(period.last_day, 1))),
    )


def trend_chart(buckets: list[metrics.FeedbackBucket]) -> dict:
    """The NPS and CSAT trend's data for static/js/charts.js (embedded with json_script); null: no value."""
    return {
        "labels": [bucket.label for bucket in buckets],
        "nps": [as_float(bucket.nps.value) for bucket in buckets],
        "csat": [as_float(bucket.csat.value) for bucket in buckets],
        "npsAnswers": [bucket.nps.answers for bucket in buckets],
        "csatAnswers": [bucket.csat.answers for bucket in buckets],
        "thinBelow": metrics.THIN_BELOW,
        "npsLabel": _("NPS"),
        "csatLabel": _("CSAT"),
        "answersLabel": _("answers"),
        "thinLabel": _("thin"),
    }


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
    computed_at: datetime | None = None  # when the figures were read from the database
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
    trend = metrics.feedback_by_month(responses, requests, *trend_window(period))
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
        trend_chart=trend_chart(trend),
        by_manager=_rows(metrics.feedback_by_manager(responses, requests, start, end)),
        by_tier=_rows(metrics.feedback_by_tier(responses, requests, start, end)),
        by_trigger=_rows(metrics.feedback_by_trigger(responses, requests, start, end)),
        by_team=_rows(metrics.feedback_by_team(responses, requests, start, end)) if team is None else None,
        comments=comments[:COMMENTS_SHOWN],
        more_comments=len(comments) > COMMENTS_SHOWN,
        computed_at=timezone.now(),
    )
