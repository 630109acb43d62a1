"""The catalogue and orders: lines with totals computed as the services do, the workflow's
transitions, numbers without gaps per year, and the number sequences that continue after them.

Money is integer cents here (quantities are whole, prices have cents, discounts are hundredths
of a percent), rounded half up per line exactly like orders.services.pricing, so the stored totals
are the sums of the stored line totals.
"""

from core.models import NumberSequence
from orders.models import Order, OrderLine, OrderStatus, OrderTransition, Product

from . import texts
from .clock import DAY, HOUR
from .world import World, cumulative, weighted_table

ORDER_SCOPE, ORDER_PREFIX = "order", "ORD"  # as orders.services.orders
LINE_COUNTS = weighted_table(((1, 30), (2, 30), (3, 20), (4, 12), (5, 8)))
RATE = {"EUR": 100, "USD": 108, "PLN": 430, "SEK": 1150}  # cents of the currency per euro cent × 100
QUANTITY = {"standard": 20, "key": 40, "vip": 90}
ON_TIME = 0.89
CANCELLED = 0.04
STUCK = 0.03  # of orders promised in the last weeks: held up, so overdue now
WAITING_DRAFT = 0.2  # of orders taken in the last ten days: not confirmed yet


def money(cents: int) -> str:
    sign = "-" if cents < 0 else ""
    cents = abs(cents)
    return f"{sign}{cents // 100}.{cents % 100:02d}"


def write_products(world: World) -> None:
    rng = world.rng
    first_id = world.first_id(Product)
    rows = []
    for n in range(world.sizes.products):
        product_id = first_id + n
        word, unit = rng.choice(texts.PRODUCT_WORDS)
        name = f"{word} {rng.choice(texts.PRODUCT_SIZES)} #{product_id}"
        price = rng.randint(50, 25_000)
        world.products.append((product_id, name, unit, price))
        created = world.start - rng.randint(0, 400) * DAY
        rows.append((product_id, created, created, name, f"BENCH-{product_id:06d}", unit, f"{money(price)}00", "EUR",
                     rng.random() < 0.95))  # fmt: skip
    world.loader.write(
        Product,
        ("id", "created_at", "updated_at", "name", "sku", "unit", "default_price", "currency", "is_active"),
        rows,
    )


def _steps(world: World, created: int, late: bool) -> tuple[list[tuple[str, int]], int]:
    """The workflow steps an order went through by now, and its promised date (a local date ordinal)."""
    rng, now, calendar = world.rng, world.now, world.calendar
    created_day = calendar.day(created)
    promised = created_day + rng.randint(5, 21)
    # late: after the promised day; on time: on it or a few days before
    delivered_day = promised + rng.randint(1, 10) if late else max(created_day + 3, promised - rng.randint(0, 4))
    delivered = calendar.at(delivered_day, rng.randrange(9 * 60, 17 * 60))
    shipped = max(created + 3 * HOUR, delivered - rng.randint(DAY, 3 * DAY))
    in_progress = max(created + 2 * HOUR, shipped - rng.randint(DAY, 4 * DAY))
    confirmed = max(created + HOUR, min(in_progress - HOUR, created + rng.randint(HOUR, DAY)))
    steps = [
        (OrderStatus.DRAFT, created),
        (OrderStatus.CONFIRMED, confirmed),
        (OrderStatus.IN_PROGRESS, in_progress),
        (OrderStatus.SHIPPED, shipped),
        (OrderStatus.DELIVERED, delivered),
    ]
    steps = [(status, at) for status, at in steps if at <= now]
    if now - created < 10 * DAY and rng.random() < WAITING_DRAFT:
        steps = steps[:1]
    elif len(steps) == 5 and now - delivered < 40 * DAY and rng.random() < STUCK:
        steps = steps[: rng.choice((3, 4))]  # held up in the warehouse or on the road: overdue
    if rng.random() < CANCELLED:
        steps = steps[: rng.randint(1, min(len(steps), 4))]
        steps.append((OrderStatus.CANCELLED, min(now, steps[-1][1] + rng.randint(HOUR, 3 * DAY))))
    return steps, promised


