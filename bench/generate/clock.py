"""Time for the generator: instants as epoch seconds, the company's local days, and SLA business time.

Millions of instants are drawn, so everything here works on integers and precomputed tables
instead of datetime objects: each local day's midnight is looked up once (from zoneinfo, so
daylight saving is right), and a business calendar becomes a sorted list of working windows.
"""

import random
import zoneinfo
from bisect import bisect_left, bisect_right
from datetime import UTC, date, datetime, time, timedelta

from complaints.business_time import WorkingCalendar

DAY = 86400
HOUR = 3600


def to_epoch(moment: datetime) -> int:
    return int(moment.timestamp())


def from_epoch(seconds: int) -> datetime:
    return datetime.fromtimestamp(seconds, UTC)


class LocalCalendar:
    """The company's calendar days (settings.TIME_ZONE) between two dates, with their midnights in UTC."""

    def __init__(self, zone: zoneinfo.ZoneInfo, first: date, last: date):
        self.first = first.toordinal()
        self.midnights = [
            to_epoch(datetime.combine(first + timedelta(days=n), time(0), tzinfo=zone))
            for n in range((last - first).days + 2)
        ]

    def day(self, seconds: int) -> int:
        """The local date (as an ordinal) of an instant."""
        return self.first + bisect_right(self.midnights, seconds) - 1

    def midnight(self, day: int) -> int:
        return self.midnights[day - self.first]

    def at(self, day: int, minute: int) -> int:
        """An instant on a local date, `minute` minutes after its midnight."""
        return self.midnights[day - self.first] + minute * 60

    def year(self, seconds: int) -> int:
        return date.fromordinal(self.day(seconds)).year

    def work_moment(self, rng: random.Random, low: int, high: int, weekend_share: float = 0.04) -> int:
        """A moment between low and high in office hours (8:00–18:00 local), on a weekday mostly.

        People log calls and take orders during the working day; a few things happen at weekends.
        """
        if high <= low:
            return low
        first, last = self.day(low), self.day(high)
        for _ in range(12):
            day = rng.randint(first, last)
            if (day - 1) % 7 >= 5 and rng.random() > weekend_share:
                continue
            moment = self.midnights[day - self.first] + rng.randrange(8 * HOUR, 18 * HOUR, 60)
            if low <= moment <= high:
                return moment
        return rng.randint(low, high)


class BusinessClock:
    """add_business_minutes / business_minutes_between of complaints.business_time, in O(log n).

    The working windows of the calendar (its days, hours, zone and holidays) are listed once for
    the whole period with the working seconds before each, so an SLA due time is two bisections
    instead of a walk over days. tests/bench checks it against the project's own functions.
    """

    def __init__(self, calendar: WorkingCalendar, first: date, last: date):
        self.starts: list[int] = []
        self.ends: list[int] = []
        self.before: list[int] = []  # working seconds before each window
        self.through: list[int] = []  # working seconds up to each window's end
        total = 0
        for n in range((last - first).days + 1):
            window = calendar.window(first + timedelta(days=n))
            if window is None:
                continue
            start, end = to_epoch(window[0]), to_epoch(window[1])
            self.starts.append(start)
            self.ends.append(end)
            self.before.append(total)
            total += end - start
            self.through.append(total)

    def seconds_until(self, moment: int) -> int:
        """Working seconds from the first window up to `moment`."""
        i = bisect_right(self.starts, moment) - 1
        if i < 0:
            return 0
        return self.before[i] + min(moment - self.starts[i], self.ends[i] - self.starts[i])

    def add_minutes(self, moment: int, minutes: float) -> int:
        """The instant when `minutes` of working time after `moment` have passed (moment itself for 0)."""
        if minutes <= 0:
            return moment
        target = self.seconds_until(moment) + minutes * 60
        j = bisect_left(self.through, target)
        if j >= len(self.starts):
            raise ValueError("the business clock's period is too short for this target")
        return int(self.starts[j] + (target - self.before[j]))

    def minutes_between(self, start: int, end: int) -> int:
        """Whole working minutes in [start, end)."""
        if end <= start:
            return 0
        return (self.seconds_until(end) - self.seconds_until(start)) // 60
