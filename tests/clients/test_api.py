import pytest
from django.utils import timezone

from clients.models import Client, Status, Tier
from tests.factories.accounts import PASSWORD
from tests.factories.clients import ClientFactory, TagFactory
from tests.factories.contacts import ContactFactory

LIST_URL = "/api/v1/clients/"


def detail_url(client):
    return f"/api/v1/clients/{client.pk}/"


def names(response):
    return [row["name"] for row in response.json()["results"]]


def test_unauthenticated_request_is_refused(api, org):
    response = api.get(LIST_URL)

    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"
    assert response.json() == {"detail": "Authentication credentials were not provided."}


def test_unauthenticated_create_creates_nothing(api, org):
    response = api.post(LIST_URL, {"name": "Sneaky UAB"}, format="json")

    assert response.status_code == 401
    assert Client.objects.count() == 3


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("manager", ["Own Client UAB", "Teammate Client UAB"]),
        ("teammate", ["Own Client UAB", "Teammate Client UAB"]),
        ("lead", ["Own Client UAB", "Teammate Client UAB"]),
        ("outsider", ["Foreign Client OOO"]),
        ("other_lead", ["Foreign Client OOO"]),
        ("admin", ["Foreign Client OOO", "Own Client UAB", "Teammate Client UAB"]),
    ],
)
def test_each_role_lists_only_the_clients_it_may_see(as_api_user, org, role, expected):
    response = as_api_user(getattr(org, role)).get(LIST_URL)

    assert response.status_code == 200
    assert response.json()["count"] == len(expected)
    assert names(response) == expected


def test_detail_shows_every_field(as_api_user, org):
    org.client.tags.set([TagFactory(name="baltic"), TagFactory(name="distributor")])
    org.client.referred_by = org.team_client
    org.client.source = "referral"
    org.client.save()

    response = as_api_user(org.manager).get(detail_url(org.client))

    assert response.status_code == 200
    org.client.refresh_from_db()
    assert response.json() == {
        "id": org.client.pk,
        "name": "Own Client UAB",
        "registration_code": org.client.registration_code,
        "tier": "standard",
        "status": "active",
        "churned_on": None,
        "churn_reason": "",
        "industry": "",
        "country": "LT",
        "city": "Vilnius",
        "address": "",
        "website": "",
        "account_manager": org.manager.pk,
        "account_manager_name": "Mantas Owner",
        "source": "referral",
        "referred_by": org.team_client.pk,
        "tags": ["baltic", "distributor"],
        "discount_percent": None,
        "notes": "",
        "created_at": timezone.localtime(org.client.created_at).isoformat(),
        "updated_at": timezone.localtime(org.client.updated_at).isoformat(),
        "health_score": None,
        "health_band": "",
        "url": f"http://testserver/clients/{org.client.pk}/",
    }


def test_unassigned_client_has_no_manager_name(as_api_user, org):
    unassigned = ClientFactory(name="Nobody's UAB", account_manager=None)

    response = as_api_user(org.admin).get(detail_url(unassigned))

    assert response.status_code == 200
    assert response.json()["account_manager"] is None
    assert response.json()["account_manager_name"] is None


@pytest.mark.parametrize(("role", "target"), [("manager", "foreign_client"), ("other_lead", "client")])
def test_invisible_client_is_not_found(as_api_user, org, role, target):
    response = as_api_user(getattr(org, role)).get(detail_url(getattr(org, target)))

    assert response.status_code == 404


def test_invisible_client_cannot_be_updated(as_api_user, org):
    response = as_api_user(org.manager).patch(detail_url(org.foreign_client), {"name": "Mine now"}, format="json")

    assert response.status_code == 404
    org.foreign_client.refresh_from_db()
    assert org.foreign_client.name == "Foreign Client OOO"


