"""Overdue orders: one notice per missed promised date, delivered once to the account manager, retried on failure."""

from datetime import datetime, time, timedelta
from smtplib import SMTPException
from unittest import mock

import pytest
from django.core import mail
from django.core.mail import EmailMultiAlternatives
from django.utils import formats, timezone, translation

from core.outbox import DeliveryStatus
from interactions.models import Notification
from orders.models import Order, OrderStatus, OverdueNotice, settings_zone
from orders.services.orders import update_order
from orders.services.overdue import create_overdue_notices, deliver_overdue_notice, list_due_notices
from orders.services.workflow import transition_order
from orders.tasks import deliver_overdue_notice_task, sweep_overdue_orders_task
from tests.factories.accounts import ManagerFactory
from tests.factories.clients import ClientFactory
from tests.factories.orders import line, make_order


@pytest.fixture(autouse=True)
def _site(settings):
    settings.SITE_URL = "https://crm.example.com/"
    settings.TIME_ZONE = "Europe/Vilnius"


def today():
    """The company's calendar date now: the notices' rules use the real clock."""
    return timezone.localdate(timezone=settings_zone())


def days_ago(days: int):
    return today() - timedelta(days=days)


def overdue_order(org, *, status=OrderStatus.CONFIRMED, promised_on=None, client=None, actor=None):
    return make_order(
        actor=actor or org.manager,
        client=client or org.client,
        status=status,
        promised_on=promised_on or days_ago(1),
        lines=[line("Pallet", "2", "125.25")],
    )


def noticed(order) -> list[tuple]:
    return list(
        OverdueNotice.objects.filter(order=order).order_by("pk").values_list("promised_on", "recipient", "status")
    )


def test_each_open_overdue_order_gets_one_pending_notice_for_its_manager(org):
    now = timezone.now()
    open_orders = [
        overdue_order(org, status=status)
        for status in (OrderStatus.CONFIRMED, OrderStatus.IN_PROGRESS, OrderStatus.SHIPPED)
    ]

    assert create_overdue_notices(now=now) == 3

    notices = OverdueNotice.objects.order_by("order_id")
    assert [(n.order, n.promised_on, n.recipient, n.status, n.attempts, n.next_attempt_at) for n in notices] == [
        (order, days_ago(1), org.manager, "pending", 0, now) for order in open_orders
    ]


def test_orders_that_are_not_late_or_have_no_manager_get_no_notice(org):
    orphan = ClientFactory(name="Nobody's UAB", account_manager=None)
    gone = ManagerFactory(is_active=False)
    gone_client = ClientFactory(account_manager=gone)
    make_order(actor=org.manager, client=org.client, promised_on=days_ago(3))  # a draft promises nothing yet
    overdue_order(org, status=OrderStatus.DELIVERED)
    overdue_order(org, status=OrderStatus.CANCELLED)
    overdue_order(org, promised_on=today())  # due today: not late yet
    overdue_order(org, promised_on=today() + timedelta(days=1))
    overdue_order(org, client=orphan, actor=org.admin)
    overdue_order(org, client=gone_client, actor=org.admin)

    assert create_overdue_notices() == 0
    assert not OverdueNotice.objects.exists()


def test_overdue_is_decided_by_the_companys_calendar_day(org):
    order = overdue_order(org, promised_on=days_ago(5))
    promised = order.promised_on
    # 23:30 in Vilnius on the promised day is still 21:30 UTC of that day; 00:30 the next day is 22:30 UTC.
    last_minute = datetime.combine(promised, time(23, 30), tzinfo=settings_zone())

    assert create_overdue_notices(now=last_minute) == 0
    assert create_overdue_notices(now=last_minute + timedelta(hours=1)) == 1


def test_second_run_makes_no_second_notice(org):
    order = overdue_order(org)

    assert create_overdue_notices() == 1
    assert create_overdue_notices() == 0

    assert noticed(order) == [(days_ago(1), org.manager.pk, "pending")]


