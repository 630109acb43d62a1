"""The interaction list (/interactions/): who sees which rows, each filter's exact rows with its first and last day,
bad values, the htmx fragment and a constant number of queries."""

from datetime import UTC, datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from clients.models import Tier
from interactions.models import Direction, InteractionStatus, Kind, Outcome
from tests.factories.accounts import PASSWORD
from tests.factories.clients import ClientFactory
from tests.factories.interactions import InteractionFactory

LIST = reverse("interactions:list")
API = "/api/v1/interactions/"
HTMX = {"HX-Request": "true"}


def at(*args) -> datetime:
    return datetime(*args, tzinfo=UTC)


def subjects(response) -> list[str]:
    assert response.status_code == 200
    return [interaction.subject for interaction in response.context["page"].object_list]


@pytest.fixture
def rows(org):
    """Five interactions: four on the North team's clients, one on the South team's."""
    vip = ClientFactory(name="Vip Client UAB", tier=Tier.VIP, account_manager=org.teammate)
    InteractionFactory(
        client=org.client, subject="Own call", notes="Talked about the budget", occurred_at=at(2026, 11, 10, 12)
    )
    InteractionFactory(
        client=org.team_client,
        kind=Kind.MEETING,
        direction=Direction.INBOUND,
        status=InteractionStatus.SCHEDULED,
        subject="Teammate meeting",
        occurred_at=at(2026, 11, 12, 12),
    )
    InteractionFactory(
        client=org.foreign_client, kind=Kind.EMAIL, subject="Foreign e-mail", occurred_at=at(2026, 11, 11, 12)
    )
    InteractionFactory(
        client=org.client,
        kind=Kind.VISIT,
        status=InteractionStatus.CANCELLED,
        logged_by=org.lead,
        subject="Lead visit",
        occurred_at=at(2026, 11, 9, 12),
    )
    InteractionFactory(
        client=vip,
        kind=Kind.CHAT,
        direction=Direction.INBOUND,
        subject="Renewal chat",
        outcome=Outcome.NEXT_STEP,
        occurred_at=at(2026, 11, 13, 12),
    )
    return vip


ALL = ["Renewal chat", "Teammate meeting", "Foreign e-mail", "Own call", "Lead visit"]
NORTH = ["Renewal chat", "Teammate meeting", "Own call", "Lead visit"]


def test_anonymous_is_sent_to_the_login_page(client, org):
    response = client.get(LIST, {"status": "completed"})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("manager", NORTH),  # own and the team's clients
        ("teammate", NORTH),
        ("lead", NORTH),
        ("outsider", ["Foreign e-mail"]),
        ("other_lead", ["Foreign e-mail"]),
        ("admin", ALL),
    ],
)
def test_each_role_sees_the_interactions_of_the_clients_it_may_see_newest_first(as_user, org, rows, who, expected):
    assert subjects(as_user(getattr(org, who)).get(LIST)) == expected


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"q": "budget"}, ["Own call"]),  # notes
        ({"q": "RENEWAL"}, ["Renewal chat"]),  # subject, any case
        ({"q": "vip client"}, ["Renewal chat"]),  # client name
        ({"q": "  "}, ALL),
        ({"kind": "meeting"}, ["Teammate meeting"]),
        ({"direction": "inbound"}, ["Renewal chat", "Teammate meeting"]),
        ({"direction": "outbound"}, ["Foreign e-mail", "Own call", "Lead visit"]),
        ({"status": "completed"}, ["Renewal chat", "Foreign e-mail", "Own call"]),
        ({"status": "scheduled"}, ["Teammate meeting"]),
        ({"status": "cancelled"}, ["Lead visit"]),
        ({"logged_by": "lead"}, ["Lead visit"]),
        ({"logged_by": "teammate"}, ["Renewal chat", "Teammate meeting"]),
        ({"team": "north"}, NORTH),  # the lead's own entry counts for the team too
        ({"team": "south"}, ["Foreign e-mail"]),
        ({"tier": "vip"}, ["Renewal chat"]),
        ({"tier": "standard"}, ["Teammate meeting", "Foreign e-mail", "Own call", "Lead visit"]),
        ({"client": "team_client"}, ["Teammate meeting"]),
        ({"status": "completed", "team": "north", "kind": "chat"}, ["Renewal chat"]),
        ({"sort": "when"}, list(reversed(ALL))),
        ({"sort": "client"}, ["Foreign e-mail", "Own call", "Lead visit", "Teammate meeting", "Renewal chat"]),
    ],
)
def test_each_filter_finds_exactly_its_rows(as_user, org, rows, params, expected):
    query = {
        key: getattr(org, value).pk if key in ("logged_by", "team", "client") else value
        for key, value in params.items()
    }
    assert subjects(as_user(org.admin).get(LIST, query)) == expected


