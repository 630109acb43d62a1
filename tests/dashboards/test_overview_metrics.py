"""The team dashboard's figures against small hand-computed fixtures: complaints open and breached at an
instant, placed orders and revenue per client, then get_dashboard's tiles (with the previous period),
charts and per-manager table for each scope, and what a team lead's dashboard may count."""

import itertools
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from clients.models import Client, Status, Tier
from complaints.models import Complaint, ComplaintCategory, ComplaintStatus
from complaints.selectors import with_sla
from dashboards.metrics import (
    MonthRevenue,
    Revenue,
    Score,
    delivered_revenue,
    open_complaints,
    orders_placed,
    revenue_by_currency,
    revenue_by_month,
    revenue_per_client,
)
from dashboards.selectors import Period
from dashboards.selectors.overview import Scope, get_dashboard
from feedback.models import SurveyKind, SurveyRequest, SurveyResponse, SurveyStatus, SurveyTemplate, TriggerKind
from interactions.models import FollowUp, FollowUpStatus, InteractionStatus
from orders.models import Order, OrderStatus
from tests.factories.accounts import ManagerFactory
from tests.factories.clients import ClientFactory
from tests.factories.complaints import frozen
from tests.factories.contacts import ContactFactory
from tests.factories.interactions import FollowUpFactory, InteractionFactory
from tests.factories.orders import OrderFactory

_numbers = itertools.count(1)
TICK = timedelta(microseconds=1)
LONG_AGO = datetime(2024, 6, 1, 10, tzinfo=UTC)


@pytest.fixture(autouse=True)
def _company_zone(settings):
    settings.TIME_ZONE = "Europe/Vilnius"
    settings.DEFAULT_CURRENCY = "EUR"


def utc(month: int, day: int, hour: int = 10, minute: int = 0) -> datetime:
    return datetime(2025, month, day, hour, minute, tzinfo=UTC)


def complaint(client, *, received_at, owner=None, status=None, **fields) -> Complaint:
    """A bare complaint row with exactly these facts (no service: the metrics read stored values)."""
    if status is None:
        status = ComplaintStatus.RESOLVED if fields.get("resolved_at") else ComplaintStatus.IN_PROGRESS
    return Complaint.objects.create(
        number=f"OVER-{next(_numbers):06d}",
        client=client,
        owner=owner or client.account_manager,
        category=ComplaintCategory.objects.get(name="Late delivery"),
        subject="Broken pallet",
        received_at=received_at,
        status=status,
        **fields,
    )


def order(client, status, created_at, *, delivered_at=None, promised_on=None, total="0", currency="EUR") -> Order:
    """A bare order row (created_at set after the insert: auto_now_add ignores it)."""
    row = OrderFactory(
        client=client,
        status=status,
        delivered_at=delivered_at,
        promised_on=promised_on,
        total=Decimal(total),
        subtotal=Decimal(total),
        currency=currency,
    )
    Order.objects.filter(pk=row.pk).update(created_at=created_at)
    return row


def delivered(client, delivered_at, total, *, currency="EUR", promised_on=None, created_at=None) -> Order:
    return order(
        client,
        OrderStatus.DELIVERED,
        created_at or delivered_at - timedelta(days=10),
        delivered_at=delivered_at,
        promised_on=promised_on or delivered_at.date(),
        total=total,
        currency=currency,
    )


# --- Complaints open and breached at an instant -------------------------------------------------

AT = utc(3, 15, 12)


def test_open_at_an_instant_is_received_before_it_and_not_yet_resolved_or_closed(org):
    c = org.client
    complaint(c, received_at=AT - timedelta(days=1))  # open: counts
    complaint(c, received_at=AT)  # received at the instant itself: not yet there
    complaint(c, received_at=AT - timedelta(days=2), resolved_at=AT - timedelta(hours=1))  # resolved before
    complaint(c, received_at=AT - timedelta(days=2), resolved_at=AT)  # resolved at the instant: open until then
    complaint(c, received_at=AT - timedelta(days=2), resolved_at=AT + timedelta(hours=1))  # resolved after
    # Resolved two days before and reopened after the instant: the reopen cleared resolved_at, so it
    # counts as open then (status history is not replayed; see docs/metrics.md).
    complaint(c, received_at=AT - timedelta(days=3), reopen_count=1)
    complaint(
        c,
        received_at=AT - timedelta(days=5),
        resolved_at=AT - timedelta(days=4),
        closed_at=AT - timedelta(days=3),
        status=ComplaintStatus.CLOSED,
    )
    complaint(
        c,
        received_at=AT - timedelta(days=5),
        resolved_at=AT + timedelta(days=1),
        closed_at=AT + timedelta(days=2),
        status=ComplaintStatus.CLOSED,
    )

    # open: 1st, resolved at the instant, resolved after, reopened, closed after = 5; none breached
    assert open_complaints(Complaint.objects.all(), AT) == (5, 0)


