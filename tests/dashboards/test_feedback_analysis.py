"""The feedback analysis page: who may see it, which answers it counts, its tiles, trend chart, tables and comments."""

import json
import re
from datetime import UTC, date, datetime, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from clients.models import Tier
from dashboards.selectors import Period, get_feedback_analysis
from feedback.models import SurveyKind, SurveyStatus, TriggerKind
from interactions.models import FollowUp, FollowUpStatus
from tests.dashboards.test_feedback_metrics import answer, survey
from tests.factories.accounts import TeamLeadFactory
from tests.factories.clients import ClientFactory

URL = reverse("dashboards:feedback")


@pytest.fixture(autouse=True)
def _company_zone(settings):
    settings.TIME_ZONE = "Europe/Vilnius"


def recent(days=2):
    return timezone.now() - timedelta(days=days)


def tile(response, key):
    return next(kpi for kpi in response.context["analysis"].kpis if kpi.key == key)


# --- Who may see what ---------------------------------------------------------------------------


def test_anonymous_visitors_are_sent_to_log_in(client, db):
    response = client.get(URL)

    assert response.status_code == 302
    assert "login" in response["Location"]


def test_a_manager_may_not_open_the_feedback_page(org, as_user):
    assert as_user(org.manager).get(URL).status_code == 403


def test_a_lead_who_leads_no_team_may_not_open_it(org, as_user):
    assert as_user(TeamLeadFactory(team=org.north)).get(URL).status_code == 403


def test_a_lead_sees_the_led_teams_answers_by_default(org, as_user):
    answer(org.client, 10, at=recent())
    answer(org.team_client, 0, at=recent())
    answer(org.foreign_client, 0, at=recent())  # South

    response = as_user(org.lead).get(URL)

    assert response.status_code == 200
    assert response.context["analysis"].team == org.north
    assert tile(response, "answers").value == "2"
    assert tile(response, "nps").value == "0.0"
    assert response.context["analysis"].by_team is None


def test_a_lead_asking_for_another_team_gets_404(org, as_user):
    page = as_user(org.lead)

    assert page.get(URL, {"team": org.south.pk}).status_code == 404
    assert page.get(URL, {"team": 999_999}).status_code == 404


def test_an_admin_sees_every_team_by_default_and_may_pick_any(org, as_user):
    answer(org.client, 10, at=recent())
    answer(org.foreign_client, 0, at=recent())
    answer(org.foreign_client, 0, at=recent())
    page = as_user(org.admin)

    everything = page.get(URL)
    south = page.get(URL, {"team": org.south.pk})

    assert everything.context["analysis"].team is None
    assert tile(everything, "answers").value == "3"
    assert [(row.label, row.nps.text) for row in everything.context["analysis"].by_team] == [
        ("North", "100.0"),
        ("South", "−100.0"),
    ]
    assert 'id="feedback-by-team"' in everything.content.decode()
    assert tile(south, "nps").value == "−100.0"
    assert south.context["analysis"].by_team is None


def test_the_team_is_the_clients_account_managers_team(org, as_user):
    answer(org.client, 10, at=recent())
    answer(org.foreign_client, 10, at=recent())
    org.foreign_client.account_manager = org.teammate  # handed over to North
    org.foreign_client.save()

    assert tile(as_user(org.admin).get(URL, {"team": org.north.pk}), "answers").value == "2"
    assert tile(as_user(org.admin).get(URL, {"team": org.south.pk}), "answers").value == "0"


# --- Tiles --------------------------------------------------------------------------------------

MARCH = Period(date(2025, 3, 1), date(2025, 3, 31))
IN_MARCH = datetime(2025, 3, 15, 10, tzinfo=UTC)
IN_FEBRUARY = datetime(2025, 2, 15, 10, tzinfo=UTC)  # the 31 days before March: 29 Jan – 28 Feb


def analysis_of_march(org):
    with timezone.override("Europe/Vilnius"):
        return get_feedback_analysis(org.lead, team=org.north, period=MARCH)


def test_tiles_show_each_figure_next_to_the_previous_period(org):
    # March: 10 NPS answers, 5 promoters, 2 passives, 3 detractors → 20; CSAT 4 of 5 → 80 %.
    for score in [10, 10, 9, 9, 9, 8, 7, 6, 3, 0]:
        answer(org.client, score, at=IN_MARCH)
    for score in [5, 4, 4, 5, 3]:
        answer(org.team_client, score, kind=SurveyKind.CSAT, at=IN_MARCH)
    for _ in range(5):
        survey(org.client, sent_at=IN_MARCH)  # 20 sent in March, 15 answered
    survey(org.client, status=SurveyStatus.SUPPRESSED, sent_at=None)
    # February: NPS 0 from 2 answers, CSAT 100 % from 1, 3 of 3 answered.
    for score in [10, 0]:
        answer(org.client, score, at=IN_FEBRUARY)
    answer(org.client, 5, kind=SurveyKind.CSAT, at=IN_FEBRUARY)

    analysis = analysis_of_march(org)

    tiles = {
        kpi.key: (kpi.value, kpi.previous, kpi.change, kpi.trend, kpi.thin, kpi.previous_thin) for kpi in analysis.kpis
    }
    assert tiles == {
        "nps": ("20.0", "0.0", "+20.0 pts", "better", False, True),
        "csat": ("80.0 %", "100.0 %", "−20.0 pp", "worse", True, True),
        "response_rate": ("75.0 %", "100.0 %", "−25.0 pp", "worse", False, True),
        "answers": ("15", "3", "+12", "", False, False),
    }


