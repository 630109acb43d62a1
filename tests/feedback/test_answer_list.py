"""The survey answer list (/surveys/answers/): answers of the clients the user may see, each filter's exact rows with
its first and last day, score bands at their edges, bad values, the htmx fragment and a constant number of queries."""

from datetime import UTC, datetime, timedelta

import pytest
from django.urls import reverse

from clients.models import Tier
from feedback.models import SurveyResponse, SurveyStatus
from feedback.services.closed_loop import open_loop
from interactions.models import FollowUpStatus
from tests.factories.clients import ClientFactory
from tests.factories.contacts import ContactFactory
from tests.factories.feedback import SurveyRequestFactory, ensure_survey_defaults, survey_template

LIST = reverse("surveys:answers")
API = "/api/v1/surveys/responses/"
HTMX = {"HX-Request": "true"}


@pytest.fixture(autouse=True)
def _survey_defaults(db):
    ensure_survey_defaults()


def at(*args) -> datetime:
    return datetime(*args, tzinfo=UTC)


def answer(contact, kind: str, score: int, moment: datetime, comment: str = "") -> SurveyResponse:
    """An answered survey of `contact` (kind "CSAT" or "NPS", the seeded templates' names)."""
    request = SurveyRequestFactory(
        contact=contact,
        template=survey_template(kind),
        status=SurveyStatus.ANSWERED,
        scheduled_at=moment - timedelta(hours=2),
        sent_at=moment - timedelta(hours=2),
        answered_at=moment,
    )
    return SurveyResponse.objects.create(
        request=request, client=contact.client, kind=request.kind, score=score, comment=comment, answered_at=moment
    )


def comments(response) -> list[str]:
    assert response.status_code == 200
    return [row.comment for row in response.context["page"].object_list]


@pytest.fixture
def answers(org):
    """Nine answers, one a day from 1 to 9 November 2026: seven on North clients, two on the South one.

    Each comment names the answer; the scores sit on the edges of the bands.
    """
    own = ContactFactory(client=org.client, full_name="Petras Primary")
    team = ContactFactory(client=org.team_client, full_name="Rasa Buyer")
    foreign = ContactFactory(client=org.foreign_client, full_name="Ivan Foreign")
    vip = ContactFactory(client=ClientFactory(name="Vip Client UAB", tier=Tier.VIP, account_manager=org.teammate))
    for day, (contact, kind, score) in enumerate(
        [
            (own, "NPS", 9),
            (own, "NPS", 8),
            (team, "NPS", 7),
            (team, "NPS", 6),
            (foreign, "NPS", 10),
            (own, "CSAT", 4),
            (vip, "CSAT", 3),
            (vip, "CSAT", 2),
            (foreign, "CSAT", 5),
        ],
        start=1,
    ):
        answer(contact, kind, score, at(2026, 11, day, 12), comment=f"{kind.lower()} {score}")


ALL = ["csat 5", "csat 2", "csat 3", "csat 4", "nps 10", "nps 6", "nps 7", "nps 8", "nps 9"]
NORTH = ["csat 2", "csat 3", "csat 4", "nps 6", "nps 7", "nps 8", "nps 9"]


def test_anonymous_is_sent_to_the_login_page(client, org):
    response = client.get(LIST, {"kind": "nps"})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("manager", NORTH),  # own and the team's clients
        ("teammate", NORTH),
        ("lead", NORTH),
        ("outsider", ["csat 5", "nps 10"]),
        ("other_lead", ["csat 5", "nps 10"]),
        ("admin", ALL),
    ],
)
def test_each_role_sees_the_answers_of_the_clients_it_may_see_newest_first(as_user, org, answers, who, expected):
    assert comments(as_user(getattr(org, who)).get(LIST)) == expected


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"q": "CSAT 3"}, ["csat 3"]),  # the comment, any case
        ({"q": "vip client"}, ["csat 2", "csat 3"]),  # the client's name
        ({"q": "rasa"}, ["nps 6", "nps 7"]),  # the contact's name
        ({"kind": "nps"}, ["nps 10", "nps 6", "nps 7", "nps 8", "nps 9"]),
        ({"kind": "csat"}, ["csat 5", "csat 2", "csat 3", "csat 4"]),
        ({"band": "promoter"}, ["nps 10", "nps 9"]),
        ({"band": "passive"}, ["nps 7", "nps 8"]),
        ({"band": "detractor"}, ["nps 6"]),
        ({"band": "satisfied"}, ["csat 5", "csat 4"]),
        ({"band": "neutral"}, ["csat 3"]),
        ({"band": "unhappy"}, ["csat 2"]),
        ({"kind": "csat", "band": "promoter"}, []),
        ({"manager": "teammate"}, ["csat 2", "csat 3", "nps 6", "nps 7"]),
        ({"manager": "outsider"}, ["csat 5", "nps 10"]),
        ({"team": "north"}, NORTH),
        ({"team": "south"}, ["csat 5", "nps 10"]),
        ({"tier": "vip"}, ["csat 2", "csat 3"]),
        ({"client": "client"}, ["csat 4", "nps 8", "nps 9"]),
        ({"from": "2026-11-04", "to": "2026-11-06"}, ["csat 4", "nps 10", "nps 6"]),
        ({"kind": "nps", "team": "north", "from": "2026-11-02"}, ["nps 6", "nps 7", "nps 8"]),
        ({"sort": "score"}, ["csat 2", "csat 3", "csat 4", "csat 5", "nps 6", "nps 7", "nps 8", "nps 9", "nps 10"]),
        ({"sort": "-answered"}, ALL),
        ({"sort": "answered"}, list(reversed(ALL))),
    ],
)
def test_each_filter_finds_exactly_its_rows(as_user, org, answers, params, expected):
    query = {
        key: getattr(org, value).pk if key in ("manager", "team", "client") else value for key, value in params.items()
    }
    assert comments(as_user(org.admin).get(LIST, query)) == expected


