"""Rows that stand for one outgoing message, and their exactly-once delivery (DESIGN principle 1).

A reminder, an overdue-order notice, an escalation or a survey e-mail is first a row in
state "pending". A Celery task delivers one row; a periodic sweep re-enqueues every due row,
so a lost task message only delays a message. `deliver_once` claims the row under
`select_for_update(skip_locked=True)` and by a conditional UPDATE pending → sending that
must change exactly one row, so two workers (or a task run twice) cannot both send it.
"""

import logging
from collections.abc import Callable
from datetime import datetime, timedelta

from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 5


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    SENDING = "sending", _("Sending")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")
    CANCELLED = "cancelled", _("Cancelled")


class OutboxRow(models.Model):
    """The delivery state every outgoing-message row shares."""

    next_attempt_at = models.DateTimeField()
    status = models.CharField(max_length=10, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING)
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.TextField(blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


def backoff(attempts: int) -> timedelta:
    """Wait before the next try after `attempts` failures: 1, 2, 4, 8, 16 minutes."""
    return timedelta(minutes=2 ** (max(attempts, 1) - 1))


def list_due_rows(model: type[OutboxRow], *, now: datetime | None = None, limit: int = 500) -> list[int]:
    """Ids of the rows due for delivery (pending, next attempt reached), oldest first."""
    now = now or timezone.now()
    due = model.objects.filter(status=DeliveryStatus.PENDING, next_attempt_at__lte=now)
    return list(due.order_by("next_attempt_at", "pk").values_list("pk", flat=True)[:limit])


def deliver_once(
    model: type[OutboxRow],
    pk: int,
    *,
    send: Callable[[OutboxRow], None],
    still_wanted: Callable[[OutboxRow], bool] = lambda row: True,
    select_related: tuple[str, ...] = (),
    now: datetime | None = None,
    unwanted_status: str = DeliveryStatus.CANCELLED,
    unwanted_fields: tuple[str, ...] = (),
    postpone: Callable[[OutboxRow], datetime | None] | None = None,
) -> bool:
    """Send one due row exactly once; False when nothing was sent (not due, claimed elsewhere, unwanted, failed).

    A row no longer wanted gets `unwanted_status` (still_wanted may set `unwanted_fields`, e.g. a
    reason); `postpone` may return a later time to try instead (a sending window), keeping it pending.
    Everything happens in one transaction: a crash before the commit leaves the row pending
    for the next sweep. A failure of `send` is recorded on the row (attempts, last_error)
    and retried later with backoff, until MAX_ATTEMPTS marks it failed.
    """
    now = now or timezone.now()
    with transaction.atomic():
        due = model.objects.filter(pk=pk, status=DeliveryStatus.PENDING, next_attempt_at__lte=now)
        row = due.select_for_update(skip_locked=True, of=("self",)).select_related(*select_related).first()
        if row is None or due.update(status=DeliveryStatus.SENDING) != 1:
            return False
        if not still_wanted(row):
            row.status = unwanted_status
            row.save(update_fields=["status", "updated_at", *unwanted_fields])
            return False
        later = postpone(row) if postpone else None
        if later is not None and later > now:
            row.status, row.next_attempt_at = DeliveryStatus.PENDING, later
            row.save(update_fields=["status", "next_attempt_at", "updated_at"])
            return False
        try:
            with transaction.atomic():  # a failed send also undoes what it wrote (a notification)
                send(row)
        except Exception as error:  # SMTP, network, templates: anything that stopped this one message
            logger.warning("%s %s not sent (attempt %s): %r", model.__name__, row.pk, row.attempts + 1, error)
            row.attempts += 1
            row.last_error = repr(error)[:2000]
            if row.attempts >= MAX_ATTEMPTS:
                row.status = DeliveryStatus.FAILED
            else:
                row.status = DeliveryStatus.PENDING
                row.next_attempt_at = now + backoff(row.attempts)
            row.save(update_fields=["attempts", "last_error", "status", "next_attempt_at", "updated_at"])
            return False
        row.status = DeliveryStatus.SENT
        row.sent_at = now
        row.last_error = ""
        row.save(update_fields=["status", "sent_at", "last_error", "updated_at"])
        return True