def test_breached_at_an_instant_reads_the_stamps_and_the_live_due_times(org):
    c = org.client
    day_before = AT - timedelta(days=1)
    # Stamped breaches (the due time each clock crossed):
    complaint(c, received_at=day_before, first_response_at=AT, first_response_breached_at=AT - timedelta(hours=1))
    complaint(
        c,
        received_at=day_before,
        resolved_at=AT + timedelta(hours=1),
        resolution_breached_at=AT - timedelta(minutes=30),
    )  # resolved late after the instant, breached before it: breached then
    complaint(
        c, received_at=day_before, resolved_at=AT + timedelta(hours=2), resolution_breached_at=AT + timedelta(hours=1)
    )  # breached only after the instant: open but not breached then
    # Live due times of complaints still open now (not stamped yet):
    complaint(c, received_at=day_before, first_response_due_at=AT - timedelta(minutes=1))  # unanswered past due
    complaint(c, received_at=day_before, first_response_due_at=AT + timedelta(minutes=1))  # not due yet
    complaint(
        c,
        received_at=day_before,
        first_response_at=day_before,
        resolution_running_since=day_before,
        resolution_due_at=AT - timedelta(hours=1),
    )  # resolution clock running past its due time
    complaint(
        c,
        received_at=day_before,
        first_response_at=day_before,
        status=ComplaintStatus.WAITING,
        waiting_since=AT - timedelta(hours=3),
    )  # waiting for the client: clock paused, no due time
    complaint(
        c, received_at=day_before, first_response_at=day_before, first_response_due_at=AT - timedelta(minutes=5)
    )  # answered in time, before its due time
    complaint(  # breached, but resolved before the instant: not open then
        c,
        received_at=AT - timedelta(days=3),
        resolved_at=AT - timedelta(days=1),
        resolution_breached_at=AT - timedelta(days=2),
    )

    # open: every row but the last = 8; breached: two stamps before the instant + two live due times = 4
    assert open_complaints(Complaint.objects.all(), AT) == (8, 4)


def test_at_now_the_breached_count_is_the_open_complaints_the_pages_show_as_breached(org):
    now = AT
    c = org.client
    complaint(c, received_at=now - timedelta(days=1), first_response_due_at=now - timedelta(hours=1))
    complaint(c, received_at=now - timedelta(days=1), first_response_breached_at=now - timedelta(days=1))
    complaint(c, received_at=now - timedelta(days=1), first_response_due_at=now + timedelta(hours=1))
    complaint(c, received_at=now - timedelta(days=2), resolved_at=now - timedelta(days=1), resolution_breached_at=now)

    open_now = Complaint.objects.filter(status__in=[ComplaintStatus.NEW, ComplaintStatus.IN_PROGRESS])
    assert open_complaints(Complaint.objects.all(), now) == (3, 2)
    assert with_sla(open_now, now=now).filter(sla="breached").count() == 2


def test_open_complaints_of_nothing_are_zero_not_none(org):
    complaint(org.client, received_at=AT + timedelta(days=1))

    assert open_complaints(Complaint.objects.all(), AT) == (0, 0)


def test_open_complaints_count_only_the_complaints_given(org):
    complaint(org.client, received_at=AT - timedelta(days=1), first_response_due_at=AT - timedelta(hours=1))
    complaint(org.foreign_client, received_at=AT - timedelta(days=1))

    assert open_complaints(Complaint.objects.filter(owner__team=org.north), AT) == (1, 1)


# --- Orders placed, revenue per client ------------------------------------------------------------

START = datetime(2025, 3, 1, tzinfo=UTC)
END = datetime(2025, 4, 1, tzinfo=UTC)


def test_orders_placed_counts_orders_taken_in_the_period_from_confirmation_on(org):
    c = org.client
    order(c, OrderStatus.CONFIRMED, START)  # first instant: in
    order(c, OrderStatus.IN_PROGRESS, END - TICK)  # last instant: in
    order(c, OrderStatus.SHIPPED, utc(3, 10))
    order(c, OrderStatus.DELIVERED, utc(3, 11), delivered_at=utc(3, 20))
    order(c, OrderStatus.DRAFT, utc(3, 12))  # not an order yet
    order(c, OrderStatus.CANCELLED, utc(3, 13))  # never was one
    order(c, OrderStatus.CONFIRMED, END)  # next period
    order(c, OrderStatus.CONFIRMED, START - TICK)

    assert orders_placed(Order.objects.all(), START, END) == 4


def test_orders_placed_of_an_empty_period_is_zero(org):
    order(org.client, OrderStatus.DRAFT, utc(3, 12))

    assert orders_placed(Order.objects.all(), START, END) == 0


def test_revenue_by_currency_divides_each_currencys_revenue_by_the_clients_it_came_from(org):
    a, b, c = org.client, org.team_client, org.foreign_client
    delivered(a, START, "100.00")  # first instant
    delivered(a, utc(3, 10), "50.00")
    delivered(b, END - TICK, "33.33")  # last instant
    delivered(c, utc(3, 12), "200.00", currency="USD")
    delivered(c, END, "999.00")  # next period
    order(a, OrderStatus.SHIPPED, utc(3, 1), total="999.00")  # not delivered
    order(b, OrderStatus.CANCELLED, utc(3, 1), total="999.00")

    revenues = revenue_by_currency(Order.objects.all(), START, END)

    # EUR: 100 + 50 + 33.33 = 183.33 from 2 clients; USD: 200 from 1; largest amount first
    assert revenues == [Revenue("USD", Decimal("200.00"), 1), Revenue("EUR", Decimal("183.33"), 2)]
    # 183.33 / 2 = 91.665 → 91.67 (half up to the cent)
    assert revenue_per_client(Order.objects.all(), START, END) == {"USD": Decimal("200.00"), "EUR": Decimal("91.67")}
    assert {r.currency: r.amount for r in revenues} == delivered_revenue(Order.objects.all(), START, END)


def test_revenue_per_client_counts_a_client_once_however_many_deliveries(org):
    delivered(org.client, utc(3, 2), "10.00")
    delivered(org.client, utc(3, 3), "10.00")
    delivered(org.client, utc(3, 4), "10.01")

    # 30.01 / 1 client
    assert revenue_per_client(Order.objects.all(), START, END) == {"EUR": Decimal("30.01")}