def test_days_are_the_viewers_own_with_the_first_and_the_last_day_included(as_user, org):
    """New York: 27 October is still summer time (UTC-4), 25 November winter time (UTC-5)."""
    org.lead.time_zone = "America/New_York"
    org.lead.save()
    contact = ContactFactory(client=org.client)
    for name, moment in [
        ("before the first day", at(2026, 10, 27, 3, 59, 59)),
        ("first moment", at(2026, 10, 27, 4)),
        ("last moment", at(2026, 11, 26, 4, 59, 59)),
        ("after the last day", at(2026, 11, 26, 5)),
    ]:
        answer(contact, "NPS", 9, moment, comment=name)
    c = as_user(org.lead)
    assert comments(c.get(LIST, {"kind": "nps", "from": "2026-10-27", "to": "2026-11-25"})) == [
        "last moment",
        "first moment",
    ]
    assert comments(c.get(LIST, {"from": "2026-11-26"})) == ["after the last day"]
    assert comments(c.get(LIST, {"to": "2026-10-26"})) == ["before the first day"]


def test_the_dashboards_nps_link_for_a_team_and_a_period(as_user, org, answers):
    query = {"kind": "nps", "from": "2026-11-01", "to": "2026-11-04", "team": org.north.pk}
    assert comments(as_user(org.lead).get(LIST, query)) == ["nps 6", "nps 7", "nps 8", "nps 9"]


@pytest.mark.parametrize(("key", "value"), [("team", "south"), ("manager", "outsider")])
def test_a_team_lead_asking_for_another_team_or_its_manager_gets_an_empty_list(as_user, org, answers, key, value):
    response = as_user(org.lead).get(LIST, {key: getattr(org, value).pk})
    assert comments(response) == []
    assert "No answers match these filters" in response.content.decode()


# --- the API reads the dashboard's words as the page does -------------------------------------------------------------


def api_comments(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [row["comment"] for row in response.json()["results"]]


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"team": "north"}, NORTH),
        ({"team": "south"}, ["csat 5", "nps 10"]),
        ({"manager": "teammate"}, ["csat 2", "csat 3", "nps 6", "nps 7"]),
        ({"tier": "vip"}, ["csat 2", "csat 3"]),
        ({"from": "2026-11-04", "to": "2026-11-06"}, ["csat 4", "nps 10", "nps 6"]),
        ({"band": "promoter"}, ["nps 10", "nps 9"]),
        ({"band": "unhappy"}, ["csat 2"]),
        ({"kind": "csat", "band": "promoter"}, []),
        # the dashboard's NPS link for a team and a period
        (
            {"kind": "nps", "team": "north", "from": "2026-11-01", "to": "2026-11-04"},
            ["nps 6", "nps 7", "nps 8", "nps 9"],
        ),
    ],
)
def test_the_api_takes_the_dashboards_filters_and_finds_the_pages_rows(
    as_user, as_api_user, org, answers, params, expected
):
    query = {key: getattr(org, value).pk if key in ("manager", "team") else value for key, value in params.items()}

    assert api_comments(as_api_user(org.admin).get(API, query)) == expected
    assert comments(as_user(org.admin).get(LIST, query)) == expected


@pytest.mark.parametrize(("key", "value"), [("team", "south"), ("manager", "outsider")])
def test_the_api_shows_a_lead_nothing_of_another_team(as_api_user, org, answers, key, value):
    assert api_comments(as_api_user(org.lead).get(API, {key: getattr(org, value).pk})) == []


@pytest.mark.parametrize(
    ("params", "errors"),
    [
        ({"band": "ecstatic"}, {"band": ["Select a valid choice. ecstatic is not one of the available choices."]}),
        ({"tier": "platinum"}, {"tier": ["Select a valid choice. platinum is not one of the available choices."]}),
        ({"to": "not a date"}, {"to": ["Enter a valid date."]}),
    ],
)
def test_the_api_refuses_bad_drill_down_values(as_api_user, org, answers, params, errors):
    response = as_api_user(org.admin).get(API, params)

    assert response.status_code == 400
    assert response.json() == errors


