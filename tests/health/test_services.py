"""Storing scores: client rows, history rows only on change, band changes once, at-risk follow-ups, clearing."""

import datetime

import pytest

from clients.models import Status, Tier
from clients.services import update_client
from core.exceptions import ApplicationError
from feedback.models import SurveyKind
from health.models import HealthConfig, HealthScore, HealthTransition
from health.scoring import compute_health
from health.services import _write_chunk, recompute_client_health, recompute_health
from interactions.models import FollowUp, Reminder, ReminderStatus
from tests.factories.accounts import ManagerFactory
from tests.factories.health import (
    AS_OF,
    HealthScoreFactory,
    answer,
    client_for_health,
    complaint_received,
    contact_at,
    days_before,
)

pytestmark = pytest.mark.django_db
DAY = datetime.timedelta(days=1)


def make_at_risk(client, *, at=AS_OF):
    """Three open complaints (18 points), a detractor (15) and a CSAT of 1 (10): 57, at risk below 60 (and 32 for a
    VIP never contacted). Returns the oldest complaint."""
    HealthConfig.objects.update_or_create(pk=1, defaults={"at_risk_below": 60})
    complaints = [complaint_received(client, at - datetime.timedelta(days=days, hours=1)) for days in (3, 2, 1)]
    answer(client, SurveyKind.NPS, 2, at - datetime.timedelta(hours=5))
    answer(client, SurveyKind.CSAT, 1, at - datetime.timedelta(hours=4))
    return complaints[0]


def test_recompute_stores_the_score_on_the_client_and_a_history_row_with_its_parts():
    client = client_for_health()
    contact_at(client, days_before(180))

    stats = recompute_health(now=AS_OF)

    client.refresh_from_db()
    assert (client.health_score, client.health_band, client.health_scored_at) == (88, "healthy", AS_OF)
    row = HealthScore.objects.get(client=client)
    assert (row.day, row.score, row.band, row.computed_at) == (datetime.date(2026, 11, 20), 88, "healthy", AS_OF)
    assert row.parts == compute_health(as_of=AS_OF, client_ids=[client.pk])[client.pk].parts
    assert row.parts[0]["facts"] == {"days": 180, "cadence": 90, "tier": "standard", "last": "2026-05-24"}
    assert (stats.clients, stats.changed, stats.transitions, stats.follow_ups) == (1, 1, 1, 0)


def test_history_row_is_written_only_when_the_score_changed():
    client = client_for_health()
    contact_at(client, days_before(10))  # within the cadence: only its (neutral) day count moves
    recompute_health(now=AS_OF)

    second = recompute_health(now=AS_OF + DAY)
    assert second.changed == 0
    assert HealthScore.objects.filter(client=client).count() == 1

    complaint_received(client, AS_OF + DAY + datetime.timedelta(hours=1))
    third = recompute_health(now=AS_OF + 2 * DAY)

    assert third.changed == 1
    assert list(HealthScore.objects.filter(client=client).order_by("day").values_list("day", "score")) == [
        (datetime.date(2026, 11, 20), 100),
        (datetime.date(2026, 11, 22), 94),
    ]
    client.refresh_from_db()
    assert (client.health_score, client.health_scored_at) == (94, AS_OF + 2 * DAY)


def test_a_second_change_the_same_day_updates_the_days_row():
    client = client_for_health()
    contact_at(client, days_before(10))
    recompute_health(now=AS_OF)
    complaint_received(client, AS_OF + datetime.timedelta(minutes=5))

    recompute_health(now=AS_OF + datetime.timedelta(hours=1))

    assert list(HealthScore.objects.filter(client=client).values_list("day", "score")) == [
        (datetime.date(2026, 11, 20), 94)
    ]


def test_entering_at_risk_records_one_transition_and_one_follow_up_however_often_it_runs():
    manager = ManagerFactory(language="ru", time_zone="Europe/Vilnius")
    client = client_for_health(tier=Tier.VIP, created_days_ago=400, manager=manager)
    contact_at(client, days_before(1))
    recompute_health(now=AS_OF)  # healthy: the first score, from ""
    oldest = make_at_risk(client, at=AS_OF + DAY)

    first = recompute_health(now=AS_OF + DAY)
    again = recompute_health(now=AS_OF + DAY + datetime.timedelta(hours=2))
    next_day = recompute_health(now=AS_OF + 2 * DAY)

    assert (first.transitions, first.follow_ups) == (1, 1)
    assert (again.transitions, again.follow_ups, next_day.transitions, next_day.follow_ups) == (0, 0, 0, 0)
    transitions = list(HealthTransition.objects.filter(client=client).order_by("at"))
    assert [(t.from_band, t.to_band) for t in transitions] == [("", "healthy"), ("healthy", "at_risk")]
    follow_up = FollowUp.objects.get(client=client)
    assert transitions[1].follow_up == follow_up
    assert follow_up.assignee == manager
    assert follow_up.title == f"Клиент под угрозой: 3 открытые жалобы ({oldest.number})"
    # the next day, 09:00 in Vilnius
    assert follow_up.due_at == datetime.datetime(2026, 11, 22, 7, 0, tzinfo=datetime.UTC)
    reminder = Reminder.objects.get(follow_up=follow_up)
    assert (reminder.status, reminder.recipient) == (ReminderStatus.PENDING, manager)


