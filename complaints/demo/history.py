"""Which complaints a client made over the last year and how each one went, drawn from the client's own generator."""

import random
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from django.conf import settings
from django.utils import timezone

from accounts.models import User
from clients.models import Client, Status
from contacts.demo.decline import Decline
from contacts.models import Contact
from interactions.models import Kind
from orders.models import Order, OrderStatus, settings_zone

from ..business_time import WorkingCalendar, add_business_minutes
from ..models import Channel, Complaint, ComplaintCategory, ComplaintStatus, RootCause, Severity
from .story import Escalator, Story
from .texts import (
    COMPLAINTS,
    FIRST_REPLIES,
    INFO_REQUESTS,
    LATE_ARRIVED,
    NO_CONTACT,
    NOTES,
    REOPEN_NOTES,
    RESOLUTIONS,
)

HISTORY_DAYS = 365
# How often clients complain: about ~1 order in 10 all told, far more often about a late one.
LATE_SHARE = 0.4  # of the late (or overdue) orders
ISSUE_SHARE = 0.045  # of the other delivered orders: damaged, wrong, quality or invoice
OTHER_SHARE = 0.012  # per order: a complaint about the service rather than one order
CHURN_FACTOR = 2.0  # clients who later left complained twice as often
SECOND_COMPLAINT = 0.6  # of the leavers with a bad patch (contacts.demo.decline): a second complaint in it
RECOVERED_COMPLAINT = 0.5  # of the active clients with one: a complaint in it (a leaver always has one)
# How a complaint goes: a few miss the first response or the resolution target on purpose; severity raised
# and reopened ones miss a few more, so that some 12 % are breached in all.
FIRST_LATE, RESOLUTION_LATE = 0.04, 0.06
WAITING, NOTE, RAISED, TOLD, REOPENED, CLOSED = 0.25, 0.35, 0.04, 0.6, 0.04, 0.5
RUSSIAN_MARKETS = ("KZ", "GE", "AM")

ORDER_ISSUES = (
    ("Damaged goods", 30),
    ("Wrong or missing items", 30),
    ("Product quality", 20),
    ("Invoice or price", 20),
)
OTHER_ISSUES = (("Service and communication", 7), ("Other", 3))
ROOT_CAUSES = {
    "Late delivery": (
        ("Carrier delay", 60),
        ("Warehouse picking error", 25),
        ("Order entry error", 10),
        ("Client-side issue", 5),
    ),
    "Damaged goods": (("Packaging", 50), ("Carrier delay", 35), ("Client-side issue", 15)),
    "Wrong or missing items": (("Warehouse picking error", 70), ("Order entry error", 25), ("Miscommunication", 5)),
    "Product quality": (("Supplier defect", 75), ("Packaging", 10), ("Client-side issue", 15)),
    "Invoice or price": (("Pricing or invoicing error", 75), ("Order entry error", 15), ("Miscommunication", 10)),
    "Service and communication": (("Miscommunication", 80), ("Client-side issue", 20)),
    "Other": (("Miscommunication", 50), ("Order entry error", 25), ("Client-side issue", 25)),
}
SEVERITIES = ((Severity.LOW, 8), (Severity.NORMAL, 64), (Severity.HIGH, 22), (Severity.CRITICAL, 6))
LATE_SEVERITIES = ((Severity.LOW, 3), (Severity.NORMAL, 60), (Severity.HIGH, 30), (Severity.CRITICAL, 7))
DAY_CHANNELS = ((Channel.PHONE, 35), (Channel.EMAIL, 35), (Channel.CHAT, 10), (Channel.WEB, 12), (Channel.MEETING, 8))
EVENING_CHANNELS = ((Channel.EMAIL, 6), (Channel.WEB, 4))


def weighted(rng: random.Random, options: Sequence[tuple]):
    values, weights = zip(*options, strict=True)
    return rng.choices(values, weights=weights)[0]


