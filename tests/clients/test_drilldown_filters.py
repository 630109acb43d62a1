"""The client list's filters for the dashboard's links: team, churn days, "going cold"."""

import re
from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import formats, timezone

from clients.listing import get_client_set
from clients.models import Client
from interactions.selectors import clients_going_cold
from tests.factories.clients import ClientFactory
from tests.factories.interactions import InteractionFactory

LIST = reverse("clients:list")


def names(response) -> list[str]:
    assert response.status_code == 200
    return [client.name for client in response.context["page"].object_list]


def hidden_inputs(response) -> dict[str, str]:
    """The hidden inputs of the filter form: what it sends again when the list is refined."""
    body = response.content.decode()
    form = body[body.index('<form class="filters') : body.index("</form>", body.index('<form class="filters'))]
    return dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)">', form))


@pytest.fixture
def churned(org):
    """Churned clients of the North manager around 27 Oct – 25 Nov 2026, and one of the South team."""
    for name, day in [
        ("Churned 26 Oct", date(2026, 10, 26)),
        ("Churned 27 Oct", date(2026, 10, 27)),
        ("Churned 25 Nov", date(2026, 11, 25)),
        ("Churned 26 Nov", date(2026, 11, 26)),
    ]:
        ClientFactory(name=name, status="churned", churned_on=day, account_manager=org.manager)
    ClientFactory(name="South churned", status="churned", churned_on=date(2026, 11, 1), account_manager=org.outsider)


@pytest.fixture
def cold(org):
    """Clients added 400 days ago: never contacted (cold), called yesterday (warm), churned (never cold)."""
    long_ago = timezone.now() - timedelta(days=400)
    quiet = ClientFactory(name="Quiet VIP", tier="vip", account_manager=org.manager)
    warm = ClientFactory(name="Warm VIP", tier="vip", account_manager=org.manager)
    gone = ClientFactory(name="Gone quiet", status="churned", account_manager=org.manager)
    south = ClientFactory(name="South quiet", account_manager=org.outsider)
    Client.objects.filter(pk__in=[quiet.pk, warm.pk, gone.pk, south.pk]).update(created_at=long_ago)
    InteractionFactory(client=warm, occurred_at=timezone.now() - timedelta(days=1))


# --- churn days ------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"churned_from": "2026-10-27", "churned_to": "2026-11-25"}, ["Churned 25 Nov", "Churned 27 Oct"]),
        ({"churned_from": "2026-11-25"}, ["Churned 25 Nov", "Churned 26 Nov"]),
        ({"churned_to": "2026-10-27"}, ["Churned 26 Oct", "Churned 27 Oct"]),
        ({"churned_from": "2026-10-27", "churned_to": "2026-10-27"}, ["Churned 27 Oct"]),
        ({"churned_from": "2026-11-26", "churned_to": "2026-10-27"}, []),
    ],
)
def test_churned_days_are_inclusive_at_both_ends(as_user, org, churned, params, expected):
    assert names(as_user(org.lead).get(LIST, params)) == expected


def test_admin_sees_the_churn_of_every_team_and_combines_it_with_the_team(as_user, org, churned):
    c = as_user(org.admin)
    period = {"churned_from": "2026-10-27", "churned_to": "2026-11-25"}
    assert names(c.get(LIST, period)) == ["Churned 25 Nov", "Churned 27 Oct", "South churned"]
    assert names(c.get(LIST, {**period, "team": org.south.pk})) == ["South churned"]
    assert names(c.get(LIST, {**period, "team": org.north.pk, "manager": org.manager.pk})) == [
        "Churned 25 Nov",
        "Churned 27 Oct",
    ]


def test_churn_link_names_its_days_with_a_link_that_removes_them(as_user, org, churned):
    response = as_user(org.lead).get(LIST, {"churned_from": "2026-10-27", "churned_to": "2026-11-25", "tier": ""})
    body = response.content.decode()
    first, last = (formats.date_format(day, "SHORT_DATE_FORMAT") for day in (date(2026, 10, 27), date(2026, 11, 25)))
    assert f'<span class="muted">Churned:</span> {first} – {last}' in body
    assert '<a class="small" href="?tier=" title="Remove this filter">✕</a>' in body
    # the filter form sends them again when the list is refined
    assert hidden_inputs(response) == {"churned_from": "2026-10-27", "churned_to": "2026-11-25"}