def test_tiles_without_answers_show_a_dash_and_no_change(org):
    analysis = analysis_of_march(org)

    assert [(kpi.value, kpi.previous, kpi.change, kpi.thin) for kpi in analysis.kpis] == [
        ("—", "—", "", False),
        ("—", "—", "", False),
        ("—", "—", "", False),
        ("0", "0", "0", False),
    ]


def test_the_lead_sees_the_nps_change_on_the_page(org, as_user):
    answer(org.client, 10, at=recent(40))  # the period before: NPS 100
    answer(org.client, 0, at=recent(40))
    answer(org.client, 10, at=recent())  # this period: NPS 100 … 0 → 0.0 before, 100.0 now
    answer(org.client, 9, at=recent())

    html = as_user(org.lead).get(URL).content.decode()

    nps_tile = re.search(r'<div class="figure analysis-kpi feedback-kpi" id="feedback-kpi-nps">(.*?)</div>', html, re.S)
    assert nps_tile, "no NPS tile"
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", nps_tile.group(1)))
    assert "NPS 100.0 thin Before: 0.0 thin +100.0 pts" in text
    assert "analysis-change-better" in nps_tile.group(1)


# --- Trend chart and tables ---------------------------------------------------------------------


def chart_data(response, chart_id) -> dict:
    match = re.search(rf'<script id="{chart_id}" type="application/json">(.*?)</script>', response.content.decode())
    assert match, f"no {chart_id} data on the page"
    return json.loads(match.group(1))


def test_the_trend_shows_the_twelve_months_ending_with_the_period(org, as_user):
    # 31 March 2025 22:30 UTC is already 1 April in Vilnius: outside the trend ending in March.
    answer(org.client, 10, at=datetime(2025, 3, 31, 22, 30, tzinfo=UTC))
    answer(org.client, 10, at=datetime(2025, 3, 31, 20, 30, tzinfo=UTC))  # 23:30 on 31 March
    answer(org.client, 0, at=datetime(2025, 3, 2, tzinfo=UTC))
    answer(org.client, 4, kind=SurveyKind.CSAT, at=datetime(2024, 4, 1, 9, tzinfo=UTC))  # the first month
    answer(org.client, 1, kind=SurveyKind.CSAT, at=datetime(2024, 3, 31, 9, tzinfo=UTC))  # 13 months back

    response = as_user(org.lead).get(URL, {"period": "custom", "date_from": "2025-03-01", "date_to": "2025-03-31"})

    data = chart_data(response, "chart-feedback-trend")
    assert data["labels"] == [
        "April 2024", "May 2024", "June 2024", "July 2024", "August 2024", "September 2024",
        "October 2024", "November 2024", "December 2024", "January 2025", "February 2025", "March 2025",
    ]  # fmt: skip
    assert data["nps"] == [None] * 11 + [0.0]
    assert data["csat"] == [100.0] + [None] * 11
    assert data["npsAnswers"] == [0] * 11 + [2]
    assert data["csatAnswers"] == [1] + [0] * 11
    assert data["thinBelow"] == 10
    html = response.content.decode()
    assert 'data-trend="chart-feedback-trend"' in html
    assert 'id="chart-feedback-trend-table"' in html
    assert "/static/vendor/chart.js/chart.umd.min.js" in html
    assert "/static/js/charts.js" in html


def test_tables_per_manager_tier_and_trigger_mark_thin_figures(org, as_user):
    org.client.tier = Tier.VIP
    org.client.save()
    for _ in range(10):
        answer(org.client, 9, at=recent(), trigger=TriggerKind.RELATIONSHIP_NPS)
    answer(org.team_client, 5, kind=SurveyKind.CSAT, at=recent(), trigger=TriggerKind.ORDER_DELIVERED)
    survey(org.team_client, kind=SurveyKind.CSAT, sent_at=recent(), trigger=TriggerKind.ORDER_DELIVERED)

    response = as_user(org.lead).get(URL)
    analysis = response.context["analysis"]

    def table(rows):
        return [
            (row.label, row.nps.text, row.nps.thin, row.csat.text, row.csat.thin, row.answers, row.response_rate.text)
            for row in rows
        ]

    assert table(analysis.by_manager) == [
        ("Mantas Owner", "100.0", False, "—", False, 10, "100.0 %"),
        ("Tomas Teammate", "—", False, "100.0 %", True, 1, "50.0 %"),
    ]
    assert table(analysis.by_tier) == [
        ("Standard", "—", False, "100.0 %", True, 1, "50.0 %"),
        ("VIP", "100.0", False, "—", False, 10, "100.0 %"),
    ]
    assert table(analysis.by_trigger) == [
        ("Order delivered", "—", False, "100.0 %", True, 1, "50.0 %"),
        ("Relationship NPS", "100.0", False, "—", False, 10, "100.0 %"),
    ]
    html = response.content.decode()
    for table_id in ("feedback-by-manager", "feedback-by-tier", "feedback-by-trigger"):
        assert f'id="{table_id}"' in html
    assert 'class="feedback-thin"' in html
    assert 'title="1 of 2 sent"' in html


