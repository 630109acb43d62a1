"""Reads behind the "My figures" panel of "My day": the signed-in person's own figures.

Whose records count is the team dashboard's rule for one manager (see overview.py): survey answers
of the clients they manage, follow-ups assigned to them, complaints they own, clients they manage.
CSAT and NPS are taken over a period of whole days ending today, next to the period before; the
other figures are counts now. Each figure links to the list behind it with the lists' own words.
"""

from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy, ngettext

from accounts.models import User
from clients.models import Client
from complaints.models import OPEN_STATUSES, Complaint, SlaState
from complaints.selectors import with_sla
from feedback.models import SurveyKind, SurveyResponse
from interactions.selectors import follow_ups_visible_to

from .. import metrics
from .display import Kpi, Period, make_kpi, show_nps, show_nps_points, show_percent, show_points
from .overview import Links, Scope

PERIOD_DAYS = (7, 30, 90)
DEFAULT_DAYS = 30

# The SLA states an open complaint can be in, in the order a person reads them (MET is for closed ones).
OPEN_SLA_STATES = (SlaState.ON_TRACK, SlaState.AT_RISK, SlaState.PAUSED, SlaState.BREACHED)

_SCORES = (
    (
        "csat",
        SurveyKind.CSAT,
        gettext_lazy("CSAT"),
        gettext_lazy("Answers of your clients in the period that scored 4 or 5 of 5."),
        show_percent,
        show_points,
        metrics.csat_score,
    ),
    (
        "nps",
        SurveyKind.NPS,
        gettext_lazy("NPS"),
        gettext_lazy("Share of promoters (9–10) minus share of detractors (0–6) among your clients' NPS answers."),
        show_nps,
        show_nps_points,
        metrics.nps_score,
    ),
)


@dataclass(frozen=True)
class StateCount:
    """Open complaints in one SLA state."""

    state: str
    label: str
    count: int
    url: str


@dataclass
class MyFigures:
    """The panel's figures, each shown as is ("—" for a score without answers) with the list behind it."""

    period: Period
    previous: Period
    days: int  # the period's length as chosen (one of PERIOD_DAYS)
    scores: list[Kpi]  # CSAT and NPS against the previous period
    overdue_follow_ups: int
    overdue_url: str
    open_complaints: int
    complaints_url: str
    complaints_by_sla: list[StateCount]
    going_cold: int
    going_cold_url: str
    thin_below: int = metrics.THIN_BELOW


def period_of_days(days: int, today: date) -> Period:
    """The last `days` whole days up to and including today (the dashboards' "Last N days")."""
    return Period(today - timedelta(days=days - 1), today)


def _score_terms(part: Period, prefix: str) -> dict:
    terms = {**metrics.nps_terms(part.start, part.end), **metrics.csat_terms(part.start, part.end)}
    return {f"{prefix}{key}": value for key, value in terms.items()}


def _unprefixed(prefix: str, counts: dict) -> dict:
    return {key.removeprefix(prefix): value for key, value in counts.items() if key.startswith(prefix)}


def _scores(user: User, period: Period, previous: Period, links: Links) -> list[Kpi]:
    """CSAT and NPS of the user's clients' answers in both periods, in one query."""
    counts = (
        SurveyResponse.objects.filter(client__account_manager=user)
        .filter(metrics.answered_in(previous.start, period.end))
        .aggregate(**_score_terms(period, "now_"), **_score_terms(previous, "before_"))
    )
    now_counts, before_counts = _unprefixed("now_", counts), _unprefixed("before_", counts)
    kpis = []
    for key, kind, label, help_text, show, show_change, score_of in _SCORES:
        score, before = score_of(now_counts), score_of(before_counts)
        kpi = make_kpi(key, label, help_text, show, show_change, True, score.value, before.value)
        answers = ngettext("%(count)d answer", "%(count)d answers", score.answers) % {"count": score.answers}
        kpis.append(replace(kpi, thin=score.thin, previous_thin=before.thin, url=links.answers(kind), note=answers))
    return kpis


def get_my_figures(user: User, *, days: int = DEFAULT_DAYS, now: datetime | None = None) -> MyFigures | None:
    """The user's own figures: CSAT and NPS of their clients over the last `days` days against the days before,
    and now their overdue follow-ups, open complaints by SLA state and clients going cold.

    None (nothing to show) when the user manages no client and owns no complaint. At most six queries
    whatever the data: complaints by state, whether they manage clients (only when they own no complaint),
    the answers of both periods, the overdue follow-ups, the contact cadences and the clients going cold.
    """
    now = now or timezone.now()
    clients = Client.objects.filter(account_manager=user)
    owned = with_sla(Complaint.objects.filter(owner=user), now=now).aggregate(
        owned=Count("pk"),
        **{state: Count("pk", filter=Q(status__in=OPEN_STATUSES, sla=state)) for state in OPEN_SLA_STATES},
    )
    if not owned["owned"] and not clients.exists():
        return None
    days = days if days in PERIOD_DAYS else DEFAULT_DAYS
    period = period_of_days(days, timezone.localdate(now))
    previous = period.previous()
    links = Links(Scope(manager=user), period)
    overdue = follow_ups_visible_to(user).filter(assignee=user).filter(metrics.overdue_at(now)).count()
    cold = metrics.going_cold_counts(clients, {"now": now})["now"]
    return MyFigures(
        period=period,
        previous=previous,
        days=days,
        scores=_scores(user, period, previous, links),
        overdue_follow_ups=overdue,
        overdue_url=links.follow_ups("overdue"),
        open_complaints=sum(owned[state] for state in OPEN_SLA_STATES),
        complaints_url=links.complaints(open=1),
        complaints_by_sla=[
            StateCount(state, SlaState(state).label, owned[state], links.complaints(open=1, sla=state))
            for state in OPEN_SLA_STATES
        ],
        going_cold=cold,
        going_cold_url=links.clients(cold=1),
    )
