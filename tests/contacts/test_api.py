from types import SimpleNamespace

import pytest
from django.utils import timezone

from contacts.models import Contact
from tests.factories.clients import ClientFactory
from tests.factories.contacts import ContactFactory

LIST_URL = "/api/v1/contacts/"


def detail_url(contact):
    return f"/api/v1/contacts/{contact.pk}/"


@pytest.fixture
def people(org):
    """One contact at each of the org's clients."""

    return SimpleNamespace(
        own=ContactFactory(client=org.client, full_name="Ona Own", is_primary=True),
        team=ContactFactory(client=org.team_client, full_name="Tadas Team", is_primary=True),
        foreign=ContactFactory(client=org.foreign_client, full_name="Fiodor Foreign", is_primary=True),
    )


def full_names(response):
    return [row["full_name"] for row in response.json()["results"]]


def test_unauthenticated_request_is_refused(api, people):
    response = api.get(LIST_URL)

    assert response.status_code == 401
    assert response.json() == {"detail": "Authentication credentials were not provided."}


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("manager", ["Ona Own", "Tadas Team"]),
        ("teammate", ["Ona Own", "Tadas Team"]),
        ("lead", ["Ona Own", "Tadas Team"]),
        ("outsider", ["Fiodor Foreign"]),
        ("other_lead", ["Fiodor Foreign"]),
        ("admin", ["Fiodor Foreign", "Ona Own", "Tadas Team"]),
    ],
)
def test_each_role_lists_only_contacts_of_visible_clients(as_api_user, org, people, role, expected):
    response = as_api_user(getattr(org, role)).get(LIST_URL)

    assert response.status_code == 200
    assert response.json()["count"] == len(expected)
    assert full_names(response) == expected


def test_detail_shows_every_field(as_api_user, org, people):
    contact = people.own
    contact.phone = "+37061234567"
    contact.save()

    response = as_api_user(org.manager).get(detail_url(contact))

    assert response.status_code == 200
    assert response.json() == {
        "id": contact.pk,
        "client": org.client.pk,
        "full_name": "Ona Own",
        "position": "Buyer",
        "email": contact.email,
        "phone": "+37061234567",
        "preferred_channel": "email",
        "language": "en",
        "is_primary": True,
        "is_decision_maker": False,
        "survey_opt_out": False,
        "announcement_opt_out": False,
        "created_at": timezone.localtime(contact.created_at).isoformat(),
        "updated_at": timezone.localtime(contact.updated_at).isoformat(),
    }


def test_contact_of_invisible_client_is_not_found(as_api_user, org, people):
    response = as_api_user(org.manager).get(detail_url(people.foreign))

    assert response.status_code == 404


def test_manager_adds_a_contact_to_own_client(as_api_user, org):
    response = as_api_user(org.manager).post(
        LIST_URL,
        {"client": org.client.pk, "full_name": "Petras Pirkėjas", "phone": "8 612 34567", "language": "lt"},
        format="json",
    )

    assert response.status_code == 201
    contact = Contact.objects.get(full_name="Petras Pirkėjas")
    assert response.json()["id"] == contact.pk
    assert response.json()["phone"] == "+37061234567"
    # the first contact of a client becomes its primary one
    assert response.json()["is_primary"] is True
    assert contact.client == org.client
    assert contact.phone.as_e164 == "+37061234567"
    assert contact.language == "lt"
    assert contact.history.latest().history_user == org.manager


def test_new_primary_contact_takes_the_flag(as_api_user, org, people):
    response = as_api_user(org.manager).post(
        LIST_URL, {"client": org.client.pk, "full_name": "New Boss", "is_primary": True}, format="json"
    )

    assert response.status_code == 201
    people.own.refresh_from_db()
    assert people.own.is_primary is False
    assert Contact.objects.get(full_name="New Boss").is_primary is True


def test_contact_on_invisible_client_is_a_bad_request_and_creates_nothing(as_api_user, org):
    # An invisible client reads like a nonexistent one: a 400 on the field, nothing revealed.
    response = as_api_user(org.manager).post(
        LIST_URL, {"client": org.foreign_client.pk, "full_name": "Spy"}, format="json"
    )

    assert response.status_code == 400
    assert response.json() == {"client": [f'Invalid pk "{org.foreign_client.pk}" - object does not exist.']}
    assert not Contact.objects.filter(full_name="Spy").exists()


def test_contact_on_teammates_client_is_forbidden_and_creates_nothing(as_api_user, org):
    response = as_api_user(org.manager).post(
        LIST_URL, {"client": org.team_client.pk, "full_name": "Helper"}, format="json"
    )

    assert response.status_code == 403
    assert response.json() == {"detail": "You can view this client but not change it."}
    assert not Contact.objects.filter(full_name="Helper").exists()


def test_create_with_bad_data_returns_field_errors_and_creates_nothing(as_api_user, org):
    response = as_api_user(org.manager).post(
        LIST_URL,
        {"client": org.client.pk, "email": "not-an-email", "phone": "12", "preferred_channel": "pigeon"},
        format="json",
    )

    assert response.status_code == 400
    assert response.json() == {
        "full_name": ["This field is required."],
        "email": ["Enter a valid email address."],
        "phone": ["Enter a valid phone number."],
        "preferred_channel": ['"pigeon" is not a valid choice.'],
    }
    assert Contact.objects.count() == 0


def test_manager_updates_a_contact_of_own_client(as_api_user, org, people):
    response = as_api_user(org.manager).patch(
        detail_url(people.own), {"position": "CEO", "is_decision_maker": True}, format="json"
    )

    assert response.status_code == 200
    people.own.refresh_from_db()
    assert (people.own.position, people.own.is_decision_maker) == ("CEO", True)


