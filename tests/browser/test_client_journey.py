"""A manager's first minutes in the product, in a real browser (Debian chromium)."""

import re

import pytest
from playwright.sync_api import expect

from contacts.models import Contact
from tests.factories.accounts import PASSWORD, ManagerFactory, TeamFactory
from tests.factories.clients import ClientFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _fast_hasher(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def test_manager_finds_client_adds_contact_and_switches_to_lithuanian(live_server, page, sign_in):
    team = TeamFactory(name="North")
    manager = ManagerFactory(full_name="Mantas Owner", team=team, language="en")
    ClientFactory(name="Baltic Timber UAB", account_manager=manager, tier="vip")
    ClientFactory(name="Other Co", account_manager=manager)

    sign_in(manager, PASSWORD)
    expect(page.locator("h1")).to_have_text("Clients")

    # header search, live dropdown
    page.fill("#header-search-input", "Baltic")
    result = page.locator("#search-results a.search-item", has_text="Baltic Timber UAB")
    expect(result).to_be_visible()
    result.click()
    expect(page.locator("h1")).to_have_text("Baltic Timber UAB")
    expect(page.locator(".badge-tier-vip")).to_be_visible()

    # add a contact inline: no full reload
    page.evaluate("window.__marker = 'same page'")
    page.click("#add-contact")
    page.locator("#id_full_name").wait_for()
    expect(page.locator("#id_full_name")).to_be_focused()
    page.fill("#id_full_name", "Rūta Petraitė")
    page.fill("#id_email", "ruta@baltictimber.example")
    page.fill("#id_phone", "8 612 34567")
    page.press("#id_phone", "Enter")
    expect(page.locator("#contacts")).to_contain_text("Rūta Petraitė")
    expect(page.locator("#contacts")).to_contain_text("+370 612 34567")
    assert page.evaluate("window.__marker") == "same page"
    assert Contact.objects.get().full_name == "Rūta Petraitė"

    # bad input inline: errors shown, nothing saved
    page.click("#add-contact")
    page.fill("#id_full_name", "Broken")
    page.fill("#id_email", "not-an-email")
    page.click("#contact-form button[type=submit]")
    expect(page.locator("#contact-form .errorlist")).to_be_visible()
    assert Contact.objects.count() == 1

    # switch the UI language from the header
    page.select_option("#language-select", "lt")
    page.wait_for_load_state()
    expect(page.locator("nav.nav")).to_contain_text("Klientai")
    expect(page.locator("#contacts h2")).to_contain_text("Kontaktai")
    expect(page.locator("html")).to_have_attribute("lang", "lt")
    manager.refresh_from_db()
    assert manager.language == "lt"


def test_client_list_filters_live_without_reload(live_server, page, sign_in):
    manager = ManagerFactory(language="en")
    ClientFactory(name="Alpha VIP", account_manager=manager, tier="vip")
    ClientFactory(name="Beta Standard", account_manager=manager, tier="standard")
    sign_in(manager, PASSWORD)
    page.evaluate("window.__marker = 1")
    page.select_option("select[name=tier]", "vip")
    expect(page.locator("#client-table tbody tr")).to_have_count(1)
    expect(page.locator("#client-table")).to_contain_text("Alpha VIP")
    expect(page).to_have_url(re.compile(r"tier=vip"))
    page.fill("#id_q", "Beta")
    expect(page.locator("#client-table")).to_contain_text("No clients match these filters")
    assert page.evaluate("window.__marker") == 1
