"""The client list's `segment` filter (registered by segments): the page, the CSV export and the API alike."""

import csv
import io
import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from clients.listing import get_client_groups
from clients.models import Client, Tier
from segments.rules import validate_rules
from segments.selectors import list_active_segments, list_segment_members_among
from tests.factories.clients import ClientFactory
from tests.factories.interactions import InteractionFactory
from tests.factories.segments import SegmentFactory

LIST = reverse("clients:list")
EXPORT = reverse("contacts:client_export")
API = "/api/v1/clients/"

# VIP clients contacted in the last 30 days: a rule on the client's row and one over its interactions.
RECENT_VIPS = {
    "op": "and",
    "rules": [
        {"field": "tier", "operator": "in", "value": ["vip"]},
        {"field": "interactions_last_days", "operator": "gte", "value": 1, "days": 30},
    ],
}


def page_names(response) -> list[str]:
    assert response.status_code == 200
    return [client.name for client in response.context["page"].object_list]


def export_names(response) -> list[str]:
    assert response.status_code == 200
    text = b"".join(response.streaming_content).decode("utf-8").lstrip("\ufeff")
    return [row["name"] for row in csv.DictReader(io.StringIO(text))]


def api_names(response) -> list[str]:
    assert response.status_code == 200
    return [row["name"] for row in response.json()["results"]]


def filter_form(response) -> str:
    body = response.content.decode()
    start = body.index('<form class="filters')
    return body[start : body.index("</form>", start)]


def hidden_inputs(response) -> dict[str, str]:
    return dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)">', filter_form(response)))


def vip(name: str, manager, *, contacted_days_ago: int) -> Client:
    client = ClientFactory(name=name, tier=Tier.VIP, account_manager=manager)
    InteractionFactory(client=client, occurred_at=timezone.now() - timedelta(days=contacted_days_ago))
    return client


@pytest.fixture
def recent(org):
    """Members: two North VIPs and a South one contacted lately; a quiet VIP and the org's clients are not."""
    vip("North VIP", org.manager, contacted_days_ago=3)
    vip("Teammate VIP", org.teammate, contacted_days_ago=10)
    vip("South VIP", org.outsider, contacted_days_ago=5)
    vip("Quiet VIP", org.manager, contacted_days_ago=60)
    InteractionFactory(client=org.client)  # contacted, but not a VIP
    return SegmentFactory(name="Recent VIPs", rules=validate_rules(RECENT_VIPS))


# --- members -------------------------------------------------------------------------------------------------------


def test_segments_register_the_client_lists_segment_filter():
    groups = get_client_groups("segment")
    assert groups is not None
    assert (str(groups.label), str(groups.empty_label)) == ("Segment", "All segments")
    assert groups.list_groups is list_active_segments
    assert groups.narrow is list_segment_members_among


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("admin", ["North VIP", "South VIP", "Teammate VIP"]),
        ("lead", ["North VIP", "Teammate VIP"]),
        ("manager", ["North VIP", "Teammate VIP"]),
        ("outsider", ["South VIP"]),
    ],
)
def test_page_export_and_api_list_exactly_the_members_the_user_may_see(
    as_user, as_api_user, org, recent, who, expected
):
    user = getattr(org, who)
    params = {"segment": recent.pk}
    assert page_names(as_user(user).get(LIST, params)) == expected
    assert export_names(as_user(user).get(EXPORT, params)) == expected
    assert api_names(as_api_user(user).get(API, params)) == expected


def test_a_manager_never_sees_members_of_another_team_even_when_asking_for_that_team(as_user, as_api_user, org, recent):
    params = {"segment": recent.pk, "team": org.south.pk}
    assert page_names(as_user(org.manager).get(LIST, params)) == []
    assert export_names(as_user(org.manager).get(EXPORT, params)) == []
    assert "South VIP" not in api_names(as_api_user(org.manager).get(API, {"segment": recent.pk}))


def test_the_segment_combines_with_the_other_filters(as_user, org, recent):
    c = as_user(org.admin)
    assert page_names(c.get(LIST, {"segment": recent.pk, "team": org.north.pk})) == ["North VIP", "Teammate VIP"]
    assert page_names(c.get(LIST, {"segment": recent.pk, "manager": org.teammate.pk})) == ["Teammate VIP"]
    assert page_names(c.get(LIST, {"segment": recent.pk, "q": "south"})) == ["South VIP"]
    assert page_names(c.get(LIST, {"segment": recent.pk, "sort": "-name"})) == [
        "Teammate VIP",
        "South VIP",
        "North VIP",
    ]
    assert page_names(c.get(LIST, {"segment": recent.pk, "status": "churned"})) == []


