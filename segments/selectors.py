"""Reads of segments: their members, always within what the user may see."""

import datetime

from django.db.models import QuerySet
from django.utils import timezone

from accounts.models import User
from clients.models import Client
from clients.selectors import clients_visible_to

from .models import Segment
from .rules import compile_rules, validate_rules


def list_segment_clients(user: User, segment: Segment, *, now: datetime.datetime | None = None) -> QuerySet[Client]:
    """The segment's members the user may see, as one query (the rules compiled, intersected with visibility)."""
    # Saved rules were validated on save; re-checking the shape costs no query, looking ids up again would.
    cleaned = validate_rules(segment.rules, check_ids=False)
    condition = compile_rules(cleaned, now=now or timezone.now())
    return clients_visible_to(user).filter(condition).select_related("account_manager").order_by("name", "pk")
