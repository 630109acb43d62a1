"""list_segment_clients: the segment's members, within what the user may see, in one query."""

import pytest

from clients.models import Tier
from segments.selectors import list_segment_clients
from tests.factories.clients import ClientFactory
from tests.factories.segments import SegmentFactory
from tests.segments.conftest import NOW


@pytest.fixture
def vip_segment(org):
    for client in (org.client, org.foreign_client):
        client.tier = Tier.VIP
        client.save()
    ClientFactory(name="Unassigned VIP UAB", tier=Tier.VIP)
    return SegmentFactory(
        name="VIP", rules={"op": "and", "rules": [{"field": "tier", "operator": "in", "value": ["vip"]}]}
    )


def names(user, segment) -> list[str]:
    return [client.name for client in list_segment_clients(user, segment, now=NOW)]


def test_a_manager_sees_only_the_members_they_may_see(org, vip_segment):
    assert names(org.manager, vip_segment) == ["Own Client UAB"]
    assert names(org.teammate, vip_segment) == ["Own Client UAB"]  # a teammate's client is visible, read-only
    assert names(org.outsider, vip_segment) == ["Foreign Client OOO"]


def test_a_team_lead_sees_the_led_teams_members(org, vip_segment):
    assert names(org.lead, vip_segment) == ["Own Client UAB"]
    assert names(org.other_lead, vip_segment) == ["Foreign Client OOO"]


def test_an_admin_sees_every_member(org, vip_segment):
    assert names(org.admin, vip_segment) == ["Foreign Client OOO", "Own Client UAB", "Unassigned VIP UAB"]


def test_an_inactive_user_sees_nothing(org, vip_segment):
    org.manager.is_active = False
    org.manager.save()
    assert names(org.manager, vip_segment) == []


def test_a_new_segment_matches_every_visible_client(org):
    assert names(org.manager, SegmentFactory()) == ["Own Client UAB", "Teammate Client UAB"]


def test_members_are_read_in_one_query_with_their_account_manager(org, vip_segment, django_assert_num_queries):
    vip_segment.rules["rules"].append({"field": "tags", "operator": "not_in", "value": [999_999]})
    with django_assert_num_queries(1):
        rows = [
            (client.name, client.account_manager and client.account_manager.full_name)
            for client in list_segment_clients(org.admin, vip_segment)
        ]
    assert rows == [
        ("Foreign Client OOO", "Olga Outsider"),
        ("Own Client UAB", "Mantas Owner"),
        ("Unassigned VIP UAB", None),
    ]
