"""Sentences from a score's parts, in the active language, and the next best action."""

import datetime

import pytest
from django.utils import timezone, translation

from health.explain import NextAction, Reason, describe, next_best_action
from tests.factories.clients import ClientFactory

TODAY = datetime.date(2026, 11, 20)


def p(signal, points, **facts):
    return {"signal": signal, "weight": 10, "severity": 0.5, "points": points, "facts": facts}


def texts(*parts, today=TODAY):
    return [reason.text for reason in describe(list(parts), today=today)]


def test_describe_lists_the_negative_parts_strongest_first():
    parts = [
        p("contact_gap", 4.0, days=100, cadence=90, tier="standard", last="2026-08-12"),
        p("overdue_follow_ups", 0.0),
        p("complaints", 14.0, open=1, breached=1, complaint_id=5, number="C-2026-0055"),
        p("nps", 0.0, score=9, on="2026-11-03", previous=None),
    ]

    assert describe(parts, today=TODAY) == [
        Reason("complaints", 14.0, "1 open complaint; 1 past its SLA in the last 90 days (C-2026-0055)"),
        Reason("contact_gap", 4.0, "No contact for 100 days; expected every 90 for Standard"),
    ]


def test_describe_contact_gap_never_contacted():
    assert texts(p("contact_gap", 25.0, days=47, cadence=14, tier="vip", last=None)) == [
        "Never contacted in 47 days; expected every 14 for VIP"
    ]


def test_describe_overdue_follow_ups_singular_and_plural():
    assert texts(p("overdue_follow_ups", 3.3, count=1, oldest_due="2026-11-01", follow_up_id=1)) == [
        "1 overdue follow-up, due 1 Nov"
    ]
    assert texts(p("overdue_follow_ups", 6.7, count=2, oldest_due="2025-12-30", follow_up_id=1)) == [
        "2 overdue follow-ups, the oldest due 30 Dec 2025"
    ]


def test_describe_complaints_open_only_and_breached_only():
    assert texts(p("complaints", 12.0, open=2, breached=0, complaint_id=5, number="C-2026-0001")) == [
        "2 open complaints (C-2026-0001)"
    ]
    assert texts(p("complaints", 8.0, open=0, breached=1, complaint_id=5, number="C-2026-0002")) == [
        "1 complaint past its SLA in the last 90 days (C-2026-0002)"
    ]


def test_describe_nps_detractor_passive_and_fall():
    assert texts(p("nps", 15.0, score=3, on="2026-11-03", previous=None)) == ["Detractor on 3 Nov (NPS 3)"]
    assert texts(p("nps", 6.0, score=8, on="2026-11-03", previous=None)) == ["Passive on 3 Nov (NPS 8)"]
    assert texts(p("nps", 15.0, score=6, on="2026-11-03", previous=9)) == ["NPS fell from 9 to 6 on 3 Nov"]


def test_describe_csat_score_and_fall():
    assert texts(p("csat", 8.0, score=2, on="2026-11-03", previous=None)) == ["CSAT 2 of 5 on 3 Nov"]
    assert texts(p("csat", 6.0, score=3, on="2026-11-03", previous=5)) == ["CSAT fell from 5 to 3 on 3 Nov"]


def test_describe_revenue_orders_and_surveys():
    assert texts(
        p("revenue_trend", 5.1, change_percent=-38, recent="1200.00", baseline="1935.50"),
        p("order_frequency", 3.0, recent=1, baseline=3.5),
        p("survey_non_response", 1.0, sent=5, unanswered=3, decided=4),
    ) == [
        "Revenue down 38 % against the previous 12 months",
        "1 order in the last 90 days; 3.5 in an average 90 days before",
        "3 of the last 4 surveys unanswered",
    ]


def test_describe_in_russian():
    parts = [
        p("contact_gap", 25.0, days=47, cadence=14, tier="vip", last="2026-10-04"),
        p("overdue_follow_ups", 6.7, count=2, oldest_due="2026-11-01", follow_up_id=1),
        p("order_frequency", 3.0, recent=1, baseline=3.5),
    ]
    with translation.override("ru"):
        assert texts(*parts) == [
            "Нет контакта 47 дней; для VIP — каждые 14",
            "2 просроченные задачи, самая ранняя — на 1 ноября",
            "1 заказ за последние 90 дней; раньше в среднем 3,5 за 90 дней",
        ]


