"""The "My figures" panel of "My day": a person's own CSAT, NPS, overdue follow-ups, open complaints by SLA
state and clients going cold, against a small hand-computed fixture; the period choice, htmx and query counts."""

from datetime import UTC, date, datetime, timedelta
from unittest import mock

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from clients.models import Client, Status, Tier
from complaints.models import ComplaintStatus
from dashboards.selectors.my_figures import get_my_figures
from feedback.models import SurveyKind
from interactions.models import FollowUpStatus, InteractionStatus
from tests.dashboards.test_complaint_metrics import complaint
from tests.dashboards.test_feedback_metrics import answer
from tests.factories.accounts import TeamLeadFactory
from tests.factories.clients import ClientFactory
from tests.factories.interactions import FollowUpFactory, InteractionFactory

URL = reverse("interactions:my_day")
HTMX = {"HX-Request": "true", "HX-Target": "my-figures"}
# Thursday 10 April 2025, 15:00 in Vilnius (UTC+3 since the clock change of 30 March).
NOW = datetime(2025, 4, 10, 12, tzinfo=UTC)
TICK = timedelta(microseconds=1)
# The default period, the last 30 days: 12 March – 10 April, from midnight in Vilnius (still UTC+2 then).
START = datetime(2025, 3, 11, 22, tzinfo=UTC)
# The 30 days before it: 10 February – 11 March.
PREVIOUS_START = datetime(2025, 2, 9, 22, tzinfo=UTC)
LONG_AGO = NOW - timedelta(days=200)


@pytest.fixture(autouse=True)
def _company_zone(settings):
    settings.TIME_ZONE = "Europe/Vilnius"  # and every user's time zone by default


def frozen(moment=NOW):
    return mock.patch("django.utils.timezone.now", return_value=moment)


def added_long_ago(*clients):
    """Clients on the books for 200 days (created_at is set by the database on insert)."""
    Client.objects.filter(pk__in=[client.pk for client in clients]).update(created_at=LONG_AGO)


def follow_up(client, due_at, **fields):
    with frozen(LONG_AGO):  # created well before it fell due
        return FollowUpFactory(client=client, due_at=due_at, **fields)


def figures_of(user, **kwargs):
    return get_my_figures(user, now=NOW, **kwargs)


def score(figures, key):
    return next(kpi for kpi in figures.scores if kpi.key == key)


def states(figures):
    return {item.state: item.count for item in figures.complaints_by_sla}


