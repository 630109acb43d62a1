"""Optional TOTP two-factor sign-in (django-otp): set-up on the profile page, the code step of the sign-in, removal
with the password, the API token, and REQUIRE_ADMIN_2FA for administrators."""

import base64
import re
import time
from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.urls import reverse
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.authtoken.models import Token

from accounts import services
from accounts.views import PENDING_SIGN_IN
from tests.factories.accounts import PASSWORD

LOGIN = reverse("accounts:login")
LOGIN_CODE = reverse("accounts:login_code")
SETUP = reverse("accounts:two_factor_setup")
REMOVE = reverse("accounts:two_factor_remove")
PROFILE = reverse("accounts:profile")
TOKEN = "/api/v1/auth/token/"


def code(device, *, steps_ahead=0) -> str:
    """The code the user's app shows (steps_ahead=1: the next one, for a second sign-in within 30 seconds)."""
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() + steps_ahead * device.step
    return f"{totp.token():06d}"


def wrong_code(device) -> str:
    right = {code(device, steps_ahead=offset) for offset in (-1, 0, 1)}
    return next(candidate for candidate in ("000000", "111111", "222222", "333333") if candidate not in right)


@pytest.fixture
def device(org):
    """The manager has two-factor sign-in on."""
    pending = services.start_two_factor_setup(user=org.manager)
    return services.confirm_two_factor(user=org.manager, code=code(pending))


def signed_in(client) -> bool:
    return "_auth_user_id" in client.session


def sign_in_with_password(client, user, **extra):
    return client.post(LOGIN, {"username": user.email, "password": PASSWORD}, **extra)


# --- set-up --------------------------------------------------------------------------------------------------------


def test_profile_offers_two_factor_when_it_is_off(client, org):
    client.force_login(org.manager)

    body = client.get(PROFILE).content.decode()

    assert "Set up two-factor sign-in" in body
    assert REMOVE not in body


def test_setup_page_shows_the_key_as_an_inline_qr_code_and_as_text(client, org):
    client.force_login(org.manager)

    response = client.get(SETUP)

    assert response.status_code == 200
    pending = TOTPDevice.objects.get(user=org.manager)
    assert pending.confirmed is False
    body = response.content.decode()
    assert '<svg width="' in body  # drawn on the server: no request to a QR code service
    assert "<img" not in body
    secret = base64.b32encode(pending.bin_key).decode()
    assert re.search(r'<code id="two-factor-secret">([A-Z2-7 ]+)</code>', body).group(1).replace(" ", "") == secret
    # a reload shows the same key: the app may already have scanned it
    client.get(SETUP)
    assert TOTPDevice.objects.get(user=org.manager).pk == pending.pk


def test_a_right_code_switches_two_factor_on_and_verifies_the_session(client, org):
    client.force_login(org.manager)
    client.get(SETUP)
    pending = TOTPDevice.objects.get(user=org.manager)

    response = client.post(SETUP, {"code": code(pending)[:3] + " " + code(pending)[3:]})

    assert response.status_code == 302
    assert response["Location"] == PROFILE
    pending.refresh_from_db()
    assert pending.confirmed is True
    assert client.session[DEVICE_ID_SESSION_KEY] == pending.persistent_id
    body = client.get(PROFILE).content.decode()
    assert "Two-factor sign-in is on" in body
    assert REMOVE in body


def test_a_wrong_code_leaves_two_factor_off(client, org):
    client.force_login(org.manager)
    client.get(SETUP)
    pending = TOTPDevice.objects.get(user=org.manager)

    response = client.post(SETUP, {"code": wrong_code(pending)})

    assert response.status_code == 400
    assert "That code is not right." in response.content.decode()
    assert TOTPDevice.objects.get(user=org.manager).confirmed is False
    assert DEVICE_ID_SESSION_KEY not in client.session


def test_a_new_phone_replaces_the_old_key_once_confirmed(client, org, device):
    client.force_login(org.manager)
    client.get(SETUP)
    new = TOTPDevice.objects.get(user=org.manager, confirmed=False)
    assert new.key != device.key

    assert client.post(SETUP, {"code": code(new)}).status_code == 302

    assert list(TOTPDevice.objects.filter(user=org.manager).values_list("pk", "confirmed")) == [(new.pk, True)]


# --- signing in -----------------------------------------------------------------------------------------------------


def test_without_two_factor_the_password_signs_in(client, org):
    assert sign_in_with_password(client, org.manager).status_code == 302
    assert signed_in(client)


def test_with_two_factor_the_password_leads_to_the_code_step_without_signing_in(client, org, device):
    response = client.post(f"{LOGIN}?next=/clients/", {"username": org.manager.email, "password": PASSWORD})

    assert response.status_code == 302
    assert response["Location"] == LOGIN_CODE
    assert not signed_in(client)
    assert client.get("/clients/").status_code == 302  # still anonymous
    assert "authenticator app" in client.get(LOGIN_CODE).content.decode()


