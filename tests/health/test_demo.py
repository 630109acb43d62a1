"""The demo's churn patterns and its health history: what the backtest and the pages need right after `make run`."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.db.models import Count, Max, Min
from django.utils import timezone

from clients.models import Client, Status
from complaints.models import Complaint
from contacts.demo.decline import decline_of
from core.demo import DEMO_SEED
from health.models import HealthScore, HealthTransition
from interactions.models import Interaction, InteractionStatus

CLIENTS = 60


@pytest.fixture
def seeded(db):
    out = StringIO()
    call_command("seed_demo", clients=CLIENTS, stdout=out)
    return out.getvalue()


def warned(client) -> bool:
    """A complaint in the four months before the client left, or no contact in its last month."""
    since = client.churned_on - timedelta(days=120)
    complained = Complaint.objects.filter(
        client=client, received_at__date__gte=since, received_at__date__lt=client.churned_on
    ).exists()
    last = Interaction.objects.filter(client=client, status=InteractionStatus.COMPLETED).aggregate(
        last=Max("occurred_at")
    )["last"]
    silent = last is None or last.date() < client.churned_on - timedelta(days=30)
    return complained or silent


def test_most_churned_demo_clients_showed_warning_signs_and_some_active_ones_recovered(seeded):
    today = timezone.localdate()
    churned = list(Client.objects.filter(status=Status.CHURNED, churned_on__gt=today - timedelta(days=365)))

    assert len(churned) >= 5
    assert not [c for c in churned if not c.churn_reason]
    assert sum(warned(c) for c in churned) >= 0.7 * len(churned)
    declines = [decline_of(c, rng_seed=DEMO_SEED, today=today) for c in Client.objects.all()]
    assert any(d is not None and not d.churned and d.end <= today for d in declines)  # false alarms: recovered
    assert any(d is None for d, c in zip(declines, Client.objects.all(), strict=True) if c.status == Status.CHURNED)


def test_health_seeder_writes_90_days_of_history_and_todays_scores(seeded):
    today = timezone.localdate()

    days = HealthScore.objects.aggregate(first=Min("day"), last=Max("day"), n=Count("day", distinct=True))
    assert days["first"] == today - timedelta(days=90)
    assert days["last"] <= today
    assert days["n"] > 30
    scored = Client.objects.filter(status__in=(Status.ACTIVE, Status.PROSPECT))
    assert not scored.filter(health_score__isnull=True).exists()
    assert {c.health_scored_at.date() for c in scored} <= {today, today - timedelta(days=1)}
    assert not Client.objects.exclude(status__in=(Status.ACTIVE, Status.PROSPECT)).exclude(health_band="").exists()
    # Churned clients keep the history of their last months.
    assert HealthScore.objects.filter(client__status=Status.CHURNED).exists()
    # The history's band changes opened no follow-ups in the past.
    past = HealthTransition.objects.filter(day__lt=today)
    assert past.exists()
    assert not past.filter(follow_up__isnull=False).exists()
    assert "health scores" in seeded


def test_a_second_seed_adds_no_health_history(seeded):
    scores, transitions = HealthScore.objects.count(), HealthTransition.objects.count()

    out = StringIO()
    call_command("seed_demo", clients=CLIENTS, stdout=out)

    assert (HealthScore.objects.count(), HealthTransition.objects.count()) == (scores, transitions)
    assert f"{scores} health scores (0 new)" in out.getvalue()
