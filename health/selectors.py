"""Reads of the health app; visibility always follows the client's (clients_visible_to)."""

from datetime import date, timedelta

from django.db.models import QuerySet
from django.utils import timezone

from accounts.models import User
from clients.models import Client, HealthBand
from clients.selectors import clients_visible_to, of_visible_clients

from .models import HealthRun, HealthScore, HealthTransition
from .scoring import company_day


def get_health_history(client: Client, days: int = 90) -> list[HealthScore]:
    """The client's score rows of the last `days` company days, oldest first (one query). A row exists only for
    the days the score changed: the score of a day without a row is the one of the row before it."""
    since = company_day(timezone.now()) - timedelta(days=days)
    return list(HealthScore.objects.filter(client=client, day__gte=since).order_by("day"))


def get_latest_health(client: Client) -> HealthScore | None:
    """The client's latest score row (its parts explain Client.health_score), or None when never scored."""
    return HealthScore.objects.filter(client=client).order_by("-day").first()


def get_health_on(client: Client, day: date) -> HealthScore | None:
    """The client's score as it stood on a day: its latest row up to that day."""
    return HealthScore.objects.filter(client=client, day__lte=day).order_by("-day").first()


def list_client_transitions(client: Client, limit: int = 20) -> list[HealthTransition]:
    """The client's band changes, newest first, with who asked and the follow-up they made."""
    return list(
        HealthTransition.objects.filter(client=client)
        .select_related("actor", "follow_up")
        .order_by("-at", "-pk")[:limit]
    )


def list_transitions(user: User) -> QuerySet[HealthTransition]:
    """Band changes of the clients the user may see, newest first, with the client and its manager."""
    return (
        of_visible_clients(HealthTransition.objects.all(), user)
        .select_related("client__account_manager", "follow_up")
        .order_by("-at", "-pk")
    )


def list_at_risk_clients(user_or_qs: User | QuerySet[Client]) -> QuerySet[Client]:
    """At-risk clients (of a user's visible ones, or of a client queryset), worst score first."""
    clients = user_or_qs if isinstance(user_or_qs, QuerySet) else clients_visible_to(user_or_qs)
    return clients.filter(health_band=HealthBand.AT_RISK).order_by("health_score", "pk")


def get_latest_run() -> HealthRun | None:
    """The latest nightly run (finished or not)."""
    return HealthRun.objects.order_by("-day").first()
