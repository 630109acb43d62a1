"""Order metrics: delivered revenue, on-time delivery, repeat orders, the client page's figures."""

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Exists, Max, OuterRef, Q, QuerySet, Sum
from django.db.models.functions import TruncDate, TruncMonth
from django.utils import timezone

from clients.models import Client
from orders.models import NOT_PLACED, Order, OrderLine, OrderStatus, settings_zone

from .common import percent as _percent

# Orders that count as business: taken and not cancelled (drafts are not orders yet).
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


def placed_in(start: datetime, end: datetime) -> Q:
    """Orders taken in the period that count as placed (confirmed or later, not cancelled)."""
    return PLACED & Q(created_at__gte=start, created_at__lt=end)


def orders_placed(orders: QuerySet[Order], start: datetime, end: datetime) -> int:
    """Placed orders taken in the period (a count: 0 is a value)."""
    return orders.filter(placed_in(start, end)).count()


@dataclass(frozen=True)
class Revenue:
    """Delivered revenue of one currency: the amount, the clients it came from, and their ratio."""

    currency: str
    amount: Decimal
    clients: int

    @property
    def per_client(self) -> Decimal:
        """Revenue per client, rounded half up to the cent."""
        return (self.amount / self.clients).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def revenue_terms(start: datetime, end: datetime, *, prefix: str = "") -> dict:
    """Sums behind delivered_revenue and revenue_per_client, to be grouped by currency."""
    delivered = Q(status=OrderStatus.DELIVERED, delivered_at__gte=start, delivered_at__lt=end)
    return {
        f"{prefix}amount": Sum("total", filter=delivered),
        f"{prefix}clients": Count("client_id", filter=delivered, distinct=True),
    }


def revenue_by_currency(orders: QuerySet[Order], start: datetime, end: datetime) -> list[Revenue]:
    """Delivered revenue of the period per currency, largest first ([] when nothing was delivered)."""
    rows = orders.values("currency").annotate(**revenue_terms(start, end)).filter(amount__isnull=False).order_by()
    revenues = [Revenue(row["currency"], row["amount"], row["clients"]) for row in rows]
    return sorted(revenues, key=lambda revenue: (-revenue.amount, revenue.currency))


def revenue_per_client(orders: QuerySet[Order], start: datetime, end: datetime) -> dict[str, Decimal]:
    """Revenue per client = delivered revenue of the period / clients with delivered revenue, per currency."""
    return {revenue.currency: revenue.per_client for revenue in revenue_by_currency(orders, start, end)}


@dataclass(frozen=True)
class MonthRevenue:
    month: date  # the first day of the month, in the company's time zone
    currency: str
    amount: Decimal


def revenue_by_month(orders: QuerySet[Order], start: datetime, end: datetime) -> list[MonthRevenue]:
    """Delivered revenue per calendar month of the company's time zone and per currency; months with
    deliveries only, in order (the caller lays out the empty months)."""
    rows = (
        orders.filter(status=OrderStatus.DELIVERED, delivered_at__gte=start, delivered_at__lt=end)
        .values("currency", month=TruncMonth("delivered_at", tzinfo=settings_zone()))
        .annotate(amount=Sum("total"))
        .order_by("month", "currency")
    )
    return [MonthRevenue(row["month"].date(), row["currency"], row["amount"]) for row in rows]
