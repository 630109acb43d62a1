"""The API's routes are the ones its schema documents: a ".json" suffix is no route of its own. It used to be one for
every route, and the extra actions (export, erase, complete, transition, the dashboard…) answered it with a 500."""

import pytest

from tests.factories.contacts import ContactFactory


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("get", "/api/v1/contacts/{contact}/export.json"),
        ("post", "/api/v1/contacts/{contact}/erase.json"),
        ("get", "/api/v1/dashboard.json"),
        ("post", "/api/v1/clients/handover.json"),
        ("get", "/api/v1/clients/{client}.json"),
        ("get", "/api/v1/clients.json"),
    ],
)
def test_a_format_suffix_is_not_found_and_changes_nothing(client, org, method, path):
    contact = ContactFactory(client=org.client, full_name="Petras Primary")
    client.force_login(org.admin)

    response = getattr(client, method)(path.format(contact=contact.pk, client=org.client.pk))

    assert response.status_code == 404
    contact.refresh_from_db()
    assert contact.full_name == "Petras Primary"


def test_the_format_is_still_chosen_by_the_query_string(client, org):
    client.force_login(org.manager)

    response = client.get(f"/api/v1/clients/{org.client.pk}/", {"format": "json"})

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response.json()["name"] == "Own Client UAB"