# --- going cold ------------------------------------------------------------------------------------------------------


def test_interactions_registers_the_going_cold_set():
    client_set = get_client_set("cold")
    assert client_set is not None
    assert str(client_set.label) == "Going cold"
    assert client_set.narrow is clients_going_cold


def test_cold_keeps_the_clients_going_cold_among_the_visible_ones(as_user, org, cold):
    assert names(as_user(org.manager).get(LIST, {"cold": "1"})) == ["Quiet VIP"]
    assert names(as_user(org.admin).get(LIST, {"cold": "1"})) == ["Quiet VIP", "South quiet"]
    assert names(as_user(org.outsider).get(LIST, {"cold": "1"})) == ["South quiet"]


def test_cold_combines_with_the_other_filters(as_user, org, cold):
    c = as_user(org.admin)
    assert names(c.get(LIST, {"cold": "1", "tier": "vip"})) == ["Quiet VIP"]
    assert names(c.get(LIST, {"cold": "1", "tier": "standard"})) == ["South quiet"]
    assert names(c.get(LIST, {"cold": "1", "team": org.north.pk})) == ["Quiet VIP"]
    assert names(c.get(LIST, {"cold": "1", "status": "churned"})) == []
    assert names(c.get(LIST, {"cold": "on", "q": "south"})) == ["South quiet"]


@pytest.mark.parametrize("value", ["0", "", "false", "maybe"])
def test_cold_off_or_junk_does_not_narrow_the_list(as_user, org, cold, value):
    assert names(as_user(org.manager).get(LIST, {"cold": value})) == [
        "Gone quiet",
        "Own Client UAB",
        "Quiet VIP",
        "Teammate Client UAB",
        "Warm VIP",
    ]


def test_cold_is_a_checkbox_of_the_filter_form(as_user, org, cold):
    body = as_user(org.manager).get(LIST, {"cold": "1"}).content.decode()
    assert re.search(
        r'<label class="check" for="id_cold"><input type="checkbox" name="cold" id="id_cold" checked>'
        r"\s*Going cold</label>",
        body,
    )


# --- team ------------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "team", "expected"),
    [
        ("admin", "north", ["Own Client UAB", "Teammate Client UAB"]),
        ("admin", "south", ["Foreign Client OOO"]),
        ("lead", "north", ["Own Client UAB", "Teammate Client UAB"]),
        ("manager", "north", ["Own Client UAB", "Teammate Client UAB"]),
        ("other_lead", "south", ["Foreign Client OOO"]),
    ],
)
def test_team_keeps_the_clients_of_the_team_s_account_managers(as_user, org, who, team, expected):
    assert names(as_user(getattr(org, who)).get(LIST, {"team": getattr(org, team).pk})) == expected


@pytest.mark.parametrize("who", ["lead", "manager", "teammate"])
def test_a_link_to_another_team_shows_nothing_of_it(as_user, org, churned, cold, who):
    response = as_user(getattr(org, who)).get(LIST, {"team": org.south.pk})
    assert names(response) == []
    assert "No clients match these filters" in response.content.decode()
    assert names(as_user(getattr(org, who)).get(LIST, {"team": org.south.pk, "cold": "1"})) == []
    assert names(as_user(getattr(org, who)).get(LIST, {"team": org.south.pk, "status": "churned"})) == []


def test_team_combines_with_manager_tier_and_status(as_user, org):
    ClientFactory(name="North VIP", tier="vip", account_manager=org.teammate)
    ClientFactory(name="North prospect", status="prospect", account_manager=org.manager)
    c = as_user(org.lead)
    north = org.north.pk
    assert names(c.get(LIST, {"team": north, "tier": "vip"})) == ["North VIP"]
    assert names(c.get(LIST, {"team": north, "status": "prospect"})) == ["North prospect"]
    assert names(c.get(LIST, {"team": north, "manager": org.teammate.pk})) == ["North VIP", "Teammate Client UAB"]
    assert names(c.get(LIST, {"team": north, "manager": org.teammate.pk, "tier": "standard"})) == [
        "Teammate Client UAB"
    ]


