"""Logging, editing and completing interactions (calls, meetings, e-mails, chats, visits)."""

from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from clients.models import Client
from contacts.models import Contact
from core.exceptions import ApplicationError

from ..models import Direction, Interaction, InteractionStatus, Kind
from ..permissions import can_edit_interaction, can_log_on_client
from ..signals import meeting_completed
from .follow_ups import create_follow_up
from .reminders import sync_meeting_reminder

# Clocks differ a little between browser and server; "now" typed a minute ahead is still "now".
FUTURE_TOLERANCE = timedelta(minutes=5)

EDITABLE_FIELDS = ("kind", "direction", "status", "occurred_at", "duration_minutes", "subject", "notes", "outcome")


def _check_contacts(client: Client, contacts) -> list[Contact]:
    contacts = list(contacts or [])
    if any(contact.client_id != client.pk for contact in contacts):
        raise ApplicationError(_("Choose contacts of this client only."), field="contacts")
    return contacts


def _check_time(interaction: Interaction) -> None:
    now = timezone.now()
    if interaction.status == InteractionStatus.COMPLETED and interaction.occurred_at > now + FUTURE_TOLERANCE:
        raise ApplicationError(
            _("A completed interaction cannot be in the future. Plan it as scheduled instead."), field="occurred_at"
        )
    if interaction.status == InteractionStatus.SCHEDULED and interaction.occurred_at < now - FUTURE_TOLERANCE:
        raise ApplicationError(_("A scheduled interaction must be in the future."), field="occurred_at")


@transaction.atomic
def log_interaction(
    *,
    actor: User,
    client: Client,
    kind: str = Kind.CALL,
    direction: str = Direction.OUTBOUND,
    status: str = InteractionStatus.COMPLETED,
    occurred_at: datetime | None = None,
    duration_minutes: int | None = None,
    subject: str = "",
    notes: str = "",
    outcome: str = "",
    contacts=None,
    follow_up_due: datetime | None = None,
    follow_up_title: str = "",
    authorized: bool = False,
) -> Interaction:
    """Record an interaction on a client (now unless told), with an optional follow-up for the actor.

    `authorized=True` is for callers that have checked another right themselves (the owner of a
    complaint answering it on a colleague's client); otherwise the actor must be able to edit the client.
    """
    if not authorized and not can_log_on_client(actor, client):
        raise ApplicationError(_("You can view this client but not change it."))
    interaction = Interaction(
        client=client,
        kind=kind,
        direction=direction,
        status=status,
        occurred_at=occurred_at or timezone.now(),
        duration_minutes=duration_minutes,
        subject=subject.strip(),
        notes=notes.strip(),
        outcome=outcome,
        logged_by=actor,
    )
    if not (interaction.subject or interaction.notes):
        raise ApplicationError(_("Write a note or a subject."), field="notes")
    _check_time(interaction)
    contacts = _check_contacts(client, contacts)
    interaction._history_user = actor
    interaction.save()
    if contacts:
        interaction.contacts.set(contacts)
    sync_meeting_reminder(interaction)
    if follow_up_due is not None:
        title = follow_up_title.strip() or _("Follow up: %(subject)s") % {
            "subject": (interaction.subject or interaction.notes)[:80]
        }
        create_follow_up(actor=actor, client=client, title=title[:200], due_at=follow_up_due, interaction=interaction)
    _announce_meeting(actor, interaction)
    return interaction


@transaction.atomic
def update_interaction(*, actor: User, interaction: Interaction, contacts=None, **fields) -> Interaction:
    """Change an entry: its author, the author's team lead or an admin; the history keeps who and when."""
    if not can_edit_interaction(actor, interaction):
        raise ApplicationError(_("Only the author or their team lead can change this entry."))
    for name, value in fields.items():
        if name in EDITABLE_FIELDS:
            setattr(interaction, name, value.strip() if isinstance(value, str) and name != "status" else value)
    if not (interaction.subject or interaction.notes):
        raise ApplicationError(_("Write a note or a subject."), field="notes")
    _check_time(interaction)
    interaction._history_user = actor
    interaction.save()
    if contacts is not None:
        interaction.contacts.set(_check_contacts(interaction.client, contacts))
    sync_meeting_reminder(interaction)
    return interaction


@transaction.atomic
def complete_interaction(*, actor: User, interaction: Interaction, outcome: str = "", notes: str = "") -> Interaction:
    """A planned meeting took place: it becomes completed with its outcome and notes; its reminder stops."""
    if not can_edit_interaction(actor, interaction):
        raise ApplicationError(_("Only the author or their team lead can change this entry."))
    if interaction.status != InteractionStatus.SCHEDULED:
        raise ApplicationError(_("Only a scheduled entry can be completed."))
    interaction.status = InteractionStatus.COMPLETED
    interaction.outcome = outcome
    if notes.strip():
        interaction.notes = notes.strip()
    # A meeting marked done before its planned time happened now.
    interaction.occurred_at = min(interaction.occurred_at, timezone.now())
    interaction._history_user = actor
    interaction.save()
    sync_meeting_reminder(interaction)
    _announce_meeting(actor, interaction)
    return interaction


def _announce_meeting(actor: User, interaction: Interaction) -> None:
    """Tell listeners (the CSAT survey after a meeting), once the transaction has committed."""
    if interaction.kind in (Kind.MEETING, Kind.VISIT) and interaction.status == InteractionStatus.COMPLETED:
        transaction.on_commit(
            lambda: meeting_completed.send(sender=Interaction, interaction_id=interaction.pk, actor_id=actor.pk)
        )


@transaction.atomic
def delete_interaction(*, actor: User, interaction: Interaction) -> None:
    """Remove an entry; the history keeps who removed it and when."""
    if not can_edit_interaction(actor, interaction):
        raise ApplicationError(_("Only the author or their team lead can change this entry."))
    interaction._history_user = actor
    interaction.delete()
