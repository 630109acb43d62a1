"""What complaints adds to lower apps' pages: the client page section, the timeline, the header search."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from clients.sections import ClientSection, register_section
from core.demo import register_seeder
from core.search import SearchResult, register_search_provider
from interactions.timeline import TimelineSource, register_timeline_source

from . import selectors
from .demo import seed_demo_data
from .models import Complaint


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


def register_all() -> None:
    register_seeder("complaints", seed_demo_data, order=40)
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
