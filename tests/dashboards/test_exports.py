"""The dashboard's CSV exports: the page's access rule, raw numbers for a small hand-counted month."""

import csv
import io
from datetime import UTC, datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from clients.models import Client, Tier
from feedback.models import SurveyKind
from interactions.models import FollowUp, FollowUpStatus
from orders.models import Order, OrderStatus
from tests.dashboards.test_feedback_metrics import answer
from tests.factories.interactions import FollowUpFactory, InteractionFactory
from tests.factories.orders import OrderFactory

KPIS = reverse("dashboards:export_kpis")
MANAGERS = reverse("dashboards:export_managers")
MARCH = {"period": "custom", "date_from": "2025-03-01", "date_to": "2025-03-31"}


@pytest.fixture(autouse=True)
def _company_zone(settings):
    settings.TIME_ZONE = "Europe/Vilnius"
    settings.DEFAULT_CURRENCY = "EUR"


def at(day, hour=10, month=3):
    return datetime(2025, month, day, hour, tzinfo=UTC)


def delivered(client, total, *, day, month=3, currency="EUR", promised=None):
    order = OrderFactory(client=client, currency=currency, status=OrderStatus.DELIVERED, total=Decimal(total))
    delivered_at = at(day, month=month)
    Order.objects.filter(pk=order.pk).update(
        created_at=at(1, month=month),
        delivered_at=delivered_at,
        promised_on=promised or delivered_at.date(),
    )
    return order


@pytest.fixture
def march(org):
    """North's March 2025, counted by hand (South's figures must never show for North):
    Mantas: 3 calls in March (1 in February), 1 follow-up done and 1 overdue at the end of March,
    1 250,50 EUR delivered on time; NPS answers 10, 9, 0 → 33.3.
    Tomas: 1 call, 300 USD delivered a day late; CSAT 5 → 100 %. Olga (South): 5 calls, 999 EUR."""
    Client.objects.update(created_at=datetime(2024, 1, 1, tzinfo=UTC))
    for day in (3, 10, 17):
        InteractionFactory(client=org.client, occurred_at=at(day))
    InteractionFactory(client=org.client, occurred_at=at(20, month=2))
    InteractionFactory(client=org.team_client, occurred_at=at(25))
    for day in range(1, 6):
        InteractionFactory(client=org.foreign_client, occurred_at=at(day))
    done = FollowUpFactory(client=org.client, due_at=at(8))
    FollowUp.objects.filter(pk=done.pk).update(status=FollowUpStatus.DONE, completed_at=at(9), created_at=at(2))
    late = FollowUpFactory(client=org.client, due_at=at(20))
    FollowUp.objects.filter(pk=late.pk).update(created_at=at(2))
    delivered(org.client, "1250.50", day=12)
    delivered(org.client, "1000.00", day=12, month=2)
    delivered(org.team_client, "300.00", day=14, currency="USD", promised=at(13).date())
    delivered(org.foreign_client, "999.00", day=12)
    for score in (10, 9, 0):
        answer(org.client, score, at=at(15))
    answer(org.team_client, 5, kind=SurveyKind.CSAT, at=at(16))
    answer(org.foreign_client, 0, at=at(15))
    return org


def rows(response) -> list[list[str]]:
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:])))


def kpi_row(table, key):
    return next(row for row in table if len(row) > 1 and row[1] == key)


SCOPE_NORTH_MARCH = [
    ["Team", "North"],
    ["Manager", "All managers"],
    ["Tier", "All tiers"],
    ["Period", "2025-03-01", "2025-03-31"],
    ["Previous period", "2025-01-29", "2025-02-28"],
    [],
]