def test_filtered_by_a_client_shows_it_and_a_client_the_user_cannot_see_is_404(as_user, org, answers):
    response = as_user(org.manager).get(LIST, {"client": org.client.pk})
    assert response.context["filtered_client"] == org.client
    assert f'<a href="{org.client.get_absolute_url()}">Own Client UAB</a>' in response.content.decode()
    assert as_user(org.outsider).get(LIST, {"client": org.client.pk}).status_code == 404


@pytest.mark.parametrize(
    "params",
    [
        {"kind": "ces"},
        {"band": "ecstatic"},
        {"manager": "abc"},
        {"manager": "99999999999999999999999"},
        {"team": "1.5"},
        {"team": "²"},
        {"tier": "platinum"},
        {"client": "abc"},
        {"from": "not a date"},
        {"from": "0001-01-01"},
        {"to": "9999-12-31"},
        {"sort": "nonsense"},
        {"q": "\x00"},
        {"page": "99999999999999999999999"},
    ],
)
def test_bad_values_are_ignored_and_never_fail(as_user, org, answers, params):
    assert comments(as_user(org.admin).get(LIST, params)) == ALL


def test_scores_are_badges_coloured_by_band(as_user, org, answers):
    body = as_user(org.admin).get(LIST).content.decode()
    assert '<span class="badge badge-score-good">10 · Promoter</span>' in body
    assert '<span class="badge badge-score-good">9 · Promoter</span>' in body
    assert '<span class="badge badge-score-mid">8 · Passive</span>' in body
    assert '<span class="badge badge-score-mid">7 · Passive</span>' in body
    assert '<span class="badge badge-score-bad">6 · Detractor</span>' in body
    assert '<span class="badge badge-score-good">4/5 · Satisfied</span>' in body
    assert '<span class="badge badge-score-mid">3/5 · Neutral</span>' in body
    assert '<span class="badge badge-score-bad">2/5 · Unhappy</span>' in body


def test_a_row_shows_when_who_the_comment_and_the_follow_up(as_user, org):
    contact = ContactFactory(client=org.client, full_name="Petras Primary")
    low = answer(contact, "NPS", 3, at(2026, 11, 10, 20, 30), comment="Delivery was late " + "again " * 40)
    open_loop(low)
    body = as_user(org.manager).get(LIST).content.decode()
    assert "<title>Survey answers · CRM</title>" in body
    assert "<h1>Survey answers</h1>" in body
    assert "10 Nov 2026, 22:30" in body  # Vilnius time
    assert f'<a href="{org.client.get_absolute_url()}">Own Client UAB</a>' in body
    assert "Petras Primary" in body
    assert "“Delivery was late again again" in body
    assert body.count("again " * 40) == 1  # whole in the tooltip only; the cell is truncated
    assert "again aga…”</span>" in body
    assert f'<a href="{org.client.get_absolute_url()}#client-feedback">Open</a>' in body
    low.follow_up.status = FollowUpStatus.DONE
    low.follow_up.save()
    assert '#client-feedback">Done</a>' in as_user(org.manager).get(LIST).content.decode()


def test_sort_headers_have_real_links_and_htmx(as_user, org, answers):
    body = as_user(org.manager).get(LIST).content.decode()
    assert '<a href="?sort=score" hx-get="?sort=score" hx-target="#answer-table"' in body
    assert 'action="/surveys/answers/" hx-get="/surveys/answers/"' in body


def test_empty_list_without_filters_says_so(as_user, org):
    body = as_user(org.manager).get(LIST).content.decode()
    assert "No survey answers yet." in body
    assert "Clear the filters" not in body


def test_htmx_returns_only_the_table(as_user, org, answers):
    body = as_user(org.manager).get(LIST, {"band": "neutral"}, headers=HTMX).content.decode()
    assert body.lstrip().startswith('<div id="answer-table"')
    assert "<html" not in body
    assert "csat 3" in body
    assert "csat 4" not in body


def test_pages_of_25(as_user, org):
    contact = ContactFactory(client=org.client)
    for day in range(1, 28):
        answer(contact, "CSAT", 4, at(2026, 11, day, 12), comment=f"day {day:02d}")
    c = as_user(org.manager)
    assert len(c.get(LIST).context["page"].object_list) == 25
    assert comments(c.get(LIST, {"page": 2})) == ["day 02", "day 01"]


@pytest.mark.parametrize("count", [3, 30])
def test_query_count_does_not_grow_with_rows(as_user, org, count, django_assert_max_num_queries):
    contacts = [ContactFactory(client=ClientFactory(account_manager=m)) for m in (org.manager, org.teammate, org.lead)]
    for index in range(count):
        response = answer(contacts[index % 3], "NPS", index % 11, at(2026, 11, 1 + index % 28, 12))
        if response.is_low:
            open_loop(response)
    c = as_user(org.lead)
    with django_assert_max_num_queries(7):
        response = c.get(LIST, {"team": org.north.pk, "from": "2026-01-01"})
    assert len(response.context["page"].object_list) == min(count, 25)