def test_re_promised_order_missed_again_gets_a_second_notice(org):
    order = overdue_order(org, promised_on=days_ago(10))
    # Whole days back from now (8 and 6), clear of the promised dates even across a clock change.
    assert create_overdue_notices(now=timezone.now() - timedelta(days=8)) == 1

    update_order(actor=org.manager, order=order, promised_on=days_ago(5))  # the client agreed to a new date
    assert create_overdue_notices(now=timezone.now() - timedelta(days=6)) == 0  # the new date has not passed then
    assert create_overdue_notices() == 1

    assert noticed(order) == [
        (days_ago(10), org.manager.pk, "pending"),
        (days_ago(5), org.manager.pk, "pending"),
    ]


def test_notice_of_an_earlier_promise_is_dropped_after_a_new_promise(org):
    order = overdue_order(org, promised_on=days_ago(10))
    create_overdue_notices()
    notice = OverdueNotice.objects.get()
    update_order(actor=org.manager, order=order, promised_on=today() + timedelta(days=2))

    assert deliver_overdue_notice(notice.pk) is False

    notice.refresh_from_db()
    assert (notice.status, notice.sent_at) == ("cancelled", None)
    assert mail.outbox == []


def test_notice_is_delivered_once_by_email_and_in_app(org):
    order = overdue_order(org)
    create_overdue_notices()
    notice = OverdueNotice.objects.get()
    now = timezone.now()

    assert [deliver_overdue_notice(notice.pk, now=now), deliver_overdue_notice(notice.pk, now=now)] == [True, False]

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    subject = f"Order {order.number} for Own Client UAB is overdue"
    assert (message.to, message.subject) == ([org.manager.email], subject)
    with translation.override("en"):
        promised = formats.date_format(order.promised_on, "DATE_FORMAT")
    assert f"Order {order.number} was promised for {promised} and has not been delivered yet." in message.body
    assert "Client: Own Client UAB" in message.body
    assert "Status: Confirmed" in message.body
    assert "Total: €250.50" in message.body
    assert f"https://crm.example.com/orders/{order.pk}/" in message.body
    notification = Notification.objects.get()
    assert (notification.recipient, notification.title, notification.body, notification.url) == (
        org.manager,
        subject,
        "Own Client UAB",
        f"/orders/{order.pk}/",
    )
    assert notification.key == f"order-overdue:{order.pk}:{order.promised_on.isoformat()}"
    notice.refresh_from_db()
    assert (notice.status, notice.sent_at, notice.attempts, notice.last_error) == ("sent", now, 0, "")
    assert list_due_notices() == []


def test_notice_is_written_in_the_recipients_language(org):
    org.manager.language = "lt"
    org.manager.save()
    order = overdue_order(org)
    create_overdue_notices()
    notice = OverdueNotice.objects.get()

    with mock.patch("django.utils.translation.override", wraps=translation.override) as override:
        assert deliver_overdue_notice(notice.pk) is True

    override.assert_any_call("lt")
    with translation.override("lt"):
        expected = translation.gettext("Order %(number)s for %(client)s is overdue") % {
            "number": order.number,
            "client": "Own Client UAB",
        }
    subject = mail.outbox[0].subject
    assert subject == expected
    assert order.number in subject
    assert "Own Client UAB" in subject
    assert Notification.objects.get().title == subject
    assert translation.get_language() == "en"  # the override ended with the delivery


@pytest.mark.parametrize(
    ("step", "reason"),
    [(OrderStatus.DELIVERED, ""), (OrderStatus.CANCELLED, "Client went bankrupt")],
)
def test_notice_of_an_order_closed_meanwhile_is_cancelled_not_sent(org, step, reason):
    order = overdue_order(org, status=OrderStatus.SHIPPED)
    create_overdue_notices()
    notice = OverdueNotice.objects.get()
    transition_order(actor=org.manager, order=order, to_status=step, reason=reason)

    assert deliver_overdue_notice(notice.pk) is False
    assert deliver_overdue_notice(notice.pk) is False

    notice.refresh_from_db()
    assert (notice.status, notice.sent_at, notice.attempts) == ("cancelled", None, 0)
    assert mail.outbox == []
    assert not Notification.objects.exists()
    assert list_due_notices() == []


