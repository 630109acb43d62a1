"""Shared pieces of the metric definitions: percentages, medians and averages read in the database."""

from decimal import ROUND_HALF_UP, Decimal

from django.db.models import QuerySet


def percent(part: int, whole: int) -> Decimal | None:
    """part / whole as a percentage rounded half up to one decimal; None (no value) when whole is 0."""
    if not whole:
        return None
    return (Decimal(100) * part / whole).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


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


def average(total: int | None, count: int) -> Decimal | None:
    if not count:
        return None
    return (Decimal(total) / count).quantize(Decimal(1), rounding=ROUND_HALF_UP)