def _at(day: date, minutes: int) -> datetime:
    return datetime.combine(day, time(minutes // 60, minutes % 60), tzinfo=settings_zone()).astimezone(UTC)


def _weekday_back(day: date) -> date:
    while day.weekday() >= 5:
        day -= timedelta(days=1)
    return day


def _weekday_forward(day: date) -> date:
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return day


def local_day(moment: datetime) -> date:
    return timezone.localdate(moment, timezone=settings_zone())


def business_moment_before(calendar: WorkingCalendar, moment: datetime, minutes: float) -> datetime:
    """The instant `minutes` of working time before `moment` (the inverse of add_business_minutes)."""
    remaining = timedelta(minutes=minutes)
    day = moment.astimezone(calendar.zone).date() + timedelta(days=1)
    for _ in range(3 * 366):
        window = calendar.window(day)
        day -= timedelta(days=1)
        if window is None or window[0] >= moment:
            continue
        start, end = window[0], min(window[1], moment)
        if remaining <= end - start:
            return end - remaining
        remaining -= end - start
    raise ValueError("the calendar has no working time in the past years")


@dataclass
class Lists:
    """The admin's categories and root causes, found by their English names (as the migration made them)."""

    categories: dict[str, ComplaintCategory]
    root_causes: dict[str, RootCause]

    @classmethod
    def load(cls) -> "Lists":
        return cls(
            {c.name: c for c in ComplaintCategory.objects.filter(is_active=True)},
            {r.name: r for r in RootCause.objects.filter(is_active=True)},
        )

    def category(self, name: str) -> ComplaintCategory:
        # An admin may have renamed or retired one: any active category will do for demo data.
        return self.categories.get(name) or next(iter(self.categories.values()))

    def root_cause(self, name: str) -> RootCause:
        return self.root_causes.get(name) or next(iter(self.root_causes.values()))


@dataclass
class Target:
    """A demo client that gets its complaints in this run."""

    client: Client
    manager: User
    contacts: list[Contact]  # primary first
    orders: list[Order]  # taken in the last 13 months and not cancelled or draft, oldest first
    languages: tuple[tuple[str, int], ...]
    quiet_since: datetime | None = None  # going cold by design: nothing after its last contact


def languages(client: Client, manager: User, contacts: list[Contact]) -> tuple[tuple[str, int], ...]:
    """Complaints and answers are in English, or in Russian or Lithuanian where manager and client share it."""
    country = client.country.code if client.country else ""
    spoken = {contact.language for contact in contacts}
    if country in RUSSIAN_MARKETS or (manager.language == "ru" and "ru" in spoken):
        return (("ru", 7), ("en", 3))
    if country == "LT" and manager.language == "lt":
        return (("lt", 7), ("en", 3))
    return (("en", 1),)


class ClientComplaints:
    """Draws one client's complaints from the client's own generator and lives each of them through."""

    def __init__(self, target: Target, rng: random.Random, lists: Lists, escalator: Escalator, now: datetime):
        self.target, self.rng, self.lists, self.escalator, self.now = target, rng, lists, escalator, now
        self.today = local_day(now)
        self.stories: list[Story] = []

    # --- Texts

    def fill(self, text: str, language: str, contact: Contact | None, order: Order | None = None) -> str:
        rng = self.rng
        if contact is not None:
            who = contact.full_name.split()[0] if language == "en" else contact.full_name
        else:
            who = NO_CONTACT[language]
        text = text.format(
            contact=who, order=order.number if order else "", days=rng.randint(1, 5), qty=rng.randint(2, 12)
        )
        return text[0].upper() + text[1:]

    def pick(self, texts: dict[str, tuple], language: str):
        return self.rng.choice(texts.get(language) or texts["en"])

    # --- When

    def received(self, day: date) -> tuple[datetime, str]:
        """A moment on that day and the channel it came by: mostly working hours, some evening e-mails."""
        rng = self.rng
        if rng.random() < 0.12:
            return _at(day, rng.randrange(18 * 60, 22 * 60, 5)), weighted(rng, EVENING_CHANNELS)
        return _at(day, rng.randrange(8 * 60 + 30, 17 * 60 + 30, 5)), weighted(rng, DAY_CHANNELS)

    # --- What

    def contact_for(self, order: Order | None) -> Contact | None:
        contacts = self.target.contacts
        if order is not None and order.contact_id:
            return next((c for c in contacts if c.pk == order.contact_id), None)
        return contacts[0] if contacts else None

    def complaint(
        self, category: str, texts: str, order: Order | None, received_at: datetime, channel: str, severity: str
    ) -> Story | None:
        """The complaint and its registration; None when it falls outside the year shown or before the client."""
        rng, target = self.rng, self.target
        language = weighted(rng, target.languages)
        contact = self.contact_for(order)
        subject, description = self.pick(COMPLAINTS[texts], language)
        subject = self.fill(subject, language, contact, order)[:200]
        description = self.fill(description, language, contact, order)
        delay = timedelta(minutes=rng.randint(3, 40))
        if not (self.now - timedelta(days=HISTORY_DAYS) <= received_at <= self.now):
            return None
        if received_at < target.client.created_at:
            return None
        complaint = Complaint(
            client=target.client,
            contact=contact,
            order=order,
            channel=channel,
            category=self.lists.category(category),
            severity=severity,
            subject=subject,
            description=description,
            owner=target.manager,
            created_by=target.manager,
            received_at=received_at,
        )
        story = Story(complaint, language, contact, self.now, self.escalator)
        story.register(delay)
        self.stories.append(story)
        return story

    def late(self, order: Order) -> None:
        """A late delivery: chased before the goods came, or complained about once they came."""
        rng = self.rng
        delivered = local_day(order.delivered_at) if order.delivered_at else None
        day = _weekday_forward(order.promised_on + timedelta(days=rng.randint(1, 2)))
        texts = "Late delivery"
        if delivered is not None and (day >= delivered or rng.random() < 0.5):
            day, texts = _weekday_forward(delivered + timedelta(days=rng.choice((0, 0, 1, 2)))), LATE_ARRIVED
        received_at, channel = self.received(day)
        story = self.complaint("Late delivery", texts, order, received_at, channel, weighted(rng, LATE_SEVERITIES))
        if story is not None:
            self.live(story, "Late delivery")

    def order_issue(self, order: Order) -> None:
        rng = self.rng
        category = weighted(rng, ORDER_ISSUES)
        day = _weekday_forward(local_day(order.delivered_at) + timedelta(days=rng.choice((0, 0, 1, 1, 2, 3))))
        received_at, channel = self.received(day)
        story = self.complaint(category, category, order, received_at, channel, weighted(rng, SEVERITIES))
        if story is not None:
            self.live(story, category)

    def about_service(self, after: Order) -> None:
        rng = self.rng
        category = weighted(rng, OTHER_ISSUES)
        day = _weekday_forward(local_day(after.created_at) + timedelta(days=rng.randint(2, 25)))
        received_at, channel = self.received(day)
        story = self.complaint(category, category, None, received_at, channel, weighted(rng, SEVERITIES))
        if story is not None:
            self.live(story, category)

    def dragged(self, decline: Decline, rng: random.Random) -> None:
        """The bad patch's complaints: one about the service early in it, answered late and open for weeks past
        its resolution target, settled just before the client left or when it recovered (weeks late if the patch
        goes on); a leaver often a second one a little later, answered in time, then waiting on the client."""
        if decline.churned or decline.ongoing(self.today) or rng.random() < RECOVERED_COMPLAINT:
            self.drag(decline, rng, "Service and communication", days=(3, 12))
        if decline.churned and rng.random() < SECOND_COMPLAINT:  # answered in time, then waiting on the client
            self.drag(decline, rng, "Other", days=(10, 25), waiting=True)

    def drag(
        self, decline: Decline, rng: random.Random, category: str, *, days: tuple[int, int], waiting: bool = False
    ) -> None:
        day = decline.start + timedelta(days=rng.randint(*days))  # after the NPS pulse
        if decline.churned:  # the last word with a leaver is a month or more before it left (the replies too)
            day = min(day, decline.end - timedelta(days=35))
        day = _weekday_forward(day)
        received_at, channel = self.received(day)
        severity = Severity.HIGH if rng.random() < 0.6 else Severity.NORMAL
        story = self.complaint(category, category, None, received_at, channel, severity)
        if story is None:
            return
        language, contact, calendar = story.language, story.contact, story.calendar()
        first = story.complaint.sla_first_response_minutes * (rng.uniform(0.3, 0.9) if waiting else rng.uniform(1.3, 3))
        reply = self.fill(self.pick(FIRST_REPLIES["email"], language), language, contact)
        replied_at = add_business_minutes(calendar, received_at, first)
        story.reply(replied_at, reply)
        if waiting:  # the clock stops while the client owes an answer: open for weeks, within its target
            asked_at = add_business_minutes(calendar, replied_at, rng.uniform(30, 120))
            story.reply(asked_at, self.pick(INFO_REQUESTS, language))
            story.move(asked_at, ComplaintStatus.WAITING)
        else:
            story.note(
                story.working_moment(received_at, timedelta(days=rng.uniform(5, 15))), self.pick(NOTES, language)
            )
        settle_day = decline.end - timedelta(days=rng.randint(1, 7))
        if decline.end > self.today and not waiting:  # a patch going on: settled weeks late, or still open
            settle_day = local_day(received_at) + timedelta(days=rng.randint(12, 30))
        settled = _at(_weekday_back(settle_day), rng.randrange(9 * 60, 17 * 60, 5))
        if settled > story.updated_at:
            if waiting:
                story.move(settled - timedelta(hours=2), ComplaintStatus.IN_PROGRESS)
            cause = weighted(rng, ROOT_CAUSES.get(category, ROOT_CAUSES["Other"]))
            self.resolve(story, settled, cause, told=not decline.churned)  # a leaver no longer listens

    def plan(self, decline: Decline | None = None, decline_rng: random.Random | None = None) -> list[Story]:
        """The client's complaints: see the package docstring."""
        rng, target = self.rng, self.target
        factor = CHURN_FACTOR if target.client.status == Status.CHURNED else 1.0
        for order in target.orders:
            delivered = order.status == OrderStatus.DELIVERED
            if order.delivered_at:
                late = local_day(order.delivered_at) > order.promised_on
            else:  # still on its way past its date
                late = order.promised_on is not None and order.promised_on < self.today
            late_draw, issue_draw, other_draw = rng.random(), rng.random(), rng.random()
            if late and order.promised_on and late_draw < LATE_SHARE * factor:
                self.late(order)
            elif delivered and issue_draw < ISSUE_SHARE * factor:
                self.order_issue(order)
            if other_draw < OTHER_SHARE * factor:
                self.about_service(order)
        if target.quiet_since is not None:  # a client going cold was not answered lately either
            self.stories = [s for s in self.stories if s.updated_at <= target.quiet_since]
        if decline is not None:
            self.dragged(decline, decline_rng)
        return self.stories

    # --- How it went

    def live(self, story: Story, category: str) -> None:
        """Reply, perhaps wait for the client, resolve with a root cause, perhaps reopen, perhaps close."""
        rng, complaint = self.rng, story.complaint
        language, contact, calendar = story.language, story.contact, story.calendar()
        received = complaint.received_at
        first_late, resolution_late = rng.random() < FIRST_LATE, rng.random() < RESOLUTION_LATE
        waiting, note, raised = rng.random() < WAITING, rng.random() < NOTE, rng.random() < RAISED
        told, reopened, closed = rng.random() < TOLD, rng.random() < REOPENED, rng.random() < CLOSED
        quick_first, quick_resolution = rng.random() < 0.8, rng.random() < 0.8
        kind = Kind.CALL if rng.random() < 0.35 else Kind.EMAIL

        if raised and complaint.severity in (Severity.LOW, Severity.NORMAL):
            story.change_severity(add_business_minutes(calendar, received, rng.uniform(10, 60)), Severity.HIGH)
        first = complaint.sla_first_response_minutes * (
            rng.uniform(1.1, 2.5) if first_late else rng.uniform(0.1, 0.7) if quick_first else rng.uniform(0.7, 0.97)
        )
        used = complaint.sla_resolution_minutes * (
            rng.uniform(1.05, 1.8)
            if resolution_late
            else rng.uniform(0.15, 0.7)
            if quick_resolution
            else rng.uniform(0.7, 0.97)
        )
        used = max(used, first + rng.uniform(30, 240))
        reply = self.fill(
            self.pick(FIRST_REPLIES["call" if kind == Kind.CALL else "email"], language), language, contact
        )
        story.reply(add_business_minutes(calendar, received, first), reply, kind=kind, duration=rng.randint(4, 20))
        paused = first + (used - first) * rng.uniform(0.2, 0.6) if waiting else used
        if note:
            at = add_business_minutes(calendar, received, first + (paused - first) * rng.uniform(0.2, 0.9))
            story.note(at, self.pick(NOTES, language))
        if waiting:
            pause_at = add_business_minutes(calendar, received, paused)
            story.reply(pause_at, self.pick(INFO_REQUESTS, language))
            story.move(pause_at, ComplaintStatus.WAITING)
            answered = story.working_moment(pause_at, timedelta(hours=rng.uniform(3, 120)))
            resume_at = answered + timedelta(minutes=rng.randint(5, 60))
            story.move(resume_at, ComplaintStatus.IN_PROGRESS)
            resolve_at = add_business_minutes(calendar, resume_at, used - paused)
        else:
            resolve_at = add_business_minutes(calendar, received, used)
        cause = weighted(rng, ROOT_CAUSES.get(category, ROOT_CAUSES["Other"]))
        self.resolve(story, resolve_at, cause, told=told)
        if reopened:
            reopen_at = story.working_moment(resolve_at, timedelta(hours=rng.uniform(20, 200)))
            if reopen_at - resolve_at <= timedelta(days=settings.COMPLAINT_REOPEN_DAYS):
                note_text = self.fill(self.pick(REOPEN_NOTES, language), language, contact)
                story.move(reopen_at, ComplaintStatus.IN_PROGRESS, note=note_text)
                left = complaint.sla_resolution_minutes - complaint.resolution_used_minutes
                again = left * rng.uniform(0.2, 0.9) if left >= 60 else rng.uniform(60, 240)
                resolve_at = add_business_minutes(calendar, reopen_at, again)
                self.resolve(story, resolve_at, cause, told=True)
        if closed:
            story.move(story.working_moment(resolve_at, timedelta(days=rng.uniform(1, 10))), ComplaintStatus.CLOSED)

    def resolve(self, story: Story, at: datetime, cause: str, *, told: bool) -> None:
        resolution = self.fill(self.pick(RESOLUTIONS[cause], story.language), story.language, story.contact)
        if told:  # the client hears how it was settled
            story.reply(at, resolution)
        story.move(at, ComplaintStatus.RESOLVED, resolution=resolution, root_cause=self.lists.root_cause(cause))
