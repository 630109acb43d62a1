"""Celery tasks of complaints: thin wrappers that deliver rows (DESIGN principle 1)."""

from celery import shared_task

from core.enqueue import enqueue

from .services import escalation


@shared_task(acks_late=True)
def deliver_escalation_task(escalation_id: int) -> bool:
    """E-mail one escalation if it is due and still pending."""
    return escalation.deliver_escalation(escalation_id)


@shared_task(acks_late=True)
def escalate_complaints_task() -> int:
    """Every minute: record breaches, write due escalations (with their notifications), enqueue due e-mails."""
    escalation.escalate_due_complaints()
    due = escalation.list_due_escalations()
    for escalation_id in due:
        enqueue(deliver_escalation_task, escalation_id)
    return len(due)
