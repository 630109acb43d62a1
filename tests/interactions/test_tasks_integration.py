"""Reminders travel through the real broker to a real Celery worker and go out exactly once."""

import threading
import time
from datetime import timedelta
from unittest import mock

import pytest
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend
from django.db import connection
from django.utils import timezone

from interactions.models import Notification, Reminder
from interactions.services.follow_ups import create_follow_up
from interactions.services.reminders import deliver_reminder
from interactions.tasks import deliver_reminder_task, sweep_reminders_task
from tests.live_worker import wait_until

# The worker reads the rows through its own connection: the data must be committed.
pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]

DELIVER = "interactions.tasks.deliver_reminder_task"


@pytest.fixture
def due_reminder(org):
    follow_up = create_follow_up(
        actor=org.manager, client=org.client, title="Call back", due_at=timezone.now() - timedelta(minutes=1)
    )
    return Reminder.objects.get(follow_up=follow_up)


def test_sweep_through_the_broker_delivers_a_due_reminder_once(org, due_reminder, finished, worker):
    sweep_reminders_task.delay()

    wait_until(lambda: (DELIVER, (due_reminder.pk,)) in finished)

    assert [m.to for m in mail.outbox] == [[org.manager.email]]
    assert mail.outbox[0].subject == "Reminder: Call back"
    assert Notification.objects.filter(recipient=org.manager).count() == 1
    due_reminder.refresh_from_db()
    assert due_reminder.status == "sent"


def test_the_same_reminder_enqueued_twice_is_sent_once(org, due_reminder, finished, worker):
    deliver_reminder_task.delay(due_reminder.pk)
    deliver_reminder_task.delay(due_reminder.pk)

    wait_until(lambda: finished.count((DELIVER, (due_reminder.pk,))) == 2)

    assert len(mail.outbox) == 1
    assert Notification.objects.count() == 1
    due_reminder.refresh_from_db()
    assert due_reminder.status == "sent"


def test_two_concurrent_deliveries_send_one_email(org, due_reminder):
    if connection.vendor != "postgresql":
        pytest.skip("needs row locks: SQLite serialises the two transactions with BEGIN IMMEDIATE")
    barrier = threading.Barrier(2)
    results = []
    original_send = EmailBackend.send_messages

    def slow_send(self, messages):
        time.sleep(0.5)  # the second delivery runs while the first still holds the row
        return original_send(self, messages)

    def deliver():
        try:
            barrier.wait(timeout=10)
            results.append(deliver_reminder(due_reminder.pk))
        finally:
            connection.close()  # this thread's own connection

    with mock.patch.object(EmailBackend, "send_messages", slow_send):
        threads = [threading.Thread(target=deliver) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=30)

    assert sorted(results) == [False, True]
    assert len(mail.outbox) == 1
    assert Notification.objects.count() == 1
    due_reminder.refresh_from_db()
    assert (due_reminder.status, due_reminder.attempts) == ("sent", 0)