def test_revenue_without_deliveries_has_no_value(org):
    order(org.client, OrderStatus.SHIPPED, utc(3, 1), total="10.00")
    delivered(org.client, END, "10.00")

    assert revenue_by_currency(Order.objects.all(), START, END) == []
    assert revenue_per_client(Order.objects.all(), START, END) == {}


def test_revenue_per_client_over_a_manager_and_a_tier(org):
    vip = ClientFactory(account_manager=org.manager, tier=Tier.VIP)
    delivered(org.client, utc(3, 2), "10.00")
    delivered(vip, utc(3, 3), "30.00")
    delivered(org.team_client, utc(3, 4), "100.00")

    own = Order.objects.filter(client__account_manager=org.manager)

    # Mantas: 40 / 2 clients = 20; his VIPs: 30 / 1; the team's standard clients: 110 / 2 = 55
    assert revenue_per_client(own, START, END) == {"EUR": Decimal("20.00")}
    assert revenue_per_client(own.filter(client__tier=Tier.VIP), START, END) == {"EUR": Decimal("30.00")}
    team_standard = Order.objects.filter(client__account_manager__team=org.north, client__tier=Tier.STANDARD)
    assert revenue_per_client(team_standard, START, END) == {"EUR": Decimal("55.00")}


def test_revenue_by_month_buckets_by_the_company_calendar_and_currency(org):
    c = org.client
    delivered(c, datetime(2025, 1, 31, 22, 30, tzinfo=UTC), "10.00")  # 1 February 00:30 in Vilnius
    delivered(c, datetime(2025, 2, 28, 21, 59, tzinfo=UTC), "20.00")  # 28 February 23:59 in Vilnius
    delivered(c, datetime(2025, 3, 15, 12, tzinfo=UTC), "5.00", currency="USD")
    delivered(c, datetime(2025, 3, 15, 13, tzinfo=UTC), "7.00", currency="USD")
    delivered(c, datetime(2025, 3, 31, 21, 30, tzinfo=UTC), "40.00")  # 1 April 00:30 (UTC+3 by then)
    order(c, OrderStatus.SHIPPED, utc(3, 1), total="999.00")
    start, end = datetime(2025, 1, 31, 22, tzinfo=UTC), datetime(2025, 4, 30, 21, tzinfo=UTC)  # Feb–Apr in Vilnius

    rows = revenue_by_month(Order.objects.all(), start, end)

    assert rows == [
        MonthRevenue(date(2025, 2, 1), "EUR", Decimal("30.00")),
        MonthRevenue(date(2025, 3, 1), "USD", Decimal("12.00")),
        MonthRevenue(date(2025, 4, 1), "EUR", Decimal("40.00")),
    ]


def test_revenue_by_month_of_an_empty_period_is_empty(org):
    assert revenue_by_month(Order.objects.all(), START, END) == []


# --- The dashboard: a small world of two teams ----------------------------------------------------
#
# March 2025 in the company's calendar (Vilnius), compared with the 31 days before it (29 January –
# 28 February). NOW is after March: every snapshot ("at") is taken at the period's end.

MARCH = Period(date(2025, 3, 1), date(2025, 3, 31))
NOW = utc(4, 10, 12)


def client(manager, *, tier=Tier.STANDARD, status=Status.ACTIVE, churned_on=None, row=None) -> Client:
    """A client added long ago (the given row, made so, or a new one)."""
    row = row or ClientFactory(account_manager=manager)
    Client.objects.filter(pk=row.pk).update(
        created_at=LONG_AGO, tier=tier, status=status, churned_on=churned_on, account_manager=manager
    )
    row.refresh_from_db()
    return row


def contact(client_row, occurred_at, by, *, status=InteractionStatus.COMPLETED):
    return InteractionFactory(client=client_row, occurred_at=occurred_at, logged_by=by, status=status)


def follow_up(client_row, assignee, *, due_at, completed_at=None, created_at=LONG_AGO):
    status = FollowUpStatus.DONE if completed_at else FollowUpStatus.OPEN
    row = FollowUpFactory(client=client_row, assignee=assignee, due_at=due_at, status=status, completed_at=completed_at)
    FollowUp.objects.filter(pk=row.pk).update(created_at=created_at)
    return row


def survey(client_row, kind, sent_at, *, status=SurveyStatus.SENT) -> SurveyRequest:
    return SurveyRequest.objects.create(
        status=status,
        contact=ContactFactory(client=client_row),
        client=client_row,
        template=SurveyTemplate.objects.get(name=kind.upper()),
        kind=kind,
        trigger=TriggerKind.MANUAL,
        source_key=f"overview:{next(_numbers)}",
        language="en",
        scheduled_at=sent_at,
        next_attempt_at=sent_at,
        sent_at=sent_at,
    )


def answer(client_row, kind, score, at) -> SurveyResponse:
    """An answered survey, sent an hour before."""
    request = survey(client_row, kind, at - timedelta(hours=1), status=SurveyStatus.ANSWERED)
    SurveyRequest.objects.filter(pk=request.pk).update(answered_at=at)
    return SurveyResponse.objects.create(request=request, client=client_row, kind=kind, score=score, answered_at=at)


@dataclass
class World:
    m1: Client
    m2: Client
    t1: Client
    t2: Client
    t3: Client
    o1: Client
    o2: Client


