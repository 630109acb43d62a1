"""Daily segment sizes: how many clients each active segment held on each day, for its trend line.

The beat records today's figure every hour, so a day keeps its latest count; a day is a calendar day in
the company's time zone (settings.TIME_ZONE), like the calendar days of the rules themselves.
"""

import datetime
import logging

from django.db import transaction
from django.db.models import OuterRef, QuerySet, Subquery
from django.utils import timezone

from clients.models import Client
from core.exceptions import ApplicationError

from .models import Segment, SegmentSize
from .selectors import get_segment_condition, list_active_segments

logger = logging.getLogger(__name__)

TREND_DAYS = 90


def company_day(moment: datetime.datetime) -> datetime.date:
    """The calendar day `moment` falls on in the company's time zone (not the user's)."""
    return timezone.localtime(moment, timezone.get_default_timezone()).date()


@transaction.atomic
def record_segment_sizes(*, now: datetime.datetime | None = None) -> int:
    """Write today's size of every active segment, counting all its members (whoever may see them); running
    again the same day replaces that day's figure instead of adding a row. Returns how many were written."""
    now = now or timezone.now()
    day = company_day(now)
    rows = []
    for segment in list_active_segments():
        try:
            condition = get_segment_condition(segment, now=now)
        except ApplicationError:
            # Saved rules are validated on save; a tree broken behind the services' back is skipped, not fatal.
            logger.warning("Segment %s has invalid rules; its size was not recorded.", segment.pk)
            continue
        rows.append(SegmentSize(segment=segment, day=day, size=Client.objects.filter(condition).count()))
    # One upsert on the (segment, day) constraint: a second run the same day updates the row it wrote.
    SegmentSize.objects.bulk_create(
        rows, update_conflicts=True, unique_fields=["segment", "day"], update_fields=["size"]
    )
    return len(rows)


def with_latest_size(segments: QuerySet[Segment]) -> QuerySet[Segment]:
    """The segments, each with `latest_size` and `latest_day` of its most recent recorded size (None if none)."""
    latest = SegmentSize.objects.filter(segment=OuterRef("pk")).order_by("-day")
    return segments.annotate(
        latest_size=Subquery(latest.values("size")[:1]), latest_day=Subquery(latest.values("day")[:1])
    )


def list_segment_sizes(
    segment: Segment, *, days: int = TREND_DAYS, today: datetime.date | None = None
) -> list[SegmentSize]:
    """The segment's recorded sizes over the last `days` days up to today, oldest first (days without a
    record are simply missing: the beat did not run, or the segment was inactive)."""
    today = today or company_day(timezone.now())
    since = today - datetime.timedelta(days=days - 1)
    return list(segment.sizes.filter(day__gte=since, day__lte=today).order_by("day"))
