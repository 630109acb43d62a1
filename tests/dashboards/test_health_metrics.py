"""At-risk revenue: delivered revenue of the last 12 months of the clients now at risk, per currency, within the
dashboard's scope and the viewer's visibility (hand-computed below)."""

from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from clients.models import Client, HealthBand
from dashboards import metrics
from dashboards.selectors.display import Period
from dashboards.selectors.overview import Scope, get_dashboard
from orders.models import Order, OrderStatus
from tests.factories.clients import ClientFactory
from tests.factories.orders import OrderFactory

VILNIUS = ZoneInfo("Europe/Vilnius")
NOW = datetime(2025, 6, 15, 12, 0, tzinfo=VILNIUS)
JUNE = Period(date(2025, 6, 1), date(2025, 6, 15))


@pytest.fixture(autouse=True)
def _company_zone(settings):
    settings.TIME_ZONE = "Europe/Vilnius"
    settings.DEFAULT_CURRENCY = "EUR"


def set_health(client, band: str, score: int | None) -> None:
    Client.objects.filter(pk=client.pk).update(health_band=band, health_score=score)


def deliver(client, total: str, at: datetime, *, currency: str = "EUR", status=OrderStatus.DELIVERED) -> Order:
    order = OrderFactory(client=client, currency=currency, status=status, total=Decimal(total))
    Order.objects.filter(pk=order.pk).update(delivered_at=at if status == OrderStatus.DELIVERED else None)
    return order


class HealthWorld:
    pass


def health_world(org, now: datetime = NOW) -> HealthWorld:
    """North: two clients at risk with revenue, one at risk without, one on watch and one never scored with
    revenue; South: one at risk. Hand-computed at-risk revenue of North: €1,610.75 and $300.00 (see below)."""
    world = HealthWorld()
    world.own = org.client  # Mantas (North)
    world.team = org.team_client  # Tomas (North)
    world.foreign = org.foreign_client  # Olga (South)
    world.quiet = ClientFactory(name="Quiet At Risk UAB", account_manager=org.manager)
    world.watch = ClientFactory(name="Watch UAB", account_manager=org.manager)
    world.unscored = ClientFactory(name="Unscored UAB", account_manager=org.teammate)
    for client, band, score in (
        (world.own, HealthBand.AT_RISK, 25),
        (world.team, HealthBand.AT_RISK, 35),
        (world.foreign, HealthBand.AT_RISK, 12),
        (world.quiet, HealthBand.AT_RISK, 30),
        (world.watch, HealthBand.WATCH, 55),
    ):
        set_health(client, band, score)
    # Mantas's client at risk: €1,000.50 + €200.25 + €10.00 (exactly 365 days ago: the window's start is in) and
    # $300.00; out: €999.00 delivered 366 days ago, a confirmed €500.00 order not delivered, €7.00 delivered now
    # (the window ends before now).
    deliver(world.own, "1000.50", now - timedelta(days=10))
    deliver(world.own, "200.25", now - timedelta(days=364))
    deliver(world.own, "10.00", now - timedelta(days=365))
    deliver(world.own, "300.00", now - timedelta(days=30), currency="USD")
    deliver(world.own, "999.00", now - timedelta(days=366))
    deliver(world.own, "500.00", now, status=OrderStatus.CONFIRMED)
    deliver(world.own, "7.00", now)
    # Tomas's client at risk: €400.00.
    deliver(world.team, "400.00", now - timedelta(days=100))
    # Not at risk: on watch, never scored; and South's client at risk (€800.00), outside North.
    deliver(world.watch, "5000.00", now - timedelta(days=5))
    deliver(world.unscored, "7000.00", now - timedelta(days=5))
    deliver(world.foreign, "800.00", now - timedelta(days=20))
    return world


def kpi(dashboard, key="at_risk_revenue"):
    return next(item for item in dashboard.kpis if item.key == key)


def revenue(revenues) -> dict[str, tuple[Decimal, int]]:
    return {item.currency: (item.amount, item.clients) for item in revenues}


def test_the_metric_sums_the_last_365_days_of_at_risk_clients_per_currency(org):
    health_world(org)

    figures = metrics.at_risk_revenue(Order.objects.all(), NOW)

    # EUR: Mantas €1,210.75 + Tomas €400.00 + Olga €800.00; USD: Mantas's $300.00
    assert revenue(figures) == {"EUR": (Decimal("2410.75"), 3), "USD": (Decimal("300.00"), 1)}
    assert [item.currency for item in figures] == ["EUR", "USD"]  # largest first


def test_the_metric_reads_only_the_orders_it_is_given(org):
    world = health_world(org)

    figures = metrics.at_risk_revenue(Order.objects.filter(client=world.team), NOW)

    assert revenue(figures) == {"EUR": (Decimal("400.00"), 1)}


