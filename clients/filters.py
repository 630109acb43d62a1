"""The client list's filters, shared by the page, the CSV export and the API."""

import django_filters
from django.db.models import Case, IntegerField, Value, When
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from accounts.models import User
from accounts.selectors import list_visible_staff

from .models import Client, Status, Tag, Tier
from .selectors import search_clients_q

TIER_RANK = Case(
    When(tier=Tier.VIP, then=Value(0)),
    When(tier=Tier.KEY, then=Value(1)),
    default=Value(2),
    output_field=IntegerField(),
)


class ClientFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="filter_search", label=_("Search"))
    tier = django_filters.ChoiceFilter(choices=Tier.choices, label=_("tier"), empty_label=_("All tiers"))
    status = django_filters.ChoiceFilter(choices=Status.choices, label=_("status"), empty_label=_("All statuses"))
    manager = django_filters.ModelChoiceFilter(
        field_name="account_manager",
        queryset=User.objects.none(),
        label=_("account manager"),
        empty_label=_("All managers"),
    )
    country = django_filters.ChoiceFilter(choices=countries, label=_("country"), empty_label=_("All countries"))
    tag = django_filters.ModelChoiceFilter(
        field_name="tags",
        queryset=Tag.objects.all(),
        to_field_name="name",
        label=_("tag"),
        empty_label=_("All tags"),
    )
    sort = django_filters.OrderingFilter(
        fields=(
            ("name", "name"),
            ("tier_rank", "tier"),
            ("status", "status"),
            ("account_manager__full_name", "manager"),
            ("city", "city"),
            ("created_at", "created"),
            ("updated_at", "updated"),
        ),
        label=_("Sort"),
    )

    class Meta:
        model = Client
        fields = ["q", "tier", "status", "manager", "country", "tag"]

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["manager"].queryset = list_visible_staff(user)

    def filter_search(self, queryset, name, value):
        if not value.strip():
            return queryset
        # A subquery rather than a join: several matching contacts must not repeat a client.
        matching = Client.objects.filter(search_clients_q(value)).values("pk")
        return queryset.filter(pk__in=matching)

    def filter_queryset(self, queryset):
        queryset = queryset.annotate(tier_rank=TIER_RANK)
        queryset = super().filter_queryset(queryset)
        # ties break by name, then id, so pages are stable and read naturally
        return queryset.order_by(*(queryset.query.order_by or ["name"]), "name", "pk")
