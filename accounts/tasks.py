"""Celery tasks of the accounts app."""

from celery import shared_task

from . import services


@shared_task(acks_late=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def send_password_reset_email_task(user_id: int, domain: str, protocol: str) -> None:
    """Send the password reset e-mail; the token is made here, never carried by the broker."""
    services.send_password_reset_email(user_id=user_id, domain=domain, protocol=protocol)
