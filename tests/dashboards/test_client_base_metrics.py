"""Client-base metrics against small hand-computed fixtures: active clients, churn rate, clients going cold."""

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest

from clients.models import Client, Status, Tier
from dashboards.metrics import active_clients, churn_rate, client_base_terms, going_cold_counts
from dashboards.selectors import Period
from interactions.models import ContactCadence, InteractionStatus
from interactions.selectors import clients_going_cold
from tests.factories.clients import ClientFactory
from tests.factories.interactions import InteractionFactory

# March 2025 in the company's calendar (Europe/Vilnius, UTC+2 until the clock change on the 30th).
MARCH = Period(date(2025, 3, 1), date(2025, 3, 31))
APRIL = Period(date(2025, 4, 1), date(2025, 4, 30))
START = datetime(2025, 2, 28, 22, tzinfo=UTC)  # 1 March 00:00 in Vilnius
END = datetime(2025, 3, 31, 21, tzinfo=UTC)  # 1 April 00:00 in Vilnius (UTC+3 by then)
LONG_AGO = datetime(2024, 6, 1, 10, tzinfo=UTC)
TICK = timedelta(microseconds=1)


@pytest.fixture(autouse=True)
def _company_zone(settings):
    settings.TIME_ZONE = "Europe/Vilnius"


def test_the_periods_instants_are_midnights_in_the_company_zone():
    assert (MARCH.start, MARCH.end) == (START, END)


def client(status=Status.ACTIVE, *, added=LONG_AGO, churned_on=None, tier=Tier.STANDARD, manager=None) -> Client:
    """A bare client row with exactly these facts (created_at set after the insert: auto_now_add ignores it)."""
    row = ClientFactory(status=status, churned_on=churned_on, tier=tier, account_manager=manager)
    Client.objects.filter(pk=row.pk).update(created_at=added)
    return row


ALL = Client.objects.all


# --- Active clients -----------------------------------------------------------------------------


def test_active_clients_are_those_added_before_the_end_and_active_now_or_churned_after_the_last_day(db):
    client()  # active since long ago: counts
    client(added=END - TICK)  # added in the last instant of the period: counts
    client(added=END)  # added at the next period's first instant
    client(Status.CHURNED, churned_on=date(2025, 4, 1))  # churned the day after the last day: still active at the end
    client(Status.CHURNED, churned_on=date(2025, 3, 31))  # churned on the last day: gone by the end
    client(Status.INACTIVE)  # status history is not replayed: inactive now is inactive throughout
    client(Status.PROSPECT)

    # 1 + 1 + 1 (churned 1 April) = 3
    assert active_clients(ALL(), MARCH.end, MARCH.last_day) == 3


def test_active_clients_of_an_empty_base_is_zero_not_none(db):
    client(Status.PROSPECT)

    assert active_clients(ALL(), MARCH.end, MARCH.last_day) == 0


def test_active_clients_counts_only_the_clients_given(org):
    client(manager=org.manager)
    client(manager=org.outsider)

    assert active_clients(ALL().filter(account_manager=org.manager), MARCH.end, MARCH.last_day) == 1


# --- Churn rate ---------------------------------------------------------------------------------


def test_churn_rate_divides_the_periods_churns_by_the_clients_active_at_its_start(db):
    for _ in range(3):
        client()  # active at the start, still active
    client(Status.CHURNED, churned_on=date(2025, 3, 1))  # churned on the first day: in the base and churned
    client(Status.CHURNED, churned_on=date(2025, 3, 31))  # churned on the last day: in the base and churned
    client(Status.CHURNED, churned_on=date(2025, 4, 1))  # in the base; churned in the next period
    client(Status.CHURNED, churned_on=date(2025, 2, 28))  # churned before the period: in neither
    client(added=START)  # added at the first instant: not yet in the base at the start
    client(Status.INACTIVE)
    client(Status.PROSPECT)

    # active at the start: 3 + 1 March + 31 March + 1 April = 6; churned in March: 2 → 2 / 6 = 33.3 %
    assert churn_rate(ALL(), MARCH.start, MARCH.first_day, MARCH.last_day) == Decimal("33.3")


