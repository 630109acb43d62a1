"""The team dashboard's account-health parts: the "At-risk revenue" tile's drill-down, the "Clients at risk" panel
(content, order, limit, empty state, a fixed number of queries), the page, the CSV export, the API and the cache."""

import csv
import io
import re
from datetime import timedelta
from decimal import Decimal
from unittest import mock

import pytest
from django.urls import reverse
from django.utils import timezone

from clients.models import Client, HealthBand
from dashboards.selectors.display import Period
from dashboards.selectors.health import get_at_risk_panel
from dashboards.selectors.overview import Scope, get_dashboard, list_dashboard_sources
from dashboards.selectors.served import get_served_dashboard
from health.models import HealthTransition
from tests.dashboards.test_health_metrics import NOW, deliver, health_world, set_health
from tests.factories.clients import ClientFactory

URL = reverse("dashboards:overview")


@pytest.fixture(autouse=True)
def _company_zone(settings):
    settings.TIME_ZONE = "Europe/Vilnius"
    settings.DEFAULT_CURRENCY = "EUR"


@pytest.fixture(autouse=True)
def _frozen():
    # The window's edges (an order delivered exactly 365 days before now, one delivered now) need now to stand still.
    with mock.patch("django.utils.timezone.now", return_value=NOW):
        yield


def entered(client, at, *, from_band=HealthBand.WATCH, to_band=HealthBand.AT_RISK, score=30) -> None:
    HealthTransition.objects.create(
        client=client, from_band=from_band, to_band=to_band, score=score, at=at, day=timezone.localdate(at)
    )


def last_30_days() -> Period:
    today = timezone.localdate()
    return Period(today - timedelta(days=29), today)


def tile(dashboard):
    return next(kpi for kpi in dashboard.kpis if kpi.key == "at_risk_revenue")


def listed(page, url: str) -> list[str]:
    response = page.get(url)
    assert response.status_code == 200
    return sorted(client.name for client in response.context["page"].object_list)


# --- Drill-down ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("scope", "expected"),
    [
        ("team", ["Own Client UAB", "Quiet At Risk UAB", "Teammate Client UAB"]),
        ("manager", ["Own Client UAB", "Quiet At Risk UAB"]),
        ("teammate", ["Teammate Client UAB"]),
    ],
)
def test_the_tile_links_to_exactly_the_clients_it_counts(org, as_user, scope, expected):
    health_world(org, NOW)
    people = {"team": None, "manager": org.manager, "teammate": org.teammate}
    dashboard = get_dashboard(org.lead, scope=Scope(team=org.north, manager=people[scope]), period=last_30_days())
    kpi = tile(dashboard)
    counted = list_dashboard_sources(org.lead, dashboard.scope).clients.filter(health_band=HealthBand.AT_RISK)

    names = listed(as_user(org.lead), kpi.url)

    assert names == expected == sorted(counted.values_list("name", flat=True))
    assert kpi.note.startswith(f"{len(expected)} client")
    assert "health_band=at_risk" in kpi.url
    assert f"team={org.north.pk}" in kpi.url
    if people[scope]:
        assert f"manager={people[scope].pk}" in kpi.url
    assert dashboard.at_risk.url == kpi.url  # "see all" opens the same list


def test_the_link_keeps_the_segment_of_the_scope(org, as_user):
    from segments.models import Segment

    world = health_world(org, NOW)
    Client.objects.filter(pk=world.team.pk).update(tier="vip")
    vip = Segment.objects.create(
        name="VIP", rules={"op": "and", "rules": [{"field": "tier", "operator": "in", "value": ["vip"]}]}
    )

    dashboard = get_dashboard(org.lead, scope=Scope(team=org.north, segment=vip), period=last_30_days())

    assert f"segment={vip.pk}" in tile(dashboard).url
    assert listed(as_user(org.lead), tile(dashboard).url) == ["Teammate Client UAB"]
    assert tile(dashboard).number == Decimal("400.00")


# --- The panel ----------------------------------------------------------------------------------------------------


