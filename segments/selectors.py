"""Reads of segments: their members, always within what the user may see."""

import datetime

from django.db.models import Q, QuerySet
from django.utils import timezone

from accounts.models import User
from clients.models import Client
from clients.selectors import clients_visible_to

from .models import Segment
from .rules import compile_rules, validate_rules


def list_active_segments() -> QuerySet[Segment]:
    """The segments people filter by (client list, exports, dashboard): the active ones, by name."""
    return Segment.objects.filter(is_active=True).order_by("name", "pk")


def get_segment_condition(segment: Segment, *, now: datetime.datetime | None = None) -> Q:
    """The segment's rules as one condition over Client as of `now`: EXISTS and correlated subqueries, no join."""
    # Saved rules were validated on save; re-checking the shape costs no query, looking ids up again would.
    cleaned = validate_rules(segment.rules, check_ids=False)
    return compile_rules(cleaned, now=now or timezone.now())


def list_segment_clients(user: User, segment: Segment, *, now: datetime.datetime | None = None) -> QuerySet[Client]:
    """The segment's members the user may see, as one query (the rules compiled, intersected with visibility)."""
    condition = get_segment_condition(segment, now=now)
    return clients_visible_to(user).filter(condition).select_related("account_manager").order_by("name", "pk")


def list_segment_members_among(
    clients: QuerySet[Client], segment_id: int, *, now: datetime.datetime | None = None
) -> QuerySet[Client]:
    """The members of active segment `segment_id` among `clients` (whose visibility the caller applied);
    none when no active segment has that id, so a link to a removed segment never shows everyone."""
    segment = list_active_segments().filter(pk=segment_id).first()
    if segment is None:
        return clients.none()
    return clients.filter(get_segment_condition(segment, now=now))
