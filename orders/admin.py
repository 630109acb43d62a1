from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from core.admin import ReadOnlyInline
from core.money import currency_choices

from .models import Order, OrderAttachment, OrderLine, OrderTransition, OverdueNotice, Product, TierDiscount


class ProductForm(forms.ModelForm):
    currency = forms.ChoiceField(label=_("currency"), choices=currency_choices)

    class Meta:
        model = Product
        fields = ["name", "sku", "unit", "default_price", "currency", "is_active"]


@admin.register(Product)
class ProductAdmin(admin.ModelAdmin):
    """The catalogue: admins add products, change default prices and retire old ones (inactive)."""

    form = ProductForm
    list_display = ("name", "sku", "unit", "default_price", "currency", "is_active")
    list_editable = ("default_price", "is_active")
    list_filter = ("is_active", "currency")
    search_fields = ("name", "sku")

    def has_delete_permission(self, request, obj=None):
        return False  # products on old orders stay; retire them by unticking "active"


@admin.register(TierDiscount)
class TierDiscountAdmin(admin.ModelAdmin):
    """The discount proposed on new order lines for each client tier (a client's own discount wins)."""

    list_display = ("tier", "percent")
    list_editable = ("percent",)


class OrderLineInline(ReadOnlyInline):
    model = OrderLine
    fields = ("position", "product", "description", "quantity", "unit", "unit_price", "discount_percent", "line_total")


class OrderTransitionInline(ReadOnlyInline):
    model = OrderTransition
    fields = ("at", "from_status", "to_status", "actor", "reason")


class OrderAttachmentInline(ReadOnlyInline):
    model = OrderAttachment
    fields = ("kind", "original_name", "content_type", "size", "uploaded_by", "uploaded_at")


@admin.register(Order)
class OrderAdmin(admin.ModelAdmin):
    """Orders are read here; they change only through the order page or the API, where the workflow rules live."""

    list_display = ("number", "client", "status", "total", "currency", "promised_on", "delivered_at", "created_at")
    list_filter = ("status", "currency")
    search_fields = ("number", "client__name")
    list_select_related = ("client",)
    date_hierarchy = "created_at"
    inlines = (OrderLineInline, OrderTransitionInline, OrderAttachmentInline)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(OverdueNotice)
class OverdueNoticeAdmin(admin.ModelAdmin):
    """Delivery state of every overdue-order notice: failures show their attempts and last error here."""

    list_display = (
        "order",
        "promised_on",
        "recipient",
        "status",
        "attempts",
        "next_attempt_at",
        "sent_at",
        "last_error",
    )
    list_filter = ("status",)
    list_select_related = ("order", "recipient")
    raw_id_fields = ("order",)
    readonly_fields = ("sent_at", "attempts", "last_error", "created_at", "updated_at")
