"""The password reset e-mail travels through the real broker to a real Celery worker."""

import time

import pytest
from celery.contrib.testing.worker import start_worker
from django.core import mail
from django.urls import reverse

from crm.celery import app as celery_app
from tests.factories.accounts import ManagerFactory


@pytest.mark.integration
@pytest.mark.django_db(transaction=True)  # the worker reads the user through its own connection
def test_password_reset_email_is_sent_by_a_real_worker(client, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    user = ManagerFactory(email="reset.me@example.com", language="en")
    celery_app.conf.task_always_eager = False
    with start_worker(celery_app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
        response = client.post(reverse("accounts:password_reset"), {"email": user.email})
        assert response.status_code == 302
        deadline = time.monotonic() + 30
        while not mail.outbox and time.monotonic() < deadline:
            time.sleep(0.1)
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["reset.me@example.com"]
    assert "/accounts/password/reset/" in mail.outbox[0].body
