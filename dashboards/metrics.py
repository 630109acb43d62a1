"""Every metric of the product, defined once (DESIGN principle 5; documented in docs/metrics.md).

Each function takes a queryset already limited to what the viewer may see and a period
[start, end), computes in the database, and returns None for "no value" (an empty set),
never 0 in its place. Medians read only the middle row(s) of the sorted column (OFFSET/LIMIT).
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Exists, F, Max, OuterRef, Q, QuerySet, Sum
from django.db.models.functions import TruncDate, TruncMonth, TruncQuarter
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from clients.models import Client, Tier
from complaints.models import Complaint, ComplaintCategory, RootCause, SlaState
from complaints.selectors import with_sla
from feedback.models import SurveyKind, SurveyRequest, SurveyResponse, TriggerKind
from orders.models import Order, OrderLine, OrderStatus, settings_zone

# Orders that count as business: taken and not cancelled (drafts are not orders yet).
NOT_PLACED = (OrderStatus.DRAFT, OrderStatus.CANCELLED)
PLACED = ~Q(status__in=NOT_PLACED)


def _percent(part: int, whole: int) -> Decimal | None:
    if not whole:
        return None
    return (Decimal(100) * part / whole).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def delivered_revenue(orders: QuerySet[Order], start: datetime, end: datetime) -> dict[str, Decimal]:
    """Revenue = totals of orders delivered in the period, per currency ({} when none)."""
    rows = (
        orders.filter(status=OrderStatus.DELIVERED, delivered_at__gte=start, delivered_at__lt=end)
        .values("currency")
        .annotate(amount=Sum("total"))
        .order_by("-amount", "currency")
    )
    return {row["currency"]: row["amount"] for row in rows}


# Each ratio is defined once as a pair of counting terms, so one page can compute several
# metrics in a single aggregate query and each metric function stays the definition.


def on_time_delivery_terms(start: datetime, end: datetime) -> dict:
    """Counts behind on_time_delivery: delivered in the period, and of those on or before the promised date."""
    delivered = Q(status=OrderStatus.DELIVERED, delivered_at__gte=start, delivered_at__lt=end)
    # The delivery day is the company's calendar day (settings.TIME_ZONE), like the promised date.
    on_time = delivered & Q(promised_on__gte=TruncDate("delivered_at", tzinfo=settings_zone()))
    return {"delivered": Count("pk", filter=delivered), "on_time": Count("pk", filter=on_time)}


def on_time_delivery(orders: QuerySet[Order], start: datetime, end: datetime) -> Decimal | None:
    """On-time delivery % = orders delivered in the period on or before their promised date / orders delivered."""
    figures = orders.aggregate(**on_time_delivery_terms(start, end))
    return _percent(figures["on_time"], figures["delivered"])


def repeat_order_terms(start: datetime, end: datetime) -> dict:
    """Counts behind repeat_order_rate: placed orders of the period, and of those the reorders."""
    earlier = OrderLine.objects.filter(
        ~Q(order__status__in=NOT_PLACED),
        order__client_id=OuterRef(OuterRef("client_id")),
        order__created_at__lt=OuterRef(OuterRef("created_at")),
        product_id=OuterRef("product_id"),
    )
    reorders = OrderLine.objects.filter(order_id=OuterRef("pk"), product__isnull=False).filter(Exists(earlier))
    placed = PLACED & Q(created_at__gte=start, created_at__lt=end)
    return {"placed": Count("pk", filter=placed), "repeat": Count("pk", filter=placed & Q(Exists(reorders)))}


def repeat_order_rate(orders: QuerySet[Order], start: datetime, end: datetime) -> Decimal | None:
    """Repeat-order rate % = placed orders of the period that reorder a catalogue product the same
    client had in an earlier placed order / placed orders of the period."""
    figures = orders.aggregate(**repeat_order_terms(start, end))
    return _percent(figures["repeat"], figures["placed"])


@dataclass
class ClientOrderFigures:
    revenue: dict[str, Decimal]  # per currency, delivered in the last 12 months
    orders: int  # placed in the last 12 months
    repeat_rate: Decimal | None
    on_time: Decimal | None
    last_order_at: datetime | None


def client_order_figures(client: Client, *, now: datetime | None = None) -> ClientOrderFigures:
    """The client page's key figures over the last 12 months (365 days up to now)."""
    end = now or timezone.now()
    start = end - timedelta(days=365)
    orders = Order.objects.filter(client=client)
    # One aggregate for every count, one grouped query for revenue per currency.
    figures = orders.aggregate(
        **on_time_delivery_terms(start, end),
        **repeat_order_terms(start, end),
        last=Max("created_at", filter=PLACED),
    )
    return ClientOrderFigures(
        revenue=delivered_revenue(orders, start, end),
        orders=figures["placed"],
        repeat_rate=_percent(figures["repeat"], figures["placed"]),
        on_time=_percent(figures["on_time"], figures["delivered"]),
        last_order_at=figures["last"],
    )


# --- Complaints ------------------------------------------------------------------------------
# Which complaints each figure is taken over. Durations are written when they end (complaints.
# services.sla), so every median reads a stored integer.


