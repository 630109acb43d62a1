"""Celery tasks of orders: thin wrappers that deliver rows (DESIGN principle 1)."""

from celery import shared_task

from core.enqueue import enqueue

from .services import overdue


@shared_task(acks_late=True)
def deliver_overdue_notice_task(notice_id: int) -> bool:
    """Deliver one overdue-order notice if it is still pending and still true."""
    return overdue.deliver_overdue_notice(notice_id)


@shared_task(acks_late=True)
def sweep_overdue_orders_task() -> int:
    """Every 5 minutes: write a notice for each newly overdue order, then enqueue every due notice."""
    overdue.create_overdue_notices()
    due = overdue.list_due_notices()
    for notice_id in due:
        enqueue(deliver_overdue_notice_task, notice_id)
    return len(due)
