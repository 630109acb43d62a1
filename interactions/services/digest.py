"""The morning digest: one e-mail per manager and team lead per local day, about their day ahead.

The beat runs `send_digests_task` every few minutes; a user's digest goes out on the first run
after 08:00 in their own time zone. The Digest row, unique per (user, local date), is created in
the same transaction that sends, so a day gets at most one digest however many runs overlap.
"""

import logging
from datetime import date, datetime
from functools import reduce
from operator import or_

from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from accounts.models import Role, User

from ..models import Digest, DigestStatus
from ..selectors import get_my_day
from .notifications import absolute_url, recipient_zone

logger = logging.getLogger(__name__)

# The digest is sent from 08:00 local time; failures are retried by later runs until noon,
# after which a morning digest is no longer worth sending.
SEND_FROM_HOUR = 8
SEND_UNTIL_HOUR = 12
DONE = (DigestStatus.SENT, DigestStatus.EMPTY)


def _digest_date(time_zone: str, now: datetime) -> date | None:
    """The local date whose digest is due now in this time zone, or None outside the morning window."""
    local = now.astimezone(recipient_zone(time_zone))
    return local.date() if SEND_FROM_HOUR <= local.hour < SEND_UNTIL_HOUR else None


def _recipients() -> QuerySet[User]:
    return User.objects.filter(is_active=True, role__in=[Role.MANAGER, Role.TEAM_LEAD])


def list_due_digest_user_ids(*, now: datetime | None = None) -> list[int]:
    """Ids of the users whose digest is due now: in their 08:00-12:00, not yet sent (or found empty) today.

    Two queries whatever the number of users: the distinct time zones, then the users of the
    zones in their morning window that have no finished digest row for that local date.
    """
    now = now or timezone.now()
    zones = _recipients().order_by().values_list("time_zone", flat=True).distinct()
    due = []
    for zone in zones:
        day = _digest_date(zone, now)
        if day is not None:
            done = Digest.objects.filter(recipient=OuterRef("pk"), date=day, status__in=DONE)
            due.append(Q(time_zone=zone) & ~Exists(done))
    if not due:
        return []
    return list(_recipients().filter(reduce(or_, due)).order_by("pk").values_list("pk", flat=True))


def _render_and_send(user: User, day, local_date: date) -> None:
    context = {
        "user": user,
        "day": day,
        "date": local_date,
        "overdue_more": day.overdue_count - len(day.overdue),
        "my_day_url": absolute_url(reverse("interactions:my_day")),
    }
    subject = " ".join(render_to_string("interactions/email/digest_subject.txt", context).split())
    body = render_to_string("interactions/email/digest_body.txt", context)
    EmailMultiAlternatives(subject=subject, body=body, to=[user.email]).send()


def send_digest(*, user_id: int, now: datetime | None = None) -> bool:
    """Send the user's digest for their local today once, if due; nothing to report marks it "empty".

    True when an e-mail went out. A failure is recorded on the row (attempts, last_error)
    and retried by the next run while the morning window lasts.
    """
    now = now or timezone.now()
    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is None:
        return False
    local_date = _digest_date(user.time_zone, now)
    if local_date is None:
        return False
    with transaction.atomic():
        try:
            with transaction.atomic():
                Digest.objects.create(recipient=user, date=local_date)
        except IntegrityError:
            pass  # today's row exists: sent, empty, failed earlier, or being sent by a parallel run
        digest = (
            Digest.objects.select_for_update(skip_locked=True)
            .filter(recipient=user, date=local_date, status__in=[DigestStatus.PENDING, DigestStatus.FAILED])
            .first()
        )
        if digest is None:
            return False
        # Compare-and-set for databases without row locks: only one run moves this exact state on.
        claimed = Digest.objects.filter(pk=digest.pk, status=digest.status, attempts=digest.attempts)
        if claimed.update(status=DigestStatus.PENDING) != 1:
            return False
        with translation.override(user.language), timezone.override(recipient_zone(user)):
            day = get_my_day(user, now=now)
            if not (day.overdue or day.today or day.meetings_today):
                digest.status = DigestStatus.EMPTY
                digest.save(update_fields=["status"])
                return False
            try:
                _render_and_send(user, day, local_date)
            except Exception as error:  # SMTP, network, templates: recorded, retried by the next run
                logger.warning("Digest %s not sent (attempt %s): %r", digest.pk, digest.attempts + 1, error)
                digest.attempts += 1
                digest.last_error = repr(error)[:2000]
                digest.status = DigestStatus.FAILED
                digest.save(update_fields=["attempts", "last_error", "status"])
                return False
        digest.status = DigestStatus.SENT
        digest.sent_at = now
        digest.last_error = ""
        digest.save(update_fields=["status", "sent_at", "last_error"])
        return True


def send_due_digests(*, now: datetime | None = None) -> int:
    """Send every digest due now (see list_due_digest_user_ids); returns how many e-mails went out."""
    now = now or timezone.now()
    return sum(send_digest(user_id=user_id, now=now) for user_id in list_due_digest_user_ids(now=now))
