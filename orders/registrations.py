"""What orders adds to lower apps' pages: the client page section, the timeline, the header search."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from clients.sections import ClientSection, register_section
from contacts.personal_data import record, register_personal_data_source
from core.demo import register_seeder
from core.search import SearchResult, register_search_provider
from interactions.timeline import TimelineSource, register_timeline_source

from . import selectors
from .demo import seed as seed_demo_data
from .models import Order


def search_order_results(user, term: str, limit: int) -> list[SearchResult]:
    """Header search: orders by number, within what the user may see."""
    return [
        SearchResult(
            kind=_("Order"),
            title=order.number,
            subtitle=f"{order.client.name} · {order.get_status_display()}",
            url=order.get_absolute_url(),
        )
        for order in selectors.search_orders(user, term, limit)
    ]


def client_orders_context(request, client, can_edit):
    """The client page's orders section: the latest orders and the way to take a new one."""
    return {"client": client, "can_edit": can_edit, "orders": selectors.list_client_orders(client)}


def _client_orders(client):
    return Order.objects.filter(client=client)


def _load_orders(ids):
    return Order.objects.select_related("created_by").in_bulk(ids)


def export_contact_orders(contact) -> list[dict]:
    """A contact's data export: the orders placed through them (the order, not its lines)."""
    fields = ("id", "number", "client", "status", "currency", "total", "promised_on", "delivered_at", "notes")
    return [record(order, *fields, "created_at") for order in Order.objects.filter(contact=contact).order_by("pk")]


def register_all() -> None:
    register_search_provider("orders", search_order_results, order=30)
    register_section(
        ClientSection(
            key="client-orders",
            template="orders/client_orders_section.html",
            get_context=client_orders_context,
            slot="side",
            order=10,
        )
    )
    # One entry per order, at the time it was taken, showing its current status.
    register_timeline_source(
        TimelineSource(
            key="orders",
            label=gettext_lazy("Orders"),
            rows=_client_orders,
            at_field="created_at",
            load=_load_orders,
            template="orders/order_timeline_entry.html",
            order=10,
        )
    )
    register_seeder("orders", seed_demo_data, order=30)
    register_personal_data_source(
        "orders", export_contact_orders, label=gettext_lazy("Orders placed through them"), order=20
    )
