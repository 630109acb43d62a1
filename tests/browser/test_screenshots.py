"""The README's screenshots, taken from the demo data in Debian chromium.

`make screenshots` writes them to docs/screenshots/; in the normal suite the same
journey runs and checks the pages, with the images going to a temporary folder.
"""

import os
from pathlib import Path

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from clients.models import Client
from complaints.models import Complaint
from orders.models import Order

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def shots_dir(tmp_path):
    target = Path(os.environ.get("SCREENSHOTS_DIR") or tmp_path)
    target.mkdir(parents=True, exist_ok=True)
    return target


def test_readme_screenshots_of_list_and_client_page(live_server, page, shots_dir):
    call_command("seed_demo", clients=60, verbosity=0)
    page.set_viewport_size({"width": 1366, "height": 900})
    page.goto(live_server.url + "/accounts/login/")
    page.fill("input[name=username]", "manager1@demo.crm")
    page.fill("input[name=password]", "demo12345")
    page.click("button[type=submit]")
    expect(page.locator("#overdue .fu-row").first).to_be_visible()  # "My day" is the home page
    page.screenshot(path=str(shots_dir / "my-day.png"), full_page=True)
    page.goto(live_server.url + "/clients/")
    expect(page.locator("#client-table tbody tr").first).to_be_visible()
    page.screenshot(path=str(shots_dir / "client-list.png"))

    client = (
        Client.objects.filter(account_manager__email="manager1@demo.crm", tier="vip", status="active")
        .order_by("name")
        .first()
        or Client.objects.filter(account_manager__email="manager1@demo.crm").order_by("name").first()
    )
    page.goto(live_server.url + client.get_absolute_url())
    expect(page.locator("h1")).to_have_text(client.name)
    expect(page.locator("#contacts .contact").first).to_be_visible()
    expect(page.locator("#timeline-items .entry").first).to_be_visible()
    page.screenshot(path=str(shots_dir / "client-detail.png"), full_page=True)

    page.set_viewport_size({"width": 390, "height": 844})
    page.screenshot(path=str(shots_dir / "client-detail-phone.png"))

    page.set_viewport_size({"width": 1366, "height": 900})
    page.goto(live_server.url + "/orders/")
    expect(page.locator("#order-table tbody tr").first).to_be_visible()
    page.screenshot(path=str(shots_dir / "order-list.png"))
    draft = Order.objects.filter(client__account_manager__email="manager1@demo.crm", status="draft").first()
    page.goto(live_server.url + draft.get_absolute_url())
    expect(page.locator("#lines-editor .line-row").first).to_be_visible()
    page.screenshot(path=str(shots_dir / "order-detail.png"), full_page=True)

    complaint = (
        Complaint.objects.filter(
            owner__email="manager1@demo.crm", escalated_at__isnull=False, status="in_progress"
        ).first()
        or Complaint.objects.filter(owner__email="manager1@demo.crm").order_by("-received_at").first()
    )
    page.goto(live_server.url + complaint.get_absolute_url())
    expect(page.locator("#thread .thread-item").first).to_be_visible()
    page.screenshot(path=str(shots_dir / "complaint-detail.png"), full_page=True)
    page.goto(live_server.url + "/complaints/mine/")
    expect(page.locator("#complaint-table tbody tr").first).to_be_visible()
    page.screenshot(path=str(shots_dir / "complaint-list.png"))

    page.set_viewport_size({"width": 1366, "height": 900})
    page.goto(live_server.url + "/clients/")
    page.select_option("#language-select", "lt")
    expect(page.locator("h1")).to_have_text("Klientai")
    page.screenshot(path=str(shots_dir / "client-list-lt.png"))

    page.context.clear_cookies()
    page.goto(live_server.url + "/accounts/login/")
    page.fill("input[name=username]", "lead.north@demo.crm")
    page.fill("input[name=password]", "demo12345")
    page.click("button[type=submit]")
    page.wait_for_url(live_server.url + "/my-day/")
    page.goto(live_server.url + "/dashboards/complaints/?period=90")
    page.select_option("#language-select", "en")  # the demo lead works in Lithuanian
    expect(page.locator("h1")).to_contain_text("Complaints analysis")
    page.wait_for_timeout(400)  # the charts' short animation
    page.screenshot(path=str(shots_dir / "complaint-analysis.png"), full_page=True)
    names = [
        "my-day",
        "client-list",
        "client-detail",
        "client-detail-phone",
        "client-list-lt",
        "order-list",
        "order-detail",
    ]
    for name in names:
        assert (shots_dir / f"{name}.png").stat().st_size > 10_000
