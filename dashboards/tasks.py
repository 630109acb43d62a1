"""Celery tasks of the dashboards: the weekly report, delivered from rows (DESIGN principle 1).

Each is safe to run twice: the service claims the row before sending. A failed send is recorded on
the row and retried, after its backoff, by a later run of the beat task, not by Celery retries.
"""

from celery import shared_task

from core.enqueue import enqueue_on_commit

from .services import reports, warming


@shared_task(acks_late=True)
def send_weekly_report_task(report_id: int) -> bool:
    """Send one weekly report if it is still pending, still wanted and past any backoff."""
    return reports.send_weekly_report(report_id=report_id)


@shared_task(acks_late=True)
def send_weekly_reports_task() -> int:
    """Every 5 minutes: write the reports due (Mondays from 08:00 in each lead's time zone), enqueue the unsent."""
    reports.create_due_weekly_reports()
    due = reports.list_unsent_weekly_reports()
    for report_id in due:
        # After commit (DESIGN principle 2), also when this runs inside a caller's transaction.
        enqueue_on_commit(send_weekly_report_task, report_id)
    return len(due)


@shared_task(acks_late=True, expires=240)
def warm_dashboards_task() -> int:
    """Every 5 minutes: compute each team's default dashboard into the cache (safe to run twice: it only
    overwrites the cache; an expired message is dropped, the next run does the work)."""
    return warming.warm_dashboards()
