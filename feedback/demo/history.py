"""One client's year of surveys: what triggered them, and how each went under the real sending rules.

`ClientSurveys.plan()` draws the events (delivered orders, resolved complaints, relationship
waves, a manager's manual asks) from the client's own generator; `live()` then sends them in
time order as `services.delivery` would: in the contact's sending window, suppressed for the
reasons of `services.rules` (opted out, open complaint, outstanding survey, cooldown, client
limit), answered or not, low answers opening the manager's follow-up. Each event's answer is
drawn from a generator seeded by its source key, so adding an event (the showcase) leaves the
others' draws as they were.

A client in a bad patch (contacts.demo.decline) may give a detractor's NPS as it begins (always
when it is going on now), a buyer rates the service 1-2, its other CSAT answers are lower and
fewer while it lasts, and a client that recovered is a promoter again a few weeks after it.
"""

# Demo data only: the standard pseudo-random generator is what makes it reproducible.
# ruff: noqa: S311

import heapq
import random
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.utils import timezone, translation

from accounts.models import User
from clients.models import Client, Status, Tier
from complaints.business_time import WorkingCalendar, next_business_moment
from complaints.models import OPEN_STATUSES, ComplaintStatus
from contacts.demo.decline import decline_of
from contacts.models import Contact
from interactions.models import FollowUp, FollowUpStatus
from orders.models import Order, settings_zone

from ..models import (
    SuppressedReason,
    SurveyKind,
    SurveyRequest,
    SurveyResponse,
    SurveyStatus,
    SurveyTemplate,
    SurveyTrigger,
    TriggerKind,
)
from ..services.closed_loop import _title
from ..services.rules import sending_calendar
from ..services.tokens import new_token
from .texts import ACTIONS, COMPLAINT_COMMENTS, NPS_COMMENTS, ORDER_COMMENTS

HISTORY_DAYS = 365
MANUAL_PER_MONTH = {Tier.VIP: 0.35, Tier.KEY: 0.15, Tier.STANDARD: 0.04}  # surveys a manager sends by hand
MANUAL_NPS = 0.3
WORKING_DAYS_PER_MONTH = 21.7
# How clients feel (-1 unhappy … +1 delighted): by tier, lower for those who left; a few are unhappy whatever
# their tier. Scores are drawn around it, lower after a late delivery or a complaint handled late.
MOOD = {Tier.VIP: 0.8, Tier.KEY: 0.5, Tier.STANDARD: 0.4}
UNHAPPY_SHARE = {Tier.VIP: 0.03, Tier.KEY: 0.08, Tier.STANDARD: 0.09}
UNHAPPY_MOOD, CHURNED_DROP, INACTIVE_DROP = -1.5, 0.9, 0.3
LATE_ORDER, COMPLAINED_ORDER, BREACHED, HANDLED, REOPENED = -0.7, -0.4, -0.6, 0.15, -0.3
ANSWER_RATE = 0.68
DECLINE_MOOD, DECLINE_ANSWERS = -1.0, 0.5  # in a bad patch: CSAT this much lower, this share answered
# A detractor's NPS as a bad patch begins (leavers, recovered); a promoter's once it ended (recovered)
CHURNED_PULSE, RECOVERED_PULSE, RECOVERED_PROMOTER = 0.35, 0.2, 1.0
COMMENT_SHARE = {"low": 0.7, "mid": 0.5, "high": 0.33}
# The demo leaves out most of what the rules would hold back (a CSAT after every order of a busy client
# would mostly be suppressed), keeping a share of each reason so the list shows them; the opted out stay.
KEEP_SUPPRESSED = {
    SuppressedReason.COOLDOWN: 0.06,
    SuppressedReason.OUTSTANDING: 0.06,
    SuppressedReason.CLIENT_LIMIT: 0.06,
    SuppressedReason.OPEN_COMPLAINT: 0.35,
}
CHANGED_SHARE = 0.03  # answers changed within the 24 hours allowed


def clamp(value: float, low: float, high: float) -> float:
    return max(low, min(high, value))


