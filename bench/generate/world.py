"""What the generator's steps share: sizes, the random source, the clock, and what earlier steps made.

Later steps need facts about earlier rows (a client's manager and lifetime, which orders were
delivered) without reading them back from the database; they are kept here, compactly.
"""

import random
import zoneinfo
from dataclasses import dataclass, field
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone

from ..load import Loader
from .clock import DAY, LocalCalendar, to_epoch

HISTORY_DAYS = 730  # dated activity spreads over the last two years
OLDEST_CLIENT_DAYS = 6 * 365  # some clients were there long before the history starts


@dataclass(frozen=True)
class Sizes:
    """Row counts of the data set; `at_scale(1)` is what the issue asks for."""

    teams: int = 10
    managers_per_team: int = 10
    clients: int = 100_000
    contacts: int = 300_000
    interactions: int = 1_000_000
    follow_ups: int = 150_000
    orders: int = 200_000
    complaints: int = 50_000
    survey_responses: int = 200_000
    products: int = 400
    notifications_per_user: int = 150

    @classmethod
    def at_scale(cls, scale: float) -> "Sizes":
        """Everything but the organisation (teams and managers) scaled; at least a handful of each."""
        base = cls()

        def scaled(value: int, floor: int) -> int:
            return max(floor, round(value * scale))

        clients = scaled(base.clients, 10)
        return cls(
            teams=base.teams,
            managers_per_team=base.managers_per_team,
            clients=clients,
            contacts=max(clients, scaled(base.contacts, 10)),
            interactions=scaled(base.interactions, 20),
            follow_ups=scaled(base.follow_ups, 10),
            orders=scaled(base.orders, 10),
            complaints=scaled(base.complaints, 5),
            survey_responses=scaled(base.survey_responses, 10),
            products=scaled(base.products, 20),
            notifications_per_user=scaled(base.notifications_per_user, 3),
        )


@dataclass(slots=True)
class ClientInfo:
    """One generated client, as later steps need it."""

    id: int
    tier: str
    status: str
    manager: int
    created: int
    start: int  # activity from here (the later of creation and the history's start) ...
    end: int  # ... to here (now, the churn date, or when an inactive client went quiet)
    weight: float  # how busy the account is, relative to others
    currency: str
    discount: int  # in hundredths of a percent
    contacts: list[int] = field(default_factory=list)
    contact_languages: list[str] = field(default_factory=list)
    orders: list[tuple[int, int, bool]] = field(default_factory=list)  # (id, created, delivered late)


@dataclass
class World:
    loader: Loader
    sizes: Sizes
    rng: random.Random
    now: int
    start: int
    calendar: LocalCalendar
    # filled by the steps, in order
    teams: list[int] = field(default_factory=list)
    leads: dict[int, int] = field(default_factory=dict)  # team id -> lead id
    managers: list[int] = field(default_factory=list)
    team_of: dict[int, int] = field(default_factory=dict)  # user id -> team id
    admin: int = 0
    clients: list[ClientInfo] = field(default_factory=list)
    products: list[tuple[int, str, str, int]] = field(default_factory=list)  # (id, name, unit, price in cents)
    delivered_orders: list[tuple[int, int, int, int]] = field(default_factory=list)  # (id, client, contact, at)
    resolved_complaints: list[tuple[int, int, int, int]] = field(default_factory=list)  # (id, client, contact, at)
    completed_meetings: list[tuple[int, int, int]] = field(default_factory=list)  # (id, client, at)

    @classmethod
    def begin(cls, loader: Loader, sizes: Sizes, seed: int, now=None) -> "World":
        moment = now or timezone.now()
        zone = zoneinfo.ZoneInfo(settings.TIME_ZONE)
        local_today = timezone.localdate(moment, timezone=zone)
        calendar = LocalCalendar(
            zone, local_today - timedelta(days=OLDEST_CLIENT_DAYS + 30), local_today + timedelta(days=400)
        )
        now_seconds = to_epoch(moment)
        rng = random.Random(seed)  # noqa: S311 (test data: reproducible, not secret)
        return cls(loader, sizes, rng, now_seconds, now_seconds - HISTORY_DAYS * DAY, calendar)

    @property
    def connection(self):
        return self.loader.connection

    def first_id(self, model: type[models.Model]) -> int:
        """The id the next generated row of the model gets: after any row already there."""
        table = self.connection.ops.quote_name(model._meta.db_table)
        with self.connection.cursor() as cursor:
            cursor.execute(f"SELECT MAX(id) FROM {table}")  # noqa: S608 (a table name from model metadata)
            return (cursor.fetchone()[0] or 0) + 1

    def team_lead_of(self, user: int) -> int:
        return self.leads[self.team_of[user]]


def cumulative(weights: list[float]) -> list[float]:
    """Running sums, for rng.choices(cum_weights=...) over many draws."""
    total, sums = 0.0, []
    for weight in weights:
        total += weight
        sums.append(total)
    return sums


def weighted_table(options: tuple[tuple[object, int], ...]) -> tuple:
    """A tuple where each value repeats by its weight: rng.choice on it is a fast weighted pick."""
    return tuple(value for value, weight in options for _ in range(weight))
