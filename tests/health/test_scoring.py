"""The score's signals, weights and bands, each against a small hand-computed fixture at AS_OF."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from clients.models import Status, Tier
from complaints.models import ComplaintStatus
from feedback.models import SurveyKind
from health.models import HealthConfig, Signal
from health.scoring import compute_health
from interactions.models import FollowUpStatus, InteractionStatus
from orders.models import OrderStatus
from tests.factories.health import (
    AS_OF,
    answer,
    client_for_health,
    complaint_received,
    contact_at,
    days_before,
    follow_up_due,
    order_delivered,
    order_placed,
    survey_sent,
)

pytestmark = pytest.mark.django_db
AFTER = AS_OF + datetime.timedelta(hours=1)


def part(client, signal, *, as_of=AS_OF, config=None):
    parts = compute_health(as_of=as_of, client_ids=[client.pk], config=config)[client.pk].parts
    return next(p for p in parts if p["signal"] == signal)


def contacted_client(**kwargs):
    """A client with a contact yesterday: every signal neutral unless a test adds data."""
    client = client_for_health(**kwargs)
    contact_at(client, days_before(1))
    return client


def test_contact_gap_is_half_severe_at_twice_the_cadence():
    client = client_for_health(tier=Tier.STANDARD)
    contact_at(client, days_before(180))
    contact_at(client, AFTER)  # after as_of: not yet
    contact_at(client, days_before(2), status=InteractionStatus.SCHEDULED)  # planned, not done

    assert part(client, Signal.CONTACT_GAP) == {
        "signal": "contact_gap",
        "weight": 25,
        "severity": 0.5,
        "points": 12.5,
        "facts": {"days": 180, "cadence": 90, "tier": "standard", "last": "2026-05-24"},
    }


def test_contact_gap_within_the_cadence_is_neutral():
    client = client_for_health(tier=Tier.KEY)
    contact_at(client, days_before(30))

    found = part(client, Signal.CONTACT_GAP)

    assert (found["severity"], found["points"]) == (0.0, 0.0)
    assert found["facts"] == {"days": 30, "cadence": 30, "tier": "key", "last": "2026-10-21"}


def test_contact_gap_of_a_client_never_contacted_counts_from_its_creation():
    client = client_for_health(tier=Tier.VIP, created_days_ago=35)

    found = part(client, Signal.CONTACT_GAP)

    assert found["severity"] == 0.75  # 35 / 14 = 2.5 times the cadence
    assert found["facts"] == {"days": 35, "cadence": 14, "tier": "vip", "last": None}


def test_overdue_follow_ups_count_those_open_and_past_due_at_as_of():
    client = contacted_client()
    oldest = follow_up_due(client, days_before(10))
    follow_up_due(client, days_before(3), status=FollowUpStatus.DONE, completed_at=AFTER)  # still open then
    follow_up_due(client, days_before(5), status=FollowUpStatus.DONE, completed_at=days_before(1))
    follow_up_due(client, AS_OF + datetime.timedelta(days=1))  # not due yet
    follow_up_due(client, days_before(2), created_at=AFTER)  # created after as_of

    assert part(client, Signal.OVERDUE_FOLLOW_UPS) == {
        "signal": "overdue_follow_ups",
        "weight": 10,
        "severity": 0.667,
        "points": 6.7,
        "facts": {"count": 2, "oldest_due": "2026-11-10", "follow_up_id": oldest.pk},
    }


def test_overdue_follow_ups_are_fully_severe_from_three():
    client = contacted_client()
    for days in (3, 4, 5, 6):
        follow_up_due(client, days_before(days))

    assert part(client, Signal.OVERDUE_FOLLOW_UPS)["severity"] == 1.0


def test_complaints_count_open_and_recently_breached_ones_and_point_at_the_breached():
    client = contacted_client()
    complaint_received(client, days_before(10))  # open
    breached = complaint_received(
        client,
        days_before(20),
        status=ComplaintStatus.RESOLVED,
        resolution_breached_at=days_before(5),
        resolved_at=days_before(2),
    )
    complaint_received(client, AFTER)  # received after as_of
    complaint_received(
        client,
        days_before(120),
        status=ComplaintStatus.CLOSED,
        first_response_breached_at=days_before(119),
        resolved_at=days_before(100),
        closed_at=days_before(90),
    )  # breached, but received more than 90 days ago

    assert part(client, Signal.COMPLAINTS) == {
        "signal": "complaints",
        "weight": 20,
        "severity": 0.7,
        "points": 14.0,
        "facts": {"open": 1, "breached": 1, "complaint_id": breached.pk, "number": breached.number},
    }


def test_complaint_resolved_after_as_of_was_open_at_as_of():
    client = contacted_client()
    first = complaint_received(client, days_before(30), status=ComplaintStatus.RESOLVED, resolved_at=AFTER)
    complaint_received(client, days_before(8))

    found = part(client, Signal.COMPLAINTS)

    assert found["severity"] == 0.6
    assert found["facts"] == {"open": 2, "breached": 0, "complaint_id": first.pk, "number": first.number}


def test_nps_passive_that_fell_three_points_adds_to_the_severity():
    client = contacted_client()
    answer(client, SurveyKind.NPS, 10, days_before(100))
    answer(client, SurveyKind.NPS, 7, days_before(10))
    answer(client, SurveyKind.NPS, 0, AFTER)

    assert part(client, Signal.NPS) == {
        "signal": "nps",
        "weight": 15,
        "severity": 0.6,
        "points": 9.0,
        "facts": {"score": 7, "on": "2026-11-10", "previous": 10},
    }


def test_nps_detractor_is_fully_severe_and_a_promoter_neutral():
    detractor, promoter = contacted_client(), contacted_client()
    answer(detractor, SurveyKind.NPS, 6, days_before(3))
    answer(promoter, SurveyKind.NPS, 9, days_before(3))

    assert part(detractor, Signal.NPS)["severity"] == 1.0
    assert part(promoter, Signal.NPS)["facts"] == {"score": 9, "on": "2026-11-17", "previous": None}
    assert part(promoter, Signal.NPS)["severity"] == 0.0


def test_nps_older_than_a_year_is_no_data():
    client = contacted_client()
    answer(client, SurveyKind.NPS, 2, days_before(366))

    assert part(client, Signal.NPS) == {"signal": "nps", "weight": 15, "severity": 0.0, "points": 0.0, "facts": {}}


def test_csat_three_after_a_five_is_a_fall():
    client = contacted_client()
    answer(client, SurveyKind.CSAT, 5, days_before(60))
    answer(client, SurveyKind.CSAT, 3, days_before(4))
    answer(client, SurveyKind.NPS, 0, days_before(2))  # another kind

    assert part(client, Signal.CSAT) == {
        "signal": "csat",
        "weight": 10,
        "severity": 0.6,
        "points": 6.0,
        "facts": {"score": 3, "on": "2026-11-16", "previous": 5},
    }


def test_csat_of_two_is_severe_and_older_than_180_days_is_ignored():
    client, stale = contacted_client(), contacted_client()
    answer(client, SurveyKind.CSAT, 2, days_before(4))
    answer(stale, SurveyKind.CSAT, 1, days_before(181))

    assert part(client, Signal.CSAT)["severity"] == 0.8
    assert part(stale, Signal.CSAT)["facts"] == {}


def test_revenue_trend_compares_the_last_90_days_with_an_average_90_days_of_the_year_before():
    client = contacted_client()
    order_delivered(client, days_before(200), "3000.00")
    order_delivered(client, days_before(400), "1000.00")  # baseline 4000 / 4 = 1000
    order_delivered(client, days_before(500), "9000.00")  # older than 455 days
    order_delivered(client, days_before(10), "400.00")
    order_delivered(client, AFTER, "5000.00")  # after as_of

    assert part(client, Signal.REVENUE_TREND) == {
        "signal": "revenue_trend",
        "weight": 10,
        "severity": 0.8,
        "points": 8.0,
        "facts": {"change_percent": -60, "recent": "400.00", "baseline": "1000.00"},
    }


def test_revenue_trend_without_a_baseline_is_neutral():
    client = contacted_client()
    order_delivered(client, days_before(10), "400.00")

    assert part(client, Signal.REVENUE_TREND)["facts"] == {}


def test_order_frequency_counts_placed_orders_only():
    client = contacted_client()
    for days in (100, 150, 200, 250, 300, 350, 400, 450):  # 8 in days 91..455: 2 per 90 days
        order_placed(client, days_before(days))
    order_placed(client, days_before(300), status=OrderStatus.DRAFT)
    order_placed(client, days_before(300), status=OrderStatus.CANCELLED)
    order_placed(client, days_before(20))
    order_placed(client, days_before(5), status=OrderStatus.DRAFT)
    order_placed(client, AFTER)

    assert part(client, Signal.ORDER_FREQUENCY) == {
        "signal": "order_frequency",
        "weight": 5,
        "severity": 0.5,
        "points": 2.5,
        "facts": {"recent": 1, "baseline": 2.0},
    }


def test_order_frequency_under_one_order_per_90_days_is_neutral():
    client = contacted_client()
    for days in (100, 200, 300):
        order_placed(client, days_before(days))

    assert part(client, Signal.ORDER_FREQUENCY)["facts"] == {}


def test_survey_non_response_is_the_share_of_decided_surveys_left_unanswered():
    client = contacted_client()
    survey_sent(client, days_before(100), answered_at=days_before(99))
    survey_sent(client, days_before(120))  # expired unanswered
    survey_sent(client, days_before(50))  # expired unanswered
    survey_sent(client, days_before(40), answered_at=AFTER)  # expired at as_of, answered only later
    survey_sent(client, days_before(5))  # link still valid: no outcome yet
    survey_sent(client, days_before(200))  # outside the 180 days

    assert part(client, Signal.SURVEY_NON_RESPONSE) == {
        "signal": "survey_non_response",
        "weight": 5,
        "severity": 0.75,
        "points": 3.8,
        "facts": {"sent": 5, "unanswered": 3, "decided": 4},
    }


def test_survey_non_response_needs_two_surveys_sent():
    client = contacted_client()
    survey_sent(client, days_before(60))

    assert part(client, Signal.SURVEY_NON_RESPONSE)["severity"] == 0.0


def test_a_client_with_nothing_wrong_scores_100_with_all_eight_parts_in_signal_order():
    client = contacted_client()

    result = compute_health(as_of=AS_OF, client_ids=[client.pk])[client.pk]

    assert (result.score, result.band) == (100, "healthy")
    assert [p["signal"] for p in result.parts] == Signal.values
    assert [p["weight"] for p in result.parts] == [25, 10, 20, 15, 10, 10, 5, 5]


def test_score_rounds_half_up():
    client = client_for_health()
    contact_at(client, days_before(180))  # 25 * 0.5 = 12.5 points off

    assert compute_health(as_of=AS_OF, client_ids=[client.pk])[client.pk].score == 88


def test_tuned_weights_change_the_score_and_the_band():
    client = client_for_health()
    contact_at(client, days_before(180))
    config = HealthConfig.get()
    for signal in Signal.values:
        setattr(config, f"weight_{signal}", 0)
    config.weight_contact_gap = 10
    config.weight_nps = 10
    config.save()

    result = compute_health(as_of=AS_OF, client_ids=[client.pk])[client.pk]

    assert (result.score, result.band) == (75, "healthy")  # 10 * 0.5 of 20
    assert result.parts[0]["points"] == 25.0
    config.weight_nps = 0
    config.save()
    assert compute_health(as_of=AS_OF, client_ids=[client.pk])[client.pk].score == 50


def test_all_weights_zero_scores_100():
    client = client_for_health(tier=Tier.VIP)  # never contacted: fully severe
    config = HealthConfig.get()
    for signal in Signal.values:
        setattr(config, f"weight_{signal}", 0)

    result = compute_health(as_of=AS_OF, client_ids=[client.pk], config=config)[client.pk]

    assert (result.score, result.band) == (100, "healthy")
    assert result.parts[0]["severity"] == 1.0
    assert result.parts[0]["points"] == 0.0


@pytest.mark.parametrize(
    ("days", "score", "band"),
    [
        # standard cadence 90; all weights but contact_gap's 0, so the score is 100 * (1 - severity)
        (90 + 2 * 27, 70, "healthy"),
        (90 + 2 * 28, 69, "watch"),  # 0.311 -> 68.9 -> 69
        (90 + 90, 50, "watch"),
        (90 + 91, 49, "at_risk"),  # 0.506 -> 49.4 -> 49
    ],
)
def test_bands_follow_the_thresholds(days, score, band):
    client = client_for_health()
    contact_at(client, days_before(days))
    config = HealthConfig.get()
    for signal in Signal.values:
        setattr(config, f"weight_{signal}", 0)
    config.weight_contact_gap = 1

    result = compute_health(as_of=AS_OF, client_ids=[client.pk], config=config)[client.pk]

    assert (result.score, result.band) == (score, band)


def test_only_clients_scoreable_at_as_of_are_scored():
    active, prospect = client_for_health(), client_for_health(status=Status.PROSPECT)
    churned_later = client_for_health(status=Status.CHURNED, churned_on=datetime.date(2026, 11, 21))
    client_for_health(status=Status.CHURNED, churned_on=datetime.date(2026, 11, 20))
    client_for_health(status=Status.INACTIVE)
    client_for_health(created_days_ago=-1)  # added after as_of

    assert set(compute_health(as_of=AS_OF)) == {active.pk, prospect.pk, churned_later.pk}


def test_given_client_ids_are_scored_only_when_scoreable():
    active = client_for_health()
    inactive = client_for_health(status=Status.INACTIVE)

    assert set(compute_health(as_of=AS_OF, client_ids=[active.pk, inactive.pk])) == {active.pk}


def _clients_with_every_signal(count):
    for index in range(count):
        client = client_for_health()
        contact_at(client, days_before(index + 1))
        follow_up_due(client, days_before(2))
        complaint_received(client, days_before(3))
        answer(client, SurveyKind.NPS, 5, days_before(4))
        answer(client, SurveyKind.CSAT, 2, days_before(4))
        order_delivered(client, days_before(100), "100.00")
        survey_sent(client, days_before(60))


def test_compute_health_runs_the_same_number_of_queries_for_5_and_50_clients(django_assert_max_num_queries):
    config = HealthConfig.get()
    _clients_with_every_signal(5)
    with CaptureQueriesContext(connection) as captured:
        assert len(compute_health(as_of=AS_OF, config=config)) == 5
    few = len(captured)
    _clients_with_every_signal(45)

    with django_assert_max_num_queries(few):
        assert len(compute_health(as_of=AS_OF, config=config)) == 50
    assert few == 7  # the cadences, the scoreable ids, then 5 per chunk of 5,000 clients
