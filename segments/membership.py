"""Which active segments one client belongs to: the badges on the client page."""

import datetime
import logging

from django.db.models import Exists, OuterRef
from django.utils import timezone

from clients.models import Client
from core.exceptions import ApplicationError

from .models import Segment
from .selectors import get_segment_condition, list_active_segments

logger = logging.getLogger(__name__)


def list_client_segments(client: Client, *, now: datetime.datetime | None = None) -> list[Segment]:
    """The active segments the client is a member of, by name: the segments in one query, and the client's
    membership of all of them in one more (an EXISTS per segment on the client's own row)."""
    now = now or timezone.now()
    conditions = {}
    segments = list(list_active_segments())
    for segment in segments:
        try:
            conditions[segment.pk] = get_segment_condition(segment, now=now)
        except ApplicationError:
            logger.warning("Segment %s has invalid rules; left off the client page.", segment.pk)
    if not conditions:
        return []
    flags = {
        f"in_{pk}": Exists(Client.objects.filter(pk=OuterRef("pk")).filter(condition))
        for pk, condition in conditions.items()
    }
    row = Client.objects.filter(pk=client.pk).values(**flags).first() or {}
    return [segment for segment in segments if row.get(f"in_{segment.pk}")]
