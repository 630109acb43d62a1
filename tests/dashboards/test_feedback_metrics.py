"""Feedback metrics against small hand-computed fixtures: NPS, CSAT, response rate, thin buckets, groupings."""

import itertools
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest

from clients.models import Tier
from dashboards.metrics import (
    FeedbackBucket,
    FeedbackFigures,
    Rate,
    Score,
    csat,
    feedback_by_manager,
    feedback_by_month,
    feedback_by_quarter,
    feedback_by_team,
    feedback_by_tier,
    feedback_by_trigger,
    feedback_figures,
    nps,
    response_rate,
)
from feedback.models import SurveyKind, SurveyRequest, SurveyResponse, SurveyStatus, SurveyTemplate, TriggerKind
from tests.factories.accounts import ManagerFactory
from tests.factories.clients import ClientFactory
from tests.factories.contacts import ContactFactory

# March 2025 in Vilnius: UTC+2 until the clock change on the 30th, UTC+3 after it.
START = datetime(2025, 3, 1, tzinfo=UTC)
END = datetime(2025, 4, 1, tzinfo=UTC)
MID = datetime(2025, 3, 15, 12, tzinfo=UTC)
TICK = timedelta(microseconds=1)
# February and March of the company's calendar, as instants.
FEBRUARY_VILNIUS = datetime(2025, 1, 31, 22, tzinfo=UTC)
APRIL_VILNIUS = datetime(2025, 3, 31, 21, tzinfo=UTC)
_keys = itertools.count(1)


@pytest.fixture(autouse=True)
def _company_zone(settings):
    settings.TIME_ZONE = "Europe/Vilnius"


def survey(
    client,
    *,
    kind=SurveyKind.NPS,
    status=SurveyStatus.SENT,
    sent_at=MID,
    trigger=TriggerKind.RELATIONSHIP_NPS,
    contact=None,
) -> SurveyRequest:
    """A bare survey request row with exactly these facts (no service: the metrics read stored values)."""
    return SurveyRequest.objects.create(
        status=status,
        contact=contact or ContactFactory(client=client),
        client=client,
        template=SurveyTemplate.objects.get(name="NPS" if kind == SurveyKind.NPS else "CSAT"),
        kind=kind,
        trigger=trigger,
        source_key=f"test:{next(_keys)}",
        language="en",
        scheduled_at=sent_at or MID,
        next_attempt_at=sent_at or MID,
        sent_at=sent_at,
    )


def answer(client, score, *, kind=SurveyKind.NPS, at=MID, sent_at=None, comment="", **fields) -> SurveyResponse:
    """An answered survey: the request (sent an hour before unless said otherwise) and its response."""
    request = survey(
        client, kind=kind, status=SurveyStatus.ANSWERED, sent_at=sent_at or at - timedelta(hours=1), **fields
    )
    request.answered_at = at
    request.save(update_fields=["answered_at"])
    return SurveyResponse.objects.create(
        request=request, client=client, kind=kind, score=score, comment=comment, answered_at=at
    )


def nps_answers(client, scores, **fields):
    for score in scores:
        answer(client, score, **fields)


def csat_answers(client, scores, **fields):
    for score in scores:
        answer(client, score, kind=SurveyKind.CSAT, **fields)


def responses():
    return SurveyResponse.objects.all()


def requests():
    return SurveyRequest.objects.all()


# --- NPS ----------------------------------------------------------------------------------------


def test_nps_is_the_share_of_promoters_minus_the_share_of_detractors(db):
    client = ClientFactory()
    # 5 promoters (9, 10), 2 passives (7, 8), 3 detractors (0–6): 50 % − 30 % = 20
    nps_answers(client, [10, 10, 9, 9, 9, 8, 7, 6, 3, 0])

    assert nps(responses(), START, END) == Decimal("20.0")


def test_nps_may_be_negative_and_is_rounded_once_half_up(db):
    client = ClientFactory()
    nps_answers(client, [9, 6, 5])  # 1/3 − 2/3 = −33.33…

    assert nps(responses(), START, END) == Decimal("-33.3")


def test_nps_counts_only_nps_answers_given_in_the_period(db):
    client = ClientFactory()
    answer(client, 10, at=START)  # the first instant counts
    answer(client, 0, at=START - TICK)  # before
    answer(client, 0, at=END)  # the end is excluded
    csat_answers(client, [1, 1])  # another survey
    survey(client, sent_at=MID)  # sent, never answered: no score at all

    assert nps(responses(), START, END) == Decimal("100.0")


