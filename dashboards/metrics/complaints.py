"""Complaint metrics: counts, resolution and first-response times, SLA compliance, reopens, Pareto."""

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from django.db.models import Count, F, Q, QuerySet, Sum
from django.utils.translation import gettext as _

from complaints.models import OPEN_STATUSES, Complaint, ComplaintCategory, RootCause, SlaState
from complaints.selectors import with_sla

from .common import average as _average
from .common import median
from .common import percent as _percent

# Which complaints each figure is taken over. Durations are written when they end (complaints.
# services.sla), so every median reads a stored integer.


def received_in(start: datetime, end: datetime) -> Q:
    return Q(received_at__gte=start, received_at__lt=end)


def resolved_in(start: datetime, end: datetime) -> Q:
    """Resolved in the period and not reopened since (a reopen clears resolved_at)."""
    return Q(resolved_at__gte=start, resolved_at__lt=end)


def first_answered_in(start: datetime, end: datetime) -> Q:
    return Q(first_response_at__gte=start, first_response_at__lt=end)


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
    period = received_in(start, end) | resolved_in(start, end) | first_answered_in(start, end)
    figures = with_sla(complaints.filter(period), now=now).aggregate(**terms)
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


# --- Open and breached at an instant -------------------------------------------------------------
# The complaint keeps when it was received, resolved, closed and when each clock breached (stamped
# with the due time it crossed), so the open set at any instant can be read back. A reopen clears
# resolved_at: a complaint resolved before the instant and reopened after it counts as open then.


def open_at(moment: datetime) -> Q:
    """Complaints open at an instant: received before it, and not yet resolved or closed by then."""
    return Q(received_at__lt=moment) & ~Q(resolved_at__lt=moment) & ~Q(closed_at__lt=moment)


def breached_at(moment: datetime) -> Q:
    """Open complaints that had breached a clock by the instant: a stamped breach, or (still open now) a due
    time passed without a first reply or while the resolution clock runs — the pages' SLA state."""
    live = Q(status__in=OPEN_STATUSES) & (
        Q(first_response_at__isnull=True, first_response_due_at__lt=moment)
        | Q(resolution_running_since__isnull=False, resolution_due_at__lt=moment)
    )
    stamped = Q(first_response_breached_at__lt=moment) | Q(resolution_breached_at__lt=moment)
    return open_at(moment) & (stamped | live)


def complaints_counted_since(moment: datetime) -> Q:
    """Every complaint a period or instant from `moment` on can count: received, answered, resolved or
    closed since then, or still open (a narrowing for the WHERE clause; the counts decide)."""
    return (
        Q(received_at__gte=moment)
        | Q(first_response_at__gte=moment)
        | Q(resolved_at__gte=moment)
        | Q(closed_at__gte=moment)
        | Q(status__in=OPEN_STATUSES)
    )


def open_complaint_terms(moment: datetime, *, prefix: str = "") -> dict[str, Count]:
    """Counts behind open_complaints: open at the instant, and of those the breached."""
    return {
        f"{prefix}open": Count("pk", filter=open_at(moment)),
        f"{prefix}breached": Count("pk", filter=breached_at(moment)),
    }


def open_complaints(complaints: QuerySet[Complaint], moment: datetime) -> tuple[int, int]:
    """(open, breached): complaints open at the instant, and how many of them had breached their SLA (counts)."""
    figures = complaints.aggregate(**open_complaint_terms(moment))
    return figures["open"], figures["breached"]
