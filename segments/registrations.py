"""What segments adds to lower apps' pages: the client list's segment filter (page, CSV export, API)."""

from django.utils.translation import gettext_lazy as _

from clients.listing import register_client_groups

from .selectors import list_active_segments, list_segment_members_among


def register_all() -> None:
    register_client_groups(
        "segment",
        label=_("Segment"),
        empty_label=_("All segments"),
        list_groups=list_active_segments,
        narrow=list_segment_members_among,
    )
