"""The complaints analysis page: who may see it, which complaints it counts, its periods, tiles, charts and tables."""

import itertools
import json
import re
from datetime import UTC, date, datetime, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.models import Team
from complaints.models import Complaint, ComplaintCategory, ComplaintStatus, Escalation, EscalationLevel, RootCause
from dashboards.forms import ComplaintAnalysisForm
from dashboards.selectors import Period, get_complaint_analysis, list_analysis_teams
from tests.factories.accounts import TeamLeadFactory
from tests.factories.clients import ClientFactory

URL = reverse("dashboards:complaints")
_numbers = itertools.count(1)


def complaint(client, *, received_at=None, category="Late delivery", owner=None, **fields) -> Complaint:
    """A bare complaint row (two days old unless said otherwise), owned by the client's manager."""
    if fields.get("resolved_at") is not None:
        fields.setdefault("status", ComplaintStatus.RESOLVED)
    if isinstance(fields.get("root_cause"), str):
        fields["root_cause"] = RootCause.objects.get(name=fields["root_cause"])
    return Complaint.objects.create(
        number=f"PAGE-{next(_numbers):06d}",
        client=client,
        owner=owner or client.account_manager,
        category=ComplaintCategory.objects.get(name=category),
        subject="Broken pallet",
        received_at=received_at or timezone.now() - timedelta(days=2),
        **fields,
    )


def escalation(complaint_row, recipient, *, at, level=EscalationLevel.BREACHED, clock="resolution") -> Escalation:
    row = Escalation.objects.create(
        complaint=complaint_row, cycle=1, level=level, clock=clock, recipient=recipient, next_attempt_at=at
    )
    Escalation.objects.filter(pk=row.pk).update(created_at=at)  # auto_now_add ignores a given value
    return row


def received_tile(response) -> str:
    return next(kpi.value for kpi in response.context["analysis"].kpis if kpi.key == "received")


# --- Who may see what ---------------------------------------------------------------------------


def test_anonymous_visitors_are_sent_to_log_in(client, db):
    response = client.get(URL)

    assert response.status_code == 302
    assert "login" in response["Location"]


def test_a_manager_may_not_open_the_analysis(org, as_user):
    assert as_user(org.manager).get(URL).status_code == 403


def test_a_lead_who_leads_no_team_may_not_open_it(org, as_user):
    assert as_user(TeamLeadFactory(team=org.north)).get(URL).status_code == 403


def test_a_lead_sees_the_led_team_by_default(org, as_user):
    complaint(org.client)
    complaint(org.team_client)
    complaint(org.foreign_client)  # South

    response = as_user(org.lead).get(URL)

    assert response.status_code == 200
    assert response.context["analysis"].team == org.north
    assert received_tile(response) == "2"


def test_a_lead_asking_for_another_team_gets_404(org, as_user):
    page = as_user(org.lead)

    assert page.get(URL, {"team": org.south.pk}).status_code == 404
    assert page.get(URL, {"team": 999_999}).status_code == 404
    assert page.get(URL, {"team": "north"}).status_code == 404


def test_a_lead_is_offered_only_the_teams_they_lead(org):
    assert list(list_analysis_teams(org.lead)) == [org.north]
    assert list(list_analysis_teams(org.admin)) == [org.north, org.south]
    assert list(list_analysis_teams(org.manager)) == []


def test_an_admin_sees_every_team_by_default_and_may_pick_any(org, as_user):
    complaint(org.client)
    complaint(org.team_client)
    complaint(org.foreign_client)
    page = as_user(org.admin)

    everything = page.get(URL)
    south = page.get(URL, {"team": org.south.pk})

    assert everything.context["analysis"].team is None
    assert received_tile(everything) == "3"
    assert south.context["analysis"].team == org.south
    assert received_tile(south) == "1"


def test_the_team_is_the_complaint_owners_team(org, as_user):
    complaint(org.client, owner=org.outsider)  # a North client's complaint handled by South

    page = as_user(org.admin)

    assert received_tile(page.get(URL, {"team": org.north.pk})) == "0"
    assert received_tile(page.get(URL, {"team": org.south.pk})) == "1"


def test_a_lead_counts_only_complaints_they_may_see(org, as_user):
    complaint(org.client)
    complaint(org.foreign_client, owner=org.manager)  # a North owner, but on a client the lead may not see

    assert received_tile(as_user(org.lead).get(URL)) == "1"
    assert received_tile(as_user(org.admin).get(URL, {"team": org.north.pk})) == "2"


# --- Periods ------------------------------------------------------------------------------------

TODAY = date(2026, 11, 26)


