"""The order list's filters, shared by the page, the CSV export and the API."""

import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from accounts.selectors import list_visible_staff
from core.filters import IdFilter, NullsLastOrderingFilter

from .models import Order, OrderStatus
from .selectors import overdue_q


class OrderFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="filter_search", label=_("Search"))
    status = django_filters.ChoiceFilter(choices=OrderStatus.choices, label=_("status"), empty_label=_("All statuses"))
    client = IdFilter(
        field_name="client_id", label=_("client"), widget=forms.HiddenInput, min_value=1, max_value=2**63 - 1
    )
    manager = django_filters.ModelChoiceFilter(
        field_name="client__account_manager",
        queryset=User.objects.none(),
        label=_("account manager"),
        empty_label=_("All managers"),
    )
    overdue = django_filters.BooleanFilter(method="filter_overdue", label=_("Overdue only"), widget=forms.CheckboxInput)
    ordered_from = django_filters.DateFilter(
        field_name="created_at",
        lookup_expr="date__gte",
        label=_("ordered from"),
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    ordered_to = django_filters.DateFilter(
        field_name="created_at",
        lookup_expr="date__lte",
        label=_("ordered to"),
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    sort = NullsLastOrderingFilter(
        fields=(
            ("number", "number"),
            ("client__name", "client"),
            ("status", "status"),
            ("total", "total"),
            ("promised_on", "promised"),
            ("created_at", "created"),
        ),
        label=_("Sort"),
    )

    class Meta:
        model = Order
        fields = ["q", "status", "client", "manager", "overdue", "ordered_from", "ordered_to"]

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["manager"].queryset = list_visible_staff(user)

    def filter_search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(number__icontains=value) | Q(client__name__icontains=value))

    def filter_overdue(self, queryset, name, value):
        return queryset.filter(overdue_q()) if value else queryset

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        # newest first unless sorted; ties by id so pages are stable
        return queryset.order_by(*(queryset.query.order_by or ["-created_at"]), "-pk")
