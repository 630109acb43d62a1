"""The demo seeder of products and orders (registered as "orders" in registrations.py).

It runs after the clients and interactions seeders and gives the demo clients an order
history, taken and moved through the workflow by their account manager:
- a catalogue of packaging, industrial supplies and services (two of them retired since),
  the tier discounts (VIP 5 %, key 3 %, standard 0 %) and a negotiated discount on two clients;
- active clients order on working days at a rate set by their tier, over the last
  13 months, mostly their own few usual products (so reorders are the rule), more before
  the autumn peak than in summer; inactive clients stopped 4-10 months ago; churned
  clients thin out and stop 1-3 months before they left (soon after the signs of their bad patch began,
  contacts.demo.decline), active clients with a bad patch order far less during it; prospects have at most a draft;
- about 87 % of the deliveries arrive by the promised date, the others 1-10 days late; a
  few orders are cancelled with a reason, a few are held up past their date (overdue), the
  latest ones are still confirmed, in progress or shipped, some recent ones wait as drafts;
- the README's demo user (manager1) has an order at every stage, one of them overdue.

Orders are built in memory (`history.ClientOrders`), numbered in the order they were taken
from the year's counter (as `allocate_order_number` would have, and leaving the counter at
the last number used), and written with `bulk_create`: no history records, since nobody
edited them, and no overdue notices, which the periodic task makes. Totals come from
`pricing.compute_totals`, like the services'.

Times are relative to `timezone.now()`; each client's orders come from a generator seeded
by its registration code, so adding clients later never changes the earlier ones. A client
that has any order is left alone, and every former or current customer gets at least one,
which makes a second run add nothing.
"""

import random
from collections import defaultdict
from datetime import date
from decimal import Decimal

from django.db import connection, transaction
from django.utils import timezone

from clients.models import Client, Status, Tier
from clients.services import update_client
from contacts.demo import demo_client_codes
from contacts.demo.decline import decline_of
from contacts.models import Contact
from core.numbering import format_number, reserve_numbers

from ..models import Order, OrderLine, OrderStatus, OrderTransition, settings_zone
from ..selectors import overdue_q
from ..services.orders import ORDER_PREFIX, ORDER_SCOPE, build_line_rows
from ..services.pricing import get_default_discount
from .catalogue import seed_catalogue, seed_tier_discounts
from .history import ClientOrders, PlannedOrder, Target

__all__ = ["seed"]

SHOWCASE_USER = "manager1@demo.crm"  # the README's sign-in: their orders show every stage
PIPELINE = (OrderStatus.DRAFT, OrderStatus.CONFIRMED, OrderStatus.IN_PROGRESS, OrderStatus.SHIPPED)
USD_MARKETS = ("KZ", "GE", "AM")
USD_CLIENTS = 2
# (tier, discount): the first active client of the tier negotiated its own discount.
OWN_DISCOUNTS = ((Tier.KEY, Decimal("4.50")), (Tier.STANDARD, Decimal("2.00")))


def _chunks(items: list, size: int = 500):
    """Keeps `__in` lists under SQLite's limit on query parameters."""
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _demo_clients(codes: list[str]) -> list[Client]:
    found: dict[str, Client] = {}
    for chunk in _chunks(codes):
        for client in Client.objects.filter(registration_code__in=chunk).select_related("account_manager"):
            found[client.registration_code] = client
    return [found[code] for code in codes if code in found]


def _targets(clients: list[Client]) -> list[Target]:
    """The demo clients to seed: with a manager and no order yet, with their contacts and terms."""
    ids = [client.pk for client in clients]
    seeded: set[int] = set()
    contacts: dict[int, list[Contact]] = defaultdict(list)
    for chunk in _chunks(ids):
        seeded.update(Order.objects.filter(client_id__in=chunk).values_list("client_id", flat=True))
        for contact in Contact.objects.filter(client_id__in=chunk).order_by("-is_primary", "pk"):
            contacts[contact.client_id].append(contact)
    # Chosen among all demo clients in plan order, so a bigger run never changes who they are.
    active = [c for c in clients if c.status == Status.ACTIVE]
    usd = {c.pk for c in [c for c in active if c.country in USD_MARKETS][:USD_CLIENTS]}
    own_discount = {}
    for tier, percent in OWN_DISCOUNTS:
        first = next((c for c in active if c.tier == tier), None)
        if first is not None:
            own_discount[first.pk] = percent
    targets = []
    for client in clients:
        manager = client.account_manager
        if client.pk in seeded or manager is None:
            continue
        if client.pk in own_discount and client.discount_percent is None:
            client = update_client(actor=manager, client=client, discount_percent=own_discount[client.pk])
        target = Target(client, manager, contacts[client.pk], get_default_discount(client))
        if client.pk in usd:
            target.currency = "USD"
        targets.append(target)
    return targets


