"""The team dashboard page and its printable report: who may open them, the filters, the tiles and
their drill-down links, the charts' data and tables, the per-manager table and its sort, the htmx
fragment, and a constant number of queries."""

import json
import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.models import Team
from complaints.models import Complaint, ComplaintCategory
from feedback.models import SurveyKind
from interactions.models import FollowUp, FollowUpStatus
from orders.models import Order, OrderStatus
from tests.dashboards.test_exports import MARCH, march  # noqa: F401  (the hand-counted month)
from tests.dashboards.test_feedback_metrics import answer
from tests.factories.accounts import TeamLeadFactory
from tests.factories.clients import ClientFactory
from tests.factories.interactions import FollowUpFactory, InteractionFactory
from tests.factories.orders import OrderFactory

URL = reverse("dashboards:overview")
PRINT = reverse("dashboards:print")
PAGES = [
    URL,
    PRINT,
    reverse("dashboards:export_kpis"),
    reverse("dashboards:export_managers"),
]


@pytest.fixture(autouse=True)
def _company_zone(settings):
    settings.TIME_ZONE = "Europe/Vilnius"
    settings.DEFAULT_CURRENCY = "EUR"


def tile(response, key):
    return next(kpi for kpi in response.context["dashboard"].kpis if kpi.key == key)


# --- Who may open what (the page, its printable report and both exports share one rule) ---------


@pytest.mark.parametrize("url", PAGES)
def test_anonymous_visitors_are_sent_to_log_in(client, db, url):
    response = client.get(url)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


@pytest.mark.parametrize("url", PAGES)
def test_a_manager_may_not_open_the_dashboard(org, as_user, url):
    assert as_user(org.manager).get(url).status_code == 403


@pytest.mark.parametrize("url", PAGES)
def test_a_lead_who_leads_no_team_may_not_open_it(org, as_user, url):
    assert as_user(TeamLeadFactory(team=org.north)).get(url).status_code == 403


@pytest.mark.parametrize("url", PAGES)
def test_a_lead_opens_the_own_team(org, as_user, url):
    page = as_user(org.lead)

    assert page.get(url).status_code == 200
    assert page.get(url, {"team": org.north.pk, "manager": org.teammate.pk}).status_code == 200


@pytest.mark.parametrize("url", PAGES)
def test_a_lead_asking_for_another_team_or_its_manager_gets_404(org, as_user, url):
    page = as_user(org.lead)

    assert page.get(url, {"team": org.south.pk}).status_code == 404
    assert page.get(url, {"manager": org.outsider.pk}).status_code == 404
    assert page.get(url, {"manager": org.other_lead.pk}).status_code == 404
    assert page.get(url, {"team": 999_999}).status_code == 404


@pytest.mark.parametrize("url", PAGES)
def test_an_admin_opens_every_team_at_once_and_any_team(org, as_user, url):
    page = as_user(org.admin)

    assert page.get(url).status_code == 200
    assert page.get(url, {"team": org.south.pk}).status_code == 200
    assert page.get(url, {"team": org.south.pk, "manager": org.outsider.pk}).status_code == 200


def test_the_lead_sees_the_led_team_and_the_admin_every_team(org, as_user):
    InteractionFactory(client=org.client)
    InteractionFactory(client=org.foreign_client)

    lead = as_user(org.lead).get(URL)
    admin = as_user(org.admin).get(URL)

    assert lead.context["dashboard"].scope.team == org.north
    assert tile(lead, "interactions").value == "1"
    assert admin.context["dashboard"].scope.team is None
    assert tile(admin, "interactions").value == "2"
    assert "<span>All teams</span>" in admin.content.decode()


def test_the_menu_shows_the_dashboard_to_leads_and_admins_only(org, as_user):
    link = f'href="{URL}"'

    assert link in as_user(org.lead).get(reverse("clients:list")).content.decode()
    assert link in as_user(org.admin).get(reverse("clients:list")).content.decode()
    assert link not in as_user(org.manager).get(reverse("clients:list")).content.decode()


# --- The filters ------------------------------------------------------------------------------


