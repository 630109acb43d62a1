"""Workload metrics: interactions logged and follow-ups done or overdue."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import Count, F, Q, QuerySet
from django.db.models.functions import TruncWeek
from django.utils import timezone

from interactions.models import FollowUp, FollowUpStatus, Interaction, InteractionStatus
from orders.models import settings_zone


def logged_in(start: datetime, end: datetime) -> Q:
    """Interactions that took place in the period (completed; a scheduled meeting is not yet logged work)."""
    return Q(status=InteractionStatus.COMPLETED, occurred_at__gte=start, occurred_at__lt=end)


def interactions_logged(interactions: QuerySet[Interaction], start: datetime, end: datetime) -> int:
    """Completed interactions that took place in the period (a count: 0 is a value)."""
    return interactions.filter(logged_in(start, end)).count()


def done_in(start: datetime, end: datetime) -> Q:
    """Follow-ups marked done in the period."""
    return Q(status=FollowUpStatus.DONE, completed_at__gte=start, completed_at__lt=end)


def overdue_at(moment: datetime) -> Q:
    """Follow-ups overdue at an instant: created before it, due before it, and still open then — open now,
    or done only at or after it. Cancelled ones are left out (when they were cancelled is not kept)."""
    still_open = Q(status=FollowUpStatus.OPEN) | Q(status=FollowUpStatus.DONE, completed_at__gte=moment)
    return Q(created_at__lt=moment, due_at__lt=moment) & still_open


def follow_ups_counted_since(moment: datetime) -> Q:
    """Every follow-up that done_in or overdue_at can count for a period or instant from `moment` on:
    done since then, or still open (a narrowing for the WHERE clause; the counts decide)."""
    return Q(completed_at__gte=moment) | Q(status=FollowUpStatus.OPEN)


def follow_up_terms(start: datetime, end: datetime, at: datetime, *, prefix: str = "") -> dict[str, Count]:
    """Counts behind follow_ups_done (in the period) and follow_ups_overdue (at the instant `at`)."""
    return {
        f"{prefix}follow_ups_done": Count("pk", filter=done_in(start, end)),
        f"{prefix}follow_ups_overdue": Count("pk", filter=overdue_at(at)),
    }


def follow_ups_done(follow_ups: QuerySet[FollowUp], start: datetime, end: datetime) -> int:
    """Follow-ups done in the period (a count)."""
    return follow_ups.filter(done_in(start, end)).count()


def follow_ups_overdue(follow_ups: QuerySet[FollowUp], at: datetime) -> int:
    """Follow-ups overdue at an instant (a count); at now, the open ones past their due time."""
    return follow_ups.filter(overdue_at(at)).count()


@dataclass(frozen=True)
class WeekCount:
    week: date  # the Monday the week starts on, in the company's time zone
    person_id: int | None  # who logged them (None: a user since deleted)
    count: int


def interactions_by_week(interactions: QuerySet[Interaction], start: datetime, end: datetime) -> list[WeekCount]:
    """Completed interactions of the period per ISO week (Monday first, company time zone) and per who
    logged them; only weeks and people with interactions, in week order."""
    rows = (
        interactions.filter(logged_in(start, end))
        .values(week=TruncWeek("occurred_at", tzinfo=settings_zone()), person=F("logged_by"))
        .annotate(n=Count("pk"))
        .order_by("week", "person")
    )
    return [WeekCount(row["week"].date(), row["person"], row["n"]) for row in rows]


def week_starts(start: datetime, end: datetime) -> list[date]:
    """The Mondays of every week the period [start, end) touches, in the company's time zone."""
    zone = settings_zone()
    first = timezone.localtime(start, zone).date()
    last = timezone.localtime(end - timedelta(microseconds=1), zone).date()
    monday = first - timedelta(days=first.weekday())
    weeks = []
    while monday <= last:
        weeks.append(monday)
        monday += timedelta(days=7)
    return weeks


def week_start(day: date) -> datetime:
    """The instant the week (Monday first) of `day` begins in the company's time zone."""
    monday = day - timedelta(days=day.weekday())
    return timezone.make_aware(datetime.combine(monday, time.min), settings_zone())