def test_describe_in_lithuanian():
    parts = [
        p("nps", 15.0, score=6, on="2026-11-03", previous=9),
        p("complaints", 14.0, open=1, breached=1, complaint_id=5, number="C-2026-0055"),
        p("survey_non_response", 1.0, sent=5, unanswered=3, decided=4),
    ]
    with translation.override("lt"):
        assert texts(*parts) == [
            "NPS nukrito nuo 9 iki 6 (lapkričio 3 d.)",
            "1 atviras skundas; 1 viršijo SLA per pastarąsias 90 dienų (C-2026-0055)",
            "Neatsakyta 3 iš paskutinių 4 apklausų",
        ]


def test_describe_of_no_parts_is_empty():
    assert describe([], today=TODAY) == []


@pytest.mark.django_db
def test_next_best_action_for_a_contact_gap_is_a_call():
    client = ClientFactory()

    action = next_best_action(client, [p("contact_gap", 20.0, days=200, cadence=90, tier="standard", last=None)])

    assert action == NextAction("call", "Call the client", f"/interactions/client/{client.pk}/new/?kind=call")


@pytest.mark.django_db
def test_next_best_action_follows_the_strongest_signal():
    client = ClientFactory()
    parts = [
        p("contact_gap", 2.0, days=100, cadence=90, tier="standard", last="2026-08-12"),
        p("complaints", 14.0, open=1, breached=1, complaint_id=55, number="C-2026-0055"),
        p("overdue_follow_ups", 6.7, count=2, oldest_due="2026-11-01", follow_up_id=9),
    ]

    assert next_best_action(client, parts) == NextAction(
        "resolve_complaint", "Resolve complaint C-2026-0055", "/complaints/55/"
    )
    parts[1]["points"] = 0.0
    assert next_best_action(client, parts) == NextAction(
        "follow_up", "Do the overdue follow-up", f"/clients/{client.pk}/#follow-up-9"
    )


@pytest.mark.django_db
@pytest.mark.parametrize("signal", ["nps", "csat", "revenue_trend", "order_frequency"])
def test_next_best_action_for_falling_satisfaction_or_business_is_a_review_meeting(signal):
    client = ClientFactory()
    facts = {
        "nps": {"score": 3, "on": "2026-11-03", "previous": None},
        "csat": {"score": 2, "on": "2026-11-03", "previous": None},
        "revenue_trend": {"change_percent": -50, "recent": "1.00", "baseline": "2.00"},
        "order_frequency": {"recent": 0, "baseline": 2.0},
    }[signal]

    assert next_best_action(client, [p(signal, 5.0, **facts)]) == NextAction(
        "review_meeting",
        "Schedule a review meeting",
        f"/interactions/client/{client.pk}/new/?kind=meeting&status=scheduled",
    )


@pytest.mark.django_db
def test_next_best_action_for_unanswered_surveys_is_a_call():
    client = ClientFactory()

    action = next_best_action(client, [p("survey_non_response", 5.0, sent=4, unanswered=4, decided=4)])

    assert action.kind == "call"


@pytest.mark.django_db
def test_next_best_action_of_a_healthy_client_without_recent_nps_is_a_survey():
    client = ClientFactory()
    parts = [p("contact_gap", 0.0, days=3, cadence=90, tier="standard", last="2026-11-17"), p("nps", 0.0)]

    assert next_best_action(client, parts) == NextAction(
        "send_survey", "Send a survey", f"/clients/{client.pk}/#client-feedback"
    )


@pytest.mark.django_db
def test_next_best_action_of_a_healthy_client_with_a_recent_nps_is_none():
    client = ClientFactory()
    recent = (timezone.localdate() - datetime.timedelta(days=20)).isoformat()
    parts = [
        p("contact_gap", 0.0, days=3, cadence=90, tier="standard", last=recent),
        p("nps", 0.0, score=10, on=recent),
    ]

    assert next_best_action(client, parts) is None