def period_of(moment: datetime, months: int) -> int:
    """The relationship-NPS period of a moment, as `scheduling.schedule_relationship_nps` numbers it."""
    return (moment.year * 12 + moment.month - 1) // months


def period_start(period: int, months: int) -> datetime:
    year, month = divmod(period * months, 12)
    return datetime(year, month + 1, 1, tzinfo=UTC)


@dataclass
class ComplaintLife:
    """A complaint's open spans and resolutions (cycle, resolved at, reopened at), from its status moves."""

    pk: int
    contact_id: int | None
    order_id: int | None
    breached: bool
    open_spans: list[tuple[datetime, datetime | None]] = field(default_factory=list)
    resolutions: list[tuple[int, datetime, datetime | None]] = field(default_factory=list)

    @classmethod
    def build(cls, complaint: dict, moves: list[tuple[datetime, str]]) -> "ComplaintLife":
        life = cls(
            complaint["pk"],
            complaint["contact_id"],
            complaint["order_id"],
            bool(complaint["resolution_breached_at"] or complaint["first_response_breached_at"]),
        )
        open_since: datetime | None = complaint["received_at"]
        resolved: list[list] = []
        for at, status in moves:
            if status == ComplaintStatus.RESOLVED and open_since is not None:
                life.open_spans.append((open_since, at))
                open_since = None
                resolved.append([len(resolved) + 1, at, None])
            elif status in OPEN_STATUSES and open_since is None:  # reopened
                open_since = at
                if resolved:
                    resolved[-1][2] = at
        if open_since is not None:
            life.open_spans.append((open_since, None))
        life.resolutions = [tuple(item) for item in resolved]
        return life

    def open_at(self, moment: datetime) -> bool:
        return any(start <= moment and (end is None or moment < end) for start, end in self.open_spans)


@dataclass
class Target:
    """A demo client that gets its surveys in this run."""

    client: Client
    manager: User | None
    contacts: list[Contact]  # primary first
    orders: list[Order]  # delivered, oldest first
    complaints: list[ComplaintLife]


@dataclass
class Setup:
    """What every client's surveys share: the admin's triggers and templates, the managers' calendars."""

    rng_seed: int
    now: datetime
    triggers: dict[str, SurveyTrigger]  # switched on, with an active template
    templates: dict[str, SurveyTemplate]  # per kind, for the surveys managers send by hand
    work_calendars: dict[int, WorkingCalendar]  # manager id → business calendar (follow-ups fall due in it)


@dataclass(frozen=True)
class Forced:
    """A showcase answer: given this long after sending, with this score; its follow-up done or still open."""

    answer_after: timedelta
    score: int
    done: bool


@dataclass
class Event:
    created_at: datetime  # when the trigger wrote the request
    scheduled_at: datetime
    trigger: str
    template: SurveyTemplate
    contact: Contact
    source_key: str
    context: str  # "order", "late", "complaint", "nps", "manual"
    mood: float = 0.0
    order_number: str = ""
    complaint_id: int | None = None
    requested_by: User | None = None
    reopened_at: datetime | None = None  # the complaint was reopened: a CSAT not yet sent is dropped
    forced: Forced | None = None
    kept: bool = False  # written even when the rules hold it back (the current relationship period)
    period_end: datetime | None = None  # a relationship NPS: the end of its period


@dataclass
class Written:
    """A request as it stands now, with its answer and the follow-up a low answer opened."""

    event: Event
    request: SurveyRequest
    updated_at: datetime
    response: SurveyResponse | None = None
    follow_up: FollowUp | None = None
    follow_up_updated_at: datetime | None = None


@dataclass
class Sent:
    contact_id: int
    at: datetime
    until: datetime  # outstanding until answered or expired


