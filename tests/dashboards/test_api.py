"""The team dashboard's REST endpoint: the page's access rule, the exact JSON of a hand-counted month, bad queries
refused before anything is computed or cached, the cache, the sort, and a constant number of queries."""

from datetime import UTC, datetime
from unittest import mock

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation
from django.utils.translation import gettext

from clients.models import Tier
from tests.dashboards.test_exports import MARCH, march  # noqa: F401  (the hand-counted month)
from tests.dashboards.test_overview_page import fill
from tests.factories.accounts import PASSWORD, TeamLeadFactory
from tests.factories.interactions import InteractionFactory

URL = "/api/v1/dashboard/"
NOW = datetime(2025, 4, 2, 7, 30, tzinfo=UTC)  # 10:30 in Vilnius, two days after the hand-counted March


@pytest.fixture(autouse=True)
def _company_zone(settings):
    settings.TIME_ZONE = "Europe/Vilnius"
    settings.DEFAULT_CURRENCY = "EUR"


def frozen(moment=NOW):
    return mock.patch("django.utils.timezone.now", return_value=moment)


def _cached() -> set[str]:
    """The keys in the test's cache (a local-memory cache of this process, emptied for every test)."""
    return {key.split(":", 2)[-1] for key in cache._cache}  # LocMemCache keys are ":<version>:<key>"


def kpi(response, key):
    return next(tile for group in response.json()["groups"] for tile in group["kpis"] if tile["key"] == key)


# --- Who may read what (the page's rule) -----------------------------------------------------------------------------


def test_anonymous_requests_are_refused_and_compute_nothing(api, org):
    response = api.get(URL)

    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"
    assert response.json() == {"detail": "Authentication credentials were not provided."}
    assert _cached() == set()


@pytest.fixture
def _restore_preferences():
    """Token authentication activates the user's language and time zone for the rest of the thread."""
    yield
    translation.deactivate()
    timezone.deactivate()


@pytest.mark.usefixtures("_restore_preferences")
def test_a_token_reads_the_dashboard_in_the_users_language_and_time_zone(api, org):
    org.lead.language, org.lead.time_zone = "lt", "America/New_York"
    org.lead.save()
    token = api.post("/api/v1/auth/token/", {"username": org.lead.email, "password": PASSWORD}).json()["token"]
    api.credentials(HTTP_AUTHORIZATION=f"Token {token}")

    with frozen(datetime(2025, 4, 2, 2, 0, tzinfo=UTC)):  # 05:00 on 2 April in Vilnius, 22:00 on 1 April in New York
        response = api.get(URL)

    assert response.status_code == 200
    body = response.json()
    assert body["scope"] == {
        "team": {"id": org.north.pk, "name": "North"},
        "manager": None,
        "tier": None,
        "segment": None,
    }
    with translation.override("lt"):
        assert body["groups"][0]["title"] == gettext("Satisfaction") != "Satisfaction"
    assert body["computed_at"] == "2025-04-01T22:00:00-04:00"
    assert body["period"] == {"first_day": "2025-03-03", "last_day": "2025-04-01"}


def test_a_manager_is_refused(as_api_user, org):
    response = as_api_user(org.manager).get(URL)

    assert response.status_code == 403
    assert response.json() == {"detail": "You do not have permission to perform this action."}
    assert _cached() == set()


def test_a_lead_who_leads_no_team_is_refused(as_api_user, org):
    assert as_api_user(TeamLeadFactory(team=org.north)).get(URL).status_code == 403


def test_a_lead_reads_the_own_team(as_api_user, org):
    api = as_api_user(org.lead)

    default = api.get(URL)
    narrowed = api.get(URL, {"team": org.north.pk, "manager": org.teammate.pk})

    assert default.status_code == narrowed.status_code == 200
    assert default.json()["scope"] == {
        "team": {"id": org.north.pk, "name": "North"},
        "manager": None,
        "tier": None,
        "segment": None,
    }
    assert narrowed.json()["scope"]["manager"] == {"id": org.teammate.pk, "name": "Tomas Teammate"}
    assert [row["name"] for row in narrowed.json()["managers"]] == ["Tomas Teammate"]


@pytest.mark.parametrize(
    "params",
    [
        lambda org: {"team": org.south.pk},
        lambda org: {"manager": org.outsider.pk},
        lambda org: {"manager": org.other_lead.pk},
        lambda org: {"team": org.north.pk, "manager": org.outsider.pk},
        lambda org: {"team": 999_999},
    ],
)
def test_a_lead_asking_for_another_team_or_its_people_finds_nothing(as_api_user, org, params):
    response = as_api_user(org.lead).get(URL, params(org))

    assert response.status_code == 404
    assert response.json() == {"detail": "Not found."}
    assert _cached() == set()


