"""Reads of the health app. Callers fetch the client through clients.selectors.get_client_for_user, so visibility
follows the client's."""

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.utils import timezone

from clients.models import Client

from . import explain
from .models import HealthScore
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


@dataclass
class ExplainedHealth:
    """A client's health as the client page and the API show it: the score rows of the window (oldest first), the
    latest row's parts, the reasons in words (strongest first) and the next best action."""

    rows: list[HealthScore] = field(default_factory=list)
    parts: list[dict] = field(default_factory=list)
    reasons: list[explain.Reason] = field(default_factory=list)
    next_action: explain.NextAction | None = None


def get_explained_health(client: Client, *, days: int = 90, today: date | None = None) -> ExplainedHealth:
    """The client's explained health (one query, two when no row falls in the window); empty when never scored."""
    if client.health_score is None:
        return ExplainedHealth()
    rows = get_health_history(client, days=days)
    latest = rows[-1] if rows else get_latest_health(client)
    parts = latest.parts if latest else []
    return ExplainedHealth(
        rows=rows,
        parts=parts,
        reasons=explain.describe(parts, today=today),
        next_action=explain.next_best_action(client, parts),
    )