class ClientSurveys:
    """Draws one client's survey events and lives them through by the sending rules."""

    def __init__(self, target: Target, setup: Setup):
        self.target, self.setup, self.now = target, setup, setup.now
        client = target.client
        self.rng = rng = random.Random(f"{setup.rng_seed}:feedback:{client.registration_code}")
        self.since = self.now - timedelta(days=HISTORY_DAYS)
        self.mood = UNHAPPY_MOOD if rng.random() < UNHAPPY_SHARE.get(client.tier, 0.09) else MOOD.get(client.tier, 0.4)
        if client.status == Status.CHURNED:
            self.mood -= CHURNED_DROP
        elif client.status == Status.INACTIVE:
            self.mood -= INACTIVE_DROP
        self.mood += rng.gauss(0, 0.2)
        self.answer_rate = clamp(rng.gauss(ANSWER_RATE, 0.1), 0.3, 0.9)
        # Contacts who opted out did so at some point of the year; nothing went to them after it.
        self.opted_out_at = {
            c.pk: self.now - timedelta(days=rng.uniform(10, 330)) for c in target.contacts if c.survey_opt_out
        }
        self.calendar = sending_calendar(target.contacts[0]) if target.contacts else None
        # A bad patch (contacts.demo.decline): a detractor's answer as it begins, low and fewer answers during it.
        self.decline = decline_of(client, rng_seed=setup.rng_seed, today=timezone.localdate(self.now))
        self.events: list[Event] = []
        self.extra: list[Event] = []  # the showcase's
        self.overrides: dict[str, Forced] = {}  # the showcase's answers to surveys already planned
        self.written: list[Written] = []

    # --- What triggered surveys

    def plan(self) -> None:
        if self.calendar is None:
            return
        self.orders()
        self.complaints()
        self.relationship()
        self.manual()
        self.pulse()

    def contact(self, pk: int | None) -> Contact:
        contacts = self.target.contacts
        return next((c for c in contacts if c.pk == pk), contacts[0])

    def orders(self) -> None:
        trigger = self.setup.triggers.get(TriggerKind.ORDER_DELIVERED)
        complained = {life.order_id for life in self.target.complaints if life.order_id}
        for order in self.target.orders:
            if trigger is None or order.delivered_at < self.since:
                continue
            late = timezone.localdate(order.delivered_at, settings_zone()) > order.promised_on
            mood = (LATE_ORDER if late else 0.0) + (COMPLAINED_ORDER if order.pk in complained else 0.0)
            self.events.append(
                Event(
                    created_at=order.delivered_at,
                    scheduled_at=order.delivered_at + timedelta(hours=trigger.delay_hours),
                    trigger=TriggerKind.ORDER_DELIVERED,
                    template=trigger.template,
                    contact=self.contact(order.contact_id),
                    source_key=f"order_delivered:{order.pk}",
                    context="late" if late else "order",
                    mood=mood,
                    order_number=order.number,
                )
            )

    def complaints(self) -> None:
        trigger = self.setup.triggers.get(TriggerKind.COMPLAINT_RESOLVED)
        if trigger is None:
            return
        for life in self.target.complaints:
            for cycle, resolved_at, reopened_at in life.resolutions:
                if resolved_at < self.since:
                    continue
                self.events.append(
                    Event(
                        created_at=resolved_at,
                        scheduled_at=resolved_at + timedelta(hours=trigger.delay_hours),
                        trigger=TriggerKind.COMPLAINT_RESOLVED,
                        template=trigger.template,
                        contact=self.contact(life.contact_id),
                        source_key=f"complaint_resolved:{life.pk}:{cycle}",
                        context="complaint",
                        mood=(BREACHED if life.breached else HANDLED) + (REOPENED if cycle > 1 else 0.0),
                        complaint_id=life.pk,
                        reopened_at=reopened_at,
                    )
                )

    def relationship(self) -> None:
        """Every contact of an active client (as `schedule_relationship_nps` asks them), once a period.

        Each client's wave comes at its own point of the period, so the months each show some NPS; in
        the current period, where the wave is still ahead, the scheduler has asked them already: at the
        period's start, or as soon as the client was there.
        """
        trigger, client = self.setup.triggers.get(TriggerKind.RELATIONSHIP_NPS), self.target.client
        if trigger is None or client.status not in (Status.ACTIVE, Status.CHURNED):
            return
        months = max(trigger.interval_months, 1)
        position = self.rng.uniform(0, 0.9)
        for period in range(period_of(self.since, months), period_of(self.now, months) + 1):
            start, end = period_start(period, months), period_start(period + 1, months)
            wave = start + (end - start) * clamp(position + self.rng.uniform(-0.05, 0.05), 0, 0.92)
            wave = max(wave, client.created_at + timedelta(days=7))
            if wave > self.now:
                wave = max(start, client.created_at)
            left = client.churned_on and wave.date() >= client.churned_on
            if (
                wave >= end
                or wave < self.since
                or (client.status == Status.CHURNED and (left or not client.churned_on))
            ):
                continue
            created, current = wave, period == period_of(self.now, months)
            for contact in self.target.contacts:
                opted_out = self.opted_out_at.get(contact.pk)
                if not contact.email or (opted_out and opted_out <= created):
                    continue
                self.events.append(
                    Event(
                        created_at=created,
                        scheduled_at=wave + timedelta(hours=contact.pk % 72),  # as the scheduler spreads them
                        trigger=TriggerKind.RELATIONSHIP_NPS,
                        template=trigger.template,
                        contact=contact,
                        source_key=f"relationship_nps:{contact.pk}:{period}",
                        context="nps",
                        # Left out, the hourly scheduler would write it at once: so it stays, suppressed.
                        kept=current,
                        period_end=end,
                    )
                )

    def manual(self) -> None:
        """Now and then the manager asks a contact directly, during working hours."""
        rng, client, target = self.rng, self.target.client, self.target
        rate = MANUAL_PER_MONTH.get(client.tier, 0.04) / WORKING_DAYS_PER_MONTH
        if target.manager is None or client.status not in (Status.ACTIVE, Status.CHURNED):
            return
        day = max(self.since, client.created_at).date()
        while day <= self.now.date():
            window = self.calendar.window(day)
            day += timedelta(days=1)
            if rng.random() >= rate or window is None:
                continue
            at = window[0] + (window[1] - window[0]) * rng.uniform(0, 0.95)
            kind = SurveyKind.NPS if rng.random() < MANUAL_NPS else SurveyKind.CSAT
            contact = target.contacts[0] if rng.random() < 0.6 else rng.choice(target.contacts)
            key = f"manual:{rng.getrandbits(128):032x}"
            if not client.created_at < at <= self.now or (client.churned_on and at.date() >= client.churned_on):
                continue
            event = self.manual_event(contact, at, kind, key=key)
            if event is not None:
                self.events.append(event)

    def pulse(self) -> None:
        """A bad patch begins with the manager asking the main contact how things are, and a detractor's answer."""
        decline, client = self.decline, self.target.client
        if decline is None or self.target.manager is None:
            return
        rng = random.Random(f"{self.setup.rng_seed}:decline:feedback:{client.registration_code}")
        day = decline.start + timedelta(days=rng.randint(0, 2))
        window = self.calendar.window(day)
        while window is None and day < decline.end:
            day += timedelta(days=1)
            window = self.calendar.window(day)
        if window is None:
            return
        at = window[0] + (window[1] - window[0]) * rng.uniform(0, 0.8)
        if not (self.since <= at <= self.now and client.created_at < at):
            return
        contacts = self.target.contacts
        forced = Forced(answer_after=timedelta(hours=rng.uniform(1, 30)), score=rng.randint(0, 5), done=True)
        key = f"manual:{rng.getrandbits(128):032x}"  # as the form's requests are keyed
        events = []
        share = CHURNED_PULSE if decline.churned else 1.0 if decline.ongoing(self.now.date()) else RECOVERED_PULSE
        if rng.random() < share:
            events.append(self.manual_event(contacts[0], at, SurveyKind.NPS, key=key, forced=forced))
        # and a buyer rates the service low a day or two later (another contact: the first is cooling off)
        forced = Forced(answer_after=timedelta(hours=rng.uniform(1, 30)), score=rng.randint(1, 2), done=True)
        later = at + timedelta(days=rng.randint(1, 2))
        key = f"manual:{rng.getrandbits(128):032x}"
        if len(contacts) > 1:
            events.append(self.manual_event(contacts[-1], later, SurveyKind.CSAT, key=key, forced=forced))
        for event in events:
            if event is not None and later <= self.now:
                # Held back by a survey the contact had just had, it goes once that cooled off (while it matters).
                event.period_end = datetime.combine(decline.end, datetime.min.time(), tzinfo=UTC)
                self.events.append(event)
        # A client that got through it says so: a promoter's answer a few weeks after the patch ended.
        recovered = datetime.combine(decline.end, datetime.min.time(), tzinfo=UTC) + timedelta(
            days=rng.randint(10, 30), hours=rng.randint(8, 15)
        )
        if not decline.churned and recovered <= self.now and rng.random() < RECOVERED_PROMOTER:
            forced = Forced(answer_after=timedelta(hours=rng.uniform(1, 30)), score=rng.randint(9, 10), done=True)
            key = f"manual:{rng.getrandbits(128):032x}"
            event = self.manual_event(contacts[0], recovered, SurveyKind.NPS, key=key, forced=forced)
            if event is not None:
                event.period_end = recovered + timedelta(days=60)
                self.events.append(event)

    def in_decline(self, moment: datetime | None) -> bool:
        return self.decline is not None and moment is not None and self.decline.covers(moment.date())

    def manual_event(self, contact: Contact, at: datetime, kind: str, *, key: str, forced=None) -> Event | None:
        template = self.setup.templates.get(kind)
        if template is None or TriggerKind.MANUAL not in self.setup.triggers:
            return None
        return Event(
            created_at=at,
            scheduled_at=at,
            trigger=TriggerKind.MANUAL,
            template=template,
            contact=contact,
            source_key=key,
            context="manual",
            requested_by=self.target.manager,
            forced=forced,
        )

    # --- How each went

    def send_moment(self, event: Event) -> datetime:
        """When the sweep sends it: the scheduled time, or the contact's next sending window."""
        return next_business_moment(self.calendar, event.scheduled_at)

    def live(self, extra: Iterable[Event] = (), overrides: dict[str, Forced] | None = None) -> list[Written]:
        """Every event in the order it went out, by the rules; the result replaces what was lived before."""
        overrides = overrides or {}
        events = [replace(e, forced=overrides[e.source_key]) if e.source_key in overrides else e for e in self.events]
        queue = [(self.send_moment(event), event.source_key, event) for event in [*events, *extra]]
        heapq.heapify(queue)
        sent: list[Sent] = []
        written = []
        while queue:
            send_at, _key, event = heapq.heappop(queue)
            rng = random.Random(f"{self.setup.rng_seed}:feedback:{event.source_key}")
            request = SurveyRequest(
                contact=event.contact,
                client=self.target.client,
                template=event.template,
                kind=event.template.kind,
                trigger=event.trigger,
                source_key=event.source_key,
                language=event.contact.language,
                scheduled_at=event.scheduled_at,
                next_attempt_at=send_at,
                requested_by=event.requested_by,
            )
            if event.reopened_at is not None and event.reopened_at < send_at:
                request.status, request.suppressed_reason = SurveyStatus.CANCELLED, SuppressedReason.REOPENED
                request.next_attempt_at = event.scheduled_at
                written.append(Written(event, request, event.reopened_at))
            elif send_at > self.now:  # not sent yet: due later (postponed to the window if its time has come)
                request.status = SurveyStatus.SCHEDULED
                request.next_attempt_at = event.scheduled_at if event.scheduled_at > self.now else send_at
                written.append(Written(event, request, event.created_at))
            elif reason := self.suppression(event, send_at, sent):
                later = self.after_cooldown(event, reason, sent, rng)
                if later is not None:  # this contact's turn in the wave comes once the last survey has cooled off
                    heapq.heappush(queue, (self.send_moment(later), later.source_key, later))
                    continue
                if not event.kept and event.forced is None and rng.random() >= KEEP_SUPPRESSED.get(reason, 1.0):
                    continue
                request.status, request.suppressed_reason = SurveyStatus.SUPPRESSED, reason
                written.append(Written(event, request, send_at))
            else:
                written.append(self.send(event, request, send_at, sent, rng))
        return written

    def after_cooldown(self, event: Event, reason: str, sent: list[Sent], rng: random.Random) -> Event | None:
        """A relationship NPS held back by a recent survey, moved after its cooldown, if that is in its period."""
        if event.period_end is None or reason not in (SuppressedReason.COOLDOWN, SuppressedReason.OUTSTANDING):
            return None
        last = max(s.at for s in sent if s.contact_id == event.contact.pk)
        later = last + timedelta(days=settings.SURVEY_CONTACT_COOLDOWN_DAYS, hours=rng.uniform(2, 72))
        return replace(event, scheduled_at=later) if later < event.period_end else None

    def suppression(self, event: Event, at: datetime, sent: list[Sent]) -> str:
        """`rules.suppression_reason` over what this client was sent so far."""
        contact = event.contact
        opted_out = self.opted_out_at.get(contact.pk)
        if opted_out is not None and opted_out <= at:
            return SuppressedReason.OPTED_OUT
        if not contact.email:
            return SuppressedReason.NO_EMAIL
        if any(life.pk != event.complaint_id and life.open_at(at) for life in self.target.complaints):
            return SuppressedReason.OPEN_COMPLAINT
        mine = [s for s in sent if s.contact_id == contact.pk]
        if any(s.at < at < s.until for s in mine):
            return SuppressedReason.OUTSTANDING
        exempt = event.trigger == TriggerKind.COMPLAINT_RESOLVED and settings.SURVEY_COMPLAINT_CSAT_EXEMPT
        cooldown = at - timedelta(days=settings.SURVEY_CONTACT_COOLDOWN_DAYS)
        if not exempt and any(s.at > cooldown for s in mine):
            return SuppressedReason.COOLDOWN
        month = at - timedelta(days=30)
        if sum(s.at > month for s in sent) >= settings.SURVEY_MAX_PER_CLIENT_PER_30_DAYS:
            return SuppressedReason.CLIENT_LIMIT
        return ""

    def send(
        self, event: Event, request: SurveyRequest, send_at: datetime, sent: list[Sent], rng: random.Random
    ) -> Written:
        """E-mailed (a fresh token's hash kept), then answered, still open or expired."""
        window_end = self.calendar.window(send_at.astimezone(self.calendar.zone).date())[1]
        seconds = rng.randint(2, 50)  # the sweep runs every minute
        request.sent_at = send_at + timedelta(seconds=seconds if window_end - send_at > timedelta(minutes=1) else 0)
        request.token_hash = new_token()[1]
        request.expires_at = request.sent_at + timedelta(days=settings.SURVEY_TOKEN_DAYS)
        rate = self.answer_rate * (DECLINE_ANSWERS if self.in_decline(request.sent_at) else 1.0)
        answers, delay = rng.random() < rate, self.answer_delay(rng)
        if event.forced is not None:
            answers, delay = True, event.forced.answer_after
        answered_at = request.sent_at + delay if answers else None
        sent.append(Sent(event.contact.pk, request.sent_at, min(answered_at or request.expires_at, request.expires_at)))
        if answered_at is not None and answered_at <= self.now:
            request.status, request.answered_at = SurveyStatus.ANSWERED, answered_at
            written = Written(event, request, answered_at)
            self.answer(written, rng)
            return written
        if request.expires_at <= self.now:
            request.status = SurveyStatus.EXPIRED
            return Written(event, request, request.expires_at)
        request.status = SurveyStatus.SENT
        return Written(event, request, request.sent_at)

    @staticmethod
    def answer_delay(rng: random.Random) -> timedelta:
        """Most answer within hours of the e-mail, some days later, a few near the end of the month allowed."""
        draw = rng.random()
        hours = (
            rng.uniform(0.05, 3)
            if draw < 0.4
            else rng.uniform(3, 30)
            if draw < 0.8
            else rng.uniform(30, 96)
            if draw < 0.95
            else rng.uniform(96, 480)
        )
        return timedelta(hours=hours)

    def score(self, event: Event, rng: random.Random, at: datetime | None = None) -> int:
        mood = self.mood + event.mood
        if event.template.kind == SurveyKind.CSAT and self.in_decline(at):
            mood += DECLINE_MOOD  # NPS is the pulse's; the service in a bad patch is rated low
        if event.template.kind == SurveyKind.NPS:
            return round(clamp(rng.gauss(7.45 + 2.0 * mood, 1.3), 0, 10))
        return round(clamp(rng.gauss(4.0 + 1.0 * mood, 0.7), 1, 5))

    def answer(self, written: Written, rng: random.Random) -> None:
        """The response, perhaps with a comment; a low one opens the manager's follow-up."""
        event, request = written.event, written.request
        score = self.score(event, rng, request.sent_at)
        comment_draw, changed_draw = rng.random(), rng.random()
        if event.forced is not None:
            score, comment_draw = event.forced.score, 0.0
        response = SurveyResponse(
            request=request,
            client=self.target.client,
            kind=request.kind,
            score=score,
            answered_at=request.answered_at,
        )
        band = "low" if response.is_low else "high" if self.is_high(response) else "mid"
        if comment_draw < COMMENT_SHARE[band]:
            response.comment = self.comment(event, response, band, rng)
        if changed_draw < CHANGED_SHARE:
            changed_at = response.answered_at + timedelta(hours=rng.uniform(0.1, 20))
            response.changed_at = changed_at if changed_at <= self.now else None
        written.response = response
        if response.is_low:
            self.open_loop(written, rng)

    @staticmethod
    def is_high(response: SurveyResponse) -> bool:
        return response.score >= (9 if response.kind == SurveyKind.NPS else 4)

    def comment(self, event: Event, response: SurveyResponse, band: str, rng: random.Random) -> str:
        if response.kind == SurveyKind.NPS or event.context == "manual":
            texts = NPS_COMMENTS[{"low": "detractor", "mid": "passive", "high": "promoter"}[band]]
        else:
            bands = COMPLAINT_COMMENTS if event.context == "complaint" else ORDER_COMMENTS
            key = {"low": "unhappy", "mid": "neutral", "high": "happy"}[band]
            if event.context == "late" and band != "high":
                key = "late"
            texts = bands[key]
        manager = self.target.manager
        text = rng.choice(texts.get(event.contact.language) or texts["en"])
        return text.format(manager=manager.full_name.split()[0] if manager else "", order=event.order_number)

    def open_loop(self, written: Written, rng: random.Random) -> None:
        """As `closed_loop.open_loop`: a follow-up for the manager, due next business day. Older ones are done,
        with what was done written on the response; the last week's are mostly still open."""
        manager, response, event = self.target.manager, written.response, written.event
        if manager is None or not manager.is_active:
            return
        calendar = self.setup.work_calendars[manager.pk]
        answered_at = response.answered_at
        tomorrow = timezone.localtime(answered_at, calendar.zone).replace(hour=0, minute=0, second=0, microsecond=0)
        due_at = next_business_moment(calendar, tomorrow + timedelta(days=1))
        age = self.now - answered_at
        done_draw, hours, action = (
            rng.random(),
            rng.uniform(1, 60),
            rng.choice(ACTIONS.get(manager.language, ACTIONS["en"])),
        )
        if event.forced is not None:
            done = event.forced.done
        else:
            share = 1.0 if age > timedelta(days=30) else 0.85 if age > timedelta(days=7) else 0.25
            done = age > timedelta(days=2) and done_draw < share
        completed_at = next_business_moment(calendar, answered_at + timedelta(hours=hours)) if done else None
        if completed_at is not None and completed_at > self.now:
            completed_at = max(answered_at, self.now - timedelta(minutes=30))
        with translation.override(manager.language):
            title = _title(response)
        follow_up = FollowUp(
            client=self.target.client,
            title=title[:200],
            due_at=due_at,
            assignee=manager,
            created_by=manager,
            status=FollowUpStatus.DONE if done else FollowUpStatus.OPEN,
            completed_at=completed_at,
        )
        written.follow_up, written.follow_up_updated_at = follow_up, completed_at or answered_at
        if done:
            contact = event.contact
            who = contact.full_name.split()[0] if manager.language == "en" else contact.full_name
            response.action_taken, response.action_by, response.action_at = (
                action.format(contact=who),
                manager,
                completed_at,
            )