def test_an_admin_reads_every_team_at_once_and_any_team(as_api_user, org):
    InteractionFactory(client=org.client)
    InteractionFactory(client=org.foreign_client)
    api = as_api_user(org.admin)

    everyone = api.get(URL)
    south = api.get(URL, {"team": org.south.pk})
    outsider = api.get(URL, {"team": org.south.pk, "manager": org.outsider.pk})

    assert everyone.json()["scope"] == {"team": None, "manager": None, "tier": None, "segment": None}
    assert kpi(everyone, "interactions")["value"] == 2
    assert [row["name"] for row in everyone.json()["managers"]] == [
        "Lina Lead",
        "Mantas Owner",
        "Olga Outsider",
        "Sergej South-Lead",
        "Tomas Teammate",
    ]
    assert south.json()["scope"]["team"] == {"id": org.south.pk, "name": "South"}
    assert kpi(south, "interactions")["value"] == 1
    assert outsider.json()["scope"]["manager"] == {"id": org.outsider.pk, "name": "Olga Outsider"}
    assert [row["name"] for row in outsider.json()["managers"]] == ["Olga Outsider"]


def test_the_api_root_lists_the_dashboard(as_api_user, org):
    assert as_api_user(org.lead).get("/api/v1/").json()["dashboard"] == "http://testserver/api/v1/dashboard/"


def test_the_dashboard_is_read_only(as_api_user, org):
    api = as_api_user(org.admin)

    assert api.post(URL, {}, format="json").status_code == 405
    assert api.get(f"{URL}1/").status_code == 404


# --- The figures -----------------------------------------------------------------------------------------------------

HELP = {
    "csat": "CSAT answers given in the period that scored 4 or 5 of 5.",
    "nps": "Share of promoters (9–10) minus share of detractors (0–6) among the NPS answers given in the period.",
    "response_rate": "Surveys sent in the period that were answered (at any time since).",
    "first_response": "Median business time to the first reply, of the complaints first answered in the period.",
    "resolution": "Median time to resolve the complaints resolved in the period, without time waiting for the client.",
    "sla": "Complaints received in the period answered and resolved (or still open) within their due times.",
    "open_complaints": "Complaints open at the end of the period (now, for a period ending today).",
    "breached_complaints": "Of the open complaints, those past a due time (first reply or resolution).",
    "interactions": "Calls, meetings, e-mails, chats and visits that took place in the period.",
    "overdue_follow_ups": "Open follow-ups past their due time at the end of the period.",
    "going_cold": (
        "Active and prospect clients not contacted for longer than their tier expects, at the end of the period."
    ),
    "orders": "Orders placed in the period (confirmed or later, not cancelled).",
    "revenue": "Totals of the orders delivered in the period; other currencies are shown apart.",
    "revenue_per_client": "Delivered revenue of the period divided by the clients it came from.",
    "on_time": "Orders delivered in the period on or before their promised date.",
    "active_clients": "Clients active at the end of the period.",
    "churn_rate": "Clients that became churned in the period, of the clients active at its start.",
    "at_risk_revenue": (
        "Revenue delivered in the last 12 months by the clients whose health is now at risk, whatever the period; "
        "other currencies are shown apart."
    ),
}
SITE = "http://testserver"
DAYS = "from=2025-03-01&to=2025-03-31"
DELIVERED = "delivered_from=2025-03-01&delivered_to=2025-03-31"


def tile(key, label, unit, raw, shown, path, *, trend=None, thin=False, note="", current_only=False):
    """One KPI as the API gives it: `raw` and `shown` are (value, previous, change)."""
    value, previous, change = raw
    return {
        "key": key,
        "label": label,
        "help": HELP[key],
        "unit": unit,
        "value": value,
        "previous": previous,
        "change": change,
        "trend": trend,
        "thin": thin,
        "previous_thin": False,
        "display": dict(zip(("value", "previous", "change"), shown, strict=True)),
        "note": note,
        "url": f"{SITE}{path}",
        "current_only": current_only,
    }


NONE = (None, None, None)
DASHES = ("—", "—", "")


