"""What complaints adds to lower apps' pages: the client page section, the timeline, the header search, and what a
client handover does here (open complaints move to the new manager)."""

from django.db.models import Exists, F, OuterRef, Prefetch, QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import User
from clients.handover import HandoverRun, register_handover_step
from clients.models import Client, HandoverClient
from clients.sections import ClientSection, register_section
from contacts.personal_data import record, register_personal_data_source
from core.demo import register_seeder
from core.search import SearchResult, register_search_provider
from interactions.timeline import TimelineSource, register_timeline_source

from . import selectors
from .demo import seed_demo_data
from .models import OPEN_STATUSES, ActivityKind, Complaint, ComplaintActivity
from .services.complaints import reassignment_activity

BATCH_SIZE = 500


def search_complaint_results(user, term: str, limit: int) -> list[SearchResult]:
    """Header search: complaints by number, within what the user may see."""
    return [
        SearchResult(
            kind=_("Complaint"),
            title=f"{complaint.number} · {complaint.subject}",
            subtitle=f"{complaint.client.name} · {complaint.get_status_display()}",
            url=complaint.get_absolute_url(),
        )
        for complaint in selectors.search_complaints(user, term, limit)
    ]


def client_complaints_context(request, client, can_edit):
    """The client page's open complaints with their SLA state, and the way to register one."""
    return {"client": client, "can_edit": can_edit, "complaints": selectors.list_client_open_complaints(client)}


def _client_complaints(client):
    return Complaint.objects.filter(client=client)


def _load_complaints(ids):
    return Complaint.objects.select_related("owner", "category").in_bulk(ids)


def count_handover_complaints(clients: QuerySet[Client], manager: User | None) -> int:
    """Open complaints of these clients that a handover to `manager` would move: those the clients' managers own."""
    moving = Complaint.objects.filter(
        status__in=OPEN_STATUSES, client__in=clients.values("pk"), owner=F("client__account_manager")
    )
    return (moving.exclude(owner=manager) if manager is not None else moving).count()


def move_handover_complaints(run: HandoverRun) -> int:
    """The handed-over clients' open complaints owned by their previous manager go to the new one, each with a
    "reassigned" entry in its thread as reassign_complaint writes; the SLA snapshot stays as it was (as there).
    Complaints a colleague owns, and resolved or closed ones, stay as they are."""
    of_previous_manager = HandoverClient.objects.filter(
        handover=run.handover, client=OuterRef("client"), previous_manager=OuterRef("owner")
    )
    moving = list(
        Complaint.objects.select_for_update(of=("self",))
        .filter(Exists(of_previous_manager), status__in=OPEN_STATUSES)
        .only("pk", "owner_id")
    )
    if not moving:
        return 0
    Complaint.objects.filter(pk__in=[complaint.pk for complaint in moving]).update(
        owner=run.manager, updated_at=run.now
    )
    ComplaintActivity.objects.bulk_create(
        [
            reassignment_activity(
                complaint,
                actor=run.actor,
                old_owner=run.previous_managers.get(complaint.owner_id),
                new_owner=run.manager,
                now=run.now,
            )
            for complaint in moving
        ],
        batch_size=BATCH_SIZE,
    )
    return len(moving)


def export_contact_complaints(contact) -> list[dict]:
    """A contact's data export: the complaints they made, with the replies they were sent (not internal notes)."""
    replies = ComplaintActivity.objects.filter(kind=ActivityKind.REPLY).order_by("at", "pk")
    complaints = (
        Complaint.objects.filter(contact=contact)
        .select_related("category")
        .prefetch_related(Prefetch("activities", queryset=replies, to_attr="replies"))
        .order_by("pk")
    )
    fields = ("id", "number", "client", "order", "channel", "severity", "status", "subject", "description")
    return [
        {
            **record(complaint, *fields, "received_at", "resolved_at", "closed_at", "resolution"),
            "category": complaint.category.name,
            "replies": [record(reply, "at", "body") for reply in complaint.replies],
        }
        for complaint in complaints
    ]


def register_all() -> None:
    register_seeder("complaints", seed_demo_data, order=40)
    register_personal_data_source(
        "complaints", export_contact_complaints, label=gettext_lazy("Complaints they made"), order=30
    )
    register_search_provider("complaints", search_complaint_results, order=40)
    register_section(
        ClientSection(
            key="client-complaints",
            template="complaints/client_complaints_section.html",
            get_context=client_complaints_context,
            slot="side",
            order=3,  # above follow-ups: an open complaint is the most urgent thing on the page
        )
    )
    register_handover_step(
        "complaints",
        move_handover_complaints,
        count=count_handover_complaints,
        label=gettext_lazy("Open complaints"),
        order=20,
    )
    # One entry per complaint, at the time it was received, showing its current status.
    register_timeline_source(
        TimelineSource(
            key="complaints",
            label=gettext_lazy("Complaints"),
            rows=_client_complaints,
            at_field="received_at",
            load=_load_complaints,
            template="complaints/complaint_timeline_entry.html",
            order=20,
        )
    )