def received_in(start: datetime, end: datetime) -> Q:
    return Q(received_at__gte=start, received_at__lt=end)


def resolved_in(start: datetime, end: datetime) -> Q:
    """Resolved in the period and not reopened since (a reopen clears resolved_at)."""
    return Q(resolved_at__gte=start, resolved_at__lt=end)


def first_answered_in(start: datetime, end: datetime) -> Q:
    return Q(first_response_at__gte=start, first_response_at__lt=end)


def median(values: QuerySet, field: str, *, count: int | None = None) -> Decimal | None:
    """Median of an integer column over the rows of `values` where it is set (None when none are).

    Sorted in the database, only the middle row (odd count) or the two middle rows (even count)
    are fetched, by OFFSET/LIMIT; `count` spares the counting query when the caller knows it.
    """
    values = values.filter(**{f"{field}__isnull": False})
    if count is None:
        count = values.count()
    if not count:
        return None
    offset = (count - 1) // 2
    middle = list(values.order_by(field).values_list(field, flat=True)[offset : offset + 2 - count % 2])
    return Decimal(sum(middle)) / len(middle)


def complaints_received(complaints: QuerySet[Complaint], start: datetime, end: datetime) -> int:
    """Complaints received in the period (a count: 0 is a value here, not "no value")."""
    return complaints.filter(received_in(start, end)).count()


def median_resolution_seconds(complaints: QuerySet[Complaint], start: datetime, end: datetime) -> Decimal | None:
    """Median resolution time, in seconds, of complaints resolved in the period.

    Resolution time = resolved_at - received_at minus the time spent waiting for the client.
    """
    return median(complaints.filter(resolved_in(start, end)), "resolution_seconds")


def resolution_terms(start: datetime, end: datetime) -> dict:
    """Sums behind average_resolution_seconds: timed resolutions of the period and their total."""
    resolved = resolved_in(start, end)
    return {
        "resolution_timed": Count("resolution_seconds", filter=resolved),
        "resolution_total": Sum("resolution_seconds", filter=resolved),
    }


def _average(total: int | None, count: int) -> Decimal | None:
    if not count:
        return None
    return (Decimal(total) / count).quantize(Decimal(1), rounding=ROUND_HALF_UP)


def average_resolution_seconds(complaints: QuerySet[Complaint], start: datetime, end: datetime) -> Decimal | None:
    """Average resolution time, in whole seconds (half up), of complaints resolved in the period."""
    figures = complaints.aggregate(**resolution_terms(start, end))
    return _average(figures["resolution_total"], figures["resolution_timed"])


def median_first_response_minutes(complaints: QuerySet[Complaint], start: datetime, end: datetime) -> Decimal | None:
    """Median first-response time, in business minutes, of complaints first answered in the period."""
    return median(complaints.filter(first_answered_in(start, end)), "first_response_business_minutes")


def sla_terms(start: datetime, end: datetime) -> dict:
    """Counts behind sla_compliance, over a queryset annotated by complaints.selectors.with_sla."""
    received = received_in(start, end)
    return {
        "received": Count("pk", filter=received),
        "sla_kept": Count("pk", filter=received & ~Q(sla=SlaState.BREACHED)),
    }


def sla_compliance(
    complaints: QuerySet[Complaint], start: datetime, end: datetime, *, now: datetime | None = None
) -> Decimal | None:
    """SLA compliance % = complaints received in the period not breached as of `now` / complaints received.

    Not breached: no recorded first-response or resolution breach and, while open, no due time
    passed yet (the complaint's SLA state, as the complaint pages show it).
    """
    figures = with_sla(complaints, now=now).aggregate(**sla_terms(start, end))
    return _percent(figures["sla_kept"], figures["received"])


def reopen_terms(start: datetime, end: datetime) -> dict:
    """Counts behind reopen_rate: complaints resolved in the period, and of those the reopened ones."""
    resolved = resolved_in(start, end)
    return {"resolved": Count("pk", filter=resolved), "reopened": Count("pk", filter=resolved & Q(reopen_count__gt=0))}


def reopen_rate(complaints: QuerySet[Complaint], start: datetime, end: datetime) -> Decimal | None:
    """Reopen rate % = complaints resolved in the period that were reopened at least once / complaints resolved."""
    figures = complaints.aggregate(**reopen_terms(start, end))
    return _percent(figures["reopened"], figures["resolved"])


@dataclass(frozen=True)
class ParetoRow:
    key: int | None  # the category's or root cause's id; None for "not recorded"
    label: str
    count: int
    percent: Decimal  # of all complaints counted
    cumulative_percent: Decimal  # this row and every larger one before it


def _pareto(rows: list[tuple[int | None, str, int]]) -> list[ParetoRow]:
    """Shares and running shares of rows already sorted largest first (a few dozen groups at most)."""
    total = sum(count for _key, _label, count in rows)
    result, running = [], 0
    for key, label, count in rows:
        running += count
        result.append(ParetoRow(key, label, count, _percent(count, total), _percent(running, total)))
    return result


NAME_FIELDS = ("name", "name_ru", "name_lt")


