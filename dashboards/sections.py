"""Blocks the dashboards app adds to other apps' pages (registered in apps.py)."""

from .metrics import client_order_figures
from .selectors.my_figures import DEFAULT_DAYS, PERIOD_DAYS, get_my_figures


def client_figures_context(request, client, can_edit):
    """The client page's key figures: revenue, orders, repeat orders, on-time delivery, last order."""
    return {"client": client, "figures": client_order_figures(client)}


def my_figures_context(request, now):
    """The "My figures" panel of "My day" for the period asked (`?figures=7|30|90`); None hides it."""
    try:
        days = int(request.GET.get("figures", DEFAULT_DAYS))
    except ValueError:
        days = DEFAULT_DAYS
    figures = get_my_figures(request.user, days=days, now=now)
    return None if figures is None else {"figures": figures, "choices": PERIOD_DAYS}
