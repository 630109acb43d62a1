"""Celery tasks of feedback: thin wrappers that deliver rows (DESIGN principle 1)."""

from celery import shared_task

from core.enqueue import enqueue

from .services import delivery, scheduling


@shared_task(acks_late=True)
def deliver_survey_task(request_id: int) -> bool:
    """Send one scheduled survey if it is due, allowed and inside the contact's sending window."""
    return delivery.deliver_survey(request_id)


@shared_task(acks_late=True)
def sweep_surveys_task() -> int:
    """Every minute: expire old surveys, then enqueue every due one (a lost task is picked up next time)."""
    delivery.expire_surveys()
    due = delivery.list_due_surveys()
    for request_id in due:
        enqueue(deliver_survey_task, request_id)
    return len(due)


@shared_task(acks_late=True)
def schedule_relationship_nps_task() -> int:
    """Every hour: write this period's relationship NPS for contacts not asked yet (idempotent)."""
    return scheduling.schedule_relationship_nps()