def test_first_score_at_risk_makes_no_follow_up():
    client = client_for_health(tier=Tier.VIP)
    make_at_risk(client)

    stats = recompute_health(now=AS_OF)

    client.refresh_from_db()
    assert client.health_band == "at_risk"
    assert (stats.transitions, stats.follow_ups) == (1, 0)
    assert HealthTransition.objects.get(client=client).from_band == ""
    assert not FollowUp.objects.filter(client=client).exists()


def test_a_concurrent_run_that_stored_the_change_first_leaves_no_band_change_to_record():
    client = client_for_health(tier=Tier.VIP)
    contact_at(client, days_before(1))
    recompute_health(now=AS_OF)
    make_at_risk(client, at=AS_OF + DAY)
    results = compute_health(as_of=AS_OF + DAY, client_ids=[client.pk])
    previous = {}  # both runs read the same, stale state before either wrote

    from health.services import RecomputeStats

    one, two = RecomputeStats(), RecomputeStats()
    _write_chunk(results, previous, now=AS_OF + DAY, actor=None, stats=one)
    _write_chunk(results, previous, now=AS_OF + DAY, actor=None, stats=two)

    assert (one.transitions, two.transitions) == (1, 0)
    assert HealthTransition.objects.filter(client=client, to_band="at_risk").count() == 1
    assert FollowUp.objects.filter(client=client).count() == 1


def test_a_client_no_longer_active_has_its_score_cleared_and_keeps_its_history():
    client = client_for_health()
    contact_at(client, days_before(3))
    recompute_health(now=AS_OF)
    client.refresh_from_db()
    client.status, client.churned_on = Status.CHURNED, datetime.date(2026, 11, 20)
    client.save()

    stats = recompute_health(now=AS_OF + DAY)

    client.refresh_from_db()
    assert (client.health_score, client.health_band, client.health_scored_at) == (None, "", None)
    assert stats.cleared == 1
    assert HealthScore.objects.filter(client=client).count() == 1


def test_recompute_of_given_clients_leaves_the_others_alone():
    one, other = client_for_health(), client_for_health()

    recompute_health(now=AS_OF, client_ids=[one.pk])

    one.refresh_from_db()
    other.refresh_from_db()
    assert (one.health_band, other.health_band) == ("healthy", "")


def test_previous_row_written_by_someone_else_counts_as_the_previous_score():
    client = client_for_health()
    contact_at(client, days_before(3))
    parts = compute_health(as_of=AS_OF, client_ids=[client.pk])[client.pk].parts
    HealthScoreFactory(client=client, day=datetime.date(2026, 11, 19), score=100, band="healthy", parts=parts)

    assert recompute_health(now=AS_OF).changed == 0


def test_recompute_client_health_on_request_of_its_manager(org):
    contact_at(org.client, days_before(3))

    result = recompute_client_health(client=org.client, actor=org.manager)

    assert (result.score, result.band) == (100, "healthy")
    assert (org.client.health_score, org.client.health_band) == (100, "healthy")
    transition = HealthTransition.objects.get(client=org.client)
    assert transition.actor == org.manager


def test_recompute_client_health_is_refused_to_a_teammate_and_changes_nothing(org):
    with pytest.raises(ApplicationError):
        recompute_client_health(client=org.team_client, actor=org.manager)

    org.team_client.refresh_from_db()
    assert org.team_client.health_score is None
    assert not HealthScore.objects.exists()


def test_recompute_client_health_of_a_churned_client_clears_it(org):
    org.client.health_score, org.client.health_band = 50, "watch"
    org.client.status = Status.CHURNED
    org.client.save()

    assert recompute_client_health(client=org.client, actor=org.manager) is None
    org.client.refresh_from_db()
    assert (org.client.health_score, org.client.health_band) == (None, "")


def test_editing_a_client_read_before_a_recompute_keeps_the_new_score(org):
    # The edit form reads the client, the nightly run scores it meanwhile, then the form saves: the client's
    # own fields are written, the score is not put back to what the form had read.
    client = client_for_health(manager=org.manager)
    contact_at(client, days_before(180))
    stale = type(client).objects.get(pk=client.pk)
    recompute_health(now=AS_OF)

    update_client(actor=org.manager, client=stale, notes="Called about the renewal")

    client.refresh_from_db()
    assert (client.notes, client.health_score, client.health_band) == ("Called about the renewal", 88, "healthy")
