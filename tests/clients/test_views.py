import pytest
from django.urls import reverse

from clients.models import Client
from tests.factories.clients import ClientFactory, TagFactory
from tests.factories.contacts import ContactFactory

LIST = reverse("clients:list")


def test_anonymous_is_sent_to_login(client, org):
    response = client.get(LIST)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("manager", ["Own Client UAB", "Teammate Client UAB"]),
        ("lead", ["Own Client UAB", "Teammate Client UAB"]),
        ("other_lead", ["Foreign Client OOO"]),
        ("outsider", ["Foreign Client OOO"]),
        ("admin", ["Foreign Client OOO", "Own Client UAB", "Teammate Client UAB"]),
    ],
)
def test_list_shows_only_visible_clients(as_user, org, who, expected):
    response = as_user(getattr(org, who)).get(LIST)
    assert response.status_code == 200
    assert [c.name for c in response.context["page"].object_list] == expected


def test_list_search_matches_contact_email_and_phone(as_user, org):
    ContactFactory(client=org.client, email="anna@own.example", phone="+37061234567")
    ContactFactory(client=org.client, email="anna2@own.example")  # two matches, one row
    c = as_user(org.manager)
    assert [x.name for x in c.get(LIST, {"q": "anna"}).context["page"].object_list] == ["Own Client UAB"]
    assert [x.name for x in c.get(LIST, {"q": "8 612 34567"}).context["page"].object_list] == ["Own Client UAB"]
    assert list(c.get(LIST, {"q": "Foreign"}).context["page"].object_list) == []


def test_list_filters_and_sorts(as_user, org):
    org.team_client.tier = "vip"
    org.team_client.save()
    org.client.tags.add(TagFactory(name="export"))
    c = as_user(org.lead)
    assert [x.name for x in c.get(LIST, {"tier": "vip"}).context["page"].object_list] == ["Teammate Client UAB"]
    assert [x.name for x in c.get(LIST, {"tag": "export"}).context["page"].object_list] == ["Own Client UAB"]
    assert [x.name for x in c.get(LIST, {"manager": org.teammate.pk}).context["page"].object_list] == [
        "Teammate Client UAB"
    ]
    assert [x.name for x in c.get(LIST, {"sort": "tier"}).context["page"].object_list] == [
        "Teammate Client UAB",
        "Own Client UAB",
    ]
    assert [x.name for x in c.get(LIST, {"sort": "-name"}).context["page"].object_list] == [
        "Teammate Client UAB",
        "Own Client UAB",
    ]


def test_list_ignores_bad_filter_values_without_error(as_user, org):
    response = as_user(org.manager).get(LIST, {"tier": "gold", "manager": "abc", "page": "999", "sort": "x"})
    assert response.status_code == 200


def test_list_htmx_returns_only_the_table_fragment(as_user, org):
    response = as_user(org.manager).get(LIST, {"q": "Own"}, headers={"HX-Request": "true"})
    body = response.content.decode()
    assert body.lstrip().startswith('<div id="client-table"')
    assert "<html" not in body
    assert "Own Client UAB" in body


def test_list_paginates(as_user, org, settings):
    settings.CLIENTS_PAGE_SIZE = 2
    ClientFactory.create_batch(3, account_manager=org.manager)
    response = as_user(org.manager).get(LIST, {"page": 2})
    assert response.context["page"].number == 2
    assert len(response.context["page"].object_list) == 2


@pytest.mark.parametrize("rows", [5, 50])
def test_list_query_count_does_not_grow(as_user, org, rows, django_assert_max_num_queries):
    tag = TagFactory(name="t")
    for c in ClientFactory.create_batch(rows, account_manager=org.manager):
        c.tags.add(tag)
    c = as_user(org.manager)
    with django_assert_max_num_queries(9):
        response = c.get(LIST)
    assert response.status_code == 200


@pytest.mark.parametrize(
    ("who", "target", "status"),
    [
        ("manager", "client", 200),
        ("manager", "team_client", 200),
        ("manager", "foreign_client", 404),
        ("outsider", "client", 404),
        ("lead", "team_client", 200),
        ("other_lead", "client", 404),
        ("admin", "foreign_client", 200),
    ],
)
def test_detail_permissions(as_user, org, who, target, status):
    response = as_user(getattr(org, who)).get(getattr(org, target).get_absolute_url())
    assert response.status_code == status


