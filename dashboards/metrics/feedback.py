"""Feedback metrics: NPS, CSAT and response rate, for one period and grouped by month, manager, team, tier, trigger."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.db.models import Count, F, Q, QuerySet
from django.db.models.functions import TruncMonth, TruncQuarter
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from clients.models import Tier
from feedback.models import SurveyKind, SurveyRequest, SurveyResponse, TriggerKind
from orders.models import settings_zone

from .common import percent as _percent

# Only answered responses count: a SurveyResponse row is an answer. NPS and CSAT are taken over
# the answers given in the period (answered_at), the response rate over the surveys sent in it
# (sent_at; a suppressed, cancelled or failed request was never sent). Buckets are grouped in
# the database; Python only pairs each bucket's two grouped rows and names it.

# A figure from fewer answers than this is still shown, marked "thin": one answer moves it a lot.
THIN_BELOW = 10


def answered_in(start: datetime, end: datetime) -> Q:
    return Q(answered_at__gte=start, answered_at__lt=end)


def sent_in(start: datetime, end: datetime) -> Q:
    return Q(sent_at__gte=start, sent_at__lt=end)


def nps_terms(start: datetime, end: datetime) -> dict:
    """Counts behind nps, over SurveyResponse rows: NPS answers of the period, promoters, detractors."""
    answered = answered_in(start, end) & Q(kind=SurveyKind.NPS)
    return {
        "nps_answers": Count("pk", filter=answered),
        "promoters": Count("pk", filter=answered & Q(score__gte=9)),
        "detractors": Count("pk", filter=answered & Q(score__lte=6)),
    }


def csat_terms(start: datetime, end: datetime) -> dict:
    """Counts behind csat, over SurveyResponse rows: CSAT answers of the period, and of those the 4s and 5s."""
    answered = answered_in(start, end) & Q(kind=SurveyKind.CSAT)
    return {"csat_answers": Count("pk", filter=answered), "satisfied": Count("pk", filter=answered & Q(score__gte=4))}


def response_rate_terms(start: datetime, end: datetime) -> dict:
    """Counts behind response_rate, over SurveyRequest rows: sent in the period, and of those the answered."""
    sent = sent_in(start, end)
    # answered_at is written with the response, in the same transaction (feedback.services.answers).
    return {"sent": Count("pk", filter=sent), "answered": Count("pk", filter=sent & Q(answered_at__isnull=False))}


@dataclass(frozen=True)
class Score:
    """An NPS or CSAT value with the number of answers it stands on."""

    value: Decimal | None
    answers: int

    @property
    def thin(self) -> bool:
        """A value from fewer than THIN_BELOW answers (an empty set has no value, not a thin one)."""
        return 0 < self.answers < THIN_BELOW


@dataclass(frozen=True)
class Rate:
    """A response rate with the surveys sent and answered it stands on."""

    value: Decimal | None
    answered: int
    sent: int

    @property
    def thin(self) -> bool:
        return 0 < self.sent < THIN_BELOW


def nps_score(figures: dict) -> Score:
    answers = figures.get("nps_answers", 0)
    # One rounding of the exact difference, not a difference of two rounded shares.
    value = _percent(figures.get("promoters", 0) - figures.get("detractors", 0), answers)
    return Score(value, answers)


def csat_score(figures: dict) -> Score:
    answers = figures.get("csat_answers", 0)
    return Score(_percent(figures.get("satisfied", 0), answers), answers)


def response_rate_of(figures: dict) -> Rate:
    sent, answered = figures.get("sent", 0), figures.get("answered", 0)
    return Rate(_percent(answered, sent), answered, sent)


def nps(responses: QuerySet[SurveyResponse], start: datetime, end: datetime) -> Decimal | None:
    """NPS = % promoters (9–10) − % detractors (0–6) among the NPS answers given in the period (−100 to 100)."""
    return nps_score(responses.aggregate(**nps_terms(start, end))).value


def csat(responses: QuerySet[SurveyResponse], start: datetime, end: datetime) -> Decimal | None:
    """CSAT % = CSAT answers given in the period scoring 4 or 5 / CSAT answers given in the period."""
    return csat_score(responses.aggregate(**csat_terms(start, end))).value


def response_rate(requests: QuerySet[SurveyRequest], start: datetime, end: datetime) -> Decimal | None:
    """Response rate % = surveys sent in the period that got an answer (at any time) / surveys sent in the period."""
    return response_rate_of(requests.aggregate(**response_rate_terms(start, end))).value


@dataclass(frozen=True)
class FeedbackFigures:
    nps: Score
    csat: Score
    response_rate: Rate

    @property
    def answers(self) -> int:
        """NPS and CSAT answers given in the period (a count: 0 is a value)."""
        return self.nps.answers + self.csat.answers


def feedback_figures(
    responses: QuerySet[SurveyResponse], requests: QuerySet[SurveyRequest], start: datetime, end: datetime
) -> FeedbackFigures:
    """NPS, CSAT and response rate of one period in two queries: one aggregate per table (each also
    limited in its WHERE to the period, so the database reads the period through a date index)."""
    scores = responses.filter(answered_in(start, end)).aggregate(**nps_terms(start, end), **csat_terms(start, end))
    sent = requests.filter(sent_in(start, end)).aggregate(**response_rate_terms(start, end))
    return FeedbackFigures(nps_score(scores), csat_score(scores), response_rate_of(sent))


@dataclass(frozen=True)
class FeedbackBucket:
    """The feedback figures of one group: a month, a quarter, a manager, a team, a tier or a trigger."""

    key: object  # the first day of the month or quarter, a user or team id, a tier or trigger code; None: none
    label: str
    nps: Score
    csat: Score
    response_rate: Rate

    @property
    def answers(self) -> int:
        return self.nps.answers + self.csat.answers


def _grouped(
    responses: QuerySet[SurveyResponse],
    requests: QuerySet[SurveyRequest],
    start: datetime,
    end: datetime,
    *,
    answer_key,
    request_key,
    name: str | None = None,
) -> dict[object, dict]:
    """{bucket key: counts (and the bucket's name)}: one grouped query over the answers, one over the requests.

    `answer_key` and `request_key` are the same grouping seen from each table (a field path or an
    expression); `name` a path to a display name that both tables reach through the client.
    """
    buckets: dict[object, dict] = {}
    for rows in (
        responses.filter(answered_in(start, end))
        .values(key=_expression(answer_key), **_name(name))
        # Meta.ordering never enters a GROUP BY since Django 3.1; the empty order_by says it anyway.
        .annotate(**nps_terms(start, end), **csat_terms(start, end))
        .order_by(),
        requests.filter(sent_in(start, end))
        .values(key=_expression(request_key), **_name(name))
        .annotate(**response_rate_terms(start, end))
        .order_by(),
    ):
        for row in rows:
            buckets.setdefault(row["key"], {}).update(row)
    return buckets


def _expression(key):
    return F(key) if isinstance(key, str) else key


def _name(path: str | None) -> dict:
    return {"name": F(path)} if path else {}


def _bucket(key, label: str, counts: dict) -> FeedbackBucket:
    return FeedbackBucket(key, label, nps_score(counts), csat_score(counts), response_rate_of(counts))


def _month_starts(first: date, last: date, step: int) -> list[date]:
    """The first days of every month (step 1) or quarter (step 3) from `first`'s to `last`'s, both given as such."""
    days, year, month = [], first.year, first.month
    while (year, month) <= (last.year, last.month):
        days.append(date(year, month, 1))
        year, month = year + (month + step - 1) // 12, (month + step - 1) % 12 + 1
    return days


def _by_calendar(
    responses: QuerySet[SurveyResponse],
    requests: QuerySet[SurveyRequest],
    start: datetime,
    end: datetime,
    *,
    step: int,
    label: Callable[[date], str],
) -> list[FeedbackBucket]:
    """Buckets per calendar month (step 1) or quarter (step 3) in the company's time zone, every one
    the period touches, in order, empty ones included."""
    zone, trunc = settings_zone(), TruncMonth if step == 1 else TruncQuarter
    counts = _grouped(
        responses,
        requests,
        start,
        end,
        answer_key=trunc("answered_at", tzinfo=zone),
        request_key=trunc("sent_at", tzinfo=zone),
    )
    # Truncated in the company's time zone, each key is midnight there of the bucket's first day.
    counts = {key.date(): row for key, row in counts.items()}
    first, last = (first_day(moment, step=step) for moment in (start, end - timedelta(microseconds=1)))
    return [_bucket(day, label(day), counts.get(day, {})) for day in _month_starts(first, last, step)]


def first_day(moment: datetime, *, step: int = 1) -> date:
    """The first day of the month (step 1) or quarter (step 3) of an instant, in the company's time zone."""
    day = timezone.localtime(moment, settings_zone()).date()
    return date(day.year, (day.month - 1) // step * step + 1, 1)


def month_start(day: date) -> datetime:
    """The instant the month of `day` begins in the company's time zone (settings.TIME_ZONE)."""
    return timezone.make_aware(datetime.combine(day.replace(day=1), time.min), settings_zone())


def month_label(day: date) -> str:
    return formats.date_format(day, "YEAR_MONTH_FORMAT")


def quarter_label(day: date) -> str:
    return _("Q%(quarter)d %(year)d") % {"quarter": (day.month + 2) // 3, "year": day.year}


def feedback_by_month(
    responses: QuerySet[SurveyResponse], requests: QuerySet[SurveyRequest], start: datetime, end: datetime
) -> list[FeedbackBucket]:
    """Feedback figures per calendar month of the company's time zone: every month the period touches, in
    order, empty ones included (no value); a month at an end of the period counts only its part inside it."""
    return _by_calendar(responses, requests, start, end, step=1, label=month_label)


def feedback_by_quarter(
    responses: QuerySet[SurveyResponse], requests: QuerySet[SurveyRequest], start: datetime, end: datetime
) -> list[FeedbackBucket]:
    """Feedback figures per calendar quarter of the company's time zone, like feedback_by_month."""
    return _by_calendar(responses, requests, start, end, step=3, label=quarter_label)


def _sorted_by_label(buckets: list[FeedbackBucket]) -> list[FeedbackBucket]:
    """Alphabetically, the bucket without a key ("No account manager", "No team") last."""
    return sorted(buckets, key=lambda bucket: (bucket.key is None, bucket.label.casefold(), str(bucket.key)))


def feedback_by_manager(
    responses: QuerySet[SurveyResponse], requests: QuerySet[SurveyRequest], start: datetime, end: datetime
) -> list[FeedbackBucket]:
    """Feedback figures per the client's (current) account manager, by name; only managers with figures."""
    path = "client__account_manager"
    counts = _grouped(responses, requests, start, end, answer_key=path, request_key=path, name=f"{path}__full_name")
    return _sorted_by_label(
        [_bucket(key, row["name"] if key is not None else _("No account manager"), row) for key, row in counts.items()]
    )


def feedback_by_team(
    responses: QuerySet[SurveyResponse], requests: QuerySet[SurveyRequest], start: datetime, end: datetime
) -> list[FeedbackBucket]:
    """Feedback figures per team of the client's account manager, by name; only teams with figures."""
    path = "client__account_manager__team"
    counts = _grouped(responses, requests, start, end, answer_key=path, request_key=path, name=f"{path}__name")
    return _sorted_by_label(
        [_bucket(key, row["name"] if key is not None else _("No team"), row) for key, row in counts.items()]
    )


def _by_choice(counts: dict[object, dict], choices: type) -> list[FeedbackBucket]:
    """Buckets keyed by a choice, in the choices' order (a code no longer among them last)."""
    order = {value: position for position, value in enumerate(choices.values)}
    labels = dict(choices.choices)
    return [
        _bucket(key, str(labels.get(key, key)), counts[key])
        for key in sorted(counts, key=lambda key: (order.get(key, len(order)), str(key)))
    ]


def feedback_by_tier(
    responses: QuerySet[SurveyResponse], requests: QuerySet[SurveyRequest], start: datetime, end: datetime
) -> list[FeedbackBucket]:
    """Feedback figures per the client's (current) tier; only tiers with figures."""
    return _by_choice(
        _grouped(responses, requests, start, end, answer_key="client__tier", request_key="client__tier"), Tier
    )


def feedback_by_trigger(
    responses: QuerySet[SurveyResponse], requests: QuerySet[SurveyRequest], start: datetime, end: datetime
) -> list[FeedbackBucket]:
    """Feedback figures per what sent the survey (order delivered, complaint resolved, …), with figures only."""
    return _by_choice(
        _grouped(responses, requests, start, end, answer_key="request__trigger", request_key="trigger"), TriggerKind
    )
