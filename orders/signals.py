"""Domain events of orders that higher apps (feedback) listen to.

Sent by the services after the transaction commits, so a receiver never sees an order
that was rolled back, and each event is sent once per real change.
"""

from django.dispatch import Signal

# kwargs: order_id (int), delivered_at (datetime), actor_id (int | None)
order_delivered = Signal()
