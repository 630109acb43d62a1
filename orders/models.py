"""Orders a client places: catalogue, lines, status workflow, attachments and overdue notices."""

import uuid
import zoneinfo
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from clients.models import Client, Tier
from contacts.models import Contact
from core.models import TimeStampedModel
from core.outbox import OutboxRow

PERCENT = [MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(100))]


class Product(TimeStampedModel):
    """A catalogue item with a default price; admins keep the catalogue."""

    name = models.CharField(_("name"), max_length=200)
    sku = models.CharField(_("SKU"), max_length=50, unique=True)
    unit = models.CharField(_("unit"), max_length=20, default="pcs")
    default_price = models.DecimalField(
        _("default price"), max_digits=14, decimal_places=4, validators=[MinValueValidator(Decimal(0))]
    )
    currency = models.CharField(_("currency"), max_length=3)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("product")
        verbose_name_plural = _("products")
        indexes = [models.Index(fields=["is_active", "name"])]

    def __str__(self):
        return f"{self.name} ({self.sku})"


class TierDiscount(models.Model):
    """The discount proposed on new order lines for clients of a tier, unless the client has its own."""

    tier = models.CharField(_("tier"), max_length=10, choices=Tier.choices, unique=True)
    percent = models.DecimalField(_("discount %"), max_digits=5, decimal_places=2, validators=PERCENT)

    class Meta:
        ordering = ["tier"]
        verbose_name = _("tier discount")
        verbose_name_plural = _("tier discounts")

    def __str__(self):
        return f"{self.get_tier_display()}: {self.percent} %"


class OrderStatus(models.TextChoices):
    # A context of their own: in Russian and Lithuanian an order's status agrees with "order".
    DRAFT = "draft", pgettext_lazy("order status", "Draft")
    CONFIRMED = "confirmed", pgettext_lazy("order status", "Confirmed")
    IN_PROGRESS = "in_progress", pgettext_lazy("order status", "In progress")
    SHIPPED = "shipped", pgettext_lazy("order status", "Shipped")
    DELIVERED = "delivered", pgettext_lazy("order status", "Delivered")
    CANCELLED = "cancelled", pgettext_lazy("order status", "Cancelled")


# The workflow: each status and where it may go next. Cancelling is possible before delivery.
TRANSITIONS: dict[str, tuple[str, ...]] = {
    OrderStatus.DRAFT: (OrderStatus.CONFIRMED, OrderStatus.CANCELLED),
    OrderStatus.CONFIRMED: (OrderStatus.IN_PROGRESS, OrderStatus.CANCELLED),
    OrderStatus.IN_PROGRESS: (OrderStatus.SHIPPED, OrderStatus.CANCELLED),
    OrderStatus.SHIPPED: (OrderStatus.DELIVERED, OrderStatus.CANCELLED),
    OrderStatus.DELIVERED: (),
    OrderStatus.CANCELLED: (),
}
# Not (yet) business: drafts are not orders yet and cancelled orders never were; every other status
# counts as placed (dashboards' order metrics, segments' "orders in the last N days").
NOT_PLACED = (OrderStatus.DRAFT, OrderStatus.CANCELLED)
# Committed to the client and not yet delivered: these can be late.
OPEN_STATUSES = (OrderStatus.CONFIRMED, OrderStatus.IN_PROGRESS, OrderStatus.SHIPPED)


