"""Domain events of complaints that higher apps (feedback) listen to; sent after the commit."""

from django.dispatch import Signal

# kwargs: complaint_id (int), resolved_at (datetime), cycle (int), actor_id (int | None)
complaint_resolved = Signal()
# kwargs: complaint_id (int), cycle (int), actor_id (int | None) — a pending complaint CSAT is dropped
complaint_reopened = Signal()
