"""The order list's filters, shared by the page, the CSV export and the API."""

import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts.models import Team, User
from accounts.selectors import list_visible_staff
from clients.filters import ClientGroupFilter
from clients.models import Tier
from clients.selectors import list_visible_teams
from core.filters import (
    DayBoundFilter,
    DrillDownFilterSet,
    IdFilter,
    LinkFilter,
    NullsLastOrderingFilter,
    SearchTermFilter,
)

from .models import Order, OrderStatus, settings_zone
from .selectors import overdue_q


class OrderFilter(DrillDownFilterSet):
    q = SearchTermFilter(method="filter_search", label=_("Search"))
    status = django_filters.ChoiceFilter(choices=OrderStatus.choices, label=_("status"), empty_label=_("All statuses"))
    client = IdFilter(field_name="client_id", label=_("client"), widget=forms.HiddenInput)
    manager = django_filters.ModelChoiceFilter(
        field_name="client__account_manager",
        queryset=User.objects.none(),
        label=_("account manager"),
        empty_label=_("All managers"),
    )
    # Orders have no manager of their own: the client's account manager is responsible (as for `manager`).
    team = django_filters.ModelChoiceFilter(
        field_name="client__account_manager__team",
        queryset=Team.objects.none(),
        label=_("team"),
        empty_label=_("All teams"),
    )
    tier = django_filters.ChoiceFilter(
        field_name="client__tier", choices=Tier.choices, label=_("client tier"), empty_label=_("All tiers")
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
    # Delivery days are the company's calendar days (settings.TIME_ZONE), like the promised date
    # and the dashboard's on-time delivery.
    delivered_from = DayBoundFilter(
        field_name="delivered_at", bound="from", zone=settings_zone, label=_("delivered from")
    )
    delivered_to = DayBoundFilter(field_name="delivered_at", bound="to", zone=settings_zone, label=_("delivered to"))
    segment = ClientGroupFilter("segment", client="client", widget=forms.HiddenInput)
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
        fields = [
            "q",
            "status",
            "client",
            "manager",
            "team",
            "tier",
            "overdue",
            "ordered_from",
            "ordered_to",
            "delivered_from",
            "delivered_to",
            "segment",
        ]

    drilldown_filters = (
        LinkFilter(_("Client tier"), ("tier",)),
        LinkFilter(_("Delivered"), ("delivered_from", "delivered_to")),
        LinkFilter(_("Segment"), ("segment",)),
    )

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["manager"].queryset = list_visible_staff(user)
        self.setup_team_filter(user, list_visible_teams(user))

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
