"""The follow-up list as the dashboard's drill-down: `team` (in place of the default "mine"), the client's `tier`,
`done_from` / `done_to` on the completion day in the viewer's time zone, next to the existing `state` and `assignee`."""

from datetime import UTC, date, datetime, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from dashboards.selectors.display import Period
from dashboards.selectors.overview import Links, Scope
from interactions.models import FollowUpStatus
from tests.factories.clients import ClientFactory
from tests.factories.interactions import FollowUpFactory

LIST = reverse("interactions:follow_up_list")


def at(*args) -> datetime:
    return datetime(*args, tzinfo=UTC)


def titles(response) -> list[str]:
    assert response.status_code == 200
    return [follow_up.title for follow_up in response.context["page"].object_list]


@pytest.fixture
def overdue(org):
    """Overdue follow-ups of three North people and one South manager, and one of the owner's still to come."""
    now = timezone.now()
    FollowUpFactory(client=org.foreign_client, title="Olga overdue", due_at=now - timedelta(days=4))
    FollowUpFactory(client=org.client, title="Mantas overdue", due_at=now - timedelta(days=3))
    FollowUpFactory(client=org.team_client, title="Tomas overdue", due_at=now - timedelta(days=2))
    FollowUpFactory(client=org.client, assignee=org.lead, title="Lina overdue", due_at=now - timedelta(days=1))
    FollowUpFactory(client=org.client, title="Mantas upcoming", due_at=now + timedelta(days=2))


NORTH_OVERDUE = ["Mantas overdue", "Tomas overdue", "Lina overdue"]


def test_anonymous_is_sent_to_the_login_page(client, org):
    response = client.get(LIST, {"state": "overdue", "team": org.north.pk})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_a_team_replaces_the_default_mine(as_user, org, overdue):
    c = as_user(org.lead)
    assert titles(c.get(LIST, {"state": "overdue"})) == ["Lina overdue"]  # unchanged: the lead's own
    response = c.get(LIST, {"state": "overdue", "team": org.north.pk})
    assert titles(response) == NORTH_OVERDUE
    assert response.context["assignee"] == "all"


@pytest.mark.parametrize(
    ("who", "team", "expected"),
    [
        ("lead", "south", []),  # another team's id: nothing, never the other team's rows
        ("other_lead", "north", []),
        ("admin", "south", ["Olga overdue"]),
        ("admin", "north", NORTH_OVERDUE),
        ("manager", "north", NORTH_OVERDUE),  # a manager sees the team's clients
        ("outsider", "north", []),
    ],
)
def test_team_is_intersected_with_what_the_user_may_see(as_user, org, overdue, who, team, expected):
    response = as_user(getattr(org, who)).get(LIST, {"state": "overdue", "team": getattr(org, team).pk})
    assert titles(response) == expected


def test_team_and_assignee_together_narrow_to_the_assignee(as_user, org, overdue):
    c = as_user(org.lead)
    assert titles(c.get(LIST, {"state": "overdue", "team": org.north.pk, "assignee": org.teammate.pk})) == [
        "Tomas overdue"
    ]
    # an assignee outside the lead's staff is dropped as before; the team still applies
    assert titles(c.get(LIST, {"state": "overdue", "team": org.north.pk, "assignee": org.outsider.pk})) == (
        NORTH_OVERDUE
    )


def test_the_dashboards_overdue_link_for_one_manager_still_works(as_user, org, overdue):
    assert titles(as_user(org.lead).get(LIST, {"state": "overdue", "assignee": org.manager.pk})) == ["Mantas overdue"]


@pytest.fixture
def vip(org):
    """The teammate's client (Tomas) and the South client are VIP."""
    for client in (org.team_client, org.foreign_client):
        client.tier = "vip"
        client.save()