def test_a_custom_period_ending_before_it_starts_shows_the_error_and_the_default_period(org, as_user):
    response = as_user(org.lead).get(URL, {"period": "custom", "date_from": "2025-03-31", "date_to": "2025-03-01"})

    assert response.status_code == 200
    assert response.context["form"].errors == {"date_to": ["The last day cannot be before the first day."]}
    assert "The last day cannot be before the first day." in response.content.decode()
    assert response.context["dashboard"].period.days == 30  # the default, while the form is wrong


@pytest.mark.parametrize(
    "params",
    [
        {"period": "banana"},
        {"period": "custom"},
        {"period": "custom", "date_from": "yesterday", "date_to": "2025-13-45"},
        {"period": "custom", "date_from": "1900-01-01", "date_to": "2025-01-01"},
        {"tier": "platinum"},
        {"sort": "password"},
        {"sort": "--interactions"},
        {"sort": ""},
        {"page": "x", "unknown": "1"},
    ],
)
def test_garbage_in_the_query_string_never_breaks_the_page(org, as_user, params):
    for url in (URL, PRINT):
        assert as_user(org.lead).get(url, params).status_code == 200


def test_a_manager_outside_the_chosen_team_is_a_form_error_for_an_admin(org, as_user):
    response = as_user(org.admin).get(URL, {"team": org.north.pk, "manager": org.outsider.pk})

    assert response.status_code == 200
    assert response.context["form"].errors == {"manager": ["This manager is not in the chosen team."]}
    assert response.context["dashboard"].scope.manager is None


def test_the_heading_names_the_team_manager_tier_and_both_periods(march, as_user):  # noqa: F811
    response = as_user(march.lead).get(URL, {**MARCH, "manager": march.manager.pk, "tier": "vip"})

    sub = re.search(r'<div class="sub muted">(.*?)</div>', response.content.decode(), re.S).group(1)
    assert re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", sub)).strip() == (
        "North · Mantas Owner · VIP · 1 Mar 2025 – 31 Mar 2025 · compared with 29 Jan 2025 – 28 Feb 2025"
    )


def test_the_links_by_the_heading_keep_the_filters(march, as_user):  # noqa: F811
    response = as_user(march.lead).get(URL, {**MARCH, "sort": "-nps"})
    html = response.content.decode()
    query = "period=custom&amp;date_from=2025-03-01&amp;date_to=2025-03-31"

    assert f'href="/dashboards/export/kpis.csv?{query}&amp;sort=-nps"' in html
    assert f'href="/dashboards/export/managers.csv?{query}&amp;sort=-nps"' in html
    assert f'href="/dashboards/print/?{query}&amp;sort=-nps"' in html
    assert f'href="/dashboards/complaints/?{query}&amp;team={march.north.pk}"' in html
    assert f'href="/dashboards/feedback/?{query}&amp;team={march.north.pk}"' in html
    assert '<input type="hidden" name="sort" value="-nps">' in html  # a new period keeps the sort


def test_the_printable_report_link_names_the_pages_default_period(org, as_user):
    html = as_user(org.lead).get(URL).content.decode()

    assert 'href="/dashboards/print/?period=30"' in html


# --- Tiles ------------------------------------------------------------------------------------


def test_each_tile_links_to_the_list_behind_it_with_value_previous_and_change(march, as_user):  # noqa: F811
    response = as_user(march.lead).get(URL, MARCH)
    html = response.content.decode()

    interactions = tile(response, "interactions")
    assert (interactions.value, interactions.previous, interactions.change, interactions.trend) == (
        "4",
        "1",
        "+3",
        "better",
    )
    expected_url = f"/interactions/?status=completed&amp;team={march.north.pk}&amp;from=2025-03-01&amp;to=2025-03-31"
    tile_html = re.search(r'<a class="kpi-tile" id="kpi-interactions".*?</a>', html, re.S).group(0)
    assert f'href="{expected_url}"' in tile_html
    assert 'title="Calls, meetings, e-mails, chats and visits that took place in the period."' in tile_html
    assert re.search(r'<span class="kpi-value">4</span>', tile_html)
    assert "Before: 1" in tile_html
    assert '<span class="kpi-change kpi-change-better">+3' in tile_html
    # one group heading per TileGroup, each tile inside its group
    titles = re.findall(r'<h2 class="kpi-group-title"[^>]*>([^<]+)</h2>', html)
    assert titles == ["Satisfaction", "Complaints", "Activity", "Orders and revenue", "Client base"]
    assert html.count('class="kpi-tile"') == len(response.context["dashboard"].kpis) == 18


