"""Segments in a real browser: an admin builds a two-condition segment with the htmx rule builder, watches the live
preview change, saves it; a manager then filters the client list by it and sees exactly their matching clients."""

import re

import pytest
from playwright.sync_api import expect

from clients.models import Tier
from segments.models import Segment
from tests.factories.accounts import PASSWORD, AdminFactory, ManagerFactory, TeamFactory
from tests.factories.clients import ClientFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _fast_hasher(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def settled(page):
    """htmx has swapped the new content in and wired it up (new elements listen only after the settle)."""
    # A function, not an expression: Playwright evals a bare expression in the page, which the CSP forbids.
    page.wait_for_function("() => !document.querySelector('.htmx-request, .htmx-settling, .htmx-added')")


def test_an_admin_builds_a_segment_and_a_manager_filters_their_clients_by_it(live_server, page, sign_in):
    north, south = TeamFactory(name="North"), TeamFactory(name="South")
    admin = AdminFactory(full_name="Ada Admin", language="en")
    manager = ManagerFactory(full_name="Mantas Owner", team=north, language="en")
    outsider = ManagerFactory(full_name="Olga Outsider", team=south)
    ClientFactory(name="Vilnius VIP UAB", tier=Tier.VIP, city="Vilnius", account_manager=manager)
    ClientFactory(name="Vilkaviškis VIP UAB", tier=Tier.VIP, city="Vilkaviškis", account_manager=manager)
    ClientFactory(name="Kaunas VIP UAB", tier=Tier.VIP, city="Kaunas", account_manager=manager)
    ClientFactory(name="Vilnius Key UAB", tier=Tier.KEY, city="Vilnius", account_manager=manager)
    ClientFactory(name="Someone Else's VIP UAB", tier=Tier.VIP, city="Vilnius", account_manager=outsider)
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))

    sign_in(admin, PASSWORD)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Segments").click()
    expect(page.locator("h1")).to_have_text("Segments")
    page.get_by_role("link", name="New segment").first.click()
    expect(page.locator("h1")).to_have_text("New segment")
    expect(page.locator("#preview-count")).to_have_text("5")  # no rules yet: every client
    page.fill("#id_name", "VIP in Vil…")
    page.evaluate("window.samePage = true")

    # The first condition: a new one is incomplete until a tier is ticked.
    page.get_by_role("button", name="+ Condition").click()
    expect(page.locator("#r-0-field")).to_have_value("tier")
    expect(page.locator("#preview-error")).to_contain_text("rules[0]: the value must be a non-empty list")
    settled(page)
    page.get_by_label("VIP").check()
    expect(page.locator("#preview-count")).to_have_text("4")
    expect(page.locator("#preview-table tbody tr")).to_have_count(4)
    settled(page)

    # The second: City contains "Vil" (typed; the preview follows without leaving the field).
    page.locator("#node-r > .rule-group-foot").get_by_role("button", name="+ Condition").click()
    expect(page.locator("#r-1-field")).to_be_visible()
    settled(page)
    page.select_option("#r-1-field", "city")
    expect(page.locator("#r-1-operator")).to_have_value("contains")  # the usual question about a city
    settled(page)
    page.locator("input[name='r-1-value']").press_sequentially("Vil")
    expect(page.locator("#preview-count")).to_have_text("3")
    expect(page.locator("#segment-preview .segment-summary")).to_have_text("Tier is any of VIP AND City contains “Vil”")
    expect(page.locator("#preview-table")).not_to_contain_text("Kaunas VIP UAB")
    assert page.evaluate("window.samePage") is True  # all of it swapped in by htmx, no page load
    settled(page)

    page.get_by_role("button", name="Save segment").click()
    expect(page.locator("h1")).to_have_text("VIP in Vil…")
    expect(page.locator("#segment-summary")).to_have_text("Tier is any of VIP AND City contains “Vil”")
    segment = Segment.objects.get()
    assert segment.rules == {
        "op": "and",
        "rules": [
            {"field": "tier", "operator": "in", "value": ["vip"]},
            {"field": "city", "operator": "contains", "value": "Vil"},
        ],
    }

    # The manager filters their client list by the new segment.
    page.get_by_role("button", name="Log out").click()
    sign_in(manager, PASSWORD)
    page.select_option("select[name=segment]", label="VIP in Vil…")
    expect(page).to_have_url(re.compile(rf"/clients/\?.*segment={segment.pk}"))
    rows = page.locator("#client-table tbody tr")
    expect(rows).to_have_count(2)
    expect(page.locator("#client-table")).to_contain_text("Vilnius VIP UAB")
    expect(page.locator("#client-table")).to_contain_text("Vilkaviškis VIP UAB")
    expect(page.locator("#client-table")).not_to_contain_text("Someone Else's VIP UAB")
    assert errors == []
