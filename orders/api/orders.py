"""REST API of orders: the pages' rules, writes through the services.

Orders are seen by whoever sees their client (an invisible order is a 404) and changed by whoever may edit that
client (otherwise 403, before the input is looked at). A broken business rule is a 400 on its field; a status
change the workflow does not allow from the current status is a 409 that names the allowed ones.
"""

from decimal import Decimal

from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiSerializerFieldExtension
from drf_spectacular.plumbing import ResolvedComponent, build_choice_field
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_field, inline_serializer
from rest_framework import mixins, permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.response import Response

from clients.api import VisibleClientField
from clients.selectors import can_edit_client
from contacts.selectors import contacts_visible_to
from core.api import UserFilterBackend, application_errors_as_validation
from core.money import allowed_currencies

from .. import selectors
from ..filters import OrderFilter
from ..models import Order, OrderLine, OrderStatus, Product
from ..permissions import can_edit_order
from ..services import orders as order_services
from ..services import workflow
from ..services.pricing import LineData, get_default_discount
from .products import check_currency

CLIENT_READ_ONLY = _("You can view this client but not change it.")


class CanEditOrder(permissions.BasePermission):
    """Reads follow visibility (the queryset); changes need the right to edit the order's client."""

    message = _("You can view this order but not change it.")

    def has_object_permission(self, request, view, obj):
        return request.method in permissions.SAFE_METHODS or can_edit_order(request.user, obj)


class OrderStatusField(serializers.ChoiceField):
    """A status of the order workflow."""

    def __init__(self, **kwargs):
        super().__init__(choices=OrderStatus.choices, **kwargs)


class OrderStatusFieldExtension(OpenApiSerializerFieldExtension):
    """Every order status in the schema refers to one `OrderStatusEnum` component.

    The statuses appear under two field names (status, allowed_transitions) in several components; left to
    itself drf-spectacular would give the same choice set hashed, colliding enum names.
    """

    target_class = OrderStatusField

    def map_serializer_field(self, auto_schema, direction):
        schema = build_choice_field(self.target)
        schema.pop("x-spec-enum-id", None)
        component = ResolvedComponent(
            name="OrderStatusEnum", type=ResolvedComponent.SCHEMA, object="OrderStatusEnum", schema=schema
        )
        auto_schema.registry.register_on_missing(component)
        return component.ref


class VisibleContactField(serializers.PrimaryKeyRelatedField):
    """A contact id among the contacts the user may see; whether it belongs to the client is the service's rule."""

    def get_queryset(self):
        return contacts_visible_to(self.context["request"].user)


class OrderLineSerializer(serializers.ModelSerializer):
    product = serializers.PrimaryKeyRelatedField(
        queryset=Product.objects.all(),
        required=False,
        allow_null=True,
        label=_("product"),
        help_text=_("An active catalogue product; leave out for a free-text line."),
    )
    description = serializers.CharField(
        max_length=255,
        required=False,
        allow_blank=True,
        label=_("description"),
        help_text=_("The product's name if left out."),
    )
    quantity = serializers.DecimalField(
        max_digits=12,
        decimal_places=3,
        min_value=Decimal("0.001"),
        label=_("quantity"),
        error_messages={"min_value": _("The quantity must be greater than zero.")},
    )
    unit = serializers.CharField(
        max_length=20, required=False, allow_blank=True, label=_("unit"), help_text=_("The product's unit if left out.")
    )
    unit_price = serializers.DecimalField(
        max_digits=14,
        decimal_places=4,
        min_value=Decimal(0),
        required=False,
        allow_null=True,
        label=_("unit price"),
        help_text=_("The product's default price if left out and the product is priced in the order's currency."),
        error_messages={"min_value": _("The unit price cannot be negative.")},
    )
    discount_percent = serializers.DecimalField(
        max_digits=5,
        decimal_places=2,
        min_value=Decimal(0),
        max_value=Decimal(100),
        required=False,
        label=_("discount %"),
        help_text=_("The client's default discount (its own, else its tier's) if left out."),
        # "%%": Django's range validators %-format their message with the limit.
        error_messages={
            "min_value": _("The discount must be between 0 and 100 %%."),
            "max_value": _("The discount must be between 0 and 100 %%."),
        },
    )

    class Meta:
        model = OrderLine
        fields = ["product", "description", "quantity", "unit", "unit_price", "discount_percent", "line_total"]
        read_only_fields = ["line_total"]

    def validate_product(self, value):
        if value is not None and not value.is_active:
            raise ValidationError(_("This product is no longer sold."))
        return value

    def validate(self, attrs):
        if attrs.get("product") is None and not attrs.get("description", "").strip():
            raise ValidationError({"description": [_("Choose a product or describe the item.")]})
        return attrs


class OrderSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField(help_text=_("The order's page in the web interface."))
    client = VisibleClientField(label=_("client"), help_text=_("Cannot change once the order exists."))
    client_name = serializers.CharField(source="client.name", read_only=True, help_text=_("Name of the client."))
    contact = VisibleContactField(
        required=False, allow_null=True, label=_("contact"), help_text=_("A contact of the order's client.")
    )
    status = OrderStatusField(read_only=True, label=_("status"))
    status_label = serializers.CharField(
        source="get_status_display", read_only=True, help_text=_("The status in the user's language.")
    )
    allowed_transitions = serializers.ListField(
        child=OrderStatusField(),
        read_only=True,
        help_text=_("The statuses the order may move to next."),
    )
    currency = serializers.CharField(
        max_length=3,
        required=False,
        label=_("currency"),
        help_text=_("ISO 4217 code; the default currency if left out. Changes only while the order is a draft."),
    )
    is_overdue = serializers.BooleanField(
        read_only=True, help_text=_("Committed, not delivered, and the promised date has passed.")
    )
    lines = OrderLineSerializer(
        many=True,
        max_length=order_services.MAX_LINES,
        label=_("lines"),
        help_text=_("At least one. When sent on a change, replaces all lines (drafts only)."),
    )

    class Meta:
        model = Order
        fields = [
            "id",
            "number",
            "url",
            "client",
            "client_name",
            "contact",
            "status",
            "status_label",
            "allowed_transitions",
            "currency",
            "promised_on",
            "is_overdue",
            "delivered_at",
            "cancel_reason",
            "notes",
            "lines",
            "subtotal",
            "discount_total",
            "total",
            "created_at",
            "updated_at",
        ]
        read_only_fields = [
            "number",
            "status",
            "delivered_at",
            "cancel_reason",
            "subtotal",
            "discount_total",
            "total",
            "created_at",
            "updated_at",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if isinstance(self.instance, Order):
            # A change keeps the client, and keeps the lines unless new ones are sent.
            self.fields["client"].required = False
            self.fields["lines"].required = False

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, order: Order) -> str:
        return self.context["request"].build_absolute_uri(order.get_absolute_url())

    def validate_client(self, value):
        if self.instance is not None and value.pk != self.instance.client_id:
            raise ValidationError(_("An order cannot be moved to another client."))
        return value

    def validate_currency(self, value):
        return check_currency(value)

    def validate_lines(self, value):
        if not value:
            raise ValidationError(_("Add at least one line."))
        return value

    def validate(self, attrs):
        if self.instance is None:
            attrs.setdefault("currency", allowed_currencies()[0])
        if "lines" in attrs:
            client = self.instance.client if self.instance is not None else attrs["client"]
            currency = attrs.get("currency") or self.instance.currency
            attrs["lines"] = _line_data(attrs["lines"], client=client, currency=currency)
        return attrs


