"""The orders part of `manage.py seed_demo`: a consistent year of orders, numbered like real ones, loaded once."""

import itertools
from collections import defaultdict
from decimal import Decimal
from io import StringIO

from django.core.management import call_command
from django.db.models import Count, F
from django.utils import timezone

from accounts.models import User
from clients.models import Client, Status
from core.models import NumberSequence
from dashboards.metrics import on_time_delivery
from orders.models import (
    Order,
    OrderLine,
    OrderStatus,
    OrderTransition,
    OverdueNotice,
    Product,
    TierDiscount,
    settings_zone,
)
from orders.selectors import overdue_q
from orders.services.orders import create_order
from orders.services.pricing import LineData, compute_totals
from tests.factories.orders import line

CLIENTS = 30

ORDER_SEQUENCES = NumberSequence.objects.filter(scope="order")


def seed(clients=CLIENTS):
    out = StringIO()
    call_command("seed_demo", clients=clients, stdout=out)
    return out.getvalue()


def snapshot():
    return {
        "products": Product.objects.count(),
        "tier_discounts": TierDiscount.objects.count(),
        "orders": Order.objects.count(),
        "lines": OrderLine.objects.count(),
        "transitions": OrderTransition.objects.count(),
        "sequences": list(ORDER_SEQUENCES.order_by("year").values_list("year", "last_value")),
        "clients_with_own_discount": Client.objects.filter(discount_percent__isnull=False).count(),
    }


def test_seed_loads_the_catalogue_tier_discounts_and_orders_in_every_status(db):
    output = seed()

    assert Product.objects.count() >= 20
    assert Product.objects.filter(is_active=False).count() == 2
    assert dict(TierDiscount.objects.values_list("tier", "percent")) == {
        "vip": Decimal(5),
        "key": Decimal(3),
        "standard": Decimal(0),
    }
    statuses = dict(Order.objects.values_list("status").annotate(n=Count("pk")))
    assert set(statuses) == set(OrderStatus.values)
    assert statuses[OrderStatus.DELIVERED] > sum(n for status, n in statuses.items() if status != "delivered")
    assert not Order.objects.filter(status=OrderStatus.CANCELLED, cancel_reason="").exists()
    assert not Order.objects.exclude(created_by=F("client__account_manager")).exists()
    assert not OrderTransition.objects.exclude(actor=F("order__client__account_manager")).exists()
    assert not Order.objects.filter(client__status=Status.PROSPECT).exclude(status=OrderStatus.DRAFT).exists()
    assert not OverdueNotice.objects.exists()  # the periodic task makes them
    assert f"{Order.objects.count()} orders ({Order.objects.count()} new)" in output


def test_numbers_are_gap_free_per_year_in_the_order_taken_and_the_counters_end_at_the_last_one(db):
    seed()

    per_year = defaultdict(list)
    for number, created_at in Order.objects.order_by("created_at", "number").values_list("number", "created_at"):
        _prefix, year, value = number.split("-")
        assert int(year) == timezone.localdate(created_at, timezone=settings_zone()).year
        per_year[int(year)].append(int(value))
    assert len(per_year) >= 2  # a year of history spans two calendar years
    for year, values in per_year.items():
        assert values == list(range(1, len(values) + 1)), year
    assert dict(ORDER_SEQUENCES.values_list("year", "last_value")) == {
        year: len(values) for year, values in per_year.items()
    }


def test_an_order_taken_after_the_seed_continues_the_years_numbers(db):
    seed(clients=10)
    client = Client.objects.filter(status=Status.ACTIVE).select_related("account_manager").first()
    year = timezone.localdate(timezone=settings_zone()).year
    last = ORDER_SEQUENCES.filter(year=year).values_list("last_value", flat=True).first() or 0

    order = create_order(actor=client.account_manager, client=client, lines=[line()])

    assert order.number == f"ORD-{year}-{last + 1:06d}"


