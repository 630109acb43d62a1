"""Readable, gap-free numbers per year: ORD-2026-000123, CMP-2026-000045."""

import zoneinfo
from datetime import datetime

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from .models import NumberSequence


def number_year(now: datetime | None = None) -> int:
    """The year a number belongs to: the company's calendar year (settings.TIME_ZONE)."""
    return timezone.localdate(now or timezone.now(), timezone=zoneinfo.ZoneInfo(settings.TIME_ZONE)).year


def format_number(prefix: str, year: int, value: int) -> str:
    return f"{prefix}-{year}-{value:06d}"


def reserve_numbers(scope: str, year: int, count: int = 1) -> int:
    """Take `count` numbers of the scope's year; returns the first. Must run inside the caller's transaction.

    The year's counter row stays locked until that transaction commits, so concurrent callers
    queue for numbers, and a rolled-back caller gives its numbers back: no gaps.
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("reserve_numbers() must run inside the transaction that uses the numbers")
    NumberSequence.objects.get_or_create(scope=scope, year=year)
    sequence = NumberSequence.objects.select_for_update().get(scope=scope, year=year)
    first = sequence.last_value + 1
    sequence.last_value += count
    sequence.save(update_fields=["last_value"])
    return first


def allocate_number(scope: str, prefix: str, *, now: datetime | None = None) -> str:
    """The next number of the scope, e.g. allocate_number("order", "ORD") → "ORD-2026-000123"."""
    year = number_year(now)
    return format_number(prefix, year, reserve_numbers(scope, year))
