"""The complaint list's filters for the dashboard's links: team, client tier, received and resolved days, open."""

import re
import zoneinfo
from datetime import date, datetime, time, timedelta

import pytest
from django.urls import reverse
from django.utils import formats, timezone

from complaints.models import Complaint
from tests.factories.complaints import make_complaint, move

LIST = reverse("complaints:list")
MINE = reverse("complaints:mine")
API = "/api/v1/complaints/"
NEW_YORK = zoneinfo.ZoneInfo("America/New_York")
SEPTEMBER = {"received_from": "2026-09-01", "received_to": "2026-09-30"}


def new_york(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=NEW_YORK)


@pytest.fixture
def complaints(org):
    """Complaints around September 2026 as seen from New York, where every viewer sits.

    Each boundary moment falls on another day in the company's time zone (Vilnius), so the
    viewer's zone is what decides. Old open complaints are past their first-reply time (breached);
    "fresh" arrived just now (on track).
    """
    org.team_client.tier = "vip"
    org.team_client.save()
    org.foreign_client.tier = "vip"
    org.foreign_client.save()
    for user in (org.manager, org.teammate, org.lead, org.admin, org.other_lead, org.outsider):
        user.time_zone = "America/New_York"
        user.save()

    def received(client, at, subject):
        return make_complaint(actor=client.account_manager, client=client, subject=subject, received_at=at)

    def resolved(client, at, subject):
        complaint = received(client, new_york(date(2026, 8, 20), 10), subject)
        return move(complaint, "resolved", actor=client.account_manager, at=at)

    received(org.client, new_york(date(2026, 8, 31), 23, 59), "day before")
    received(org.client, new_york(date(2026, 9, 1), 0), "first day")
    received(org.team_client, new_york(date(2026, 9, 30), 23, 59), "last day")
    received(org.client, new_york(date(2026, 10, 1), 0), "day after")
    received(org.foreign_client, new_york(date(2026, 9, 15), 12), "south")
    received(org.client, timezone.now() - timedelta(minutes=5), "fresh")
    resolved(org.client, new_york(date(2026, 8, 31), 23, 59), "resolved day before")
    resolved(org.team_client, new_york(date(2026, 9, 1), 0), "resolved first day")
    resolved(org.client, new_york(date(2026, 9, 30), 23, 59), "resolved last day")
    resolved(org.client, new_york(date(2026, 10, 1), 0), "resolved day after")
    resolved(org.foreign_client, new_york(date(2026, 9, 10), 9), "south resolved")


def subjects(response) -> list[str]:
    assert response.status_code == 200
    return sorted(complaint.subject for complaint in response.context["page"].object_list)


def hidden_inputs(response) -> dict[str, str]:
    """The hidden inputs of the filter form: what it sends again when the list is refined."""
    body = response.content.decode()
    start = body.index('<form class="filters')
    form = body[start : body.index("</form>", start)]
    return dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)">', form))


NORTH_OPEN = ["day after", "day before", "first day", "fresh", "last day"]
NORTH_RESOLVED = ["resolved day after", "resolved day before", "resolved first day", "resolved last day"]


# --- received and resolved days --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        (SEPTEMBER, ["first day", "last day"]),
        ({"received_from": "2026-09-30"}, ["day after", "fresh", "last day"]),
        ({"received_to": "2026-09-01"}, ["day before", "first day", *NORTH_RESOLVED]),
        ({"received_from": "2026-08-31", "received_to": "2026-08-31"}, ["day before"]),
        ({"received_from": "2026-10-01", "received_to": "2026-09-01"}, []),
        ({"resolved_from": "2026-09-01", "resolved_to": "2026-09-30"}, ["resolved first day", "resolved last day"]),
        ({"resolved_from": "2026-09-30"}, ["resolved day after", "resolved last day"]),
        ({"resolved_to": "2026-09-01"}, ["resolved day before", "resolved first day"]),
        ({**SEPTEMBER, "resolved_to": "2026-12-31"}, []),
    ],
)
def test_days_are_the_viewer_s_calendar_days_inclusive(as_user, org, complaints, params, expected):
    assert subjects(as_user(org.lead).get(LIST, params)) == expected