def test_tiles_without_a_value_show_a_dash_and_thin_values_a_mark(march, as_user):  # noqa: F811
    response = as_user(march.lead).get(URL, MARCH)
    html = response.content.decode()

    sla = re.search(r'id="kpi-sla".*?</a>', html, re.S).group(0)
    assert '<span class="kpi-value">—</span>' in sla
    assert "Before: —" in sla
    assert "kpi-change" not in sla
    nps = re.search(r'id="kpi-nps".*?</a>', html, re.S).group(0)
    assert re.search(r'<span class="kpi-value">33\.3 <span class="feedback-thin"', nps)  # 3 answers
    revenue = re.search(r'id="kpi-revenue".*?</a>', html, re.S).group(0)
    assert '<span class="kpi-value">€1,250.50</span>' in revenue
    assert '<span class="kpi-note">Also $300.00</span>' in revenue  # Tomas's USD order


def test_amounts_in_other_currencies_show_as_the_revenue_tiles_note(org, as_user):
    order = OrderFactory(client=org.client, currency="USD", status=OrderStatus.DELIVERED, total=Decimal("300"))
    Order.objects.filter(pk=order.pk).update(delivered_at=timezone.now() - timedelta(days=1))

    html = as_user(org.lead).get(URL).content.decode()

    revenue = re.search(r'id="kpi-revenue".*?</a>', html, re.S).group(0)
    assert '<span class="kpi-value">—</span>' in revenue
    assert '<span class="kpi-note">Also $300.00</span>' in revenue


# --- Charts -----------------------------------------------------------------------------------


def chart(html, chart_id):
    return json.loads(
        re.search(rf'<script id="{chart_id}" type="application/json">(.*?)</script>', html, re.S).group(1)
    )


def test_the_four_charts_embed_their_data_and_a_table_for_readers_without_javascript(march, as_user):  # noqa: F811
    response = as_user(march.lead).get(URL, MARCH)
    html = response.content.decode()

    assert 'data-trend="chart-feedback"' in html
    assert 'data-pareto="chart-categories"' not in html  # no complaints: an empty state instead
    assert "No complaints in this period" in html
    assert 'data-stacked="chart-weeks"' in html
    assert 'data-money="chart-revenue"' in html
    weeks = chart(html, "chart-weeks")
    assert [dataset["label"] for dataset in weeks["datasets"]] == ["Mantas Owner", "Tomas Teammate"]
    assert sum(weeks["datasets"][0]["data"]) == 4  # March and the February call, all in the last 12 weeks
    revenue = chart(html, "chart-revenue")
    assert [(dataset["currency"], max(dataset["data"])) for dataset in revenue["datasets"]] == [
        ("EUR", 1250.5),
        ("USD", 300.0),
    ]
    revenue_table = re.search(r'id="chart-revenue-table".*?</table>', html, re.S).group(0)
    assert re.search(r"<th scope=\"row\">March 2025</th><td[^>]*>€1,250.50</td><td[^>]*>\$300.00</td>", revenue_table)
    feedback_table = re.search(r'id="chart-feedback-table".*?</table>', html, re.S).group(0)
    assert re.search(r"March 2025</th>\s*<td[^>]*>33.3 <span", feedback_table)
    weeks_table = re.search(r'id="chart-weeks-table".*?</table>', html, re.S).group(0)
    assert re.search(r"Mantas Owner</th>(<td[^>]*>\d+</td>)+<td[^>]*><strong>4</strong>", weeks_table)


def test_a_team_without_data_shows_an_empty_state_for_every_chart(org, as_user):
    html = as_user(org.lead).get(URL).content.decode()

    for message in (
        "No answers in the last 12 months",
        "No complaints in this period",
        "No interactions in the last 12 weeks",
        "No deliveries in the last 12 months",
    ):
        assert message in html
    assert "<canvas" not in html


