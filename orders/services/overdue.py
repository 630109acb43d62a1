"""Overdue orders: one notice to the account manager per missed promised date, delivered by Celery."""

from datetime import datetime

from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.template.loader import render_to_string
from django.utils import timezone, translation

from core import outbox
from interactions.services.notifications import absolute_url, notify, recipient_zone

from ..models import Order, OverdueNotice, settings_zone
from ..selectors import overdue_q


def overdue_orders(*, today=None):
    """Orders committed to a date that has passed (company calendar) and not delivered or cancelled."""
    return Order.objects.filter(overdue_q(today=today))


@transaction.atomic
def create_overdue_notices(*, now: datetime | None = None, limit: int = 2000) -> int:
    """A pending notice row for each overdue order that has none for its promised date; returns how many.

    Set-based: one query finds the orders without a notice, one insert writes the rows; the
    unique (order, promised date) constraint makes a concurrent second run insert nothing.
    """
    now = now or timezone.now()
    today = timezone.localdate(now, timezone=settings_zone())
    noticed = OverdueNotice.objects.filter(order=OuterRef("pk"), promised_on=OuterRef("promised_on"))
    candidates = (
        overdue_orders(today=today)
        .filter(client__account_manager__isnull=False, client__account_manager__is_active=True)
        .exclude(Exists(noticed))
        .values_list("pk", "promised_on", "client__account_manager_id")[:limit]
    )
    rows = [
        OverdueNotice(order_id=pk, promised_on=promised_on, recipient_id=manager_id, next_attempt_at=now)
        for pk, promised_on, manager_id in candidates
    ]
    return len(OverdueNotice.objects.bulk_create(rows, ignore_conflicts=True))


def _still_wanted(notice: OverdueNotice) -> bool:
    order = notice.order
    return notice.recipient.is_active and order.is_overdue and order.promised_on == notice.promised_on


def _send(notice: OverdueNotice) -> None:
    """Notify in-app and e-mail the account manager, in their language and time zone."""
    user, order = notice.recipient, notice.order
    context = {
        "user": user,
        "order": order,
        "client": order.client,
        "order_url": absolute_url(order.get_absolute_url()),
    }
    with translation.override(user.language), timezone.override(recipient_zone(user)):
        subject = " ".join(render_to_string("orders/email/overdue_subject.txt", context).split())
        body = render_to_string("orders/email/overdue_body.txt", context)
        notify(
            recipient=user,
            key=f"order-overdue:{order.pk}:{notice.promised_on.isoformat()}",
            title=subject,
            body=order.client.name,
            url=order.get_absolute_url(),
        )
    EmailMultiAlternatives(subject=subject, body=body, to=[user.email]).send()


def deliver_overdue_notice(notice_id: int, *, now: datetime | None = None) -> bool:
    """Send one overdue notice exactly once; dropped if the order was delivered, cancelled or re-promised."""
    return outbox.deliver_once(
        OverdueNotice,
        notice_id,
        send=_send,
        still_wanted=_still_wanted,
        select_related=("recipient", "order__client"),
        now=now,
    )


def list_due_notices(*, now: datetime | None = None) -> list[int]:
    """Ids of the notices due for delivery."""
    return outbox.list_due_rows(OverdueNotice, now=now)
