"""Who may change which order: the client's rules (DESIGN principle 3), in one place."""

from accounts.models import User
from clients.selectors import can_edit_client

from .models import Order


def can_edit_order(user: User, order: Order) -> bool:
    """Orders are changed by those who may edit the client: its manager, the team's lead, admins."""
    return can_edit_client(user, order.client)
