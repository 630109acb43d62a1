"""A manager acts on account health in a real browser (Debian chromium): an at-risk client's reasons and next
action, a recalculation swapped in place, and the client list sorted worst first."""

import pytest
from playwright.sync_api import expect

from clients.models import Client
from tests.factories.accounts import PASSWORD, ManagerFactory, TeamFactory
from tests.factories.clients import ClientFactory
from tests.health.pages import AT_RISK_FACTS, make_parts, set_health

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _fast_hasher(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def test_manager_sees_why_a_client_is_at_risk_recalculates_and_sorts_by_health(live_server, page, sign_in):
    manager = ManagerFactory(full_name="Mantas Owner", team=TeamFactory(name="North"), language="en")
    baltic = ClientFactory(name="Baltic Timber UAB", account_manager=manager, tier="vip")
    set_health(baltic, make_parts(AT_RISK_FACTS), history=3)
    set_health(ClientFactory(name="Calm Co", account_manager=manager), make_parts())
    set_health(ClientFactory(name="Amber Steel UAB", account_manager=manager), make_parts(AT_RISK_FACTS))
    ClientFactory(name="Aardvark New UAB", account_manager=manager)  # never scored

    sign_in(manager, PASSWORD)
    page.click("text=Baltic Timber UAB")
    section = page.locator("#client-health")
    expect(section.locator(".health-dial-value")).to_have_text("36")
    expect(section.locator(".badge-health-at_risk").first).to_have_text("At risk")
    reasons = section.locator(".health-reason > span:first-child")
    expect(reasons.first).to_have_text("No contact for 47 days; expected every 14 for VIP")
    expect(reasons).to_have_count(4)
    action = section.locator(".next-action a")
    expect(action).to_have_text("Call the client →")
    # the chart is drawn from the embedded data (no inline script) and the table folds away
    expect(section.locator(".chart-box canvas")).to_be_visible()
    expect(section.locator(".health-chart-note")).to_contain_text("watch below 70")
    expect(section.locator("details.chart-table")).not_to_have_attribute("open", "")

    # recalculate: the section is swapped in place, no page load
    page.evaluate("window.__marker = 'same page'")
    section.get_by_role("button", name="Recalculate").click()
    baltic.refresh_from_db()
    expect(page.locator("#client-health .health-dial-value")).to_have_text(str(baltic.health_score))
    expect(page.locator("#client-health .chart-box canvas")).to_be_visible()
    assert page.evaluate("window.__marker") == "same page"
    assert Client.objects.get(pk=baltic.pk).health_scored_at is not None

    # the client list, sorted by health: worst first, never scored last
    page.click("nav >> text=Clients")
    page.click("#client-table th >> text=Health")
    page.wait_for_url("**/clients/?sort=health")
    rows = page.locator("#client-table tbody tr td.primary-cell a")
    expect(rows.first).to_have_text("Amber Steel UAB")
    expect(rows.last).to_have_text("Aardvark New UAB")
    expect(page.locator("#client-table tbody tr").first.locator(".badge-health-at_risk")).to_be_visible()

    # filter by band
    page.check("#id_health_band_2")  # at risk
    expect(page.locator("#client-table tbody tr")).to_have_count(1)
