"""Business-time arithmetic: nights, weekends, holidays, time zones and clock changes."""

import zoneinfo
from datetime import UTC, date, datetime, time, timedelta

import holidays
import pytest

from complaints.business_time import (
    WorkingCalendar,
    add_business_minutes,
    business_minutes_between,
    business_seconds_between,
    next_business_moment,
)
from complaints.models import Holiday
from complaints.services.sla import working_calendar
from tests.factories.complaints import BusinessCalendarFactory, default_calendar

VILNIUS = zoneinfo.ZoneInfo("Europe/Vilnius")
NEW_YORK = zoneinfo.ZoneInfo("America/New_York")
AUCKLAND = zoneinfo.ZoneInfo("Pacific/Auckland")
MON_FRI = frozenset(range(5))
# Mon–Fri 9–17 in Vilnius without public holidays; 2 March 2026 is a Monday, before any clock change.
LT = WorkingCalendar(VILNIUS, MON_FRI, time(9), time(17))
NY = WorkingCalendar(NEW_YORK, MON_FRI, time(9), time(17))


def vilnius(month, day, hour, minute=0, year=2026):
    return datetime(year, month, day, hour, minute, tzinfo=VILNIUS)


def utc(month, day, hour, minute=0, year=2026):
    return datetime(year, month, day, hour, minute, tzinfo=UTC)


def test_two_hours_from_monday_16_00_end_on_tuesday_at_10_00():
    assert add_business_minutes(LT, vilnius(3, 2, 16), 120) == vilnius(3, 3, 10)
    assert business_minutes_between(LT, vilnius(3, 2, 16), vilnius(3, 3, 10)) == 120


def test_two_hours_from_friday_16_00_end_on_monday_at_10_00():
    assert add_business_minutes(LT, vilnius(3, 6, 16), 120) == vilnius(3, 9, 10)
    assert business_minutes_between(LT, vilnius(3, 6, 16), vilnius(3, 9, 10)) == 120
    assert business_minutes_between(LT, vilnius(3, 6, 17), vilnius(3, 9, 9)) == 0


def test_a_start_before_opening_counts_from_opening():
    assert add_business_minutes(LT, vilnius(3, 2, 7, 30), 30) == vilnius(3, 2, 9, 30)
    assert business_minutes_between(LT, vilnius(3, 2, 7, 30), vilnius(3, 2, 9, 30)) == 30


def test_a_start_after_closing_counts_from_the_next_morning():
    assert add_business_minutes(LT, vilnius(3, 2, 18), 30) == vilnius(3, 3, 9, 30)
    assert business_minutes_between(LT, vilnius(3, 2, 18), vilnius(3, 3, 9, 30)) == 30


def test_a_start_on_sunday_counts_from_monday_morning():
    assert add_business_minutes(LT, vilnius(3, 8, 12), 30) == vilnius(3, 9, 9, 30)
    assert business_minutes_between(LT, vilnius(3, 8, 12), vilnius(3, 9, 9, 30)) == 30


def test_zero_minutes_end_at_the_start_itself_even_outside_working_hours():
    assert add_business_minutes(LT, vilnius(3, 8, 12), 0) == vilnius(3, 8, 12)
    assert add_business_minutes(LT, vilnius(3, 2, 10), 0) == vilnius(3, 2, 10)
    assert add_business_minutes(LT, vilnius(3, 2, 10), -5) == vilnius(3, 2, 10)
    assert business_minutes_between(LT, vilnius(3, 2, 10), vilnius(3, 2, 10)) == 0


def test_an_end_before_the_start_is_no_time():
    assert business_seconds_between(LT, vilnius(3, 3, 10), vilnius(3, 2, 10)) == 0


def test_a_budget_ending_exactly_at_closing_time_is_due_at_closing_not_the_next_morning():
    assert add_business_minutes(LT, vilnius(3, 2, 9), 8 * 60) == vilnius(3, 2, 17)
    assert add_business_minutes(LT, vilnius(3, 2, 9), 8 * 60 + 1) == vilnius(3, 3, 9, 1)


def test_a_week_of_working_time_is_five_days_of_eight_hours():
    assert business_minutes_between(LT, vilnius(3, 2, 0), vilnius(3, 9, 0)) == 5 * 8 * 60
    assert add_business_minutes(LT, vilnius(3, 2, 10), 40 * 60) == vilnius(3, 9, 10)


