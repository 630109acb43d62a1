"""What interactions adds to lower apps' pages: the client list's "going cold" filter."""

from django.utils.translation import gettext_lazy as _

from clients.listing import register_client_set

from .selectors import clients_going_cold


def register_all() -> None:
    # The dashboard's "going cold" tile links to /clients/?cold=1: the same rule as "My day".
    register_client_set("cold", _("Going cold"), clients_going_cold)