@pytest.fixture
def world(org) -> World:
    """North: Mantas (m1 standard, m2 VIP) and Tomas (t1 key; t2, t3 standard, churned in March and February);
    South: Olga (o1; o2 churned in March). Lina leads North. Every row's date is chosen against MARCH."""
    m, t, o = org.manager, org.teammate, org.outsider
    w = World(
        m1=client(m, row=org.client),
        m2=client(m, tier=Tier.VIP),
        t1=client(t, tier=Tier.KEY, row=org.team_client),
        t2=client(t, status=Status.CHURNED, churned_on=date(2025, 3, 20)),
        t3=client(t, status=Status.CHURNED, churned_on=date(2025, 2, 10)),
        o1=client(o, row=org.foreign_client),
        o2=client(o, status=Status.CHURNED, churned_on=date(2025, 3, 5)),
    )
    # Interactions: March I1 m1 10 Mar, I2 m2 25 Mar, I3 t1 10 Mar; February I5 m1 10 Feb, I7 m2 5 Feb.
    contact(w.m1, utc(3, 10), m)
    contact(w.m2, utc(3, 25), m)
    contact(w.t1, utc(3, 10), t)
    contact(w.t1, utc(3, 20), t, status=InteractionStatus.SCHEDULED)  # planned: not logged work, not a contact
    contact(w.m1, utc(2, 10), m)
    contact(w.m2, utc(2, 5), m)
    contact(w.o1, utc(3, 10), o)  # South
    # Follow-ups: F1 Mantas due 20 Mar open; F2 Tomas due 20 Feb done 5 Mar; F3 Mantas done 27 Mar;
    # F4 Tomas due 5 Apr open; F5 Mantas due 1 Feb done 15 Feb; F6 Olga overdue (South).
    follow_up(w.m1, m, due_at=utc(3, 20))
    follow_up(w.t1, t, due_at=utc(2, 20), completed_at=utc(3, 5))
    follow_up(w.m2, m, due_at=utc(3, 28), completed_at=utc(3, 27))
    follow_up(w.t1, t, due_at=utc(4, 5))
    follow_up(w.m1, m, due_at=utc(2, 1), completed_at=utc(2, 15))
    follow_up(w.o1, o, due_at=utc(3, 1))
    # Complaints (owner = the client's manager):
    complaint(  # K1: March, answered in 60 business minutes, resolved in 48 h
        w.m1,
        received_at=utc(3, 3, 8),
        first_response_at=utc(3, 3, 9),
        first_response_business_minutes=60,
        resolved_at=utc(3, 5, 8),
        resolution_seconds=48 * 3600,
    )
    complaint(  # K2: March, unanswered past its first-response due time: open and breached
        w.t1, received_at=utc(3, 20, 8), status=ComplaintStatus.NEW, first_response_due_at=utc(3, 20, 12)
    )
    complaint(  # K3: February, answered in 30 min, resolved 10 March in 28 h: open at 1 March
        w.m2,
        received_at=utc(2, 20, 8),
        first_response_at=utc(2, 20, 8, 30),
        first_response_business_minutes=30,
        resolved_at=utc(3, 10),
        resolution_seconds=28 * 3600,
    )
    complaint(  # K4: February, 90 min, resolved in 48 h after breaching its resolution due time
        w.m1,
        received_at=utc(2, 12, 8),
        first_response_at=utc(2, 12, 9, 30),
        first_response_business_minutes=90,
        resolved_at=utc(2, 14, 8),
        resolution_seconds=48 * 3600,
        resolution_breached_at=utc(2, 13, 8),
    )
    complaint(  # K6: February, 20 min, resolved in 24 h
        w.t1,
        received_at=utc(2, 25, 8),
        first_response_at=utc(2, 25, 8, 20),
        first_response_business_minutes=20,
        resolved_at=utc(2, 26, 8),
        resolution_seconds=24 * 3600,
    )
    complaint(w.o1, received_at=utc(3, 12, 8), first_response_due_at=utc(3, 12, 12))  # South, breached
    # Orders: O1 m1 €100 on time, O2 m2 €300 a day late, O3 t1 $50 on time (placed in February),
    # O4 m1 confirmed, O5 cancelled, O6 draft, O7 m1 €120 delivered in February, O8 South.
    delivered(w.m1, utc(3, 12), "100.00", promised_on=date(2025, 3, 12), created_at=utc(3, 2))
    delivered(w.m2, utc(3, 15), "300.00", promised_on=date(2025, 3, 14), created_at=utc(3, 3))
    delivered(w.t1, utc(3, 20), "50.00", currency="USD", promised_on=date(2025, 3, 25), created_at=utc(2, 20))
    order(w.m1, OrderStatus.CONFIRMED, utc(3, 25), total="80.00")
    order(w.m1, OrderStatus.CANCELLED, utc(3, 26), total="80.00")
    order(w.t1, OrderStatus.DRAFT, utc(3, 27), total="80.00")
    delivered(w.m1, utc(2, 15), "120.00", promised_on=date(2025, 2, 20), created_at=utc(2, 1))
    delivered(w.o1, utc(3, 15), "999.00", created_at=utc(3, 1))
    # Survey answers: March NPS 10 (m1), 5 (m2), 9 (t1); CSAT 5 (t1), 2 (m1); February NPS 7 (m1);
    # a March survey to m2 never answered; a South detractor.
    answer(w.m1, SurveyKind.NPS, 10, utc(3, 10))
    answer(w.m2, SurveyKind.NPS, 5, utc(3, 10))
    answer(w.t1, SurveyKind.NPS, 9, utc(3, 10))
    answer(w.t1, SurveyKind.CSAT, 5, utc(3, 10))
    answer(w.m1, SurveyKind.CSAT, 2, utc(3, 10))
    answer(w.m1, SurveyKind.NPS, 7, utc(2, 10))
    survey(w.m2, SurveyKind.NPS, utc(3, 10))
    answer(w.o1, SurveyKind.NPS, 0, utc(3, 10))
    return w