def test_manager_cannot_update_a_contact_of_teammates_client(as_api_user, org, people):
    response = as_api_user(org.manager).patch(detail_url(people.team), {"position": "Nobody"}, format="json")

    assert response.status_code == 403
    people.team.refresh_from_db()
    assert people.team.position == "Buyer"


def test_contact_cannot_move_to_another_client(as_api_user, org, people):
    other = ClientFactory(name="Second Own UAB", account_manager=org.manager)

    response = as_api_user(org.manager).patch(detail_url(people.own), {"client": other.pk}, format="json")

    assert response.status_code == 400
    assert response.json() == {"client": ["A contact cannot be moved to another client."]}
    people.own.refresh_from_db()
    assert people.own.client == org.client


def test_put_needs_the_required_fields(as_api_user, org, people):
    response = as_api_user(org.manager).put(detail_url(people.own), {"email": "ona@client.example"}, format="json")

    assert response.status_code == 400
    assert response.json() == {"client": ["This field is required."], "full_name": ["This field is required."]}
    people.own.refresh_from_db()
    assert people.own.email != "ona@client.example"


def test_put_changes_the_contact(as_api_user, org, people):
    response = as_api_user(org.manager).put(
        detail_url(people.own),
        {"client": org.client.pk, "full_name": "Ona Renamed", "email": "ona@client.example"},
        format="json",
    )

    assert response.status_code == 200
    people.own.refresh_from_db()
    assert (people.own.full_name, people.own.email) == ("Ona Renamed", "ona@client.example")


def test_lead_updates_a_contact_in_the_team(as_api_user, org, people):
    response = as_api_user(org.lead).patch(detail_url(people.team), {"language": "ru"}, format="json")

    assert response.status_code == 200
    people.team.refresh_from_db()
    assert people.team.language == "ru"


def test_manager_deletes_a_contact_of_own_client(as_api_user, org, people):
    response = as_api_user(org.manager).delete(detail_url(people.own))

    assert response.status_code == 204
    assert not Contact.objects.filter(pk=people.own.pk).exists()


def test_manager_cannot_delete_a_contact_of_teammates_client(as_api_user, org, people):
    response = as_api_user(org.manager).delete(detail_url(people.team))

    assert response.status_code == 403
    assert Contact.objects.filter(pk=people.team.pk).exists()


def test_deleting_an_invisible_contact_is_not_found(as_api_user, org, people):
    response = as_api_user(org.manager).delete(detail_url(people.foreign))

    assert response.status_code == 404
    assert Contact.objects.filter(pk=people.foreign.pk).exists()


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("language=lt", ["Lina Lietuvė"]),
        ("is_primary=true", ["Ona Own", "Tadas Team"]),
        ("is_primary=false", ["Dora Decider", "Lina Lietuvė"]),
        ("is_decision_maker=true", ["Dora Decider"]),
        ("search=dora@", ["Dora Decider"]),
        ("search=lietuv", ["Lina Lietuvė"]),
        ("search=%2B3706999", ["Lina Lietuvė"]),
        ("ordering=-full_name", ["Tadas Team", "Ona Own", "Lina Lietuvė", "Dora Decider"]),
    ],
)
def test_filters_and_search(as_api_user, org, people, query, expected):
    ContactFactory(client=org.client, full_name="Dora Decider", email="dora@client.example", is_decision_maker=True)
    ContactFactory(client=org.team_client, full_name="Lina Lietuvė", language="lt", phone="+37069991234")

    response = as_api_user(org.manager).get(f"{LIST_URL}?{query}")

    assert response.status_code == 200
    assert full_names(response) == expected


def test_filter_by_client(as_api_user, org, people):
    ContactFactory(client=org.client, full_name="Dora Decider")

    response = as_api_user(org.manager).get(LIST_URL, {"client": org.client.pk})

    assert response.status_code == 200
    assert full_names(response) == ["Dora Decider", "Ona Own"]


@pytest.mark.parametrize(
    ("params", "errors"),
    [
        ({"language": "xx"}, {"language": ["Select a valid choice. xx is not one of the available choices."]}),
        ({"client": "abc"}, {"client": ["Select a valid choice. That choice is not one of the available choices."]}),
    ],
)
def test_bad_filter_values_are_a_bad_request(as_api_user, org, people, params, errors):
    response = as_api_user(org.manager).get(LIST_URL, params)

    assert response.status_code == 400
    assert response.json() == errors


def test_filtering_by_an_invisible_client_reads_like_a_nonexistent_one(as_api_user, org, people):
    api = as_api_user(org.manager)

    invisible = api.get(LIST_URL, {"client": org.foreign_client.pk})
    nonexistent = api.get(LIST_URL, {"client": 999_999})

    expected = {"client": ["Select a valid choice. That choice is not one of the available choices."]}
    assert (invisible.status_code, invisible.json()) == (400, expected)
    assert (nonexistent.status_code, nonexistent.json()) == (400, expected)


@pytest.mark.parametrize("extra_contacts", [5, 50])
def test_list_query_count_does_not_grow_with_rows(as_api_user, org, django_assert_max_num_queries, extra_contacts):
    for _ in range(extra_contacts):
        ContactFactory(client=org.client)
    api = as_api_user(org.admin)

    # count, page of contacts
    with django_assert_max_num_queries(2):
        response = api.get(LIST_URL)

    assert response.status_code == 200
    assert len(response.json()["results"]) == min(extra_contacts, 50)


def test_browsable_api_offers_only_visible_clients(as_api_user, org, people):
    response = as_api_user(org.manager).get(LIST_URL, HTTP_ACCEPT="text/html")

    assert response.status_code == 200
    html = response.content.decode()
    assert "Own Client UAB" in html
    assert "Foreign Client OOO" not in html
    assert "Fiodor Foreign" not in html