def test_the_panel_lists_the_latest_to_enter_first_with_manager_score_date_and_revenue(org):
    now = NOW
    world = health_world(org, now)
    entered(world.own, now - timedelta(days=40))
    entered(world.own, now - timedelta(days=3))  # back at risk after a spell on watch: the latest entry counts
    entered(world.own, now - timedelta(days=10), from_band=HealthBand.AT_RISK, to_band=HealthBand.WATCH, score=45)
    entered(world.team, now - timedelta(days=5))
    entered(world.foreign, now - timedelta(days=1))  # South: not in North's panel

    panel = get_dashboard(org.lead, scope=Scope(team=org.north), period=last_30_days()).at_risk

    assert panel.total == 3
    rows = [(row.name, row.manager, row.score, row.entered_at, row.revenue, row.revenue_note) for row in panel.clients]
    assert rows == [
        ("Own Client UAB", "Mantas Owner", 25, now - timedelta(days=3), "€1,210.75", "$300.00"),
        ("Teammate Client UAB", "Tomas Teammate", 35, now - timedelta(days=5), "€400.00", ""),
        ("Quiet At Risk UAB", "Mantas Owner", 30, None, "—", ""),  # no recorded entry: last
    ]
    assert panel.clients[0].url == reverse("clients:detail", args=[world.own.pk])
    assert panel.clients[0].amount == Decimal("1210.75")


def test_the_panel_shows_at_most_ten_and_counts_them_all(org):
    now = NOW
    for index in range(13):
        client = ClientFactory(name=f"Risky {index:02d}", account_manager=org.teammate)
        set_health(client, HealthBand.AT_RISK, 20 + index)
        entered(client, now - timedelta(hours=index))

    panel = get_dashboard(org.lead, scope=Scope(team=org.north), period=last_30_days()).at_risk

    assert panel.total == 13
    assert [row.name for row in panel.clients] == [f"Risky {index:02d}" for index in range(10)]


def test_the_panel_is_empty_without_clients_at_risk(org, as_user):
    set_health(org.client, HealthBand.WATCH, 50)

    response = as_user(org.lead).get(URL)

    panel = response.context["dashboard"].at_risk
    assert (panel.total, panel.clients) == (0, [])
    html = response.content.decode()
    assert "No client at risk" in html
    assert 'id="at-risk-table"' not in html
    assert 'id="at-risk-see-all"' not in html


def _at_risk_clients(org, count: int, now) -> None:
    for index in range(count):
        manager = (org.manager, org.teammate)[index % 2]
        client = ClientFactory(name=f"Batch {count}-{index:02d}", account_manager=manager)
        set_health(client, HealthBand.AT_RISK, 10 + index)
        entered(client, now - timedelta(days=index + 1))
        deliver(client, "100.00", now - timedelta(days=index + 1))
        deliver(client, "50.00", now - timedelta(days=index + 2), currency="USD")


def test_the_panel_takes_two_queries_for_2_or_20_clients_at_risk(org, django_assert_max_num_queries):
    now = NOW
    sources = list_dashboard_sources(org.lead, Scope(team=org.north))
    _at_risk_clients(org, 2, now)
    with django_assert_max_num_queries(2):
        small = get_at_risk_panel(sources.clients, sources.orders, now=now, url="/clients/")
    _at_risk_clients(org, 20, now)

    with django_assert_max_num_queries(2):
        large = get_at_risk_panel(sources.clients, sources.orders, now=now, url="/clients/")

    assert (small.total, len(small.clients)) == (2, 2)
    assert (large.total, len(large.clients)) == (22, 10)
    assert {row.revenue_note for row in large.clients} == {"$50.00"}


