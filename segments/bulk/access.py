"""Who may act on a segment's members, and which recorded actions each person sees.

Team leads and admins act; managers get a 403 (an action they may not take). A lead sees the actions they took,
an admin every action; another lead's action is a 404 (its existence stays secret).
"""

from django.db.models import QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from accounts.models import User
from clients.models import Client
from core.exceptions import ApplicationError

from ..models import Announcement, BulkAction, Segment
from ..selectors import list_segment_clients


def can_act_on_segments(user: User) -> bool:
    """Team leads (within their team) and admins (on everyone) act on a segment's members."""
    return bool(user.is_authenticated and user.is_active and (user.is_admin or user.is_team_lead))


def check_can_act(actor: User) -> None:
    if not can_act_on_segments(actor):
        raise ApplicationError(_("Only team leads and administrators act on a segment's clients."))


def members_to_act_on(actor: User, segment: Segment) -> tuple[QuerySet[Client], int]:
    """The segment's members the actor acts on (their team's for a lead, all for an admin) and how many there are;
    refused when the actor may not act or there is nobody to act on."""
    check_can_act(actor)
    members = list_segment_clients(actor, segment)
    matched = members.count()
    if not matched:
        raise ApplicationError(_("This segment has no clients you can act on."))
    return members, matched


def actions_visible_to(user: User) -> QuerySet[BulkAction]:
    """The recorded bulk actions the user may open: all for admins, their own for team leads, none for others."""
    qs = BulkAction.objects.all()
    if not can_act_on_segments(user):
        return qs.none()
    if user.is_admin:
        return qs
    return qs.filter(actor=user)


def announcements_visible_to(user: User) -> QuerySet[Announcement]:
    """Announcements whose action the user may open (the same rule as actions_visible_to)."""
    qs = Announcement.objects.all()
    if not can_act_on_segments(user):
        return qs.none()
    return qs if user.is_admin else qs.filter(action__actor=user)


def get_action_for_user(user: User, pk) -> BulkAction:
    """The bulk action if the user may open it, else 404."""
    try:
        return actions_visible_to(user).select_related("actor", "segment").get(pk=pk)
    except (BulkAction.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def get_announcement_for_user(user: User, pk) -> Announcement:
    """The announcement with its action, actor and segment if the user may open it, else 404."""
    try:
        return announcements_visible_to(user).select_related("action__actor", "action__segment").get(pk=pk)
    except (Announcement.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