def test_the_category_chart_and_table_follow_the_complaints_of_the_period(org, as_user):
    category = ComplaintCategory.objects.filter(is_active=True).order_by("position", "pk").first()
    for index in range(3):
        Complaint.objects.create(
            number=f"DASH-{index}",
            client=org.client,
            owner=org.manager,
            category=category,
            subject="Broken pallet",
            received_at=timezone.now() - timedelta(days=2),
        )

    html = as_user(org.lead).get(URL).content.decode()

    assert chart(html, "chart-categories")["counts"] == [3]
    assert re.search(rf"<th scope=\"row\">{category.name}</th><td class=\"num\">3</td>", html)


# --- The per-manager table ----------------------------------------------------------------------


def manager_order(html):
    table = re.search(r'id="manager-table".*?</table>', html, re.S).group(0)
    return [int(pk) for pk in re.findall(r'<tr id="manager-(\d+)">', table)]


def test_the_manager_table_sorts_by_a_column_largest_first_with_a_minus(march, as_user):  # noqa: F811
    page = as_user(march.lead)

    by_name = page.get(URL, MARCH).content.decode()
    by_interactions = page.get(URL, {**MARCH, "sort": "-interactions"}).content.decode()
    fewest_first = page.get(URL, {**MARCH, "sort": "interactions"}).content.decode()

    assert manager_order(by_name) == [march.lead.pk, march.manager.pk, march.teammate.pk]
    assert manager_order(by_interactions) == [march.manager.pk, march.teammate.pk, march.lead.pk]
    assert manager_order(fewest_first) == [march.lead.pk, march.teammate.pk, march.manager.pk]
    # the heading links toggle the direction and keep the filters
    assert "sort=interactions" in re.search(r'<a href="\?[^"]*sort=interactions"', by_interactions).group(0)
    assert "Interactions ▼" in by_interactions


def test_each_figure_of_the_manager_table_links_to_its_records(march, as_user):  # noqa: F811
    response = as_user(march.lead).get(URL, MARCH)
    html = response.content.decode()
    row = next(item.row for item in response.context["people"] if item.row.person == march.manager)

    row_html = re.search(rf'<tr id="manager-{march.manager.pk}">.*?</tr>', html, re.S).group(0)
    cells = re.findall(r'<td class="num[^"]*"><a href="([^"]+)"[^>]*>([^<]+)</a>', row_html)
    assert [text for _, text in cells] == ["1", "3", "1", "1", "0", "—", "—", "33.3", "€1,250.50"]
    assert [url.replace("&amp;", "&") for url, _ in cells] == [
        row.links[key]
        for key in (
            "clients",
            "interactions",
            "follow_ups_done",
            "follow_ups_overdue",
            "open_complaints",
            "sla",
            "csat",
            "nps",
            "revenue",
        )
    ]
    assert row.links["interactions"] == (
        f"/interactions/?status=completed&logged_by={march.manager.pk}&from=2025-03-01&to=2025-03-31"
    )
    # the name narrows the dashboard to the person, keeping the period
    assert (
        f'href="/dashboards/?period=custom&amp;date_from=2025-03-01&amp;date_to=2025-03-31'
        f'&amp;team={march.north.pk}&amp;manager={march.manager.pk}"' in row_html
    )


def test_the_manager_table_lists_nobody_for_a_team_without_staff(org, as_user):
    quiet = Team.objects.create(name="Quiet")

    html = as_user(org.admin).get(URL, {"team": quiet.pk}).content.decode()

    assert 'id="manager-table"' not in html
    assert "Nobody in this team yet" in html


# --- htmx -------------------------------------------------------------------------------------


def test_an_htmx_request_gets_only_the_dashboard_fragment(org, as_user):
    response = as_user(org.lead).get(URL, {"period": "7"}, headers={"HX-Request": "true"})
    html = response.content.decode()

    assert response.status_code == 200
    assert html.strip().startswith('<div id="dashboard" class="dashboard">')
    assert "<html" not in html
    assert 'class="topbar"' not in html
    assert 'id="kpi-interactions"' in html
    assert 'hx-target="#dashboard"' in html