def test_membership_is_read_now_from_the_rules(as_user, org, recent):
    quiet = Client.objects.get(name="Quiet VIP")
    InteractionFactory(client=quiet, occurred_at=timezone.now() - timedelta(days=1))
    assert page_names(as_user(org.lead).get(LIST, {"segment": recent.pk})) == ["North VIP", "Quiet VIP", "Teammate VIP"]


def test_a_segment_matching_every_client_lists_the_whole_visible_list(as_user, org, recent):
    everyone = SegmentFactory(name="Everyone")  # an empty AND group
    c = as_user(org.manager)
    assert page_names(c.get(LIST, {"segment": everyone.pk})) == page_names(c.get(LIST))


# --- the page ------------------------------------------------------------------------------------------------------


def test_the_form_offers_the_active_segments_and_names_the_chosen_one(as_user, org, recent):
    SegmentFactory(name="Archived", is_active=False)
    response = as_user(org.manager).get(LIST, {"segment": recent.pk, "tier": ""})
    assert re.search(
        r'<label class="sr-only" for="id_segment">Segment</label><select name="segment" id="id_segment">\s*'
        r'<option value="">All segments</option>\s*'
        rf'<option value="{recent.pk}" selected>Recent VIPs</option>\s*</select>',
        filter_form(response),
    )
    body = response.content.decode()
    assert (
        '<span class="link-filter"><span class="muted">Segment:</span> Recent VIPs '
        '<a class="small" href="?tier=" title="Remove this filter">✕</a></span>'
    ) in body
    assert hidden_inputs(response) == {}  # the select sends it again


def test_without_active_segments_the_form_has_no_segment_select(as_user, org):
    SegmentFactory(name="Archived", is_active=False)
    response = as_user(org.manager).get(LIST)
    assert 'name="segment"' not in response.content.decode()
    assert "Segment:" not in response.content.decode()


@pytest.mark.parametrize("active_others", [True, False])
def test_an_inactive_or_removed_segment_lists_nobody_and_is_named_by_its_id(as_user, as_api_user, org, active_others):
    archived = SegmentFactory(name="Archived", is_active=False)  # matches every client
    if active_others:
        SegmentFactory(name="Open")
    for segment_id in (archived.pk, archived.pk + 1000):
        response = as_user(org.manager).get(LIST, {"segment": segment_id})
        assert page_names(response) == []
        assert "No clients match these filters" in response.content.decode()
        assert f'<span class="muted">Segment:</span> #{segment_id} ' in response.content.decode()
        if active_others:  # shown selected in the select, which sends it again
            assert f'<option value="{segment_id}" selected>#{segment_id}</option>' in filter_form(response)
            assert hidden_inputs(response) == {}
        else:  # no select: the form carries it in a hidden input
            assert hidden_inputs(response) == {"segment": str(segment_id)}
        assert export_names(as_user(org.manager).get(EXPORT, {"segment": segment_id})) == []
        assert api_names(as_api_user(org.manager).get(API, {"segment": segment_id})) == []


@pytest.mark.parametrize("value", ["abc", "-1", "0", "1.5", "99999999999999999999999", "", "\x00"])
def test_a_malformed_segment_id_is_ignored_on_the_page_and_a_bad_request_in_the_api(
    as_user, as_api_user, org, recent, value
):
    c = as_user(org.lead)
    everything = page_names(c.get(LIST))
    response = c.get(LIST, {"segment": value})
    assert page_names(response) == everything
    assert "Segment:" not in response.content.decode()
    assert hidden_inputs(response) == {}
    assert c.get(LIST, {"segment": value}, headers={"HX-Request": "true"}).status_code == 200
    assert export_names(c.get(EXPORT, {"segment": value})) == everything
    api_response = as_api_user(org.lead).get(API, {"segment": value})
    if value == "":
        assert api_names(api_response) == everything
    else:
        assert api_response.status_code == 400
        assert list(api_response.json()) == ["segment"]


# --- queries -------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("rows", [5, 50])
def test_the_segment_filter_adds_no_query_per_row(
    as_user, as_api_user, org, recent, rows, settings, django_assert_max_num_queries
):
    for index in range(rows):
        vip(f"Member {index:02}", org.teammate, contacted_days_ago=2)
    params = {"segment": recent.pk, "team": org.north.pk}
    page = as_user(org.lead)
    # Constant: the list's own (session, user, the link's team, count, page, tags, unread notifications,
    # the form's managers, teams and tags), the asked-for segment and the segments offered; the segment's
    # rules are subqueries of the list's count and page.
    with django_assert_max_num_queries(12):
        response = page.get(LIST, params)
    assert len(page_names(response)) == min(rows + 2, settings.CLIENTS_PAGE_SIZE)
    # the count, the page with its managers, its tags, and the asked-for segment
    with django_assert_max_num_queries(5):
        assert len(api_names(as_api_user(org.lead).get(API, params))) == min(rows + 2, 50)