def test_a_client_added_and_churned_in_the_period_counts_as_a_churn_but_not_in_the_base(db):
    client()
    client()
    client(Status.CHURNED, churned_on=date(2025, 3, 5))  # in the base, churned
    client(Status.CHURNED, added=datetime(2025, 3, 2, 9, tzinfo=UTC), churned_on=date(2025, 3, 20))

    # DESIGN: churn rate counts the status changes to churned in the period → 2 / 3 = 66.7 %
    assert churn_rate(ALL(), MARCH.start, MARCH.first_day, MARCH.last_day) == Decimal("66.7")


def test_a_churn_on_the_last_day_belongs_to_that_period_and_not_to_the_next(db):
    client()
    client(Status.CHURNED, churned_on=date(2025, 3, 31))

    # March: 1 churn of 2 active at the start = 50 %; April: 0 of the 1 left = 0 %
    assert churn_rate(ALL(), MARCH.start, MARCH.first_day, MARCH.last_day) == Decimal("50.0")
    assert churn_rate(ALL(), APRIL.start, APRIL.first_day, APRIL.last_day) == Decimal("0.0")


def test_a_churn_on_the_first_day_counts_in_that_period_and_the_client_in_its_base(db):
    client(Status.CHURNED, churned_on=date(2025, 4, 1))

    # 1 churned of 1 active at 1 April 00:00 = 100 %; in March it was active all along and did not churn
    assert churn_rate(ALL(), APRIL.start, APRIL.first_day, APRIL.last_day) == Decimal("100.0")
    assert churn_rate(ALL(), MARCH.start, MARCH.first_day, MARCH.last_day) == Decimal("0.0")


def test_churn_rate_without_clients_active_at_the_start_has_no_value(db):
    client(Status.CHURNED, added=datetime(2025, 3, 2, 9, tzinfo=UTC), churned_on=date(2025, 3, 20))
    client(Status.PROSPECT)

    # 1 churn / 0 active: no value, not an error and not 0
    assert churn_rate(ALL(), MARCH.start, MARCH.first_day, MARCH.last_day) is None


def test_churn_rate_of_an_empty_base_has_no_value(db):
    assert churn_rate(ALL(), MARCH.start, MARCH.first_day, MARCH.last_day) is None


def test_churn_rate_over_a_tier_and_a_manager(org):
    client(tier=Tier.VIP, manager=org.manager)
    client(Status.CHURNED, tier=Tier.VIP, manager=org.manager, churned_on=date(2025, 3, 10))
    client(Status.CHURNED, tier=Tier.STANDARD, manager=org.manager, churned_on=date(2025, 3, 10))
    client(tier=Tier.VIP, manager=org.teammate)

    own = ALL().filter(account_manager=org.manager)

    # Mantas's VIPs: 1 churn of 2 = 50 %; all of Mantas's: 2 of 3 = 66.7 %; every VIP: 1 of 3 = 33.3 %
    assert churn_rate(own.filter(tier=Tier.VIP), MARCH.start, MARCH.first_day, MARCH.last_day) == Decimal("50.0")
    assert churn_rate(own, MARCH.start, MARCH.first_day, MARCH.last_day) == Decimal("66.7")
    assert churn_rate(ALL().filter(tier=Tier.VIP), MARCH.start, MARCH.first_day, MARCH.last_day) == Decimal("33.3")


def test_client_base_terms_count_what_the_two_functions_divide(db):
    client()
    client(Status.CHURNED, churned_on=date(2025, 3, 1))
    client(Status.CHURNED, churned_on=date(2025, 4, 1))
    client(added=datetime(2025, 3, 15, tzinfo=UTC))

    figures = ALL().aggregate(**client_base_terms(MARCH.start, MARCH.end, MARCH.first_day, MARCH.last_day, prefix="m_"))

    # at the start: the first three; at the end: long-standing, churned 1 April, added 15 March; churned: 1 March
    assert figures == {"m_active_start": 3, "m_active_end": 3, "m_churned": 1}
    assert active_clients(ALL(), MARCH.end, MARCH.last_day) == figures["m_active_end"]
    assert churn_rate(ALL(), MARCH.start, MARCH.first_day, MARCH.last_day) == Decimal("33.3")  # 1 / 3