def test_the_full_page_wraps_the_same_fragment_with_the_chart_scripts(org, as_user):
    html = as_user(org.lead).get(URL).content.decode()

    assert html.count('<div id="dashboard" class="dashboard">') == 1
    assert "vendor/chart.js/chart.umd.min.js" in html
    assert "js/charts.js" in html
    assert 'hx-get="/dashboards/"' in html
    assert 'hx-push-url="true"' in html
    assert 'method="get" action="/dashboards/"' in html  # and a real form without JavaScript


# --- The printable report ---------------------------------------------------------------------


def test_the_printable_report_defaults_to_the_last_7_days(org, as_user):
    response = as_user(org.lead).get(PRINT)

    period = response.context["dashboard"].period
    assert period.days == 7
    assert period.last_day == timezone.localdate()


def test_the_printable_report_has_the_tiles_managers_and_categories_without_the_menu(march, as_user):  # noqa: F811
    response = as_user(march.lead).get(PRINT, MARCH)
    html = response.content.decode()

    assert response.context["dashboard"].period.days == 31
    assert 'class="topbar"' not in html
    assert 'type="button" data-print>' in html  # static/js/app.js prints: the CSP runs no inline handler
    kpis = re.search(r'id="report-kpis".*?</table>', html, re.S).group(0)
    assert re.search(
        r'id="report-kpi-interactions">\s*<th scope="row">Interactions logged</th>\s*'
        r'<td class="num">4</td>\s*<td class="num muted">1</td>\s*'
        r'<td class="num"><span class="kpi-change-better">\+3</span>',
        kpis,
    )
    assert kpis.count("<tr id=") == 18
    assert "Mantas Owner" in re.search(r'id="report-managers".*?</table>', html, re.S).group(0)
    assert "No complaints in this period" in html


# --- Queries ----------------------------------------------------------------------------------


def fill(org, times: int):
    """`times` of every kind of record for each North and South manager: clients, interactions,
    follow-ups (done and overdue), delivered orders in two currencies, complaints and answers."""
    now = timezone.now()
    category = ComplaintCategory.objects.filter(is_active=True).first()
    for manager in (org.manager, org.teammate, org.outsider):
        for index in range(times):
            client = ClientFactory(account_manager=manager, tier=["standard", "key", "vip"][index % 3])
            InteractionFactory(client=client, occurred_at=now - timedelta(days=index % 60))
            done = FollowUpFactory(client=client, due_at=now - timedelta(days=3))
            FollowUp.objects.filter(pk=done.pk).update(status=FollowUpStatus.DONE, completed_at=now - timedelta(days=2))
            FollowUpFactory(client=client, due_at=now - timedelta(days=1))
            for currency in ("EUR", "USD"):
                order = OrderFactory(client=client, currency=currency, status=OrderStatus.DELIVERED, total=Decimal(100))
                Order.objects.filter(pk=order.pk).update(delivered_at=now - timedelta(days=index % 90))
            Complaint.objects.create(
                number=f"Q-{manager.pk}-{times}-{index}",
                client=client,
                owner=manager,
                category=category,
                subject="Late",
                received_at=now - timedelta(days=index % 40),
            )
            answer(client, index % 11, at=now - timedelta(days=index % 100))
            answer(client, 1 + index % 5, kind=SurveyKind.CSAT, at=now - timedelta(days=index % 100))


def count_queries(page, params=None) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert page.get(URL, params or {}).status_code == 200
    return len(queries)


# Measured on SQLite and PostgreSQL: 33 queries for a lead, fewer for an admin (session and user, the form's
# teams and people, one aggregate per table for both periods, the medians, two per chart, seven for the
# per-manager table, the rows' teams, two for account health: the at-risk revenue and the at-risk clients; a third,
# their revenue, when some are at risk), whatever the data; the margin is for the backends, not the data.
MAX_QUERIES = 35


@pytest.mark.parametrize("user", ["lead", "admin"])
def test_the_page_takes_as_many_queries_for_little_and_much_data(org, as_user, django_assert_max_num_queries, user):
    page = as_user(getattr(org, user))
    fill(org, 2)
    small = count_queries(page, {"period": "90", "sort": "-revenue"})
    fill(org, 20)  # ten times as much

    with django_assert_max_num_queries(small):
        response = page.get(URL, {"period": "90", "sort": "-revenue"})

    assert response.status_code == 200
    assert small <= MAX_QUERIES