def period_of(data, *, today=TODAY) -> Period:
    form = ComplaintAnalysisForm(data, teams=Team.objects.none(), allow_all=True)
    form.is_valid()
    return form.get_period(today)


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ({}, Period(date(2026, 10, 28), TODAY)),  # the last 30 days by default
        ({"period": "7"}, Period(date(2026, 11, 20), TODAY)),
        ({"period": "30"}, Period(date(2026, 10, 28), TODAY)),
        ({"period": "90"}, Period(date(2026, 8, 29), TODAY)),
        ({"period": "quarter"}, Period(date(2026, 10, 1), TODAY)),
        (
            {"period": "custom", "date_from": "2026-03-01", "date_to": "2026-03-31"},
            Period(date(2026, 3, 1), date(2026, 3, 31)),
        ),
    ],
)
def test_periods_are_whole_days_ending_today(db, data, expected):
    assert period_of(data) == expected


def test_the_previous_period_has_as_many_days_just_before(db):
    assert Period(date(2026, 11, 20), TODAY).previous() == Period(date(2026, 11, 13), date(2026, 11, 19))
    assert Period(date(2026, 10, 1), TODAY).previous() == Period(date(2026, 8, 5), date(2026, 9, 30))


def test_a_period_runs_from_midnight_to_midnight_in_the_viewers_time_zone():
    with timezone.override("Europe/Vilnius"):
        period = Period(date(2026, 3, 1), date(2026, 3, 31))
        assert (period.start, period.end) == (
            datetime(2026, 2, 28, 22, tzinfo=UTC),
            datetime(2026, 3, 31, 21, tzinfo=UTC),  # summer time from 29 March
        )


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"period": "custom", "date_from": "2026-03-10", "date_to": "2026-03-01"}, "date_to"),
        ({"period": "custom", "date_to": "2026-03-01"}, "date_from"),
        ({"period": "custom", "date_from": "2020-01-01", "date_to": "2026-03-01"}, "date_to"),
        ({"period": "fortnight"}, "period"),
    ],
)
def test_a_wrong_period_shows_the_error_and_the_default_period(org, as_user, data, field):
    response = as_user(org.lead).get(URL, data)

    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert response.context["analysis"].period.days == 30


def test_a_custom_period_is_compared_with_as_many_days_before(org, as_user):
    response = as_user(org.lead).get(URL, {"period": "custom", "date_from": "2026-03-01", "date_to": "2026-03-31"})

    analysis = response.context["analysis"]
    assert analysis.period == Period(date(2026, 3, 1), date(2026, 3, 31))
    assert analysis.previous == Period(date(2026, 1, 29), date(2026, 2, 28))
    assert 'value="2026-03-01"' in response.content.decode()  # ISO, as the date picker wants it


# --- Tiles --------------------------------------------------------------------------------------

MARCH = Period(date(2025, 3, 1), date(2025, 3, 31))
IN_MARCH = datetime(2025, 3, 15, 10, tzinfo=UTC)
IN_FEBRUARY = datetime(2025, 2, 15, 10, tzinfo=UTC)
LATER = datetime(2025, 4, 10, tzinfo=UTC)


def resolved(client, hours, *, at, **fields):
    seconds = int(hours * 3600)
    return complaint(
        client, received_at=at - timedelta(seconds=seconds), resolved_at=at, resolution_seconds=seconds, **fields
    )


def test_tiles_show_each_figure_next_to_the_previous_period(org):
    resolved(org.client, 2, at=IN_MARCH, first_response_at=IN_MARCH, first_response_business_minutes=65)
    resolved(org.client, 5, at=IN_MARCH, reopen_count=1, first_response_at=IN_MARCH, first_response_business_minutes=95)
    complaint(org.client, received_at=IN_MARCH, first_response_due_at=IN_MARCH)  # open and breached
    resolved(org.client, 1, at=IN_FEBRUARY, first_response_at=IN_FEBRUARY, first_response_business_minutes=20)

    with timezone.override("UTC"):
        analysis = get_complaint_analysis(org.lead, team=org.north, period=MARCH, now=LATER)

    tiles = {kpi.key: (kpi.value, kpi.previous, kpi.change, kpi.trend) for kpi in analysis.kpis}
    assert tiles == {
        "received": ("3", "1", "+2", ""),
        "median_resolution_seconds": ("3.5 h", "1.0 h", "+2.5 h", "worse"),
        "average_resolution_seconds": ("3.5 h", "1.0 h", "+2.5 h", "worse"),
        "median_first_response_minutes": ("1 h 20 min", "20 min", "+1 h 00 min", "worse"),
        "sla_compliance": ("66.7 %", "100.0 %", "−33.3 pp", "worse"),
        "reopen_rate": ("50.0 %", "0.0 %", "+50.0 pp", "worse"),
    }


def test_tiles_without_values_show_a_dash_and_no_change(org):
    with timezone.override("UTC"):
        analysis = get_complaint_analysis(org.lead, team=org.north, period=MARCH, now=LATER)

    assert [(kpi.value, kpi.previous, kpi.change) for kpi in analysis.kpis] == [("0", "0", "0")] + [("—", "—", "")] * 5


