"""Who may change which complaint: the client's rules, plus the complaint's owner."""

from accounts.models import User
from clients.selectors import can_edit_client

from .models import Complaint


def can_edit_complaint(user: User, complaint: Complaint) -> bool:
    """Those who may edit the client (its manager, the team's lead, admins) and the complaint's owner."""
    return complaint.owner_id == user.pk or can_edit_client(user, complaint.client)


def can_reassign_complaint(user: User, complaint: Complaint) -> bool:
    """Handing a complaint to someone else is for team leads (their team's clients) and admins."""
    return (user.is_admin or user.is_team_lead) and can_edit_client(user, complaint.client)
