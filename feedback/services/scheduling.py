"""Survey requests are rows first (DESIGN principle 1): triggers write them, Celery sends them later.

A unique source key per trigger ("order_delivered:123") means a trigger firing twice still gives
one request.
"""

import uuid
from datetime import datetime, timedelta

from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from clients.models import Status
from clients.selectors import can_edit_client
from complaints.models import Complaint
from contacts.models import Contact
from contacts.selectors import get_primary_contact
from core.exceptions import ApplicationError
from interactions.models import Interaction
from orders.models import Order

from ..models import SuppressedReason, SurveyRequest, SurveyStatus, SurveyTrigger, TriggerKind


@transaction.atomic
def schedule_survey(
    *,
    trigger: str,
    contact: Contact | None,
    source_key: str,
    at: datetime | None = None,
    requested_by: User | None = None,
    template=None,
) -> SurveyRequest | None:
    """Write the request for this trigger (once per source key); None when there is nobody to ask.

    A switched-off trigger or template still leaves a visible row, suppressed with its reason.
    """
    if contact is None:
        return None
    settings_row = SurveyTrigger.objects.select_related("template").filter(kind=trigger).first()
    template = template or (settings_row.template if settings_row else None)
    if template is None:
        return None
    now = timezone.now()
    when = at or now + timedelta(hours=settings_row.delay_hours if settings_row else 0)
    enabled = template.is_active and (trigger == TriggerKind.MANUAL or (settings_row and settings_row.is_enabled))
    row = SurveyRequest(
        contact=contact,
        client_id=contact.client_id,
        template=template,
        kind=template.kind,
        trigger=trigger,
        source_key=source_key,
        language=contact.language,
        scheduled_at=when,
        next_attempt_at=when,
        requested_by=requested_by,
        status=SurveyStatus.SCHEDULED if enabled else SurveyStatus.SUPPRESSED,
        suppressed_reason="" if enabled else SuppressedReason.INACTIVE,
    )
    try:
        with transaction.atomic():
            row.save()
    except IntegrityError:  # this trigger already wrote its request
        return SurveyRequest.objects.get(source_key=source_key)
    return row


def on_order_delivered(*, order_id: int, **kwargs) -> SurveyRequest | None:
    """CSAT to the order's contact (or the client's primary contact), after the trigger's delay."""
    order = Order.objects.select_related("client", "contact").filter(pk=order_id).first()
    if order is None:
        return None
    contact = order.contact or get_primary_contact(order.client)
    return schedule_survey(
        trigger=TriggerKind.ORDER_DELIVERED, contact=contact, source_key=f"order_delivered:{order_id}"
    )


def on_complaint_resolved(*, complaint_id: int, cycle: int, **kwargs) -> SurveyRequest | None:
    """CSAT about the complaint's handling, a day after it is resolved (dropped if it is reopened)."""
    complaint = Complaint.objects.select_related("client", "contact").filter(pk=complaint_id).first()
    if complaint is None:
        return None
    contact = complaint.contact or get_primary_contact(complaint.client)
    return schedule_survey(
        trigger=TriggerKind.COMPLAINT_RESOLVED,
        contact=contact,
        source_key=f"complaint_resolved:{complaint_id}:{cycle}",
    )


def on_complaint_reopened(*, complaint_id: int, cycle: int, **kwargs) -> int:
    """A reopened complaint is not finished: its pending CSAT (previous cycle) is dropped."""
    return SurveyRequest.objects.filter(
        source_key=f"complaint_resolved:{complaint_id}:{cycle - 1}", status=SurveyStatus.SCHEDULED
    ).update(status=SurveyStatus.CANCELLED, suppressed_reason=SuppressedReason.REOPENED, updated_at=timezone.now())


def on_meeting_completed(*, interaction_id: int, **kwargs) -> SurveyRequest | None:
    """CSAT after a meeting or visit, to the first contact who was there (or the primary contact)."""
    meeting = Interaction.objects.select_related("client").filter(pk=interaction_id).first()
    if meeting is None:
        return None
    contact = meeting.contacts.first() or get_primary_contact(meeting.client)
    return schedule_survey(
        trigger=TriggerKind.MEETING_COMPLETED, contact=contact, source_key=f"meeting_completed:{interaction_id}"
    )


def schedule_relationship_nps(*, now: datetime | None = None, limit: int = 2000) -> int:
    """Every N months each contact of an active client gets a relationship NPS (one per period).

    The period number is part of the source key, so running this hourly writes each request once.
    """
    now = now or timezone.now()
    trigger = SurveyTrigger.objects.filter(kind=TriggerKind.RELATIONSHIP_NPS, is_enabled=True).first()
    if trigger is None or not trigger.template.is_active:
        return 0
    months = max(trigger.interval_months, 1)
    period = (now.year * 12 + now.month - 1) // months
    asked = SurveyRequest.objects.filter(
        contact=OuterRef("pk"), source_key__startswith="relationship_nps:", source_key__endswith=f":{period}"
    )
    contacts = (
        Contact.objects.filter(client__status=Status.ACTIVE, survey_opt_out=False)
        .exclude(email="")
        .exclude(Exists(asked))
        .select_related("client")[:limit]
    )
    written = 0
    for contact in contacts:
        key = f"relationship_nps:{contact.pk}:{period}"
        # spread over the period's first days rather than all at once
        at = now + timedelta(hours=(contact.pk % 72))
        if schedule_survey(trigger=TriggerKind.RELATIONSHIP_NPS, contact=contact, source_key=key, at=at):
            written += 1
    return written


def send_survey_now(*, actor: User, contact: Contact, template) -> SurveyRequest:
    """A manager asks a contact of their client for feedback; the usual rules still apply at sending."""
    if not can_edit_client(actor, contact.client):
        raise ApplicationError(_("You can view this client but not change it."))
    if not template.is_active:
        raise ApplicationError(_("This survey is switched off."), field="template")
    return schedule_survey(
        trigger=TriggerKind.MANUAL,
        contact=contact,
        source_key=f"manual:{uuid.uuid4().hex}",
        at=timezone.now(),
        requested_by=actor,
        template=template,
    )


def cancel_survey_link(*, actor: User, survey: SurveyRequest, now: datetime | None = None) -> SurveyRequest:
    """Make a sent, unanswered survey's link stop working at once (it expires now), e.g. after it was forwarded.

    Whoever may change the client may do it. An answered survey's link already stops changing the answer 24 hours
    after it was given; a scheduled one has no link yet.
    """
    now = now or timezone.now()
    if not can_edit_client(actor, survey.client):
        raise ApplicationError(_("You can view this client but not change it."))
    with transaction.atomic():
        locked = SurveyRequest.objects.select_for_update().get(pk=survey.pk)
        if locked.status != SurveyStatus.SENT or (locked.expires_at and locked.expires_at <= now):
            raise ApplicationError(_("This survey link is no longer open: there is nothing to cancel."))
        locked.status = SurveyStatus.EXPIRED
        locked.expires_at = now
        locked.save(update_fields=["status", "expires_at", "updated_at"])
    return locked
