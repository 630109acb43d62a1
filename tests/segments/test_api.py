"""/api/v1/segments/: read by every signed-in user, kept by admins; members within the user's visibility."""

import pytest

from clients.models import Tier
from segments.models import Segment, SegmentSize
from tests.factories.accounts import PASSWORD
from tests.factories.clients import ClientFactory, TagFactory
from tests.factories.segments import SegmentFactory

LIST_URL = "/api/v1/segments/"
VIP_RULES = {"op": "and", "rules": [{"field": "tier", "operator": "in", "value": ["vip"]}]}
BAD_RULES = {"op": "and", "rules": [{"field": "tierr", "operator": "in", "value": ["vip"]}]}
ADMINS_ONLY = {"detail": "Only administrators can change segments."}


def detail_url(segment):
    return f"/api/v1/segments/{segment.pk}/"


def members_url(segment):
    return f"/api/v1/segments/{segment.pk}/clients/"


def names(response):
    return [row["name"] for row in response.json()["results"]]


@pytest.fixture
def vip(org):
    return SegmentFactory(name="VIP", description="Our best clients", rules=VIP_RULES, created_by=org.admin)


def snapshot(segment):
    """What a refused write must leave exactly as it was."""
    segment.refresh_from_db()
    return (segment.name, segment.description, segment.colour, segment.rules, segment.is_active, segment.updated_at)


# --- who may do what ---


@pytest.mark.parametrize("url", ["list", "detail", "members"])
def test_anonymous_reads_are_refused(api, vip, url):
    response = api.get({"list": LIST_URL, "detail": detail_url(vip), "members": members_url(vip)}[url])

    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"
    assert response.json() == {"detail": "Authentication credentials were not provided."}


def test_anonymous_writes_are_refused_and_change_nothing(api, vip):
    before = snapshot(vip)

    created = api.post(LIST_URL, {"name": "Sneaky", "rules": VIP_RULES}, format="json")
    changed = api.patch(detail_url(vip), {"name": "Sneaky"}, format="json")
    deleted = api.delete(detail_url(vip))

    assert [created.status_code, changed.status_code, deleted.status_code] == [401, 401, 401]
    assert Segment.objects.count() == 1
    assert snapshot(vip) == before


@pytest.mark.parametrize("role", ["manager", "lead", "admin"])
def test_every_role_reads_every_segment(as_api_user, org, vip, role):
    SegmentFactory(name="Dormant", is_active=False)
    api = as_api_user(getattr(org, role))

    listing = api.get(LIST_URL)
    detail = api.get(detail_url(vip))

    assert listing.status_code == 200
    assert listing.json()["count"] == 2
    assert names(listing) == ["Dormant", "VIP"]
    assert detail.status_code == 200
    assert detail.json() == {
        "id": vip.pk,
        "name": "VIP",
        "description": "Our best clients",
        "colour": "#1d4ed8",
        "rules": VIP_RULES,
        "is_active": True,
        "created_by": org.admin.pk,
        "created_at": detail.json()["created_at"],
        "updated_at": detail.json()["updated_at"],
    }


def test_the_list_filters_by_active(as_api_user, org, vip):
    SegmentFactory(name="Dormant", is_active=False)

    response = as_api_user(org.manager).get(LIST_URL, {"active": "false"})

    assert names(response) == ["Dormant"]


@pytest.mark.parametrize("role", ["manager", "lead"])
def test_managers_and_leads_cannot_create(as_api_user, org, role):
    response = as_api_user(getattr(org, role)).post(LIST_URL, {"name": "Mine", "rules": VIP_RULES}, format="json")

    assert response.status_code == 403
    assert response.json() == ADMINS_ONLY
    assert Segment.objects.count() == 0


@pytest.mark.parametrize("role", ["manager", "lead"])
@pytest.mark.parametrize("method", ["put", "patch"])
def test_managers_and_leads_cannot_change(as_api_user, org, vip, role, method):
    before = snapshot(vip)

    response = getattr(as_api_user(getattr(org, role)), method)(
        detail_url(vip), {"name": "Renamed", "rules": {"op": "or", "rules": []}}, format="json"
    )

    assert response.status_code == 403
    assert response.json() == ADMINS_ONLY
    assert snapshot(vip) == before


@pytest.mark.parametrize("role", ["manager", "lead"])
def test_managers_and_leads_cannot_delete(as_api_user, org, vip, role):
    response = as_api_user(getattr(org, role)).delete(detail_url(vip))

    assert response.status_code == 403
    assert response.json() == ADMINS_ONLY
    assert Segment.objects.filter(pk=vip.pk).exists()