def test_the_kpi_export_has_the_scope_then_every_tile_as_raw_numbers(march, as_user):
    response = as_user(march.lead).get(KPIS, MARCH)

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="dashboard-kpis-2025-03-01-2025-03-31.csv"'
    assert rows(response) == [
        *SCOPE_NORTH_MARCH,
        ["Group", "Key", "Label", "Value", "Previous value", "Change", "Unit", "Currency"],
        ["Satisfaction", "csat", "CSAT", "100.0", "", "", "%", ""],
        ["Satisfaction", "nps", "NPS", "33.3", "", "", "NPS", ""],
        ["Satisfaction", "response_rate", "Survey response rate", "100.0", "", "", "%", ""],
        ["Complaints", "first_response", "Median first response", "", "", "", "business minutes", ""],
        ["Complaints", "resolution", "Median resolution", "", "", "", "seconds", ""],
        ["Complaints", "sla", "SLA compliance", "", "", "", "%", ""],
        ["Complaints", "open_complaints", "Open complaints", "0", "0", "0", "count", ""],
        ["Complaints", "breached_complaints", "Breached complaints", "0", "0", "0", "count", ""],
        ["Activity", "interactions", "Interactions logged", "4", "1", "3", "count", ""],
        ["Activity", "overdue_follow_ups", "Overdue follow-ups", "1", "0", "1", "count", ""],
        # end of February: Tomas's client, never contacted since 2024; end of March: both contacted
        ["Activity", "going_cold", "Clients going cold", "0", "1", "-1", "count", ""],
        ["Orders and revenue", "orders", "Orders", "2", "1", "1", "count", ""],
        ["Orders and revenue", "revenue", "Delivered revenue", "1250.50", "1000.00", "250.50", "amount", "EUR"],
        [
            "Orders and revenue",
            "revenue_per_client",
            "Revenue per client",
            "1250.50",
            "1000.00",
            "250.50",
            "amount",
            "EUR",
        ],
        ["Orders and revenue", "on_time", "On-time delivery", "50.0", "100.0", "-50.0", "%", ""],
        ["Client base", "active_clients", "Active clients", "2", "2", "0", "count", ""],
        ["Client base", "churn_rate", "Churn rate", "0.0", "0.0", "0.0", "%", ""],
        ["Client base", "at_risk_revenue", "At-risk revenue", "", "", "", "amount", "EUR"],
    ]


def test_the_manager_export_has_one_row_per_person_with_answer_counts_and_currency(march, as_user):
    response = as_user(march.lead).get(MANAGERS, MARCH)

    assert response["Content-Disposition"] == 'attachment; filename="dashboard-managers-2025-03-01-2025-03-31.csv"'
    assert rows(response) == [
        *SCOPE_NORTH_MARCH,
        [
            "Manager",
            "Team",
            "Active clients",
            "Interactions",
            "Follow-ups done",
            "Overdue follow-ups",
            "Open complaints",
            "SLA compliance %",
            "CSAT %",
            "CSAT answers",
            "NPS",
            "NPS answers",
            "Delivered revenue",
            "Currency",
            "Revenue in other currencies",
        ],
        ["Lina Lead", "North", "0", "0", "0", "0", "0", "", "", "0", "", "0", "", "EUR", ""],
        ["Mantas Owner", "North", "1", "3", "1", "1", "0", "", "", "0", "33.3", "3", "1250.50", "EUR", ""],
        ["Tomas Teammate", "North", "1", "1", "0", "0", "0", "", "100.0", "1", "", "0", "", "EUR", "Also $300.00"],
    ]


def test_the_manager_export_follows_the_pages_sort(march, as_user):
    response = as_user(march.lead).get(MANAGERS, {**MARCH, "sort": "-interactions"})

    assert [row[0] for row in rows(response)[7:]] == ["Mantas Owner", "Tomas Teammate", "Lina Lead"]


def test_the_export_states_the_manager_and_tier_it_was_narrowed_to(march, as_user):
    response = as_user(march.admin).get(
        KPIS, {**MARCH, "team": march.north.pk, "manager": march.manager.pk, "tier": Tier.STANDARD}
    )

    table = rows(response)
    assert table[:3] == [["Team", "North"], ["Manager", "Mantas Owner"], ["Tier", "Standard"]]
    assert kpi_row(table, "interactions") == [
        "Activity",
        "interactions",
        "Interactions logged",
        "3",
        "1",
        "2",
        "count",
        "",
    ]


def test_an_admin_exports_every_team_at_once(march, as_user):
    table = rows(as_user(march.admin).get(KPIS, MARCH))

    assert table[0] == ["Team", "All teams"]
    assert kpi_row(table, "interactions") == [
        "Activity",
        "interactions",
        "Interactions logged",
        "9",
        "1",
        "8",
        "count",
        "",
    ]


def test_the_export_is_utf8_with_a_byte_order_mark_for_spreadsheets(march, as_user):
    march.manager.full_name = "Žydrūnas Ąžuolas"
    march.manager.save()
    march.teammate.full_name = "Дмитрий Иванов"
    march.teammate.save()

    response = as_user(march.lead).get(MANAGERS, MARCH)

    assert response.content.startswith(b"\xef\xbb\xbf")
    names = [row[0] for row in rows(response)[7:]]
    assert names == ["Lina Lead", "Žydrūnas Ąžuolas", "Дмитрий Иванов"]


def test_an_invalid_period_exports_the_default_period_instead_of_failing(org, as_user):
    response = as_user(org.lead).get(KPIS, {"period": "custom", "date_from": "2025-03-31", "date_to": "2025-03-01"})

    assert response.status_code == 200
    assert rows(response)[3][0] == "Period"
