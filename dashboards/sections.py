"""Blocks the dashboards app adds to other apps' pages (registered in apps.py)."""

from .metrics import client_order_figures


def client_figures_context(request, client, can_edit):
    """The client page's key figures: revenue, orders, repeat orders, on-time delivery, last order."""
    return {"client": client, "figures": client_order_figures(client)}
