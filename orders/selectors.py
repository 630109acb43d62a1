"""Reads of orders; visibility always follows the client's (DESIGN principle 3)."""

from django.db.models import BooleanField, Case, Prefetch, Q, QuerySet, Value, When
from django.http import Http404
from django.utils import timezone

from accounts.models import User
from clients.models import Client
from clients.selectors import diff_history_records, of_visible_clients

from .models import OPEN_STATUSES, Order, OrderLine, OrderTransition, Product, settings_zone


def orders_visible_to(user: User) -> QuerySet[Order]:
    """Orders of the clients the user may see."""
    return of_visible_clients(Order.objects.all(), user)


def overdue_q(prefix: str = "", *, today=None) -> Q:
    """Orders committed, not delivered, whose promised date has passed (company calendar)."""
    today = today or timezone.localdate(timezone=settings_zone())
    return Q(**{f"{prefix}status__in": OPEN_STATUSES, f"{prefix}promised_on__lt": today})


def with_overdue_flag(qs: QuerySet[Order]) -> QuerySet[Order]:
    """Annotate `overdue` (computed in the database, so lists can filter and sort by it)."""
    return qs.annotate(
        overdue=Case(When(overdue_q(), then=Value(True)), default=Value(False), output_field=BooleanField())
    )


def list_orders(user: User) -> QuerySet[Order]:
    """Visible orders with what a list row shows, in a constant number of queries."""
    return with_overdue_flag(orders_visible_to(user)).select_related("client__account_manager", "contact")


def get_order_for_user(user: User, pk) -> Order:
    """The order with its lines if its client is visible to the user, else 404."""
    try:
        return (
            orders_visible_to(user)
            .select_related("client__account_manager__team", "contact", "created_by")
            .prefetch_related(
                Prefetch("lines", queryset=OrderLine.objects.select_related("product")),
                "attachments__uploaded_by",
            )
            .get(pk=pk)
        )
    except (Order.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def list_client_orders(client: Client, *, limit: int = 5) -> list[Order]:
    """The client's latest orders for its page."""
    return list(Order.objects.filter(client=client).select_related("contact").order_by("-created_at", "-pk")[:limit])


def get_order_history(order: Order) -> list[dict]:
    """Status changes and field edits of the order, newest first: who, when, what."""
    entries = [
        {"kind": "transition", "at": t.at, "actor": t.actor, "transition": t}
        for t in OrderTransition.objects.filter(order=order).select_related("actor")
    ]
    records = list(order.history.select_related("history_user").order_by("-history_date", "-history_id")[:100])
    for change in diff_history_records(records, limit=100):
        if change["type"] == "~":
            record = change["record"]
            entries.append(
                {"kind": "change", "at": record.history_date, "actor": record.history_user, "fields": change["fields"]}
            )
    entries.sort(key=lambda entry: entry["at"], reverse=True)
    return entries


def list_active_products() -> QuerySet[Product]:
    return Product.objects.filter(is_active=True).order_by("name")


def search_orders(user: User, term: str, limit: int) -> list[Order]:
    """Orders whose number contains the term ("123", "ORD-2026-000123"), newest first."""
    term = term.strip()
    return list(
        orders_visible_to(user).filter(number__icontains=term).select_related("client").order_by("-created_at")[:limit]
    )
