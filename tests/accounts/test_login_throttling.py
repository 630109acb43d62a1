"""Login throttling (django-axes): 5 failures of one e-mail address from one IP address lock that pair out for 15
minutes, on the sign-in page and the API token endpoint alike."""

from datetime import timedelta

import pytest
from axes.models import AccessAttempt, AccessFailureLog
from django.urls import reverse
from rest_framework.authtoken.models import Token

from tests.factories.accounts import PASSWORD

LOGIN = reverse("accounts:login")
TOKEN = "/api/v1/auth/token/"
LOCKED = "Too many failed sign-in attempts"


@pytest.fixture(autouse=True)
def _axes_on(settings):
    # tests/conftest.py switches django-axes off for the test client's login(); these tests are about it.
    settings.AXES_ENABLED = True
    settings.AXES_FAILURE_LIMIT = 5
    settings.AXES_COOLOFF_TIME = timedelta(minutes=15)


def sign_in(client, email, password, **extra):
    return client.post(LOGIN, {"username": email, "password": password}, **extra)


def signed_in(client) -> bool:
    return "_auth_user_id" in client.session


def test_four_wrong_passwords_only_say_the_password_is_wrong(client, org):
    for _ in range(4):
        response = sign_in(client, org.manager.email, "wrong")
        assert response.status_code == 200
        assert "Wrong e-mail or password" in response.content.decode()

    assert sign_in(client, org.manager.email, PASSWORD).status_code == 302
    assert signed_in(client)


def test_the_fifth_wrong_password_locks_the_sign_in_out_with_a_friendly_page(client, org):
    for _ in range(4):
        sign_in(client, org.manager.email, "wrong")

    response = sign_in(client, org.manager.email, "wrong")

    assert response.status_code == 429
    assert response["Retry-After"] == "900"
    assert "accounts/login.html" in [t.name for t in response.templates]
    body = response.content.decode()
    assert 'id="locked-out"' in body
    assert (
        f"{LOCKED}. For your security, signing in with this e-mail address from this network is paused for 15 minutes."
        in body
    )
    assert "Wrong e-mail or password" not in body
    assert not signed_in(client)


def test_while_locked_out_even_the_right_password_is_refused(client, org):
    for _ in range(5):
        sign_in(client, org.manager.email, "wrong")

    response = sign_in(client, org.manager.email, PASSWORD)

    assert response.status_code == 429
    assert LOCKED in response.content.decode()
    assert not signed_in(client)
    # refused tries during the lockout are not counted: it ends when the page says
    assert AccessAttempt.objects.get().failures_since_start == 5


def test_the_lockout_ends_after_15_minutes(client, org):
    for _ in range(5):
        sign_in(client, org.manager.email, "wrong")
    AccessAttempt.objects.update(attempt_time=AccessAttempt.objects.get().attempt_time - timedelta(minutes=16))

    response = sign_in(client, org.manager.email, PASSWORD)

    assert response.status_code == 302
    assert signed_in(client)


def test_the_lockout_holds_only_for_that_address_from_that_ip(client, org):
    for _ in range(5):
        sign_in(client, org.manager.email, "wrong", REMOTE_ADDR="203.0.113.7")

    # the same person from the office, and a colleague from the attacker's address, still sign in
    assert sign_in(client, org.manager.email, PASSWORD, REMOTE_ADDR="198.51.100.1").status_code == 302
    client.logout()
    assert sign_in(client, org.teammate.email, PASSWORD, REMOTE_ADDR="203.0.113.7").status_code == 302


def test_changing_the_case_of_the_address_does_not_reset_the_count(client, org):
    variants = [org.manager.email, org.manager.email.upper(), org.manager.email.title(), " " + org.manager.email]
    for email in variants:
        sign_in(client, email, "wrong")

    response = sign_in(client, org.manager.email.upper(), "wrong")

    assert response.status_code == 429
    assert AccessAttempt.objects.get().username == org.manager.email


def test_a_successful_sign_in_resets_the_count(client, org):
    for _ in range(4):
        sign_in(client, org.manager.email, "wrong")
    assert sign_in(client, org.manager.email, PASSWORD).status_code == 302
    client.logout()

    for _ in range(4):
        assert sign_in(client, org.manager.email, "wrong").status_code == 200
    assert sign_in(client, org.manager.email, PASSWORD).status_code == 302


def test_failures_are_kept_for_administrators_without_the_password(client, org):
    for _ in range(5):
        sign_in(client, org.manager.email, "wrong-secret")

    logs = AccessFailureLog.objects.order_by("pk")
    assert [log.locked_out for log in logs] == [False, False, False, False, True]
    assert {log.username for log in logs} == {org.manager.email}
    tries = AccessAttempt.objects.get().post_data.split("\n---------\n")  # one block per failure
    assert tries == ["username=********************\npassword=********************"] * 5


def test_behind_the_proxy_the_visitors_address_is_counted(client, org, settings):
    settings.NUM_PROXIES = 1
    for _ in range(5):
        sign_in(client, org.manager.email, "wrong", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="203.0.113.7")

    assert AccessAttempt.objects.get().ip_address == "203.0.113.7"
    # another visitor through the same proxy is not locked out
    response = sign_in(client, org.manager.email, PASSWORD, REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="198.51.100.1")
    assert response.status_code == 302


# --- the API token endpoint ---------------------------------------------------------------------------------------


def test_the_token_endpoint_locks_out_after_five_wrong_passwords(api, org):
    for _ in range(4):
        response = api.post(TOKEN, {"username": org.manager.email, "password": "wrong"})
        assert response.status_code == 400

    response = api.post(TOKEN, {"username": org.manager.email, "password": "wrong"})

    assert response.status_code == 429
    assert response["Retry-After"] == "900"
    assert response.json()["detail"].startswith(LOCKED)
    response = api.post(TOKEN, {"username": org.manager.email, "password": PASSWORD})
    assert response.status_code == 429
    assert not Token.objects.exists()


def test_the_web_form_and_the_token_endpoint_share_the_count(client, api, org):
    for _ in range(3):
        sign_in(client, org.manager.email, "wrong")
    for _ in range(2):
        api.post(TOKEN, {"username": org.manager.email, "password": "wrong"}, format="json")

    assert sign_in(client, org.manager.email, PASSWORD).status_code == 429
    assert api.post(TOKEN, {"username": org.manager.email, "password": PASSWORD}).status_code == 429


def test_the_token_endpoint_still_gives_a_token_to_the_right_password(api, org):
    response = api.post(TOKEN, {"username": org.manager.email, "password": PASSWORD})

    assert response.status_code == 200
    assert response.json() == {"token": Token.objects.get(user=org.manager).key}


# --- one sign-in page -----------------------------------------------------------------------------------------------


def test_the_admin_sign_in_page_sends_to_the_sites_sign_in_page(client, org):
    response = client.get("/admin/login/?next=/admin/accounts/user/")

    assert response.status_code == 302
    assert response["Location"] == f"{LOGIN}?next=/admin/accounts/user/"


def test_the_admin_sign_in_page_cannot_be_posted_to_around_the_throttling(client, org):
    response = client.post("/admin/login/", {"username": org.admin.email, "password": PASSWORD})

    assert response.status_code == 302
    assert not signed_in(client)


def test_a_signed_in_manager_opening_the_admin_is_refused(client, org):
    client.force_login(org.manager)

    assert client.get("/admin/login/?next=/admin/").status_code == 403


def test_a_signed_in_administrator_goes_to_the_admin(client, org):
    client.force_login(org.admin)

    response = client.get("/admin/login/")

    assert response.status_code == 302
    assert response["Location"] == reverse("admin:index")
