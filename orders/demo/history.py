"""One client's orders, drawn in memory: when they were taken, their lines, and each step of their workflow."""

import itertools
import random
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal

from django.utils import timezone

from accounts.models import User
from clients.models import Client, Status, Tier
from contacts.demo.decline import Decline
from contacts.models import Contact

from ..models import OrderStatus, Product, settings_zone
from ..services.pricing import LineData, Totals, compute_totals
from .catalogue import CANCEL_REASONS, FREE_TEXT_LINES, ORDER_NOTES, SPECS

HISTORY_DAYS = 395  # 13 months: a full year of figures plus the month before it
WORKING_DAYS_PER_MONTH = 21.7
MONTHLY_ORDERS = {Tier.VIP: (2.0, 3.5), Tier.KEY: (1.0, 2.0), Tier.STANDARD: (0.25, 0.8)}
QUANTITY_SCALE = {Tier.VIP: 2.2, Tier.KEY: 1.5, Tier.STANDARD: 1.0}
# Packaging and supplies sell more before the autumn peak and less in high summer and January.
SEASON = {1: 0.8, 2: 0.9, 3: 1.05, 4: 1.05, 5: 1.1, 6: 1.0, 7: 0.8, 8: 0.8, 9: 1.1, 10: 1.2, 11: 1.25, 12: 0.9}
THINNING_DAYS = 120  # a churning client orders less and less over its last four months
DIP = 0.15  # how much an active client orders during its bad patch (contacts.demo.decline), against usual
ON_TIME = 0.89
CANCELLED = 0.04
STUCK = 0.03  # of the orders promised in the last weeks: held up, so overdue now
WAITING_DRAFT = 0.2  # of the orders taken in the last ten days: the client has not confirmed yet
PROSPECT_DRAFT = 0.35
FAR_MARKETS = ("KZ", "GE", "AM")  # longer transport
USD_PER_EUR = Decimal("1.08")
MAX_LINES = 5


# --- Time: the company's calendar (promised and delivery dates are its days) -------------------------------


