"""Overdue-order notices travel through the real broker to a real Celery worker and go out exactly once."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from interactions.models import Notification
from orders.models import OrderStatus, OverdueNotice, settings_zone
from orders.tasks import sweep_overdue_orders_task
from tests.factories.orders import line, make_order
from tests.live_worker import wait_until

# The worker reads the rows through its own connection: the data must be committed.
pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]

SWEEP = "orders.tasks.sweep_overdue_orders_task"
DELIVER = "orders.tasks.deliver_overdue_notice_task"


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
