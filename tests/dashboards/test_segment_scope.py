"""The team dashboard narrowed to a segment: every kind of record of the segment's clients only, on the page,
in the exports, the API and the cache."""

import csv
import io
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from clients.models import Client, Tier
from dashboards.selectors.display import Period
from dashboards.selectors.overview import Scope, get_dashboard
from dashboards.selectors.served import dashboard_cache_key
from orders.models import OrderStatus
from segments.rules import validate_rules
from tests.factories.complaints import make_complaint
from tests.factories.interactions import FollowUpFactory, InteractionFactory
from tests.factories.orders import OrderFactory
from tests.factories.segments import SegmentFactory

URL = reverse("dashboards:overview")
API = "/api/v1/dashboard/"
KEY_ACCOUNTS = {"op": "and", "rules": [{"field": "tier", "operator": "in", "value": ["key"]}]}


def _period() -> Period:
    today = timezone.localdate()
    return Period(today - timedelta(days=29), today)


def figures(dashboard) -> dict:
    keys = ("active_clients", "interactions", "overdue_follow_ups", "open_complaints", "orders")
    return {kpi.key: kpi.number for kpi in dashboard.kpis if kpi.key in keys}


@pytest.fixture
def key_accounts(org):
    """The North manager's client and the South one are key accounts (the segment), the teammate's is not;
    each has interactions, an overdue follow-up, an open complaint and a placed order of its own."""
    Client.objects.filter(pk__in=[org.client.pk, org.foreign_client.pk]).update(tier=Tier.KEY)
    earlier = timezone.now() - timedelta(hours=2)
    for client, calls in ((org.client, 2), (org.team_client, 3), (org.foreign_client, 1)):
        client.refresh_from_db()
        for _ in range(calls):
            InteractionFactory(client=client, occurred_at=earlier)
        FollowUpFactory(client=client, due_at=earlier)
        make_complaint(actor=org.admin, client=client)
        OrderFactory(client=client, status=OrderStatus.CONFIRMED)
    return SegmentFactory(name="Key accounts", rules=validate_rules(KEY_ACCOUNTS))


# --- the figures ---------------------------------------------------------------------------------------------------


def test_a_segment_scope_counts_the_records_of_the_segments_clients_only(org, key_accounts):
    whole = get_dashboard(org.lead, scope=Scope(team=org.north), period=_period())
    narrowed = get_dashboard(org.lead, scope=Scope(team=org.north, segment=key_accounts), period=_period())

    assert figures(whole) == {
        "active_clients": 2,
        "interactions": 5,
        "overdue_follow_ups": 2,
        "open_complaints": 2,
        "orders": 2,
    }
    assert figures(narrowed) == {
        "active_clients": 1,
        "interactions": 2,
        "overdue_follow_ups": 1,
        "open_complaints": 1,
        "orders": 1,
    }
    rows = {row.person.full_name: (row.clients, row.interactions, row.follow_ups_overdue) for row in narrowed.managers}
    assert rows == {"Lina Lead": (0, 0, 0), "Mantas Owner": (1, 2, 1), "Tomas Teammate": (0, 0, 0)}


def test_the_segment_stays_within_what_the_viewer_may_see(org, key_accounts):
    admin = get_dashboard(org.admin, scope=Scope(segment=key_accounts), period=_period())
    lead = get_dashboard(org.other_lead, scope=Scope(team=org.south, segment=key_accounts), period=_period())

    assert figures(admin) == {
        "active_clients": 2,
        "interactions": 3,
        "overdue_follow_ups": 2,
        "open_complaints": 2,
        "orders": 2,
    }
    assert figures(lead) == {
        "active_clients": 1,
        "interactions": 1,
        "overdue_follow_ups": 1,
        "open_complaints": 1,
        "orders": 1,
    }


def test_the_segment_combines_with_manager_and_tier(org, key_accounts):
    teammate = get_dashboard(
        org.lead, scope=Scope(team=org.north, manager=org.teammate, segment=key_accounts), period=_period()
    )
    standard = get_dashboard(
        org.lead, scope=Scope(team=org.north, tier=Tier.STANDARD, segment=key_accounts), period=_period()
    )
    nothing = {"active_clients": 0, "interactions": 0, "overdue_follow_ups": 0, "open_complaints": 0, "orders": 0}
    assert figures(teammate) == figures(standard) == nothing


