"""Reads about staff: who belongs where, who may take over a client, who signs in with a second factor."""

from django.db.models import QuerySet
from django_otp.plugins.otp_totp.models import TOTPDevice

from .models import AuditEvent, Role, Team, User


def get_led_team_ids(user: User) -> list[int]:
    """Ids of the teams this user leads (empty for anyone but a team lead)."""
    if not user.is_team_lead:
        return []
    return list(Team.objects.filter(lead=user).values_list("id", flat=True))


def list_assignable_managers(user: User) -> QuerySet[User]:
    """Staff to whom `user` may hand a client: the lead's team (and the lead), or anyone for admins."""
    active = User.objects.filter(is_active=True, role__in=[Role.MANAGER, Role.TEAM_LEAD])
    if user.is_admin:
        return active.select_related("team")
    if user.is_team_lead:
        return active.filter(team__lead=user).select_related("team") | active.filter(pk=user.pk)
    return User.objects.none()


def list_visible_staff(user: User) -> QuerySet[User]:
    """Staff whose names may appear in this user's filters (own team, or everyone for admins)."""
    qs = User.objects.filter(is_active=True).exclude(role=Role.ADMIN)
    if user.is_admin:
        return qs
    if user.is_team_lead:
        return qs.filter(team__lead=user) | qs.filter(pk=user.pk)
    if user.team_id:
        return qs.filter(team_id=user.team_id)
    return qs.filter(pk=user.pk)


def get_two_factor_device(user: User) -> TOTPDevice | None:
    """The user's confirmed authenticator key, or None when two-factor sign-in is off (one query)."""
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def has_two_factor(user: User) -> bool:
    """Whether signing in as this user asks for a code after the password."""
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def list_audit_events() -> QuerySet[AuditEvent]:
    """The audit log, newest first, with each actor: one query per page whatever the events."""
    return AuditEvent.objects.select_related("actor").order_by("-created_at", "-pk")