def test_the_days_follow_the_viewer_s_own_time_zone(as_user, org, complaints):
    org.lead.time_zone = "Europe/Vilnius"  # 23:59 in New York is already the next morning here
    org.lead.save()
    assert subjects(as_user(org.lead).get(LIST, SEPTEMBER)) == ["day before", "first day"]


# --- open, team, tier, and the existing filters ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "params", "expected"),
    [
        ("lead", {"open": "1"}, NORTH_OPEN),
        ("admin", {"open": "1"}, [*NORTH_OPEN, "south"]),
        (
            "admin",
            {"open": "1", "sla": "breached", "team": "north"},
            ["day after", "day before", "first day", "last day"],
        ),
        ("admin", {"open": "1", "sla": "breached", "team": "south"}, ["south"]),
        ("lead", {"open": "1", "sla": "on_track", "team": "north"}, ["fresh"]),
        ("lead", {"open": "1", "status": "resolved"}, []),
        ("lead", {"open": "1", **SEPTEMBER}, ["first day", "last day"]),
        ("lead", {"team": "north", "tier": "vip"}, ["last day", "resolved first day"]),
        ("admin", {"tier": "vip", "status": "resolved"}, ["resolved first day", "south resolved"]),
        ("admin", {"team": "south"}, ["south", "south resolved"]),
        ("lead", {"owner": "teammate", "team": "north"}, ["last day", "resolved first day"]),
        (
            "manager",
            {"open": "1", "team": "north", "tier": "standard", "q": "day"},
            ["day after", "day before", "first day"],
        ),
    ],
)
def test_filters_combine(as_user, org, complaints, who, params, expected):
    query = {key: getattr(org, value).pk if key in ("team", "owner") else value for key, value in params.items()}
    assert subjects(as_user(getattr(org, who)).get(LIST, query)) == expected


@pytest.mark.parametrize("value", ["0", "", "false", "maybe"])
def test_open_off_or_junk_does_not_narrow_the_list(as_user, org, complaints, value):
    assert subjects(as_user(org.lead).get(LIST, {"open": value})) == sorted(NORTH_OPEN + NORTH_RESOLVED)


def test_the_team_is_the_owner_s(as_user, org, complaints):
    """A North client's complaint handed to a South manager is South's; the North lead sees it through the client."""
    make_complaint(actor=org.lead, client=org.client, owner=org.outsider, subject="lent to the south")
    c = as_user(org.lead)
    assert subjects(c.get(LIST, {"team": org.south.pk})) == ["lent to the south"]
    assert "lent to the south" not in subjects(c.get(LIST, {"team": org.north.pk}))


@pytest.mark.parametrize("who", ["lead", "manager", "teammate"])
def test_a_link_to_another_team_shows_nothing_of_it(as_user, org, complaints, who):
    c = as_user(getattr(org, who))
    response = c.get(LIST, {"open": "1", "sla": "breached", "team": org.south.pk})
    assert subjects(response) == []
    assert "No complaints match these filters" in response.content.decode()
    assert subjects(c.get(LIST, {"team": org.south.pk, "resolved_from": "2026-09-01"})) == []
    assert subjects(c.get(LIST, {"team": org.south.pk, "tier": "vip"})) == []


def test_the_api_takes_the_same_filters(as_api_user, org, complaints):
    rows = as_api_user(org.admin).get(API, {"open": "1", "team": org.south.pk}).json()["results"]
    assert [row["subject"] for row in rows] == ["south"]
    assert as_api_user(org.lead).get(API, {"team": org.south.pk}).json()["results"] == []


# --- what the page says ----------------------------------------------------------------------------------------------