def test_the_right_code_signs_in_verified_and_goes_on(client, org, device):
    client.post(f"{LOGIN}?next=/clients/", {"username": org.manager.email, "password": PASSWORD})

    response = client.post(LOGIN_CODE, {"code": code(device, steps_ahead=1)})

    assert response.status_code == 302
    assert response["Location"] == "/clients/"
    assert signed_in(client)
    assert client.session[DEVICE_ID_SESSION_KEY] == device.persistent_id
    assert PENDING_SIGN_IN not in client.session


def test_a_wrong_code_does_not_sign_in(client, org, device):
    sign_in_with_password(client, org.manager)

    response = client.post(LOGIN_CODE, {"code": wrong_code(device)})

    assert response.status_code == 400
    assert "That code is not right." in response.content.decode()
    assert not signed_in(client)


def test_a_code_cannot_be_used_twice(client, org, device):
    used = code(device, steps_ahead=1)
    sign_in_with_password(client, org.manager)
    assert client.post(LOGIN_CODE, {"code": used}).status_code == 302
    client.logout()

    sign_in_with_password(client, org.manager)
    response = client.post(LOGIN_CODE, {"code": used})

    assert response.status_code == 400
    assert not signed_in(client)


def test_the_code_step_without_the_password_step_sends_back_to_sign_in(client, org, device):
    response = client.post(LOGIN_CODE, {"code": code(device)})

    assert response.status_code == 302
    assert response["Location"] == LOGIN
    assert not signed_in(client)


def test_the_code_step_expires_after_five_minutes(client, org, device):
    sign_in_with_password(client, org.manager)
    session = client.session
    session[PENDING_SIGN_IN] = {**session[PENDING_SIGN_IN], "at": time.time() - 301}
    session.save()

    response = client.post(LOGIN_CODE, {"code": code(device, steps_ahead=1)})

    assert response.status_code == 302
    assert response["Location"] == LOGIN
    assert not signed_in(client)


def test_wrong_codes_count_towards_the_lockout(client, org, device, settings):
    settings.AXES_ENABLED = True
    settings.AXES_FAILURE_LIMIT = 5
    settings.AXES_COOLOFF_TIME = timedelta(minutes=15)
    client.post(LOGIN, {"username": org.manager.email, "password": "wrong"})  # one wrong password
    sign_in_with_password(client, org.manager)
    for _ in range(3):
        TOTPDevice.objects.filter(pk=device.pk).update(throttling_failure_count=0)  # django-otp's own wait aside
        assert client.post(LOGIN_CODE, {"code": wrong_code(device)}).status_code == 400

    TOTPDevice.objects.filter(pk=device.pk).update(throttling_failure_count=0)
    response = client.post(LOGIN_CODE, {"code": wrong_code(device)})

    assert response.status_code == 429
    assert "Too many failed sign-in attempts" in response.content.decode()
    assert AccessAttempt.objects.get().failures_since_start == 5
    # locked out: neither the right code nor the password helps now
    assert client.post(LOGIN_CODE, {"code": code(device, steps_ahead=1)}).status_code == 429
    assert sign_in_with_password(client, org.manager).status_code == 429
    assert not signed_in(client)


def test_django_otp_also_slows_down_guessing(org, device, settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 60  # the first wait: 60 s instead of 1 s, longer than this test
    assert services.verify_second_factor(user=org.manager, code=wrong_code(device)) is None

    # right after a wrong code even the right one is not checked
    assert services.verify_second_factor(user=org.manager, code=code(device)) is None
    device.refresh_from_db()
    assert device.throttling_failure_count == 1


# --- switching it off -----------------------------------------------------------------------------------------------


def test_switching_off_needs_the_password(client, org, device):
    client.force_login(org.manager)

    response = client.post(REMOVE, {"password": "not-my-password"})

    assert response.status_code == 400
    assert "That is not your password." in response.content.decode()
    assert TOTPDevice.objects.filter(user=org.manager, confirmed=True).exists()


def test_switching_off_with_the_password_removes_the_key(client, org, device):
    client.force_login(org.manager)

    response = client.post(REMOVE, {"password": PASSWORD})

    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=org.manager).exists()
    client.logout()
    assert sign_in_with_password(client, org.manager).status_code == 302
    assert signed_in(client)


def test_switching_off_is_refused_to_administrators_when_required(client, org, settings):
    settings.REQUIRE_ADMIN_2FA = True
    pending = services.start_two_factor_setup(user=org.admin)
    admin_device = services.confirm_two_factor(user=org.admin, code=code(pending))
    client.post(LOGIN, {"username": org.admin.email, "password": PASSWORD})
    client.post(LOGIN_CODE, {"code": code(admin_device, steps_ahead=1)})

    response = client.post(REMOVE, {"password": PASSWORD})

    assert response.status_code == 302
    assert TOTPDevice.objects.filter(user=org.admin, confirmed=True).exists()


# --- REQUIRE_ADMIN_2FA ------------------------------------------------------------------------------------------------


