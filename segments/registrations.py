"""What segments adds to lower apps' pages: the client list's segment filter (page, CSV export, API), the
segment badges on the client page, and the demo segments."""

from django.utils.translation import gettext_lazy as _

from clients.listing import register_client_groups
from clients.sections import ClientSection, register_section
from core.demo import register_seeder

from .demo import seed_demo_data
from .membership import list_client_segments
from .selectors import list_active_segments, list_segment_members_among


def client_segments_context(request, client, can_edit):
    """The client page's header: a badge for each active segment the client is in, linking to its page."""
    return {"client": client, "segments": list_client_segments(client)}


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