def person(pk, name, team, figures, *, sla=None, csat=(None, 0), nps=(None, 0), revenue=None, note=""):
    """One row of the per-manager table; `figures` are clients, interactions, follow-ups done and overdue, open
    complaints."""
    clients, interactions, done, overdue, open_complaints = figures

    def score(value, answers):
        return {"value": value, "answers": answers, "thin": 0 < answers < 10}

    return {
        "id": pk,
        "name": name,
        "team": team,
        "clients": clients,
        "interactions": interactions,
        "follow_ups_done": done,
        "follow_ups_overdue": overdue,
        "open_complaints": open_complaints,
        "sla": sla,
        "csat": score(*csat),
        "nps": score(*nps),
        "revenue": revenue,
        "revenue_note": note,
        "links": {
            "clients": f"{SITE}/clients/?manager={pk}&status=active",
            "interactions": f"{SITE}/interactions/?status=completed&logged_by={pk}&{DAYS}",
            "follow_ups_done": f"{SITE}/follow-ups/?state=done&assignee={pk}&done_from=2025-03-01&done_to=2025-03-31",
            "follow_ups_overdue": f"{SITE}/follow-ups/?state=overdue&assignee={pk}",
            "open_complaints": f"{SITE}/complaints/?owner={pk}&open=1",
            "sla": f"{SITE}/complaints/?owner={pk}&received_from=2025-03-01&received_to=2025-03-31",
            "csat": f"{SITE}/surveys/answers/?kind=csat&manager={pk}&{DAYS}",
            "nps": f"{SITE}/surveys/answers/?kind=nps&manager={pk}&{DAYS}",
            "revenue": f"{SITE}/orders/?manager={pk}&status=delivered&{DELIVERED}",
        },
    }


def test_the_hand_counted_month_as_json_raw_numbers_beside_the_pages_strings(march, as_api_user):  # noqa: F811
    """The numbers of the KPI and manager CSV exports (tests/dashboards/test_exports.py), amounts as decimal strings."""
    with frozen():
        response = as_api_user(march.lead).get(URL, MARCH)

    assert response.status_code == 200
    team = march.north.pk
    north = {"id": team, "name": "North"}
    delivered = f"/orders/?team={team}&status=delivered&{DELIVERED}"
    received = f"/complaints/?team={team}&received_from=2025-03-01&received_to=2025-03-31"
    zero = ((0, 0, 0), ("0", "0", "0"))
    assert response.json() == {
        "scope": {"team": north, "manager": None, "tier": None, "segment": None},
        "period": {"first_day": "2025-03-01", "last_day": "2025-03-31"},
        "previous": {"first_day": "2025-01-29", "last_day": "2025-02-28"},
        "computed_at": "2025-04-02T10:30:00+03:00",
        "currency": "EUR",
        "groups": [
            {
                "title": "Satisfaction",
                "kpis": [
                    tile(
                        "csat",
                        "CSAT",
                        "percent",
                        (100.0, None, None),
                        ("100.0 %", "—", ""),
                        f"/surveys/answers/?kind=csat&team={team}&{DAYS}",
                        thin=True,
                    ),
                    tile(
                        "nps",
                        "NPS",
                        "nps",
                        (33.3, None, None),
                        ("33.3", "—", ""),
                        f"/surveys/answers/?kind=nps&team={team}&{DAYS}",
                        thin=True,
                    ),
                    tile(
                        "response_rate",
                        "Survey response rate",
                        "percent",
                        (100.0, None, None),
                        ("100.0 %", "—", ""),
                        f"/surveys/answers/?team={team}&{DAYS}",
                        thin=True,
                    ),
                ],
            },
            {
                "title": "Complaints",
                "kpis": [
                    tile("first_response", "Median first response", "business_minutes", NONE, DASHES, received),
                    tile(
                        "resolution",
                        "Median resolution",
                        "seconds",
                        NONE,
                        DASHES,
                        f"/complaints/?team={team}&resolved_from=2025-03-01&resolved_to=2025-03-31",
                    ),
                    tile("sla", "SLA compliance", "percent", NONE, DASHES, received),
                    tile(
                        "open_complaints",
                        "Open complaints",
                        "count",
                        *zero,
                        f"/complaints/?team={team}&open=1",
                        trend="same",
                    ),
                    tile(
                        "breached_complaints",
                        "Breached complaints",
                        "count",
                        *zero,
                        f"/complaints/?team={team}&open=1&sla=breached",
                        trend="same",
                    ),
                ],
            },
            {
                "title": "Activity",
                "kpis": [
                    tile(
                        "interactions",
                        "Interactions logged",
                        "count",
                        (4, 1, 3),
                        ("4", "1", "+3"),
                        f"/interactions/?status=completed&team={team}&{DAYS}",
                        trend="better",
                    ),
                    tile(
                        "overdue_follow_ups",
                        "Overdue follow-ups",
                        "count",
                        (1, 0, 1),
                        ("1", "0", "+1"),
                        f"/follow-ups/?state=overdue&team={team}",
                        trend="worse",
                    ),
                    tile(
                        "going_cold",
                        "Clients going cold",
                        "count",
                        (0, 1, -1),
                        ("0", "1", "−1"),
                        f"/clients/?team={team}&cold=1",
                        trend="better",
                    ),
                ],
            },
            {
                "title": "Orders and revenue",
                "kpis": [
                    tile(
                        "orders",
                        "Orders",
                        "count",
                        (2, 1, 1),
                        ("2", "1", "+1"),
                        f"/orders/?team={team}&ordered_from=2025-03-01&ordered_to=2025-03-31",
                        trend="better",
                    ),
                    tile(
                        "revenue",
                        "Delivered revenue",
                        "money",
                        ("1250.50", "1000.00", "250.50"),
                        ("€1,250.50", "€1,000.00", "+€250.50"),
                        delivered,
                        trend="better",
                        note="Also $300.00",
                    ),
                    tile(
                        "revenue_per_client",
                        "Revenue per client",
                        "money",
                        ("1250.50", "1000.00", "250.50"),
                        ("€1,250.50", "€1,000.00", "+€250.50"),
                        delivered,
                        trend="better",
                        note="Also $300.00",
                    ),
                    tile(
                        "on_time",
                        "On-time delivery",
                        "percent",
                        (50.0, 100.0, -50.0),
                        ("50.0 %", "100.0 %", "−50.0 pp"),
                        delivered,
                        trend="worse",
                    ),
                ],
            },
            {
                "title": "Client base",
                "kpis": [
                    tile(
                        "active_clients",
                        "Active clients",
                        "count",
                        (2, 2, 0),
                        ("2", "2", "0"),
                        f"/clients/?team={team}&status=active",
                        trend="same",
                    ),
                    tile(
                        "churn_rate",
                        "Churn rate",
                        "percent",
                        (0.0, 0.0, 0.0),
                        ("0.0 %", "0.0 %", "0.0 pp"),
                        f"/clients/?team={team}&status=churned&churned_from=2025-03-01&churned_to=2025-03-31",
                        trend="same",
                    ),
                    # a figure of now: no client of the month is at risk, so no value and nothing to compare
                    tile(
                        "at_risk_revenue",
                        "At-risk revenue",
                        "money",
                        NONE,
                        DASHES,
                        f"/clients/?team={team}&health_band=at_risk",
                        note="0 clients at risk",
                        current_only=True,
                    ),
                ],
            },
        ],
        "managers": [
            person(march.lead.pk, "Lina Lead", north, (0, 0, 0, 0, 0)),
            person(march.manager.pk, "Mantas Owner", north, (1, 3, 1, 1, 0), nps=(33.3, 3), revenue="1250.50"),
            person(march.teammate.pk, "Tomas Teammate", north, (1, 1, 0, 0, 0), csat=(100.0, 1), note="Also $300.00"),
        ],
        "at_risk": {"total": 0, "url": f"{SITE}/clients/?team={team}&health_band=at_risk", "clients": []},
    }