# --- admin CRUD ---


def test_an_admin_creates_a_segment_with_cleaned_rules(as_api_user, org):
    rules = {"op": "and", "rules": [{"field": "country", "operator": "in", "value": ["lt"]}]}

    response = as_api_user(org.admin).post(
        LIST_URL,
        {"name": "  Lithuania ", "description": "Home market", "colour": "#ff0000", "rules": rules},
        format="json",
    )

    assert response.status_code == 201
    segment = Segment.objects.get()
    cleaned = {"op": "and", "rules": [{"field": "country", "operator": "in", "value": ["LT"]}]}
    assert (segment.name, segment.description, segment.colour) == ("Lithuania", "Home market", "#ff0000")
    assert segment.rules == cleaned
    assert segment.is_active is True
    assert segment.created_by == org.admin
    assert response.json()["id"] == segment.pk
    assert response.json()["rules"] == cleaned
    assert response.json()["created_by"] == org.admin.pk


def test_a_segment_created_without_rules_matches_every_client(as_api_user, org):
    response = as_api_user(org.admin).post(LIST_URL, {"name": "Everyone"}, format="json")

    assert response.status_code == 201
    assert response.json()["rules"] == {"op": "and", "rules": []}
    assert response.json()["colour"] == "#6b7280"


def test_created_by_cannot_be_written(as_api_user, org):
    response = as_api_user(org.admin).post(LIST_URL, {"name": "Mine", "created_by": org.manager.pk}, format="json")

    assert response.status_code == 201
    assert Segment.objects.get().created_by == org.admin


def test_an_admin_replaces_a_segment(as_api_user, org, vip):
    rules = {"op": "or", "rules": [{"field": "tier", "operator": "in", "value": ["key"]}]}

    response = as_api_user(org.admin).put(
        detail_url(vip),
        {"name": "Key", "description": "", "colour": "#00aa00", "rules": rules, "is_active": False},
        format="json",
    )

    assert response.status_code == 200
    vip.refresh_from_db()
    assert (vip.name, vip.description, vip.colour, vip.rules, vip.is_active) == ("Key", "", "#00aa00", rules, False)
    assert vip.created_by == org.admin
    assert response.json()["name"] == "Key"


def test_an_admin_patches_only_the_fields_sent(as_api_user, org, vip):
    response = as_api_user(org.admin).patch(detail_url(vip), {"is_active": False}, format="json")

    assert response.status_code == 200
    vip.refresh_from_db()
    assert (vip.name, vip.rules, vip.is_active) == ("VIP", VIP_RULES, False)


def test_an_admin_deletes_a_segment_with_its_sizes(as_api_user, org, vip):
    SegmentSize.objects.create(segment=vip, day="2025-06-01", size=3)

    response = as_api_user(org.admin).delete(detail_url(vip))

    assert response.status_code == 204
    assert Segment.objects.count() == 0
    assert SegmentSize.objects.count() == 0


# --- validation: the rule validator's messages, nothing saved ---


def test_invalid_rules_on_create_are_a_400_with_the_validator_message(as_api_user, org):
    response = as_api_user(org.admin).post(LIST_URL, {"name": "Broken", "rules": BAD_RULES}, format="json")

    assert response.status_code == 400
    assert response.json() == {"rules": ["rules[0]: unknown field 'tierr'"]}
    assert Segment.objects.count() == 0


@pytest.mark.parametrize(
    ("rules", "message"),
    [
        ("tier = vip", 'top level: expected a group {"op": "and" or "or", "rules": [...]}'),
        ([], 'top level: expected a group {"op": "and" or "or", "rules": [...]}'),
        ({"op": "xor", "rules": []}, 'top level: unknown group operator \'xor\': use "and" or "or"'),
        (
            {"op": "and", "rules": [{"field": "account_manager", "operator": "in", "value": [999_999]}]},
            "rules[0]: no user with id 999999",
        ),
    ],
)
def test_invalid_rules_on_update_are_a_400_and_change_nothing(as_api_user, org, vip, rules, message):
    before = snapshot(vip)

    response = as_api_user(org.admin).patch(detail_url(vip), {"name": "Renamed", "rules": rules}, format="json")

    assert response.status_code == 400
    assert response.json() == {"rules": [message]}
    assert snapshot(vip) == before


def test_a_taken_name_is_refused(as_api_user, org, vip):
    response = as_api_user(org.admin).post(LIST_URL, {"name": "VIP", "rules": VIP_RULES}, format="json")

    assert response.status_code == 400
    assert response.json() == {"name": ["Another segment already has this name."]}
    assert Segment.objects.count() == 1


