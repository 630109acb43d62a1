"""Orders built through the services where the rules matter; plain factories for bulk rows."""

from decimal import Decimal

import factory

from orders.models import Order, OrderLine, OrderStatus, Product
from orders.services.orders import allocate_order_number
from orders.services.pricing import LineData


class ProductFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Product

    name = factory.Sequence(lambda n: f"Product {n}")
    sku = factory.Sequence(lambda n: f"SKU-{n:05d}")
    unit = "pcs"
    default_price = Decimal("10.00")
    currency = "EUR"


class OrderFactory(factory.django.DjangoModelFactory):
    """A bare order row (no lines, totals as given); use `make_order` for a realistic one."""

    class Meta:
        model = Order

    client = factory.SubFactory("tests.factories.clients.ClientFactory")
    currency = "EUR"
    status = OrderStatus.DRAFT
    created_by = factory.LazyAttribute(lambda o: o.client.account_manager)

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        from django.db import transaction

        with transaction.atomic():
            kwargs.setdefault("number", allocate_order_number())
            return super()._create(model_class, *args, **kwargs)


class OrderLineFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OrderLine

    order = factory.SubFactory(OrderFactory)
    description = factory.Sequence(lambda n: f"Item {n}")
    quantity = Decimal("1")
    unit_price = Decimal("10.00")
    line_total = Decimal("10.00")


def line(description="Item", quantity="1", unit_price="10.00", discount="0", product=None, unit="") -> LineData:
    """A LineData from strings, for readable tests: line("Bolts", "3", "2.50", "10")."""
    return LineData(
        description=description,
        quantity=Decimal(quantity),
        unit_price=Decimal(unit_price),
        discount_percent=Decimal(discount),
        product=product,
        unit=unit,
    )


def make_order(*, actor, client, lines=None, status=OrderStatus.DRAFT, promised_on=None, **kwargs) -> Order:
    """An order created and moved through the workflow by the services, as a person would."""
    import datetime

    from django.utils import timezone

    from orders.models import TRANSITIONS
    from orders.services.orders import create_order
    from orders.services.workflow import transition_order

    order = create_order(
        actor=actor,
        client=client,
        lines=lines if lines is not None else [line()],
        promised_on=promised_on or timezone.localdate() + datetime.timedelta(days=7),
        **kwargs,
    )
    path = [OrderStatus.CONFIRMED, OrderStatus.IN_PROGRESS, OrderStatus.SHIPPED, OrderStatus.DELIVERED]
    if status == OrderStatus.CANCELLED:
        return transition_order(actor=actor, order=order, to_status=status, reason="Test cancellation")
    for step in path:
        if order.status == status:
            break
        assert step in TRANSITIONS[order.status]
        order = transition_order(actor=actor, order=order, to_status=step)
    return order