def test_every_tile_link_carries_the_segment_and_lists_what_the_tile_counts(org, as_user, key_accounts):
    dashboard = get_dashboard(org.lead, scope=Scope(team=org.north, segment=key_accounts), period=_period())
    kpis = {kpi.key: kpi for kpi in dashboard.kpis}

    assert kpis["active_clients"].url == f"/clients/?team={org.north.pk}&segment={key_accounts.pk}&status=active"
    c = as_user(org.lead)
    expected = {"active_clients": 1, "interactions": 2, "overdue_follow_ups": 1, "open_complaints": 1, "orders": 1}
    for key, number in expected.items():
        assert f"segment={key_accounts.pk}" in kpis[key].url, key
        response = c.get(kpis[key].url)
        assert response.status_code == 200, key
        assert response.context["page"].paginator.count == kpis[key].number == number, key
        assert "Key accounts" in response.content.decode(), key  # the list names the segment it shows
    owner = next(row for row in dashboard.managers if row.person == org.manager)
    assert owner.links["clients"] == f"/clients/?manager={org.manager.pk}&segment={key_accounts.pk}&status=active"


# --- the cache -----------------------------------------------------------------------------------------------------


def test_each_segment_and_each_saved_version_of_it_has_its_own_cache_entry(org, key_accounts):
    period = _period()
    other = SegmentFactory(name="Other")
    whole = dashboard_cache_key(org.lead, Scope(team=org.north), period)
    first = dashboard_cache_key(org.lead, Scope(team=org.north, segment=key_accounts), period)
    second = dashboard_cache_key(org.lead, Scope(team=org.north, segment=other), period)
    key_accounts.rules = validate_rules({"op": "or", "rules": KEY_ACCOUNTS["rules"]})
    key_accounts.save()
    edited = dashboard_cache_key(org.lead, Scope(team=org.north, segment=key_accounts), period)

    assert len({whole, first, second, edited}) == 4
    assert dashboard_cache_key(org.lead, Scope(team=org.north, segment=other), period) == second


# --- the page, the exports and the API -----------------------------------------------------------------------------


def test_the_page_offers_the_active_segments_and_names_the_chosen_one(org, as_user, key_accounts):
    archived = SegmentFactory(name="Archived", is_active=False)
    response = as_user(org.lead).get(URL, {"segment": key_accounts.pk})
    body = response.content.decode()

    assert response.status_code == 200
    assert response.context["dashboard"].scope.segment == key_accounts
    assert "Segment “Key accounts”" in body
    assert f'<option value="{key_accounts.pk}" selected>Key accounts</option>' in body
    assert f'<option value="{archived.pk}"' not in body
    assert f"segment={key_accounts.pk}" in response.context["links"]["export_kpis"]
    printed = as_user(org.lead).get(reverse("dashboards:print"), {"segment": key_accounts.pk})
    assert "Segment “Key accounts”</h1>" in printed.content.decode()


def test_a_switched_off_segment_is_a_form_error_on_the_page_and_a_bad_request_in_the_api(
    org, as_user, as_api_user, key_accounts
):
    key_accounts.is_active = False
    key_accounts.save()

    page = as_user(org.lead).get(URL, {"segment": key_accounts.pk})
    api = as_api_user(org.lead).get(API, {"segment": key_accounts.pk})

    assert page.status_code == 200
    assert page.context["dashboard"].scope == Scope(team=org.north)  # the default scope, next to the error
    assert "segment" in page.context["form"].errors
    assert api.status_code == 400
    assert api.json() == {"segment": ["Select a valid choice. That choice is not one of the available choices."]}


def test_the_kpi_export_names_the_segment(org, as_user, key_accounts):
    response = as_user(org.lead).get(reverse("dashboards:export_kpis"), {"segment": key_accounts.pk})
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8").lstrip("\ufeff"))))

    assert rows[:4] == [
        ["Team", "North"],
        ["Manager", "All managers"],
        ["Tier", "All tiers"],
        ["Segment", "Key accounts"],
    ]
    assert next(row for row in rows if len(row) > 1 and row[1] == "interactions")[3] == "2"


def test_the_api_accepts_a_segment_and_names_it_in_the_scope(org, as_api_user, key_accounts):
    response = as_api_user(org.lead).get(API, {"segment": key_accounts.pk})

    assert response.status_code == 200
    body = response.json()
    assert body["scope"]["segment"] == {"id": key_accounts.pk, "name": "Key accounts"}
    tiles = {tile["key"]: tile for group in body["groups"] for tile in group["kpis"]}
    assert tiles["interactions"]["value"] == 2
    assert tiles["active_clients"]["url"].endswith(
        f"/clients/?team={org.north.pk}&segment={key_accounts.pk}&status=active"
    )


@pytest.mark.parametrize("value", ["abc", "999999"])
def test_the_api_refuses_a_segment_it_does_not_know(org, as_api_user, key_accounts, value):
    response = as_api_user(org.lead).get(API, {"segment": value})

    assert response.status_code == 400
    assert list(response.json()) == ["segment"]
