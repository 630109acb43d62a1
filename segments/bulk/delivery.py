"""E-mailing an announcement: batches of due rows, each sent exactly once (core.outbox) in the contact's language.

A batch task delivers up to BATCH due rows and enqueues the next batch while rows remain; the sweep re-enqueues
an announcement whose chain of batches stopped moving (a lost task message), so a message is delayed, never lost.
"""

from datetime import datetime, timedelta

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db.models import Count, Exists, OuterRef, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from core import outbox
from core.outbox import DeliveryStatus
from interactions.services.notifications import absolute_url

from ..models import (
    Announcement,
    AnnouncementDelivery,
    BulkAction,
    BulkActionKind,
    BulkActionStatus,
    SkippedReason,
)
from .unsubscribe import unsubscribe_token

BATCH = 100
# A chain of batches that has not run for this long is taken for lost; one batch takes well under a minute.
STALE_AFTER = timedelta(minutes=5)


def _still_wanted(row: AnnouncementDelivery) -> bool:
    # Checked again at sending: the contact may have unsubscribed (from an earlier e-mail of this very
    # announcement, even) or lost their address since the rows were written.
    if row.contact.announcement_opt_out:
        row.skipped_reason = SkippedReason.OPTED_OUT
        return False
    if not row.contact.email:
        row.skipped_reason = SkippedReason.NO_EMAIL
        return False
    return True


def render_announcement(announcement: Announcement, *, language: str, unsubscribe_url: str) -> tuple[str, str, str]:
    """(subject, text, html) of the announcement in the language, English where that one has no text."""
    with translation.override(language):
        context = {
            "announcement": announcement,
            "language": language,
            "subject": announcement.text("subject", language),
            "body": announcement.text("body", language),
            "company": settings.COMPANY_NAME,
            "unsubscribe_url": unsubscribe_url,
        }
        text = render_to_string("segments/email/announcement.txt", context)
        html = render_to_string("segments/email/announcement.html", context)
    return context["subject"], text, html


def _send(row: AnnouncementDelivery, announcement: Announcement) -> None:
    contact = row.contact
    # Sent to the address and in the language the contact has now; the row keeps what was used.
    if (row.email, row.language) != (contact.email, contact.language):
        row.email, row.language = contact.email, contact.language
        row.save(update_fields=["email", "language", "updated_at"])
    unsubscribe_url = absolute_url(reverse("segments:unsubscribe", args=[unsubscribe_token(contact.pk)]))
    subject, text, html = render_announcement(announcement, language=row.language, unsubscribe_url=unsubscribe_url)
    message = EmailMultiAlternatives(
        subject=subject,
        body=text,
        to=[row.email],
        headers={
            # RFC 8058: mail clients offer a one-click unsubscribe that POSTs to this address.
            "List-Unsubscribe": f"<{unsubscribe_url}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    )
    message.attach_alternative(html, "text/html")
    message.send()


def deliver_announcement_batch(announcement_id: int, *, batch: int = BATCH, now: datetime | None = None) -> bool:
    """Send up to `batch` due e-mails of the announcement, each at most once; True when more may be due."""
    announcement = Announcement.objects.filter(pk=announcement_id).first()
    if announcement is None:
        return False
    now = now or timezone.now()
    BulkAction.objects.filter(pk=announcement.action_id).update(last_batch_at=now)
    due = list(
        AnnouncementDelivery.objects.filter(
            announcement_id=announcement.pk, status=DeliveryStatus.PENDING, next_attempt_at__lte=now
        )
        .order_by("next_attempt_at", "pk")
        .values_list("pk", flat=True)[:batch]
    )
    for pk in due:
        outbox.deliver_once(
            AnnouncementDelivery,
            pk,
            send=lambda row: _send(row, announcement),
            still_wanted=_still_wanted,
            unwanted_fields=("skipped_reason",),
            select_related=("contact",),
        )
    if len(due) == batch:
        return True
    finish_announcement(announcement)
    return False


def finish_announcement(announcement: Announcement) -> bool:
    """Once no row waits any more (sent, failed for good or skipped), the action is done with its final counts."""
    counts = AnnouncementDelivery.objects.filter(announcement_id=announcement.pk).aggregate(
        waiting=Count("pk", filter=Q(status__in=[DeliveryStatus.PENDING, DeliveryStatus.SENDING])),
        sent=Count("pk", filter=Q(status=DeliveryStatus.SENT)),
        skipped=Count("pk", filter=Q(status=DeliveryStatus.CANCELLED)),
    )
    if counts["waiting"]:
        return False
    return bool(
        BulkAction.objects.filter(pk=announcement.action_id, status=BulkActionStatus.RUNNING).update(
            status=BulkActionStatus.DONE, finished_at=timezone.now(), changed=counts["sent"], skipped=counts["skipped"]
        )
    )


def claim_stalled_actions(*, now: datetime | None = None) -> tuple[list[int], list[int]]:
    """(announcement ids, survey action ids) of running actions whose batches stopped: not run for STALE_AFTER and,
    for an announcement, with a row due now or none waiting (to be marked done). They count as running again from
    now, so the next sweep does not enqueue them a second time while their task waits in the queue."""
    now = now or timezone.now()
    stale = now - STALE_AFTER
    running = BulkAction.objects.filter(status=BulkActionStatus.RUNNING).filter(
        Q(last_batch_at__lte=stale) | Q(last_batch_at__isnull=True, created_at__lte=stale)
    )
    waiting = AnnouncementDelivery.objects.filter(
        announcement__action=OuterRef("pk"), status__in=[DeliveryStatus.PENDING, DeliveryStatus.SENDING]
    )
    announcements = dict(
        running.filter(kind=BulkActionKind.ANNOUNCEMENT, announcement__isnull=False)
        .filter(Exists(waiting.filter(next_attempt_at__lte=now)) | ~Exists(waiting))
        .values_list("pk", "announcement__pk")
    )
    surveys = list(running.filter(kind=BulkActionKind.SEND_SURVEY).values_list("pk", flat=True))
    BulkAction.objects.filter(pk__in=[*announcements, *surveys]).update(last_batch_at=now)
    return list(announcements.values()), surveys