def tiles(dashboard) -> dict[str, tuple[str, str, str, str]]:
    return {kpi.key: (kpi.value, kpi.previous, kpi.change, kpi.trend) for kpi in dashboard.kpis}


def kpi(dashboard, key):
    return next(item for item in dashboard.kpis if item.key == key)


# The North team in March against February, every figure computed by hand from the world above:
NORTH = {
    # CSAT: March 5 and 2 → 1 of 2 = 50 %; February no CSAT answer
    "csat": ("50.0 %", "—", "", ""),
    # NPS: March 10, 5, 9 → (2 promoters − 1 detractor) / 3 = 33.3; February one passive → 0
    "nps": ("33.3", "0.0", "+33.3 pts", "better"),
    # sent in March: 5 answered + 1 unanswered → 5 / 6; February 1 / 1
    "response_rate": ("83.3 %", "100.0 %", "−16.7 pp", "worse"),
    # first answered in March: K1 60 min; February K3 30, K4 90, K6 20 → median 30
    "first_response": ("1 h 00 min", "30 min", "+30 min", "worse"),
    # resolved in March: K1 48 h, K3 28 h → 38 h; February K4 48 h, K6 24 h → 36 h
    "resolution": ("38.0 h", "36.0 h", "+2.0 h", "worse"),
    # received in March K1 (kept), K2 (breached) → 50 %; February K3, K6 kept, K4 breached → 66.7 %
    "sla": ("50.0 %", "66.7 %", "−16.7 pp", "worse"),
    # open at 1 April 00:00: K2; at 1 March 00:00: K3 (resolved 10 March)
    "open_complaints": ("1", "1", "0", "same"),
    # K2's first-response due time passed on 20 March; K3 never breached
    "breached_complaints": ("1", "0", "+1", "worse"),
    # completed in March I1, I2, I3 (the scheduled one not); February I5, I7
    "interactions": ("3", "2", "+1", "better"),
    # at the end: F1 (due 20 March, open); at 1 March: F2 (due 20 February, done only on 5 March)
    "overdue_follow_ups": ("1", "1", "0", "same"),
    # at the end every North client had a contact within its cadence; at 1 March m2 (VIP, last contact
    # 5 Feb > 14 days) and t1 (key, never contacted before March, added long ago)
    "going_cold": ("0", "2", "−2", "better"),
    # placed in March O1, O2, O4 (cancelled and draft not); February O3, O7
    "orders": ("3", "2", "+1", "better"),
    # delivered in March €100 + €300 (and $50 apart); February €120
    "revenue": ("€400.00", "€120.00", "+€280.00", "better"),
    # €400 from 2 clients = €200; February €120 from 1
    "revenue_per_client": ("€200.00", "€120.00", "+€80.00", "better"),
    # delivered in March: O1 on time, O2 late, O3 on time → 2 / 3; February O7 on time
    "on_time": ("66.7 %", "100.0 %", "−33.3 pp", "worse"),
    # at the end m1, m2, t1; at 1 March also t2 (churned 20 March)
    "active_clients": ("3", "4", "−1", "worse"),
    # March: t2 churned of m1, m2, t1, t2 → 25 %; February: t3 of those four and t3 → 1 / 5 = 20 %
    "churn_rate": ("25.0 %", "20.0 %", "+5.0 pp", "worse"),
    # no client of the world is at risk (tests/dashboards/test_health_metrics.py has the figures)
    "at_risk_revenue": ("—", "—", "", ""),
}


def test_the_north_teams_tiles_against_the_previous_period(org, world):
    dashboard = get_dashboard(org.admin, scope=Scope(team=org.north), period=MARCH, now=NOW)

    assert dashboard.previous == Period(date(2025, 1, 29), date(2025, 2, 28))
    assert tiles(dashboard) == NORTH


def test_tiles_carry_their_numbers_thin_flags_and_the_other_currencies(org, world):
    dashboard = get_dashboard(org.admin, scope=Scope(team=org.north), period=MARCH, now=NOW)

    numbers = {item.key: (item.number, item.previous_number) for item in dashboard.kpis}
    assert numbers["churn_rate"] == (Decimal("25.0"), Decimal("20.0"))
    assert numbers["active_clients"] == (3, 4)
    assert numbers["open_complaints"] == (1, 1)
    assert numbers["revenue"] == (Decimal("400.00"), Decimal("120.00"))
    assert numbers["revenue_per_client"] == (Decimal("200.00"), Decimal("120.00"))
    assert numbers["csat"] == (Decimal("50.0"), None)
    assert (kpi(dashboard, "revenue").note, kpi(dashboard, "revenue_per_client").note) == ("Also $50.00", "Also $50.00")
    assert kpi(dashboard, "orders").note == ""
    # thin: fewer than 10 answers (or surveys sent) behind the figure; no value is not thin
    thin = {item.key: (item.thin, item.previous_thin) for item in dashboard.kpis if item.thin or item.previous_thin}
    assert thin == {"csat": (True, False), "nps": (True, True), "response_rate": (True, True)}