@pytest.mark.parametrize(
    ("who", "params", "expected"),
    [
        ("lead", {"assignee": "all", "tier": "vip"}, ["Tomas overdue"]),
        ("lead", {"assignee": "all", "tier": "standard"}, ["Mantas overdue", "Lina overdue"]),
        ("lead", {"assignee": "all", "tier": "key"}, []),
        ("lead", {"team": "north", "tier": "vip"}, ["Tomas overdue"]),
        ("lead", {"team": "south", "tier": "vip"}, []),  # another team's VIPs stay out of sight
        ("lead", {"tier": "standard"}, ["Lina overdue"]),  # the tier alone keeps the default "mine"
        ("admin", {"assignee": "all", "tier": "vip"}, ["Olga overdue", "Tomas overdue"]),
        ("admin", {"team": "south", "tier": "standard"}, []),
    ],
)
def test_tier_keeps_the_follow_ups_of_that_tier_s_clients(as_user, org, overdue, vip, who, params, expected):
    query = {key: getattr(org, value).pk if key == "team" else value for key, value in params.items()}
    assert titles(as_user(getattr(org, who)).get(LIST, {"state": "overdue", **query})) == expected


def test_tier_applies_in_every_state(as_user, org, overdue, vip):
    c = as_user(org.lead)
    assert titles(c.get(LIST, {"state": "upcoming", "assignee": "all", "tier": "standard"})) == ["Mantas upcoming"]
    assert titles(c.get(LIST, {"state": "upcoming", "assignee": "all", "tier": "vip"})) == []
    FollowUpFactory(client=org.team_client, title="VIP done", status=FollowUpStatus.DONE, completed_at=at(2026, 11, 1))
    FollowUpFactory(client=org.client, title="Standard done", status=FollowUpStatus.DONE, completed_at=at(2026, 11, 2))
    query = {"assignee": "all", "tier": "vip", "done_from": "2026-10-27", "done_to": "2026-11-25"}
    assert titles(c.get(LIST, query)) == ["VIP done"]


def test_the_page_shows_the_tier_and_keeps_it_in_the_chips_and_the_way_out_of_the_dates(as_user, org, overdue):
    c = as_user(org.manager)
    body = c.get(LIST, {"state": "overdue", "tier": "vip"}).content.decode()
    assert '<option value="vip" selected>VIP</option>' in body
    assert 'href="?state=done&amp;tier=vip"' in body
    body = c.get(LIST, {"state": "done", "tier": "vip", "done_from": "2026-10-27"}).content.decode()
    assert f'href="?state=done&amp;assignee={org.manager.pk}&amp;tier=vip">✕ all dates</a>' in body


def test_the_dashboard_s_follow_up_links_carry_the_tier(as_user, org, overdue, vip):
    period = Period(date(2026, 10, 27), date(2026, 11, 25))
    links = Links(Scope(team=org.north, tier="vip"), period)
    assert titles(as_user(org.lead).get(links.follow_ups("overdue"))) == ["Tomas overdue"]
    assert "tier=vip" in links.follow_ups("done")
    assert "tier" not in Links(Scope(team=org.north), period).follow_ups("overdue")


@pytest.fixture
def done(org):
    """Follow-ups the owner completed around 27 October – 25 November 2026 as seen from New York."""
    org.lead.time_zone = "America/New_York"
    org.lead.save()
    for title, moment in [
        ("before the first day", at(2026, 10, 27, 3, 59, 59)),  # 26 Oct 23:59:59 EDT
        ("first moment", at(2026, 10, 27, 4)),  # 27 Oct 00:00 EDT
        ("last moment", at(2026, 11, 26, 4, 59, 59)),  # 25 Nov 23:59:59 EST
        ("after the last day", at(2026, 11, 26, 5)),  # 26 Nov 00:00 EST
    ]:
        FollowUpFactory(client=org.client, title=title, status=FollowUpStatus.DONE, completed_at=moment, due_at=moment)
    FollowUpFactory(
        client=org.team_client, title="teammate's", status=FollowUpStatus.DONE, completed_at=at(2026, 11, 1)
    )