def test_nps_of_no_answers_is_no_value_not_zero(db):
    client = ClientFactory()
    survey(client)  # sent but unanswered
    csat_answers(client, [5])

    assert nps(responses(), START, END) is None


def test_nps_of_only_passives_is_zero(db):
    nps_answers(ClientFactory(), [7, 8])

    assert nps(responses(), START, END) == Decimal("0.0")


# --- CSAT ---------------------------------------------------------------------------------------


def test_csat_is_the_share_of_fours_and_fives(db):
    csat_answers(ClientFactory(), [5, 4, 4, 5, 3])  # 4 of 5

    assert csat(responses(), START, END) == Decimal("80.0")


def test_csat_counts_only_csat_answers_given_in_the_period(db):
    client = ClientFactory()
    csat_answers(client, [5, 2, 3])  # 1 of 3
    csat_answers(client, [1], at=END)
    nps_answers(client, [10, 10])

    assert csat(responses(), START, END) == Decimal("33.3")


def test_csat_of_no_answers_is_no_value(db):
    nps_answers(ClientFactory(), [10])

    assert csat(responses(), START, END) is None


# --- Response rate ------------------------------------------------------------------------------


def test_response_rate_is_answered_of_sent_in_the_period(db):
    client = ClientFactory()
    answer(client, 9, sent_at=MID, at=MID)
    answer(client, 3, kind=SurveyKind.CSAT, sent_at=MID, at=END + timedelta(days=5))  # answered after the period
    survey(client, status=SurveyStatus.SENT)
    survey(client, status=SurveyStatus.EXPIRED)
    # Never sent: not in the denominator.
    survey(client, status=SurveyStatus.SUPPRESSED, sent_at=None)
    survey(client, status=SurveyStatus.SCHEDULED, sent_at=None)
    survey(client, status=SurveyStatus.FAILED, sent_at=None)
    # Sent before the period and answered in it: belongs to the period it was sent in.
    answer(client, 10, sent_at=START - TICK, at=MID)

    assert response_rate(requests(), START, END) == Decimal("50.0")  # 2 of 4


def test_response_rate_with_nothing_sent_is_no_value(db):
    client = ClientFactory()
    survey(client, status=SurveyStatus.SUPPRESSED, sent_at=None)
    answer(client, 10, sent_at=START - TICK, at=MID)

    assert response_rate(requests(), START, END) is None


def test_response_rate_with_no_answer_is_zero(db):
    survey(ClientFactory())

    assert response_rate(requests(), START, END) == Decimal("0.0")


# --- Thin figures -------------------------------------------------------------------------------


def test_a_figure_from_nine_answers_is_thin_and_from_ten_is_not(db):
    client = ClientFactory()
    nps_answers(client, [10] * 9)
    csat_answers(client, [5] * 10)

    figures = feedback_figures(responses(), requests(), START, END)

    assert figures.nps == Score(Decimal("100.0"), 9)
    assert figures.nps.thin
    assert figures.csat == Score(Decimal("100.0"), 10)
    assert not figures.csat.thin


def test_an_empty_figure_has_no_value_and_is_not_thin():
    assert not Score(None, 0).thin
    assert not Rate(None, 0, 0).thin
    assert Rate(Decimal(0), 0, 9).thin
    assert not Rate(Decimal(0), 0, 10).thin


def test_feedback_figures_agree_with_each_metric(db):
    client = ClientFactory()
    nps_answers(client, [10, 9, 8, 2])
    csat_answers(client, [5, 1])
    survey(client)

    figures = feedback_figures(responses(), requests(), START, END)

    assert figures == FeedbackFigures(
        nps=Score(Decimal("25.0"), 4), csat=Score(Decimal("50.0"), 2), response_rate=Rate(Decimal("85.7"), 6, 7)
    )
    assert figures.answers == 6
    assert figures.nps.value == nps(responses(), START, END)
    assert figures.csat.value == csat(responses(), START, END)
    assert figures.response_rate.value == response_rate(requests(), START, END)


def test_feedback_figures_of_nothing_are_no_values(db):
    figures = feedback_figures(responses(), requests(), START, END)

    assert figures == FeedbackFigures(Score(None, 0), Score(None, 0), Rate(None, 0, 0))
    assert figures.answers == 0


# --- By month and quarter -----------------------------------------------------------------------