def test_stored_totals_are_the_computed_totals_of_the_lines(db):
    seed()

    orders = Order.objects.prefetch_related("lines__product")
    assert orders.exists()
    for order in orders:
        lines = list(order.lines.all())
        assert 1 <= len(lines) <= 5
        assert [item.position for item in lines] == list(range(1, len(lines) + 1))
        totals = compute_totals(
            [
                LineData(
                    description=item.description,
                    quantity=item.quantity,
                    unit_price=item.unit_price,
                    discount_percent=item.discount_percent,
                )
                for item in lines
            ],
            order.currency,
        )
        assert (order.subtotal, order.discount_total, order.total) == (
            totals.subtotal,
            totals.discount_total,
            totals.total,
        )
        assert [item.line_total for item in lines] == totals.line_totals
    assert OrderLine.objects.filter(product__isnull=True).exists()  # free-text lines too
    assert OrderLine.objects.filter(discount_percent__gt=0).exists()


def test_each_order_has_its_workflow_steps_and_a_delivered_one_its_delivery_time(db):
    seed()
    now = timezone.now()

    for order in Order.objects.prefetch_related("transitions"):
        steps = list(order.transitions.all())
        assert steps[0].from_status == ""
        assert steps[0].to_status == OrderStatus.DRAFT
        assert steps[0].at == order.created_at
        assert steps[-1].to_status == order.status
        assert all(a.to_status == b.from_status and a.at < b.at for a, b in itertools.pairwise(steps))
        assert steps[-1].at <= now
        if order.status == OrderStatus.DELIVERED:
            assert order.delivered_at == steps[-1].at
            assert order.promised_on is not None
        else:
            assert order.delivered_at is None
    assert not Order.objects.filter(created_at__lt=F("client__created_at")).exists()


def test_the_demo_managers_clients_have_an_overdue_order(db):
    seed()
    manager = User.objects.get(email="manager1@demo.crm")

    assert Order.objects.filter(overdue_q(), client__account_manager=manager).exists()
    assert Order.objects.filter(overdue_q()).count() <= Order.objects.count() // 20  # a handful, not a backlog


def test_most_deliveries_are_on_time_and_the_late_ones_a_few_days_late(db):
    seed()
    delivered = Order.objects.filter(status=OrderStatus.DELIVERED)

    rate = on_time_delivery(delivered, delivered.earliest("delivered_at").delivered_at, timezone.now())

    assert Decimal(75) <= rate <= Decimal(95)
    late = [
        (timezone.localdate(order.delivered_at, timezone=settings_zone()) - order.promised_on).days
        for order in delivered
    ]
    assert max(late) <= 10


def test_churned_clients_stopped_ordering_before_they_left(db):
    seed()

    churned = Client.objects.filter(status=Status.CHURNED, churned_on__isnull=False)
    assert churned.exists()
    for client in churned:
        last = client.orders.order_by("-created_at").first()
        assert last is not None
        assert timezone.localdate(last.created_at, timezone=settings_zone()) < client.churned_on


def test_a_second_run_adds_nothing(db):
    seed()
    before = snapshot()

    output = seed()

    assert snapshot() == before
    assert before["orders"] > 100
    assert f"{before['orders']} orders (0 new)" in output


def test_a_bigger_run_gives_only_the_new_clients_orders_numbered_after_the_existing_ones(db):
    seed(clients=10)
    first = set(Order.objects.values_list("number", "client_id", "created_at", "total"))

    seed(clients=15)

    assert first < set(Order.objects.values_list("number", "client_id", "created_at", "total"))
    seeded_first = {client_id for _number, client_id, *_rest in first}
    added = Order.objects.exclude(number__in=[number for number, *_rest in first])
    assert added.exists()
    assert not added.filter(client_id__in=seeded_first).exists()
    per_year = defaultdict(set)
    for number in Order.objects.values_list("number", flat=True):
        _prefix, year, value = number.split("-")
        per_year[int(year)].add(int(value))
    for year, values in per_year.items():
        assert values == set(range(1, len(values) + 1)), year
        assert ORDER_SEQUENCES.get(year=year).last_value == len(values)