def test_manager_updates_own_client_and_its_tags(as_api_user, org):
    org.client.tags.set([TagFactory(name="old")])

    response = as_api_user(org.manager).patch(
        detail_url(org.client),
        {"name": "Own Client AB", "tier": "vip", "tags": ["Baltic", " baltic ", "wholesale"]},
        format="json",
    )

    assert response.status_code == 200
    assert response.json()["name"] == "Own Client AB"
    assert response.json()["tags"] == ["Baltic", "wholesale"]
    org.client.refresh_from_db()
    assert org.client.name == "Own Client AB"
    assert org.client.tier == Tier.VIP
    assert sorted(t.name for t in org.client.tags.all()) == ["Baltic", "wholesale"]
    assert org.client.history.latest().history_user == org.manager


def test_patch_without_tags_keeps_them(as_api_user, org):
    org.client.tags.set([TagFactory(name="keep")])

    response = as_api_user(org.manager).patch(detail_url(org.client), {"city": "Kaunas"}, format="json")

    assert response.status_code == 200
    assert response.json()["tags"] == ["keep"]
    assert response.json()["city"] == "Kaunas"


def test_manager_cannot_update_teammates_client(as_api_user, org):
    response = as_api_user(org.manager).patch(detail_url(org.team_client), {"name": "Taken over"}, format="json")

    assert response.status_code == 403
    assert response.json() == {"detail": "You can view this client but not change it."}
    org.team_client.refresh_from_db()
    assert org.team_client.name == "Teammate Client UAB"


def test_manager_cannot_reassign_own_client(as_api_user, org):
    response = as_api_user(org.manager).patch(
        detail_url(org.client), {"account_manager": org.teammate.pk}, format="json"
    )

    assert response.status_code == 400
    assert response.json() == {"account_manager": ["Only team leads and administrators reassign clients."]}
    org.client.refresh_from_db()
    assert org.client.account_manager == org.manager


def test_manager_may_send_back_the_unchanged_manager(as_api_user, org):
    response = as_api_user(org.manager).patch(
        detail_url(org.client), {"account_manager": org.manager.pk, "city": "Kaunas"}, format="json"
    )

    assert response.status_code == 200
    org.client.refresh_from_db()
    assert (org.client.account_manager, org.client.city) == (org.manager, "Kaunas")


def test_lead_reassigns_within_the_team(as_api_user, org):
    response = as_api_user(org.lead).patch(detail_url(org.client), {"account_manager": org.teammate.pk}, format="json")

    assert response.status_code == 200
    assert response.json()["account_manager"] == org.teammate.pk
    assert response.json()["account_manager_name"] == "Tomas Teammate"
    org.client.refresh_from_db()
    assert org.client.account_manager == org.teammate


def test_lead_cannot_reassign_to_another_teams_manager(as_api_user, org):
    response = as_api_user(org.lead).patch(detail_url(org.client), {"account_manager": org.outsider.pk}, format="json")

    # staff of other teams are unknown to a lead, as in the list's manager filter
    assert response.status_code == 400
    assert response.json() == {"account_manager": [f'Invalid pk "{org.outsider.pk}" - object does not exist.']}
    org.client.refresh_from_db()
    assert org.client.account_manager == org.manager


def test_admin_reassigns_any_client_to_any_manager(as_api_user, org):
    response = as_api_user(org.admin).patch(detail_url(org.client), {"account_manager": org.outsider.pk}, format="json")

    assert response.status_code == 200
    org.client.refresh_from_db()
    assert org.client.account_manager == org.outsider


def test_manager_creates_a_client_that_is_their_own(as_api_user, org):
    response = as_api_user(org.manager).post(
        LIST_URL,
        {"name": "New Lead UAB", "registration_code": " 123456789 ", "tier": "key", "tags": ["fresh"]},
        format="json",
    )

    assert response.status_code == 201
    created = Client.objects.get(name="New Lead UAB")
    assert response.json()["id"] == created.pk
    assert response.json()["account_manager"] == org.manager.pk
    assert response.json()["tags"] == ["fresh"]
    assert created.account_manager == org.manager
    assert created.created_by == org.manager
    assert created.registration_code == "123456789"
    assert created.status == Status.PROSPECT


def test_manager_cannot_create_a_client_for_someone_else(as_api_user, org):
    response = as_api_user(org.manager).post(
        LIST_URL, {"name": "Gift UAB", "account_manager": org.teammate.pk}, format="json"
    )

    assert response.status_code == 400
    assert response.json() == {"account_manager": ["Only team leads and administrators assign clients to others."]}
    assert not Client.objects.filter(name="Gift UAB").exists()


