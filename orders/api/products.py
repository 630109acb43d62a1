"""REST API of the product catalogue: read by everyone signed in, kept by admins."""

from decimal import Decimal

import django_filters
from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema
from rest_framework import filters, mixins, permissions, serializers, viewsets
from rest_framework.exceptions import ValidationError
from rest_framework.validators import UniqueValidator

from core.api import SearchFilter
from core.money import allowed_currencies

from ..models import Product


def check_currency(value: str) -> str:
    code = value.strip().upper()
    if code not in allowed_currencies():
        raise ValidationError(
            _("Unknown currency “%(code)s”. Use one of: %(codes)s.")
            % {"code": code, "codes": ", ".join(allowed_currencies())}
        )
    return code


class AdminWritesOnly(permissions.BasePermission):
    """Everyone signed in reads the catalogue; only admins keep it."""

    message = _("Only administrators can change the product catalogue.")

    def has_permission(self, request, view):
        return request.method in permissions.SAFE_METHODS or request.user.is_admin


class ProductSerializer(serializers.ModelSerializer):
    sku = serializers.CharField(
        max_length=50,
        label=_("SKU"),
        validators=[UniqueValidator(Product.objects.all(), message=_("Another product already has this SKU."))],
    )
    default_price = serializers.DecimalField(
        max_digits=14,
        decimal_places=4,
        min_value=Decimal(0),
        label=_("default price"),
        error_messages={"min_value": _("The price cannot be negative.")},
    )
    currency = serializers.CharField(
        max_length=3, label=_("currency"), help_text=_("ISO 4217 code, one of the currencies orders may use.")
    )

    class Meta:
        model = Product
        fields = ["id", "name", "sku", "unit", "default_price", "currency", "is_active", "created_at", "updated_at"]
        read_only_fields = ["created_at", "updated_at"]

    def validate_currency(self, value):
        return check_currency(value)


class ProductFilter(django_filters.FilterSet):
    active = django_filters.BooleanFilter(field_name="is_active", label=_("active"))

    class Meta:
        model = Product
        fields = ["active", "currency"]


@extend_schema(tags=["products"])
class ProductViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """The product catalogue; no delete (order lines keep their product): deactivate a product instead."""

    queryset = Product.objects.all()
    serializer_class = ProductSerializer
    permission_classes = [permissions.IsAuthenticated, AdminWritesOnly]
    filter_backends = [DjangoFilterBackend, SearchFilter, filters.OrderingFilter]
    filterset_class = ProductFilter
    search_fields = ["name", "sku"]
    ordering_fields = ["name", "sku", "default_price", "created_at"]
    ordering = ["name", "id"]

    def perform_create(self, serializer):
        self._save(serializer)

    def perform_update(self, serializer):
        self._save(serializer)

    def _save(self, serializer):
        # The validator has checked the SKU; a concurrent request may still take it before the insert.
        try:
            with transaction.atomic():
                serializer.save()
        except IntegrityError as error:
            raise ValidationError({"sku": [_("Another product already has this SKU.")]}) from error
