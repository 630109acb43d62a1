"""Celery tasks of the health app: thin wrappers around health.services (DESIGN: tasks are thin, safe to run twice).

Beat sends recompute_health_task every hour; the task does the nightly recompute once per company day, at or after
settings.HEALTH_RECOMPUTE_HOUR, so a beat or worker that was down at 02:00 catches up at its next hour instead of
skipping the day. The day's HealthRun row is the once-a-day guard.
"""

import logging
from datetime import datetime, timedelta

from celery import shared_task
from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from . import services
from .models import HealthRun

logger = logging.getLogger(__name__)

# A run that started this long ago without finishing died (a full run takes a few minutes): the next hour retakes it.
STALE_RUN = timedelta(minutes=30)


def _claim_run(now: datetime, *, force: bool) -> HealthRun | None:
    """Today's run row, claimed for this worker; None when the run is not due, done, or running elsewhere."""
    local = timezone.localtime(now, timezone.get_default_timezone())
    if not force and local.hour < settings.HEALTH_RECOMPUTE_HOUR:
        return None
    day = local.date()
    with transaction.atomic():
        run = HealthRun.objects.select_for_update().filter(day=day).first()
        if run is None:
            try:
                with transaction.atomic():
                    return HealthRun.objects.create(day=day, started_at=now)
            except IntegrityError:  # another worker created it a moment ago: it runs
                return None
        if run.finished_at is not None and not force:
            return None
        if run.finished_at is None and run.started_at > now - STALE_RUN:
            return None  # running in another worker
        run.started_at, run.finished_at = now, None
        run.save(update_fields=["started_at", "finished_at"])
        return run


@shared_task(acks_late=True)
def recompute_health_task(force: bool = False) -> dict | None:
    """Hourly: the nightly recompute of every client's health, once per company day after HEALTH_RECOMPUTE_HOUR
    (`force`: now, even when today's is done); None when there was nothing to do."""
    now = timezone.now()
    run = _claim_run(now, force=force)
    if run is None:
        return None
    stats = services.recompute_health(now=now)
    run.finished_at = timezone.now()
    run.clients, run.changed, run.transitions, run.cleared = (
        stats.clients,
        stats.changed,
        stats.transitions,
        stats.cleared,
    )
    run.save(update_fields=["finished_at", "clients", "changed", "transitions", "cleared"])
    logger.info(
        "Health of %s clients on %s: %s changed, %s band changes",
        stats.clients,
        run.day,
        stats.changed,
        stats.transitions,
    )
    return {
        "day": run.day.isoformat(),
        "clients": stats.clients,
        "changed": stats.changed,
        "transitions": stats.transitions,
        "follow_ups": stats.follow_ups,
        "cleared": stats.cleared,
    }
