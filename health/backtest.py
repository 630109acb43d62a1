"""How well the health score foresaw churn: the score recomputed as it stood 30 and 60 days before each churn.

Definitions (the same in `manage.py health_backtest` and bench/results.md):
- A score "as of" a company day is `compute_health(as_of=<that day at HEALTH_RECOMPUTE_HOUR:30 company time>)`, what
  the nightly run would have shown that morning from the data before it.
- Recall@N: of the clients that churned in the window (churned_on in the last `months` months, and created before
  the day N days before it), the share that were "at risk" N days before their churn date. The share in "watch" or
  worse is reported beside it.
- Precision@N: on monthly evaluation days (the 1st of each month of the window whose next N days are over), of the
  clients at risk that day, the share that churned within the next N days (churned_on in (day, day + N]); pooled
  over the days. Base rate@N: the same share among every client scoreable that day; lift = precision / base rate.
- Scoreable on a day: created before it and active or prospect now, or churned after it. Clients inactive now are
  left out (when they went inactive is not recorded).

Clients are scored in one `compute_health` call per evaluation day (set-based), never one by one.
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from clients.models import Client, HealthBand, Status

from .models import HealthConfig
from .scoring import compute_health

HORIZONS = (30, 60)
WATCH_OR_WORSE = (HealthBand.WATCH, HealthBand.AT_RISK)


def as_of_day(day: date) -> datetime:
    """The moment the nightly run scores a company day: HEALTH_RECOMPUTE_HOUR:30 company time."""
    hour = getattr(settings, "HEALTH_RECOMPUTE_HOUR", 2)
    return timezone.make_aware(datetime.combine(day, time(hour, 30)), timezone.get_default_timezone())


@dataclass
class Recall:
    horizon: int
    churned: int = 0  # churned clients old enough to be scored N days before
    at_risk: int = 0
    watch_or_worse: int = 0
    too_young: int = 0  # created after the day N days before their churn: not evaluated
    missed: list[int] = field(default_factory=list)  # ids of churned clients not at risk then

    @property
    def recall(self) -> float | None:
        return self.at_risk / self.churned if self.churned else None

    @property
    def recall_watch(self) -> float | None:
        return self.watch_or_worse / self.churned if self.churned else None


@dataclass
class Precision:
    horizon: int
    days: list[date] = field(default_factory=list)
    scored: int = 0  # client-days scoreable
    churned: int = 0  # of them, churned within N days
    at_risk: int = 0  # client-days at risk
    true_positives: int = 0  # at risk and churned within N days

    @property
    def precision(self) -> float | None:
        return self.true_positives / self.at_risk if self.at_risk else None

    @property
    def base_rate(self) -> float | None:
        return self.churned / self.scored if self.scored else None

    @property
    def lift(self) -> float | None:
        if self.precision is None or not self.base_rate:
            return None
        return self.precision / self.base_rate


@dataclass
class Backtest:
    today: date
    start: date  # churn dates evaluated: (start, today]
    months: int
    clients: int  # every client in the database
    churned_in_window: int
    recall: dict[int, Recall]
    precision: dict[int, Precision]


def _scores(day: date, client_ids: list[int], config: HealthConfig) -> dict[int, str]:
    """The band of each client as of `day` (one set-based compute per day)."""
    if not client_ids:
        return {}
    results = compute_health(as_of=as_of_day(day), client_ids=client_ids, config=config)
    return {client_id: result.band for client_id, result in results.items()}


def _monthly_days(start: date, last: date) -> list[date]:
    """The 1st of every month after `start` up to `last`."""
    days, day = [], date(start.year, start.month, 1)
    while day <= last:
        if day > start:
            days.append(day)
        day = date(day.year + (day.month == 12), day.month % 12 + 1, 1)
    return days


def run_backtest(
    *, today: date | None = None, months: int = 12, horizons: Iterable[int] = HORIZONS, config=None
) -> Backtest:
    """Recall and precision of the "at risk" band against the churn recorded in the last `months` months."""
    today = today or timezone.localdate()
    config = config or HealthConfig.get()
    horizons = tuple(horizons)
    start = today - timedelta(days=round(months * 365 / 12))
    churned = list(
        Client.objects.filter(status=Status.CHURNED, churned_on__gt=start, churned_on__lte=today).values_list(
            "pk", "churned_on", "created_at"
        )
    )
    recall = {h: Recall(h) for h in horizons}
    for h in horizons:
        by_day: dict[date, list[int]] = defaultdict(list)
        for pk, churned_on, created_at in churned:
            day = churned_on - timedelta(days=h)
            if created_at < as_of_day(day):
                by_day[day].append(pk)
            else:
                recall[h].too_young += 1
        for day, ids in sorted(by_day.items()):
            bands = _scores(day, ids, config)
            for pk in ids:
                band = bands.get(pk, "")
                recall[h].churned += 1
                recall[h].at_risk += band == HealthBand.AT_RISK
                recall[h].watch_or_worse += band in WATCH_OR_WORSE
                if band != HealthBand.AT_RISK:
                    recall[h].missed.append(pk)

    precision = {h: Precision(h) for h in horizons}
    for day in _monthly_days(start, today - timedelta(days=min(horizons))):
        moment = as_of_day(day)
        rows = list(
            Client.objects.filter(created_at__lt=moment)
            .filter(Q(status__in=(Status.ACTIVE, Status.PROSPECT)) | Q(status=Status.CHURNED, churned_on__gt=day))
            .values_list("pk", "churned_on")
        )
        bands = _scores(day, [pk for pk, _ in rows], config)
        for h in horizons:
            if day + timedelta(days=h) > today:
                continue  # the outcome is not known yet
            p = precision[h]
            p.days.append(day)
            for pk, churned_on in rows:
                left = churned_on is not None and day < churned_on <= day + timedelta(days=h)
                risky = bands.get(pk) == HealthBand.AT_RISK
                p.scored += 1
                p.churned += left
                p.at_risk += risky
                p.true_positives += risky and left
    return Backtest(
        today=today,
        start=start,
        months=months,
        clients=Client.objects.count(),
        churned_in_window=len(churned),
        recall=recall,
        precision=precision,
    )


# --- Report ------------------------------------------------------------------------------------------------------


def _percent(value: float | None) -> str:
    return "—" if value is None else f"{100 * value:.0f} %"


def table(result: Backtest) -> list[str]:
    """The figures as a Markdown table (also what the command prints)."""
    lines = [
        "| Horizon | Recall (at risk) | Recall (watch or worse) | Churned evaluated | Precision (at risk) "
        "| At-risk client-days | Base churn rate | Lift |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for h in result.recall:
        r, p = result.recall[h], result.precision[h]
        lift = "—" if p.lift is None else f"{p.lift:.1f}×"
        lines.append(
            f"| {h} days | {_percent(r.recall)} ({r.at_risk}/{r.churned}) | {_percent(r.recall_watch)} "
            f"({r.watch_or_worse}/{r.churned}) | {r.churned} | {_percent(p.precision)} ({p.true_positives}/"
            f"{p.at_risk}) | {p.at_risk} | {_percent(p.base_rate)} ({p.churned}/{p.scored}) | {lift} |"
        )
    return lines


def section(result: Backtest, *, data_set: str) -> str:
    """The body of the "## Health backtest" section of bench/results.md."""
    config = HealthConfig.get()
    weights = ", ".join(f"{name} {weight}" for name, weight in config.weights.items())
    days = sorted({d for p in result.precision.values() for d in p.days})
    span = f"{days[0]:%Y-%m-%d} … {days[-1]:%Y-%m-%d}" if days else "none"
    young = ", ".join(f"{r.too_young} at {h} days" for h, r in result.recall.items())
    return "\n".join(
        [
            f"Written by `manage.py health_backtest --write` on {timezone.localtime():%Y-%m-%d %H:%M %Z}. "
            f"Data set: {data_set}: {result.clients:,} clients, {result.churned_in_window} churned between "
            f"{result.start:%Y-%m-%d} and {result.today:%Y-%m-%d} (too young to be scored that far back: {young}).",
            "",
            *table(result),
            "",
            f"Scoring: weights {weights}; at risk below {config.at_risk_below}, watch below {config.watch_below}. "
            f"Monthly evaluation days: {len(days)} ({span}).",
            "",
            "Definitions: a score as of a day is `compute_health` at 02:30 company time that day, from the data "
            "before it. Recall@N = churned clients (churned in the window, created before the day N days before "
            "their churn) that were at risk N days before their churn date / those churned clients. Precision@N = "
            "on the 1st of each month whose next N days are over, clients at risk that day that churned within "
            "the next N days / clients at risk that day, pooled over the days. Base churn rate@N = the same "
            "share among every client scoreable that day (created before it; active or prospect now, or churned "
            "after it; clients inactive now are left out); lift = precision / base rate.",
        ]
    )
