"""Account-health metrics: the revenue of the clients now at risk (health app's bands on the client row)."""

from datetime import datetime, timedelta

from django.db.models import Q, QuerySet

from clients.models import HealthBand
from orders.models import Order, OrderStatus

from .orders import Revenue, revenue_by_currency

AT_RISK_REVENUE_DAYS = 365  # "the last 12 months", as on the client page


def at_risk_window(now: datetime) -> tuple[datetime, datetime]:
    """The instants [start, end) of the at-risk revenue: the 365 days up to now, whatever period a page shows."""
    return now - timedelta(days=AT_RISK_REVENUE_DAYS), now


def at_risk() -> Q:
    """Clients whose current health band is "at risk" (never scored clients have band "" and are not)."""
    return Q(health_band=HealthBand.AT_RISK)


def delivered_in_window(now: datetime) -> Q:
    """Orders delivered in the at-risk revenue's window."""
    start, end = at_risk_window(now)
    return Q(status=OrderStatus.DELIVERED, delivered_at__gte=start, delivered_at__lt=end)


def at_risk_revenue(orders: QuerySet[Order], now: datetime) -> list[Revenue]:
    """At-risk revenue = totals of the orders delivered in the 365 days up to now of the clients whose current
    band is at risk, per currency, largest first ([]: no value, shown as "—")."""
    start, end = at_risk_window(now)
    # Narrowed to the window and the band first, so the database reads the delivery index, not every order.
    window = orders.filter(delivered_in_window(now), client__health_band=HealthBand.AT_RISK)
    return revenue_by_currency(window, start, end)