@pytest.fixture
def book(org):
    """The manager's and a teammate's records around NOW; the figures each test expects are computed beside them."""
    mine, theirs = org.client, org.team_client
    added_long_ago(mine, theirs)
    InteractionFactory(client=mine, occurred_at=NOW - timedelta(days=1))  # in touch: not going cold
    InteractionFactory(client=theirs, occurred_at=NOW - timedelta(days=1))

    # CSAT of the period: 5 (at its very first instant), 4, 3, 1 -> 2 of 4 scored 4-5 = 50.0 %.
    for at, points in ((START, 5), (NOW - timedelta(days=1), 4), (NOW - timedelta(days=2), 3), (NOW, 1)):
        answer(mine, points, kind=SurveyKind.CSAT, at=at)
    # CSAT before: 5 (a microsecond before the period), 5, 4, 2, 1 -> 3 of 5 = 60.0 %; change -10.0 pp.
    for at, points in ((START - TICK, 5), (PREVIOUS_START, 5), (START - timedelta(days=5), 4)):
        answer(mine, points, kind=SurveyKind.CSAT, at=at)
    for points in (2, 1):
        answer(mine, points, kind=SurveyKind.CSAT, at=START - timedelta(days=10))
    answer(mine, 5, kind=SurveyKind.CSAT, at=PREVIOUS_START - TICK)  # older than both periods: not counted
    # NPS of the period: 10, 9, 9, 7, 3 -> (3 promoters - 1 detractor) / 5 = 40.0.
    for points in (10, 9, 9, 7, 3):
        answer(mine, points, at=NOW - timedelta(days=3))
    # NPS before: 10, 5 -> (1 - 1) / 2 = 0.0; change +40.0 points.
    for points in (10, 5):
        answer(mine, points, at=START - timedelta(days=3))
    # The teammate's clients: CSAT 1, 1, 1 -> 0.0 %, NPS 0 -> -100.0; never in the manager's figures.
    for _ in range(3):
        answer(theirs, 1, kind=SurveyKind.CSAT, at=NOW - timedelta(days=1))
    answer(theirs, 0, at=NOW - timedelta(days=1))

    # Overdue follow-ups of the manager: due yesterday and an hour ago, still open -> 2.
    follow_up(mine, NOW - timedelta(days=1))
    follow_up(mine, NOW - timedelta(hours=1))
    follow_up(mine, NOW + timedelta(hours=1))  # not due yet
    follow_up(mine, NOW - timedelta(days=1), status=FollowUpStatus.DONE, completed_at=NOW - timedelta(days=2))
    follow_up(mine, NOW - timedelta(days=1), status=FollowUpStatus.CANCELLED)
    follow_up(theirs, NOW - timedelta(days=1))  # the teammate's: 1

    # Complaints the manager owns, open: 1 on track, 1 at risk, 1 paused, 2 breached -> 5 open.
    complaint(mine)  # in progress, no clock due: on track
    complaint(
        mine,
        status=ComplaintStatus.NEW,
        first_response_due_at=NOW + timedelta(hours=1),
        first_response_at_risk_at=NOW - timedelta(hours=1),
    )
    complaint(
        mine,
        status=ComplaintStatus.WAITING,
        waiting_since=NOW - timedelta(days=1),
        sla_resolution_minutes=600,
        resolution_used_minutes=60,  # 10 % of the budget used: paused, not at risk
    )
    complaint(mine, resolution_breached_at=NOW - timedelta(days=1))
    complaint(mine, status=ComplaintStatus.NEW, first_response_due_at=NOW - timedelta(hours=1))
    complaint(mine, resolved_at=NOW - timedelta(days=1))  # resolved: not open
    complaint(theirs, resolution_breached_at=NOW - timedelta(days=1))  # the teammate's: 1 open, breached

    # Clients going cold: a VIP never contacted in 200 days (cadence 14) and a key client last heard from
    # 40 days ago (cadence 30) -> 2. A standard client heard from 40 days ago (cadence 90) and a churned one are not.
    vip = ClientFactory(account_manager=org.manager, tier=Tier.VIP)
    key = ClientFactory(account_manager=org.manager, tier=Tier.KEY)
    standard = ClientFactory(account_manager=org.manager, tier=Tier.STANDARD)
    churned = ClientFactory(account_manager=org.manager, tier=Tier.VIP, status=Status.CHURNED)
    added_long_ago(vip, key, standard, churned)
    for client in (key, standard):
        InteractionFactory(client=client, occurred_at=NOW - timedelta(days=40))
    InteractionFactory(client=standard, occurred_at=NOW - timedelta(days=2), status=InteractionStatus.SCHEDULED)
    return org


# --- The figures ------------------------------------------------------------------------------------


def test_csat_and_nps_of_the_period_with_the_period_before_and_the_change(book):
    figures = figures_of(book.manager)

    assert (figures.period.first_day, figures.period.last_day) == (date(2025, 3, 12), date(2025, 4, 10))
    assert (figures.previous.first_day, figures.previous.last_day) == (date(2025, 2, 10), date(2025, 3, 11))
    csat, nps = score(figures, "csat"), score(figures, "nps")
    assert (csat.value, csat.previous, csat.change, csat.trend) == ("50.0 %", "60.0 %", "−10.0 pp", "worse")
    assert (nps.value, nps.previous, nps.change, nps.trend) == ("40.0", "0.0", "+40.0 pts", "better")
    # Fewer than 10 answers on either side: both marked thin.
    assert (csat.thin, csat.previous_thin, nps.thin, nps.previous_thin) == (True, True, True, True)
    assert (csat.note, nps.note) == ("4 answers", "5 answers")


def test_counts_now_overdue_follow_ups_open_complaints_by_sla_state_and_clients_going_cold(book):
    figures = figures_of(book.manager)

    assert figures.overdue_follow_ups == 2
    assert figures.open_complaints == 5
    assert states(figures) == {"on_track": 1, "at_risk": 1, "paused": 1, "breached": 2}
    assert [item.label for item in figures.complaints_by_sla] == ["On track", "At risk", "Paused", "Breached"]
    assert figures.going_cold == 2


def test_each_figure_links_to_the_list_behind_it(book):
    figures = figures_of(book.manager)
    me = book.manager.pk

    assert score(figures, "csat").url == f"/surveys/answers/?kind=csat&manager={me}&from=2025-03-12&to=2025-04-10"
    assert score(figures, "nps").url == f"/surveys/answers/?kind=nps&manager={me}&from=2025-03-12&to=2025-04-10"
    assert figures.overdue_url == f"/follow-ups/?state=overdue&assignee={me}"
    assert figures.complaints_url == f"/complaints/?owner={me}&open=1"
    assert [item.url for item in figures.complaints_by_sla] == [
        f"/complaints/?owner={me}&open=1&sla={state}" for state in ("on_track", "at_risk", "paused", "breached")
    ]
    assert figures.going_cold_url == f"/clients/?manager={me}&cold=1"


