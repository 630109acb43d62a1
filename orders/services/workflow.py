"""The order status workflow: only allowed transitions, each recorded with who, when and why."""

from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from core.exceptions import ApplicationError

from ..models import TRANSITIONS, Order, OrderStatus, OrderTransition
from ..permissions import can_edit_order
from ..signals import order_delivered


class TransitionNotAllowed(ApplicationError):
    """The order's current status does not lead to the requested one (the API answers 409)."""


def _label(status: str) -> str:
    return str(OrderStatus(status).label)


@transaction.atomic
def transition_order(
    *, actor: User, order: Order, to_status: str, reason: str = "", now: datetime | None = None
) -> Order:
    """Move the order to `to_status` if the workflow allows it from its current status.

    The row is locked first, so two people pressing "Confirm" at once give one transition
    and one clear refusal. Confirming needs lines and a promised date; cancelling needs a
    reason; delivering stamps delivered_at and, after commit, emits `order_delivered`.
    """
    now = now or timezone.now()
    order = Order.objects.select_for_update().select_related("client").get(pk=order.pk)
    if not can_edit_order(actor, order):
        raise ApplicationError(_("You can view this order but not change it."))
    if to_status not in OrderStatus.values:
        raise ApplicationError(_("Unknown status “%(status)s”.") % {"status": to_status}, field="status")
    if to_status not in TRANSITIONS[order.status]:
        raise TransitionNotAllowed(
            _("An order that is %(current)s cannot become %(target)s.")
            % {"current": _label(order.status).lower(), "target": _label(to_status).lower()},
            field="status",
        )
    reason = (reason or "").strip()
    if to_status == OrderStatus.CONFIRMED:
        if not order.lines.exists():
            raise ApplicationError(_("Add at least one line before confirming the order."), field="status")
        if order.promised_on is None:
            raise ApplicationError(_("Set the promised delivery date before confirming."), field="promised_on")
    if to_status == OrderStatus.CANCELLED:
        if not reason:
            raise ApplicationError(_("Give a reason for cancelling the order."), field="reason")
        order.cancel_reason = reason
    if to_status == OrderStatus.DELIVERED:
        order.delivered_at = now
    from_status, order.status = order.status, to_status
    order._history_user = actor
    order.save()
    OrderTransition.objects.create(
        order=order, from_status=from_status, to_status=to_status, actor=actor, at=now, reason=reason
    )
    if to_status == OrderStatus.DELIVERED:
        # Receivers (the CSAT survey of the feedback app) run only once the delivery is committed.
        transaction.on_commit(
            lambda: order_delivered.send(
                sender=Order, order_id=order.pk, delivered_at=order.delivered_at, actor_id=actor.pk
            )
        )
    return order