def test_days_are_the_viewers_own_with_the_first_and_the_last_day_included(as_user, org):
    """New York: 27 October is still summer time (UTC-4), 25 November winter time (UTC-5)."""
    org.lead.time_zone = "America/New_York"
    org.lead.save()
    for subject, moment in [
        ("before the first day", at(2026, 10, 27, 3, 59, 59)),
        ("first moment", at(2026, 10, 27, 4)),
        ("last moment", at(2026, 11, 26, 4, 59, 59)),
        ("after the last day", at(2026, 11, 26, 5)),
    ]:
        InteractionFactory(client=org.client, subject=subject, occurred_at=moment)
    c = as_user(org.lead)
    assert subjects(c.get(LIST, {"from": "2026-10-27", "to": "2026-11-25"})) == ["last moment", "first moment"]
    assert subjects(c.get(LIST, {"from": "2026-11-26"})) == ["after the last day"]
    assert subjects(c.get(LIST, {"to": "2026-10-26"})) == ["before the first day"]
    # the same link read in Vilnius (UTC+2 from 25 October) covers other instants
    assert subjects(as_user(org.admin).get(LIST, {"from": "2026-10-27", "to": "2026-11-25"})) == [
        "first moment",
        "before the first day",
    ]


def test_the_dashboards_link_for_one_managers_completed_interactions_in_a_period(as_user, org, rows):
    InteractionFactory(client=org.client, subject="Earlier call", occurred_at=at(2026, 10, 1, 12))
    query = {"status": "completed", "from": "2026-10-27", "to": "2026-11-25", "logged_by": org.manager.pk}
    assert subjects(as_user(org.lead).get(LIST, query)) == ["Own call"]


@pytest.mark.parametrize(("key", "value"), [("team", "south"), ("logged_by", "outsider"), ("logged_by", "admin")])
def test_a_team_lead_asking_for_someone_elses_team_or_person_gets_an_empty_list(as_user, org, rows, key, value):
    response = as_user(org.lead).get(LIST, {key: getattr(org, value).pk})
    assert subjects(response) == []
    assert "No interactions match these filters" in response.content.decode()


# --- the API reads the dashboard's words as the page does -------------------------------------------------------------


def api_subjects(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [row["subject"] for row in response.json()["results"]]


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"team": "north"}, NORTH),
        ({"team": "south"}, ["Foreign e-mail"]),
        ({"tier": "vip"}, ["Renewal chat"]),
        ({"from": "2026-11-11", "to": "2026-11-12"}, ["Teammate meeting", "Foreign e-mail"]),
        ({"from": "2026-11-12"}, ["Renewal chat", "Teammate meeting"]),
        ({"to": "2026-11-09"}, ["Lead visit"]),
        ({"logged_by": "teammate"}, ["Renewal chat", "Teammate meeting"]),
        # the dashboard's link for a team's completed interactions in a period
        (
            {"status": "completed", "team": "north", "from": "2026-11-10", "to": "2026-11-13"},
            ["Renewal chat", "Own call"],
        ),
    ],
)
def test_the_api_takes_the_dashboards_filters_and_finds_the_pages_rows(
    as_user, as_api_user, org, rows, params, expected
):
    query = {key: getattr(org, value).pk if key in ("logged_by", "team") else value for key, value in params.items()}

    assert api_subjects(as_api_user(org.admin).get(API, query)) == expected
    assert subjects(as_user(org.admin).get(LIST, query)) == expected


def test_the_api_reads_the_days_in_the_token_users_time_zone_as_the_page_does(api, as_user, org):
    org.lead.time_zone = "America/New_York"
    org.lead.save()
    for subject, moment in [
        ("before the first day", at(2026, 10, 27, 3, 59, 59)),
        ("first moment", at(2026, 10, 27, 4)),
    ]:
        InteractionFactory(client=org.client, subject=subject, occurred_at=moment)
    token = api.post("/api/v1/auth/token/", {"username": org.lead.email, "password": PASSWORD}).json()["token"]
    api.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    query = {"from": "2026-10-27", "to": "2026-10-27"}

    try:
        assert api_subjects(api.get(API, query)) == ["first moment"]
    finally:  # token authentication leaves the user's time zone active in this thread
        timezone.deactivate()
    assert subjects(as_user(org.lead).get(LIST, query)) == ["first moment"]


def test_the_api_shows_a_lead_nothing_of_another_team(as_api_user, org, rows):
    assert api_subjects(as_api_user(org.lead).get(API, {"team": org.south.pk})) == []


@pytest.mark.parametrize(
    ("params", "errors"),
    [
        ({"tier": "platinum"}, {"tier": ["Select a valid choice. platinum is not one of the available choices."]}),
        ({"from": "not a date"}, {"from": ["Enter a valid date."]}),
        ({"team": "1.5"}, {"team": ["Enter a whole number."]}),
    ],
)
def test_the_api_refuses_bad_drill_down_values(as_api_user, org, rows, params, errors):
    response = as_api_user(org.admin).get(API, params)

    assert response.status_code == 400
    assert response.json() == errors


