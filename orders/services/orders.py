"""Taking and changing orders: numbers, lines and stored totals."""

from datetime import date, datetime
from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import User
from clients.models import Client
from clients.selectors import can_edit_client
from contacts.models import Contact
from core.exceptions import ApplicationError
from core.money import allowed_currencies, minor_units
from core.numbering import allocate_number

from ..models import Order, OrderLine, OrderStatus, OrderTransition
from ..permissions import can_edit_order
from .pricing import LineData, compute_totals

ORDER_SCOPE, ORDER_PREFIX = "order", "ORD"
MAX_LINES = 200


def allocate_order_number(*, now: datetime | None = None) -> str:
    """The next order number of the year, e.g. ORD-2026-000123, without gaps (core.numbering)."""
    return allocate_number(ORDER_SCOPE, ORDER_PREFIX, now=now)


def _check_currency(currency: str) -> str:
    currency = (currency or "").strip().upper()
    if currency not in allowed_currencies():
        raise ApplicationError(
            _("Unknown currency “%(code)s”. Use one of: %(codes)s.")
            % {"code": currency, "codes": ", ".join(allowed_currencies())},
            field="currency",
        )
    return currency


def _check_contact(client: Client, contact: Contact | None) -> None:
    if contact is not None and contact.client_id != client.pk:
        raise ApplicationError(_("Choose a contact of this client."), field="contact")


# The decimal places of OrderLine.quantity, unit_price and discount_percent.
_STEPS = (Decimal("0.001"), Decimal("0.0001"), Decimal("0.01"))


def _clean_lines(lines: list[LineData], currency: str) -> list[LineData]:
    if len(lines) > MAX_LINES:
        raise ApplicationError(_("An order can have at most %(count)d lines.") % {"count": MAX_LINES}, field="lines")
    for number, line in enumerate(lines, start=1):
        where = _("Line %(number)d") % {"number": number}
        line.description = (line.description or "").strip() or (line.product.name if line.product else "")
        if not line.description:
            raise ApplicationError(f"{where}: " + _("choose a product or describe the item."), field="lines")
        if line.quantity is None or line.quantity <= 0:
            raise ApplicationError(f"{where}: " + _("the quantity must be greater than zero."), field="lines")
        if line.unit_price is None or line.unit_price < 0:
            raise ApplicationError(f"{where}: " + _("the unit price cannot be negative."), field="lines")
        if not Decimal(0) <= line.discount_percent <= Decimal(100):
            raise ApplicationError(f"{where}: " + _("the discount must be between 0 and 100 %."), field="lines")
        # More digits than the columns keep would be rounded away on save, and the stored
        # line total would no longer match the stored quantity, price and discount.
        numbers = (line.quantity, line.unit_price, line.discount_percent)
        if any(value != value.quantize(step) for value, step in zip(numbers, _STEPS, strict=True)):
            raise ApplicationError(
                f"{where}: " + _("too many decimals (quantity 3, unit price 4, discount 2)."), field="lines"
            )
        if line.product is not None and not line.unit:
            line.unit = line.product.unit
    if minor_units(currency) > 2:
        raise ApplicationError(_("Currencies with more than two decimals are not supported."), field="currency")
    return lines


def _apply_totals(order: Order, lines: list[LineData]) -> list[Decimal]:
    """Store the totals computed from the lines on the order (not saved); returns each line's total."""
    totals = compute_totals(lines, order.currency)
    order.subtotal, order.discount_total, order.total = totals.subtotal, totals.discount_total, totals.total
    return totals.line_totals


def build_line_rows(order: Order, lines: list[LineData], line_totals: list[Decimal]) -> list[OrderLine]:
    """Unsaved OrderLine rows for the lines, numbered from 1 (shared with the demo data)."""
    return [
        OrderLine(
            order=order,
            position=position,
            product=line.product,
            description=line.description,
            quantity=line.quantity,
            unit=line.unit,
            unit_price=line.unit_price,
            discount_percent=line.discount_percent,
            line_total=line_total,
        )
        for position, (line, line_total) in enumerate(zip(lines, line_totals, strict=True), start=1)
    ]


def _replace_lines(order: Order, lines: list[LineData], line_totals: list[Decimal]) -> None:
    order.lines.all().delete()
    OrderLine.objects.bulk_create(build_line_rows(order, lines, line_totals))


@transaction.atomic
def create_order(
    *,
    actor: User,
    client: Client,
    lines: list[LineData],
    contact: Contact | None = None,
    currency: str = "",
    promised_on: date | None = None,
    notes: str = "",
) -> Order:
    """Take a draft order for a client the actor may edit; it gets the next number of the year."""
    if not can_edit_client(actor, client):
        raise ApplicationError(_("You can view this client but not change it."))
    currency = _check_currency(currency or allowed_currencies()[0])
    _check_contact(client, contact)
    lines = _clean_lines(lines, currency)
    order = Order(
        client=client,
        contact=contact,
        currency=currency,
        promised_on=promised_on,
        notes=(notes or "").strip(),
        created_by=actor,
        number=allocate_order_number(),
    )
    # Totals before the first save: the order's history starts with its real total.
    line_totals = _apply_totals(order, lines)
    order._history_user = actor
    order.save()
    _replace_lines(order, lines, line_totals)
    OrderTransition.objects.create(order=order, from_status="", to_status=OrderStatus.DRAFT, actor=actor)
    return order


_UNSET = object()


@transaction.atomic
def update_order(
    *,
    actor: User,
    order: Order,
    contact=_UNSET,
    promised_on=_UNSET,
    notes=_UNSET,
    currency=_UNSET,
    lines: list[LineData] | None = None,
) -> Order:
    """Change an order's details; lines and currency only while it is a draft, nothing once it is closed."""
    order = Order.objects.select_for_update().select_related("client").get(pk=order.pk)
    if not can_edit_order(actor, order):
        raise ApplicationError(_("You can view this order but not change it."))
    if order.status in (OrderStatus.DELIVERED, OrderStatus.CANCELLED):
        raise ApplicationError(_("A delivered or cancelled order cannot be changed."))
    # Normalised first, so "eur" on a confirmed EUR order is no change rather than a refusal.
    new_currency = order.currency if currency is _UNSET else _check_currency(currency)
    currency_changed = new_currency != order.currency
    if not order.is_editable and (lines is not None or currency_changed):
        raise ApplicationError(_("Lines and currency can only be changed while the order is a draft."), field="lines")
    if contact is not _UNSET:
        _check_contact(order.client, contact)
        order.contact = contact
    if promised_on is not _UNSET:
        # Confirming needs a promised date; clearing it later would silently drop the promise
        # from the overdue notices and the on-time figures.
        if promised_on is None and not order.is_editable:
            raise ApplicationError(_("A confirmed order needs a promised delivery date."), field="promised_on")
        order.promised_on = promised_on
    if notes is not _UNSET:
        order.notes = (notes or "").strip()
    order.currency = new_currency
    if lines is None and currency_changed:  # same lines, new currency: checked for it and rounded again
        lines = [_line_data(line) for line in order.lines.all()]
    if lines is not None:
        lines = _clean_lines(lines, order.currency)
        line_totals = _apply_totals(order, lines)
    order._history_user = actor
    order.save()
    if lines is not None:
        _replace_lines(order, lines, line_totals)
    return order


def _line_data(line: OrderLine) -> LineData:
    return LineData(
        product=line.product,
        description=line.description,
        quantity=line.quantity,
        unit=line.unit,
        unit_price=line.unit_price,
        discount_percent=line.discount_percent,
    )
