"""Access in a real browser under the Content-Security-Policy: two-factor set-up and sign-in, the lockout page, the
behaviours moved out of inline handlers (static/js/app.js), and the policy check of these tests itself."""

import re
import time

import pytest
from django.utils import timezone
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import expect

from interactions.services.calendar import create_calendar_feed
from tests.factories.accounts import PASSWORD, AdminFactory, ManagerFactory, TeamFactory
from tests.factories.clients import ClientFactory
from tests.factories.contacts import ContactFactory
from tests.factories.feedback import make_sent_survey
from tests.factories.interactions import FollowUpFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _fast_hasher(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def current_code(device, *, steps_ahead=0):
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() + steps_ahead * device.step
    return f"{totp.token():06d}"


def test_a_manager_sets_up_two_factor_and_signs_in_with_a_code(live_server, page, sign_in):
    manager = ManagerFactory(full_name="Mantas Owner", team=TeamFactory(name="North"), language="en")
    sign_in(manager, PASSWORD)

    page.goto(live_server.url + "/accounts/profile/")
    page.click("text=Set up two-factor sign-in")
    expect(page.locator(".two-factor-qr svg")).to_be_visible()
    secret = page.locator("#two-factor-secret").inner_text().replace(" ", "")
    device = TOTPDevice.objects.get(user=manager)
    assert re.fullmatch(r"[A-Z2-7]{32}", secret)
    page.fill("input[name=code]", current_code(device))
    page.click("text=Switch on two-factor sign-in")
    expect(page.locator(".messages")).to_contain_text("Two-factor sign-in is on")

    page.click("text=Log out")
    page.goto(live_server.url + "/accounts/login/")
    page.fill("input[name=username]", manager.email)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    expect(page.locator("h1")).to_have_text("Two-factor sign-in")
    page.fill("input[name=code]", "000000" if current_code(device) != "000000" else "111111")
    page.click("button[type=submit]")
    expect(page.locator(".errorlist")).to_contain_text("That code is not right.")

    time.sleep(2.1)  # django-otp waits a moment after a wrong code before it checks the next one
    page.fill("input[name=code]", current_code(device, steps_ahead=1))
    page.click("button[type=submit]")
    page.wait_for_url(live_server.url + "/my-day/")


def test_repeated_wrong_passwords_show_the_lockout_on_the_sign_in_page(live_server, page):
    manager = ManagerFactory(language="en")
    page.goto(live_server.url + "/accounts/login/")
    for _ in range(5):
        page.fill("input[name=username]", manager.email)
        page.fill("input[name=password]", "wrong")
        page.click("button[type=submit]")

    expect(page.locator("#locked-out")).to_contain_text("Too many failed sign-in attempts")
    page.fill("input[name=username]", manager.email)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    expect(page.locator("#locked-out")).to_be_visible()
    assert page.url == live_server.url + "/accounts/login/"


def test_behaviours_of_former_inline_handlers_still_work(live_server, page, sign_in):
    manager = ManagerFactory(full_name="Mantas Owner", team=TeamFactory(name="North"), language="en")
    client = ClientFactory(name="Baltic Timber UAB", account_manager=manager, tier="vip")
    FollowUpFactory(client=client, assignee=manager, title="Call about the VIP offer")
    create_calendar_feed(user=manager)
    sign_in(manager, PASSWORD)

    # a filter select submits its form by itself (data-autosubmit)
    page.goto(live_server.url + "/follow-ups/?state=open")
    page.select_option("#id_tier", "vip")
    page.wait_for_url(re.compile(r".*tier=vip.*"))
    expect(page.locator("body")).to_contain_text("Call about the VIP offer")

    # the calendar address is selected and copied with one click (data-copy)
    page.goto(live_server.url + "/accounts/profile/")
    page.click("[data-copy=calendar-feed-url]")
    expect(page.locator("[data-copy=calendar-feed-url]")).to_have_text("Copied")


def test_an_inline_script_would_be_blocked_and_reported(live_server, page, csp_violations):
    page.goto(live_server.url + "/accounts/login/")

    with pytest.raises(PlaywrightError, match="Content Security Policy"):
        page.add_script_tag(content="window.injected = true")

    assert page.evaluate("window.injected === undefined")
    assert csp_violations.found() != []
    csp_violations.clear()  # seen: the check of this module works


def test_the_swagger_api_docs_render_under_the_policy(live_server, page, sign_in):
    sign_in(ManagerFactory(language="en"), PASSWORD)

    page.goto(live_server.url + "/api/docs/")

    expect(page.locator(".swagger-ui .info").first).to_contain_text("CRM API")


def test_the_redoc_api_docs_render_under_the_policy_without_the_cdn_logo(live_server, page, sign_in, csp_violations):
    sign_in(ManagerFactory(language="en"), PASSWORD)

    # ReDoc's menu shows a logo from the Redocly CDN: the policy blocks that request (nothing leaves the site) and
    # ReDoc hides the broken image; every other part works.
    with page.expect_console_message(lambda message: "cdn.redoc.ly" in message.text):
        page.goto(live_server.url + "/api/redoc/")

    expect(page.locator(".api-info").first).to_contain_text("CRM API")
    assert [text for text in csp_violations.found() if "cdn.redoc.ly" not in text] == []
    csp_violations.clear()


def test_the_django_admin_works_under_the_policy(live_server, page, sign_in):
    admin = AdminFactory(full_name="Ada Admin", language="en")
    sign_in(admin, PASSWORD)

    for path in ("/admin/", "/admin/accounts/user/", f"/admin/accounts/user/{admin.pk}/change/"):
        page.goto(live_server.url + path)
        expect(page.locator("#content")).to_be_visible()
    make_sent_survey(contact=ContactFactory(), sent_at=timezone.now())
    page.goto(live_server.url + "/admin/feedback/surveyrequest/")
    expect(page.locator("select[name=action]")).to_contain_text("Cancel the selected survey links")
