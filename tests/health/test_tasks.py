"""The nightly run: hourly beat entry, once per company day after HEALTH_RECOMPUTE_HOUR, recorded in HealthRun."""

import datetime

import pytest
from django.conf import settings

from health.models import HealthRun, HealthScore, HealthTransition
from health.tasks import recompute_health_task
from tests.factories.feedback import frozen
from tests.factories.health import AS_OF, client_for_health, contact_at, days_before
from tests.live_worker import wait_until

EARLY = datetime.datetime(2026, 11, 19, 23, 30, tzinfo=datetime.UTC)  # 01:30 on the 20th in Vilnius
TASK = "health.tasks.recompute_health_task"


@pytest.fixture
def scored_client(db):
    client = client_for_health()
    contact_at(client, days_before(3))
    return client


def test_the_beat_asks_every_hour():
    assert settings.CELERY_BEAT_SCHEDULE["recompute-health"] == {"task": TASK, "schedule": 3600.0}
    assert recompute_health_task.name == TASK
    assert settings.HEALTH_RECOMPUTE_HOUR == 2


def test_before_the_hour_nothing_runs(scored_client):
    with frozen(EARLY):
        assert recompute_health_task() is None

    assert not HealthRun.objects.exists()
    assert not HealthScore.objects.exists()


def test_after_the_hour_the_day_is_computed_once_and_recorded(scored_client):
    with frozen(AS_OF):
        summary = recompute_health_task()
        again = recompute_health_task()

    assert summary == {
        "day": "2026-11-20",
        "clients": 1,
        "changed": 1,
        "transitions": 1,
        "follow_ups": 0,
        "cleared": 0,
    }
    assert again is None
    run = HealthRun.objects.get()
    assert (run.day, run.started_at, run.finished_at, run.clients, run.changed, run.transitions) == (
        datetime.date(2026, 11, 20),
        AS_OF,
        AS_OF,
        1,
        1,
        1,
    )
    scored_client.refresh_from_db()
    assert scored_client.health_score == 100


def test_the_next_day_runs_again(scored_client):
    with frozen(AS_OF):
        recompute_health_task()
    with frozen(AS_OF + datetime.timedelta(days=1)):
        assert recompute_health_task()["changed"] == 0

    assert list(HealthRun.objects.order_by("day").values_list("day", flat=True)) == [
        datetime.date(2026, 11, 20),
        datetime.date(2026, 11, 21),
    ]


def test_a_run_in_progress_is_not_started_twice_but_a_dead_one_is_taken_over(scored_client):
    HealthRun.objects.create(day=datetime.date(2026, 11, 20), started_at=AS_OF - datetime.timedelta(minutes=10))
    with frozen(AS_OF):
        assert recompute_health_task() is None

    HealthRun.objects.update(started_at=AS_OF - datetime.timedelta(minutes=45))
    with frozen(AS_OF):
        assert recompute_health_task()["clients"] == 1

    assert HealthRun.objects.get().finished_at == AS_OF


def test_force_runs_before_the_hour_and_again_the_same_day(scored_client):
    with frozen(EARLY):
        assert recompute_health_task(force=True)["clients"] == 1
        assert recompute_health_task(force=True)["changed"] == 0

    assert HealthRun.objects.count() == 1


@pytest.mark.integration
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_runs_the_nightly_recompute_once_per_day(finished, worker):
    client = client_for_health()
    contact_at(client, days_before(3))

    with frozen(AS_OF):
        recompute_health_task.delay()
        wait_until(lambda: [name for name, _args in finished].count(TASK) == 1)
        recompute_health_task.delay()
        wait_until(lambda: [name for name, _args in finished].count(TASK) == 2)

    run = HealthRun.objects.get()
    assert (run.day, run.clients, run.changed, run.transitions) == (datetime.date(2026, 11, 20), 1, 1, 1)
    assert run.finished_at is not None
    client.refresh_from_db()
    assert (client.health_score, client.health_band) == (100, "healthy")
    assert HealthScore.objects.filter(client=client).count() == 1
    assert HealthTransition.objects.filter(client=client).count() == 1