def test_an_id_outside_the_choices_stays_shown_as_picked(as_user, org, rows):
    body = as_user(org.lead).get(LIST, {"team": org.south.pk}).content.decode()
    assert f'<option value="{org.south.pk}" selected>#{org.south.pk}</option>' in body
    assert "South" not in body


def test_the_choices_are_the_visible_staff_and_teams(as_user, org, rows):
    form = as_user(org.lead).get(LIST).context["filter"].form
    assert [label for _value, label in form.fields["logged_by"].widget.choices] == [
        "Anyone",
        "Lina Lead",
        "Mantas Owner",
        "Tomas Teammate",
    ]
    assert [label for _value, label in form.fields["team"].widget.choices] == ["All teams", "North"]


def test_filtered_by_a_client_shows_it_and_a_client_the_user_cannot_see_is_404(as_user, org, rows):
    response = as_user(org.manager).get(LIST, {"client": org.team_client.pk})
    assert response.context["filtered_client"] == org.team_client
    assert f'<a href="{org.team_client.get_absolute_url()}">Teammate Client UAB</a>' in response.content.decode()
    assert as_user(org.outsider).get(LIST, {"client": org.client.pk}).status_code == 404


@pytest.mark.parametrize(
    "params",
    [
        {"kind": "fax"},
        {"direction": "sideways"},
        {"status": "gold"},
        {"tier": "platinum"},
        {"logged_by": "abc"},
        {"logged_by": "99999999999999999999999"},
        {"team": "1.5"},
        {"team": "²"},
        {"team": "-3"},
        {"client": "abc"},
        {"client": "99999999999999999999999"},
        {"from": "not a date"},
        {"from": "99999-01-01"},
        {"from": "0001-01-01"},
        {"to": "9999-12-31"},
        {"sort": "nonsense"},
        {"q": "\x00"},
        {"page": "99999999999999999999999"},
        {"page": "abc"},
    ],
)
def test_bad_values_are_ignored_and_never_fail(as_user, org, rows, params):
    assert subjects(as_user(org.admin).get(LIST, params)) == ALL


def test_the_page_has_a_title_a_heading_sortable_columns_and_real_links(as_user, org, rows):
    body = as_user(org.manager).get(LIST).content.decode()
    assert "<title>Interactions · CRM</title>" in body
    assert "<h1>Interactions</h1>" in body
    assert '<a href="?sort=when" hx-get="?sort=when" hx-target="#interaction-table"' in body
    assert f'<a href="{rows.get_absolute_url()}">Vip Client UAB</a>' in body
    assert '<span class="badge">Chat</span>' in body
    assert '<span class="badge badge-outcome">Agreed next step</span>' in body
    assert '<span class="badge badge-scheduled">Scheduled</span>' in body
    assert 'action="/interactions/" hx-get="/interactions/"' in body


def test_the_time_is_shown_in_the_viewers_time_zone(as_user, org):
    org.manager.time_zone = "Asia/Tokyo"
    org.manager.save()
    InteractionFactory(client=org.client, subject="Late call", occurred_at=at(2026, 11, 10, 20, 30))
    body = as_user(org.manager).get(LIST).content.decode()
    assert "11 Nov 2026, 05:30" in body


def test_empty_list_without_filters_says_so(as_user, org):
    body = as_user(org.manager).get(LIST).content.decode()
    assert "No interactions yet" in body
    assert "Clear the filters" not in body


def test_htmx_returns_only_the_table(as_user, org, rows):
    body = as_user(org.manager).get(LIST, {"kind": "meeting"}, headers=HTMX).content.decode()
    assert body.lstrip().startswith('<div id="interaction-table"')
    assert "<html" not in body
    assert 'class="filters' not in body
    assert "Teammate meeting" in body
    assert "Own call" not in body


def test_pages_of_25_keep_the_filters(as_user, org):
    for day in range(1, 28):
        InteractionFactory(client=org.client, subject=f"Call {day:02d}", occurred_at=at(2026, 11, day, 12))
    c = as_user(org.manager)
    first = c.get(LIST, {"kind": "call"})
    assert len(first.context["page"].object_list) == 25
    assert "kind=call&amp;page=2" in first.content.decode()
    assert subjects(c.get(LIST, {"kind": "call", "page": 2})) == ["Call 02", "Call 01"]


@pytest.mark.parametrize("count", [3, 30])
def test_query_count_does_not_grow_with_rows(as_user, org, count, django_assert_max_num_queries):
    clients = [ClientFactory(account_manager=manager) for manager in (org.manager, org.teammate, org.lead)]
    for index in range(count):
        client = clients[index % 3]
        InteractionFactory(client=client, logged_by=client.account_manager)
    c = as_user(org.lead)
    with django_assert_max_num_queries(7):
        response = c.get(LIST, {"team": org.north.pk, "from": "2000-01-01"})
    assert len(response.context["page"].object_list) == min(count, 25)
