"""Reads of complaints. Visibility follows the client's (DESIGN principle 3), plus what the user owns."""

from datetime import datetime

from django.db.models import Case, CharField, DateTimeField, F, IntegerField, Q, QuerySet, Value, When
from django.db.models.lookups import GreaterThanOrEqual
from django.http import Http404
from django.utils import timezone

from accounts.models import User
from clients.models import Client
from clients.selectors import clients_visible_to

from .models import (
    OPEN_STATUSES,
    Complaint,
    ComplaintActivity,
    ComplaintCategory,
    Escalation,
    RootCause,
    Severity,
    SlaState,
)

SEVERITY_RANK = Case(
    When(severity=Severity.CRITICAL, then=Value(0)),
    When(severity=Severity.HIGH, then=Value(1)),
    When(severity=Severity.NORMAL, then=Value(2)),
    default=Value(3),
    output_field=IntegerField(),
)


def complaints_visible_to(user: User) -> QuerySet[Complaint]:
    """Complaints of the clients the user may see, and those the user owns."""
    if not user.is_authenticated or not user.is_active:
        return Complaint.objects.none()
    if user.is_admin:
        return Complaint.objects.all()  # no subquery over every client (clients.selectors.of_visible_clients)
    return Complaint.objects.filter(Q(client__in=clients_visible_to(user).values("pk")) | Q(owner=user))


def sla_state_expression(now: datetime) -> Case:
    """The SLA state computed in the database, the same rule as services.sla.sla_state()."""
    first_open = Q(first_response_at__isnull=True, status__in=OPEN_STATUSES)
    running = Q(resolution_running_since__isnull=False)
    breached = (
        Q(first_response_breached_at__isnull=False)
        | Q(resolution_breached_at__isnull=False)
        | (first_open & Q(first_response_due_at__lte=now))
        | (running & Q(resolution_due_at__lte=now))
    )
    at_risk = (first_open & Q(first_response_at_risk_at__lte=now)) | (running & Q(resolution_at_risk_at__lte=now))
    paused = Q(waiting_since__isnull=False)
    # used ≥ 75 % of the target, in integers: used × 4 ≥ target × 3
    paused_at_risk = paused & Q(GreaterThanOrEqual(F("resolution_used_minutes") * 4, F("sla_resolution_minutes") * 3))
    return Case(
        When(breached, then=Value(SlaState.BREACHED)),
        When(~Q(status__in=OPEN_STATUSES), then=Value(SlaState.MET)),
        When(at_risk | paused_at_risk, then=Value(SlaState.AT_RISK)),
        When(paused, then=Value(SlaState.PAUSED)),
        default=Value(SlaState.ON_TRACK),
        output_field=CharField(),
    )


def next_deadline_expression() -> Case:
    """The next due time that matters: the first response while unanswered, else the resolution."""
    return Case(
        When(~Q(status__in=OPEN_STATUSES), then=Value(None)),  # nothing is due on a resolved or closed one
        When(first_response_at__isnull=True, first_response_due_at__isnull=False, then=F("first_response_due_at")),
        default=F("resolution_due_at"),
        output_field=DateTimeField(),
    )


def with_sla(qs: QuerySet[Complaint], *, now: datetime | None = None) -> QuerySet[Complaint]:
    """Annotate `sla` (state), `next_due` and `severity_rank`, for filtering and sorting in the database."""
    now = now or timezone.now()
    return qs.annotate(sla=sla_state_expression(now), next_due=next_deadline_expression(), severity_rank=SEVERITY_RANK)


def list_complaints(user: User) -> QuerySet[Complaint]:
    """Visible complaints with what a list row shows, in a constant number of queries."""
    return with_sla(complaints_visible_to(user)).select_related("client", "owner", "category")


def get_complaint_for_user(user: User, pk) -> Complaint:
    """The complaint if the user may see it, else 404."""
    try:
        return (
            with_sla(complaints_visible_to(user))
            .select_related(
                "client__account_manager__team", "contact", "order", "owner__team", "category", "root_cause", "calendar"
            )
            .get(pk=pk)
        )
    except (Complaint.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def list_thread(complaint: Complaint) -> list[ComplaintActivity]:
    """The complaint's thread, oldest first, with authors and the replies' interactions."""
    return list(complaint.activities.select_related("author", "interaction"))


def list_escalations(complaint: Complaint) -> list[Escalation]:
    return list(complaint.escalations.select_related("recipient").order_by("created_at", "pk"))


def list_client_open_complaints(client: Client, *, limit: int = 10) -> list[Complaint]:
    """The client's open complaints, most urgent first, for its page."""
    return list(
        with_sla(Complaint.objects.filter(client=client, status__in=OPEN_STATUSES))
        .select_related("owner", "category")
        .order_by(F("next_due").asc(nulls_last=True), "pk")[:limit]
    )


def search_complaints(user: User, term: str, limit: int) -> list[Complaint]:
    """Complaints whose number contains the term ("45", "CMP-2026-000045"), newest first."""
    return list(
        complaints_visible_to(user)
        .filter(number__icontains=term.strip())
        .select_related("client")
        .order_by("-received_at")[:limit]
    )


def list_categories() -> QuerySet[ComplaintCategory]:
    return ComplaintCategory.objects.filter(is_active=True)


def list_root_causes() -> QuerySet[RootCause]:
    return RootCause.objects.filter(is_active=True)


def list_recent_escalations_for(user: User, *, limit: int = 20) -> list[Escalation]:
    """Escalations addressed to the user (a team lead's view), newest first."""
    return list(
        Escalation.objects.filter(recipient=user)
        .select_related("complaint__client", "complaint__owner")
        .order_by("-created_at", "-pk")[:limit]
    )
