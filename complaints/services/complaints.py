"""Registering complaints and working on them: details, severity, owner, notes and replies."""

from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from clients.models import Client
from clients.selectors import can_edit_client
from contacts.models import Contact
from core.exceptions import ApplicationError
from core.numbering import allocate_number
from interactions.models import Direction, Interaction, Kind
from interactions.services.interactions import log_interaction
from orders.models import Order

from ..models import ActivityKind, Complaint, ComplaintActivity, ComplaintCategory, ComplaintStatus, Severity
from ..permissions import can_edit_complaint, can_reassign_complaint
from . import sla
from .workflow import transition_complaint

COMPLAINT_SCOPE, COMPLAINT_PREFIX = "complaint", "CMP"
# A complaint taken by phone may be registered a little later; never in the future.
FUTURE_TOLERANCE = timedelta(minutes=5)
REPLY_KINDS = (Kind.EMAIL, Kind.CALL, Kind.CHAT, Kind.MEETING)


def _check_related(client: Client, *, contact: Contact | None, order: Order | None) -> None:
    if contact is not None and contact.client_id != client.pk:
        raise ApplicationError(_("Choose a contact of this client."), field="contact")
    if order is not None and order.client_id != client.pk:
        raise ApplicationError(_("Choose an order of this client."), field="order")


def _check_category(category: ComplaintCategory | None) -> None:
    if category is None or not category.is_active:
        raise ApplicationError(_("Choose a category."), field="category")


def _check_owner(actor: User, client: Client, owner: User | None) -> User | None:
    """The owner defaults to the client's manager; choosing someone else is for leads and admins."""
    if owner is None or owner == client.account_manager:
        return client.account_manager or actor
    if not (actor.is_admin or actor.is_team_lead):
        raise ApplicationError(_("Only team leads and admins choose another owner."), field="owner")
    if not owner.is_active:
        raise ApplicationError(_("Choose an active user as the owner."), field="owner")
    return owner


@transaction.atomic
def register_complaint(
    *,
    actor: User,
    client: Client,
    category: ComplaintCategory,
    subject: str,
    description: str = "",
    severity: str = Severity.NORMAL,
    channel: str = "phone",
    contact: Contact | None = None,
    order: Order | None = None,
    owner: User | None = None,
    received_at: datetime | None = None,
    now: datetime | None = None,
) -> Complaint:
    """Register a complaint on a client the actor may edit; its SLA clocks start at received_at."""
    now = now or timezone.now()
    if not can_edit_client(actor, client):
        raise ApplicationError(_("You can view this client but not change it."))
    subject = (subject or "").strip()
    if not subject:
        raise ApplicationError(_("Say in a few words what the complaint is about."), field="subject")
    if severity not in Severity.values:
        raise ApplicationError(_("Choose a severity."), field="severity")
    _check_category(category)
    _check_related(client, contact=contact, order=order)
    received_at = received_at or now
    if received_at > now + FUTURE_TOLERANCE:
        raise ApplicationError(_("A complaint cannot be received in the future."), field="received_at")
    complaint = Complaint(
        client=client,
        contact=contact,
        order=order,
        channel=channel,
        category=category,
        severity=severity,
        subject=subject,
        description=(description or "").strip(),
        owner=_check_owner(actor, client, owner),
        received_at=received_at,
        created_by=actor,
        number=allocate_number(COMPLAINT_SCOPE, COMPLAINT_PREFIX, now=received_at),
    )
    sla.start_clocks(complaint)
    complaint.save()
    ComplaintActivity.objects.create(
        complaint=complaint, kind=ActivityKind.CREATED, author=actor, at=now, body=complaint.description
    )
    return complaint


def _editable(actor: User, complaint: Complaint) -> Complaint:
    # Lock only the complaint row: PostgreSQL refuses FOR UPDATE on the nullable side of the
    # calendar's outer join, and the client row needs no lock.
    locked = Complaint.objects.select_for_update(of=("self",))
    complaint = locked.select_related("client", "calendar").get(pk=complaint.pk)
    if not can_edit_complaint(actor, complaint):
        raise ApplicationError(_("You can view this complaint but not change it."))
    if complaint.status == ComplaintStatus.CLOSED:
        raise ApplicationError(_("A closed complaint cannot be changed."))
    return complaint


@transaction.atomic
def update_complaint(
    *,
    actor: User,
    complaint: Complaint,
    category: ComplaintCategory,
    subject: str,
    description: str = "",
    contact: Contact | None = None,
    order: Order | None = None,
    channel: str | None = None,
) -> Complaint:
    """Correct the complaint's details (not its severity, owner or status: those have their own steps)."""
    complaint = _editable(actor, complaint)
    subject = (subject or "").strip()
    if not subject:
        raise ApplicationError(_("Say in a few words what the complaint is about."), field="subject")
    _check_category(category)
    _check_related(complaint.client, contact=contact, order=order)
    complaint.category, complaint.subject, complaint.description = category, subject, (description or "").strip()
    complaint.contact, complaint.order = contact, order
    if channel:
        complaint.channel = channel
    complaint.save()
    return complaint