def _at(day: date, minutes: int) -> datetime:
    return datetime.combine(day, time(minutes // 60, minutes % 60), tzinfo=settings_zone()).astimezone(UTC)


def _local_day(moment: datetime) -> date:
    return timezone.localdate(moment, timezone=settings_zone())


def _weekday_back(day: date) -> date:
    while day.weekday() >= 5:
        day -= timedelta(days=1)
    return day


def _weekday_forward(day: date) -> date:
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return day


def _later(rng: random.Random, after: datetime, hours: tuple[float, float]) -> datetime:
    """A moment some hours after `after`, moved into working hours (8:00-18:00 on a weekday) if it falls outside."""
    moment = after + timedelta(minutes=int(rng.uniform(*hours) * 60))
    local = timezone.localtime(moment, settings_zone())
    if local.weekday() < 5 and 8 <= local.hour < 18:
        return moment
    day = local.date() + timedelta(days=1) if local.hour >= 18 else local.date()
    return _at(_weekday_forward(day), 8 * 60 + rng.randrange(0, 180, 5))


# --- What is planned -------------------------------------------------------------------------------------


@dataclass
class Step:
    status: str
    at: datetime
    reason: str = ""


@dataclass
class PlannedOrder:
    client: Client
    manager: User
    contact: Contact | None
    currency: str
    lines: list[LineData]
    totals: Totals
    promised_on: date | None
    notes: str
    steps: list[Step]
    number: str = ""

    @property
    def status(self) -> str:
        return self.steps[-1].status

    @property
    def created_at(self) -> datetime:
        return self.steps[0].at

    @property
    def delivered_at(self) -> datetime | None:
        return self.steps[-1].at if self.status == OrderStatus.DELIVERED else None

    @property
    def cancel_reason(self) -> str:
        return self.steps[-1].reason if self.status == OrderStatus.CANCELLED else ""

    def is_overdue(self, today: date) -> bool:
        return self.status in (OrderStatus.CONFIRMED, OrderStatus.IN_PROGRESS, OrderStatus.SHIPPED) and (
            self.promised_on is not None and self.promised_on < today
        )


@dataclass
class Target:
    """A demo client that gets its orders in this run."""

    client: Client
    manager: User
    contacts: list[Contact]  # primary first
    discount: Decimal
    currency: str = "EUR"
    favourites: list[Product] = field(default_factory=list)


class ClientOrders:
    """Draws one client's orders from the client's own generator."""

    def __init__(self, target: Target, rng: random.Random, products: list[Product], now: datetime):
        self.target = target
        self.rng = rng
        self.products = products
        self.now = now
        self.today = _local_day(now)
        self.orders: list[PlannedOrder] = []

    # --- Lines

    def available(self, day: date) -> list[Product]:
        """What could be ordered that day: the active products, and retired ones before they were retired."""
        out = []
        for product in self.products:
            spec = SPECS.get(product.sku)
            retired = spec.retired_days if spec else 0
            if product.is_active or (retired and day < self.today - timedelta(days=retired)):
                out.append(product)
        return out

    def pick_favourites(self) -> None:
        """Each client has its usual products (the same few, again and again), one of them perhaps retired since."""
        rng, products = self.rng, self.products
        usual = [p for p in products if p.is_active]
        count = min(len(usual), rng.randint(2, 5))
        chosen: list[Product] = []
        while len(chosen) < count:
            product = rng.choices(usual, weights=[self.weight(p) for p in usual])[0]
            if product not in chosen:
                chosen.append(product)
        retired = [p for p in products if not p.is_active]
        if retired and rng.random() < 0.3:
            chosen.append(rng.choice(retired))
        self.target.favourites = chosen

    @staticmethod
    def weight(product: Product) -> int:
        spec = SPECS.get(product.sku)
        return spec.weight if spec else 1

    def quantity(self, product: Product) -> Decimal:
        spec = SPECS.get(product.sku)
        low, high, step = spec.quantity if spec else (1, 10, 1)
        high = max(low, int(high * QUANTITY_SCALE.get(self.target.client.tier, 1.0)))
        drawn = self.rng.triangular(low, high, low + (high - low) / 4)
        return Decimal(max(low, round(drawn / step) * step))

    def price(self, amount: Decimal) -> Decimal:
        if self.target.currency == "USD":  # the catalogue is in euros; these clients are quoted in dollars
            return (amount * USD_PER_EUR).quantize(Decimal("0.01"))
        return amount

    def lines(self, day: date) -> list[LineData]:
        rng = self.rng
        available = self.available(day)
        usual = [p for p in self.target.favourites if p in available]
        count = rng.choices((1, 2, 3, 4, 5), weights=(30, 30, 20, 12, 8))[0]
        chosen: list[Product] = []
        for _ in range(count * 3):  # a few tries: a product appears once per order
            if len(chosen) == count:
                break
            pool = usual if usual and rng.random() < 0.7 else available
            product = rng.choices(pool, weights=[self.weight(p) for p in pool])[0]
            if product not in chosen:
                chosen.append(product)
        lines = [
            LineData(
                product=product,
                description=product.name,
                quantity=self.quantity(product),
                unit=product.unit,
                unit_price=self.price(product.default_price),
                discount_percent=self.target.discount,
            )
            for product in chosen
        ]
        for description, unit, (low, high), prices, share in FREE_TEXT_LINES:
            if rng.random() < share and len(lines) < MAX_LINES:  # surcharges and one-off work are net: no discount
                lines.append(
                    LineData(
                        description=description,
                        quantity=Decimal(rng.randint(low, high)),
                        unit=unit,
                        unit_price=self.price(Decimal(rng.choice(prices))),
                    )
                )
        return lines

    # --- One order

    def contact(self) -> Contact | None:
        contacts = self.target.contacts
        if not contacts:
            return None
        return contacts[0] if self.rng.random() < 0.7 else self.rng.choice(contacts)

    def planned(self, day: date, steps: list[Step], promised_on: date | None) -> PlannedOrder:
        lines = self.lines(day)
        order = PlannedOrder(
            client=self.target.client,
            manager=self.target.manager,
            contact=self.contact(),
            currency=self.target.currency,
            lines=lines,
            totals=compute_totals(lines, self.target.currency),
            promised_on=promised_on,
            notes=self.rng.choice(ORDER_NOTES) if self.rng.random() < 0.12 else "",
            steps=steps,
        )
        self.orders.append(order)
        return order

    def order(self, day: date) -> None:
        """An order taken that day, with every step that has happened by now."""
        rng = self.rng
        created_at = _at(day, rng.randrange(8 * 60 + 15, 17 * 60 + 30, 5))
        if created_at >= self.now:
            return
        far = self.target.client.country in FAR_MARKETS
        promised_on = _weekday_forward(day + timedelta(days=rng.randint(8, 24) if far else rng.randint(5, 18)))
        confirmed_at = _later(rng, created_at, (0.3, 30))
        in_progress_at = _later(rng, confirmed_at, (4, 48))
        if rng.random() < ON_TIME:
            delivered_on = _weekday_back(promised_on - timedelta(days=rng.choice((0, 0, 0, 0, 1, 1, 2, 3))))
        else:
            delivered_on = _weekday_forward(promised_on + timedelta(days=rng.randint(1, 8)))
        transport = rng.randint(3, 6) if far else rng.choice((1, 1, 2, 2, 3))
        shipped_at = _at(_weekday_back(delivered_on - timedelta(days=transport)), rng.randrange(7 * 60, 15 * 60, 5))
        shipped_at = max(shipped_at, _later(rng, in_progress_at, (2, 8)))
        delivered_at = max(_at(delivered_on, rng.randrange(9 * 60, 17 * 60, 5)), _later(rng, shipped_at, (3, 30)))
        steps = [
            Step(OrderStatus.DRAFT, created_at),
            Step(OrderStatus.CONFIRMED, confirmed_at),
            Step(OrderStatus.IN_PROGRESS, in_progress_at),
            Step(OrderStatus.SHIPPED, shipped_at),
            Step(OrderStatus.DELIVERED, delivered_at),
        ]
        if self.now - created_at < timedelta(days=10) and rng.random() < WAITING_DRAFT:
            steps = steps[:1]  # still waiting for the client's go-ahead
        elif rng.random() < CANCELLED:
            kept = rng.choice((1, 1, 2, 2, 3))
            cancelled_at = _later(rng, steps[kept - 1].at, (2, 120))
            steps = [*steps[:kept], Step(OrderStatus.CANCELLED, cancelled_at, rng.choice(CANCEL_REASONS))]
        elif timedelta(days=1) <= self.today - promised_on <= timedelta(days=25) and rng.random() < STUCK:
            steps = steps[: rng.choice((3, 4))]  # held up in production or in transit: overdue now
        steps = [step for step in steps if step.at <= self.now]
        self.planned(day, steps, promised_on)

    def draft(self, day: date) -> None:
        """A draft a prospect is discussing; half of them have a date in view already."""
        rng = self.rng
        created_at = _at(day, rng.randrange(8 * 60 + 15, 17 * 60 + 30, 5))
        if created_at >= self.now:  # later today: the working day before instead
            day = _weekday_back(day - timedelta(days=1))
            created_at = _at(day, rng.randrange(8 * 60 + 15, 17 * 60 + 30, 5))
        promised_on = _weekday_forward(self.today + timedelta(days=rng.randint(14, 40))) if rng.random() < 0.5 else None
        self.planned(day, [Step(OrderStatus.DRAFT, created_at)], promised_on)

    # --- The client's history

    def history(self, decline: Decline | None = None, decline_rng: random.Random | None = None) -> None:
        """The client's orders, shaped by its status and its bad patch, if any: see the package docstring."""
        rng, client = self.rng, self.target.client
        created = _local_day(client.created_at) + timedelta(days=1)
        if client.status == Status.PROSPECT:
            if rng.random() < PROSPECT_DRAFT:  # drawn first: whether a prospect has a draft never changes
                self.draft(max(created, _weekday_back(self.today - timedelta(days=rng.randint(0, 20)))))
            return
        self.pick_favourites()
        rate = rng.uniform(*MONTHLY_ORDERS.get(client.tier, MONTHLY_ORDERS[Tier.STANDARD]))
        start, end, fade_from = max(created, self.today - timedelta(days=HISTORY_DAYS)), self.today, None
        if client.status == Status.CHURNED and client.churned_on:
            end = client.churned_on - timedelta(days=rng.randint(30, 100))
            if decline is not None:  # the last order soon after the signs began
                end = max(created, min(end, decline.start + timedelta(days=decline_rng.randint(0, 20))))
            start = max(created, end - timedelta(days=365))
            fade_from = end - timedelta(days=THINNING_DAYS)
        elif client.status == Status.INACTIVE:
            end = self.today - timedelta(days=rng.randint(120, 300))
            rate *= 0.5
            if end < start:  # a young inactive client: one early order, then nothing
                end = min(start + timedelta(days=30), self.today - timedelta(days=60))
        span = max(1, (end - start).days)
        day, made = start, 0
        while day <= end:
            if day.weekday() < 5:
                factor = SEASON[day.month] * (0.85 + 0.3 * (day - start).days / span)  # business grows a little
                if fade_from is not None and day >= fade_from:
                    factor *= 0.25 + 0.75 * (end - day).days / THINNING_DAYS
                if decline is not None and not decline.churned and decline.covers(day):
                    factor *= DIP  # the false alarm's dip
                if rng.random() < rate / WORKING_DAYS_PER_MONTH * factor:
                    self.order(day)
                    made += 1
            day += timedelta(days=1)
        if not made and start <= end:  # every client that is or was a customer has ordered at least once
            self.order(_weekday_back(start + (end - start) * rng.random()))

    # --- The showcase manager's pipeline

    def pipeline(self, state: str) -> None:
        """An order standing at `state` now (or overdue), for the demo manager's pages: every stage shows."""
        rng, today = self.rng, self.today
        days_ago = {  # when each step happened, in days before today; and the promised date from today
            OrderStatus.DRAFT: ((2,), 12),
            OrderStatus.CONFIRMED: ((3, 1), 10),
            OrderStatus.IN_PROGRESS: ((7, 6, 3), 5),
            OrderStatus.SHIPPED: ((12, 11, 8, 1), 1),
            "overdue": ((20, 19, 15, 5), -3),
        }[state]
        offsets, promised = days_ago
        statuses = (OrderStatus.DRAFT, OrderStatus.CONFIRMED, OrderStatus.IN_PROGRESS, OrderStatus.SHIPPED)
        steps = [
            Step(status, _at(_weekday_back(today - timedelta(days=offset)), rng.randrange(9 * 60, 16 * 60, 5)))
            for status, offset in zip(statuses, offsets, strict=False)
        ]
        for earlier, later in itertools.pairwise(steps):
            later.at = max(later.at, earlier.at + timedelta(hours=1))
        promised_on = (_weekday_back if promised < 0 else _weekday_forward)(today + timedelta(days=promised))
        self.planned(_local_day(steps[0].at), steps, promised_on)