def test_lead_creates_a_client_for_a_team_member(as_api_user, org):
    response = as_api_user(org.lead).post(
        LIST_URL, {"name": "Team UAB", "account_manager": org.teammate.pk}, format="json"
    )

    assert response.status_code == 201
    assert Client.objects.get(name="Team UAB").account_manager == org.teammate


def test_lead_cannot_create_a_client_for_another_team(as_api_user, org):
    response = as_api_user(org.lead).post(
        LIST_URL, {"name": "Poached UAB", "account_manager": org.outsider.pk}, format="json"
    )

    assert response.status_code == 400
    assert response.json() == {"account_manager": [f'Invalid pk "{org.outsider.pk}" - object does not exist.']}
    assert not Client.objects.filter(name="Poached UAB").exists()


def test_create_with_bad_data_returns_field_errors_and_creates_nothing(as_api_user, org):
    response = as_api_user(org.manager).post(
        LIST_URL,
        {"tier": "gold", "website": "not a url", "country": "XX", "tags": ["x" * 51]},
        format="json",
    )

    assert response.status_code == 400
    assert response.json() == {
        "name": ["This field is required."],
        "tier": ['"gold" is not a valid choice.'],
        "country": ['"XX" is not a valid choice.'],
        "website": ["Enter a valid URL."],
        "tags": {"0": ["Ensure this field has no more than 50 characters."]},
    }
    assert Client.objects.count() == 3


def test_duplicate_registration_code_is_refused(as_api_user, org):
    response = as_api_user(org.manager).post(
        LIST_URL, {"name": "Copycat UAB", "registration_code": org.foreign_client.registration_code}, format="json"
    )

    assert response.status_code == 400
    assert response.json() == {"registration_code": ["Another client already has this registration code."]}
    assert not Client.objects.filter(name="Copycat UAB").exists()


def test_duplicate_registration_code_on_update_is_refused(as_api_user, org):
    old_code = org.client.registration_code

    response = as_api_user(org.manager).patch(
        detail_url(org.client), {"registration_code": org.team_client.registration_code}, format="json"
    )

    assert response.status_code == 400
    assert response.json() == {"registration_code": ["Another client already has this registration code."]}
    org.client.refresh_from_db()
    assert org.client.registration_code == old_code


def test_churn_needs_a_reason(as_api_user, org):
    response = as_api_user(org.manager).patch(detail_url(org.client), {"status": "churned"}, format="json")

    assert response.status_code == 400
    assert response.json() == {"churn_reason": ["Give a reason when a client is marked as churned."]}
    org.client.refresh_from_db()
    assert org.client.status == Status.ACTIVE


def test_referrer_must_be_a_visible_client(as_api_user, org):
    response = as_api_user(org.manager).post(
        LIST_URL, {"name": "Referred UAB", "source": "referral", "referred_by": org.foreign_client.pk}, format="json"
    )

    assert response.status_code == 400
    assert response.json() == {"referred_by": [f'Invalid pk "{org.foreign_client.pk}" - object does not exist.']}
    assert not Client.objects.filter(name="Referred UAB").exists()


def test_referrer_requires_the_referral_source(as_api_user, org):
    response = as_api_user(org.manager).patch(
        detail_url(org.client), {"referred_by": org.team_client.pk}, format="json"
    )

    assert response.status_code == 400
    assert response.json() == {"source": ["Choose “Referral by a client” when a referring client is given."]}
    org.client.refresh_from_db()
    assert org.client.referred_by is None


