"""Who may log, change and complete what: one place for the interaction rules."""

from accounts.models import User
from clients.models import Client
from clients.selectors import can_edit_client

from .models import FollowUp, Interaction


def can_log_on_client(user: User, client: Client) -> bool:
    """Logging work on a client is for those who may edit it (owner, the team's lead, admins)."""
    return can_edit_client(user, client)


def _is_own_or_led(user: User, author_id: int | None, author_team_lead_id: int | None) -> bool:
    if user.is_admin:
        return True
    if author_id == user.pk:
        return True
    return user.is_team_lead and author_team_lead_id == user.pk


def can_edit_interaction(user: User, interaction: Interaction) -> bool:
    """Own entries; a team lead also the entries of their team's members; admins all."""
    author = interaction.logged_by
    return _is_own_or_led(user, author.pk, author.team.lead_id if author.team_id else None)


def can_change_follow_up(user: User, follow_up: FollowUp) -> bool:
    """The assignee, their team lead and admins complete, reschedule or cancel a follow-up."""
    assignee = follow_up.assignee
    return _is_own_or_led(user, assignee.pk, assignee.team.lead_id if assignee.team_id else None)
