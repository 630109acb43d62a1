"""Health on the client list: the column, sorting worst first (never scored last), the band filter, the CSV export
and the API's read-only fields, filter and sort."""

import csv
import io

import pytest
from django.urls import reverse

from clients.models import Client
from tests.factories.clients import ClientFactory

LIST = reverse("clients:list")
API = reverse("api-client-list")
EXPORT = reverse("contacts:client_export")


def scored(name, manager, score, band):
    return ClientFactory(name=name, account_manager=manager, health_score=score, health_band=band)


@pytest.fixture
def graded(org):
    """The manager's clients: Own Client UAB never scored, plus three scored ones."""
    return [
        scored("Healthy UAB", org.manager, 91, "healthy"),
        scored("Risky UAB", org.manager, 22, "at_risk"),
        scored("Watched UAB", org.manager, 55, "watch"),
    ]


def names(response):
    return [client.name for client in response.context["page"].object_list]


def test_sorting_by_health_puts_the_worst_first_and_the_never_scored_last(as_user, org, graded):
    http = as_user(org.manager)

    assert names(http.get(LIST, {"sort": "health"})) == [
        "Risky UAB",
        "Watched UAB",
        "Healthy UAB",
        "Own Client UAB",
        "Teammate Client UAB",
    ]
    assert names(http.get(LIST, {"sort": "-health"})) == [
        "Healthy UAB",
        "Watched UAB",
        "Risky UAB",
        "Own Client UAB",
        "Teammate Client UAB",
    ]


def test_the_health_column_sorts_and_shows_the_badge(as_user, org, graded):
    html = as_user(org.manager).get(LIST).content.decode()

    assert 'href="?sort=health"' in html
    assert '<span class="health-score">22</span> At risk' in html
    assert 'class="badge badge-health badge-health-watch"' in html


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"health_band": "at_risk"}, ["Risky UAB"]),
        ({"health_band": ["at_risk", "watch"]}, ["Risky UAB", "Watched UAB"]),
        ({"health_band": ["healthy"], "q": "Risky"}, []),
    ],
)
def test_the_band_filter_takes_one_or_several_bands(as_user, org, graded, query, expected):
    assert names(as_user(org.manager).get(LIST, query)) == expected


def test_a_junk_band_is_ignored_on_the_page(as_user, org, graded):
    response = as_user(org.manager).get(LIST, {"health_band": "gold"})

    assert response.status_code == 200
    assert len(names(response)) == 5


def test_the_band_filter_is_a_group_of_checkboxes_that_keeps_its_choice(as_user, org, graded):
    html = as_user(org.manager).get(LIST, {"health_band": "watch"}).content.decode()

    assert '<fieldset class="check-filter health-filter">' in html
    assert '<input type="checkbox" name="health_band" value="watch" id="id_health_band_1" checked> Watch' in html
    assert '<input type="checkbox" name="health_band" value="at_risk" id="id_health_band_2"> At risk' in html


def test_the_export_has_the_health_columns(as_user, org, graded):
    response = as_user(org.manager).get(EXPORT, {"health_band": "at_risk"})
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))

    assert [(row["name"], row["health_score"], row["health_band"]) for row in rows] == [("Risky UAB", "22", "at_risk")]


def test_the_export_leaves_the_health_of_a_client_never_scored_empty(as_user, org):
    response = as_user(org.manager).get(EXPORT, {"q": "Own Client"})
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))

    assert [(row["health_score"], row["health_band"]) for row in rows] == [("", "")]


def test_the_api_lists_health_filters_by_band_and_sorts_worst_first(as_api_user, org, graded):
    api = as_api_user(org.manager)

    sorted_rows = api.get(API, {"sort": "health"}).json()["results"]
    assert [(row["name"], row["health_score"], row["health_band"]) for row in sorted_rows] == [
        ("Risky UAB", 22, "at_risk"),
        ("Watched UAB", 55, "watch"),
        ("Healthy UAB", 91, "healthy"),
        ("Own Client UAB", None, ""),
        ("Teammate Client UAB", None, ""),
    ]
    filtered = api.get(f"{API}?health_band=watch&health_band=at_risk").json()["results"]
    assert [row["name"] for row in filtered] == ["Risky UAB", "Watched UAB"]


def test_a_junk_band_is_a_bad_request_in_the_api(as_api_user, org):
    response = as_api_user(org.manager).get(API, {"health_band": "gold"})

    assert response.status_code == 400
    assert list(response.json()) == ["health_band"]


def test_health_is_never_written_through_the_api(as_api_user, org, graded):
    risky = graded[1]
    api = as_api_user(org.manager)

    response = api.patch(
        reverse("api-client-detail", args=[risky.pk]), {"health_score": 100, "health_band": "healthy"}, format="json"
    )
    created = api.post(API, {"name": "New UAB", "health_score": 99, "health_band": "healthy"}, format="json")

    assert response.status_code == 200
    risky.refresh_from_db()
    assert (risky.health_score, risky.health_band) == (22, "at_risk")
    assert created.status_code == 201
    new = Client.objects.get(name="New UAB")
    assert (new.health_score, new.health_band) == (None, "")


def test_health_is_never_written_through_the_client_form(as_user, org, graded):
    risky = graded[1]
    http = as_user(org.manager)
    form = http.get(reverse("clients:edit", args=[risky.pk])).context["form"]
    data = {name: value for name, value in form.initial.items() if value is not None and name != "tags"}
    data.update(name="Risky UAB", city="Kaunas", health_score="100", health_band="healthy", tags="")

    response = http.post(reverse("clients:edit", args=[risky.pk]), data)

    assert response.status_code == 302
    assert "health_score" not in form.fields
    assert "health_band" not in form.fields
    risky.refresh_from_db()
    assert risky.city == "Kaunas"  # the edit went through, the health stayed
    assert (risky.health_score, risky.health_band) == (22, "at_risk")


@pytest.mark.parametrize("extra", [3, 40])
def test_the_list_sorted_by_health_takes_as_many_queries_for_many_clients(
    as_user, org, django_assert_max_num_queries, settings, extra
):
    settings.CLIENTS_PAGE_SIZE = 25
    for index in range(extra):
        scored(f"Client {index:02d}", org.manager, index % 100, "watch")
    http = as_user(org.manager)
    http.get(LIST)  # warm: the session

    # session and user, count, the page with managers, the page's tags, the filter form's choices: 9 either way
    with django_assert_max_num_queries(9):
        response = http.get(LIST, {"sort": "health", "health_band": ["watch", "at_risk"]})

    assert len(names(response)) == min(extra, 25)


@pytest.mark.parametrize("extra", [3, 40])
def test_the_api_list_sorted_by_health_takes_as_many_queries_for_many_clients(
    as_api_user, org, django_assert_max_num_queries, extra
):
    for index in range(extra):
        scored(f"Client {index:02d}", org.manager, index, "at_risk")
    api = as_api_user(org.admin)

    with django_assert_max_num_queries(3):  # count, the page with managers, the page's tags
        response = api.get(API, {"sort": "health", "health_band": "at_risk"})

    assert response.json()["count"] == extra
