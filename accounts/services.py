"""Writes about staff: profile changes, the password reset e-mail and two-factor sign-in."""

from django.contrib.auth.tokens import default_token_generator
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext
from django_otp.plugins.otp_totp.models import TOTPDevice

from core.enqueue import enqueue_on_commit
from core.exceptions import ApplicationError

from .models import User


def update_profile(
    *, user: User, full_name: str, language: str, time_zone: str, reminder_lead_minutes: int = 0
) -> User:
    """Save the user's own name, language, time zone and reminder lead time."""
    user.full_name = full_name
    user.language = language
    user.time_zone = time_zone
    user.reminder_lead_minutes = reminder_lead_minutes
    user.full_clean(exclude=["password"])
    user.save(update_fields=["full_name", "language", "time_zone", "reminder_lead_minutes"])
    return user


def set_language(*, user: User, language: str) -> None:
    """Remember the UI language chosen in the header switcher."""
    user.language = language
    user.save(update_fields=["language"])


def request_password_reset(*, email: str, domain: str, protocol: str) -> None:
    """Queue a reset e-mail for each active user with this address, after the commit.

    The answer to the visitor never depends on whether the address exists.
    """
    from .tasks import send_password_reset_email_task

    for user_id in User.objects.filter(email__iexact=email, is_active=True).values_list("id", flat=True):
        # Not a row: with the broker down this e-mail is lost (logged); the visitor asks again.
        enqueue_on_commit(send_password_reset_email_task, user_id, domain, protocol)


def send_password_reset_email(*, user_id: int, domain: str, protocol: str) -> bool:
    """Render and send the reset e-mail in the user's language; False if the user is gone."""
    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is None or not user.has_usable_password():
        return False
    context = {
        "user": user,
        "domain": domain,
        "protocol": protocol,
        "uid": urlsafe_base64_encode(force_bytes(user.pk)),
        "token": default_token_generator.make_token(user),
    }
    with translation.override(user.language):
        subject = render_to_string("accounts/email/password_reset_subject.txt", context).strip()
        body = render_to_string("accounts/email/password_reset_body.txt", context)
    message = EmailMultiAlternatives(subject=" ".join(subject.splitlines()), body=body, to=[user.email])
    message.send()
    return True


# --- Two-factor sign-in (TOTP, django-otp) ----------------------------------------------------------------------


def clean_code(code) -> str:
    """The six digits an authenticator app shows, however they were typed ("123 456", " 123456 ")."""
    return "".join(str(code or "").split())


def start_two_factor_setup(*, user: User) -> TOTPDevice:
    """The authenticator key being set up: the pending one if any (a reload shows the same QR code), else a new one.

    A confirmed key keeps working until the new one is confirmed.
    """
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=gettext("Authenticator app"), confirmed=False)
    return device


def confirm_two_factor(*, user: User, code: str) -> TOTPDevice:
    """Switch two-factor sign-in on with the pending key, proven by a code from it; any older key is removed."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-pk").first()
    if device is None:
        raise ApplicationError(gettext("The set-up has expired. Scan the new QR code and try again."))
    # Outside a transaction: a wrong code's throttling count (django-otp) must be kept when we raise.
    if not device.verify_token(clean_code(code)):
        raise ApplicationError(
            gettext("That code is not right. Enter the 6 digits your app shows now for this account."), field="code"
        )
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
        device.confirmed = True
        device.save(update_fields=["confirmed"])
    return device


def remove_two_factor(*, user: User) -> int:
    """Switch two-factor sign-in off: every key of the user is deleted (the caller has checked the password)."""
    deleted, _by_model = TOTPDevice.objects.filter(user=user).delete()
    return deleted


def verify_second_factor(*, user: User, code: str) -> TOTPDevice | None:
    """The user's confirmed key if `code` is its current code, else None.

    django-otp also slows down guessing on its own (each wrong code doubles the wait before the next is checked)
    and refuses a code already used.
    """
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None or not device.verify_token(clean_code(code)):
        return None
    return device