def write_orders(world: World) -> None:
    """Orders in creation order, numbered per year; lines and transitions after them."""
    rng, clients = world.rng, world.clients
    buying = [i for i, c in enumerate(clients) if c.status != "prospect"]
    weights = cumulative([clients[i].weight * max(clients[i].end - clients[i].start, DAY) for i in buying])
    plan = sorted(
        (world.calendar.work_moment(rng, clients[i].start, clients[i].end), i)
        for i in rng.choices(buying, cum_weights=weights, k=world.sizes.orders)
    )
    numbers = dict(NumberSequence.objects.filter(scope=ORDER_SCOPE).values_list("year", "last_value"))
    first_id = world.first_id(Order)
    line_id, transition_id = world.first_id(OrderLine), world.first_id(OrderTransition)
    lines, transitions = [], []

    def rows():
        nonlocal line_id, transition_id
        for n, (created, index) in enumerate(plan):
            order_id = first_id + n
            client = clients[index]
            year = world.calendar.year(created)
            numbers[year] = numbers.get(year, 0) + 1
            late = rng.random() > ON_TIME
            steps, promised = _steps(world, created, late)
            status, last_at = steps[-1]
            contact = None
            if client.contacts:
                contact = client.contacts[0] if rng.random() < 0.7 else rng.choice(client.contacts)
            subtotal = total = 0
            rate = RATE.get(client.currency, 100)
            for position in range(rng.choice(LINE_COUNTS)):
                product_id, name, unit, price = rng.choice(world.products)
                if rng.random() < 0.1:
                    product_id, name, unit = None, "Delivery and handling", ""
                price = price * rate // 100
                quantity = rng.randint(1, QUANTITY[client.tier])
                discount = client.discount if rng.random() < 0.9 else 0
                gross = quantity * price
                net = (2 * gross * (10_000 - discount) + 10_000) // 20_000  # half up, as round_money
                subtotal += gross
                total += net
                lines.append((line_id, order_id, position, product_id, name, f"{quantity}.000", unit,
                              f"{money(price)}00", money(discount), money(net)))  # fmt: skip
                line_id += 1
            previous = ""
            for step, at in steps:
                reason = rng.choice(texts.CANCEL_REASONS) if step == OrderStatus.CANCELLED else ""
                transitions.append((transition_id, order_id, previous, step, client.manager, at, reason))
                transition_id += 1
                previous = step
            delivered = last_at if status == OrderStatus.DELIVERED else None
            if delivered is not None:
                world.delivered_orders.append((order_id, index, contact, delivered))
            client.orders.append((order_id, created, late))
            yield (
                order_id, created, last_at, f"{ORDER_PREFIX}-{year}-{numbers[year]:06d}", client.id, contact,
                client.currency, status, None if status == OrderStatus.DRAFT and rng.random() < 0.5 else promised,
                delivered, transitions[-1][6], "", money(subtotal), money(subtotal - total), money(total),
                client.manager,
            )  # fmt: skip

    world.loader.write(
        Order,
        (
            "id created_at updated_at number client_id contact_id currency status promised_on delivered_at "
            "cancel_reason notes subtotal discount_total total created_by_id"
        ),
        rows(),
    )
    world.loader.write(
        OrderLine,
        "id order_id position product_id description quantity unit unit_price discount_percent line_total",
        lines,
    )
    world.loader.write(
        OrderTransition, ("id", "order_id", "from_status", "to_status", "actor_id", "at", "reason"), transitions
    )
    save_numbers(ORDER_SCOPE, numbers)


def save_numbers(scope: str, last_values: dict[int, int]) -> None:
    """Set each year's counter to the last number given out, so the next order or complaint continues it."""
    for year, value in last_values.items():
        NumberSequence.objects.update_or_create(scope=scope, year=year, defaults={"last_value": value})