def test_the_scope_names_the_manager_and_tier_it_was_narrowed_to(march, as_api_user):  # noqa: F811
    response = as_api_user(march.admin).get(
        URL, {**MARCH, "team": march.north.pk, "manager": march.manager.pk, "tier": Tier.STANDARD}
    )

    assert response.json()["scope"] == {
        "team": {"id": march.north.pk, "name": "North"},
        "manager": {"id": march.manager.pk, "name": "Mantas Owner"},
        "tier": "standard",
        "segment": None,
    }
    assert kpi(response, "interactions")["value"] == 3
    assert kpi(response, "interactions")["url"] == (
        f"{SITE}/interactions/?status=completed&team={march.north.pk}&logged_by={march.manager.pk}&tier=standard&{DAYS}"
    )


def test_the_managers_sort_as_asked(march, as_api_user):  # noqa: F811
    api = as_api_user(march.lead)

    by_interactions = api.get(URL, {**MARCH, "sort": "-interactions"})
    by_nps = api.get(URL, {**MARCH, "sort": "nps"})

    assert [row["name"] for row in by_interactions.json()["managers"]] == [
        "Mantas Owner",
        "Tomas Teammate",
        "Lina Lead",
    ]
    # people without a value come last either way
    assert [row["name"] for row in by_nps.json()["managers"]] == ["Mantas Owner", "Lina Lead", "Tomas Teammate"]