def test_by_default_administrators_need_no_second_factor(client, org):
    client.force_login(org.admin)

    assert client.get("/clients/").status_code == 200
    assert client.get("/admin/").status_code == 200


@pytest.mark.parametrize("path", ["/clients/", "/admin/", "/admin/accounts/user/", "/my-day/"])
def test_when_required_an_administrator_sets_it_up_before_anything_else(client, org, settings, path):
    settings.REQUIRE_ADMIN_2FA = True
    client.force_login(org.admin)

    response = client.get(path)

    assert response.status_code == 302
    assert response["Location"] == SETUP


def test_when_required_the_setup_page_says_why_and_then_lets_the_administrator_in(client, org, settings):
    settings.REQUIRE_ADMIN_2FA = True
    client.force_login(org.admin)

    body = client.get(SETUP).content.decode()
    assert "Administrators must sign in with two-factor authentication." in body
    pending = TOTPDevice.objects.get(user=org.admin)
    assert client.post(SETUP, {"code": code(pending)}).status_code == 302

    assert client.get("/clients/").status_code == 200
    assert client.get("/admin/").status_code == 200


def test_when_required_an_administrator_may_still_sign_out(client, org, settings):
    settings.REQUIRE_ADMIN_2FA = True
    client.force_login(org.admin)

    response = client.post(reverse("accounts:logout"))

    assert response.status_code == 302
    assert not signed_in(client)


def test_when_required_a_session_from_before_the_key_signs_in_again(client, org, settings):
    settings.REQUIRE_ADMIN_2FA = True
    pending = services.start_two_factor_setup(user=org.admin)
    services.confirm_two_factor(user=org.admin, code=code(pending))
    client.force_login(org.admin)  # a session that never gave a code

    response = client.get("/admin/")

    assert response.status_code == 302
    assert response["Location"] == f"{LOGIN}?next=/admin/"
    assert not signed_in(client)


def test_when_required_the_api_refuses_an_unverified_administrator_session(client, org, settings):
    settings.REQUIRE_ADMIN_2FA = True
    client.force_login(org.admin)

    response = client.get("/api/v1/clients/")

    assert response.status_code == 403
    assert response.json() == {"detail": "Administrators must sign in with two-factor authentication."}


def test_when_required_managers_are_not_concerned(client, org, settings):
    settings.REQUIRE_ADMIN_2FA = True
    client.force_login(org.manager)

    assert client.get("/clients/").status_code == 200


# --- the API token -------------------------------------------------------------------------------------------------


def test_the_token_endpoint_asks_for_the_code_of_a_user_with_two_factor(api, org, device):
    response = api.post(TOKEN, {"username": org.manager.email, "password": PASSWORD})

    assert response.status_code == 400
    assert response.json() == {"non_field_errors": ["Send the current code of your authenticator app as otp_token."]}
    assert not Token.objects.exists()


def test_the_token_endpoint_gives_a_token_with_the_code(api, org, device):
    payload = {"username": org.manager.email, "password": PASSWORD, "otp_token": code(device, steps_ahead=1)}

    response = api.post(TOKEN, payload)

    assert response.status_code == 200
    assert response.json() == {"token": Token.objects.get(user=org.manager).key}


def test_wrong_codes_at_the_token_endpoint_count_towards_the_lockout(api, org, device, settings):
    settings.AXES_ENABLED = True
    settings.AXES_FAILURE_LIMIT = 5
    for _ in range(4):
        TOTPDevice.objects.filter(pk=device.pk).update(throttling_failure_count=0)
        payload = {"username": org.manager.email, "password": PASSWORD, "otp_token": wrong_code(device)}
        assert api.post(TOKEN, payload).status_code == 400

    TOTPDevice.objects.filter(pk=device.pk).update(throttling_failure_count=0)
    payload = {"username": org.manager.email, "password": PASSWORD, "otp_token": wrong_code(device)}
    assert api.post(TOKEN, payload).status_code == 429
    payload["otp_token"] = code(device, steps_ahead=1)
    assert api.post(TOKEN, payload).status_code == 429
    assert not Token.objects.exists()


def test_when_required_an_administrator_without_a_key_gets_no_token(api, org, settings):
    settings.REQUIRE_ADMIN_2FA = True

    response = api.post(TOKEN, {"username": org.admin.email, "password": PASSWORD})

    assert response.status_code == 400
    assert response.json() == {"non_field_errors": ["Set up two-factor sign-in on your profile page first."]}


def test_the_admin_lists_keys_without_showing_them(client, org, device):
    client.force_login(org.admin)

    listing = client.get("/admin/otp_totp/totpdevice/").content.decode()
    page = client.get(f"/admin/otp_totp/totpdevice/{device.pk}/change/").content.decode()

    assert str(org.manager) in listing
    assert device.key not in listing + page
    assert base64.b32encode(device.bin_key).decode() not in listing + page
    assert "qrcode" not in listing + page
