"""A manager takes an order and follows it to delivery, in a real browser (Debian chromium)."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from orders.models import Order, OrderStatus
from tests.factories.accounts import PASSWORD, ManagerFactory, TeamFactory
from tests.factories.clients import ClientFactory
from tests.factories.orders import ProductFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _fast_hasher(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def test_manager_creates_order_with_two_lines_delivers_it_and_sees_revenue_change(live_server, page, sign_in):
    manager = ManagerFactory(full_name="Mantas Owner", team=TeamFactory(name="North"), language="en")
    client = ClientFactory(name="Baltic Timber UAB", account_manager=manager, tier="vip", discount_percent=Decimal(10))
    ProductFactory(name="Pallet wrap film", sku="PW-500", unit="roll", default_price=Decimal("12.50"))

    sign_in(manager, PASSWORD)
    page.goto(live_server.url + client.get_absolute_url())
    figures = page.locator("#client-figures")
    expect(figures).to_contain_text("Revenue, 12 months")
    expect(figures.locator(".figure").first.locator("dd")).to_have_text("—")

    page.locator("#client-orders").get_by_role("link", name="New order").click()
    expect(page.locator("h1")).to_have_text("New order")
    page.wait_for_load_state()
    promised = timezone.localdate() + datetime.timedelta(days=5)
    page.fill("#id_promised_on", promised.isoformat())

    # line 1: a catalogue product fills description, unit and price; the client's 10 % is proposed
    page.select_option("#id_lines-0-product", label="Pallet wrap film (PW-500)")
    expect(page.locator("#id_lines-0-unit_price")).to_have_value("12.5")
    expect(page.locator("#id_lines-0-discount_percent")).to_have_value("10")
    page.fill("#id_lines-0-quantity", "3")
    expect(page.locator("#total-lines-0")).to_have_text("€33.75")

    # line 2: added by htmx, free text
    page.get_by_role("button", name="Add line").click()
    page.locator("#id_lines-1-description").wait_for()
    page.fill("#id_lines-1-description", "Installation work")
    page.fill("#id_lines-1-quantity", "2")
    page.fill("#id_lines-1-unit_price", "9.99")
    page.fill("#id_lines-1-discount_percent", "0")
    expect(page.locator("#total-lines-1")).to_have_text("€19.98")
    expect(page.locator("#order-totals .grand").last).to_have_text("€53.73")

    page.get_by_role("button", name="Create draft order").click()
    expect(page.locator("h1")).to_contain_text("Order ORD-")
    expect(page.locator(".page-head .badge-order-draft")).to_be_visible()
    order = Order.objects.get()
    assert order.total == Decimal("53.73")
    assert [line.description for line in order.lines.all()] == ["Pallet wrap film", "Installation work"]

    for button, status in [
        ("Confirm order", "Confirmed"),
        ("Start work", "In progress"),
        ("Mark shipped", "Shipped"),
        ("Mark delivered", "Delivered"),
    ]:
        page.get_by_role("button", name=button, exact=True).click()
        expect(page.locator(".page-head .sub .badge").first).to_have_text(status)
    expect(page.locator("#order-actions")).to_have_count(0)  # nothing more to do with a delivered order
    expect(page.locator("#order-details")).to_contain_text("on time")
    assert Order.objects.get().status == OrderStatus.DELIVERED

    page.goto(live_server.url + client.get_absolute_url())
    expect(figures.locator(".figure").first.locator("dd")).to_have_text("€53.73")
    expect(page.locator("#client-orders")).to_contain_text(order.number)
    expect(page.locator("#timeline-items")).to_contain_text(order.number)