def _named(model: type, row: dict, prefix: str) -> str:
    """The name of a grouped row's category or root cause in the active language (its model's __str__)."""
    return str(model(**{field: row[f"{prefix}__{field}"] for field in NAME_FIELDS}))


def complaints_by_category(complaints: QuerySet[Complaint], start: datetime, end: datetime) -> list[ParetoRow]:
    """Complaints received in the period per category, most frequent first, with cumulative % (Pareto)."""
    rows = (
        complaints.filter(received_in(start, end))
        .values("category_id", *(f"category__{field}" for field in NAME_FIELDS))
        .annotate(n=Count("pk"))
        .order_by("-n", "category__position", "category__name")
    )
    return _pareto([(row["category_id"], _named(ComplaintCategory, row, "category"), row["n"]) for row in rows])


def complaints_by_root_cause(complaints: QuerySet[Complaint], start: datetime, end: datetime) -> list[ParetoRow]:
    """Complaints resolved in the period per root cause, most frequent first, with cumulative % (Pareto).

    Resolving requires a root cause; a resolved complaint without one shows as "Not recorded"
    (after the causes with as many complaints).
    """
    rows = (
        complaints.filter(resolved_in(start, end))
        .values("root_cause_id", *(f"root_cause__{field}" for field in NAME_FIELDS))
        .annotate(n=Count("pk"))
        .order_by("-n", F("root_cause__position").asc(nulls_last=True), "root_cause__name")
    )
    return _pareto(
        [
            (
                row["root_cause_id"],
                _named(RootCause, row, "root_cause") if row["root_cause_id"] is not None else _("Not recorded"),
                row["n"],
            )
            for row in rows
        ]
    )


@dataclass
class ComplaintFigures:
    received: int
    median_resolution_seconds: Decimal | None
    average_resolution_seconds: Decimal | None
    median_first_response_minutes: Decimal | None
    sla_compliance: Decimal | None
    reopen_rate: Decimal | None


def complaint_figures(
    complaints: QuerySet[Complaint], start: datetime, end: datetime, *, now: datetime | None = None
) -> ComplaintFigures:
    """Every complaint KPI of one period in at most three queries: one aggregate, then the two medians."""
    terms = {
        **sla_terms(start, end),
        **resolution_terms(start, end),
        **reopen_terms(start, end),
        "first_answered": Count("first_response_business_minutes", filter=first_answered_in(start, end)),
    }
    figures = with_sla(complaints, now=now).aggregate(**terms)
    return ComplaintFigures(
        received=figures["received"],
        median_resolution_seconds=median(
            complaints.filter(resolved_in(start, end)), "resolution_seconds", count=figures["resolution_timed"]
        ),
        average_resolution_seconds=_average(figures["resolution_total"], figures["resolution_timed"]),
        median_first_response_minutes=median(
            complaints.filter(first_answered_in(start, end)),
            "first_response_business_minutes",
            count=figures["first_answered"],
        ),
        sla_compliance=_percent(figures["sla_kept"], figures["received"]),
        reopen_rate=_percent(figures["reopened"], figures["resolved"]),
    )


# --- Feedback --------------------------------------------------------------------------------
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


def _nps_score(figures: dict) -> Score:
    answers = figures.get("nps_answers", 0)
    # One rounding of the exact difference, not a difference of two rounded shares.
    value = _percent(figures.get("promoters", 0) - figures.get("detractors", 0), answers)
    return Score(value, answers)


def _csat_score(figures: dict) -> Score:
    answers = figures.get("csat_answers", 0)
    return Score(_percent(figures.get("satisfied", 0), answers), answers)


def _rate(figures: dict) -> Rate:
    sent, answered = figures.get("sent", 0), figures.get("answered", 0)
    return Rate(_percent(answered, sent), answered, sent)


def nps(responses: QuerySet[SurveyResponse], start: datetime, end: datetime) -> Decimal | None:
    """NPS = % promoters (9–10) − % detractors (0–6) among the NPS answers given in the period (−100 to 100)."""
    return _nps_score(responses.aggregate(**nps_terms(start, end))).value


def csat(responses: QuerySet[SurveyResponse], start: datetime, end: datetime) -> Decimal | None:
    """CSAT % = CSAT answers given in the period scoring 4 or 5 / CSAT answers given in the period."""
    return _csat_score(responses.aggregate(**csat_terms(start, end))).value


def response_rate(requests: QuerySet[SurveyRequest], start: datetime, end: datetime) -> Decimal | None:
    """Response rate % = surveys sent in the period that got an answer (at any time) / surveys sent in the period."""
    return _rate(requests.aggregate(**response_rate_terms(start, end))).value


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
    """NPS, CSAT and response rate of one period in two queries: one aggregate per table."""
    scores = responses.aggregate(**nps_terms(start, end), **csat_terms(start, end))
    return FeedbackFigures(
        _nps_score(scores), _csat_score(scores), _rate(requests.aggregate(**response_rate_terms(start, end)))
    )


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
    return FeedbackBucket(key, label, _nps_score(counts), _csat_score(counts), _rate(counts))


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