def test_a_colour_must_be_hex(as_api_user, org, vip):
    before = snapshot(vip)

    response = as_api_user(org.admin).patch(detail_url(vip), {"colour": "blue"}, format="json")

    assert response.status_code == 400
    assert response.json() == {"colour": ["Enter a colour as #rrggbb, for example #1d4ed8."]}
    assert snapshot(vip) == before


# --- members ---


@pytest.fixture
def tagged(world):
    """Wine or beer drinkers: Alpha and Delta (Mia North's), Beta (Sam South's); Gamma has no tag."""
    rules = {"op": "or", "rules": [{"field": "tags", "operator": "in", "value": [world.wine.pk, world.beer.pk]}]}
    return SegmentFactory(name="Drinkers", rules=rules)


@pytest.mark.parametrize(
    ("user", "expected"),
    [("m1", ["Alpha", "Delta"]), ("m2", ["Beta"]), ("admin", ["Alpha", "Beta", "Delta"])],
)
def test_members_are_the_matching_clients_the_user_may_see(as_api_user, world, tagged, user, expected):
    response = as_api_user(getattr(world, user)).get(members_url(tagged))

    assert response.status_code == 200
    assert response.json()["count"] == len(expected)
    assert names(response) == expected


def test_members_are_serialized_like_the_clients_api(as_api_user, world, tagged):
    api = as_api_user(world.m1)

    member = api.get(members_url(tagged)).json()["results"][0]
    client = api.get(f"/api/v1/clients/{world.alpha.pk}/").json()

    assert member == client
    assert member["tags"] == ["wine"]
    assert member["account_manager_name"] == "Mia North"


def test_members_of_an_unknown_segment_are_a_404(as_api_user, world):
    response = as_api_user(world.admin).get("/api/v1/segments/999999/clients/")

    assert response.status_code == 404


def test_members_are_paginated_like_the_clients_api(as_api_user, org):
    for _ in range(55):
        ClientFactory(account_manager=org.manager, tier=Tier.VIP)
    segment = SegmentFactory(rules=VIP_RULES)
    api = as_api_user(org.manager)

    first = api.get(members_url(segment)).json()
    second = api.get(members_url(segment), {"page": 2}).json()

    assert first["count"] == 55
    assert len(first["results"]) == 50
    assert first["next"] == f"http://testserver{members_url(segment)}?page=2"
    assert first["previous"] is None
    assert len(second["results"]) == 5
    assert {row["id"] for row in first["results"]}.isdisjoint(row["id"] for row in second["results"])


@pytest.mark.parametrize("extra_clients", [3, 60])
@pytest.mark.parametrize("role", ["manager", "admin"])
def test_members_query_count_does_not_grow_with_rows(
    as_api_user, org, django_assert_max_num_queries, extra_clients, role
):
    tags = [TagFactory(name="north"), TagFactory(name="south")]
    for _ in range(extra_clients):
        ClientFactory(account_manager=org.manager, tier=Tier.VIP).tags.set(tags)
    segment = SegmentFactory(rules=VIP_RULES)
    api = as_api_user(getattr(org, role))

    # the segment, the count, the page of clients with their managers, the page's tags
    with django_assert_max_num_queries(4):
        response = api.get(members_url(segment))

    assert response.status_code == 200
    assert len(response.json()["results"]) == min(extra_clients, 50)


@pytest.mark.parametrize("extra_segments", [2, 30])
def test_list_query_count_does_not_grow_with_rows(as_api_user, org, django_assert_max_num_queries, extra_segments):
    SegmentFactory.create_batch(extra_segments, created_by=org.admin)
    api = as_api_user(org.manager)

    # the count, the page of segments
    with django_assert_max_num_queries(2):
        response = api.get(LIST_URL)

    assert response.json()["count"] == extra_segments


def test_token_authentication(api, world, tagged):
    token_response = api.post("/api/v1/auth/token/", {"username": world.m1.email, "password": PASSWORD})
    assert token_response.status_code == 200

    api.credentials(HTTP_AUTHORIZATION=f"Token {token_response.json()['token']}")
    listing = api.get(LIST_URL)
    members = api.get(members_url(tagged))
    refused = api.delete(detail_url(tagged))

    assert listing.status_code == 200
    assert names(listing) == ["Drinkers"]
    assert names(members) == ["Alpha", "Delta"]
    assert refused.status_code == 403
    assert Segment.objects.filter(pk=tagged.pk).exists()
