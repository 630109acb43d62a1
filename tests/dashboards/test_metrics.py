"""Order metrics against small hand-computed fixtures: revenue, on-time delivery, repeat orders, client figures."""

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest

from dashboards.metrics import (
    ClientOrderFigures,
    client_order_figures,
    delivered_revenue,
    on_time_delivery,
    repeat_order_rate,
)
from orders.models import Order, OrderStatus
from tests.factories.clients import ClientFactory
from tests.factories.orders import OrderFactory, OrderLineFactory, ProductFactory

# March 2025 in Vilnius is UTC+2 until the clock change on the 30th.
START = datetime(2025, 3, 1, tzinfo=UTC)
END = datetime(2025, 4, 1, tzinfo=UTC)
TICK = timedelta(microseconds=1)


@pytest.fixture(autouse=True)
def _company_zone(settings):
    settings.TIME_ZONE = "Europe/Vilnius"


def order(client, status, created_at, *, products=(), delivered_at=None, promised_on=None, total="0", currency="EUR"):
    """A bare order row with exactly these facts (created_at set after the insert, as auto_now_add ignores it)."""
    row = OrderFactory(
        client=client,
        status=status,
        delivered_at=delivered_at,
        promised_on=promised_on,
        total=Decimal(total),
        subtotal=Decimal(total),
        currency=currency,
    )
    for product in products:
        OrderLineFactory(order=row, product=product)
    Order.objects.filter(pk=row.pk).update(created_at=created_at)
    return row


def delivered(client, delivered_at, *, total="0", currency="EUR", promised_on=None, created_at=None):
    return order(
        client,
        OrderStatus.DELIVERED,
        created_at or delivered_at - timedelta(days=20),
        delivered_at=delivered_at,
        promised_on=promised_on or delivered_at.date(),
        total=total,
        currency=currency,
    )


def test_revenue_sums_orders_delivered_in_the_period_per_currency(org):
    client = org.client
    delivered(client, START, total="100.00")  # the first instant belongs to the period
    delivered(client, END - TICK, total="50.50")  # so does the last one
    delivered(client, datetime(2025, 3, 15, 12, tzinfo=UTC), total="20.00", currency="USD")
    delivered(client, END, total="999.00")  # the next period's first instant
    delivered(client, START - TICK, total="999.00")
    order(client, OrderStatus.SHIPPED, START, total="999.00")  # not delivered yet
    order(client, OrderStatus.CANCELLED, START, total="999.00")

    assert delivered_revenue(Order.objects.all(), START, END) == {"EUR": Decimal("150.50"), "USD": Decimal("20.00")}


def test_revenue_counts_only_the_orders_the_viewer_may_see(org):
    delivered(org.client, START, total="10.00")
    delivered(org.foreign_client, START, total="70.00")

    assert delivered_revenue(Order.objects.filter(client=org.client), START, END) == {"EUR": Decimal("10.00")}


def test_revenue_without_deliveries_is_empty(org):
    order(org.client, OrderStatus.CONFIRMED, START, total="10.00")

    assert delivered_revenue(Order.objects.all(), START, END) == {}


def test_delivery_on_the_promised_day_is_on_time_and_a_day_later_is_not(org):
    promised = date(2025, 3, 10)
    delivered(org.client, datetime(2025, 3, 10, 21, 30, tzinfo=UTC), promised_on=promised)  # 23:30 in Vilnius
    delivered(org.client, datetime(2025, 3, 11, 9, 0, tzinfo=UTC), promised_on=promised)  # a day late

    assert on_time_delivery(Order.objects.all(), START, END) == Decimal("50.0")


def test_delivery_day_is_the_companys_calendar_day(org):
    promised = date(2025, 3, 10)
    delivered(org.client, datetime(2025, 3, 10, 22, 30, tzinfo=UTC), promised_on=promised)  # 00:30 on the 11th

    assert on_time_delivery(Order.objects.all(), START, END) == Decimal("0.0")


def test_on_time_delivery_over_a_mixed_period(org):
    delivered(org.client, datetime(2025, 3, 5, 8, tzinfo=UTC), promised_on=date(2025, 3, 8))  # early
    delivered(org.client, datetime(2025, 3, 8, 8, tzinfo=UTC), promised_on=date(2025, 3, 8))  # on the day
    delivered(org.client, datetime(2025, 3, 9, 8, tzinfo=UTC), promised_on=date(2025, 3, 8))  # late
    delivered(org.client, END, promised_on=date(2025, 3, 1))  # late, but in the next period
    order(org.client, OrderStatus.SHIPPED, START, promised_on=date(2025, 3, 2))  # overdue, not delivered

    assert on_time_delivery(Order.objects.all(), START, END) == Decimal("66.7")


def test_on_time_delivery_without_deliveries_has_no_value(org):
    order(org.client, OrderStatus.SHIPPED, START, promised_on=date(2025, 3, 2))
    delivered(org.client, START - TICK)

    assert on_time_delivery(Order.objects.all(), START, END) is None


def test_first_order_of_a_product_is_not_a_repeat(org):
    bolts = ProductFactory()
    order(org.client, OrderStatus.CONFIRMED, START, products=[bolts, bolts])  # twice in one order: still the first

    assert repeat_order_rate(Order.objects.all(), START, END) == Decimal("0.0")