def _fill_pipeline(writers: list[ClientOrders], planned: list[PlannedOrder], today: date) -> None:
    """The showcase manager gets an order at each stage they lack, and an overdue one, on their active clients."""
    showcase = [
        w for w in writers if w.target.manager.email == SHOWCASE_USER and w.target.client.status == Status.ACTIVE
    ]
    if not showcase:
        return
    manager = showcase[0].target.manager
    theirs = Order.objects.filter(client__account_manager=manager)
    statuses = set(theirs.values_list("status", flat=True))
    statuses |= {order.status for order in planned if order.manager == manager}
    overdue = theirs.filter(overdue_q()).exists() or any(
        order.is_overdue(today) for order in planned if order.manager == manager
    )
    missing = [status for status in PIPELINE if status not in statuses] + ([] if overdue else ["overdue"])
    for index, state in enumerate(missing):
        writer = showcase[index % len(showcase)]
        writer.pipeline(state)
        planned.append(writer.orders[-1])


def _number(planned: list[PlannedOrder]) -> None:
    """Numbers in the order the orders were taken, from each year's counter, which ends at the last one used."""
    by_year: dict[int, list[PlannedOrder]] = defaultdict(list)
    for order in sorted(planned, key=lambda o: (o.created_at, o.client.registration_code)):
        by_year[timezone.localdate(order.created_at, timezone=settings_zone()).year].append(order)
    for year, orders in sorted(by_year.items()):
        first = reserve_numbers(ORDER_SCOPE, year, len(orders))
        for value, order in enumerate(orders, start=first):
            order.number = format_number(ORDER_PREFIX, year, value)


def _stamp(orders: list[Order], planned: list[PlannedOrder]) -> None:
    """Give each order the time it was taken and last moved: auto_now_add/auto_now stamped them "now".

    One parameterised UPDATE run for all rows: `bulk_update` builds a CASE per row and cost
    more than the rest of the seeder together.
    """
    ops = connection.ops
    table, created, updated, pk = (
        ops.quote_name(name) for name in (Order._meta.db_table, "created_at", "updated_at", Order._meta.pk.column)
    )
    rows = []
    for order, plan in zip(orders, planned, strict=True):
        order.created_at, order.updated_at = plan.created_at, plan.steps[-1].at
        rows.append(
            (ops.adapt_datetimefield_value(order.created_at), ops.adapt_datetimefield_value(order.updated_at), order.pk)
        )
    with connection.cursor() as cursor:
        cursor.executemany(f"UPDATE {table} SET {created} = %s, {updated} = %s WHERE {pk} = %s", rows)  # noqa: S608


def _save(planned: list[PlannedOrder]) -> tuple[int, int]:
    """Insert the orders, their lines and transitions; returns (lines, transitions) written."""
    planned = sorted(planned, key=lambda o: o.number)
    orders = [
        Order(
            number=plan.number,
            client=plan.client,
            contact=plan.contact,
            currency=plan.currency,
            status=plan.status,
            promised_on=plan.promised_on,
            delivered_at=plan.delivered_at,
            cancel_reason=plan.cancel_reason,
            notes=plan.notes,
            subtotal=plan.totals.subtotal,
            discount_total=plan.totals.discount_total,
            total=plan.totals.total,
            created_by=plan.manager,
        )
        for plan in planned
    ]
    Order.objects.bulk_create(orders, batch_size=500)
    _stamp(orders, planned)
    lines = [
        row
        for order, plan in zip(orders, planned, strict=True)
        for row in build_line_rows(order, plan.lines, plan.totals.line_totals)
    ]
    OrderLine.objects.bulk_create(lines, batch_size=1000)
    transitions = [
        OrderTransition(
            order=order, from_status=previous, to_status=step.status, actor=plan.manager, at=step.at, reason=step.reason
        )
        for order, plan in zip(orders, planned, strict=True)
        for previous, step in zip(["", *(s.status for s in plan.steps)], plan.steps, strict=False)
    ]
    OrderTransition.objects.bulk_create(transitions, batch_size=1000)
    return len(lines), len(transitions)


def _count_on(clients: list[Client]) -> tuple[int, int]:
    ids = [client.pk for client in clients]
    orders = lines = 0
    for chunk in _chunks(ids):
        orders += Order.objects.filter(client_id__in=chunk).count()
        lines += OrderLine.objects.filter(order__client_id__in=chunk).count()
    return orders, lines


@transaction.atomic  # the year's number counters stay locked until the orders are saved
def seed(*, rng_seed: int, clients: int, stdout) -> str:
    """Seeder: the catalogue, tier discounts and an order history for every demo client that has no order."""
    now = timezone.now()
    products, new_products = seed_catalogue(now=now)
    seed_tier_discounts()
    clients_all = _demo_clients(demo_client_codes(rng_seed=rng_seed, clients=clients))
    writers, today = [], timezone.localdate(now)
    for target in _targets(clients_all):
        # Demo data only: the standard pseudo-random generator is what makes it reproducible.
        code = target.client.registration_code
        rng = random.Random(f"{rng_seed}:orders:{code}")  # noqa: S311
        writer = ClientOrders(target, rng, products, now)
        decline = decline_of(target.client, rng_seed=rng_seed, today=today)
        writer.history(decline, random.Random(f"{rng_seed}:decline:orders:{code}"))  # noqa: S311
        writers.append(writer)
    planned = [order for writer in writers for order in writer.orders]
    _fill_pipeline(writers, planned, timezone.localdate(now, timezone=settings_zone()))
    _number(planned)
    new_lines, _transitions = _save(planned)
    orders, lines = _count_on(clients_all)
    return (
        f"{len(products)} products ({new_products} new), {orders} orders ({len(planned)} new), "
        f"{lines} order lines ({new_lines} new)"
    )