def test_the_page_names_the_link_s_filters_and_keeps_them_when_refined(as_user, org, complaints):
    response = as_user(org.manager).get(LIST, {"open": "1", "sla": "breached", "team": org.north.pk, **SEPTEMBER})
    body = response.content.decode()
    first, last = (formats.date_format(day, "SHORT_DATE_FORMAT") for day in (date(2026, 9, 1), date(2026, 9, 30)))
    chips = re.findall(r'<span class="link-filter">(.*?) <a class="small" href="\?([^"]*)"', body)
    assert chips == [
        (
            '<span class="muted">Team:</span> North',
            "open=1&amp;sla=breached&amp;received_from=2026-09-01&amp;received_to=2026-09-30",
        ),
        ("Open only", f"sla=breached&amp;team={org.north.pk}&amp;received_from=2026-09-01&amp;received_to=2026-09-30"),
        (f'<span class="muted">Received:</span> {first} – {last}', f"open=1&amp;sla=breached&amp;team={org.north.pk}"),
    ]
    assert hidden_inputs(response) == {"team": str(org.north.pk), "open": "1", **SEPTEMBER}
    assert 'id="id_team"' not in body


def test_a_lead_chooses_the_team_in_the_list_s_form(as_user, org, complaints):
    body = as_user(org.lead).get(LIST, {"team": org.north.pk, "resolved_to": "2026-09-30"}).content.decode()
    assert f'<option value="{org.north.pk}" selected>North</option>' in body
    assert '<span class="muted">Team:</span>' not in body
    last = formats.date_format(date(2026, 9, 30), "SHORT_DATE_FORMAT")
    assert f'<span class="muted">Resolved:</span> until {last} <a' in body


def test_my_complaints_names_the_team_of_a_link_instead_of_a_select(as_user, org, complaints):
    response = as_user(org.lead).get(MINE, {"team": org.north.pk})
    body = response.content.decode()
    assert 'id="id_team"' not in body
    assert '<span class="muted">Team:</span> North <a class="small" href="?status=open&amp;sort=due"' in body
    assert hidden_inputs(response)["team"] == str(org.north.pk)


# --- bad input -------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "params",
    [
        {"team": "abc"},
        {"team": "1.5"},
        {"team": "99999999999999999999999"},
        {"team": "999999"},
        {"tier": "gold"},
        {"received_from": "2026-13-40"},
        {"received_to": "not a date"},
        {"resolved_from": "99999-01-01"},
        {"resolved_to": "\x00"},
        {"open": "\x00"},
    ],
)
def test_bad_values_are_ignored_without_error(as_user, org, complaints, params):
    c = as_user(org.lead)
    everything = subjects(c.get(LIST))
    response = c.get(LIST, params)
    assert subjects(response) == everything
    assert hidden_inputs(response) == {}
    assert c.get(MINE, params).status_code == 200
    assert c.get(LIST, params, headers={"HX-Request": "true"}).status_code == 200


def test_days_at_the_ends_of_the_calendar_do_not_fail(as_user, org, complaints):
    c = as_user(org.lead)
    assert subjects(c.get(LIST, {"received_from": "0001-01-01", "received_to": "9999-12-31"})) == sorted(
        NORTH_OPEN + NORTH_RESOLVED
    )
    assert subjects(c.get(LIST, {"resolved_from": "0001-01-01", "resolved_to": "9999-12-31"})) == NORTH_RESOLVED


# --- queries ---------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("rows", [3, 30])
def test_drilldown_filters_add_no_query_per_row(as_user, org, rows, django_assert_max_num_queries):
    received = timezone.now() - timedelta(days=3)
    for index in range(rows):
        client = org.client if index % 2 else org.team_client
        make_complaint(actor=client.account_manager, client=client, received_at=received)
    day = timezone.localdate(received, timezone=zoneinfo.ZoneInfo(org.lead.time_zone)).isoformat()
    params = {"open": "1", "sla": "breached", "team": org.north.pk, "tier": "standard"}
    c = as_user(org.lead)
    # the list's own queries and one to check the team of the link: none per row
    with django_assert_max_num_queries(9):
        response = c.get(LIST, {**params, "received_from": day, "received_to": day})
    assert len(subjects(response)) == min(rows, 25)
    assert Complaint.objects.count() == rows
