"""Writes about staff: profile changes and the password reset e-mail."""

from django.contrib.auth.tokens import default_token_generator
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

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
        transaction.on_commit(lambda uid=user_id: send_password_reset_email_task.delay(uid, domain, protocol))


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
