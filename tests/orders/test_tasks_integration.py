"""Overdue-order notices travel through the real broker to a real Celery worker and go out exactly once."""

import time
from datetime import timedelta

import pytest
from celery.contrib.testing.worker import start_worker
from celery.signals import task_postrun
from django.core import mail
from django.utils import timezone

from crm.celery import app as celery_app
from interactions.models import Notification
from orders.models import OrderStatus, OverdueNotice, settings_zone
from orders.tasks import sweep_overdue_orders_task
from tests.factories.orders import line, make_order

# The worker reads the rows through its own connection: the data must be committed.
pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]

SWEEP = "orders.tasks.sweep_overdue_orders_task"
DELIVER = "orders.tasks.deliver_overdue_notice_task"


@pytest.fixture
def finished():
    """(task name, args) of every task the worker has finished, in order."""
    done = []

    def record(sender=None, args=None, **kwargs):
        done.append((sender.name, tuple(args or ())))

    task_postrun.connect(record, weak=False)
    yield done
    task_postrun.disconnect(record)


@pytest.fixture
def worker():
    celery_app.conf.task_always_eager = False
    with start_worker(celery_app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
        yield


def wait_until(condition, timeout=30.0):
    deadline = time.monotonic() + timeout
    while not condition() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert condition(), "the worker did not finish in time"


@pytest.fixture
def late_order(org):
    yesterday = timezone.localdate(timezone=settings_zone()) - timedelta(days=1)
    return make_order(
        actor=org.manager, client=org.client, status=OrderStatus.CONFIRMED, promised_on=yesterday, lines=[line()]
    )


def test_sweep_through_the_broker_sends_one_email_and_a_second_sweep_sends_nothing(org, late_order, finished, worker):
    sweep_overdue_orders_task.delay()
    wait_until(lambda: any(name == DELIVER for name, _args in finished))

    notice = OverdueNotice.objects.get()
    assert (notice.order, notice.recipient, notice.status) == (late_order, org.manager, "sent")
    assert [m.to for m in mail.outbox] == [[org.manager.email]]
    assert mail.outbox[0].subject == f"Order {late_order.number} for Own Client UAB is overdue"
    assert Notification.objects.filter(recipient=org.manager).count() == 1

    sweep_overdue_orders_task.delay()
    wait_until(lambda: finished.count((SWEEP, ())) == 2)

    assert [name for name, _args in finished] == [SWEEP, DELIVER, SWEEP]
    assert len(mail.outbox) == 1
    assert Notification.objects.count() == 1
    assert OverdueNotice.objects.count() == 1