def _line_data(rows: list[dict], *, client, currency: str) -> list[LineData]:
    """The lines as the services take them: a missing price is the product's, a missing discount the client's."""
    lines, errors, default_discount = [], {}, None
    for index, row in enumerate(rows):
        product, price = row.get("product"), row.get("unit_price")
        if price is None and product is not None and product.currency == currency:
            price = product.default_price
        if price is None:
            # keyed by the line's index, as DRF reports the other errors of list items
            errors[index] = {"unit_price": [_("Enter the unit price.")]}
            if product is not None:
                errors[index]["unit_price"] = [
                    _("Enter the unit price: the product is priced in %(product)s, the order in %(order)s.")
                    % {"product": product.currency, "order": currency}
                ]
            continue
        if "discount_percent" not in row and default_discount is None:
            default_discount = get_default_discount(client)
        lines.append(
            LineData(
                product=product,
                description=row.get("description", ""),
                quantity=row["quantity"],
                unit=row.get("unit", ""),
                unit_price=price,
                discount_percent=row.get("discount_percent", default_discount),
            )
        )
    if errors:
        raise ValidationError({"lines": errors})
    return lines


class OrderTransitionSerializer(serializers.Serializer):
    status = OrderStatusField(label=_("new status"))
    reason = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=2000,
        label=_("reason"),
        help_text=_("Why the order is cancelled; required when cancelling."),
    )


TransitionRefusedSerializer = inline_serializer(
    "OrderTransitionRefused",
    {
        "detail": serializers.CharField(help_text=_("Why the order cannot move to that status.")),
        "allowed_transitions": serializers.ListField(
            child=OrderStatusField(),
            help_text=_("The statuses the order may move to from its current one."),
        ),
    },
)


@extend_schema(tags=["orders"])
class OrderViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Orders of the clients visible to the user; no delete (an order is cancelled, not removed)."""

    serializer_class = OrderSerializer
    permission_classes = [permissions.IsAuthenticated, CanEditOrder]
    # OrderFilter already covers search (q) and ordering (sort), as on the page.
    filter_backends = [UserFilterBackend]
    filterset_class = OrderFilter

    def get_queryset(self):
        return selectors.list_orders(self.request.user).prefetch_related("lines")

    def perform_create(self, serializer):
        data = serializer.validated_data
        # A teammate's client is visible but read-only: the action is refused (403), not the input.
        if not can_edit_client(self.request.user, data["client"]):
            raise PermissionDenied(CLIENT_READ_ONLY)
        with application_errors_as_validation(serializer):
            order = order_services.create_order(actor=self.request.user, **data)
        serializer.instance = self._fresh(order)

    def perform_update(self, serializer):
        data = dict(serializer.validated_data)
        data.pop("client", None)
        with application_errors_as_validation(serializer):
            order = order_services.update_order(actor=self.request.user, order=serializer.instance, **data)
        serializer.instance = self._fresh(order)

    @extend_schema(
        request=OrderTransitionSerializer,
        responses={
            200: OrderSerializer,
            400: OpenApiResponse(description=_("Invalid input or a broken rule (e.g. cancelling without a reason).")),
            403: OpenApiResponse(description=_("The order is visible but the user may not change it.")),
            404: OpenApiResponse(description=_("No such order among those visible to the user.")),
            409: OpenApiResponse(
                response=TransitionRefusedSerializer,
                description=_("The workflow does not lead from the current status to the requested one."),
            ),
        },
    )
    @action(detail=True, methods=["post"])
    def transition(self, request, pk=None):
        """Move the order to another status of the workflow; cancelling needs a reason."""
        order = self.get_object()
        form = OrderTransitionSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        with application_errors_as_validation(form):
            try:
                order = workflow.transition_order(
                    actor=request.user,
                    order=order,
                    to_status=form.validated_data["status"],
                    reason=form.validated_data.get("reason", ""),
                )
            except workflow.TransitionNotAllowed as refusal:
                order.refresh_from_db(fields=["status"])  # the service read it under lock; answer with that
                return Response(
                    {"detail": refusal.message, "allowed_transitions": list(order.allowed_transitions)},
                    status=status.HTTP_409_CONFLICT,
                )
        return Response(self.get_serializer(self._fresh(order)).data)

    def _fresh(self, order: Order) -> Order:
        """The order as the list and detail read it (lines, client), after a service changed it."""
        return self.get_queryset().get(pk=order.pk)