def test_fractions_of_a_minute_are_kept_when_adding_and_dropped_when_counting():
    assert add_business_minutes(LT, vilnius(3, 2, 10), 11.25) == vilnius(3, 2, 10, 11) + timedelta(seconds=15)
    assert business_seconds_between(LT, vilnius(3, 2, 10), vilnius(3, 2, 10, 1) + timedelta(seconds=30)) == 90
    assert business_minutes_between(LT, vilnius(3, 2, 10), vilnius(3, 2, 10, 1) + timedelta(seconds=30)) == 1


def test_the_same_utc_instant_is_late_afternoon_in_vilnius_and_morning_in_new_york():
    start = utc(3, 2, 14)  # Monday: 16:00 in Vilnius (UTC+2), 09:00 in New York (UTC−5)

    assert add_business_minutes(LT, start, 120) == utc(3, 3, 8)  # Tuesday 10:00 in Vilnius
    assert add_business_minutes(NY, start, 120) == utc(3, 2, 16)  # Monday 11:00 in New York
    assert business_minutes_between(LT, start, utc(3, 2, 22)) == 60
    assert business_minutes_between(NY, start, utc(3, 2, 22)) == 480


def test_new_york_opens_an_hour_earlier_in_utc_once_the_us_has_moved_its_clocks():
    # The US springs forward on 8 March 2026, Europe only on 29 March.
    assert next_business_moment(NY, utc(3, 2, 12)) == utc(3, 2, 14)
    assert next_business_moment(NY, utc(3, 16, 12)) == utc(3, 16, 13)
    assert next_business_moment(LT, utc(3, 16, 6)) == utc(3, 16, 7)


def test_a_working_day_that_starts_the_previous_utc_day_is_found():
    auckland = WorkingCalendar(AUCKLAND, MON_FRI, time(9), time(17))
    # Monday 2 March 09:00 in Auckland (UTC+13) is Sunday 1 March 20:00 UTC.
    assert auckland.window(date(2026, 3, 2)) == (utc(3, 1, 20), utc(3, 2, 4))
    assert next_business_moment(auckland, utc(3, 1, 19)) == utc(3, 1, 20)
    assert add_business_minutes(auckland, utc(3, 1, 19), 60) == utc(3, 1, 21)


def test_working_hours_stay_9_to_17_local_across_the_spring_clock_change():
    # Vilnius moves from UTC+2 to UTC+3 on Sunday 29 March 2026.
    assert LT.window(date(2026, 3, 27)) == (utc(3, 27, 7), utc(3, 27, 15))
    assert LT.window(date(2026, 3, 30)) == (utc(3, 30, 6), utc(3, 30, 14))

    assert add_business_minutes(LT, vilnius(3, 27, 16), 120) == vilnius(3, 30, 10)
    assert add_business_minutes(LT, vilnius(3, 27, 16), 120) == utc(3, 30, 7)
    # The same local step a week earlier ends an hour later in UTC.
    assert add_business_minutes(LT, vilnius(3, 20, 16), 120) == utc(3, 23, 8)
    assert business_minutes_between(LT, utc(3, 27, 14), utc(3, 30, 7)) == 120


def test_working_hours_stay_9_to_17_local_across_the_autumn_clock_change():
    # Vilnius moves from UTC+3 back to UTC+2 on Sunday 25 October 2026.
    assert LT.window(date(2026, 10, 23)) == (utc(10, 23, 6), utc(10, 23, 14))
    assert LT.window(date(2026, 10, 26)) == (utc(10, 26, 7), utc(10, 26, 15))

    assert add_business_minutes(LT, vilnius(10, 23, 16), 120) == vilnius(10, 26, 10)
    assert add_business_minutes(LT, vilnius(10, 23, 16), 120) == utc(10, 26, 8)
    assert business_minutes_between(LT, utc(10, 23, 13), utc(10, 26, 8)) == 120


def test_a_night_window_holding_the_clock_change_is_an_hour_shorter_in_spring_and_longer_in_autumn():
    night = WorkingCalendar(VILNIUS, frozenset(range(7)), time(2), time(5))

    assert business_minutes_between(night, vilnius(3, 28, 0), vilnius(3, 28, 12)) == 180
    assert business_minutes_between(night, vilnius(3, 29, 0), vilnius(3, 29, 12)) == 120
    assert business_minutes_between(night, vilnius(10, 25, 0), vilnius(10, 25, 12)) == 240
    assert add_business_minutes(night, vilnius(3, 29, 0), 150) == vilnius(3, 30, 2, 30)


