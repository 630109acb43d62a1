"""Client-base metrics: active clients, churn rate and clients going cold.

The client's status history is not replayed (it lives in simple-history rows, far too many to scan
per request): "active at an instant" reads the current status and the churn date, which is exact
for the path active → churned that churn is about. A client now inactive or a prospect counts as not
active throughout; a churned client counts as active until its churn date.
"""

from datetime import date, datetime, timedelta

from django.db.models import Count, Q, QuerySet

from clients.models import Client, Status
from interactions.selectors import going_cold_at

from .common import percent as _percent


def active_at(moment: datetime, day: date) -> Q:
    """Clients active at `moment`, the start of calendar day `day`: added before it and either active
    now or churned on or after that day."""
    return Q(created_at__lt=moment) & (Q(status=Status.ACTIVE) | Q(status=Status.CHURNED, churned_on__gte=day))


def churned_in(first_day: date, last_day: date) -> Q:
    """Clients whose status became churned on a day of the period (churned_on, set when it changed)."""
    return Q(status=Status.CHURNED, churned_on__gte=first_day, churned_on__lte=last_day)


def client_base_terms(
    start: datetime, end: datetime, first_day: date, last_day: date, *, prefix: str = ""
) -> dict[str, Count]:
    """Counts behind active_clients and churn_rate for the period of days first_day..last_day = [start, end)."""
    return {
        f"{prefix}active_start": Count("pk", filter=active_at(start, first_day)),
        f"{prefix}active_end": Count("pk", filter=active_at(end, last_day + timedelta(days=1))),
        f"{prefix}churned": Count("pk", filter=churned_in(first_day, last_day)),
    }


def active_clients(clients: QuerySet[Client], end: datetime, last_day: date) -> int:
    """Active clients at the end of the period (a count: 0 is a value)."""
    return clients.aggregate(n=Count("pk", filter=active_at(end, last_day + timedelta(days=1))))["n"]


def churn_rate(clients: QuerySet[Client], start: datetime, first_day: date, last_day: date):
    """Churn rate % = clients that became churned in the period / clients active at its start."""
    figures = clients.aggregate(
        active=Count("pk", filter=active_at(start, first_day)),
        churned=Count("pk", filter=churned_in(first_day, last_day)),
    )
    return _percent(figures["churned"], figures["active"])


def going_cold_counts(clients: QuerySet[Client], moments: dict[str, datetime]) -> dict[str, int]:
    """Clients going cold at each instant, in one query: active or prospect (now) whose last completed
    contact before the instant is older than their tier's cadence (as on "My day")."""
    return clients.aggregate(**{name: Count("pk", filter=going_cold_at(moment)) for name, moment in moments.items()})
