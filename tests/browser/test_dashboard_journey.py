"""The team lead's dashboard in a real browser: a new period swaps the figures in place (htmx), the
charts draw, and a tile opens exactly the records it counts."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.factories.accounts import PASSWORD, ManagerFactory, TeamFactory, TeamLeadFactory
from tests.factories.clients import ClientFactory
from tests.factories.interactions import InteractionFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _fast_hasher(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def test_a_lead_changes_the_period_and_drills_from_a_tile_into_the_interactions(live_server, page, sign_in):
    north, south = TeamFactory(name="North"), TeamFactory(name="South")
    lead = TeamLeadFactory(full_name="Lina Lead", team=north, language="en")
    north.lead = lead
    north.save()
    manager = ManagerFactory(full_name="Mantas Owner", team=north)
    outsider = ManagerFactory(full_name="Olga Outsider", team=south)
    timber = ClientFactory(name="Baltic Timber UAB", account_manager=manager)
    foreign = ClientFactory(name="Foreign Client OOO", account_manager=outsider)
    now = timezone.now()
    InteractionFactory(client=timber, subject="Pricing call", occurred_at=now - timedelta(days=1))
    InteractionFactory(client=timber, subject="Delivery check", occurred_at=now - timedelta(days=3))
    InteractionFactory(client=timber, subject="Quarterly review", occurred_at=now - timedelta(days=20))
    InteractionFactory(client=foreign, subject="Someone else's call", occurred_at=now - timedelta(days=1))
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))

    sign_in(lead, PASSWORD)
    page.goto(live_server.url + "/")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Dashboard").click()
    expect(page.locator("h1")).to_have_text("Dashboard")
    interactions = page.locator("#kpi-interactions")
    expect(interactions.locator(".kpi-value")).to_have_text("3")  # the last 30 days
    expect(page.locator("#manager-table")).to_contain_text("Mantas Owner")
    expect(page.locator("#manager-table")).not_to_contain_text("Olga Outsider")
    expect(page.locator("canvas[data-stacked='chart-weeks']")).to_be_visible()  # drawn by charts.js
    expect(page.locator("#chart-weeks-table")).to_be_hidden()  # folded under the chart

    page.evaluate("window.samePage = true; document.getElementById('dashboard').dataset.old = 'yes'")
    page.select_option("#id_period", "7")
    expect(interactions.locator(".kpi-value")).to_have_text("2")
    expect(page).to_have_url(re.compile(r"/dashboards/\?.*period=7"))  # pushed: the address names the view
    # swapped in place by htmx: a new fragment in the same page (a page load would forget window.samePage)
    expect(page.locator("#dashboard")).not_to_have_attribute("data-old", "yes")
    assert page.evaluate("window.samePage") is True
    expect(interactions).to_contain_text("Before: 0")  # 8–14 days ago: nothing
    expect(page.locator("canvas[data-stacked='chart-weeks']")).to_be_visible()  # redrawn after the swap

    interactions.click()
    expect(page).to_have_url(re.compile(r"/interactions/\?"))
    rows = page.locator("#interaction-table tbody tr")
    expect(rows).to_have_count(2)
    expect(page.locator("#interaction-table")).to_contain_text("Pricing call")
    expect(page.locator("#interaction-table")).to_contain_text("Delivery check")
    expect(page.locator("#interaction-table")).not_to_contain_text("Quarterly review")
    expect(page.locator("#interaction-table")).not_to_contain_text("Someone else's call")
    assert errors == []
