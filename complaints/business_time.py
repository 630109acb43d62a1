"""Business-time arithmetic: how much working time lies between two instants, and when N working
minutes after an instant end, on a calendar of working days, hours, a time zone and days off.

Pure functions over a `WorkingCalendar` value (no database), so the SLA rules are testable with
any frozen time. Each working day's window is built in the calendar's zone and converted to UTC,
so daylight-saving changes shift the windows correctly.
"""

import zoneinfo
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

MAX_DAYS = 3 * 366  # a safety bound: no SLA target spans years of working time


@dataclass(frozen=True)
class WorkingCalendar:
    zone: zoneinfo.ZoneInfo
    working_days: frozenset[int]  # 0 = Monday
    day_start: time
    day_end: time
    is_day_off: Callable[[date], bool] = field(default=lambda day: False)

    def window(self, day: date) -> tuple[datetime, datetime] | None:
        """The working hours of a local date, in UTC; None on a day off."""
        if day.weekday() not in self.working_days or self.is_day_off(day):
            return None
        start = datetime.combine(day, self.day_start, tzinfo=self.zone).astimezone(UTC)
        end = datetime.combine(day, self.day_end, tzinfo=self.zone).astimezone(UTC)
        return start, end


def _windows_from(calendar: WorkingCalendar, moment: datetime) -> Iterator[tuple[datetime, datetime]]:
    """Working windows that end after `moment`, in order, clipped to start no earlier than it."""
    day = moment.astimezone(calendar.zone).date() - timedelta(days=1)  # a window may cross midnight UTC
    for _ in range(MAX_DAYS):
        window = calendar.window(day)
        day += timedelta(days=1)
        if window is None or window[1] <= moment:
            continue
        yield max(window[0], moment), window[1]


def business_seconds_between(calendar: WorkingCalendar, start: datetime, end: datetime) -> int:
    """Working seconds in [start, end); 0 when end is not after start."""
    if end <= start:
        return 0
    total = 0.0
    for window_start, window_end in _windows_from(calendar, start):
        if window_start >= end:
            break
        total += (min(window_end, end) - window_start).total_seconds()
    return int(total)


def business_minutes_between(calendar: WorkingCalendar, start: datetime, end: datetime) -> int:
    """Whole working minutes in [start, end)."""
    return business_seconds_between(calendar, start, end) // 60


def add_business_minutes(calendar: WorkingCalendar, start: datetime, minutes: float) -> datetime:
    """The instant when `minutes` of working time after `start` have passed.

    Zero minutes gives `start` itself, even outside working hours: nothing is left to wait for.
    """
    remaining = timedelta(minutes=minutes)
    if remaining <= timedelta(0):
        return start
    for window_start, window_end in _windows_from(calendar, start):
        available = window_end - window_start
        if remaining <= available:
            return window_start + remaining
        remaining -= available
    raise ValueError("the calendar has no working time in the next years")


def next_business_moment(calendar: WorkingCalendar, moment: datetime) -> datetime:
    """`moment` itself during working hours, else the start of the next working window."""
    for window_start, _window_end in _windows_from(calendar, moment):
        return window_start
    raise ValueError("the calendar has no working time in the next years")