def test_notice_to_a_manager_who_left_is_cancelled(org):
    overdue_order(org)
    create_overdue_notices()
    notice = OverdueNotice.objects.get()
    org.manager.is_active = False
    org.manager.save()

    assert deliver_overdue_notice(notice.pk) is False

    notice.refresh_from_db()
    assert notice.status == "cancelled"
    assert mail.outbox == []


def test_notice_is_not_delivered_before_its_time(org):
    overdue_order(org)
    now = timezone.now()
    create_overdue_notices(now=now)
    notice = OverdueNotice.objects.get()

    assert list_due_notices(now=now - timedelta(seconds=1)) == []
    assert deliver_overdue_notice(notice.pk, now=now - timedelta(seconds=1)) is False

    notice.refresh_from_db()
    assert notice.status == "pending"
    assert mail.outbox == []


def test_failed_email_is_recorded_and_retried_after_a_backoff(org):
    overdue_order(org)
    now = timezone.now()
    create_overdue_notices(now=now)
    notice = OverdueNotice.objects.get()

    with mock.patch.object(EmailMultiAlternatives, "send", side_effect=SMTPException("mail server down")):
        assert deliver_overdue_notice(notice.pk, now=now) is False

    notice.refresh_from_db()
    assert (notice.status, notice.attempts, notice.last_error, notice.next_attempt_at, notice.sent_at) == (
        "pending",
        1,
        "SMTPException('mail server down')",
        now + timedelta(minutes=1),
        None,
    )
    assert mail.outbox == []
    assert not Notification.objects.exists()  # rolled back with the failed e-mail
    assert list_due_notices(now=now + timedelta(seconds=59)) == []
    assert deliver_overdue_notice(notice.pk, now=now + timedelta(seconds=59)) is False

    assert list_due_notices(now=now + timedelta(minutes=1)) == [notice.pk]
    assert deliver_overdue_notice(notice.pk, now=now + timedelta(minutes=1)) is True
    notice.refresh_from_db()
    assert (notice.status, notice.attempts, notice.last_error) == ("sent", 1, "")
    assert len(mail.outbox) == 1
    assert Notification.objects.count() == 1


def test_five_failures_give_up_on_the_notice(org):
    overdue_order(org)
    create_overdue_notices()
    notice = OverdueNotice.objects.get()

    with mock.patch.object(EmailMultiAlternatives, "send", side_effect=OSError("connection refused")):
        for _ in range(5):
            assert deliver_overdue_notice(notice.pk, now=notice.next_attempt_at) is False
            notice.refresh_from_db()

    assert (notice.status, notice.attempts) == (DeliveryStatus.FAILED, 5)
    assert list_due_notices(now=timezone.now() + timedelta(days=1)) == []
    assert mail.outbox == []
    assert not Notification.objects.exists()


def test_unknown_notice_is_not_delivered(db):
    assert deliver_overdue_notice(987654) is False
    assert mail.outbox == []


def test_sweep_task_writes_and_delivers_each_notice_once(org):
    late = overdue_order(org)
    on_time = overdue_order(org, promised_on=today() + timedelta(days=3))

    assert sweep_overdue_orders_task.delay().get() == 1
    assert sweep_overdue_orders_task.delay().get() == 0
    deliver_overdue_notice_task.delay(OverdueNotice.objects.get().pk)

    assert [m.subject for m in mail.outbox] == [f"Order {late.number} for Own Client UAB is overdue"]
    assert Notification.objects.count() == 1
    assert noticed(late) == [(days_ago(1), org.manager.pk, "sent")]
    assert noticed(on_time) == []
    assert Order.objects.get(pk=late.pk).status == "confirmed"  # a notice never moves the order
