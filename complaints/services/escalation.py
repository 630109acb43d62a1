"""Escalation by Celery beat: at risk → the owner is told; breached → the team lead is told and the
complaint is marked escalated. Each level happens once per complaint and reopen cycle: the unique
Escalation row is the guard, and its e-mail is delivered exactly once (core.outbox).

Escalation never changes severity or owner; it records, notifies and shows.
"""

from datetime import datetime

from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.db.models import Exists, F, OuterRef, Q
from django.template.loader import render_to_string
from django.utils import timezone, translation

from accounts.models import Role, User
from core import outbox
from interactions.services.notifications import absolute_url, notify, recipient_zone

from ..business_time import next_business_moment
from ..models import (
    OPEN_STATUSES,
    ActivityKind,
    Complaint,
    ComplaintActivity,
    Escalation,
    EscalationLevel,
    Severity,
)
from .sla import get_business_calendar, working_calendar

FIRST, RESOLUTION = "first_response", "resolution"


def _crossed(now: datetime, *, due: bool) -> Q:
    """Open complaints whose first-response or running resolution clock has crossed its line."""
    first_field = "first_response_due_at" if due else "first_response_at_risk_at"
    resolution_field = "resolution_due_at" if due else "resolution_at_risk_at"
    first = Q(first_response_at__isnull=True, **{f"{first_field}__lte": now})
    resolution = Q(resolution_running_since__isnull=False, **{f"{resolution_field}__lte": now})
    return Q(status__in=OPEN_STATUSES) & (first | resolution)


def _clock(complaint: Complaint, now: datetime, *, due: bool) -> str:
    first = complaint.first_response_due_at if due else complaint.first_response_at_risk_at
    if complaint.first_response_at is None and first is not None and first <= now:
        return FIRST
    return RESOLUTION


def _lead_of(owner: User | None) -> User | None:
    """Who hears of a breach: the owner's team lead, else the first active admin."""
    if owner is not None and owner.team_id and owner.team.lead_id and owner.team.lead.is_active:
        return owner.team.lead
    return User.objects.filter(role=Role.ADMIN, is_active=True).order_by("pk").first()


def _email_time(complaint: Complaint, recipient: User, now: datetime) -> datetime:
    """Critical complaints are e-mailed at once; the others wait for the recipient's business hours."""
    if complaint.severity == Severity.CRITICAL:
        return now
    return next_business_moment(working_calendar(get_business_calendar(recipient)), now)


def _escalate(complaint: Complaint, level: str, recipient: User, now: datetime, *, due: bool) -> bool:
    """Write the level's row, its thread entry and the in-app notification, all or nothing, once.

    A second run (or a concurrent beat) hits the unique row and does nothing.
    """
    with transaction.atomic():
        try:
            with transaction.atomic():
                escalation = Escalation.objects.create(
                    complaint=complaint,
                    cycle=complaint.cycle,
                    level=level,
                    clock=_clock(complaint, now, due=due),
                    recipient=recipient,
                    next_attempt_at=_email_time(complaint, recipient, now),
                )
        except IntegrityError:
            return False  # this level of this cycle is already escalated
        ComplaintActivity.objects.create(
            complaint=complaint, kind=ActivityKind.ESCALATION, at=now, to_value=level, body=str(recipient)
        )
        if level == EscalationLevel.BREACHED:
            Complaint.objects.filter(pk=complaint.pk, escalated_at__isnull=True).update(escalated_at=now)
        with translation.override(recipient.language), timezone.override(recipient_zone(recipient)):
            notify(
                recipient=recipient,
                key=f"escalation:{escalation.pk}",
                title=_subject(escalation),
                body=complaint.client.name,
                url=complaint.get_absolute_url(),
            )
    return True


def escalate_due_complaints(*, now: datetime | None = None, limit: int = 500) -> int:
    """Record breaches and write the escalations that are due; returns how many escalations were written."""
    now = now or timezone.now()
    still_open = Complaint.objects.filter(status__in=OPEN_STATUSES)
    # Breach times are the due times themselves, recorded once and never cleared.
    still_open.filter(
        first_response_at__isnull=True, first_response_due_at__lte=now, first_response_breached_at__isnull=True
    ).update(first_response_breached_at=F("first_response_due_at"))
    still_open.filter(
        resolution_running_since__isnull=False, resolution_due_at__lte=now, resolution_breached_at__isnull=True
    ).update(resolution_breached_at=F("resolution_due_at"))

    written = 0
    for level, due in ((EscalationLevel.BREACHED, True), (EscalationLevel.AT_RISK, False)):
        done = Escalation.objects.filter(complaint=OuterRef("pk"), cycle=OuterRef("cycle"), level=level)
        candidates = (
            Complaint.objects.filter(_crossed(now, due=due))
            .exclude(Exists(done))
            .select_related("client", "owner__team__lead")
            .order_by("pk")[:limit]
        )
        for complaint in candidates:
            recipient = _lead_of(complaint.owner) if level == EscalationLevel.BREACHED else complaint.owner
            if recipient is not None and _escalate(complaint, level, recipient, now, due=due):
                written += 1
    return written


def _subject(escalation: Escalation) -> str:
    context = {"escalation": escalation, "complaint": escalation.complaint}
    return " ".join(render_to_string("complaints/email/escalation_subject.txt", context).split())


def _still_wanted(escalation: Escalation) -> bool:
    complaint = escalation.complaint
    return escalation.recipient.is_active and complaint.is_open and complaint.cycle == escalation.cycle


def _send(escalation: Escalation) -> None:
    """E-mail the recipient in their language and time zone (the notification went out with the row)."""
    user, complaint = escalation.recipient, escalation.complaint
    context = {
        "user": user,
        "escalation": escalation,
        "complaint": complaint,
        "complaint_url": absolute_url(complaint.get_absolute_url()),
    }
    with translation.override(user.language), timezone.override(recipient_zone(user)):
        subject = _subject(escalation)
        body = render_to_string("complaints/email/escalation_body.txt", context)
    EmailMultiAlternatives(subject=subject, body=body, to=[user.email]).send()


def deliver_escalation(escalation_id: int, *, now: datetime | None = None) -> bool:
    """E-mail one escalation exactly once, when its time has come; dropped if the complaint was resolved."""
    return outbox.deliver_once(
        Escalation,
        escalation_id,
        send=_send,
        still_wanted=_still_wanted,
        select_related=("recipient", "complaint__client", "complaint__owner"),
        now=now,
    )


def list_due_escalations(*, now: datetime | None = None) -> list[int]:
    return outbox.list_due_rows(Escalation, now=now)