@transaction.atomic
def change_severity(*, actor: User, complaint: Complaint, severity: str, now: datetime | None = None) -> Complaint:
    """A new severity takes the policy's targets for it; the due times are recomputed from the received time."""
    now = now or timezone.now()
    complaint = _editable(actor, complaint)
    if severity not in Severity.values:
        raise ApplicationError(_("Choose a severity."), field="severity")
    if severity == complaint.severity:
        return complaint
    old = complaint.severity
    complaint.severity = severity
    if complaint.is_open:
        sla.retarget(complaint)
    complaint.save()
    ComplaintActivity.objects.create(
        complaint=complaint, kind=ActivityKind.SEVERITY, author=actor, at=now, from_value=old, to_value=severity
    )
    return complaint


@transaction.atomic
def reassign_complaint(*, actor: User, complaint: Complaint, owner: User, now: datetime | None = None) -> Complaint:
    """Hand the complaint to another owner (team leads and admins); the SLA snapshot stays as it was."""
    now = now or timezone.now()
    complaint = _editable(actor, complaint)
    if not can_reassign_complaint(actor, complaint):
        raise ApplicationError(_("Only team leads and admins reassign complaints."))
    if not owner.is_active:
        raise ApplicationError(_("Choose an active user as the owner."), field="owner")
    if owner.pk == complaint.owner_id:
        return complaint
    old = complaint.owner
    complaint.owner = owner
    complaint.save(update_fields=["owner", "updated_at"])
    reassignment_activity(complaint, actor=actor, old_owner=old, new_owner=owner, now=now).save()
    return complaint


def reassignment_activity(
    complaint: Complaint, *, actor: User, old_owner: User | None, new_owner: User, now: datetime
) -> ComplaintActivity:
    """The thread's "reassigned" entry (unsaved, so a handover of many complaints writes them in one go)."""
    return ComplaintActivity(
        complaint=complaint,
        kind=ActivityKind.REASSIGNED,
        author=actor,
        at=now,
        from_value=str(old_owner or "")[:100],
        to_value=str(new_owner)[:100],
    )


@transaction.atomic
def add_note(*, actor: User, complaint: Complaint, body: str, now: datetime | None = None) -> ComplaintActivity:
    """An internal note on the thread: seen by colleagues, never by the client, not a response."""
    now = now or timezone.now()
    complaint = _editable(actor, complaint)
    body = (body or "").strip()
    if not body:
        raise ApplicationError(_("Write the note."), field="body")
    return ComplaintActivity.objects.create(
        complaint=complaint, kind=ActivityKind.NOTE, author=actor, at=now, body=body
    )


def _log_reply(actor: User, complaint: Complaint, *, kind: str, body: str, now: datetime) -> Interaction:
    """The reply as an outbound interaction on the client's timeline, logged by the actor."""
    fields = {
        "client": complaint.client,
        "kind": kind,
        "direction": Direction.OUTBOUND,
        "occurred_at": now,
        "subject": _("Re: complaint %(number)s") % {"number": complaint.number},
        "notes": body,
    }
    contacts = [complaint.contact] if complaint.contact_id else []
    # The complaint's owner may answer it even on a colleague's client (can_edit_complaint, checked
    # by the caller), which log_interaction's own rule (those who edit the client) would refuse.
    return log_interaction(actor=actor, contacts=contacts, authorized=True, **fields)


@transaction.atomic
def reply_to_client(
    *, actor: User, complaint: Complaint, body: str, kind: str = Kind.EMAIL, now: datetime | None = None
) -> ComplaintActivity:
    """A client-facing reply: logged as an outbound interaction on the client's timeline and counted
    as the first response; a new complaint moves to "in progress"."""
    now = now or timezone.now()
    complaint = _editable(actor, complaint)
    body = (body or "").strip()
    if not body:
        raise ApplicationError(_("Write the reply."), field="body")
    if kind not in REPLY_KINDS:
        raise ApplicationError(_("Choose how you replied."), field="kind")
    interaction = _log_reply(actor, complaint, kind=kind, body=body, now=now)
    if complaint.first_response_at is None:
        sla.record_first_response(complaint, now)
        complaint.save()
    activity = ComplaintActivity.objects.create(
        complaint=complaint, kind=ActivityKind.REPLY, author=actor, at=now, body=body, interaction=interaction
    )
    if complaint.status == ComplaintStatus.NEW:
        transition_complaint(actor=actor, complaint=complaint, to_status=ComplaintStatus.IN_PROGRESS, now=now)
    return activity