def test_clients_cannot_be_deleted(as_api_user, org):
    response = as_api_user(org.admin).delete(detail_url(org.client))

    assert response.status_code == 405
    assert Client.objects.filter(pk=org.client.pk).exists()


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("tier=vip", ["VIP One"]),
        ("status=churned", ["Gone Ltd"]),
        ("country=LV", ["Riga SIA"]),
        ("tag=baltic", ["Riga SIA", "VIP One"]),
        ("q=gone", ["Gone Ltd"]),
        ("q=buyer@riga.example", ["Riga SIA"]),
        ("sort=-name", ["VIP One", "Riga SIA", "Own Client UAB", "Gone Ltd"]),
        # ties break by name
        ("sort=tier", ["VIP One", "Gone Ltd", "Own Client UAB", "Riga SIA"]),
    ],
)
def test_filters_and_search(as_api_user, org, query, expected):
    baltic = TagFactory(name="baltic")
    ClientFactory(name="VIP One", tier=Tier.VIP, account_manager=org.manager).tags.add(baltic)
    ClientFactory(name="Gone Ltd", status=Status.CHURNED, churn_reason="Moved", account_manager=org.manager)
    riga = ClientFactory(name="Riga SIA", country="LV", account_manager=org.manager)
    riga.tags.add(baltic)
    ContactFactory(client=riga, email="buyer@riga.example")
    ContactFactory(client=riga, email="second-buyer@riga.example")
    org.team_client.delete()

    response = as_api_user(org.manager).get(f"{LIST_URL}?{query}")

    assert response.status_code == 200
    assert names(response) == expected


def test_manager_filter(as_api_user, org):
    response = as_api_user(org.lead).get(LIST_URL, {"manager": org.teammate.pk})

    assert response.status_code == 200
    assert names(response) == ["Teammate Client UAB"]


@pytest.mark.parametrize(
    ("params", "errors"),
    [
        ({"tier": "gold"}, {"tier": ["Select a valid choice. gold is not one of the available choices."]}),
        ({"sort": "secret"}, {"sort": ["Select a valid choice. secret is not one of the available choices."]}),
        ({"tag": "nope"}, {"tag": ["Select a valid choice. That choice is not one of the available choices."]}),
    ],
)
def test_bad_filter_values_are_a_bad_request(as_api_user, org, params, errors):
    response = as_api_user(org.manager).get(LIST_URL, params)

    assert response.status_code == 400
    assert response.json() == errors


def test_filtering_by_a_manager_of_another_team_is_a_bad_request(as_api_user, org):
    response = as_api_user(org.manager).get(LIST_URL, {"manager": org.outsider.pk})

    assert response.status_code == 400
    assert response.json() == {"manager": ["Select a valid choice. That choice is not one of the available choices."]}


@pytest.mark.parametrize("extra_clients", [5, 50])
def test_list_query_count_does_not_grow_with_rows(as_api_user, org, django_assert_max_num_queries, extra_clients):
    tags = [TagFactory(name="alpha"), TagFactory(name="beta")]
    for _ in range(extra_clients):
        ClientFactory(account_manager=org.manager).tags.set(tags)
    api = as_api_user(org.admin)

    # count, page of clients with their managers, tags of the page
    with django_assert_max_num_queries(3):
        response = api.get(LIST_URL)

    assert response.status_code == 200
    assert len(response.json()["results"]) == min(extra_clients + 3, 50)


def test_token_authentication(api, org):
    token_response = api.post("/api/v1/auth/token/", {"username": org.manager.email, "password": PASSWORD})
    assert token_response.status_code == 200
    token = token_response.json()["token"]

    api.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    response = api.get(LIST_URL)

    assert response.status_code == 200
    assert names(response) == ["Own Client UAB", "Teammate Client UAB"]


def test_wrong_password_gets_no_token(api, org):
    response = api.post("/api/v1/auth/token/", {"username": org.manager.email, "password": "wrong"})

    assert response.status_code == 400
    assert response.json() == {"non_field_errors": ["Unable to log in with provided credentials."]}


def test_session_authentication(api, org):
    assert api.login(username=org.teammate.email, password=PASSWORD)

    response = api.get(detail_url(org.team_client))

    assert response.status_code == 200
    assert response.json()["name"] == "Teammate Client UAB"


def test_browsable_api_offers_only_visible_staff_and_clients(as_api_user, org):
    response = as_api_user(org.manager).get(LIST_URL, HTTP_ACCEPT="text/html")

    assert response.status_code == 200
    html = response.content.decode()
    assert "Tomas Teammate" in html
    assert "Teammate Client UAB" in html
    assert "Olga Outsider" not in html
    assert "Foreign Client OOO" not in html