def test_detail_is_read_only_for_teammates(as_user, org):
    response = as_user(org.manager).get(org.team_client.get_absolute_url())
    body = response.content.decode()
    assert "Read-only" in body
    assert reverse("clients:edit", args=[org.team_client.pk]) not in body
    assert reverse("contacts:create", args=[org.team_client.pk]) not in body


@pytest.mark.parametrize("contacts", [5, 50])
def test_detail_query_count_does_not_grow(as_user, org, contacts, django_assert_max_num_queries):
    ContactFactory.create_batch(contacts, client=org.client)
    for tier in ["key", "vip"]:
        org.client.tier = tier
        org.client.save()
    c = as_user(org.manager)
    # sections of other apps add theirs: orders (list, figures), complaints (open ones), feedback (scores, answers),
    # segments (the active segments, then the client's membership of all of them in one query), feedback's open links
    with django_assert_max_num_queries(25):
        response = c.get(org.client.get_absolute_url())
    assert response.status_code == 200


@pytest.mark.parametrize(("who", "status"), [("teammate", 403), ("outsider", 404), ("lead", 200), ("admin", 200)])
def test_edit_permissions(as_user, org, who, status):
    url = reverse("clients:edit", args=[org.client.pk])
    assert as_user(getattr(org, who)).get(url).status_code == status
    response = as_user(getattr(org, who)).post(url, {"name": "Changed", "tier": "vip", "status": "active"})
    org.client.refresh_from_db()
    if status == 200:
        assert response.status_code == 302
        assert org.client.name == "Changed"
    else:
        assert response.status_code == status
        assert org.client.name == "Own Client UAB"


def test_create_form_errors_rerender_and_create_nothing(as_user, org):
    before = Client.objects.count()
    response = as_user(org.manager).post(
        reverse("clients:create"), {"name": "", "tier": "gold", "status": "active", "website": "not a url"}
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert set(form.errors) == {"name", "tier", "website"}
    assert Client.objects.count() == before


def test_form_errors_are_in_the_users_language(as_user, org):
    org.manager.language = "lt"
    org.manager.save()
    response = as_user(org.manager).post(reverse("clients:create"), {"name": "", "tier": "standard"})
    assert "Šis laukas yra privalomas." in response.content.decode()


def test_create_duplicate_registration_code_is_a_field_error(as_user, org):
    response = as_user(org.manager).post(
        reverse("clients:create"),
        {"name": "Dup", "registration_code": org.client.registration_code, "tier": "standard", "status": "active"},
    )
    assert response.status_code == 200
    assert "registration_code" in response.context["form"].errors
    assert not Client.objects.filter(name="Dup").exists()


def test_manager_creates_own_client(as_user, org):
    response = as_user(org.manager).post(
        reverse("clients:create"),
        {"name": "Fresh UAB", "tier": "key", "status": "prospect", "country": "LV", "tags": "pilot, tender"},
    )
    created = Client.objects.get(name="Fresh UAB")
    assert response.status_code == 302
    assert response["Location"] == created.get_absolute_url()
    assert created.account_manager == org.manager
    assert sorted(t.name for t in created.tags.all()) == ["pilot", "tender"]


def test_churn_without_reason_rerenders_with_error(as_user, org):
    url = reverse("clients:edit", args=[org.client.pk])
    response = as_user(org.manager).post(url, {"name": "Own Client UAB", "tier": "standard", "status": "churned"})
    assert response.status_code == 200
    assert "churn_reason" in response.context["form"].errors
    org.client.refresh_from_db()
    assert org.client.status == "active"


def test_lead_reassigns_from_client_page(as_user, org):
    response = as_user(org.lead).post(reverse("clients:reassign", args=[org.client.pk]), {"manager": org.teammate.pk})
    assert response.status_code == 302
    org.client.refresh_from_db()
    assert org.client.account_manager == org.teammate


@pytest.mark.parametrize(("who", "status"), [("manager", 403), ("outsider", 404), ("other_lead", 404)])
def test_reassign_denied(as_user, org, who, status):
    response = as_user(getattr(org, who)).post(
        reverse("clients:reassign", args=[org.client.pk]), {"manager": org.teammate.pk}
    )
    assert response.status_code == status
    org.client.refresh_from_db()
    assert org.client.account_manager == org.manager


def test_lead_cannot_reassign_to_other_team_manager(as_user, org):
    as_user(org.lead).post(reverse("clients:reassign", args=[org.client.pk]), {"manager": org.outsider.pk})
    org.client.refresh_from_db()
    assert org.client.account_manager == org.manager