def test_an_empty_period_shows_empty_states_and_no_chart(org, as_user):
    html = as_user(org.lead).get(URL).content.decode()

    assert "No answers in the last 12 months" in html
    assert "No feedback in this period" in html
    assert "No comments in this period" in html
    assert "data-trend" not in html


# --- Comments -----------------------------------------------------------------------------------


def test_comments_list_detractors_and_unhappy_csat_first_then_the_newest(org, as_user):
    happy_new = answer(org.client, 10, at=recent(1), comment="Great as always")
    detractor_old = answer(org.client, 3, at=recent(5), comment="Late again")
    passive = answer(org.team_client, 8, at=recent(3), comment="Fine")
    unhappy_new = answer(org.team_client, 2, kind=SurveyKind.CSAT, at=recent(2), comment="Broken pallet")
    neutral_csat = answer(org.team_client, 3, kind=SurveyKind.CSAT, at=recent(4), comment="So-so")
    answer(org.client, 0, at=recent(1))  # no comment
    answer(org.client, 0, at=recent(45), comment="Old news")  # before the period
    answer(org.foreign_client, 0, at=recent(1), comment="Another team")

    response = as_user(org.lead).get(URL)

    assert response.context["analysis"].comments == [unhappy_new, detractor_old, happy_new, passive, neutral_csat]
    html = response.content.decode()
    assert org.client.get_absolute_url() in html
    assert "Broken pallet" in html
    assert "Old news" not in html
    assert "Another team" not in html
    assert html.index("Broken pallet") < html.index("Late again") < html.index("Great as always")


def test_comments_show_the_closed_loop(org, as_user):
    open_loop = answer(org.client, 2, at=recent(1), comment="Wrong invoice")
    open_loop.follow_up = FollowUp.objects.create(
        client=org.client, title="Call back", due_at=recent(-1), assignee=org.manager
    )
    open_loop.save()
    acted = answer(org.client, 1, at=recent(2), comment="Nobody called")
    acted.follow_up = FollowUp.objects.create(
        client=org.client, title="Call back", due_at=recent(1), assignee=org.manager, status=FollowUpStatus.DONE
    )
    acted.action_taken, acted.action_by, acted.action_at = "Called, credited the delivery", org.manager, recent(1)
    acted.save()
    answer(org.team_client, 0, at=recent(3), comment="No manager reacted")

    html = as_user(org.lead).get(URL).content.decode()

    assert "Follow-up: Open" in html
    assert "Called, credited the delivery" in html
    assert "— Mantas Owner" in html
    assert "No follow-up" in html
    assert html.count("feedback-comment-low") == 3
    assert html.count('class="badge badge-score-bad"') == 3


def test_an_htmx_request_gets_only_the_analysis_fragment(org, as_user):
    response = as_user(org.lead).get(URL, {"period": "7"}, HTTP_HX_REQUEST="true")
    html = response.content.decode()

    assert response.status_code == 200
    assert html.lstrip().startswith('<div id="feedback-analysis">')
    assert "<html" not in html


# --- Query count --------------------------------------------------------------------------------


def fill(org, count):
    triggers = [TriggerKind.ORDER_DELIVERED, TriggerKind.COMPLAINT_RESOLVED, TriggerKind.RELATIONSHIP_NPS]
    for i in range(count):
        # Mostly this period, a third spread over the period before and the rest of the year.
        days = i % 25 + 1 if i % 3 else (i * 37) % 360 + 1
        client = ClientFactory(account_manager=org.manager if i % 2 else org.teammate, tier=list(Tier)[i % 3])
        kind = SurveyKind.NPS if i % 2 else SurveyKind.CSAT
        answer(
            client,
            i % 11 if kind == SurveyKind.NPS else i % 5 + 1,
            kind=kind,
            at=recent(days),
            comment=f"Comment {i}",
            trigger=triggers[i % 3],
        )
        survey(client, sent_at=recent(days))


def count_queries(page, **data) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert page.get(URL, data).status_code == 200
    return len(queries)


@pytest.mark.parametrize("user", ["lead", "admin"])
def test_the_page_takes_as_many_queries_for_little_and_much_data(org, as_user, django_assert_max_num_queries, user):
    page = as_user(getattr(org, user))
    fill(org, 2)
    small = count_queries(page)
    fill(org, 120)

    with django_assert_max_num_queries(small):
        response = page.get(URL, {"refresh": "1"})  # read the database, not the copy of the first look

    assert len(response.context["analysis"].comments) == 50
    assert response.context["analysis"].more_comments
    assert "Only the first 50 comments are shown." in response.content.decode()
    assert small <= 20