# --- Going cold ---------------------------------------------------------------------------------

AT = datetime(2025, 4, 1, tzinfo=UTC)
EARLIER = datetime(2025, 3, 1, tzinfo=UTC)


def contact(client_row, occurred_at, *, status=InteractionStatus.COMPLETED, by):
    return InteractionFactory(client=client_row, occurred_at=occurred_at, status=status, logged_by=by)


def utc(month, day, hour=10):
    return datetime(2025, month, day, hour, tzinfo=UTC)


def test_going_cold_is_counted_at_each_instant_from_the_contacts_before_it(org):
    me = org.manager
    # Default cadences: VIP 14 days, key 30, standard 90.
    fresh = client(tier=Tier.VIP, manager=me)
    contact(fresh, utc(2, 25), by=me)
    contact(fresh, utc(3, 25), by=me)  # at AT 7 days ago, at EARLIER 4 days ago: warm at both
    stale = client(tier=Tier.VIP, manager=me)
    contact(stale, utc(2, 10), by=me)  # 19 days before EARLIER, 50 before AT: cold at both
    key = client(tier=Tier.KEY, manager=me)
    contact(key, utc(2, 20), by=me)  # 9 days before EARLIER (warm), 40 before AT (cold)
    contact(key, utc(3, 31), status=InteractionStatus.SCHEDULED, by=me)  # planned, not a contact
    client(manager=me)  # standard, never contacted, added long ago: cold at both
    client(manager=me, added=utc(2, 15))  # standard, never contacted, added 45 days before AT: warm
    client(Status.CHURNED, tier=Tier.VIP, churned_on=date(2025, 3, 5), manager=me)  # churned: never cold
    prospect = client(Status.PROSPECT, tier=Tier.KEY, manager=me)
    contact(prospect, utc(2, 25), by=me)  # 4 days before EARLIER (warm), 35 days before AT (cold)
    contact(prospect, AT, by=me)  # at the instant itself: not before it
    edge = client(tier=Tier.VIP, manager=me)
    contact(edge, utc(2, 20), by=me)  # 9 days before EARLIER: warm
    contact(edge, AT - timedelta(days=14), by=me)  # exactly 14 days before AT: not yet past the cadence

    counts = going_cold_counts(ALL().filter(account_manager=me), {"at": AT, "earlier": EARLIER})

    # AT: stale, key, never contacted, prospect = 4; EARLIER: stale, never contacted = 2
    assert counts == {"at": 4, "earlier": 2}


def test_going_cold_agrees_with_my_days_list_when_nothing_came_later(org):
    me = org.manager
    vip = client(tier=Tier.VIP, manager=me)
    contact(vip, utc(3, 1), by=me)  # 31 days before AT: cold
    key = client(tier=Tier.KEY, manager=me)
    contact(key, utc(3, 20), by=me)  # 12 days: warm
    client(manager=me)  # never contacted since June 2024: cold

    clients = ALL().filter(account_manager=me)

    assert going_cold_counts(clients, {"now": AT}) == {"now": 2}
    assert clients_going_cold(clients, now=AT).count() == 2


def test_going_cold_reads_the_admins_cadence(org):
    me = org.manager
    key = client(tier=Tier.KEY, manager=me)
    contact(key, utc(2, 20), by=me)  # 40 days before AT
    ContactCadence.objects.update_or_create(tier=Tier.KEY, defaults={"days": 45})

    assert going_cold_counts(ALL().filter(account_manager=me), {"at": AT}) == {"at": 0}


def test_going_cold_of_no_clients_is_zero(db):
    assert going_cold_counts(ALL(), {"at": AT, "earlier": EARLIER}) == {"at": 0, "earlier": 0}