class Order(TimeStampedModel):
    number = models.CharField(_("number"), max_length=20, unique=True, editable=False)
    client = models.ForeignKey(Client, verbose_name=_("client"), on_delete=models.PROTECT, related_name="orders")
    contact = models.ForeignKey(
        Contact, verbose_name=_("contact"), null=True, blank=True, on_delete=models.SET_NULL, related_name="orders"
    )
    currency = models.CharField(_("currency"), max_length=3)
    status = models.CharField(_("status"), max_length=12, choices=OrderStatus.choices, default=OrderStatus.DRAFT)
    promised_on = models.DateField(_("promised delivery date"), null=True, blank=True)
    delivered_at = models.DateTimeField(_("delivered at"), null=True, blank=True)
    cancel_reason = models.TextField(_("cancellation reason"), blank=True)
    notes = models.TextField(_("notes"), blank=True)
    # Stored totals, recomputed by the services whenever the lines change (Decimal, never floats).
    subtotal = models.DecimalField(_("subtotal"), max_digits=14, decimal_places=2, default=Decimal("0.00"))
    discount_total = models.DecimalField(_("discount"), max_digits=14, decimal_places=2, default=Decimal("0.00"))
    total = models.DecimalField(_("total"), max_digits=14, decimal_places=2, default=Decimal("0.00"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    # Field edits for the order's history; status changes are OrderTransition rows instead.
    history = HistoricalRecords(
        excluded_fields=[
            "updated_at",
            "number",
            "created_by",
            "status",
            "delivered_at",
            "cancel_reason",
            "subtotal",
            "discount_total",
        ]
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("order")
        verbose_name_plural = _("orders")
        indexes = [
            models.Index(fields=["client", "-created_at"]),
            models.Index(fields=["status", "promised_on"]),
            models.Index(fields=["status", "delivered_at"]),
            models.Index(fields=["created_at"]),  # orders placed in a period (dashboards)
        ]

    def __str__(self):
        return self.number

    def get_absolute_url(self):
        return reverse("orders:detail", args=[self.pk])

    @property
    def allowed_transitions(self) -> tuple[str, ...]:
        return TRANSITIONS[self.status]

    @property
    def is_editable(self) -> bool:
        """Lines and currency can change only while the order is a draft."""
        return self.status == OrderStatus.DRAFT

    @property
    def is_overdue(self) -> bool:
        """Committed, not delivered, and the promised date has passed (in the company's time zone)."""
        return (
            self.status in OPEN_STATUSES
            and self.promised_on is not None
            and self.promised_on < timezone.localdate(timezone=settings_zone())
        )

    @property
    def delivered_on_time(self) -> bool | None:
        if self.delivered_at is None or self.promised_on is None:
            return None
        return timezone.localdate(self.delivered_at, timezone=settings_zone()) <= self.promised_on


def settings_zone() -> zoneinfo.ZoneInfo:
    """Dates of orders (promised, delivered on) are the company's calendar dates."""
    return zoneinfo.ZoneInfo(settings.TIME_ZONE)


class OrderLine(models.Model):
    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="lines")
    position = models.PositiveSmallIntegerField(default=0)
    product = models.ForeignKey(
        Product, verbose_name=_("product"), null=True, blank=True, on_delete=models.PROTECT, related_name="lines"
    )
    description = models.CharField(_("description"), max_length=255)
    quantity = models.DecimalField(_("quantity"), max_digits=12, decimal_places=3)
    unit = models.CharField(_("unit"), max_length=20, blank=True)
    unit_price = models.DecimalField(_("unit price"), max_digits=14, decimal_places=4)
    discount_percent = models.DecimalField(_("discount %"), max_digits=5, decimal_places=2, default=Decimal("0.00"))
    line_total = models.DecimalField(_("line total"), max_digits=14, decimal_places=2)

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("order line")
        verbose_name_plural = _("order lines")
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gt=0), name="order_line_quantity_positive"),
            models.CheckConstraint(condition=Q(unit_price__gte=0), name="order_line_price_not_negative"),
            models.CheckConstraint(
                condition=Q(discount_percent__gte=0, discount_percent__lte=100), name="order_line_discount_percent"
            ),
        ]

    def __str__(self):
        return self.description


class OrderTransition(models.Model):
    """One status change of an order: who, when, from where to where, and why (for cancellations)."""

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="transitions")
    from_status = models.CharField(max_length=12, choices=OrderStatus.choices, blank=True)  # "" = created
    to_status = models.CharField(max_length=12, choices=OrderStatus.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    at = models.DateTimeField(default=timezone.now)
    reason = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "pk"]
        indexes = [models.Index(fields=["order", "at"]), models.Index(fields=["to_status", "at"])]

    def __str__(self):
        return f"{self.order_id}: {self.from_status or '∅'} → {self.to_status}"


class AttachmentKind(models.TextChoices):
    CONTRACT = "contract", _("Contract")
    INVOICE = "invoice", _("Invoice")
    DELIVERY_NOTE = "delivery_note", _("Delivery note")
    OTHER = "other", _("Other")


def attachment_path(instance, filename):
    # A random name on disk: the original name is kept in the row, never trusted as a path.
    return f"orders/{timezone.now():%Y/%m}/{uuid.uuid4().hex}"


class OrderAttachment(models.Model):
    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="attachments")
    kind = models.CharField(_("kind"), max_length=20, choices=AttachmentKind.choices, default=AttachmentKind.OTHER)
    file = models.FileField(_("file"), upload_to=attachment_path, max_length=200)
    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-uploaded_at", "-pk"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self):
        return self.original_name


class OverdueNotice(OutboxRow):
    """The row behind one "order is overdue" message to the account manager.

    One per order and promised date: a missed date notifies once; a new promise that is
    missed again notifies again.
    """

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="overdue_notices")
    promised_on = models.DateField()
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["order", "promised_on"], name="overdue_notice_once_per_promise"),
        ]
        indexes = [models.Index(fields=["status", "next_attempt_at"])]

    def __str__(self):
        return f"Overdue notice {self.order_id} {self.promised_on} ({self.status})"
