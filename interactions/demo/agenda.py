"""A manager's agenda around the time of seeding: open follow-ups and planned meetings in their time zone."""

import random
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from django.utils import timezone

from accounts.models import User
from clients.models import Status, Tier

from ..models import Direction, FollowUp, FollowUpStatus, Interaction, InteractionStatus, Kind
from .batch import Batch
from .history import HistoryWriter, Target, _at, _time_zone, _weighted, _work_minutes
from .texts import AGENDA_TITLES, PLANNED_CALL, PLANNED_MEETINGS

TIER_WEIGHT = {Tier.VIP: 3, Tier.KEY: 2, Tier.STANDARD: 1}


@dataclass(frozen=True)
class AgendaSize:
    overdue: tuple[int, int]
    today: tuple[int, int]
    this_week: tuple[int, int]
    later: tuple[int, int]
    meetings_today: tuple[int, int]
    meetings_ahead: tuple[int, int]


SHOWCASE_AGENDA = AgendaSize((2, 4), (2, 3), (4, 8), (3, 6), (1, 2), (3, 5))
LIGHT_AGENDA = AgendaSize((0, 2), (0, 2), (1, 4), (1, 4), (0, 1), (1, 3))


class AgendaWriter:
    """Open follow-ups and planned meetings of one manager, placed around now in their time zone."""

    def __init__(self, manager: User, targets: list[Target], rng: random.Random, batch: Batch):
        self.manager, self.rng, self.batch, self.now = manager, rng, batch, batch.now
        self.tz = _time_zone(manager)
        self.local_now = timezone.localtime(self.now, self.tz)
        self.today = self.local_now.date()
        self.end_of_day = datetime.combine(self.today + timedelta(days=1), time(), tzinfo=self.tz).astimezone(UTC)
        self.targets = [t for t in targets if t.client.status in (Status.ACTIVE, Status.PROSPECT)]

    def client(self) -> Target:
        return self.rng.choices(self.targets, weights=[TIER_WEIGHT.get(t.client.tier, 1) for t in self.targets])[0]

    def later_today(self) -> datetime:
        """A time between now and the end of the manager's day, in working hours while there are some left."""
        opens, close = _at(self.today, 8 * 60 + 30, self.tz), _at(self.today, 18 * 60, self.tz)
        end = close if self.now + timedelta(minutes=45) < close else self.end_of_day - timedelta(seconds=1)
        start = self.now + min(timedelta(minutes=15), (end - self.now) / 4)
        if start < opens < end:  # seeded before the working day: the day's items come during it
            start = opens
        moment = start + (end - start) * self.rng.uniform(0.05, 1)
        rounded = moment.replace(minute=moment.minute - moment.minute % 15, second=0, microsecond=0)
        return rounded if rounded > self.now + timedelta(minutes=5) else moment

    def working_day(self, first: int, last: int) -> date:
        """A weekday `first`..`last` days from today (forward) or back (negative numbers)."""
        days = [self.today + timedelta(days=n) for n in range(first, last + 1)]
        return self.rng.choice([d for d in days if d.weekday() < 5] or days)

    def follow_up(self, target: Target, due_at: datetime) -> None:
        rng = self.rng
        language = _weighted(rng, target.languages)
        origin, title = None, ""
        recent = target.last is not None and target.last.occurred_at > self.now - timedelta(days=30)
        if recent and target.last_topic and target.last_topic.follow_up and rng.random() < 0.6:
            origin, title = target.last, target.last_topic.follow_up[language]
        if not title or title in target.titles:
            unused = [t for t in AGENDA_TITLES[language] if t not in target.titles] or list(AGENDA_TITLES[language])
            origin, title = None, rng.choice(unused)
        target.titles.add(title)
        created_at = origin.occurred_at if origin else self.now - timedelta(days=rng.randint(1, 10))
        created_at = min(created_at + timedelta(minutes=rng.randint(5, 60)), self.now, due_at)
        follow_up = FollowUp(
            client=target.client,
            title=title,
            due_at=due_at,
            assignee=self.manager,
            interaction=origin,
            status=FollowUpStatus.OPEN,
            created_by=self.manager,
        )
        self.batch.add_follow_up(follow_up, created_at=created_at, updated_at=created_at)

    def meeting(self, target: Target, when: datetime, *, call: bool = False) -> None:
        rng = self.rng
        language = _weighted(rng, target.languages)
        writer = HistoryWriter(target, rng, self.batch)
        if call:
            kind, (subject, notes) = Kind.CALL, PLANNED_CALL[language]
        else:
            kind, (subject, notes) = (
                rng.choice((Kind.MEETING, Kind.MEETING, Kind.VISIT)),
                rng.choice(PLANNED_MEETINGS[language]),
            )
        planned = Interaction(
            client=target.client,
            kind=kind,
            direction=Direction.OUTBOUND,
            status=InteractionStatus.SCHEDULED,
            occurred_at=when,
            duration_minutes=15 if call else rng.choice((60, 60, 90)),
            subject=subject,
            notes=notes,
            logged_by=self.manager,
        )
        logged_at = min(self.now - timedelta(days=rng.randint(0, 12), minutes=rng.randint(5, 600)), when)
        self.batch.add_interaction(planned, writer.contacts_for(kind), logged_at=logged_at)

    def write(self, size: AgendaSize) -> None:
        if not self.targets:
            return
        rng, tz = self.rng, self.tz
        for _ in range(rng.randint(*size.overdue)):
            due_at = _at(self.working_day(-10, 0), _work_minutes(rng, 9 * 60, 17 * 60, 15), tz)
            if due_at > self.now - timedelta(minutes=30):
                due_at = _at(self.working_day(-10, -1), _work_minutes(rng, 9 * 60, 17 * 60, 15), tz)
            self.follow_up(self.client(), due_at)
        for _ in range(rng.randint(*size.today)):
            self.follow_up(self.client(), self.later_today())
        for _ in range(rng.randint(*size.this_week)):
            self.follow_up(self.client(), _at(self.working_day(1, 7), _work_minutes(rng, 9 * 60, 17 * 60, 15), tz))
        for _ in range(rng.randint(*size.later)):
            self.follow_up(self.client(), _at(self.working_day(9, 30), _work_minutes(rng, 9 * 60, 17 * 60, 15), tz))
        for _ in range(rng.randint(*size.meetings_today)):
            self.meeting(self.client(), self.later_today())
        for _ in range(rng.randint(*size.meetings_ahead)):
            when = _at(self.working_day(1, 21), _work_minutes(rng, 9 * 60, 16 * 60, 30), tz)
            self.meeting(self.client(), when, call=rng.random() < 0.2)
