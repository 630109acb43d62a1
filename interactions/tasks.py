"""Celery tasks of the interactions app: thin wrappers that deliver rows (DESIGN principle 1).

Each is safe to run twice: the services claim their row before sending. Failures are
recorded on the rows and retried by the periodic sweeps, not by Celery retries.
"""

from celery import shared_task

from core.enqueue import enqueue

from .services import digest, reminders


@shared_task(acks_late=True)
def deliver_reminder_task(reminder_id: int) -> bool:
    """Deliver one due reminder (e-mail + notification) if it is still pending."""
    return reminders.deliver_reminder(reminder_id)


@shared_task(acks_late=True)
def sweep_reminders_task() -> int:
    """Every minute: enqueue every due reminder, so a lost or failed task is delivered by the next sweep."""
    due = reminders.sweep_due_reminders()
    for reminder_id in due:
        enqueue(deliver_reminder_task, reminder_id)
    return len(due)


@shared_task(acks_late=True)
def send_digest_task(user_id: int) -> bool:
    """Send one user's morning digest if it is due and not sent today."""
    return digest.send_digest(user_id=user_id)


@shared_task(acks_late=True)
def send_digests_task() -> int:
    """Every 5 minutes: enqueue the digest of each user whose local time has passed 08:00 today."""
    due = digest.list_due_digest_user_ids()
    for user_id in due:
        enqueue(send_digest_task, user_id)
    return len(due)