def test_a_teammate_sees_only_their_own_figures(book):
    figures = figures_of(book.teammate)

    # Their clients' answers only: CSAT 1, 1, 1 -> 0.0 %; NPS 0 -> -100.0; nothing the period before.
    assert (score(figures, "csat").value, score(figures, "csat").previous) == ("0.0 %", "—")
    assert (score(figures, "nps").value, score(figures, "nps").change) == ("−100.0", "")
    assert figures.overdue_follow_ups == 1
    assert states(figures) == {"on_track": 0, "at_risk": 0, "paused": 0, "breached": 1}
    assert figures.going_cold == 0


def test_without_answers_the_scores_have_no_value_and_counts_are_zero(org):
    figures = figures_of(org.manager)

    for kpi in figures.scores:
        assert (kpi.value, kpi.previous, kpi.change, kpi.thin, kpi.note) == ("—", "—", "", False, "0 answers")
    assert (figures.overdue_follow_ups, figures.open_complaints, figures.going_cold) == (0, 0, 0)


def test_ten_answers_are_not_thin(org):
    for _ in range(10):
        answer(org.client, 5, kind=SurveyKind.CSAT, at=NOW - timedelta(days=1))

    csat = score(figures_of(org.manager), "csat")

    assert (csat.value, csat.thin, csat.previous_thin) == ("100.0 %", False, False)


@pytest.mark.parametrize(
    ("days", "first_day", "csat", "previous"),
    [
        # 3 days ago: 5 (in every period); 20 days ago: 1; 50 days ago: 2.
        (7, date(2025, 4, 4), "100.0 %", "—"),  # only the 5; nothing 28 Mar - 3 Apr
        (30, date(2025, 3, 12), "50.0 %", "0.0 %"),  # 5 and 1; the 2 falls in 10 Feb - 11 Mar
        (90, date(2025, 1, 11), "33.3 %", "—"),  # 5, 1 and 2 -> 1 of 3
    ],
)
def test_the_period_is_the_last_7_30_or_90_days(org, days, first_day, csat, previous):
    for ago, points in ((3, 5), (20, 1), (50, 2)):
        answer(org.client, points, kind=SurveyKind.CSAT, at=NOW - timedelta(days=ago))

    figures = figures_of(org.manager, days=days)

    assert (figures.days, figures.period.first_day, figures.period.last_day) == (days, first_day, date(2025, 4, 10))
    assert (score(figures, "csat").value, score(figures, "csat").previous) == (csat, previous)


@pytest.mark.parametrize("days", [0, 1, 8, 365])
def test_a_period_not_offered_falls_back_to_30_days(org, days):
    assert figures_of(org.manager, days=days).days == 30


# --- Who sees the panel -----------------------------------------------------------------------------


def test_nothing_to_show_without_clients_or_owned_complaints(org):
    lead = TeamLeadFactory(team=org.north)

    assert figures_of(lead) is None
    assert figures_of(org.admin) is None


def test_a_lead_who_owns_a_complaint_or_an_admin_who_manages_a_client_sees_their_figures(org):
    lead = TeamLeadFactory(team=org.north)
    owned = complaint(org.client, resolution_breached_at=NOW - timedelta(days=1))
    owned.owner = lead  # handed to the lead, who manages no client
    owned.save(update_fields=["owner"])
    ClientFactory(account_manager=org.admin)

    assert states(figures_of(lead))["breached"] == 1
    assert figures_of(org.admin).open_complaints == 0


# --- The page ---------------------------------------------------------------------------------------


def test_my_day_shows_the_panel_with_the_figures_and_their_links(book, as_user):
    page = as_user(book.manager)
    with frozen():
        response = page.get(URL)

    body = response.content.decode()
    assert response.status_code == 200
    assert 'id="my-figures"' in body
    me = book.manager.pk
    assert '<span class="my-figure-value">50.0 %<span class="feedback-thin"' in body  # CSAT, thin
    assert '<span class="analysis-change analysis-change-worse">−10.0 pp</span>' in body
    assert '<span class="my-figure-value">40.0<span class="feedback-thin"' in body  # NPS, thin
    assert '<span class="analysis-change analysis-change-better">+40.0 pts</span>' in body
    assert f'href="/follow-ups/?state=overdue&amp;assignee={me}">' in body
    assert f'href="/complaints/?owner={me}&amp;open=1&amp;sla=breached">' in body
    assert '<span class="sla-dot sla-bar-breached"></span>Breached <strong>2</strong>' in body
    assert f'href="/clients/?manager={me}&amp;cold=1">' in body
    assert 'aria-current="true">30 days</a>' in body