def test_the_page_takes_as_many_queries_with_2_or_20_clients_at_risk(org, as_user, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    page = as_user(org.lead)
    now = NOW
    _at_risk_clients(org, 2, now)
    with CaptureQueriesContext(connection) as queries:
        assert page.get(URL, {"refresh": "1"}).status_code == 200
    _at_risk_clients(org, 20, now)

    with django_assert_max_num_queries(len(queries)):
        response = page.get(URL, {"refresh": "1"})

    assert response.context["dashboard"].at_risk.total == 22


# --- The page, its export, the API and the cache -----------------------------------------------------------------


def test_the_page_shows_the_tile_and_the_panel(org, as_user):
    now = NOW
    world = health_world(org, now)
    entered(world.own, now - timedelta(days=2))

    response = as_user(org.lead).get(URL)

    assert response.status_code == 200
    html = response.content.decode()
    tile_html = re.search(r'<a class="kpi-tile" id="kpi-at_risk_revenue".*?</a>', html, re.S).group(0)
    link = f"/clients/?team={org.north.pk}&amp;health_band=at_risk"
    assert f'href="{link}"' in tile_html
    assert '<span class="kpi-value">€1,610.75</span>' in tile_html
    assert "Now, over the last 12 months" in tile_html
    assert "Before:" not in tile_html
    assert '<span class="kpi-note">3 clients at risk · Also $300.00</span>' in tile_html
    panel = re.search(r'<section class="card table-card at-risk-card".*?</section>', html, re.S).group(0)
    assert "Clients at risk" in panel
    assert f'<a class="btn btn-sm" href="{link}" id="at-risk-see-all">See all 3 clients</a>' in panel
    own = re.search(rf'<tr id="at-risk-{world.own.pk}">.*?</tr>', panel, re.S).group(0)
    assert f'<a href="/clients/{world.own.pk}/">Own Client UAB</a>' in own
    cells = re.findall(r"<td[^>]*>(.*?)</td>", own, re.S)
    assert [re.sub(r"<[^>]+>", " ", cell).split() for cell in cells[:1] + cells[3:]] == [
        ["Mantas", "Owner"],
        ["€1,210.75", "$300.00"],
    ]
    assert ">25</span>" in cells[1]
    assert panel.index("Own Client UAB") < panel.index("Quiet At Risk UAB")
    assert "Foreign Client OOO" not in panel


def test_the_printable_report_lists_the_tile(org, as_user):
    health_world(org, NOW)

    html = as_user(org.lead).get(reverse("dashboards:print")).content.decode()

    row = re.search(r'<tr id="report-kpi-at_risk_revenue">.*?</tr>', html, re.S).group(0)
    assert "At-risk revenue" in row
    assert "€1,610.75" in row


def test_the_kpi_export_has_the_raw_amount_and_no_previous_value(org, as_user):
    health_world(org, NOW)

    response = as_user(org.lead).get(reverse("dashboards:export_kpis"))

    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert ["Client base", "at_risk_revenue", "At-risk revenue", "1610.75", "", "", "amount", "EUR"] in rows


def test_the_api_gives_the_tile_and_the_panel(org, as_api_user):
    now = NOW
    world = health_world(org, now)
    entered(world.team, now - timedelta(days=1))

    body = as_api_user(org.lead).get("/api/v1/dashboard/").json()

    kpis = {kpi["key"]: kpi for group in body["groups"] for kpi in group["kpis"]}
    assert kpis["at_risk_revenue"]["value"] == "1610.75"
    assert (kpis["at_risk_revenue"]["previous"], kpis["at_risk_revenue"]["current_only"]) == (None, True)
    assert kpis["revenue"]["current_only"] is False
    assert body["at_risk"]["total"] == 3
    assert body["at_risk"]["url"].endswith(f"/clients/?team={org.north.pk}&health_band=at_risk")
    first = body["at_risk"]["clients"][0]
    assert (first["id"], first["name"], first["manager"], first["score"], first["revenue"]) == (
        world.team.pk,
        "Teammate Client UAB",
        "Tomas Teammate",
        35,
        "400.00",
    )
    assert first["entered_at"] is not None
    assert [row["revenue"] for row in body["at_risk"]["clients"][1:]] == ["1210.75", None]


def test_the_served_dashboard_keeps_the_tile_and_the_panel_together(org):
    world = health_world(org, NOW)
    scope, period = Scope(team=org.north), last_30_days()
    first = get_served_dashboard(org.lead, scope=scope, period=period)
    set_health(world.team, HealthBand.WATCH, 50)

    kept = get_served_dashboard(org.lead, scope=scope, period=period)
    refreshed = get_served_dashboard(org.lead, scope=scope, period=period, refresh=True)

    # the cached entry holds both, as computed together; a refresh reads both again
    assert (
        (tile(kept).number, kept.at_risk.total) == (tile(first).number, first.at_risk.total) == (Decimal("1610.75"), 3)
    )
    assert (tile(refreshed).number, refreshed.at_risk.total) == (Decimal("1210.75"), 2)
