"""The generator's fast business clock agrees with the SLA arithmetic the product uses."""

import random
import zoneinfo
from datetime import UTC, date, datetime, time

import holidays

from bench.generate.clock import BusinessClock, LocalCalendar, from_epoch, to_epoch
from complaints.business_time import WorkingCalendar, add_business_minutes, business_minutes_between

VILNIUS = zoneinfo.ZoneInfo("Europe/Vilnius")
LT_HOLIDAYS = holidays.country_holidays("LT")
CALENDAR = WorkingCalendar(VILNIUS, frozenset(range(5)), time(9), time(17), is_day_off=lambda day: day in LT_HOLIDAYS)
FIRST, LAST = date(2025, 1, 1), date(2027, 6, 30)


def test_business_clock_adds_minutes_like_the_sla_services_across_holidays_and_dst():
    clock = BusinessClock(CALENDAR, FIRST, LAST)
    rng = random.Random(3)
    start = to_epoch(datetime(2025, 2, 1, tzinfo=UTC))
    for _ in range(300):
        moment = start + rng.randrange(0, 700 * 86400, 60)
        minutes = rng.choice((0, 15, 45, 60, 240, 480, 960, 2400, 4800, 360 * 0.75))
        expected = add_business_minutes(CALENDAR, from_epoch(moment), minutes)
        assert abs(clock.add_minutes(moment, minutes) - expected.timestamp()) < 1


def test_business_clock_counts_minutes_between_like_the_sla_services():
    clock = BusinessClock(CALENDAR, FIRST, LAST)
    rng = random.Random(4)
    start = to_epoch(datetime(2025, 3, 1, tzinfo=UTC))
    for _ in range(300):
        begin = start + rng.randrange(0, 600 * 86400, 60)
        end = begin + rng.randrange(-86400, 20 * 86400, 60)
        expected = business_minutes_between(CALENDAR, from_epoch(begin), from_epoch(end))
        assert clock.minutes_between(begin, end) == expected


def test_work_moments_fall_in_office_hours_inside_the_range():
    calendar = LocalCalendar(VILNIUS, FIRST, LAST)
    rng = random.Random(5)
    low = to_epoch(datetime(2025, 3, 20, tzinfo=UTC))
    high = low + 30 * 86400
    for _ in range(500):
        moment = calendar.work_moment(rng, low, high, weekend_share=0)
        local = from_epoch(moment).astimezone(VILNIUS)
        assert low <= moment <= high
        assert 8 <= local.hour < 18
        assert local.weekday() < 5
        assert calendar.day(moment) == local.date().toordinal()
        assert calendar.midnight(calendar.day(moment)) == to_epoch(
            datetime.combine(local.date(), time(0), tzinfo=VILNIUS)
        )
    assert calendar.year(to_epoch(datetime(2025, 12, 31, 23, 30, tzinfo=UTC))) == 2026  # already 1 January in Vilnius