def test_the_lead_sees_the_same_north_tiles_and_nothing_of_south(org, world):
    # South people's work on North clients counts for South (who is responsible decides the team):
    contact(world.m1, utc(3, 12), org.outsider)
    follow_up(world.m1, org.outsider, due_at=utc(3, 2))
    complaint(world.m1, owner=org.outsider, received_at=utc(3, 12, 8), first_response_due_at=utc(3, 12, 9))

    dashboard = get_dashboard(org.lead, scope=Scope(team=org.north), period=MARCH, now=NOW)

    assert tiles(dashboard) == NORTH
    assert [row.person for row in dashboard.managers] == [org.lead, org.manager, org.teammate]


def test_a_lead_may_not_open_another_teams_dashboard(org, world, as_user):
    response = as_user(org.lead).get(reverse("dashboards:overview"), {"team": org.south.pk})

    assert response.status_code == 404


def test_a_manager_may_not_open_the_dashboard(org, as_user):
    assert as_user(org.manager).get(reverse("dashboards:overview")).status_code == 403


def test_the_south_lead_counts_only_souths_records(org, world):
    dashboard = get_dashboard(org.other_lead, scope=Scope(team=org.south), period=MARCH, now=NOW)

    values = {item.key: item.value for item in dashboard.kpis}
    # o1 active; o2 churned 5 March of o1, o2 → 50 %; I6; F6 overdue; the South complaint open and
    # breached; O8 €999 from o1; one NPS 0 → −100
    expected = {
        "active_clients": "1",
        "churn_rate": "50.0 %",
        "interactions": "1",
        "overdue_follow_ups": "1",
        "open_complaints": "1",
        "breached_complaints": "1",
        "orders": "1",
        "revenue": "€999.00",
        "revenue_per_client": "€999.00",
        "nps": "−100.0",
        "csat": "—",
    }
    assert {key: values[key] for key in expected} == expected
    assert kpi(dashboard, "revenue").note == ""


def test_one_managers_tiles(org, world):
    dashboard = get_dashboard(org.lead, scope=Scope(team=org.north, manager=org.manager), period=MARCH, now=NOW)

    got = tiles(dashboard)
    assert {key: got[key] for key in MANTAS} == MANTAS


MANTAS = {
    # m1, m2 at both ends; no churn of 2 in either period
    "active_clients": ("2", "2", "0", "same"),
    "churn_rate": ("0.0 %", "0.0 %", "0.0 pp", "same"),
    # March I1, I2; February I5, I7
    "interactions": ("2", "2", "0", "same"),
    # F1 overdue at the end; F5 was done 15 February, before 1 March
    "overdue_follow_ups": ("1", "0", "+1", "worse"),
    # m2 cold at 1 March
    "going_cold": ("0", "1", "−1", "better"),
    # K3 open at 1 March, none at the end; SLA: K1 kept of 1; February K3 kept, K4 breached
    "open_complaints": ("0", "1", "−1", "better"),
    "breached_complaints": ("0", "0", "0", "same"),
    "sla": ("100.0 %", "50.0 %", "+50.0 pp", "better"),
    # K1 60 min; February K3 30, K4 90 → 60
    "first_response": ("1 h 00 min", "1 h 00 min", "0 min", "same"),
    # O1, O2, O4; February O7
    "orders": ("3", "1", "+2", "better"),
    "revenue": ("€400.00", "€120.00", "+€280.00", "better"),
    "revenue_per_client": ("€200.00", "€120.00", "+€80.00", "better"),
    # O1 on time, O2 late
    "on_time": ("50.0 %", "100.0 %", "−50.0 pp", "worse"),
    # NPS 10 and 5 → 0; February 7 → 0; CSAT 2 → 0 %
    "nps": ("0.0", "0.0", "0.0 pts", "same"),
    "csat": ("0.0 %", "—", "", ""),
}


def test_one_tiers_tiles_over_every_team(org, world):
    dashboard = get_dashboard(org.admin, scope=Scope(tier=Tier.VIP), period=MARCH, now=NOW)

    values = {item.key: (item.value, item.previous) for item in dashboard.kpis}
    # m2 only: active throughout; I2 (March), I7 (February); cold at 1 March; O2 €300 in March;
    # K3 open at 1 March; NPS 5 → −100; no answer in February
    assert {key: values[key] for key in VIP} == VIP
    assert kpi(dashboard, "revenue").note == ""


VIP = {
    "active_clients": ("1", "1"),
    "churn_rate": ("0.0 %", "0.0 %"),
    "interactions": ("1", "1"),
    "going_cold": ("0", "1"),
    "orders": ("1", "0"),
    "revenue": ("€300.00", "—"),
    "revenue_per_client": ("€300.00", "—"),
    "open_complaints": ("0", "1"),
    "nps": ("−100.0", "—"),
}


def test_a_team_and_a_tier_with_revenue_only_in_another_currency(org, world):
    dashboard = get_dashboard(org.lead, scope=Scope(team=org.north, tier=Tier.KEY), period=MARCH, now=NOW)

    got = tiles(dashboard)
    # t1 only: I3; K2 open and breached; no order placed in March, O3 in February; $50 delivered
    assert {key: got[key] for key in ("active_clients", "interactions", "open_complaints", "orders")} == {
        "active_clients": ("1", "1", "0", "same"),
        "interactions": ("1", "0", "+1", "better"),
        "open_complaints": ("1", "0", "+1", "worse"),
        "orders": ("0", "1", "−1", "worse"),
    }
    assert got["revenue"] == got["revenue_per_client"] == ("—", "—", "", "")
    assert kpi(dashboard, "revenue").note == kpi(dashboard, "revenue_per_client").note == "Also $50.00"
    assert kpi(dashboard, "revenue").number is None