def test_reorder_of_the_same_product_is_a_repeat(org):
    bolts, nuts = ProductFactory(), ProductFactory()
    order(org.client, OrderStatus.DELIVERED, START - timedelta(days=30), products=[bolts])  # before the period
    order(org.client, OrderStatus.CONFIRMED, START + timedelta(days=1), products=[nuts, bolts])
    order(org.client, OrderStatus.SHIPPED, START + timedelta(days=2), products=[nuts])  # nuts were in the 1st

    assert repeat_order_rate(Order.objects.all(), START, END) == Decimal("100.0")


@pytest.mark.parametrize("earlier_status", [OrderStatus.CANCELLED, OrderStatus.DRAFT])
def test_cancelled_or_draft_earlier_order_does_not_count_as_earlier(org, earlier_status):
    bolts = ProductFactory()
    order(org.client, earlier_status, START - timedelta(days=3), products=[bolts])
    order(org.client, OrderStatus.CONFIRMED, START + timedelta(days=1), products=[bolts])

    assert repeat_order_rate(Order.objects.all(), START, END) == Decimal("0.0")


def test_same_product_ordered_by_another_client_is_not_a_repeat(org):
    bolts = ProductFactory()
    order(org.team_client, OrderStatus.DELIVERED, START - timedelta(days=3), products=[bolts])
    order(org.client, OrderStatus.CONFIRMED, START + timedelta(days=1), products=[bolts])

    assert repeat_order_rate(Order.objects.filter(client=org.client), START, END) == Decimal("0.0")


def test_repeat_order_rate_over_a_mixed_period(org):
    bolts, nuts, glue = ProductFactory(), ProductFactory(), ProductFactory()
    other = ClientFactory()
    day = START + timedelta(days=1)
    order(org.client, OrderStatus.DELIVERED, START - timedelta(days=10), products=[bolts])
    order(org.client, OrderStatus.DELIVERED, day, products=[bolts, nuts])  # repeat: bolts
    order(org.client, OrderStatus.IN_PROGRESS, day + timedelta(days=1), products=[nuts])  # repeat: nuts
    order(org.client, OrderStatus.CANCELLED, day + timedelta(days=2), products=[glue])  # not placed
    order(org.client, OrderStatus.CONFIRMED, day + timedelta(days=3), products=[glue])  # glue only cancelled before
    order(org.client, OrderStatus.DRAFT, day + timedelta(days=4), products=[bolts])  # not placed
    order(org.client, OrderStatus.CONFIRMED, day + timedelta(days=5))  # free-text lines only
    order(other, OrderStatus.SHIPPED, day + timedelta(days=6), products=[bolts])  # this client's first
    order(org.client, OrderStatus.CONFIRMED, END, products=[bolts])  # next period

    # placed in March: 5 (bolts+nuts, nuts, glue, free text, other's bolts); repeats: 2 → 40 %
    assert repeat_order_rate(Order.objects.all(), START, END) == Decimal("40.0")


def test_repeat_order_rate_without_placed_orders_has_no_value(org):
    order(org.client, OrderStatus.DRAFT, START, products=[ProductFactory()])
    order(org.client, OrderStatus.CANCELLED, START, products=[ProductFactory()])

    assert repeat_order_rate(Order.objects.all(), START, END) is None


def test_client_figures_cover_the_last_365_days_of_placed_orders(org, django_assert_max_num_queries):
    now = datetime(2025, 6, 1, 12, tzinfo=UTC)
    bolts = ProductFactory()
    client = org.client
    order(client, OrderStatus.DELIVERED, now - timedelta(days=400), products=[bolts])  # older than a year
    order(client, OrderStatus.CONFIRMED, now - timedelta(days=365), products=[bolts])  # first day of the year: in
    last = order(client, OrderStatus.DELIVERED, now - timedelta(days=60), products=[bolts])
    Order.objects.filter(pk=last.pk).update(
        delivered_at=now - timedelta(days=30), promised_on=date(2025, 4, 30), total=Decimal("250.00")
    )
    order(client, OrderStatus.CANCELLED, now - timedelta(days=5), products=[bolts])
    order(client, OrderStatus.DRAFT, now - timedelta(days=1), products=[bolts])
    order(org.foreign_client, OrderStatus.CONFIRMED, now - timedelta(hours=1), products=[bolts])

    with django_assert_max_num_queries(4):
        figures = client_order_figures(client, now=now)

    assert figures == ClientOrderFigures(
        revenue={"EUR": Decimal("250.00")},
        orders=2,
        repeat_rate=Decimal("100.0"),
        on_time=Decimal("0.0"),  # delivered 2 May, promised 30 April
        last_order_at=now - timedelta(days=60),
    )


def test_client_without_orders_has_empty_figures(org):
    order(org.client, OrderStatus.DRAFT, datetime(2025, 5, 1, tzinfo=UTC))

    assert client_order_figures(org.client, now=datetime(2025, 6, 1, tzinfo=UTC)) == ClientOrderFigures(
        revenue={}, orders=0, repeat_rate=None, on_time=None, last_order_at=None
    )