def test_a_better_figure_is_marked_better(org):
    resolved(org.client, 1, at=IN_MARCH)
    resolved(org.client, 3, at=IN_FEBRUARY)

    with timezone.override("UTC"):
        analysis = get_complaint_analysis(org.lead, team=org.north, period=MARCH, now=LATER)

    median = next(kpi for kpi in analysis.kpis if kpi.key == "median_resolution_seconds")
    assert (median.change, median.trend) == ("−2.0 h", "better")


# --- What the page shows ------------------------------------------------------------------------


def chart_data(response, chart_id) -> dict:
    match = re.search(rf'<script id="{chart_id}" type="application/json">(.*?)</script>', response.content.decode())
    assert match, f"no {chart_id} data on the page"
    return json.loads(match.group(1))


def test_the_page_embeds_both_charts_data_and_their_tables(org, as_user):
    now = timezone.now()
    for _ in range(3):
        complaint(org.client, category="Damaged goods")
    complaint(org.client, category="Other")
    complaint(org.client, resolved_at=now - timedelta(days=1), resolution_seconds=60, root_cause="Packaging")

    response = as_user(org.lead).get(URL)
    html = response.content.decode()

    assert chart_data(response, "chart-by-category") == {
        "labels": ["Damaged goods", "Late delivery", "Other"],
        "counts": [3, 1, 1],
        "cumulative": [60.0, 80.0, 100.0],
        "countLabel": "Complaints",
        "cumulativeLabel": "Cumulative %",
    }
    assert chart_data(response, "chart-by-root-cause")["labels"] == ["Packaging"]
    assert 'data-pareto="chart-by-category"' in html
    assert 'id="chart-by-category-table"' in html
    assert re.search(r'<th scope="row">Damaged goods</th><td class="num">3</td>', html)
    assert "60.0 %" in html
    assert "/static/vendor/chart.js/chart.umd.min.js" in html
    assert "/static/js/charts.js" in html
    assert "cdn" not in html.lower()


def test_an_empty_period_shows_empty_states_and_no_chart(org, as_user):
    html = as_user(org.lead).get(URL).content.decode()

    assert "No complaints in this period" in html
    assert "No escalations in this period" in html
    assert "data-pareto" not in html


def test_the_page_lists_the_periods_escalations_newest_first(org, as_user):
    now = timezone.now()
    own = complaint(org.client)
    older = escalation(own, org.manager, at=now - timedelta(days=3), level=EscalationLevel.AT_RISK)
    newer = escalation(own, org.lead, at=now - timedelta(days=1))
    escalation(complaint(org.team_client), org.lead, at=now - timedelta(days=60))  # before the period
    escalation(complaint(org.foreign_client), org.other_lead, at=now - timedelta(days=1))  # South

    response = as_user(org.lead).get(URL)

    assert response.context["analysis"].escalations == [newer, older]
    assert own.get_absolute_url() in response.content.decode()


def test_an_htmx_request_gets_only_the_analysis_fragment(org, as_user):
    response = as_user(org.lead).get(URL, {"period": "7"}, HTTP_HX_REQUEST="true")
    html = response.content.decode()

    assert response.status_code == 200
    assert html.lstrip().startswith('<div id="complaint-analysis">')
    assert "<html" not in html


# --- Query count --------------------------------------------------------------------------------


def fill(org, count):
    now = timezone.now()
    categories = ["Late delivery", "Damaged goods", "Other"]
    causes = ["Packaging", "Carrier delay", "Supplier defect"]
    for i in range(count):
        days = (i * 37) % 60  # both the period and the one before, from the first two rows on
        client = ClientFactory(account_manager=org.manager if i % 2 else org.teammate)
        row = complaint(
            client,
            category=categories[i % 3],
            received_at=now - timedelta(days=days, hours=3),
            resolved_at=now - timedelta(days=days),
            resolution_seconds=3 * 3600 + i,
            root_cause=causes[i % 3],
            first_response_at=now - timedelta(days=days, hours=2),
            first_response_business_minutes=30 + i,
            reopen_count=i % 4 == 0,
        )
        escalation(row, org.manager, at=now - timedelta(days=days, hours=1), level=EscalationLevel.AT_RISK)
        escalation(row, org.lead, at=now - timedelta(days=days))


def count_queries(page, **data) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert page.get(URL, data).status_code == 200
    return len(queries)


@pytest.mark.parametrize("user", ["lead", "admin"])
def test_the_page_takes_as_many_queries_for_little_and_much_data(org, as_user, django_assert_max_num_queries, user):
    page = as_user(getattr(org, user))
    fill(org, 2)
    small = count_queries(page)
    fill(org, 60)

    with django_assert_max_num_queries(small):
        response = page.get(URL, {"refresh": "1"})  # read the database, not the copy of the first look

    assert len(response.context["analysis"].escalations) == 50
    assert response.context["analysis"].more_escalations
    assert "Only the latest 50 escalations are shown." in response.content.decode()
    assert small <= 16