def test_a_team_a_manager_and_a_tier_together(org, world):
    scope = Scope(team=org.north, manager=org.teammate, tier=Tier.STANDARD)

    dashboard = get_dashboard(org.lead, scope=scope, period=MARCH, now=NOW)

    got = tiles(dashboard)
    # Tomas's standard clients t2 (churned 20 March) and t3 (churned 10 February):
    # March 1 of 1 → 100 %, none active at the end; February 1 (t3) of 2 → 50 %, t2 active at 1 March
    assert got["churn_rate"] == ("100.0 %", "50.0 %", "+50.0 pp", "worse")
    assert got["active_clients"] == ("0", "1", "−1", "worse")
    assert got["interactions"] == ("0", "0", "0", "same")


def test_the_default_currency_comes_from_the_settings(org, world, settings):
    settings.DEFAULT_CURRENCY = "USD"

    dashboard = get_dashboard(org.admin, scope=Scope(team=org.north), period=MARCH, now=NOW)

    assert tiles(dashboard)["revenue"] == ("$50.00", "—", "", "")
    assert kpi(dashboard, "revenue").note == "Also €400.00"
    assert kpi(dashboard, "revenue_per_client").note == "Also €200.00"


def test_an_empty_scope_shows_no_value_for_ratios_and_zero_for_counts(org):
    dashboard = get_dashboard(org.admin, scope=Scope(team=org.north), period=MARCH, now=NOW)

    counts = {"open_complaints", "breached_complaints", "interactions", "overdue_follow_ups", "going_cold"}
    counts |= {"orders", "active_clients"}
    assert {key: value for key, value in tiles(dashboard).items() if key in counts} == dict.fromkeys(
        counts, ("0", "0", "0", "same")
    )
    ratios = ("csat", "nps", "response_rate", "first_response", "resolution", "sla", "on_time", "churn_rate")
    ratios += ("revenue", "revenue_per_client", "at_risk_revenue")
    no_value = dict.fromkeys(ratios, ("—", "—", "", ""))
    assert {key: value for key, value in tiles(dashboard).items() if key not in counts} == no_value
    assert all(item.number is None for item in dashboard.kpis if item.key not in counts)


def test_snapshots_of_a_period_ending_today_are_taken_now(org):
    today = Period(date(2025, 3, 1), date(2025, 3, 20))
    now = utc(3, 20, 12)  # 14:00 in Vilnius; the period ends at midnight
    m1 = client(org.manager, row=org.client)
    follow_up(m1, org.manager, due_at=utc(3, 20, 15), created_at=utc(3, 19))  # due later today
    follow_up(m1, org.manager, due_at=utc(3, 20, 9), created_at=utc(3, 19))  # due this morning
    complaint(m1, received_at=utc(3, 20, 8), first_response_due_at=utc(3, 20, 14))  # not due yet

    dashboard = get_dashboard(org.admin, scope=Scope(team=org.north), period=today, now=now)

    got = {item.key: item.value for item in dashboard.kpis}
    # at midnight the first follow-up and the complaint would be overdue and breached too
    assert (got["overdue_follow_ups"], got["open_complaints"], got["breached_complaints"]) == ("1", "1", "0")
    assert dashboard.previous == Period(date(2025, 2, 9), date(2025, 2, 28))
    with frozen(now):  # without `now`, the dashboard reads the clock
        assert {item.key: item.value for item in get_dashboard(org.admin, scope=Scope(), period=today).kpis} == got


# --- The per-manager table ------------------------------------------------------------------------


def row_figures(row) -> tuple:
    return (
        row.person.full_name,
        row.clients,
        row.interactions,
        row.follow_ups_done,
        row.follow_ups_overdue,
        row.open_complaints,
        row.sla,
        row.csat,
        row.nps,
        row.revenue,
        row.revenue_note,
    )


NONE = Score(None, 0)


def test_the_per_manager_table_lists_each_team_member_with_their_figures(org, world):
    dashboard = get_dashboard(org.admin, scope=Scope(team=org.north), period=MARCH, now=NOW)

    assert [row_figures(row) for row in dashboard.managers] == [
        # the lead has no figures of their own
        ("Lina Lead", 0, 0, 0, 0, 0, None, NONE, NONE, None, ""),
        # m1, m2; I1, I2; F3 done, F1 overdue; K1 kept; CSAT 2; NPS 10 and 5; €100 + €300
        ("Mantas Owner", 2, 2, 1, 1, 0, Decimal("100.0"), Score(Decimal("0.0"), 1), Score(Decimal("0.0"), 2),
         Decimal("400.00"), ""),
        # t1; I3; F2 done 5 March; K2 open and breached; CSAT 5; NPS 9; only $50
        ("Tomas Teammate", 1, 1, 1, 0, 1, Decimal("0.0"), Score(Decimal("100.0"), 1), Score(Decimal("100.0"), 1),
         None, "Also $50.00"),
    ]  # fmt: skip


def test_the_table_of_one_manager_has_their_row_only(org, world):
    dashboard = get_dashboard(org.lead, scope=Scope(team=org.north, manager=org.teammate), period=MARCH, now=NOW)

    assert [(row.person, row.clients, row.open_complaints) for row in dashboard.managers] == [(org.teammate, 1, 1)]


