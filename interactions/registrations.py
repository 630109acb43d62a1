"""What interactions adds to lower apps' pages: the client list's "going cold" filter, and what a client
handover does here (open follow-ups move to the new manager, both managers are notified)."""

from datetime import datetime, timedelta

from django.db.models import Exists, F, OuterRef, QuerySet
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from accounts.models import User
from clients.handover import HandoverRun, get_handover_steps, handover_change_reason, register_handover_step
from clients.listing import register_client_set
from clients.models import Client, HandoverClient
from contacts.personal_data import record, register_personal_data_source

from .models import FollowUp, FollowUpStatus, Interaction, Reminder, ReminderStatus
from .selectors import clients_going_cold
from .services.notifications import notify

BATCH_SIZE = 500


def count_handover_follow_ups(clients: QuerySet[Client], manager: User | None) -> int:
    """Open follow-ups of these clients that a handover to `manager` would move: those of the clients' managers."""
    moving = FollowUp.objects.filter(
        status=FollowUpStatus.OPEN, client__in=clients.values("pk"), assignee=F("client__account_manager")
    )
    return (moving.exclude(assignee=manager) if manager is not None else moving).count()


def move_handover_follow_ups(run: HandoverRun) -> int:
    """The handed-over clients' open follow-ups assigned to their previous manager go to the new one, with their
    pending reminders; follow-ups someone else holds, and closed ones, stay as they are."""
    of_previous_manager = HandoverClient.objects.filter(
        handover=run.handover, client=OuterRef("client"), previous_manager=OuterRef("assignee")
    )
    moving = list(
        FollowUp.objects.select_for_update(of=("self",)).filter(Exists(of_previous_manager), status=FollowUpStatus.OPEN)
    )
    if not moving:
        return 0
    ids = [follow_up.pk for follow_up in moving]
    FollowUp.objects.filter(pk__in=ids).update(assignee=run.manager, updated_at=run.now)
    for follow_up in moving:
        follow_up.assignee, follow_up.updated_at = run.manager, run.now
    FollowUp.history.bulk_history_create(
        moving,
        batch_size=BATCH_SIZE,
        update=True,
        default_user=run.actor,
        default_change_reason=handover_change_reason(run.handover),
        default_date=run.now,
    )
    _move_reminders(moving, run.manager, run.now)
    return len(moving)


def _move_reminders(follow_ups: list[FollowUp], manager: User, now: datetime) -> None:
    """Reminders not yet delivered now remind the new manager, at their own lead time before the due time (as
    sync_follow_up_reminder would). Those already sent stay sent: the new manager is not flooded with reminders
    of overdue tasks at once; the follow-ups are on their My day."""
    due = {follow_up.pk: follow_up.due_at for follow_up in follow_ups}
    reminders = list(
        Reminder.objects.filter(follow_up_id__in=due, status__in=(ReminderStatus.PENDING, ReminderStatus.FAILED))
    )
    for reminder in reminders:
        reminder.recipient = manager
        reminder.remind_at = reminder.next_attempt_at = due[reminder.follow_up_id] - _lead_time(manager)
        reminder.status, reminder.attempts, reminder.last_error = ReminderStatus.PENDING, 0, ""
        reminder.updated_at = now
    Reminder.objects.bulk_update(
        reminders,
        ["recipient", "remind_at", "next_attempt_at", "status", "attempts", "last_error", "updated_at"],
        batch_size=BATCH_SIZE,
    )


def _lead_time(user: User) -> timedelta:
    return timedelta(minutes=user.reminder_lead_minutes or 0)


def notify_handover(run: HandoverRun) -> None:
    """One notification per handover to each previous manager ("N clients handed over to X") and one to the new
    manager ("N clients handed over to you (from A, B)"), each in the recipient's language. The actor is not told
    of their own handover, nor is a previous manager who has left (inactive)."""
    key = f"handover:{run.handover.pk}"
    url = f"{reverse('clients:list')}?handover={run.handover.pk}"
    for user in sorted(run.previous_managers.values(), key=lambda u: u.pk):
        if user == run.actor or not user.is_active:
            continue
        count = run.clients_by_previous.get(user.pk, 0)
        with translation.override(user.language):
            title = ngettext(
                "%(count)s client handed over to %(manager)s", "%(count)s clients handed over to %(manager)s", count
            ) % {"count": count, "manager": run.manager}
            notify(recipient=user, key=key, title=title, body=_handover_body(run), url=url)
    if run.manager != run.actor:
        count = run.handover.client_count
        names = ", ".join(sorted(str(user) for user in run.previous_managers.values()))
        with translation.override(run.manager.language):
            if names:
                title = ngettext(
                    "%(count)s client handed over to you (from %(names)s)",
                    "%(count)s clients handed over to you (from %(names)s)",
                    count,
                ) % {"count": count, "names": names}
            else:
                title = ngettext(
                    "%(count)s client handed over to you", "%(count)s clients handed over to you", count
                ) % {"count": count}
            notify(recipient=run.manager, key=key, title=title, body=_handover_body(run), url=url)


def _handover_body(run: HandoverRun) -> str:
    """Who handed the clients over, what moved with them and the note, in the active language."""
    lines = [_("Handed over by %(actor)s.") % {"actor": run.actor}]
    moved = [f"{step.label}: {run.counts[step.key]}" for step in get_handover_steps() if step.key in run.counts]
    if moved:
        lines.append(" · ".join(moved))
    if run.handover.note:
        lines.append(run.handover.note)
    return "\n".join(lines)


def export_contact_interactions(contact) -> list[dict]:
    """A contact's data export: the calls, meetings, e-mails, chats and visits they took part in (not who else did)."""
    fields = ("id", "client", "kind", "direction", "status", "occurred_at", "duration_minutes", "subject", "notes")
    return [
        record(interaction, *fields, "outcome", "logged_by")
        for interaction in Interaction.objects.filter(contacts=contact).order_by("occurred_at", "pk")
    ]


def register_all() -> None:
    # The dashboard's "going cold" tile links to /clients/?cold=1: the same rule as "My day".
    register_client_set("cold", gettext_lazy("Going cold"), clients_going_cold)
    register_handover_step(
        "follow_ups",
        move_handover_follow_ups,
        count=count_handover_follow_ups,
        label=gettext_lazy("Open follow-ups"),
        order=10,
    )
    # Last, so the notifications can say what every other step moved.
    register_handover_step("notifications", notify_handover, order=1000)
    register_personal_data_source(
        "interactions", export_contact_interactions, label=gettext_lazy("Interactions they took part in"), order=10
    )
