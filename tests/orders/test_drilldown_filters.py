"""The order list's filters for the dashboard's links: team, client tier, delivery days."""

import re
from datetime import date, datetime, time

import pytest
from django.urls import reverse
from django.utils import formats

from orders.models import Order, settings_zone
from tests.factories.orders import OrderFactory, line, make_order

LIST = reverse("orders:list")
API = "/api/v1/orders/"
PERIOD = {"delivered_from": "2026-10-27", "delivered_to": "2026-11-25"}


@pytest.fixture(autouse=True)
def company_time_zone(settings):
    settings.TIME_ZONE = "Europe/Vilnius"


def vilnius(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=settings_zone())


def delivered(client, at: datetime, **kwargs) -> Order:
    order = OrderFactory(client=client, status="delivered", **kwargs)
    Order.objects.filter(pk=order.pk).update(delivered_at=at)
    return order


@pytest.fixture
def orders(org):
    """Orders around 27 Oct – 25 Nov 2026 in the company's time zone (Vilnius, UTC+2 then).

    The viewers sit in New York, where each boundary moment falls on another day.
    """
    org.team_client.tier = "vip"
    org.team_client.save()
    org.foreign_client.tier = "vip"
    org.foreign_client.save()
    for user in (org.manager, org.lead, org.admin, org.other_lead):
        user.time_zone = "America/New_York"
        user.save()
    return {
        "day before": delivered(org.client, vilnius(date(2026, 10, 26), 23, 59)),
        "first day": delivered(org.client, vilnius(date(2026, 10, 27), 0)),
        "last day": delivered(org.team_client, vilnius(date(2026, 11, 25), 23, 59)),
        "day after": delivered(org.client, vilnius(date(2026, 11, 26), 0)),
        "south": delivered(org.foreign_client, vilnius(date(2026, 11, 1), 12)),
        "shipped": OrderFactory(client=org.team_client, status="shipped"),
        "draft": OrderFactory(client=org.client),
    }


def listed(response) -> list[str]:
    assert response.status_code == 200
    return sorted(order.number for order in response.context["page"].object_list)


def numbers(orders, *keys) -> list[str]:
    return sorted(orders[key].number for key in keys)


def hidden_inputs(response) -> dict[str, str]:
    """The hidden inputs of the filter form: what it sends again when the list is refined."""
    body = response.content.decode()
    start = body.index('<form class="filters')
    return dict(
        re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)">', body[start : body.index("</form>", start)])
    )


# --- delivery days ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        (PERIOD, ["first day", "last day"]),
        (
            {"delivered_from": "2026-11-25"},
            [
                "last day",
                "day after",
            ],
        ),
        ({"delivered_to": "2026-10-27"}, ["day before", "first day"]),
        ({"delivered_from": "2026-10-27", "delivered_to": "2026-10-27"}, ["first day"]),
        ({"delivered_from": "2026-10-26", "delivered_to": "2026-10-26"}, ["day before"]),
        ({"delivered_from": "2026-11-26", "delivered_to": "2026-10-27"}, []),
    ],
)
def test_delivery_days_are_the_company_s_calendar_days_inclusive(as_user, org, orders, params, expected):
    assert listed(as_user(org.lead).get(LIST, params)) == numbers(orders, *expected)


def test_the_dashboard_s_link_combines_status_days_and_team(as_user, org, orders):
    c = as_user(org.admin)
    link = {"status": "delivered", **PERIOD}
    assert listed(c.get(LIST, link)) == numbers(orders, "first day", "last day", "south")
    assert listed(c.get(LIST, {**link, "team": org.north.pk})) == numbers(orders, "first day", "last day")
    assert listed(c.get(LIST, {**link, "team": org.south.pk})) == numbers(orders, "south")
    assert listed(c.get(LIST, {**link, "team": org.north.pk, "tier": "vip"})) == numbers(orders, "last day")
    assert listed(c.get(LIST, {**link, "manager": org.manager.pk})) == numbers(orders, "first day")
    assert listed(c.get(LIST, {**PERIOD, "status": "shipped"})) == []


# --- team and tier ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "params", "expected"),
    [
        ("admin", {"team": "north"}, ["day before", "first day", "last day", "day after", "shipped", "draft"]),
        ("admin", {"team": "south"}, ["south"]),
        ("lead", {"team": "north"}, ["day before", "first day", "last day", "day after", "shipped", "draft"]),
        ("admin", {"tier": "vip"}, ["last day", "south", "shipped"]),
        ("lead", {"tier": "vip"}, ["last day", "shipped"]),
        ("lead", {"tier": "standard"}, ["day before", "first day", "day after", "draft"]),
        ("lead", {"tier": "key"}, []),
        ("lead", {"tier": "vip", "status": "shipped"}, ["shipped"]),
        ("manager", {"team": "north", "tier": "vip", "overdue": ""}, ["last day", "shipped"]),
    ],
)
def test_team_is_the_client_manager_s_team_and_tier_the_client_s(as_user, org, orders, who, params, expected):
    query = {key: getattr(org, value).pk if key == "team" else value for key, value in params.items()}
    assert listed(as_user(getattr(org, who)).get(LIST, query)) == numbers(orders, *expected)