def test_the_table_sorts_by_a_column_people_without_a_value_last(org, world):
    dashboard = get_dashboard(org.admin, scope=Scope(team=org.north), period=MARCH, now=NOW, sort="-revenue")

    assert [row.person for row in dashboard.managers] == [org.manager, org.lead, org.teammate]


def test_a_member_who_moved_team_takes_their_figures_to_the_new_team(org, world):
    org.teammate.team = org.south
    org.teammate.save()

    north = get_dashboard(org.admin, scope=Scope(team=org.north), period=MARCH, now=NOW)
    south = get_dashboard(org.admin, scope=Scope(team=org.south), period=MARCH, now=NOW)

    # The responsible person's current team decides: Tomas's clients, work and complaints are South's now.
    assert [row.person.full_name for row in north.managers] == ["Lina Lead", "Mantas Owner"]
    assert kpi(north, "interactions").value == "2"  # I1, I2
    assert [row_figures(row)[:6] for row in south.managers] == [
        ("Olga Outsider", 1, 1, 0, 1, 1),
        ("Sergej South-Lead", 0, 0, 0, 0, 0),
        ("Tomas Teammate", 1, 1, 1, 0, 1),
    ]


def test_a_deactivated_member_with_figures_stays_listed_and_one_without_does_not(org, world):
    org.teammate.is_active = False
    org.teammate.save()
    ManagerFactory(full_name="Ina Inactive", team=org.north, is_active=False)

    dashboard = get_dashboard(org.admin, scope=Scope(team=org.north), period=MARCH, now=NOW)

    assert [(row.person.full_name, row.clients, row.interactions) for row in dashboard.managers] == [
        ("Lina Lead", 0, 0),
        ("Mantas Owner", 2, 2),
        ("Tomas Teammate", 1, 1),
    ]


def test_someone_outside_the_managers_with_figures_is_listed_over_every_team(org, world):
    contact(world.m1, utc(3, 11), org.admin)  # an admin logged a call

    dashboard = get_dashboard(org.admin, scope=Scope(), period=MARCH, now=NOW)

    listed = {row.person.full_name: row.interactions for row in dashboard.managers}
    # every active manager and lead, and the admin for the one call
    assert listed == {
        "Ada Admin": 1,
        "Lina Lead": 0,
        "Mantas Owner": 2,
        "Olga Outsider": 1,
        "Sergej South-Lead": 0,
        "Tomas Teammate": 1,
    }


# --- Charts -------------------------------------------------------------------------------------


def test_the_weeks_chart_covers_twelve_company_weeks_ending_with_the_periods_last(org, world):
    dashboard = get_dashboard(org.admin, scope=Scope(team=org.north), period=MARCH, now=NOW)

    chart = dashboard.weeks_chart
    # Mondays 13 January … 31 March; I7 (5 Feb) week 4, I5 (10 Feb) week 5, I1 and I3 (10 Mar) week 9,
    # I2 (25 Mar) week 11
    assert (len(chart["labels"]), chart["labels"][0], chart["labels"][-1]) == (12, "13 Jan", "31 Mar")
    assert chart["datasets"] == [
        {"label": "Mantas Owner", "data": [0, 0, 0, 1, 1, 0, 0, 0, 1, 0, 1, 0]},
        {"label": "Tomas Teammate", "data": [0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0]},
    ]


def test_the_weeks_chart_keeps_twelve_weeks_for_a_viewer_west_of_the_company(org, world):
    # Sunday 30 March ends at midnight in London, already Monday 31 March 02:00 in Vilnius: the company's
    # next week must not become a 13th column holding two hours.
    with timezone.override("Europe/London"):
        dashboard = get_dashboard(org.admin, scope=Scope(team=org.north), period=ENDS_ON_SUNDAY, now=NOW)

    labels = dashboard.weeks_chart["labels"]
    assert (len(labels), labels[0], labels[-1]) == (12, "6 Jan", "24 Mar")
    # I1 (Mantas) and I3 (Tomas) on 10 March, the tenth week
    assert [dataset["data"][9] for dataset in dashboard.weeks_chart["datasets"]] == [1, 1]


ENDS_ON_SUNDAY = Period(date(2025, 3, 1), date(2025, 3, 30))


def test_the_revenue_chart_covers_twelve_company_months_default_currency_first(org, world):
    dashboard = get_dashboard(org.admin, scope=Scope(team=org.north), period=MARCH, now=NOW)

    chart = dashboard.revenue_chart
    assert (len(chart["labels"]), chart["labels"][0], chart["labels"][-1]) == (12, "April 2024", "March 2025")
    assert chart["datasets"] == [
        {"label": "EUR", "currency": "EUR", "data": [0] * 10 + [120.0, 400.0]},
        {"label": "USD", "currency": "USD", "data": [0] * 11 + [50.0]},
    ]


# --- Queries ------------------------------------------------------------------------------------


def test_the_dashboard_takes_as_many_queries_whatever_the_data(org, world):
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            get_dashboard(org.admin, scope=Scope(team=org.north), period=MARCH, now=NOW)
        return len(captured)

    small = queries()
    for day in range(1, 20):
        extra = client(org.manager)
        contact(extra, utc(3, day), org.manager)
        follow_up(extra, org.teammate, due_at=utc(3, day))
        complaint(extra, received_at=utc(3, day), resolved_at=utc(3, day, 12), resolution_seconds=7200)
        delivered(extra, utc(3, day), "10.00", currency="GBP" if day % 2 else "EUR")
        answer(extra, SurveyKind.CSAT, 4, utc(3, day))

    assert queries() == small
