"""One client's past: who is seeded, in which language, and the interactions and past follow-ups drawn for it."""

import random
import zoneinfo
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

from django.conf import settings
from django.utils import timezone

from accounts.models import User
from clients.models import Client, Status, Tier
from contacts.demo.decline import Decline
from contacts.models import Contact

from ..models import Direction, FollowUp, FollowUpStatus, Interaction, InteractionStatus, Kind, Outcome
from .batch import Batch
from .texts import (
    CALL_ATTEMPTS,
    CALL_BACK,
    CANCELLED_NOTE,
    DECLINE_FOLLOW_UPS,
    DECLINING,
    MEETING_SUMMARY,
    NO_CONTACT,
    PROSPECT,
    REGULAR,
    TOPICS,
    Topic,
)

HISTORY_DAYS = 365
WORKING_DAYS_PER_MONTH = 21.7
MONTHLY_RATE = {Tier.VIP: (2.0, 4.0), Tier.KEY: (1.0, 2.0), Tier.STANDARD: (0.2, 0.8)}  # active clients
PROSPECT_RATE = (0.8, 1.6)
INACTIVE_RATE = (0.05, 0.2)
THINNING_DAYS = 120  # a churning client fades out over its last four months
COLD_SHARE = (0.10, 0.15)
RUSSIAN_MARKETS = ("KZ", "GE", "AM")


def _weighted(rng: random.Random, options):
    values, weights = zip(*options, strict=True)
    return rng.choices(values, weights=weights)[0]


# --- Time: working hours in the manager's time zone ----------------------------------------------------------


