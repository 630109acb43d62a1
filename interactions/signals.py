"""Domain events of interactions that higher apps (feedback) listen to; sent after the commit."""

from django.dispatch import Signal

# A meeting or visit took place (logged as completed, or a planned one completed).
# kwargs: interaction_id (int), actor_id (int)
meeting_completed = Signal()