def test_months_are_the_company_time_zones_months(db):
    client = ClientFactory()
    # 31 March 22:30 UTC is 1 April 01:30 in Vilnius (summer time): April's.
    answer(client, 10, at=datetime(2025, 3, 31, 22, 30, tzinfo=UTC), sent_at=datetime(2025, 3, 31, 21, 30, tzinfo=UTC))
    # 31 March 20:59 UTC is 23:59 in Vilnius: still March.
    answer(client, 0, at=datetime(2025, 3, 31, 20, 59, tzinfo=UTC), sent_at=datetime(2025, 3, 1, 9, tzinfo=UTC))
    # 28 February 22:30 UTC is 1 March 00:30 in Vilnius (winter time, UTC+2): March's.
    answer(client, 5, kind=SurveyKind.CSAT, at=datetime(2025, 2, 28, 22, 30, tzinfo=UTC), sent_at=MID)

    months = feedback_by_month(
        responses(), requests(), datetime(2025, 2, 1, tzinfo=UTC), datetime(2025, 4, 30, 21, tzinfo=UTC)
    )

    assert [(bucket.key, bucket.label) for bucket in months] == [
        (date(2025, 2, 1), "February 2025"),
        (date(2025, 3, 1), "March 2025"),
        (date(2025, 4, 1), "April 2025"),
    ]
    february, march, april = months
    assert february == FeedbackBucket(
        date(2025, 2, 1), "February 2025", Score(None, 0), Score(None, 0), Rate(None, 0, 0)
    )
    assert (march.nps, march.csat) == (Score(Decimal("-100.0"), 1), Score(Decimal("100.0"), 1))
    assert march.response_rate == Rate(Decimal("100.0"), 2, 2)
    assert april.nps == Score(Decimal("100.0"), 1)
    assert april.response_rate == Rate(Decimal("100.0"), 1, 1)


def test_a_send_just_before_midnight_counts_in_its_own_month(db):
    client = ClientFactory()
    # 28 February 21:30 UTC = 23:30 in Vilnius: sent in February, answered in March.
    answer(client, 4, kind=SurveyKind.CSAT, at=MID, sent_at=datetime(2025, 2, 28, 21, 30, tzinfo=UTC))

    february, march = feedback_by_month(responses(), requests(), FEBRUARY_VILNIUS, APRIL_VILNIUS)

    assert february.response_rate == Rate(Decimal("100.0"), 1, 1)
    assert february.csat == Score(None, 0)
    assert march.csat == Score(Decimal("100.0"), 1)
    assert march.response_rate == Rate(None, 0, 0)


def test_months_include_empty_ones_between(db):
    client = ClientFactory()
    answer(client, 10, at=datetime(2025, 1, 10, tzinfo=UTC))
    answer(client, 10, at=datetime(2025, 4, 10, tzinfo=UTC))

    months = feedback_by_month(
        responses(), requests(), datetime(2024, 12, 31, 22, tzinfo=UTC), datetime(2025, 4, 30, 21, tzinfo=UTC)
    )

    assert [bucket.nps.answers for bucket in months] == [1, 0, 0, 1]
    assert [bucket.nps.value for bucket in months] == [Decimal("100.0"), None, None, Decimal("100.0")]


def test_quarters_are_the_company_time_zones_quarters(db):
    client = ClientFactory()
    answer(client, 10, at=datetime(2025, 3, 31, 22, 30, tzinfo=UTC))  # 1 April in Vilnius: Q2
    answer(client, 0, at=datetime(2025, 3, 31, 20, 0, tzinfo=UTC))  # Q1

    quarters = feedback_by_quarter(
        responses(), requests(), datetime(2024, 12, 31, 22, tzinfo=UTC), datetime(2025, 6, 30, 21, tzinfo=UTC)
    )

    assert [(bucket.key, bucket.label, bucket.nps.value) for bucket in quarters] == [
        (date(2025, 1, 1), "Q1 2025", Decimal("-100.0")),
        (date(2025, 4, 1), "Q2 2025", Decimal("100.0")),
    ]


def test_a_month_with_nine_answers_is_thin(db):
    client = ClientFactory()
    nps_answers(client, [9] * 9, at=datetime(2025, 2, 10, tzinfo=UTC))
    nps_answers(client, [9] * 10, at=MID)

    february, march = feedback_by_month(responses(), requests(), FEBRUARY_VILNIUS, APRIL_VILNIUS)

    assert (february.nps.answers, february.nps.thin) == (9, True)
    assert (march.nps.answers, march.nps.thin) == (10, False)


# --- By manager, team, tier and trigger ---------------------------------------------------------


