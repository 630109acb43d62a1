"""The dashboard as served: computed at most every few minutes, per viewer, scope, period and language."""

import datetime as dt

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from dashboards.selectors.display import Period
from dashboards.selectors.overview import Scope
from dashboards.selectors.served import dashboard_cache_key, get_served_dashboard
from dashboards.services.warming import warm_dashboards
from dashboards.tasks import warm_dashboards_task
from tests.factories.accounts import AdminFactory
from tests.factories.interactions import InteractionFactory

pytestmark = pytest.mark.django_db


def _period():
    today = timezone.localdate()
    return Period(today - dt.timedelta(days=29), today)


def _logged(dashboard) -> str:
    return next(kpi.value for kpi in dashboard.kpis if kpi.key == "interactions")


def test_a_second_look_within_the_cache_time_reads_no_figures_from_the_database(org):
    InteractionFactory(client=org.client, logged_by=org.manager)
    first = get_served_dashboard(org.lead, scope=Scope(team=org.north), period=_period())
    InteractionFactory(client=org.client, logged_by=org.manager)
    with CaptureQueriesContext(connection) as queries:
        second = get_served_dashboard(org.lead, scope=Scope(team=org.north), period=_period())
    assert len(queries) == 0
    assert _logged(first) == _logged(second) == "1"  # the figures of the first look, a few minutes old at most
    assert second.computed_at == first.computed_at


def test_refresh_reads_the_database_again_and_keeps_the_new_figures(org):
    InteractionFactory(client=org.client, logged_by=org.manager)
    get_served_dashboard(org.lead, scope=Scope(team=org.north), period=_period())
    InteractionFactory(client=org.client, logged_by=org.manager)
    refreshed = get_served_dashboard(org.lead, scope=Scope(team=org.north), period=_period(), refresh=True)
    assert _logged(refreshed) == "2"
    assert _logged(get_served_dashboard(org.lead, scope=Scope(team=org.north), period=_period())) == "2"


def test_each_viewer_scope_period_language_and_time_zone_has_its_own_entry(org):
    period, scope = _period(), Scope(team=org.north)
    keys = {
        dashboard_cache_key(org.lead, scope, period),
        dashboard_cache_key(org.other_lead, scope, period),
        dashboard_cache_key(org.admin, scope, period),
        dashboard_cache_key(org.lead, Scope(team=org.north, tier="vip"), period),
        dashboard_cache_key(org.lead, Scope(team=org.north, manager=org.manager), period),
        dashboard_cache_key(org.lead, scope, Period(period.first_day, period.last_day - dt.timedelta(days=1))),
    }
    with translation.override("lt"):
        keys.add(dashboard_cache_key(org.lead, scope, period))
    with timezone.override("Asia/Tokyo"):
        keys.add(dashboard_cache_key(org.lead, scope, period))
    assert len(keys) == 8
    # Every admin sees every record: they share one entry.
    assert dashboard_cache_key(org.admin, scope, period) == dashboard_cache_key(AdminFactory(), scope, period)


def test_the_page_is_served_from_the_cache_and_sorted_per_request(org, as_user, django_assert_max_num_queries):
    InteractionFactory(client=org.client, logged_by=org.manager)
    client = as_user(org.lead)
    url = reverse("dashboards:overview")
    assert client.get(url).status_code == 200
    # Session, user, the form's teams and managers: no figure is read again.
    with django_assert_max_num_queries(8):
        response = client.get(url, {"sort": "-interactions"})
    assert response.context["dashboard"].managers[0].person == org.manager
    assert "Figures as of" in response.content.decode()


def test_the_warming_task_computes_each_team_for_its_lead_and_all_teams_for_the_admins(org):
    assert warm_dashboards_task.delay().get() == 3  # North for its lead, South for its lead, all teams
    with (
        translation.override(org.lead.language),
        timezone.override(org.lead.time_zone),
        CaptureQueriesContext(connection) as queries,
    ):
        get_served_dashboard(org.lead, scope=Scope(team=org.north), period=_period())
    assert len(queries) == 0
    assert "warm-dashboards" in settings.CELERY_BEAT_SCHEDULE
    assert settings.CELERY_BEAT_SCHEDULE["warm-dashboards"]["schedule"] < settings.DASHBOARD_CACHE_SECONDS


def test_an_inactive_lead_gets_no_warmed_dashboard(org):
    org.other_lead.is_active = False
    org.other_lead.save()
    assert warm_dashboards() == 2


@pytest.mark.parametrize("name", ["dashboards:complaints", "dashboards:feedback"])
def test_the_analysis_pages_are_served_from_the_cache_until_refreshed(org, as_user, name):
    page = as_user(org.lead)
    url = reverse(name)
    first = page.get(url).context["analysis"]
    with CaptureQueriesContext(connection) as queries:
        again = page.get(url)
    # Session, user, the form's teams, the header's badges: no figure is read again (the page reads ~15).
    assert len(queries) <= 6
    assert again.context["analysis"].computed_at == first.computed_at
    assert "Figures as of" in again.content.decode()
    refreshed = page.get(url, {"refresh": "1"}).context["analysis"]
    assert refreshed.computed_at > first.computed_at