@pytest.mark.parametrize("who", ["lead", "manager"])
def test_a_link_to_another_team_shows_nothing_of_it(as_user, org, orders, who):
    c = as_user(getattr(org, who))
    response = c.get(LIST, {"team": org.south.pk, "status": "delivered", **PERIOD})
    assert listed(response) == []
    assert "No orders match these filters" in response.content.decode()
    assert listed(c.get(LIST, {"team": org.south.pk})) == []
    assert listed(c.get(LIST, {"team": org.south.pk, "tier": "vip"})) == []


def test_the_api_takes_the_same_filters(as_api_user, org, orders):
    api = as_api_user(org.admin)
    response = api.get(API, {"status": "delivered", "team": org.north.pk, "tier": "vip", **PERIOD})
    assert response.status_code == 200
    assert [row["number"] for row in response.json()["results"]] == numbers(orders, "last day")
    assert as_api_user(org.lead).get(API, {"team": org.south.pk}).json()["results"] == []


# --- what the page says ----------------------------------------------------------------------------------------------


def test_the_page_names_the_link_s_filters_and_keeps_them_when_refined(as_user, org, orders):
    response = as_user(org.manager).get(LIST, {"status": "delivered", "team": org.north.pk, "tier": "vip", **PERIOD})
    body = response.content.decode()
    first, last = (formats.date_format(day, "SHORT_DATE_FORMAT") for day in (date(2026, 10, 27), date(2026, 11, 25)))
    team, tier, days = re.findall(r'<span class="link-filter">(.*?)</span>(?=<span class="link-filter">|</div>)', body)
    assert team == (
        '<span class="muted">Team:</span> North <a class="small" '
        'href="?status=delivered&amp;tier=vip&amp;delivered_from=2026-10-27&amp;delivered_to=2026-11-25" '
        'title="Remove this filter">✕</a>'
    )
    assert tier.startswith(
        '<span class="muted">Client tier:</span> VIP <a class="small" href="?status=delivered&amp;team='
    )
    assert days == (
        f'<span class="muted">Delivered:</span> {first} – {last} <a class="small" '
        f'href="?status=delivered&amp;team={org.north.pk}&amp;tier=vip" title="Remove this filter">✕</a>'
    )
    assert hidden_inputs(response) == {"team": str(org.north.pk), "tier": "vip", **PERIOD}
    assert 'id="id_team"' not in body  # a manager has one team: no select


def test_a_lead_chooses_the_team_in_the_form(as_user, org, orders):
    body = as_user(org.lead).get(LIST, {"team": org.north.pk, "delivered_from": "2026-10-27"}).content.decode()
    assert f'<option value="{org.north.pk}" selected>North</option>' in body
    assert '<span class="muted">Team:</span>' not in body
    first = formats.date_format(date(2026, 10, 27), "SHORT_DATE_FORMAT")
    assert f'<span class="muted">Delivered:</span> from {first} <a' in body


# --- bad input -------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "params",
    [
        {"team": "abc"},
        {"team": "1.5"},
        {"team": "-1"},
        {"team": "99999999999999999999999"},
        {"team": "999999"},
        {"tier": "gold"},
        {"delivered_from": "2026-13-40"},
        {"delivered_to": "not a date"},
        {"delivered_from": "99999-01-01"},
        {"delivered_to": "2026-02-30"},
        {"tier": "\x00"},
    ],
)
def test_bad_values_are_ignored_without_error(as_user, org, orders, params):
    c = as_user(org.lead)
    everything = listed(c.get(LIST))
    response = c.get(LIST, params)
    assert listed(response) == everything
    assert hidden_inputs(response) == {}
    assert c.get(LIST, params, headers={"HX-Request": "true"}).status_code == 200


def test_days_at_the_ends_of_the_calendar_do_not_fail(as_user, org, orders):
    c = as_user(org.admin)
    everything = numbers(orders, "day before", "first day", "last day", "day after", "south")
    assert listed(c.get(LIST, {"delivered_from": "0001-01-01", "delivered_to": "9999-12-31"})) == everything
    assert listed(c.get(LIST, {"delivered_from": "9999-12-31"})) == []
    assert listed(c.get(LIST, {"delivered_to": "0001-01-01"})) == []


# --- queries ---------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("rows", [3, 30])
def test_drilldown_filters_add_no_query_per_row(as_user, org, rows, django_assert_max_num_queries):
    org.team_client.tier = "vip"
    org.team_client.save()
    for index in range(rows):
        order = make_order(actor=org.lead, client=org.client if index % 2 else org.team_client, lines=[line()])
        Order.objects.filter(pk=order.pk).update(status="delivered", delivered_at=vilnius(date(2026, 11, 1), 12))
    c = as_user(org.lead)
    with django_assert_max_num_queries(8):
        response = c.get(LIST, {"status": "delivered", "team": org.north.pk, "tier": "standard", **PERIOD})
    assert len(response.context["page"].object_list) == rows // 2  # the standard client's (org.client) orders