def _at(day: date, minutes: int, tz: zoneinfo.ZoneInfo) -> datetime:
    return datetime.combine(day, time(minutes // 60, minutes % 60), tzinfo=tz).astimezone(UTC)


def _weekday_back(day: date) -> date:
    while day.weekday() >= 5:
        day -= timedelta(days=1)
    return day


def _weekday_forward(day: date) -> date:
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return day


def _work_minutes(rng: random.Random, start: int = 8 * 60 + 30, end: int = 18 * 60, step: int = 5) -> int:
    return rng.randrange(start, end, step)


# --- Who is seeded -----------------------------------------------------------------------------------------


@dataclass
class Target:
    """A demo client that gets a history in this run, with what the generator needs about it."""

    client: Client
    manager: User
    tz: zoneinfo.ZoneInfo
    contacts: list[Contact]  # primary first
    languages: tuple[tuple[str, int], ...]
    cold: bool = False
    last: Interaction | None = None  # latest completed interaction
    last_topic: Topic | None = None
    titles: set[str] = field(default_factory=set)  # open follow-up titles, never twice on one client


def _time_zone(user: User) -> zoneinfo.ZoneInfo:
    try:
        return zoneinfo.ZoneInfo(user.time_zone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return zoneinfo.ZoneInfo(settings.TIME_ZONE)


def _languages(client: Client, manager: User, contacts: list[Contact]) -> tuple[tuple[str, int], ...]:
    """Notes are in English, or in Russian or Lithuanian where manager and client share it."""
    country = client.country.code if client.country else ""
    spoken = {contact.language for contact in contacts}
    if manager.language == "ru" and (country in RUSSIAN_MARKETS or "ru" in spoken):
        return (("ru", 8), ("en", 2))
    if country in RUSSIAN_MARKETS:
        return (("ru", 4), ("en", 6))
    if country == "LT" and manager.language == "lt":
        return (("lt", 7), ("en", 3))
    if "lt" in spoken:
        return (("lt", 2), ("en", 8))
    if "ru" in spoken:
        return (("ru", 2), ("en", 8))
    return (("en", 1),)


def _chunks(items: list, size: int = 500):
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _targets(codes: list[str]) -> tuple[list[Client], list[Target]]:
    """All demo clients (in plan order), and those to seed: with a manager and no interaction yet."""
    found: dict[str, Client] = {}
    for chunk in _chunks(codes):
        for client in Client.objects.filter(registration_code__in=chunk).select_related("account_manager"):
            found[client.registration_code] = client
    clients = [found[code] for code in codes if code in found]
    ids = [client.pk for client in clients]
    seeded: set[int] = set()
    contacts: dict[int, list[Contact]] = defaultdict(list)
    for chunk in _chunks(ids):
        seeded.update(Interaction.objects.filter(client_id__in=chunk).values_list("client_id", flat=True))
        for contact in Contact.objects.filter(client_id__in=chunk).order_by("-is_primary", "pk"):
            contacts[contact.client_id].append(contact)
    targets = []
    for client in clients:
        manager = client.account_manager
        if client.pk in seeded or manager is None:
            continue
        own = contacts[client.pk]
        targets.append(Target(client, manager, _time_zone(manager), own, _languages(client, manager, own)))
    return clients, targets


# --- One client's history ----------------------------------------------------------------------------------


class HistoryWriter:
    """Draws one client's interactions and past follow-ups from the client's own generator."""

    def __init__(self, target: Target, rng: random.Random, batch: Batch):
        self.target = target
        self.rng = rng
        self.batch = batch
        self.now = batch.now

    def language(self) -> str:
        return _weighted(self.rng, self.target.languages)

    def contacts_for(self, kind: str) -> list[Contact]:
        rng, contacts = self.rng, self.target.contacts
        if not contacts or kind == Kind.OTHER:
            return []
        if kind in (Kind.MEETING, Kind.VISIT):
            deciders = [c for c in contacts if c.is_decision_maker] or contacts[:1]
            chosen = {rng.choice(deciders).pk: None}
            others = [c for c in contacts if c.pk not in chosen]
            for contact in rng.sample(others, min(len(others), rng.choice((0, 0, 1, 1, 2)))):
                chosen[contact.pk] = None
            return [c for c in contacts if c.pk in chosen]
        return [contacts[0] if rng.random() < 0.55 else rng.choice(contacts)]

    def fill(self, text: str, language: str, contacts: list[Contact]) -> str:
        rng = self.rng
        if contacts:
            name = contacts[0].full_name
            who = name.split()[0] if language == "en" else name
        else:
            who = NO_CONTACT[language]
        text = text.format(
            contact=who,
            qty=rng.randint(5, 40),
            pct=rng.randint(3, 15),
            days=rng.randint(2, 10),
            weeks=rng.randint(2, 6),
        )
        return text[0].upper() + text[1:]

    def duration(self, kind: str) -> int | None:
        rng = self.rng
        if kind == Kind.CALL:
            return rng.randint(3, 25)
        if kind == Kind.MEETING:
            return rng.choice((30, 45, 60, 60, 90))
        if kind == Kind.VISIT:
            return rng.choice((60, 90, 120, 180))
        return None

    def interaction(self, day: date, phase: str) -> None:
        """One past entry on this (working) day, sometimes with its follow-up or a summary e-mail."""
        rng, target = self.rng, self.target
        topic = _weighted(rng, [(t, t.weights.get(phase, 0)) for t in TOPICS if t.weights.get(phase)])
        kind = _weighted(rng, topic.kinds)
        direction = Direction.INBOUND if rng.random() < topic.inbound else Direction.OUTBOUND
        language = self.language()
        contacts = self.contacts_for(kind)
        subject, notes = rng.choice(topic.texts[language])
        outcome = _weighted(rng, topic.outcomes)
        status = InteractionStatus.COMPLETED
        follow_up_title = topic.follow_up[language] if topic.follow_up else ""
        if kind == Kind.CALL and direction == Direction.OUTBOUND and rng.random() < 0.15:
            outcome, subject, notes = rng.choice(CALL_ATTEMPTS[language])
            follow_up_title = CALL_BACK[language]
        elif kind in (Kind.MEETING, Kind.VISIT) and rng.random() < 0.06:
            status, outcome, notes, follow_up_title = InteractionStatus.CANCELLED, "", CANCELLED_NOTE[language], ""
        occurred_at = _at(day, _work_minutes(rng), target.tz)
        duration = self.duration(kind) if status == InteractionStatus.COMPLETED else None
        entry = Interaction(
            client=target.client,
            kind=kind,
            direction=direction,
            status=status,
            occurred_at=occurred_at,
            duration_minutes=duration,
            subject=self.fill(subject, language, contacts),
            notes=self.fill(notes, language, contacts),
            outcome=outcome,
            logged_by=target.manager,
        )
        logged_at = min(occurred_at + timedelta(minutes=(duration or 0) + rng.randint(2, 90)), self.now)
        self.batch.add_interaction(entry, contacts, logged_at=logged_at)
        if status != InteractionStatus.COMPLETED:
            return
        target.last, target.last_topic = entry, topic
        if kind in (Kind.MEETING, Kind.VISIT) and rng.random() < 0.3:
            self.summary_email(entry, language, contacts)
        if follow_up_title and outcome in (
            Outcome.NEXT_STEP, Outcome.ISSUE_RAISED, Outcome.NO_ANSWER, Outcome.LEFT_MESSAGE
        ) and rng.random() < 0.5:  # fmt: skip
            self.past_follow_up(entry, follow_up_title, day)

    def summary_email(self, meeting: Interaction, language: str, contacts: list[Contact]) -> None:
        subject, notes = MEETING_SUMMARY[language]
        sent_at = meeting.occurred_at + timedelta(minutes=(meeting.duration_minutes or 60) + self.rng.randint(20, 120))
        if sent_at >= self.now:
            return
        email = Interaction(
            client=meeting.client,
            kind=Kind.EMAIL,
            direction=Direction.OUTBOUND,
            status=InteractionStatus.COMPLETED,
            occurred_at=sent_at,
            subject=subject,
            notes=self.fill(notes, language, contacts),
            outcome=Outcome.NEXT_STEP,
            logged_by=meeting.logged_by,
        )
        self.batch.add_interaction(email, contacts, logged_at=sent_at)

    def past_follow_up(self, origin: Interaction, title: str, day: date) -> None:
        """A follow-up that came due in the past: done (sometimes late) or, now and then, cancelled."""
        rng = self.rng
        due_day = _weekday_forward(day + timedelta(days=rng.randint(1, 7)))
        due_at = _at(due_day, rng.choice((10, 11, 14, 15, 16)) * 60, self.target.tz)
        if due_at >= self.now - timedelta(days=1):
            return  # still ahead or just due: the agenda decides what is open
        created_at = min(origin.occurred_at + timedelta(minutes=rng.randint(5, 60)), due_at)
        done = rng.random() < 0.92
        closed_at = due_at + timedelta(hours=rng.uniform(-20, 48))
        closed_at = max(min(closed_at, self.now - timedelta(hours=1)), created_at + timedelta(minutes=30))
        follow_up = FollowUp(
            client=origin.client,
            title=title,
            due_at=due_at,
            assignee=self.target.manager,
            interaction=origin,
            status=FollowUpStatus.DONE if done else FollowUpStatus.CANCELLED,
            completed_at=closed_at if done else None,
            created_by=self.target.manager,
        )
        self.batch.add_follow_up(follow_up, created_at=created_at, updated_at=closed_at)

    def unheeded_follow_ups(self, decline: Decline, rng: random.Random) -> None:
        """A bad patch's follow-ups that nobody got to in time: cancelled when the client left, or done late once
        it recovered. They are overdue for weeks in between."""
        tz, manager = self.target.tz, self.target.manager
        for _ in range(rng.randint(2, 3) if decline.churned or decline.ongoing(self.now.date()) else rng.randint(1, 2)):
            created_at = _at(_weekday_back(decline.start + timedelta(days=rng.randint(0, 20))), _work_minutes(rng), tz)
            due_at = _at(_weekday_forward(created_at.date() + timedelta(days=rng.randint(3, 10))), 10 * 60, tz)
            closed_at = _at(_weekday_forward(decline.end), _work_minutes(rng), tz)
            if not created_at < due_at < self.now - timedelta(days=1):
                continue
            status = FollowUpStatus.CANCELLED if decline.churned else FollowUpStatus.DONE
            if closed_at >= self.now:  # the patch goes on: still open, overdue on the manager's agenda
                status, closed_at = FollowUpStatus.OPEN, created_at
            follow_up = FollowUp(
                client=self.target.client,
                title=rng.choice(DECLINE_FOLLOW_UPS[self.language()]),
                due_at=due_at,
                assignee=manager,
                status=status,
                completed_at=closed_at if status == FollowUpStatus.DONE else None,
                created_by=manager,
            )
            self.batch.add_follow_up(follow_up, created_at=created_at, updated_at=closed_at)

    def history(self, cadence: dict[str, int], decline: Decline | None = None, decline_rng=None) -> None:
        """The client's past, shaped by its status and its bad patch, if any (see the package docstring)."""
        rng, client, target = self.rng, self.target.client, self.target
        today = timezone.localtime(self.now, target.tz).date()
        created = timezone.localtime(client.created_at, target.tz).date() + timedelta(days=1)
        start = max(created, today - timedelta(days=HISTORY_DAYS))
        end = today - timedelta(days=1)  # the past only: today belongs to the agenda
        last_day = None  # a contact forced on this day, with nothing after it
        phase = REGULAR
        fade_from = None
        if client.status == Status.CHURNED and client.churned_on:
            end = client.churned_on - timedelta(days=rng.randint(30, 90))
            start = max(created, end - timedelta(days=HISTORY_DAYS))
            if decline is not None:  # the last contact soon after the signs began
                end = min(end, decline.start + timedelta(days=decline_rng.randint(0, 15)))
            fade_from = end - timedelta(days=THINNING_DAYS)
            rate = rng.uniform(*MONTHLY_RATE.get(client.tier, MONTHLY_RATE[Tier.STANDARD]))
        elif client.status == Status.INACTIVE:
            rate = rng.uniform(*INACTIVE_RATE)
        else:
            if client.status == Status.PROSPECT:
                phase, rate = PROSPECT, rng.uniform(*PROSPECT_RATE)
            else:
                rate = rng.uniform(*MONTHLY_RATE.get(client.tier, MONTHLY_RATE[Tier.STANDARD]))
            days = cadence.get(client.tier, 90)
            if target.cold:  # last heard of well over a cadence ago (_pick_cold made sure the client is that old)
                gap = rng.randint(int(days * 1.2) + 2, int(days * 2.5) + 2)
            else:  # within 70 % of the cadence, so a weekend in between cannot tip it over
                gap = min(rng.randint(max(1, days // 20), max(1, int(days * 0.7))), max(1, (today - start).days))
            last_day = max(start, _weekday_back(today - timedelta(days=gap)))
            end = last_day - timedelta(days=1)
        chance = rate / WORKING_DAYS_PER_MONTH
        day, made = start, 0
        while day <= end:
            if day.weekday() < 5:
                factor, day_phase = 1.0, phase
                if fade_from is not None and day >= fade_from:
                    left = (end - day).days / THINNING_DAYS
                    factor, day_phase = 0.25 + 0.75 * left, DECLINING if rng.random() < 0.6 else REGULAR
                if decline is not None and not decline.churned and decline.covers(day):
                    factor = 0.0  # the false alarm's silence; the client hears from us again when it ends
                if rng.random() < chance * factor:
                    self.interaction(day, day_phase)
                    made += 1
            day += timedelta(days=1)
        if last_day is not None:
            self.interaction(last_day, phase)
        elif fade_from is not None:  # the churned client's last word, 1-3 months before it left
            self.interaction(_weekday_back(end), DECLINING)
        elif not made and start <= end:  # every demo client has at least one entry
            self.interaction(_weekday_back(start + (end - start) * rng.random()), phase)
        if decline is not None:
            recovered = _weekday_forward(decline.end)
            if not decline.churned and start <= recovered <= end:  # the meeting that turned it around
                self.interaction(recovered, REGULAR)
            self.unheeded_follow_ups(decline, decline_rng)


def _pick_cold(targets: list[Target], rng: random.Random, cadence: dict[str, int], now: datetime, *, showcase: bool):
    """10-15 % of a manager's active clients go cold; only those old enough to have been contacted long ago."""
    active = [t for t in targets if t.client.status == Status.ACTIVE]
    feasible = [t for t in active if (now - t.client.created_at).days > cadence.get(t.client.tier, 90) * 1.3 + 10]
    count = round(len(active) * rng.uniform(*COLD_SHARE))
    if showcase:
        count = max(count, 2)
    for target in rng.sample(feasible, min(count, len(feasible))):
        target.cold = True