def test_done_days_include_the_first_and_the_last_day_in_the_viewers_time_zone(as_user, org, done):
    query = {"state": "done", "assignee": org.manager.pk, "done_from": "2026-10-27", "done_to": "2026-11-25"}
    assert titles(as_user(org.lead).get(LIST, query)) == ["last moment", "first moment"]


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"done_from": "2026-11-26"}, ["after the last day"]),
        ({"done_to": "2026-10-26"}, ["before the first day"]),
        ({"done_from": "2026-10-27", "done_to": "2026-10-27"}, ["first moment"]),
        ({"done_from": "2026-11-25", "done_to": "2026-11-25"}, ["last moment"]),
        ({"done_from": "2026-11-25", "done_to": "2026-10-27"}, []),
    ],
)
def test_each_done_bound_alone(as_user, org, done, params, expected):
    assert titles(as_user(org.lead).get(LIST, {"state": "done", "assignee": org.manager.pk, **params})) == expected


def test_a_done_range_without_a_state_lists_done_follow_ups(as_user, org, done):
    response = as_user(org.lead).get(LIST, {"assignee": "all", "done_from": "2026-10-27", "done_to": "2026-11-25"})
    assert response.context["state"] == "done"
    assert titles(response) == ["teammate's", "last moment", "first moment"]


def test_a_done_range_with_another_state_is_left_out(as_user, org, done, overdue):
    response = as_user(org.lead).get(LIST, {"state": "overdue", "team": org.north.pk, "done_from": "2026-11-26"})
    assert titles(response) == NORTH_OVERDUE
    assert 'id="done-range"' not in response.content.decode()


def test_the_page_shows_the_active_done_range_and_a_way_out(as_user, org, done):
    query = {"state": "done", "assignee": org.manager.pk, "done_from": "2026-10-27", "done_to": "2026-11-25"}
    body = as_user(org.lead).get(LIST, query).content.decode()
    assert "Done from 27 Oct 2026 to 25 Nov 2026" in body
    assert f'href="?state=done&amp;assignee={org.manager.pk}">✕ all dates</a>' in body
    assert 'value="2026-10-27"' in body
    assert 'value="2026-11-25"' in body
    assert "Done on or after 27 Oct 2026" in as_user(org.lead).get(LIST, {"done_from": "2026-10-27"}).content.decode()


def test_the_state_chips_keep_the_team_and_the_assignee(as_user, org, overdue):
    body = as_user(org.lead).get(LIST, {"state": "overdue", "team": org.north.pk}).content.decode()
    assert f'href="?state=done&amp;team={org.north.pk}"' in body
    assert f'<option value="{org.north.pk}" selected>North</option>' in body


@pytest.mark.parametrize(
    "params",
    [
        {"team": "abc"},
        {"team": "99999999999999999999999"},
        {"team": "0"},
        {"done_from": "not a date"},
        {"done_from": "0001-01-01"},
        {"done_to": "9999-12-31"},
        {"assignee": "99999999999999999999999"},
        {"assignee": "²"},
        {"team": "²"},
        {"tier": "gold"},
        {"tier": "\x00"},
        {"state": "everything"},
        {"page": "abc"},
    ],
)
def test_bad_values_are_ignored_and_never_fail(as_user, org, overdue, params):
    assert titles(as_user(org.lead).get(LIST, {"state": "overdue", **params})) == ["Lina overdue"]


@pytest.mark.parametrize("count", [3, 30])
def test_query_count_does_not_grow_with_rows(as_user, org, count, django_assert_max_num_queries):
    clients = [ClientFactory(account_manager=manager) for manager in (org.manager, org.teammate, org.lead)]
    for index in range(count):
        FollowUpFactory(client=clients[index % 3], status=FollowUpStatus.DONE, completed_at=timezone.now())
    c = as_user(org.lead)
    with django_assert_max_num_queries(7):
        response = c.get(LIST, {"team": org.north.pk, "done_from": "2000-01-01"})
    assert len(response.context["page"].object_list) == min(count, 25)
