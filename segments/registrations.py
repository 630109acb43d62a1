"""What segments adds to lower apps' pages: the client list's segment filter (page, CSV export, API), the
segment badges on the client page, and the demo segments."""

from django.utils.translation import gettext_lazy as _

from clients.listing import register_client_groups
from clients.sections import ClientSection, register_section
from contacts.personal_data import Erasure, record, register_personal_data_source
from core.demo import register_seeder
from core.outbox import DeliveryStatus

from .demo import seed_demo_data
from .membership import list_client_segments
from .models import AnnouncementDelivery, SkippedReason
from .selectors import list_active_segments, list_segment_members_among


def client_segments_context(request, client, can_edit):
    """The client page's header: a badge for each active segment the client is in, linking to its page."""
    return {"client": client, "segments": list_client_segments(client)}


def export_contact_announcements(contact) -> list[dict]:
    """A contact's data export: each announcement e-mail to them, in the language it went out in."""
    deliveries = AnnouncementDelivery.objects.filter(contact=contact).select_related("announcement").order_by("pk")
    return [
        {
            **record(delivery, "id", "announcement", "email", "language", "status", "sent_at", "skipped_reason"),
            "subject": delivery.announcement.text("subject", delivery.language),
        }
        for delivery in deliveries
    ]


def erase_contact_announcements(erasure: Erasure) -> int:
    """The announcement rows keep a copy of the address they went to: it goes, with any delivery error quoting
    it, and an e-mail still waiting is not sent."""
    deliveries = AnnouncementDelivery.objects.filter(contact=erasure.contact)
    changed = deliveries.filter(status=DeliveryStatus.PENDING).update(
        status=DeliveryStatus.CANCELLED, skipped_reason=SkippedReason.NO_EMAIL
    )
    return changed + deliveries.exclude(email="", last_error="").update(email="", last_error="")


def register_all() -> None:
    register_client_groups(
        "segment",
        label=_("Segment"),
        empty_label=_("All segments"),
        list_groups=list_active_segments,
        narrow=list_segment_members_among,
    )
    register_section(
        ClientSection(
            key="client-segments",
            template="segments/client_segments_section.html",
            get_context=client_segments_context,
            slot="header",
            order=5,  # right under the title, above the key figures
        )
    )
    register_seeder("segments", seed_demo_data, order=60)  # after feedback: the rules count answers too
    register_personal_data_source(
        "announcements",
        export_contact_announcements,
        erase=erase_contact_announcements,
        label=_("Announcement e-mails"),
        order=50,
    )