def test_the_figures_come_from_the_cache_until_refresh_is_asked(as_api_user, org):
    InteractionFactory(client=org.client)
    api = as_api_user(org.lead)
    first = api.get(URL)
    InteractionFactory(client=org.client)

    cached = api.get(URL)
    refreshed = api.get(URL, {"refresh": "true"})

    assert kpi(first, "interactions")["value"] == kpi(cached, "interactions")["value"] == 1
    assert cached.json()["computed_at"] == first.json()["computed_at"]
    assert kpi(refreshed, "interactions")["value"] == 2
    assert kpi(api.get(URL), "interactions")["value"] == 2


# --- Bad queries -----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("params", "errors"),
    [
        (
            {"period": "custom", "date_from": "2025-03-31", "date_to": "2025-03-01"},
            {"date_to": ["The last day cannot be before the first day."]},
        ),
        (
            {"period": "custom", "date_from": "yesterday", "date_to": "2025-13-45"},
            {"date_from": ["Enter a valid date."], "date_to": ["Enter a valid date."]},
        ),
        ({"period": "custom"}, {"date_from": ["Choose the first day."], "date_to": ["Choose the last day."]}),
        (
            {"period": "custom", "date_from": "2020-01-01", "date_to": "2025-03-01"},
            {"date_to": ["Choose at most three years."]},
        ),
        ({"period": "banana"}, {"period": ["Select a valid choice. banana is not one of the available choices."]}),
        ({"tier": "platinum"}, {"tier": ["Select a valid choice. platinum is not one of the available choices."]}),
        ({"sort": "password"}, {"sort": ['"password" is not a valid choice.']}),
        ({"sort": "--interactions"}, {"sort": ['"--interactions" is not a valid choice.']}),
        ({"refresh": "maybe"}, {"refresh": ["Must be a valid boolean."]}),
        (
            {"tier": "platinum", "sort": "password"},
            {
                "tier": ["Select a valid choice. platinum is not one of the available choices."],
                "sort": ['"password" is not a valid choice.'],
            },
        ),
    ],
)
def test_a_bad_query_is_refused_with_its_errors_by_field_and_nothing_is_computed(
    as_api_user, org, django_assert_max_num_queries, params, errors
):
    api = as_api_user(org.lead)

    with django_assert_max_num_queries(3):  # the lead's teams, the team and the people of the form; no figure
        response = api.get(URL, params)

    assert response.status_code == 400
    assert response.json() == errors
    assert _cached() == set()  # unlike the page, which shows the default period next to the errors


def test_a_manager_outside_the_chosen_team_is_a_bad_query_for_an_admin(as_api_user, org):
    response = as_api_user(org.admin).get(URL, {"team": org.north.pk, "manager": org.outsider.pk})

    assert response.status_code == 400
    assert response.json() == {"manager": ["This manager is not in the chosen team."]}
    assert _cached() == set()


def test_refused_access_wins_over_a_bad_query(as_api_user, org):
    assert as_api_user(org.manager).get(URL, {"tier": "platinum"}).status_code == 403
    assert as_api_user(org.lead).get(URL, {"team": org.south.pk, "tier": "platinum"}).status_code == 404


# --- Queries ---------------------------------------------------------------------------------------------------------


def count_queries(api, params) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert api.get(URL, params).status_code == 200
    return len(queries)


# Measured on SQLite and PostgreSQL: 24 queries for a lead, 23 for an admin (the form's teams and people, one
# aggregate per table for both periods, the medians, two per chart, seven for the per-manager table, the rows'
# teams), whatever the data; the page's 30 less the session. The margin is for the backends, not the data.
MAX_QUERIES = 26


@pytest.mark.parametrize("user", ["lead", "admin"])
def test_the_endpoint_takes_as_many_queries_for_little_and_much_data(
    as_api_user, org, django_assert_max_num_queries, user
):
    api = as_api_user(getattr(org, user))
    params = {"period": "90", "sort": "-revenue", "refresh": "1"}
    fill(org, 2)
    small = count_queries(api, params)
    fill(org, 20)  # ten times as much

    with django_assert_max_num_queries(small):
        response = api.get(URL, params)

    assert response.status_code == 200
    assert len(response.json()["managers"]) == (3 if user == "lead" else 5)
    assert small <= MAX_QUERIES


def test_a_cached_dashboard_reads_no_figures(as_api_user, org, django_assert_max_num_queries):
    api = as_api_user(org.lead)
    fill(org, 2)
    api.get(URL)

    with django_assert_max_num_queries(3):  # the form's teams and people only
        response = api.get(URL, {"sort": "-interactions"})

    assert response.status_code == 200