def test_by_manager_groups_by_the_clients_account_manager(org):
    nps_answers(org.client, [10, 10, 0])  # Mantas: 2 promoters, 1 detractor
    csat_answers(org.team_client, [5, 2])  # Tomas
    survey(org.team_client, kind=SurveyKind.CSAT)  # Tomas: 3 sent, 2 answered
    unmanaged = ClientFactory(account_manager=None)
    survey(unmanaged)  # sent, never answered: a row without scores

    rows = feedback_by_manager(responses(), requests(), START, END)

    assert rows == [
        FeedbackBucket(
            org.manager.pk, "Mantas Owner", Score(Decimal("33.3"), 3), Score(None, 0), Rate(Decimal("100.0"), 3, 3)
        ),
        FeedbackBucket(
            org.teammate.pk, "Tomas Teammate", Score(None, 0), Score(Decimal("50.0"), 2), Rate(Decimal("66.7"), 2, 3)
        ),
        FeedbackBucket(None, "No account manager", Score(None, 0), Score(None, 0), Rate(Decimal("0.0"), 0, 1)),
    ]


def test_by_team_groups_by_the_account_managers_team(org):
    nps_answers(org.client, [10])
    nps_answers(org.team_client, [0])
    nps_answers(org.foreign_client, [9, 9])
    nps_answers(ClientFactory(account_manager=ManagerFactory(team=None)), [5])

    rows = feedback_by_team(responses(), requests(), START, END)

    assert [(row.key, row.label, row.nps) for row in rows] == [
        (org.north.pk, "North", Score(Decimal("0.0"), 2)),
        (org.south.pk, "South", Score(Decimal("100.0"), 2)),
        (None, "No team", Score(Decimal("-100.0"), 1)),
    ]


def test_by_tier_follows_the_tier_order(db):
    csat_answers(ClientFactory(tier=Tier.VIP), [5, 5, 1])
    csat_answers(ClientFactory(tier=Tier.STANDARD), [4])

    rows = feedback_by_tier(responses(), requests(), START, END)

    assert [(row.key, row.label, row.csat, row.response_rate) for row in rows] == [
        (Tier.STANDARD, "Standard", Score(Decimal("100.0"), 1), Rate(Decimal("100.0"), 1, 1)),
        (Tier.VIP, "VIP", Score(Decimal("66.7"), 3), Rate(Decimal("100.0"), 3, 3)),
    ]


def test_by_trigger_groups_by_what_sent_the_survey(db):
    client = ClientFactory()
    csat_answers(client, [5, 3], trigger=TriggerKind.ORDER_DELIVERED)
    survey(client, kind=SurveyKind.CSAT, trigger=TriggerKind.ORDER_DELIVERED)
    survey(
        client, kind=SurveyKind.CSAT, trigger=TriggerKind.ORDER_DELIVERED, status=SurveyStatus.SUPPRESSED, sent_at=None
    )
    csat_answers(client, [1], trigger=TriggerKind.COMPLAINT_RESOLVED)
    nps_answers(client, [9, 7], trigger=TriggerKind.RELATIONSHIP_NPS)

    rows = feedback_by_trigger(responses(), requests(), START, END)

    assert rows == [
        FeedbackBucket(
            TriggerKind.ORDER_DELIVERED,
            "Order delivered",
            Score(None, 0),
            Score(Decimal("50.0"), 2),
            Rate(Decimal("66.7"), 2, 3),
        ),
        FeedbackBucket(
            TriggerKind.COMPLAINT_RESOLVED,
            "Complaint resolved",
            Score(None, 0),
            Score(Decimal("0.0"), 1),
            Rate(Decimal("100.0"), 1, 1),
        ),
        FeedbackBucket(
            TriggerKind.RELATIONSHIP_NPS,
            "Relationship NPS",
            Score(Decimal("50.0"), 2),
            Score(None, 0),
            Rate(Decimal("100.0"), 2, 2),
        ),
    ]


def test_groupings_count_only_the_given_querysets(org):
    nps_answers(org.client, [10])
    nps_answers(org.foreign_client, [0])

    rows = feedback_by_tier(responses().filter(client=org.client), requests().filter(client=org.client), START, END)

    assert [(row.key, row.nps) for row in rows] == [(Tier.STANDARD, Score(Decimal("100.0"), 1))]


def test_each_grouping_takes_two_queries_whatever_the_data(org, django_assert_num_queries):
    for score in range(11):
        answer(org.client, score)
        answer(org.foreign_client, score % 5 + 1, kind=SurveyKind.CSAT, trigger=TriggerKind.ORDER_DELIVERED)

    for grouping in (feedback_by_manager, feedback_by_team, feedback_by_tier, feedback_by_trigger, feedback_by_month):
        with django_assert_num_queries(2):
            grouping(responses(), requests(), START, END)
    with django_assert_num_queries(2):
        feedback_figures(responses(), requests(), START, END)
