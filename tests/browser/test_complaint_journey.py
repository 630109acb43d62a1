"""A complaint from the first call to its resolution, and the team lead's analysis, in a real browser."""

import pytest
from playwright.sync_api import expect

from complaints.models import Complaint, ComplaintStatus
from interactions.models import Direction, Interaction
from tests.factories.accounts import PASSWORD, ManagerFactory, TeamFactory, TeamLeadFactory
from tests.factories.clients import ClientFactory
from tests.factories.contacts import ContactFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _fast_hasher(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def test_manager_registers_replies_and_resolves_a_complaint_and_the_lead_sees_it_analysed(live_server, page, sign_in):
    team = TeamFactory(name="North")
    lead = TeamLeadFactory(full_name="Lina Lead", team=team, language="en")
    team.lead = lead
    team.save()
    manager = ManagerFactory(full_name="Mantas Owner", team=team, language="en")
    client = ClientFactory(name="Baltic Timber UAB", account_manager=manager, tier="vip")
    ContactFactory(client=client, full_name="Rūta Petraitė")

    sign_in(manager, PASSWORD)
    page.goto(live_server.url + client.get_absolute_url())
    page.locator("#client-complaints").get_by_role("link", name="+ Complaint").click()
    expect(page.locator("h1")).to_have_text("New complaint")
    page.fill("#id_subject", "Pallets arrived damaged")
    page.select_option("#id_category", label="Damaged goods")
    page.select_option("#id_severity", "high")
    page.select_option("#id_contact", label="Rūta Petraitė")
    page.fill("#id_description", "Three of ten pallets had broken corners.")
    page.get_by_role("button", name="Register complaint").click()

    expect(page.locator("h1")).to_contain_text("Complaint CMP-")
    expect(page.locator(".page-head .badge-complaint-new")).to_be_visible()
    expect(page.locator(".page-head .badge-sla-on_track")).to_be_visible()
    expect(page.locator("#sla")).to_contain_text("due")

    page.fill("#id_reply_body", "Sorry about this, Rūta. A replacement ships tomorrow.")
    page.get_by_role("button", name="Log reply").click()
    expect(page.locator("#thread")).to_contain_text("A replacement ships tomorrow.")
    expect(page.locator(".page-head .badge-complaint-in_progress")).to_be_visible()  # a reply starts the work
    expect(page.locator("#sla")).to_contain_text("in time")

    page.locator("#resolve summary").click()
    page.fill("#id_resolution", "Replacement pallets delivered; carrier briefed on strapping.")
    page.select_option("#id_root_cause", label="Packaging")
    page.get_by_role("button", name="Resolve the complaint").click()
    expect(page.locator(".page-head .badge-complaint-resolved")).to_be_visible()
    expect(page.locator(".resolution-card")).to_contain_text("Packaging")

    complaint = Complaint.objects.get()
    assert complaint.status == ComplaintStatus.RESOLVED
    assert complaint.first_response_at is not None
    assert Interaction.objects.filter(client=client, direction=Direction.OUTBOUND).count() == 1

    # the team lead's analysis of the team's complaints
    page.context.clear_cookies()  # sign out
    sign_in(lead, PASSWORD)
    page.goto(live_server.url + "/dashboards/complaints/")
    expect(page.locator("h1")).to_contain_text("Complaint")
    expect(page.locator("body")).to_contain_text("Damaged goods")
    expect(page.locator("body")).to_contain_text("Packaging")
