"""Order metrics: delivered revenue, on-time delivery, repeat orders, the client page's figures."""

from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

from django.db.models import Count, Exists, Max, OuterRef, Q, QuerySet, Sum
from django.db.models.functions import TruncDate
from django.utils import timezone

from clients.models import Client
from orders.models import Order, OrderLine, OrderStatus, settings_zone

from .common import percent as _percent

# Orders that count as business: taken and not cancelled (drafts are not orders yet).
NOT_PLACED = (OrderStatus.DRAFT, OrderStatus.CANCELLED)
PLACED = ~Q(status__in=NOT_PLACED)


def delivered_revenue(orders: QuerySet[Order], start: datetime, end: datetime) -> dict[str, Decimal]:
    """Revenue = totals of orders delivered in the period, per currency ({} when none)."""
    rows = (
        orders.filter(status=OrderStatus.DELIVERED, delivered_at__gte=start, delivered_at__lt=end)
        .values("currency")
        .annotate(amount=Sum("total"))
        .order_by("-amount", "currency")
    )
    return {row["currency"]: row["amount"] for row in rows}


# Each ratio is defined once as a pair of counting terms, so one page can compute several
# metrics in a single aggregate query and each metric function stays the definition.


def on_time_delivery_terms(start: datetime, end: datetime) -> dict:
    """Counts behind on_time_delivery: delivered in the period, and of those on or before the promised date."""
    delivered = Q(status=OrderStatus.DELIVERED, delivered_at__gte=start, delivered_at__lt=end)
    # The delivery day is the company's calendar day (settings.TIME_ZONE), like the promised date.
    on_time = delivered & Q(promised_on__gte=TruncDate("delivered_at", tzinfo=settings_zone()))
    return {"delivered": Count("pk", filter=delivered), "on_time": Count("pk", filter=on_time)}


def on_time_delivery(orders: QuerySet[Order], start: datetime, end: datetime) -> Decimal | None:
    """On-time delivery % = orders delivered in the period on or before their promised date / orders delivered."""
    figures = orders.aggregate(**on_time_delivery_terms(start, end))
    return _percent(figures["on_time"], figures["delivered"])


def repeat_order_terms(start: datetime, end: datetime) -> dict:
    """Counts behind repeat_order_rate: placed orders of the period, and of those the reorders."""
    earlier = OrderLine.objects.filter(
        ~Q(order__status__in=NOT_PLACED),
        order__client_id=OuterRef(OuterRef("client_id")),
        order__created_at__lt=OuterRef(OuterRef("created_at")),
        product_id=OuterRef("product_id"),
    )
    reorders = OrderLine.objects.filter(order_id=OuterRef("pk"), product__isnull=False).filter(Exists(earlier))
    placed = PLACED & Q(created_at__gte=start, created_at__lt=end)
    return {"placed": Count("pk", filter=placed), "repeat": Count("pk", filter=placed & Q(Exists(reorders)))}


def repeat_order_rate(orders: QuerySet[Order], start: datetime, end: datetime) -> Decimal | None:
    """Repeat-order rate % = placed orders of the period that reorder a catalogue product the same
    client had in an earlier placed order / placed orders of the period."""
    figures = orders.aggregate(**repeat_order_terms(start, end))
    return _percent(figures["repeat"], figures["placed"])


@dataclass
class ClientOrderFigures:
    revenue: dict[str, Decimal]  # per currency, delivered in the last 12 months
    orders: int  # placed in the last 12 months
    repeat_rate: Decimal | None
    on_time: Decimal | None
    last_order_at: datetime | None


def client_order_figures(client: Client, *, now: datetime | None = None) -> ClientOrderFigures:
    """The client page's key figures over the last 12 months (365 days up to now)."""
    end = now or timezone.now()
    start = end - timedelta(days=365)
    orders = Order.objects.filter(client=client)
    # One aggregate for every count, one grouped query for revenue per currency.
    figures = orders.aggregate(
        **on_time_delivery_terms(start, end),
        **repeat_order_terms(start, end),
        last=Max("created_at", filter=PLACED),
    )
    return ClientOrderFigures(
        revenue=delivered_revenue(orders, start, end),
        orders=figures["placed"],
        repeat_rate=_percent(figures["repeat"], figures["placed"]),
        on_time=_percent(figures["on_time"], figures["delivered"]),
        last_order_at=figures["last"],
    )
