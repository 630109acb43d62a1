"""The manager's daily loop in a real browser: quick log with a follow-up, timeline, My day, done."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from interactions.models import FollowUp, Interaction
from tests.factories.accounts import PASSWORD, ManagerFactory, TeamFactory
from tests.factories.clients import ClientFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _fast_hasher(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def test_quick_log_call_with_follow_up_then_done_on_my_day(live_server, page):
    manager = ManagerFactory(full_name="Mantas Owner", team=TeamFactory(name="North"), language="en")
    client = ClientFactory(name="Baltic Timber UAB", account_manager=manager)

    page.goto(live_server.url + "/accounts/login/")
    page.fill("input[name=username]", manager.email)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    expect(page.locator("h1")).to_contain_text("Good day")

    page.goto(live_server.url + client.get_absolute_url())
    page.evaluate("window.__marker = 'no reload'")
    notes = page.locator("#quick-notes")
    expect(notes).to_be_focused()  # focus lands in the note
    tomorrow = timezone.localdate() + timedelta(days=1)
    page.fill("#quick-follow-up", tomorrow.isoformat())
    notes.fill("Called Jonas: wants the 2027 price list")
    notes.press("Enter")  # Enter submits

    first_entry = page.locator("#timeline-items .entry").first
    expect(first_entry).to_contain_text("Called Jonas: wants the 2027 price list")
    expect(page.locator("#follow-ups")).to_contain_text("Follow up: Called Jonas")
    expect(page.locator("#quick-notes")).to_have_value("")
    expect(page.locator("#quick-notes")).to_be_focused()
    assert page.evaluate("window.__marker") == "no reload"
    assert Interaction.objects.get().notes == "Called Jonas: wants the 2027 price list"

    page.click("nav.nav >> text=My day")
    upcoming = page.locator("#upcoming")
    expect(upcoming).to_contain_text("Follow up: Called Jonas")
    upcoming.locator("button", has_text="Done").click()
    expect(upcoming.locator(".fu-closed")).to_be_visible()
    assert FollowUp.objects.get().status == "done"
