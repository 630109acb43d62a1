"""Reads behind the team dashboard's account-health parts: the "At-risk revenue" tile's figures and the
"Clients at risk" panel, for the dashboard's scope (its sources, already narrowed to what the viewer may see)."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from django.conf import settings
from django.db.models import Count, F, OuterRef, QuerySet, Subquery, Sum, Window

from clients.models import Client, HealthBand
from core.money import format_money
from health.models import HealthTransition
from orders.models import Order

from .. import metrics

PANEL_SIZE = 10


@dataclass(frozen=True)
class AtRiskClient:
    """One row of the panel: plain values, so that a cached dashboard holds no model instances of clients."""

    pk: int
    name: str
    url: str
    manager: str  # "" when the client has no account manager
    score: int | None
    entered_at: datetime | None  # when it last entered "at risk" (None: no transition recorded)
    amount: Decimal | None  # delivered in the last 12 months, in the default currency (None: none)
    revenue: str  # the amount as the page shows it ("—": none)
    revenue_note: str = ""  # amounts in other currencies


@dataclass
class AtRiskPanel:
    """The scope's clients now at risk: how many, the newest entries (at most PANEL_SIZE) and the full list's URL."""

    total: int = 0
    clients: list[AtRiskClient] = field(default_factory=list)
    url: str = ""


def _entered_at_risk() -> Subquery:
    # The latest move into "at risk": the start of the spell the client is in now.
    return Subquery(
        HealthTransition.objects.filter(client_id=OuterRef("pk"), to_band=HealthBand.AT_RISK)
        .order_by("-at", "-pk")
        .values("at")[:1]
    )


def get_at_risk_panel(clients: QuerySet[Client], orders: QuerySet[Order], *, now: datetime, url: str) -> AtRiskPanel:
    """The scope's at-risk clients, newest entries first (clients without a recorded entry last, by name), with
    their manager, score and 12-month delivered revenue: two queries whatever the number of clients (one when none
    is at risk)."""
    # The count of all of them rides on the first rows as a window over the whole result (before LIMIT).
    rows = list(
        clients.filter(metrics.at_risk())
        .annotate(entered_at=_entered_at_risk(), total=Window(Count("pk")))
        .select_related("account_manager")
        .order_by(F("entered_at").desc(nulls_last=True), "name", "pk")[:PANEL_SIZE]
    )
    if not rows:
        return AtRiskPanel(url=url)
    revenue: dict[int, list[metrics.Revenue]] = defaultdict(list)
    for row in (
        orders.filter(metrics.delivered_in_window(now), client_id__in=[client.pk for client in rows])
        .values("client_id", "currency")
        .annotate(amount=Sum("total"))
        .order_by("-amount", "currency")
    ):
        revenue[row["client_id"]].append(metrics.Revenue(row["currency"], row["amount"], 1))
    currency = settings.DEFAULT_CURRENCY
    return AtRiskPanel(
        total=rows[0].total,
        clients=[
            AtRiskClient(
                pk=client.pk,
                name=client.name,
                url=client.get_absolute_url(),
                manager=client.account_manager.full_name if client.account_manager else "",
                score=client.health_score,
                entered_at=client.entered_at,
                amount=_amount(revenue[client.pk], currency),
                revenue=format_money(_amount(revenue[client.pk], currency), currency),
                revenue_note=", ".join(
                    format_money(item.amount, item.currency) for item in revenue[client.pk] if item.currency != currency
                ),
            )
            for client in rows
        ],
        url=url,
    )


def _amount(revenues: list[metrics.Revenue], currency: str) -> Decimal | None:
    return next((item.amount for item in revenues if item.currency == currency), None)