def test_next_business_moment_is_the_moment_itself_within_working_hours():
    assert next_business_moment(LT, vilnius(3, 2, 9)) == vilnius(3, 2, 9)
    assert next_business_moment(LT, vilnius(3, 2, 12, 34)) == vilnius(3, 2, 12, 34)


def test_next_business_moment_outside_working_hours_is_the_next_opening():
    assert next_business_moment(LT, vilnius(3, 2, 7)) == vilnius(3, 2, 9)
    assert next_business_moment(LT, vilnius(3, 2, 17)) == vilnius(3, 3, 9)
    assert next_business_moment(LT, vilnius(3, 3, 20)) == vilnius(3, 4, 9)
    assert next_business_moment(LT, vilnius(3, 6, 18)) == vilnius(3, 9, 9)
    assert next_business_moment(LT, vilnius(3, 7, 11)) == vilnius(3, 9, 9)


def test_a_calendar_with_saturday_working_days_counts_saturday_and_skips_only_sunday():
    six_days = WorkingCalendar(VILNIUS, frozenset(range(6)), time(9), time(17))

    assert add_business_minutes(six_days, vilnius(3, 6, 16), 120) == vilnius(3, 7, 10)
    assert add_business_minutes(six_days, vilnius(3, 7, 16), 120) == vilnius(3, 9, 10)
    assert next_business_moment(six_days, vilnius(3, 7, 8)) == vilnius(3, 7, 9)
    assert business_minutes_between(six_days, vilnius(3, 2, 0), vilnius(3, 9, 0)) == 6 * 8 * 60


def test_a_calendar_with_no_working_day_raises_instead_of_looping_forever():
    no_days = WorkingCalendar(VILNIUS, frozenset(), time(9), time(17))
    always_off = WorkingCalendar(VILNIUS, MON_FRI, time(9), time(17), is_day_off=lambda day: True)

    for calendar in (no_days, always_off):
        with pytest.raises(ValueError, match="no working time"):
            add_business_minutes(calendar, vilnius(3, 2, 10), 1)
        with pytest.raises(ValueError, match="no working time"):
            next_business_moment(calendar, vilnius(3, 2, 10))
        assert business_minutes_between(calendar, vilnius(3, 2, 10), vilnius(4, 2, 10)) == 0


def test_lithuanian_christmas_holidays_are_days_off_on_the_default_calendar(db):
    lt_holidays = holidays.country_holidays("LT", years=2026)
    assert {date(2026, 12, 24), date(2026, 12, 25), date(2026, 12, 26)} <= set(lt_holidays)
    calendar = working_calendar(default_calendar())

    # Wednesday 23 December; Thursday 24 to Saturday 26 are holidays, then Sunday.
    assert add_business_minutes(calendar, vilnius(12, 23, 16), 120) == vilnius(12, 28, 10)
    assert business_minutes_between(calendar, vilnius(12, 23, 16), vilnius(12, 28, 10)) == 120
    assert next_business_moment(calendar, vilnius(12, 24, 10)) == vilnius(12, 28, 9)


def test_a_calendar_without_a_country_works_on_christmas_eve(db):
    calendar = working_calendar(BusinessCalendarFactory(country=""))

    assert add_business_minutes(calendar, vilnius(12, 23, 16), 120) == vilnius(12, 24, 10)


def test_a_day_off_added_by_an_admin_is_skipped_too(db):
    default = default_calendar()
    Holiday.objects.create(calendar=default, date=date(2026, 12, 28), name="Company day")
    calendar = working_calendar(default)

    assert add_business_minutes(calendar, vilnius(12, 23, 16), 120) == vilnius(12, 29, 10)
    # 21 to 30 December: Mon 21, Tue 22, Wed 23, Tue 29 and Wed 30 are the only working days.
    assert business_minutes_between(calendar, vilnius(12, 21, 0), vilnius(12, 31, 0)) == 5 * 8 * 60


def test_without_a_calendar_the_site_zone_mon_to_fri_9_to_17_is_used(settings):
    settings.TIME_ZONE = "Europe/Vilnius"
    calendar = working_calendar(None)

    assert add_business_minutes(calendar, vilnius(3, 6, 16), 120) == vilnius(3, 9, 10)
    # No holidays without a calendar: Christmas Eve is a working day.
    assert next_business_moment(calendar, vilnius(12, 24, 8)) == vilnius(12, 24, 9)
