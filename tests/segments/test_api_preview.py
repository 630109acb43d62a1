"""POST /api/v1/segments/preview/: what unsaved rules match (count and the first 20 by name), for administrators,
among the clients they may see; the builder's live preview over the API."""

import pytest

from clients.models import Client, Tier
from segments.models import Segment
from tests.factories.clients import ClientFactory

URL = "/api/v1/segments/preview/"
VIP = {"op": "and", "rules": [{"field": "tier", "operator": "in", "value": ["vip"]}]}


@pytest.fixture
def vips(org):
    return [ClientFactory(name=f"Vip {n:02d}", tier=Tier.VIP, account_manager=org.manager) for n in range(25)]


def test_an_admin_sees_the_count_and_the_first_twenty_by_name(org, as_api_user, vips):
    response = as_api_user(org.admin).post(URL, {"rules": VIP}, format="json")

    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 25
    assert [row["name"] for row in body["clients"]] == [f"Vip {n:02d}" for n in range(20)]
    assert body["clients"][0]["account_manager_name"] == org.manager.full_name
    assert body["summary"]
    assert Segment.objects.count() == 0  # a preview saves nothing


def test_an_empty_and_group_matches_every_client(org, as_api_user, vips):
    response = as_api_user(org.admin).post(URL, {"rules": {"op": "and", "rules": []}}, format="json")

    assert response.json()["count"] == Client.objects.count()


@pytest.mark.parametrize(
    ("rules", "message"),
    [
        ({"op": "and", "rules": [{"field": "tierr", "operator": "in", "value": ["vip"]}]}, "rules[0]: unknown field"),
        ({"op": "xor", "rules": []}, "top level: unknown group operator"),
        ("'; DROP TABLE clients_client; --", "top level: expected a group"),
    ],
)
def test_invalid_rules_are_a_bad_request_naming_the_node(org, as_api_user, rules, message):
    response = as_api_user(org.admin).post(URL, {"rules": rules}, format="json")

    assert response.status_code == 400
    assert message in response.json()["rules"][0]


def test_missing_rules_are_a_field_error(org, as_api_user):
    response = as_api_user(org.admin).post(URL, {}, format="json")

    assert response.status_code == 400
    assert "rules" in response.json()


@pytest.mark.parametrize("who", ["manager", "lead"])
def test_only_admins_preview(org, as_api_user, vips, who):
    response = as_api_user(getattr(org, who)).post(URL, {"rules": VIP}, format="json")

    assert response.status_code == 403


def test_anonymous_is_refused(api):
    assert api.post(URL, {"rules": VIP}, format="json").status_code == 401


def test_the_preview_takes_the_same_queries_for_5_or_50_members(org, as_api_user, django_assert_max_num_queries):
    api = as_api_user(org.admin)
    for n in range(5):
        ClientFactory(name=f"Few {n}", tier=Tier.VIP, account_manager=org.manager)
    with django_assert_max_num_queries(4) as few:
        api.post(URL, {"rules": VIP}, format="json")
    for n in range(45):
        ClientFactory(name=f"Many {n}", tier=Tier.VIP, account_manager=org.teammate)
    with django_assert_max_num_queries(len(few.captured_queries)):
        api.post(URL, {"rules": VIP}, format="json")


def test_a_nul_character_in_a_text_value_is_dropped_not_a_server_error(org, as_api_user):
    ClientFactory(name="Zarasai one", city="Zarasai", account_manager=org.manager)
    rules = {"op": "and", "rules": [{"field": "city", "operator": "contains", "value": "Zara\x00sai"}]}

    response = as_api_user(org.admin).post(URL, {"rules": rules}, format="json")

    assert response.status_code == 200
    assert [row["name"] for row in response.json()["clients"]] == ["Zarasai one"]
