"""The README's screenshots, taken from the demo data in Debian chromium.

`make screenshots` writes them to docs/screenshots/; in the normal suite the same
journey runs and checks the pages, with the images going to a temporary folder.
"""

import os
import re
from datetime import timedelta
from pathlib import Path

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import expect

from clients.models import Client
from complaints.models import OPEN_STATUSES, Complaint
from contacts.models import Contact
from feedback.models import SurveyTemplate, TriggerKind
from feedback.services.delivery import deliver_survey
from feedback.services.scheduling import schedule_survey
from orders.models import Order
from segments.models import Segment

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def shots_dir(tmp_path):
    target = Path(os.environ.get("SCREENSHOTS_DIR") or tmp_path)
    target.mkdir(parents=True, exist_ok=True)
    return target


def test_readme_screenshots_of_list_and_client_page(live_server, page, shots_dir, settings):
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
    page.goto(live_server.url + "/dashboards/feedback/?period=90")
    expect(page.locator("#feedback-kpi-nps")).to_be_visible()
    page.wait_for_timeout(400)
    page.screenshot(path=str(shots_dir / "feedback-analysis.png"), full_page=True)
    page.goto(live_server.url + "/dashboards/?period=90")
    expect(page.locator("#kpi-interactions .kpi-value")).not_to_have_text("—")
    expect(page.locator("canvas[data-stacked]")).to_be_visible()  # charts.js has drawn
    expect(page.locator("#manager-table tbody tr").first).to_be_visible()
    page.wait_for_timeout(400)
    page.screenshot(path=str(shots_dir / "dashboard.png"), full_page=True)
    page.set_viewport_size({"width": 390, "height": 844})
    page.wait_for_timeout(400)  # the charts follow the new width
    assert page.evaluate("document.documentElement.scrollWidth") <= 390  # nothing widens the page
    page.screenshot(path=str(shots_dir / "dashboard-phone.png"))
    page.set_viewport_size({"width": 1366, "height": 900})

    # a segment as the lead sees it (their team's members), then the administrator's rule builder
    big_spenders = Segment.objects.get(name="Big spenders last 90 days")
    page.goto(live_server.url + f"/segments/{big_spenders.pk}/")
    expect(page.locator("#segment-summary")).to_be_visible()
    page.wait_for_timeout(400)
    page.screenshot(path=str(shots_dir / "segment-detail.png"), full_page=True)
    page.context.clear_cookies()
    page.goto(live_server.url + "/accounts/login/")
    page.fill("input[name=username]", "admin@demo.crm")
    page.fill("input[name=password]", "demo12345")
    page.click("button[type=submit]")
    vip_vilnius = Segment.objects.get(name="VIP in Vilnius")
    page.goto(live_server.url + f"/segments/{vip_vilnius.pk}/edit/")
    expect(page.locator("#preview-count")).to_be_visible()
    page.screenshot(path=str(shots_dir / "segment-builder.png"), full_page=True)

    # what a client sees from the survey e-mail, on a phone
    page.context.clear_cookies()
    quiet = (
        Client.objects.filter(account_manager__email="manager1@demo.crm", status="active")
        .exclude(complaints__status__in=OPEN_STATUSES)
        .first()
    )  # an open complaint would (rightly) hold the survey back
    contact = Contact.objects.create(client=quiet, full_name="Ona Kazlauskienė", email="ona@example.com", language="en")
    now = timezone.localtime().replace(hour=10, minute=0, second=0, microsecond=0)
    while now.weekday() >= 5 or now > timezone.now():
        now -= timedelta(days=1)
    survey = schedule_survey(
        trigger=TriggerKind.MANUAL,
        contact=contact,
        source_key="manual:screenshot",
        at=now,
        template=SurveyTemplate.objects.get(kind="nps"),
    )
    settings.SITE_URL = live_server.url
    assert deliver_survey(survey.pk, now=now)
    link = re.search(r"(http://\S+/s/\S+/\?score=9)\b", mail.outbox[-1].body).group(1)
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(link)
    expect(page.locator("input[name=score][value='9']")).to_be_checked()
    page.screenshot(path=str(shots_dir / "survey-answer-phone.png"), full_page=True)
    names = [
        "my-day",
        "client-list",
        "client-detail",
        "client-detail-phone",
        "client-list-lt",
        "order-list",
        "order-detail",
        "dashboard",
        "dashboard-phone",
    ]
    for name in names:
        assert (shots_dir / f"{name}.png").stat().st_size > 10_000
