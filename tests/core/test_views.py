from unittest import mock

from django.urls import reverse

from tests.factories.contacts import ContactFactory


def test_healthz_reports_database_and_broker(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["database"] == "ok"
    assert response.json()["broker"] in {"ok", "unreachable"}


def test_healthz_stays_200_when_broker_is_down(client, db):
    with mock.patch("core.views._broker_reachable", return_value=False):
        response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"database": "ok", "broker": "unreachable"}


def test_home_redirects_to_my_day(as_user, org):
    assert as_user(org.manager).get("/")["Location"] == reverse("interactions:my_day")


def test_header_search_finds_only_visible_clients_and_contacts(as_user, org):
    ContactFactory(client=org.client, full_name="Vida Own", email="vida@own.example")
    ContactFactory(client=org.foreign_client, full_name="Vida Foreign", email="vida@foreign.example")
    response = as_user(org.manager).get(reverse("search"), {"q": "vida"}, headers={"HX-Request": "true"})
    body = response.content.decode()
    assert body.lstrip().startswith('<div id="search-results"')
    assert "Vida Own" in body
    assert "Vida Foreign" not in body
    full = as_user(org.manager).get(reverse("search"), {"q": "vida"})
    assert [r.title for r in full.context["results"]] == ["Vida Own"]


def test_header_search_by_registration_code_and_full_page(as_user, org):
    response = as_user(org.admin).get(reverse("search"), {"q": org.foreign_client.registration_code})
    assert [r.title for r in response.context["results"]] == ["Foreign Client OOO"]
    assert "<html" in response.content.decode()


def test_header_search_ignores_one_letter_and_huge_terms(as_user, org):
    c = as_user(org.admin)
    assert c.get(reverse("search"), {"q": "a"}).context["results"] == []
    assert c.get(reverse("search"), {"q": "x" * 5000}).status_code == 200