def test_empty_figures_show_a_dash(org, as_user):
    page = as_user(org.manager)
    with frozen():
        response = page.get(URL)

    panel = response.content.decode().split('id="my-figures"')[1].split("</section>")[0]
    assert panel.count('<span class="my-figure-value">—') == 2  # CSAT and NPS
    assert "Before: —" in panel


def test_the_panel_is_hidden_from_who_has_no_clients_and_owns_no_complaints(org, as_user):
    lead = TeamLeadFactory(team=org.north)
    page = as_user(lead)
    with frozen():
        response = page.get(URL)
        fragment = page.get(URL, headers=HTMX)

    assert response.status_code == 200
    assert 'id="my-figures"' not in response.content.decode()
    assert (fragment.status_code, fragment.content) == (200, b"")


def test_the_period_switch_works_without_htmx(org, as_user):
    answer(org.client, 5, kind=SurveyKind.CSAT, at=NOW - timedelta(days=3))
    answer(org.client, 1, kind=SurveyKind.CSAT, at=NOW - timedelta(days=20))
    page = as_user(org.manager)
    with frozen():
        response = page.get(URL, {"figures": "7"})

    body = response.content.decode()
    assert response.context["panels"][0]["context"]["figures"].days == 7
    assert 'aria-current="true">7 days' in body
    assert "100.0 %" in body
    assert "Good day" in body  # the whole page


def test_the_period_switch_over_htmx_returns_only_the_panel(org, as_user):
    answer(org.client, 5, kind=SurveyKind.CSAT, at=NOW - timedelta(days=3))
    answer(org.client, 1, kind=SurveyKind.CSAT, at=NOW - timedelta(days=20))
    page = as_user(org.manager)
    with frozen():
        response = page.get(URL, {"figures": "90"}, headers=HTMX)

    body = response.content.decode()
    assert response.status_code == 200
    assert body.lstrip().startswith('<section class="card my-figures" id="my-figures"')
    assert "Good day" not in body
    assert 'id="overdue"' not in body
    assert 'aria-current="true">90 days' in body
    assert "50.0 %" in body
    assert 'hx-get="/my-day/?figures=7" hx-target="#my-figures"' in body


def test_an_unknown_period_shows_the_default_30_days(org, as_user):
    page = as_user(org.manager)
    with frozen():
        response = page.get(URL, {"figures": "abc"})

    assert response.context["panels"][0]["context"]["figures"].days == 30


# --- Query counts -----------------------------------------------------------------------------------


def more_records(org, rows):
    for _ in range(rows):
        client = ClientFactory(account_manager=org.manager, tier=Tier.VIP)
        added_long_ago(client)
        answer(client, 9, at=NOW - timedelta(days=2))
        answer(client, 4, kind=SurveyKind.CSAT, at=START - timedelta(days=2))
        follow_up(client, NOW - timedelta(days=1))
        complaint(client, resolution_breached_at=NOW - timedelta(days=1))


def test_the_figures_take_five_queries_whatever_the_data(org, django_assert_num_queries):
    # An owner of complaints: their complaints by state, answers, follow-ups, cadences, going cold.
    more_records(org, 2)
    with django_assert_num_queries(5):
        figures_of(org.manager)
    more_records(org, 20)
    with django_assert_num_queries(5):
        figures = figures_of(org.manager)
    assert (figures.open_complaints, figures.overdue_follow_ups, figures.going_cold) == (22, 22, 22)


def test_the_figures_take_six_queries_without_owned_complaints_and_two_when_hidden(org, django_assert_num_queries):
    lead = TeamLeadFactory(team=org.north)
    with django_assert_num_queries(6):  # plus: does the person manage a client?
        figures_of(org.manager)
    with django_assert_num_queries(2):
        assert figures_of(lead) is None


def test_my_day_with_the_panel_is_a_constant_number_of_queries(org, as_user):
    page = as_user(org.manager)
    counts = []
    for rows in (2, 30):
        more_records(org, rows)
        with frozen(), CaptureQueriesContext(connection) as queries:
            response = page.get(URL)
        assert response.status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]
    assert counts[1] <= 20  # My day's own 10 or so, and the panel's 5


def test_the_htmx_panel_alone_is_a_constant_number_of_queries(org, as_user):
    page = as_user(org.manager)
    counts = []
    for rows in (2, 30):
        more_records(org, rows)
        with frozen(), CaptureQueriesContext(connection) as queries:
            response = page.get(URL, {"figures": "7"}, headers=HTMX)
        assert response.status_code == 200
        counts.append(len(queries))
    # the session and the user, then the panel's 5 queries (My day's own lists are not read)
    assert counts == [7, 7]
