"""Follow-ups: dated tasks about a client, each with its reminder row."""

from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.selectors import list_assignable_managers
from clients.models import Client
from core.exceptions import ApplicationError

from ..models import FollowUp, FollowUpStatus, Interaction
from ..permissions import can_change_follow_up, can_log_on_client
from .reminders import sync_follow_up_reminder


def _check_assignee(actor: User, assignee: User) -> None:
    if assignee == actor:
        return
    if not list_assignable_managers(actor).filter(pk=assignee.pk).exists():
        raise ApplicationError(_("You cannot give follow-ups to this person."), field="assignee")


@transaction.atomic
def create_follow_up(
    *,
    actor: User,
    client: Client,
    title: str,
    due_at: datetime,
    assignee: User | None = None,
    interaction: Interaction | None = None,
) -> FollowUp:
    """Create an open follow-up (for the actor unless a lead or admin assigns it) and its reminder."""
    if not can_log_on_client(actor, client):
        raise ApplicationError(_("You can view this client but not change it."))
    assignee = assignee or actor
    _check_assignee(actor, assignee)
    if not title.strip():
        raise ApplicationError(_("Give the follow-up a title."), field="title")
    follow_up = FollowUp(
        client=client, title=title.strip(), due_at=due_at, assignee=assignee, interaction=interaction, created_by=actor
    )
    follow_up._history_user = actor
    follow_up.save()
    sync_follow_up_reminder(follow_up)
    return follow_up


def _change(actor: User, follow_up: FollowUp) -> None:
    if not can_change_follow_up(actor, follow_up):
        raise ApplicationError(_("Only the assignee or their team lead can change this follow-up."))


@transaction.atomic
def complete_follow_up(*, actor: User, follow_up: FollowUp, authorized: bool = False) -> FollowUp:
    """Mark an open follow-up done; its pending reminder is cancelled.

    `authorized=True` is for callers that checked another right (the client's current manager
    closing the loop on feedback, even when the follow-up was assigned to the previous one).
    """
    if not authorized:
        _change(actor, follow_up)
    if follow_up.status != FollowUpStatus.OPEN:
        raise ApplicationError(_("This follow-up is already closed."))
    follow_up.status = FollowUpStatus.DONE
    follow_up.completed_at = timezone.now()
    follow_up._history_user = actor
    follow_up.save(update_fields=["status", "completed_at", "updated_at"])
    sync_follow_up_reminder(follow_up)
    return follow_up


@transaction.atomic
def cancel_follow_up(*, actor: User, follow_up: FollowUp) -> FollowUp:
    """Cancel an open follow-up; its pending reminder is cancelled."""
    _change(actor, follow_up)
    if follow_up.status != FollowUpStatus.OPEN:
        raise ApplicationError(_("This follow-up is already closed."))
    follow_up.status = FollowUpStatus.CANCELLED
    follow_up._history_user = actor
    follow_up.save(update_fields=["status", "updated_at"])
    sync_follow_up_reminder(follow_up)
    return follow_up


@transaction.atomic
def reschedule_follow_up(*, actor: User, follow_up: FollowUp, due_at: datetime) -> FollowUp:
    """Move an open follow-up; its reminder moves with it and will be sent again at the new time."""
    _change(actor, follow_up)
    if follow_up.status != FollowUpStatus.OPEN:
        raise ApplicationError(_("This follow-up is already closed."))
    if due_at < timezone.now() - timedelta(minutes=5):
        raise ApplicationError(_("Choose a time in the future."), field="due_at")
    follow_up.due_at = due_at
    follow_up._history_user = actor
    follow_up.save(update_fields=["due_at", "updated_at"])
    sync_follow_up_reminder(follow_up)
    return follow_up


@transaction.atomic
def reopen_follow_up(*, actor: User, follow_up: FollowUp) -> FollowUp:
    """Undo "done" or "cancelled": the follow-up is open again and reminds again if still ahead."""
    _change(actor, follow_up)
    follow_up.status = FollowUpStatus.OPEN
    follow_up.completed_at = None
    follow_up._history_user = actor
    follow_up.save(update_fields=["status", "completed_at", "updated_at"])
    sync_follow_up_reminder(follow_up)
    return follow_up