def test_a_manager_can_list_their_active_clients(as_user, org):
    ClientFactory(name="Own prospect", status="prospect", account_manager=org.manager)
    ClientFactory(name="Own inactive", status="inactive", account_manager=org.manager)
    assert names(as_user(org.manager).get(LIST, {"status": "active"})) == ["Own Client UAB", "Teammate Client UAB"]
    assert names(as_user(org.manager).get(LIST, {"status": "active", "manager": org.manager.pk})) == ["Own Client UAB"]


def test_team_leads_and_admins_choose_the_team_in_the_form(as_user, org):
    lead_body = as_user(org.lead).get(LIST, {"team": org.north.pk}).content.decode()
    assert re.search(
        r'<select name="team" id="id_team">\s*<option value="">All teams</option>\s*'
        rf'<option value="{org.north.pk}" selected>North</option>\s*</select>',
        lead_body,
    )
    assert '<span class="muted">Team:</span>' not in lead_body
    admin_body = as_user(org.admin).get(LIST).content.decode()
    assert f'<option value="{org.south.pk}">South</option>' in admin_body


def test_a_link_naming_a_team_the_lead_does_not_lead_shows_that_team_selected(as_user, org):
    body = as_user(org.lead).get(LIST, {"team": org.south.pk}).content.decode()
    assert f'<option value="{org.south.pk}" selected>South</option>' in body


def test_a_manager_sees_the_team_of_a_link_named_not_offered_as_a_choice(as_user, org):
    response = as_user(org.manager).get(LIST, {"team": org.north.pk})
    body = response.content.decode()
    assert 'name="team" id="id_team"' not in body
    assert '<span class="muted">Team:</span> North <a class="small" href="?" title="Remove this filter">✕</a>' in body
    assert hidden_inputs(response) == {"team": str(org.north.pk)}
    assert 'name="team"' not in as_user(org.manager).get(LIST).content.decode()


# --- bad input -------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "params",
    [
        {"team": "abc"},
        {"team": "-1"},
        {"team": "1.5"},
        {"team": "99999999999999999999999"},
        {"team": "999999"},
        {"tier": "gold"},
        {"churned_from": "2026-13-40"},
        {"churned_to": "not a date"},
        {"churned_from": "99999-01-01"},
        {"cold": "\x00"},
    ],
)
def test_bad_values_are_ignored_without_error(as_user, org, churned, params):
    c = as_user(org.lead)
    everything = names(c.get(LIST))
    response = c.get(LIST, params)
    assert names(response) == everything
    assert c.get(LIST, params, headers={"HX-Request": "true"}).status_code == 200
    assert hidden_inputs(response) == {}


def test_extreme_dates_do_not_fail(as_user, org, churned):
    response = as_user(org.lead).get(LIST, {"churned_from": "0001-01-01", "churned_to": "9999-12-31"})
    assert len(names(response)) == 4


# --- queries ---------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("rows", [5, 50])
def test_drilldown_filters_add_no_query_per_row(as_user, org, rows, settings, django_assert_max_num_queries):
    long_ago = timezone.now() - timedelta(days=400)
    created = ClientFactory.create_batch(rows, account_manager=org.teammate)
    Client.objects.filter(pk__in=[c.pk for c in created]).update(created_at=long_ago)
    c = as_user(org.lead)
    # Constant: the list's own queries, plus the link's team checked and the lead's team choices,
    # plus the tiers' contact cadence that "going cold" reads (the rule itself is one subquery),
    # plus the segments offered in the form.
    with django_assert_max_num_queries(12):
        response = c.get(LIST, {"team": org.north.pk, "cold": "1", "status": "active", "tier": "standard"})
    assert len(names(response)) == min(rows, settings.CLIENTS_PAGE_SIZE)
