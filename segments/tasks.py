"""Celery tasks of segments: thin wrappers around the services, each safe to run twice."""

from celery import shared_task

from core.enqueue import enqueue

from . import sizes
from .bulk import delivery, surveys


@shared_task(acks_late=True)
def record_segment_sizes_task() -> int:
    """Every hour: today's size of each active segment (the day keeps its latest figure), for the trend lines."""
    return sizes.record_segment_sizes()


@shared_task(acks_late=True)
def deliver_announcement_batch_task(announcement_id: int) -> int:
    """Send the next batch of an announcement's due e-mails, each once, and enqueue the batch after it."""
    more = delivery.deliver_announcement_batch(announcement_id)
    if more:
        enqueue(deliver_announcement_batch_task, announcement_id)
    return int(more)


@shared_task(acks_late=True)
def write_segment_survey_requests_task(action_id: int) -> int:
    """Write the next batch of a segment survey's requests (once per contact) and enqueue the batch after it."""
    more = surveys.write_survey_requests(action_id)
    if more:
        enqueue(write_segment_survey_requests_task, action_id)
    return int(more)


@shared_task(acks_late=True)
def sweep_segment_actions_task() -> int:
    """Every minute: restart the batches of announcements and segment surveys that stopped (a lost task message)."""
    announcements, survey_actions = delivery.claim_stalled_actions()
    for announcement_id in announcements:
        enqueue(deliver_announcement_batch_task, announcement_id)
    for action_id in survey_actions:
        enqueue(write_segment_survey_requests_task, action_id)
    return len(announcements) + len(survey_actions)
