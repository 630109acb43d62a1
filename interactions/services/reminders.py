"""Reminder rows: created and moved with their follow-up or meeting, delivered by Celery."""

from datetime import datetime, timedelta

from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.formats import date_format

from core import outbox

from ..models import FollowUp, FollowUpStatus, Interaction, InteractionStatus, Kind, Reminder, ReminderStatus
from .notifications import absolute_url, notify, recipient_zone


def _remind_at(user, when):
    return when - timedelta(minutes=user.reminder_lead_minutes or 0)


def _upsert(*, lookup: dict, recipient, remind_at, active: bool) -> None:
    reminder = Reminder.objects.filter(**lookup).first()
    if not active:
        if reminder is not None and reminder.status in (ReminderStatus.PENDING, ReminderStatus.FAILED):
            reminder.status = ReminderStatus.CANCELLED
            reminder.save(update_fields=["status", "updated_at"])
        return
    if reminder is None:
        Reminder.objects.create(**lookup, recipient=recipient, remind_at=remind_at, next_attempt_at=remind_at)
        return
    moved = reminder.remind_at != remind_at or reminder.recipient_id != recipient.pk
    if moved or reminder.status == ReminderStatus.CANCELLED:
        # A rescheduled or reopened task reminds again at its new time.
        reminder.recipient = recipient
        reminder.remind_at = reminder.next_attempt_at = remind_at
        reminder.status = ReminderStatus.PENDING
        reminder.attempts = 0
        reminder.last_error = ""
        reminder.sent_at = None
        reminder.save()


def sync_follow_up_reminder(follow_up: FollowUp) -> None:
    """Keep the follow-up's reminder in step: pending at due time while open, cancelled otherwise."""
    _upsert(
        lookup={"follow_up": follow_up},
        recipient=follow_up.assignee,
        remind_at=_remind_at(follow_up.assignee, follow_up.due_at),
        active=follow_up.status == FollowUpStatus.OPEN,
    )


def sync_meeting_reminder(interaction: Interaction) -> None:
    """A scheduled meeting or visit reminds the person who planned it; other entries have none."""
    planned = interaction.status == InteractionStatus.SCHEDULED and interaction.kind in (Kind.MEETING, Kind.VISIT)
    if not planned and not Reminder.objects.filter(interaction=interaction).exists():
        return
    _upsert(
        lookup={"interaction": interaction},
        recipient=interaction.logged_by,
        remind_at=_remind_at(interaction.logged_by, interaction.occurred_at),
        active=planned,
    )


# --- Delivery ----------------------------------------------------------------------------
# A reminder is due when it is pending and its next attempt time has come. Celery delivers
# it (deliver_reminder_task); sweep_reminders_task re-enqueues every due row each minute,
# so a lost task message only delays a reminder (DESIGN principle 1, core.outbox).


def sweep_due_reminders(*, now: datetime | None = None, limit: int = 500) -> list[int]:
    """Ids of the reminders due for delivery (pending, next attempt reached), oldest first."""
    return outbox.list_due_rows(Reminder, now=now, limit=limit)


def _still_wanted(reminder: Reminder) -> bool:
    if not reminder.recipient.is_active:
        return False
    if reminder.follow_up_id:
        return reminder.follow_up.status == FollowUpStatus.OPEN
    return reminder.interaction.status == InteractionStatus.SCHEDULED


def _send(reminder: Reminder) -> None:
    """Notify in-app and e-mail the recipient, in their language and time zone."""
    user, follow_up, meeting = reminder.recipient, reminder.follow_up, reminder.interaction
    client = (follow_up or meeting).client
    when = follow_up.due_at if follow_up else meeting.occurred_at
    context = {
        "user": user,
        "client": client,
        "follow_up": follow_up,
        "meeting": meeting,
        "when": when,
        "client_url": absolute_url(client.get_absolute_url()),
    }
    with translation.override(user.language), timezone.override(recipient_zone(user)):
        subject = " ".join(render_to_string("interactions/email/reminder_subject.txt", context).split())
        body = render_to_string("interactions/email/reminder_body.txt", context)
        notify(
            recipient=user,
            # remind_at is part of the key: a rescheduled follow-up notifies again.
            key=f"reminder:{reminder.pk}:{reminder.remind_at.isoformat()}",
            title=subject,
            body=f"{client.name} · {date_format(timezone.localtime(when), 'DATETIME_FORMAT')}",
            url=client.get_absolute_url(),
        )
    # Last, so a failing e-mail also rolls back the notification made in the same savepoint.
    EmailMultiAlternatives(subject=subject, body=body, to=[user.email]).send()


def deliver_reminder(reminder_id: int, *, now: datetime | None = None) -> bool:
    """Send a due reminder exactly once (e-mail + in-app notification); False if nothing was sent."""
    return outbox.deliver_once(
        Reminder,
        reminder_id,
        send=_send,
        still_wanted=_still_wanted,
        select_related=("recipient", "follow_up__client", "interaction__client"),
        now=now,
    )