def test_no_client_at_risk_is_no_value_not_zero(org):
    health_world(org)
    Client.objects.filter(health_band=HealthBand.AT_RISK).update(health_band=HealthBand.WATCH)

    assert metrics.at_risk_revenue(Order.objects.all(), NOW) == []
    tile = kpi(get_dashboard(org.lead, scope=Scope(team=org.north), period=JUNE, now=NOW))
    assert (tile.value, tile.number, tile.note) == ("—", None, "0 clients at risk")


def test_a_client_at_risk_without_revenue_in_the_window_gives_no_value_but_is_counted(org):
    world = health_world(org)
    Client.objects.exclude(pk=world.quiet.pk).update(health_band=HealthBand.HEALTHY)

    tile = kpi(get_dashboard(org.admin, scope=Scope(), period=JUNE, now=NOW))

    assert (tile.value, tile.number, tile.note) == ("—", None, "1 client at risk")


def test_the_north_tile_shows_the_default_currency_with_the_others_and_the_count_apart(org):
    health_world(org)

    tile = kpi(get_dashboard(org.lead, scope=Scope(team=org.north), period=JUNE, now=NOW))

    assert tile.number == Decimal("1610.75")
    assert tile.value == "€1,610.75"
    assert tile.note == "3 clients at risk · Also $300.00"
    # a figure of now: no previous value, change or trend, whatever the period
    assert (tile.previous, tile.previous_number, tile.change, tile.trend, tile.current_only) == (
        "—",
        None,
        "",
        "",
        True,
    )
    assert tile.label == "At-risk revenue"
    assert "last 12 months" in tile.help


def test_the_figure_does_not_depend_on_the_period_chosen(org):
    health_world(org)
    scope = Scope(team=org.north)

    figures = {
        kpi(get_dashboard(org.lead, scope=scope, period=period, now=NOW)).number
        for period in (JUNE, Period(date(2025, 6, 14), date(2025, 6, 14)), Period(date(2024, 1, 1), date(2025, 6, 15)))
    }

    assert figures == {Decimal("1610.75")}


def test_a_client_leaving_the_at_risk_band_leaves_the_figure(org):
    world = health_world(org)
    set_health(world.team, HealthBand.WATCH, 45)

    tile = kpi(get_dashboard(org.lead, scope=Scope(team=org.north), period=JUNE, now=NOW))

    assert (tile.number, tile.note) == (Decimal("1210.75"), "2 clients at risk · Also $300.00")


def test_narrowed_to_a_manager_the_lead_sees_that_managers_clients_only(org):
    health_world(org)

    mantas = kpi(get_dashboard(org.lead, scope=Scope(team=org.north, manager=org.manager), period=JUNE, now=NOW))
    tomas = kpi(get_dashboard(org.lead, scope=Scope(team=org.north, manager=org.teammate), period=JUNE, now=NOW))

    assert (mantas.number, mantas.note) == (Decimal("1210.75"), "2 clients at risk · Also $300.00")
    assert (tomas.number, tomas.note) == (Decimal("400.00"), "1 client at risk")


def test_the_tier_and_segment_narrow_it_as_every_tile(org):
    world = health_world(org)
    Client.objects.filter(pk=world.team.pk).update(tier="vip")

    vip = kpi(get_dashboard(org.lead, scope=Scope(team=org.north, tier="vip"), period=JUNE, now=NOW))

    assert (vip.number, vip.note) == (Decimal("400.00"), "1 client at risk")


def test_the_other_teams_lead_sees_nothing_of_north(org, as_user):
    health_world(org)

    south = kpi(get_dashboard(org.other_lead, scope=Scope(team=org.south), period=JUNE, now=NOW))
    # even asked for North's team and people, the South lead's visibility holds none of North's records
    peeking = kpi(get_dashboard(org.other_lead, scope=Scope(team=org.north), period=JUNE, now=NOW))

    assert (south.number, south.note) == (Decimal("800.00"), "1 client at risk")
    assert (peeking.number, peeking.note) == (None, "0 clients at risk")
    page = as_user(org.other_lead)
    assert page.get(reverse("dashboards:overview"), {"team": org.north.pk}).status_code == 404
    assert page.get(reverse("dashboards:overview"), {"manager": org.manager.pk}).status_code == 404


def test_a_manager_may_not_open_the_dashboard_nor_its_export(org, as_user):
    health_world(org)
    page = as_user(org.manager)

    assert page.get(reverse("dashboards:overview")).status_code == 403
    assert page.get(reverse("dashboards:export_kpis")).status_code == 403


def test_an_admin_sees_every_team(org):
    health_world(org)

    tile = kpi(get_dashboard(org.admin, scope=Scope(), period=JUNE, now=NOW))

    assert (tile.number, tile.note) == (Decimal("2410.75"), "4 clients at risk · Also $300.00")
